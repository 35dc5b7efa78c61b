//! One namespace for every generated name: `index.ts` re-exports every
//! module (`export *` refuses duplicates whatever their kind), and each
//! module imports runtime names, so all of them must be distinct.

use std::collections::BTreeMap;
use std::fmt;

use super::is_reserved;

/// A name the generated TypeScript could not hold: a reserved word, an
/// invalid or duplicate wire name, or two things that would share a name.
/// The message names both owners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError(pub String);

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NameError {}

/// Names every generated directory uses: the runtime imports of the
/// always-emitted modules, their helpers and the TypeScript built-ins they use.
pub(super) const RUNTIME: &[(&str, &str)] = &[
    ("MizanError", "the re-export of the runtime's error class"),
    ("getClient", "the runtime import in client.ts"),
    ("CallOptions", "the runtime import in client.ts"),
    ("useMizanQuery", "the runtime import in hooks.ts"),
    ("useMizanMutation", "the runtime import in hooks.ts"),
    ("QueryHookOptions", "the runtime import in hooks.ts"),
    ("MutationHookOptions", "the runtime import in hooks.ts"),
    ("useMizanSuspenseQuery", "the runtime import in hooks.ts"),
    ("SuspenseQueryHookOptions", "the runtime import in hooks.ts"),
    ("mizanQueryOptions", "the runtime import in query-options.ts"),
    ("MizanQueryOptions", "the runtime import in query-options.ts"),
    ("z", "the Zod import in schemas.ts"),
    ("Record", "the TypeScript built-in used by types.ts"),
    ("Promise", "the TypeScript built-in used by client.ts"),
    ("mizanChars", "a helper in schemas.ts"),
    ("mizanUrl", "a helper in schemas.ts"),
    ("mizanInt64", "a helper in schemas.ts"),
    ("mizanEmailPattern", "a helper in schemas.ts"),
    ("mizanFunctions", "the metadata table in meta.ts"),
    ("MizanFunctionMeta", "a metadata type in meta.ts"),
    ("MizanFunctionName", "a metadata type in meta.ts"),
    ("MizanAuth", "a metadata type in meta.ts"),
    ("MizanAuthLevel", "a metadata type in meta.ts"),
    ("mizanMayCall", "a metadata helper in meta.ts"),
    ("mizanChannels", "the channel metadata table in meta.ts"),
    ("MizanChannelMeta", "a metadata type in meta.ts"),
    ("MizanChannelName", "a metadata type in meta.ts"),
];

/// The names the channel modules import (claimed when there are channels).
pub(super) const CHANNEL_RUNTIME: &[(&str, &str)] = &[
    ("getChannelSocket", "the runtime import in channels.ts"),
    ("ChannelSocket", "the runtime import in channels.ts"),
    ("ChannelSubscription", "the runtime import in channels.ts"),
    ("SubscriptionStatus", "the runtime import in channels.ts"),
    ("useMizanChannel", "the runtime import in channel-hooks.ts"),
    ("ChannelHookOptions", "the runtime import in channel-hooks.ts"),
    ("ChannelHookResult", "the runtime import in channel-hooks.ts"),
];

/// The names `contexts.ts` imports (claimed when there are context functions).
pub(super) const CONTEXT_RUNTIME: &[(&str, &str)] = &[
    ("useGlobalContext", "the runtime import in contexts.ts"),
    ("createLocalContext", "the runtime import in contexts.ts"),
    ("useLocalContext", "the runtime import in contexts.ts"),
    ("ContextQuery", "the runtime import in contexts.ts"),
    ("LocalContextProvider", "the runtime import in contexts.ts"),
];

/// The names the modules use for streamed outputs (claimed when a function streams).
pub(super) const STREAM_RUNTIME: &[(&str, &str)] = &[
    ("AsyncGenerator", "the TypeScript built-in used by client.ts for streams"),
    ("useMizanStream", "the runtime import in hooks.ts"),
    ("useMizanStreamMutation", "the runtime import in hooks.ts"),
    ("StreamHookOptions", "the runtime import in hooks.ts"),
    ("StreamMutationHookOptions", "the runtime import in hooks.ts"),
];

/// The names the modules use for cursor queries' infinite queries (claimed
/// when there is one).
pub(super) const INFINITE_RUNTIME: &[(&str, &str)] = &[
    ("Omit", "the TypeScript built-in used by hooks.ts and query-options.ts"),
    ("useMizanInfiniteQuery", "the runtime import in hooks.ts"),
    ("InfiniteQueryHookOptions", "the runtime import in hooks.ts"),
    ("mizanInfiniteQueryOptions", "the runtime import in query-options.ts"),
    ("MizanInfiniteQueryOptions", "the runtime import in query-options.ts"),
];

/// The names `errors.ts` imports (claimed when a function declares errors).
pub(super) const ERROR_RUNTIME: &[(&str, &str)] = &[
    ("TypedMizanError", "the runtime import in errors.ts"),
    ("FrameworkMizanError", "the runtime import in errors.ts"),
    ("isMizanErrorIn", "the runtime import in errors.ts"),
];

/// The names `forms.ts` imports (claimed when there are forms).
pub(super) const FORM_RUNTIME: &[(&str, &str)] = &[
    ("MizanForm", "the runtime import in forms.ts"),
    ("useMizanForm", "the runtime import in forms.ts"),
    ("MizanFormOptions", "the runtime import in forms.ts"),
    ("MizanFormResult", "the runtime import in forms.ts"),
];

/// The generated names claimed so far, each with what owns it.
#[derive(Debug, Default)]
pub struct NameTable {
    owners: BTreeMap<String, String>,
}

impl NameTable {
    /// A table holding the names every generated directory uses.
    pub fn with_runtime_names() -> Self {
        let mut table = Self::default();
        for (name, owner) in RUNTIME {
            table.owners.insert((*name).to_owned(), (*owner).to_owned());
        }
        table
    }

    /// Claims `name` for `owner`, refusing reserved words and names already
    /// claimed by something else.
    pub fn claim(&mut self, name: &str, owner: &str) -> Result<(), NameError> {
        if is_reserved(name) {
            return Err(NameError(format!(
                "{owner} would be named `{name}`, a reserved word in TypeScript; rename it"
            )));
        }
        if let Some(previous) = self.owners.get(name) {
            return Err(NameError(format!(
                "name collision: {owner} and {previous} would both be named `{name}` in the generated TypeScript; rename one of them"
            )));
        }
        self.owners.insert(name.to_owned(), owner.to_owned());
        Ok(())
    }

    /// Claims each `(name, owner)` of a runtime list.
    pub(super) fn claim_all(&mut self, names: &[(&str, &str)]) -> Result<(), NameError> {
        names.iter().try_for_each(|(name, owner)| self.claim(name, owner))
    }
}
