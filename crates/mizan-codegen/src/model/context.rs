//! Context functions: the names of their hooks and providers, claimed in
//! the one namespace every generated name shares.

use crate::error::CodegenError;
use crate::manifest::{ContextKind, Manifest};
use crate::names::{NameTable, pascal};

/// One context function and its generated names.
pub(crate) struct ContextModel {
    /// Index of the function in `Model::functions` (registration order).
    pub(crate) function: usize,
    /// `useCurrentUser` / `useGreet`.
    pub(crate) hook: String,
    /// `GreetProvider` for a local context; `None` for a global one.
    pub(crate) provider: Option<String>,
}

/// The names `contexts.ts` imports from the runtime.
const RUNTIME_IMPORTS: &[(&str, &str)] = &[
    ("useGlobalContext", "the runtime import in contexts.ts"),
    ("createLocalContext", "the runtime import in contexts.ts"),
    ("useLocalContext", "the runtime import in contexts.ts"),
    ("ContextQuery", "the runtime import in contexts.ts"),
    ("LocalContextProvider", "the runtime import in contexts.ts"),
];

/// Props a local context provider cannot take as arguments: React keeps
/// `key` and `ref` for itself, and `children` are the provider's children.
const RESERVED_PROPS: &[&str] = &["children", "key", "ref"];

/// Claims the hook (and, for a local context, the provider) of every
/// context function; refuses local context arguments React would not pass.
pub(crate) fn claim(
    manifest: &Manifest<'_>,
    table: &mut NameTable,
) -> Result<Vec<ContextModel>, CodegenError> {
    let mut out = Vec::new();
    for (function, f) in manifest.functions.iter().enumerate() {
        let Some(kind) = f.context else { continue };
        if out.is_empty() {
            for (name, owner) in RUNTIME_IMPORTS {
                table.claim(name, owner)?;
            }
        }
        let who = format!("context function `{}`", f.name);
        let base = pascal(f.name);
        let hook = format!("use{base}");
        table.claim(&hook, &format!("the hook of {who}"))?;
        let provider = match kind {
            ContextKind::Global => None,
            ContextKind::Local => {
                if let Some(arg) = f.args.iter().find(|a| RESERVED_PROPS.contains(a)) {
                    return Err(CodegenError::Name(format!(
                        "local context `{}`: its argument `{arg}` would be a prop of <{base}Provider>, \
                         which React keeps for itself (`children`, `key` and `ref` cannot be arguments); rename it",
                        f.name
                    )));
                }
                let provider = format!("{base}Provider");
                table.claim(&provider, &format!("the provider of {who}"))?;
                Some(provider)
            }
        };
        out.push(ContextModel { function, hook, provider });
    }
    Ok(out)
}
