//! A function's upload argument in the generated input type and its Zod
//! schema: `File | Blob` (a list of them for a list), checked by
//! `z.file().max(…).mime([…])`. The argument is not in the input schema
//! (that is the JSON of the multipart `args` part): it is added here.

use mizan_manifest::Upload;

use crate::names::js_string;

/// The TypeScript property line of the upload argument.
fn ts_line(u: &Upload) -> String {
    let what = if u.multiple {
        format!(
            "Files sent as parts `{}` (at most {}, each at most {} bytes)",
            u.arg, u.max_count, u.max_bytes
        )
    } else {
        format!("A file sent as part `{}` (at most {} bytes)", u.arg, u.max_bytes)
    };
    let types = if u.mime.is_empty() { String::new() } else { format!("; types: {}", u.mime.join(", ")) };
    // An optional file may also be given as `undefined`, as every optional
    // property of the generated types (`exactOptionalPropertyTypes`).
    let ty = match (u.multiple, u.optional) {
        (true, _) => "Array<File | Blob>",
        (false, true) => "File | Blob | undefined",
        (false, false) => "File | Blob",
    };
    let optional = if u.optional { "?" } else { "" };
    format!("  /** {what}{types}. */\n  {}{optional}: {ty};\n", prop_name(&u.arg))
}

/// The Zod property line of the upload argument.
fn zod_line(u: &Upload) -> String {
    let mut file = format!("z.file().max({})", u.max_bytes);
    if !u.mime.is_empty() {
        let list: Vec<String> = u.mime.iter().map(|m| js_string(m)).collect();
        file.push_str(&format!(".mime([{}])", list.join(", ")));
    }
    let schema = if u.multiple {
        format!("z.array({file}).max({})", u.max_count)
    } else if u.optional {
        format!("{file}.optional()")
    } else {
        file
    };
    format!("  {}: {schema},\n", prop_name(&u.arg))
}

fn prop_name(arg: &str) -> &str {
    // Wire names are `[a-z][a-z0-9_]*`: always a bare identifier.
    arg
}

/// `declared` (an `export interface NAME {…}` or `export type NAME = {};`)
/// with the upload argument's property added.
pub(super) fn add_ts(declared: &str, name: &str, u: &Upload) -> String {
    let line = ts_line(u);
    if let Some(at) = declared.rfind("}\n").filter(|_| declared.contains("export interface ")) {
        return format!("{}{line}{}", &declared[..at], &declared[at..]);
    }
    let doc_end = declared.find("export ").unwrap_or(0);
    format!("{}export interface {name} {{\n{line}}}\n", &declared[..doc_end])
}

/// `schema` (a `z.strictObject({…})`) with the upload argument's property added.
pub(super) fn add_zod(schema: &str, u: &Upload) -> String {
    let line = zod_line(u);
    match schema.strip_suffix("})") {
        Some(head) if head.ends_with('\n') => format!("{head}{line}}})"),
        Some(head) => format!("{head}\n{line}}})"),
        None => format!("{schema}.extend({{\n{line}}})"),
    }
}
