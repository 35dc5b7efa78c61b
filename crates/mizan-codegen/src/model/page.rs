//! The manifest's pages, lowered: names, route parameters, props types.

use mizan_manifest::naming::{camel, pascal};

use crate::error::CodegenError;
use crate::schema::{Lowerer, Ty};

/// One page with its TypeScript names and lowered props.
pub(crate) struct PageModel {
    pub(crate) name: String,
    pub(crate) route: String,
    /// The component, relative to the SSR dirs (`components/Todos.tsx`).
    pub(crate) component: String,
    /// The layout components around it, outermost first.
    pub(crate) layouts: Vec<String>,
    pub(crate) doc: Option<String>,
    /// `TodosPageProps`.
    pub(crate) props_name: String,
    /// `todosHref`.
    pub(crate) href: String,
    /// `TodosComponent` (the component's default export, imported as a type).
    pub(crate) component_name: String,
    /// The route's `{param}` names, in order.
    pub(crate) params: Vec<String>,
    pub(crate) props: Ty,
}

/// The pages, their props lowered on the output side.
pub(crate) fn build(
    pages: &[mizan_manifest::Page],
    output: &Lowerer<'_>,
) -> Result<Vec<PageModel>, CodegenError> {
    let mut out: Vec<PageModel> = Vec::new();
    for page in pages {
        if out.iter().any(|p| p.name == page.name) {
            return Err(CodegenError::Manifest(format!("page `{}` is listed twice", page.name)));
        }
        let props = output.lower(&page.props, "").map_err(|e| CodegenError::Unsupported {
            at: format!("page `{}` props", page.name),
            reason: e.reason,
        })?;
        let params = params(&page.route).map_err(|why| {
            CodegenError::Manifest(format!("page `{}`: route `{}` {why}", page.name, page.route))
        })?;
        check_component(&page.component)
            .map_err(|why| CodegenError::Manifest(format!("page `{}`: component {why}", page.name)))?;
        for layout in &page.layouts {
            check_component(layout)
                .map_err(|why| CodegenError::Manifest(format!("page `{}`: layout {why}", page.name)))?;
        }
        let base = pascal(&page.name);
        out.push(PageModel {
            name: page.name.clone(),
            route: page.route.clone(),
            component: page.component.clone(),
            layouts: page.layouts.clone(),
            doc: page.doc.clone(),
            props_name: format!("{base}PageProps"),
            href: format!("{}Href", camel(&page.name)),
            component_name: format!("{base}PageComponent"),
            params,
            props,
        });
    }
    Ok(out)
}

/// A route's `{param}` names; a route must start with `/`.
fn params(route: &str) -> Result<Vec<String>, String> {
    if !route.starts_with('/') {
        return Err("must start with `/`".to_owned());
    }
    let mut names = Vec::new();
    for segment in route.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if !mizan_manifest::naming::is_ident(name) || names.iter().any(|n| n == name) {
                return Err(format!("has a parameter `{{{name}}}` that is not one identifier, once"));
            }
            names.push(name.to_owned());
        } else if segment.contains(['{', '}', '`', '\\', '$']) {
            return Err(format!("has a segment `{segment}` that is neither literal nor one `{{param}}`"));
        }
    }
    Ok(names)
}

/// A component path relative to the dirs, a script file.
fn check_component(component: &str) -> Result<(), String> {
    let relative = !component.starts_with('/')
        && !component.contains(['\\', '"', '\n'])
        && component.split('/').all(|s| !s.is_empty() && s != "..");
    if !relative {
        return Err(format!("`{component}` must be a path relative to the SSR dirs"));
    }
    if ![".tsx", ".jsx", ".ts", ".js"].iter().any(|ext| component.ends_with(ext)) {
        return Err(format!("`{component}` must be a .tsx, .jsx, .ts or .js file"));
    }
    Ok(())
}
