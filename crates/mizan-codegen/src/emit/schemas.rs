//! `schemas.ts`: a Zod 4 schema per type, typed with the TypeScript type so
//! the compiler checks the two agree.

use std::collections::BTreeMap;

use super::{header, import, sibling};
use crate::model::Model;
use crate::render::{shared_format, zod};
use crate::schema::email::{self, EMAIL_REGEX};
use crate::schema::{Format, Side};

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

const FORMAT_HELPER: &str = r#"/**
 * A date, time or UUID format as the server reads it: the one expression it
 * runs too (mizan's docs/protocol.md, "Dates, times and ids"), refused as
 * `invalid_format` like Zod's own formats, without aborting the string's
 * later rules.
 */
function mizanFormat(pattern: RegExp, format: "datetime" | "date" | "time" | "uuid"): z.core.CheckFn<string> {
  return (payload) => {
    if (!pattern.test(payload.value)) {
      payload.issues.push({ code: "invalid_format", format, pattern: pattern.source, input: payload.value });
    }
  };
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

const UNION_HELPER: &str = r#"/**
 * A union as the server judges it (mizan-manifest's `Ty::selector`): when
 * `select` picks a member (by a serde tag, or by an externally tagged
 * variant's key) the input is that member's, and its issues keep their
 * paths; otherwise the first member the input satisfies wins, and an input
 * no member accepts is one `invalid_value` issue at the union's path.
 */
function mizanUnion<const M extends readonly z.ZodType[]>(
  members: M,
  select?: (value: unknown) => number | undefined,
): z.ZodType<z.output<M[number]>> {
  return z.unknown().transform((value, ctx) => {
    if (value === undefined) {
      // An absent key: required, like any other property's value.
      ctx.addIssue({ code: "invalid_type", expected: "nonoptional", input: value });
      return z.NEVER;
    }
    const picked = select?.(value);
    const chosen = picked === undefined ? undefined : members[picked];
    if (chosen !== undefined) {
      const result = chosen.safeParse(value);
      if (result.success) return result.data as z.output<M[number]>;
      for (const issue of result.error.issues) ctx.addIssue({ ...issue });
      return z.NEVER;
    }
    for (const member of members) {
      const result = member.safeParse(value);
      if (result.success) return result.data as z.output<M[number]>;
    }
    ctx.addIssue({ code: "invalid_value", values: [], input: value, message: "matches none of the variants" });
    return z.NEVER;
  });
}

function mizanObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Picks the member whose tag values include the input's `name`. */
function mizanTag(name: string, values: readonly (readonly (string | number | boolean)[])[]) {
  return (value: unknown): number | undefined => {
    const object = mizanObject(value);
    if (object === undefined || !Object.hasOwn(object, name)) return undefined;
    const i = values.findIndex((tags) => tags.some((tag) => tag === object[name]));
    return i < 0 ? undefined : i;
  };
}

/** Picks the member whose variant key is the only one the input has. */
function mizanKey(keys: readonly (string | null)[]) {
  return (value: unknown): number | undefined => {
    const object = mizanObject(value);
    if (object === undefined) return undefined;
    const present = keys.flatMap((key, i) => (key !== null && Object.hasOwn(object, key) ? [i] : []));
    return present.length === 1 ? present[0] : undefined;
  };
}
"#;

const ITEMS_HELPER: &str = r#"/**
 * An array's `minItems` / `maxItems`, as on the server: judged after its
 * items, and only for an array (Zod's `.min()` / `.max()` would measure a
 * string too, and skip the items of an array past its maximum).
 */
function mizanItems(min: number | undefined, max: number | undefined) {
  return (items: readonly unknown[], ctx: z.core.$RefinementCtx<readonly unknown[]>): void => {
    if (min !== undefined && items.length < min) {
      ctx.addIssue({ code: "too_small", origin: "array", minimum: min, inclusive: true, input: items });
    }
    if (max !== undefined && items.length > max) {
      ctx.addIssue({ code: "too_big", origin: "array", maximum: max, inclusive: true, input: items });
    }
  };
}

const mizanIfArray = { when: (payload: z.core.ParsePayload) => Array.isArray(payload.value) };
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
            let schema = match f.f.upload {
                Some(u) if side == Side::Input => super::upload::add_zod(&zod(ty, &refs, 0), u),
                _ => zod(ty, &refs, 0),
            };
            body.push_str(&format!("\nexport const {name}Schema: z.ZodType<{name}> = {schema};\n"));
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
    if body.contains("mizanUnion(") {
        out.push('\n');
        out.push_str(UNION_HELPER);
    }
    if body.contains("mizanItems(") {
        out.push('\n');
        out.push_str(ITEMS_HELPER);
    }
    for (name, source, what) in [
        ("mizanIpPattern", &*email::IP_SOURCE, "an IPv4 or IPv6 address, as Rust's `IpAddr` parser reads it"),
        ("mizanIpv4Pattern", &*email::IPV4_SOURCE, "an IPv4 address, as Rust's `Ipv4Addr` parser reads it"),
        ("mizanIpv6Pattern", &*email::IPV6_SOURCE, "an IPv6 address, as Rust's `Ipv6Addr` parser reads it"),
    ] {
        if body.contains(name) {
            out.push_str(&format!("\n/** {what}. */\nconst {name} = {};\n", email::js_literal(source)));
        }
    }
    if body.contains("mizanFormat(") {
        out.push('\n');
        out.push_str(FORMAT_HELPER);
    }
    for (format, what) in [
        (Format::DateTime, "`date-time`: RFC 3339 with an offset (`Z` or ±hh:mm), seconds required"),
        (Format::LocalDateTime, "`partial-date-time`: a date and a time without an offset, seconds optional"),
        (Format::Date, "`date`: YYYY-MM-DD, a date that exists"),
        (Format::Time, "`time`: hh:mm, seconds optional, without an offset"),
        (Format::Uuid, "`uuid`: the hyphenated form, either case, any version"),
    ] {
        let (name, _) = shared_format(format);
        if let Some(source) = format.source().filter(|_| body.contains(&format!("({name},"))) {
            out.push_str(&format!("\n/** {what}. */\nconst {name} = {};\n", email::js_literal(source)));
        }
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
