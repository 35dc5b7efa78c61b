//! Context functions: the names of their hooks and providers, as the
//! naming check gives them.

/// One context function and its generated names: `function` (its index in
/// `Model::functions`), `hook` and, for a local context, `provider`.
pub(crate) type ContextModel = mizan_manifest::naming::ContextNames;
