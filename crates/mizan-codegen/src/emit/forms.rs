//! `forms.ts`: react-hook-form hooks for registered forms. Not generated
//! yet: the manifest's `forms` are read and ignored (their `NAME.schema`,
//! `NAME.validate` and `NAME.submit` functions do get client functions and
//! hooks like any other function); this module is where `useContactForm()`
//! will be emitted.

use crate::model::Model;

/// The module name and contents, once forms are generated.
pub(super) fn emit(_model: &Model<'_>) -> Option<(&'static str, String)> {
    None
}
