//! `format: uuid` as mizan reads it: the hyphenated form only
//! (`8-4-4-4-12` hexadecimal digits, either case), whatever the version and
//! variant bits, so every `uuid::Uuid` the server sends back is accepted
//! again (the `uuid` crate writes any UUID that way; Zod's own `z.uuid()`
//! would refuse version 0 or a Microsoft variant). The other forms the
//! `uuid` crate's parser reads (32 digits without hyphens, `{…}`,
//! `urn:uuid:…`) are refused on both sides: the wire has one spelling.
//! One expression, run by the server and by the generated Zod.

/// `format: uuid`, anchored.
pub const UUID_SOURCE: &str = "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";
