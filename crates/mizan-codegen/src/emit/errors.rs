//! `errors.ts`: per function that declares errors, the union of what it
//! rejects with (`ReserveError`: each declared error with its code and
//! typed `data`, then mizan's own codes), narrowing on `code`, and its type
//! guard (`isReserveError(e, "SEAT_TAKEN")`). React-free; emitted only when
//! a function declares errors.

use std::collections::BTreeSet;

use super::{header, import, sibling};
use crate::model::{Model, ty_refs};
use crate::names::js_string;
use crate::render::{doc_comment, ts};
use crate::schema::Side;

/// The module name and contents, when a function declares errors.
pub(super) fn emit(model: &Model<'_>) -> Option<(&'static str, String)> {
    let typed: Vec<_> = model.functions.iter().filter_map(|f| Some((f, f.errors.as_ref()?))).collect();
    if typed.is_empty() {
        return None;
    }
    let mut out = header("The errors each function declares: a union narrowing on `code`, and its guard.");
    out.push_str(&import(
        &["isMizanErrorIn".into(), "type FrameworkMizanError".into(), "type TypedMizanError".into()],
        "@mizan/client",
        false,
    ));
    let mut refs = BTreeSet::new();
    for (_, errors) in &typed {
        errors.variants.iter().filter_map(|(_, data)| data.as_ref()).for_each(|ty| ty_refs(ty, &mut refs));
    }
    let types: Vec<String> = refs
        .iter()
        .map(|key| model.def_name(Side::Output, key))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    out.push_str(&import(&types, &sibling("types"), true));
    let name_of = |key: &str| model.def_name(Side::Output, key);
    for (f, errors) in typed {
        let codes: Vec<String> = errors.variants.iter().map(|(code, _)| js_string(code)).collect();
        let (union, guard, client) = (&errors.union, &errors.guard, &f.client);
        out.push('\n');
        let wire = if *client == f.f.name { String::new() } else { format!(" (`{}`)", f.f.name) };
        out.push_str(&doc_comment(
            Some(&format!(
                "What `{client}`{wire} rejects with: one of its declared errors, whose\n\
                 `code` narrows `data`, or one of mizan's own codes."
            )),
            false,
            0,
        ));
        out.push_str(&format!("export type {union} =\n"));
        for (code, data) in &errors.variants {
            match data {
                Some(ty) => out.push_str(&format!(
                    "  | TypedMizanError<{}, {}>\n",
                    js_string(code),
                    ts(ty, &name_of, 1)
                )),
                None => out.push_str(&format!("  | TypedMizanError<{}>\n", js_string(code))),
            }
        }
        out.push_str("  | FrameworkMizanError;\n\n");
        out.push_str(&doc_comment(
            Some(&format!(
                "Whether `e` is an error `{client}` rejects with; given `code`, that one, so\n\
                 `{guard}(e, {})` types `e.data`.",
                codes[0]
            )),
            false,
            0,
        ));
        out.push_str(&format!(
            "export function {guard}<C extends {union}[\"code\"] = {union}[\"code\"]>(\n  e: unknown,\n  code?: C,\n): e is Extract<{union}, {{ readonly code: C }}> {{\n  return isMizanErrorIn(e, [{}], code);\n}}\n",
            codes.join(", ")
        ));
    }
    Some(("errors", out))
}
