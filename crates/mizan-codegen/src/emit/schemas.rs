//! `schemas.ts`: a Zod 4 schema per type, typed with the TypeScript type so
//! the compiler checks the two agree.

use std::collections::BTreeMap;

use super::{header, import, sibling};
use crate::model::Model;
use crate::render::zod;
use crate::schema::Side;
use crate::schema::email::EMAIL_REGEX;

const CHARS_HELPER: &str = r#"/**
 * String lengths count Unicode code points, as on the server (garde
 * `length(chars)`); Zod's own `.min()`/`.max()` count UTF-16 code units.
 * Issues carry the same codes (`too_small`, `too_big`) and messages.
 */
function mizanChars(min: number | undefined, max: number | undefined): z.core.CheckFn<string> {
  return (payload) => {
    const length = [...payload.value].length;
    if (min !== undefined && length < min) {
      payload.issues.push({ code: "too_small", origin: "string", minimum: min, inclusive: true, input: payload.value });
    }
    if (max !== undefined && length > max) {
      payload.issues.push({ code: "too_big", origin: "string", maximum: max, inclusive: true, input: payload.value });
    }
  };
}
"#;

const URL_HELPER: &str = r#"/**
 * garde's `url` rule: the WHATWG URL parser (the Rust `url` crate), with no
 * trimming beyond what the standard does (Zod's `z.url()` trims first).
 */
function mizanUrl(payload: z.core.ParsePayload<string>): void {
  if (!URL.canParse(payload.value)) {
    payload.issues.push({ code: "invalid_format", format: "url", input: payload.value });
  }
}
"#;

const INT64_HELPER: &str = r#"/** `mizan::Id64`: a decimal string within the range of an i64. */
function mizanInt64(payload: z.core.ParsePayload<string>): void {
  if (!/^-?[0-9]+$/u.test(payload.value)) return; // the pattern check reports it
  const n = BigInt(payload.value);
  if (n < -9223372036854775808n || n > 9223372036854775807n) {
    payload.issues.push({ code: "invalid_format", format: "int64", input: payload.value });
  }
}
"#;

pub(super) fn emit(model: &Model<'_>) -> String {
    let position: BTreeMap<&str, usize> =
        model.defs.iter().enumerate().map(|(i, d)| (d.ts_name.as_str(), i)).collect();
    let mut body = String::new();
    let mut type_names = Vec::new();
    for (i, def) in model.defs.iter().enumerate() {
        let side = def.side;
        let refs = |key: &str| {
            let name = model.def_name(side, key);
            if position.get(name.as_str()).is_some_and(|&p| p < i) {
                format!("{name}Schema")
            } else {
                format!("z.lazy(() => {name}Schema)")
            }
        };
        body.push_str(&format!(
            "\nexport const {0}Schema: z.ZodType<{0}> = {1};\n",
            def.ts_name,
            zod(&def.ty, &refs, 0)
        ));
        type_names.push(def.ts_name.clone());
    }
    for f in &model.functions {
        for (name, ty, side) in
            [(&f.input_name, &f.input, Side::Input), (&f.output_name, &f.output, Side::Output)]
        {
            let refs = |key: &str| format!("{}Schema", model.def_name(side, key));
            body.push_str(&format!(
                "\nexport const {name}Schema: z.ZodType<{name}> = {};\n",
                zod(ty, &refs, 0)
            ));
            type_names.push(name.clone());
        }
    }
    for c in &model.channels {
        for t in c.types().into_iter().filter(|t| t.declared) {
            let side = t.side;
            let refs = |key: &str| format!("{}Schema", model.def_name(side, key));
            body.push_str(&format!(
                "\nexport const {0}Schema: z.ZodType<{0}> = {1};\n",
                t.name,
                zod(&t.ty, &refs, 0)
            ));
            type_names.push(t.name.clone());
        }
    }
    let mut out = header("Zod 4 schemas of the types in types.ts.");
    if type_names.is_empty() {
        out.push_str("\nexport {};\n");
        return out;
    }
    out.push_str("import { z } from \"zod\";\n");
    type_names.sort();
    out.push_str(&import(&type_names, &sibling("types"), true));
    if body.contains("mizanChars(") {
        out.push('\n');
        out.push_str(CHARS_HELPER);
    }
    if body.contains("mizanUrl") {
        out.push('\n');
        out.push_str(URL_HELPER);
    }
    if body.contains("mizanInt64") {
        out.push('\n');
        out.push_str(INT64_HELPER);
    }
    if body.contains("mizanEmailPattern") {
        out.push_str(
            "\n/**\n * garde's `email` rule as one regular expression: the user part, `@`, then DNS\n * labels or an IPv4/IPv6 address literal in brackets (see mizan-codegen docs).\n */\n",
        );
        out.push_str(&format!("const mizanEmailPattern = {};\n", *EMAIL_REGEX));
    }
    out.push_str(&body);
    out
}
