//! The registered pages: their routes (merged into the views by
//! [`App::mount`](crate::App::mount)), their manifest entries, and the
//! registration checks (routes well formed, each route and name once).

use std::sync::Arc;

use axum::routing::MethodRouter;
use schemars::SchemaGenerator;
use serde_json::Value;

use super::PageFn;

/// A registered page with its type erased.
trait Erased: Send + Sync {
    fn info(&self) -> super::PageInfo;
    fn props_schema(&self, output: &mut SchemaGenerator) -> Value;
    fn method_router(&self) -> MethodRouter;
}

struct Registered<F: PageFn>(Arc<F>);

impl<F: PageFn> Erased for Registered<F> {
    fn info(&self) -> super::PageInfo {
        self.0.info()
    }

    fn props_schema(&self, output: &mut SchemaGenerator) -> Value {
        output.subschema_for::<F::Props>().to_value()
    }

    fn method_router(&self) -> MethodRouter {
        let f = self.0.clone();
        axum::routing::get(move |parts: axum::http::request::Parts| {
            let f = f.clone();
            async move { super::serve::answer(&*f, parts).await }
        })
    }
}

/// One page: its route and the page.
#[derive(Clone)]
struct Entry {
    route: String,
    page: Arc<dyn Erased>,
}

/// Every page of an app, in registration order.
#[derive(Clone, Default)]
pub(crate) struct Pages {
    entries: Vec<Entry>,
}

impl Pages {
    /// Registers `f` at `route`, or says why it cannot be.
    pub(crate) fn add<F: PageFn>(&mut self, route: &str, f: F) -> Result<(), String> {
        let info = f.info();
        check_route(route).map_err(|why| format!("page `{}`: route `{route}` {why}", info.name))?;
        if let Some(other) = self.entries.iter().find(|e| e.route == route) {
            return Err(format!(
                "pages `{}` and `{}` are both registered at `{route}`",
                other.page.info().name,
                info.name
            ));
        }
        if self.entries.iter().any(|e| e.page.info().name == info.name) {
            return Err(format!("page `{}` is registered twice", info.name));
        }
        self.entries.push(Entry { route: route.to_owned(), page: Arc::new(Registered(Arc::new(f))) });
        Ok(())
    }

    /// The pages' routes.
    pub(crate) fn router(&self) -> axum::Router {
        self.entries
            .iter()
            .fold(axum::Router::new(), |router, e| router.route(&e.route, e.page.method_router()))
    }

    /// The manifest's `pages`, their props schemas made with `output`.
    pub(crate) fn manifest_entries(&self, output: &mut SchemaGenerator) -> Vec<mizan_manifest::Page> {
        self.entries
            .iter()
            .map(|e| {
                let info = e.page.info();
                mizan_manifest::Page {
                    name: info.name.to_owned(),
                    route: e.route.clone(),
                    component: info.component.to_owned(),
                    layouts: info.layouts.iter().map(|l| (*l).to_owned()).collect(),
                    auth: (&info.auth).into(),
                    doc: info.doc.map(str::to_owned),
                    props: e.page.props_schema(output),
                }
            })
            .collect()
    }
}

/// A route: starts with `/`; each segment literal (no `{`, `}`, `*`) or a
/// parameter `{name}` with `name` lower-case letters, digits and `_`.
pub(crate) fn check_route(route: &str) -> Result<(), String> {
    let Some(rest) = route.strip_prefix('/') else { return Err("must start with `/`".to_owned()) };
    let mut names = Vec::new();
    for segment in rest.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            let ok = name.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !ok {
                return Err(format!(
                    "has a parameter `{{{name}}}`: names are lower-case letters, digits and `_`"
                ));
            }
            if names.contains(&name) {
                return Err(format!("names `{{{name}}}` twice"));
            }
            names.push(name);
        } else if segment.contains(['{', '}', '*']) {
            return Err(format!("has a segment `{segment}`: a segment is literal or one `{{param}}`"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_route;

    #[test]
    fn routes() {
        for ok in ["/", "/todos/", "/users/{id}/", "/a/{x}/b/{y_2}"] {
            assert_eq!(check_route(ok), Ok(()), "{ok}");
        }
        for bad in ["todos/", "/{Id}/", "/{*rest}", "/a{x}/", "/{x}/{x}/", "/{}/"] {
            assert!(check_route(bad).is_err(), "{bad}");
        }
    }
}
