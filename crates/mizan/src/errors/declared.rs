//! A function's declared errors as the registry keeps them: the manifest's
//! `errors` entries (with their `data` schemas) and the start-up check of
//! their codes.

use mizan_manifest::{DeclaredError, codes};
use schemars::SchemaGenerator;

use super::{ErrorType, ErrorVariant};
use crate::Error;

/// The typed errors a function declares: an [`ErrorType`]'s variants and
/// the type's name (for messages).
#[derive(Debug, Clone, Copy)]
pub struct Declared {
    /// The Rust type (`app::ReserveError`).
    pub type_name: &'static str,
    /// Its variants, in declaration order.
    pub variants: &'static [ErrorVariant],
}

impl Declared {
    /// The errors `E` declares.
    pub fn of<E: ErrorType>() -> Self {
        Self { type_name: std::any::type_name::<E>(), variants: E::VARIANTS }
    }

    /// `e` as a function declaring these errors may answer it: a framework
    /// code or a declared one passes; any other code is an `INTERNAL`
    /// (logged with the code and its message).
    pub(crate) fn admit(&self, e: Error) -> Error {
        if codes::lookup(e.code()).is_some() || self.variants.iter().any(|v| v.code == e.code()) {
            return e;
        }
        Error::internal(format!(
            "a function declaring its errors as {} answered `{}` ({}), which that type does not declare; \
             add it as a variant",
            self.type_name,
            e.code(),
            e.message()
        ))
    }
}

/// The manifest's `errors` of function `name` declaring `declared`, their
/// `data` schemas made with `output` (so what they reference lands in
/// `output_defs`); each problem with a code is pushed to `errors`, naming
/// the function, the type and the variant.
pub(crate) fn manifest_entries(
    name: &str,
    declared: Option<Declared>,
    output: &mut SchemaGenerator,
    errors: &mut Vec<String>,
) -> Vec<DeclaredError> {
    let Some(declared) = declared else { return Vec::new() };
    let entries: Vec<DeclaredError> = declared
        .variants
        .iter()
        .map(|v| DeclaredError {
            code: v.code.to_owned(),
            status: v.status,
            data: v.data.map(|schema| schema(output).to_value()),
        })
        .collect();
    for problem in mizan_manifest::errors::problems(&entries) {
        errors.push(format!("function `{name}` (errors of `{}`): {problem}", declared.type_name));
    }
    entries
}
