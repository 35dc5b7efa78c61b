//! The type model codegen renders, defined with the manifest
//! (`mizan_manifest::schema`) so the server enforces the same one.

pub(crate) use mizan_manifest::refs::collect_refs;
pub(crate) use mizan_manifest::schema::{
    Extra, Format, Lit, Lowerer, MAX_SAFE, Num, Obj, Prop, SchemaError, Selector, Side, Ty, email,
};
