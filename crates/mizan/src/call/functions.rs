//! The function table: every registered function by wire name, and the
//! registration order the manifest keeps.

use std::collections::HashMap;
use std::sync::Arc;

use super::handler::Handler;
use crate::function::{Context, Kind};

/// Registered functions. Built by the app builder, then frozen and shared
/// by every request.
#[derive(Clone, Default)]
pub(crate) struct Functions {
    by_name: HashMap<String, Arc<dyn Handler>>,
    order: Vec<String>,
}

impl Functions {
    /// The handler registered as `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&Arc<dyn Handler>> {
        self.by_name.get(name)
    }

    /// Whether `name` is taken.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The kind of function `name`, if registered.
    pub(crate) fn kind(&self, name: &str) -> Option<Kind> {
        self.get(name).map(|h| h.info().kind)
    }

    /// Adds `handler` under `name` (the caller checked the name).
    pub(crate) fn insert(&mut self, name: &str, handler: Arc<dyn Handler>) {
        self.order.push(name.to_owned());
        self.by_name.insert(name.to_owned(), handler);
    }

    /// Every function, in registration order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &Arc<dyn Handler>)> {
        self.order.iter().map(|name| (name.as_str(), &self.by_name[name.as_str()]))
    }

    /// The global context functions, in registration order.
    pub(crate) fn global_contexts(&self) -> impl Iterator<Item = (&str, &Arc<dyn Handler>)> {
        self.iter().filter(|(_, h)| h.info().context == Some(Context::Global))
    }
}
