//! `pages.ts`: each page's props type, a type-level check that its
//! component's default export accepts those props (so `tsc` fails when a
//! Rust prop changes and the component does not), and an `href` helper per
//! page for its route's parameters. Its own entry: it imports the
//! components (as types only), so `index.ts` stays React-free.

use std::collections::BTreeSet;

use super::{header, import, sibling};
use crate::model::{Model, PageModel, ty_refs};
use crate::names::js_string;
use crate::render::doc_comment;
use crate::schema::Side;

const PRELUDE: &str = r#"
/**
 * `true` when component `C` accepts props `P` (its first parameter takes
 * them), else `false`: `MizanPageCheck` below fails to compile on `false`.
 */
export type MizanAcceptsProps<C, P> = C extends (props: infer Q, ...rest: never[]) => unknown
  ? [P] extends [Q]
    ? true
    : false
  : false;

/** Compiles only for `true`. */
export type MizanPageCheck<T extends true> = T;
"#;

/// The module specifier of `component` (relative to the SSR dirs) from the
/// generated directory, given `root`, the dirs' path relative to it:
/// `../components/Todos.js` for `components/Todos.tsx` and `..`.
fn component_specifier(root: &str, component: &str) -> String {
    let stem = component
        .strip_suffix(".tsx")
        .or_else(|| component.strip_suffix(".jsx"))
        .or_else(|| component.strip_suffix(".ts"))
        .or_else(|| component.strip_suffix(".js"))
        .unwrap_or(component);
    let root = root.trim_end_matches('/');
    let root = if root.is_empty() || root == "." { "." } else { root };
    let joined = format!("{root}/{stem}.js");
    if joined.starts_with("../") || joined.starts_with("./") { joined } else { format!("./{joined}") }
}

/// `pages.ts`, or `None` when the manifest has no pages. `root` is the
/// SSR dirs' path relative to the generated directory.
pub(super) fn emit(model: &Model<'_>, root: &str) -> Option<String> {
    if model.pages.is_empty() {
        return None;
    }
    let mut out = header(
        "Typed pages: each page's props, a check that its component accepts them, and href helpers. \
         Imports the components: not re-exported by index.ts.",
    );
    let mut refs = BTreeSet::new();
    for page in &model.pages {
        ty_refs(&page.props, &mut refs);
    }
    let types: Vec<String> = refs.iter().map(|key| model.def_name(Side::Output, key)).collect();
    out.push('\n');
    out.push_str(&import(&types, &sibling("types"), true));
    for page in &model.pages {
        out.push_str(&format!(
            "import type {} from \"{}\";\n",
            page.component_name,
            component_specifier(root, &page.component)
        ));
    }
    // Each layout once, in the order the pages first name them.
    let mut layouts: Vec<&str> = Vec::new();
    for page in &model.pages {
        for layout in &page.layouts {
            if !layouts.contains(&layout.as_str()) {
                layouts.push(layout);
            }
        }
    }
    if !layouts.is_empty() {
        out.push_str("import type { ReactNode } from \"react\";\n");
    }
    for (i, layout) in layouts.iter().enumerate() {
        out.push_str(&format!(
            "import type MizanLayout{i} from \"{}\";\n",
            component_specifier(root, layout)
        ));
    }
    out.push_str(PRELUDE);
    for page in &model.pages {
        out.push('\n');
        out.push_str(&emit_page(model, page));
    }
    for (i, layout) in layouts.iter().enumerate() {
        out.push('\n');
        out.push_str(&format!(
            "/** Fails to compile when layout `{layout}`'s default export does not accept `{{ children: ReactNode }}`. */\n\
             export type MizanLayout{i}Checked = MizanPageCheck<MizanAcceptsProps<typeof MizanLayout{i}, {{ children: ReactNode }}>>;\n"
        ));
    }
    out.push('\n');
    out.push_str("/** Every page: its route and its component (relative to the SSR dirs). */\n");
    out.push_str("export const pages = {\n");
    for page in &model.pages {
        let layouts = if page.layouts.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = page.layouts.iter().map(|l| js_string(l)).collect();
            format!(", layouts: [{}]", names.join(", "))
        };
        out.push_str(&format!(
            "  {}: {{ route: {}, component: {}{layouts} }},\n",
            crate::names::prop_key(&page.name),
            js_string(&page.route),
            js_string(&page.component)
        ));
    }
    out.push_str("} as const;\n");
    Some(out)
}

fn emit_page(model: &Model<'_>, page: &PageModel) -> String {
    let refs = |key: &str| model.def_name(Side::Output, key);
    let mut out = String::new();
    let about = format!("Props of page `{}` (`{}`, `{}`).", page.name, page.route, page.component);
    let doc = match page.doc.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(doc) => format!("{doc}\n\n{about}"),
        None => about,
    };
    out.push_str(&doc_comment(Some(&doc), false, 0));
    let body = crate::render::ts(&page.props, &refs, 0);
    let sep = if body.starts_with('\n') { "" } else { " " };
    out.push_str(&format!("export type {} ={sep}{body};\n", page.props_name));
    out.push_str(&format!(
        "/** Fails to compile when `{}`'s default export does not accept {}. */\n",
        page.component, page.props_name
    ));
    out.push_str(&format!(
        "export type {}Checked = MizanPageCheck<MizanAcceptsProps<typeof {}, {}>>;\n",
        page.props_name, page.component_name, page.props_name
    ));
    out.push_str(&href(page));
    out
}

/// `todosHref()` or `userHref({ id })`: the route with each parameter
/// percent-encoded.
fn href(page: &PageModel) -> String {
    let doc = format!("The path of page `{}`: `{}`.", page.name, page.route);
    let mut out = doc_comment(Some(&doc), false, 0);
    if page.params.is_empty() {
        out.push_str(&format!(
            "export function {}(): string {{\n  return {};\n}}\n",
            page.href,
            js_string(&page.route)
        ));
        return out;
    }
    let fields: Vec<String> = page.params.iter().map(|p| format!("readonly {p}: string | number")).collect();
    let mut template = String::new();
    let mut rest = page.route.as_str();
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').unwrap_or(rest.len() - open);
        template.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        template.push_str(&format!("${{encodeURIComponent(String(params.{name}))}}"));
        rest = &rest[(close + 1).min(rest.len())..];
    }
    template.push_str(rest);
    out.push_str(&format!(
        "export function {}(params: {{ {} }}): string {{\n  return `{template}`;\n}}\n",
        page.href,
        fields.join("; ")
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::component_specifier;

    #[test]
    fn specifiers_are_relative_with_js_extensions() {
        assert_eq!(component_specifier("..", "components/Todos.tsx"), "../components/Todos.js");
        assert_eq!(component_specifier("../", "Todos.jsx"), "../Todos.js");
        assert_eq!(component_specifier(".", "a/B.ts"), "./a/B.js");
        assert_eq!(component_specifier("", "B.tsx"), "./B.js");
        assert_eq!(component_specifier("../../web", "B.tsx"), "../../web/B.js");
    }
}
