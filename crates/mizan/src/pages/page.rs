//! [`Page`]: what a page function returns: its props and head, or a redirect.

use crate::ssr::Head;

/// What a `#[mizan::page]` function answers: the component's typed props
/// with the page's title and meta tags, or a redirect.
///
/// ```
/// #[derive(serde::Serialize, schemars::JsonSchema)]
/// struct TodosProps { count: u32 }
///
/// let page = mizan::Page::new(TodosProps { count: 3 }).title("Todos").meta("description", "What to do");
/// # let _ = page;
/// let away: mizan::Page<TodosProps> = mizan::Page::redirect("/login/");
/// # let _ = away;
/// ```
#[derive(Debug, Clone)]
pub struct Page<P> {
    pub(crate) answer: Answer<P>,
    pub(crate) head: Head,
}

/// A page's answer.
#[derive(Debug, Clone)]
pub(crate) enum Answer<P> {
    /// Render the component with these props.
    Render(P),
    /// `303 See Other` to this location (a visit answers it too).
    Redirect(String),
}

impl<P> Page<P> {
    /// The page rendered with `props`; the title is the
    /// [`Ssr`](crate::Ssr)'s until [`title`](Self::title) sets one.
    pub fn new(props: P) -> Self {
        Self { answer: Answer::Render(props), head: Head::default() }
    }

    /// A redirect (`303 See Other`) to `location`, for the page's HTML and
    /// its visits alike.
    pub fn redirect(location: impl Into<String>) -> Self {
        Self { answer: Answer::Redirect(location.into()), head: Head::default() }
    }

    /// Sets the page's `<title>` (and a visit's `head.title`).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.head.title = Some(title.into());
        self
    }

    /// Adds `<meta name="{name}" content="{content}">` (and an entry of a
    /// visit's `head.meta`).
    pub fn meta(mut self, name: impl Into<String>, content: impl Into<String>) -> Self {
        self.head.meta.push((name.into(), content.into()));
        self
    }

    /// The props, unless the page redirects.
    pub fn props(&self) -> Option<&P> {
        match &self.answer {
            Answer::Render(props) => Some(props),
            Answer::Redirect(_) => None,
        }
    }
}
