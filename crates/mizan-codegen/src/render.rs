//! Rendering [`Ty`] as TypeScript type expressions and Zod 4 expressions.

use crate::names::{js_string, prop_key};
use crate::schema::{Extra, Format, Lit, MAX_SAFE, Num, Obj, Selector, Ty};

const INDENT: &str = "  ";

fn pad(level: usize) -> String {
    INDENT.repeat(level)
}

/// A TSDoc block at `level`, or nothing for an empty text.
pub(crate) fn doc_comment(text: Option<&str>, deprecated: bool, level: usize) -> String {
    let mut lines: Vec<String> = text
        .map(|t| t.trim_end().lines().map(|l| l.trim_end().replace("*/", "*\\/")).collect())
        .unwrap_or_default();
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    if deprecated {
        lines.push("@deprecated".to_owned());
    }
    let p = pad(level);
    match lines.len() {
        0 => String::new(),
        1 => format!("{p}/** {} */\n", lines[0]),
        _ => {
            let mut out = format!("{p}/**\n");
            for line in lines {
                if line.is_empty() {
                    out.push_str(&format!("{p} *\n"));
                } else {
                    out.push_str(&format!("{p} * {line}\n"));
                }
            }
            out.push_str(&format!("{p} */\n"));
            out
        }
    }
}

fn lit(value: &Lit) -> String {
    match value {
        Lit::Str(s) => js_string(s),
        Lit::Num(n) => n.to_string(),
        Lit::Bool(b) => b.to_string(),
    }
}

/// The TypeScript type of `ty`; `refs` names a referenced definition.
pub(crate) fn ts(ty: &Ty, refs: &dyn Fn(&str) -> String, level: usize) -> String {
    match ty {
        Ty::Unknown => "unknown".to_owned(),
        Ty::Never => "never".to_owned(),
        Ty::Null => "null".to_owned(),
        Ty::Bool => "boolean".to_owned(),
        Ty::Str(_) => "string".to_owned(),
        Ty::Num(_) => "number".to_owned(),
        Ty::Lit(values) => values.iter().map(lit).collect::<Vec<_>>().join(" | "),
        Ty::Array(item, _) => format!("{}[]", ts_wrapped(item, refs, level)),
        Ty::Tuple(items, rest) => {
            let mut parts: Vec<String> = items.iter().map(|t| ts(t, refs, level)).collect();
            if let Some(rest) = rest {
                parts.push(format!("...{}[]", ts_wrapped(rest, refs, level)));
            }
            format!("[{}]", parts.join(", "))
        }
        Ty::Record(value, _) => format!("Record<string, {}>", ts(value, refs, level)),
        Ty::Object(obj) => ts_object(obj, refs, level),
        Ty::Union(members) => {
            let rendered: Vec<String> = members
                .iter()
                .map(|m| match m {
                    Ty::Inter(_) => format!("({})", ts(m, refs, level + 1)),
                    _ => ts(m, refs, level + 1),
                })
                .collect();
            if rendered.iter().any(|r| r.contains('\n')) {
                let p = pad(level + 1);
                rendered.iter().map(|r| format!("\n{p}| {r}")).collect()
            } else {
                rendered.join(" | ")
            }
        }
        Ty::Inter(members) => members
            .iter()
            .map(|m| match m {
                Ty::Union(_) | Ty::Lit(_) => format!("({})", ts(m, refs, level)),
                _ => ts(m, refs, level),
            })
            .collect::<Vec<_>>()
            .join(" & "),
        Ty::Ref(name) => refs(name),
    }
}

fn ts_wrapped(ty: &Ty, refs: &dyn Fn(&str) -> String, level: usize) -> String {
    let text = ts(ty, refs, level);
    match ty {
        Ty::Union(_) | Ty::Inter(_) => format!("({})", text.trim_start()),
        Ty::Lit(values) if values.len() > 1 => format!("({text})"),
        _ => text,
    }
}

/// An object type's body `{ … }` (or `Record<…>` when it has no properties).
pub(crate) fn ts_object(obj: &Obj, refs: &dyn Fn(&str) -> String, level: usize) -> String {
    if obj.props.is_empty() {
        return match &obj.extra {
            Extra::Schema(value) => format!("Record<string, {}>", ts(value, refs, level)),
            _ => "Record<string, never>".to_owned(),
        };
    }
    let mut out = "{\n".to_owned();
    for prop in &obj.props {
        out.push_str(&doc_comment(prop.doc.as_deref(), prop.deprecated, level + 1));
        let ty = ts(&prop.ty, refs, level + 1);
        // An optional property may also be `undefined` (which `JSON.stringify`
        // leaves out, so the wire sees it absent): under
        // `exactOptionalPropertyTypes` that is what Zod's `.optional()` gives.
        let ty = match (prop.optional, ty.starts_with('\n')) {
            (false, _) => ty,
            (true, false) => format!("{ty} | undefined"),
            (true, true) => format!("{ty}\n{}| undefined", pad(level + 2)),
        };
        out.push_str(&format!(
            "{}{}{}: {};\n",
            pad(level + 1),
            prop_key(&prop.name),
            if prop.optional { "?" } else { "" },
            ty.trim_start()
        ));
    }
    out.push_str(&pad(level));
    out.push('}');
    if let Extra::Schema(value) = &obj.extra {
        out.push_str(&format!(" & Record<string, {}>", ts(value, refs, level)));
    }
    out
}

/// The Zod 4 schema of `ty`; `refs` renders a reference to a definition's
/// schema constant (wrapped in `z.lazy` when it is not defined yet).
pub(crate) fn zod(ty: &Ty, refs: &dyn Fn(&str) -> String, level: usize) -> String {
    match ty {
        Ty::Unknown => "z.unknown()".to_owned(),
        Ty::Never => "z.never()".to_owned(),
        Ty::Null => "z.null()".to_owned(),
        Ty::Bool => "z.boolean()".to_owned(),
        Ty::Str(s) => {
            let mut out = match s.format {
                Format::Plain => "z.string()".to_owned(),
                Format::Email => "z.email({ pattern: mizanEmailPattern })".to_owned(),
                Format::Uri => "z.string().check(mizanUrl)".to_owned(),
                Format::DateTime | Format::LocalDateTime | Format::Date | Format::Time | Format::Uuid => {
                    let (pattern, zod_format) = shared_format(s.format);
                    format!("z.string().check(mizanFormat({pattern}, \"{zod_format}\"))")
                }
                Format::IntString => "z.string().regex(/^-?[0-9]+$/u).check(mizanInt64)".to_owned(),
                Format::Ip => "z.string().regex(mizanIpPattern)".to_owned(),
                Format::Ipv4 => "z.string().regex(mizanIpv4Pattern)".to_owned(),
                Format::Ipv6 => "z.string().regex(mizanIpv6Pattern)".to_owned(),
            };
            // Id64's schema repeats its format's regex as a `pattern`: emit it once.
            let format_regex = (s.format == Format::IntString).then_some("/^-?[0-9]+$/u");
            if let Some(pattern) = s.pattern.as_ref().filter(|p| Some(p.as_str()) != format_regex) {
                out.push_str(&format!(".regex({pattern})"));
            }
            if s.min_chars.is_some() || s.max_chars.is_some() {
                let bound = |b: Option<u64>| b.map_or_else(|| "undefined".to_owned(), |n| n.to_string());
                out.push_str(&format!(".check(mizanChars({}, {}))", bound(s.min_chars), bound(s.max_chars)));
            }
            out
        }
        Ty::Num(Num::Int { min, max }) => match (*min, *max) {
            (-2_147_483_648, 2_147_483_647) => "z.int32()".to_owned(),
            (0, 4_294_967_295) => "z.uint32()".to_owned(),
            (min, max) => {
                let mut out = "z.int()".to_owned();
                #[allow(clippy::cast_precision_loss)]
                if (min as f64) > -MAX_SAFE {
                    out.push_str(&format!(".gte({min})"));
                }
                #[allow(clippy::cast_precision_loss)]
                if (max as f64) < MAX_SAFE {
                    out.push_str(&format!(".lte({max})"));
                }
                out
            }
        },
        Ty::Num(Num::Float { min, max, exclusive_min, exclusive_max, multiple_of }) => {
            let mut out = "z.number()".to_owned();
            for (method, bound) in [
                ("gte", min),
                ("gt", exclusive_min),
                ("lte", max),
                ("lt", exclusive_max),
                ("multipleOf", multiple_of),
            ] {
                if let Some(n) = bound {
                    out.push_str(&format!(".{method}({n})"));
                }
            }
            out
        }
        Ty::Lit(values) => match values.as_slice() {
            [one] => format!("z.literal({})", lit(one)),
            many if many.iter().all(|v| matches!(v, Lit::Str(_))) => {
                format!("z.enum([{}])", many.iter().map(lit).collect::<Vec<_>>().join(", "))
            }
            many => format!("z.literal([{}])", many.iter().map(lit).collect::<Vec<_>>().join(", ")),
        },
        Ty::Array(item, rules) => {
            let mut out = format!("z.array({})", zod(item, refs, level));
            if rules.min.is_some() || rules.max.is_some() {
                let bound = |b: Option<u64>| b.map_or_else(|| "undefined".to_owned(), |n| n.to_string());
                out.push_str(&format!(
                    ".superRefine(mizanItems({}, {}), mizanIfArray)",
                    bound(rules.min),
                    bound(rules.max)
                ));
            }
            out
        }
        Ty::Tuple(items, rest) => {
            let list = list(items.iter().map(|t| zod(t, refs, level + 1)).collect(), level);
            match rest {
                Some(rest) => format!("z.tuple({list}, {})", zod(rest, refs, level)),
                None => format!("z.tuple({list})"),
            }
        }
        Ty::Record(value, key) => {
            let key = match key {
                Some(pattern) => format!("z.string().regex({pattern})"),
                None => "z.string()".to_owned(),
            };
            format!("z.record({key}, {})", zod(value, refs, level))
        }
        Ty::Object(obj) => zod_object(obj, refs, level),
        Ty::Union(members) => {
            let (others, nullable) = Ty::split_null(members);
            let base = match others.as_slice() {
                [] => return "z.null()".to_owned(),
                [one] => zod(one, refs, level),
                many => {
                    let items = list(many.iter().map(|t| zod(t, refs, level + 1)).collect(), level);
                    let join = |parts: Vec<String>| parts.join(", ");
                    match Ty::selector(many) {
                        Some(Selector::Tag { name, values }) => {
                            let values = values
                                .iter()
                                .map(|v| format!("[{}]", join(v.iter().map(lit).collect())))
                                .collect();
                            format!("mizanUnion({items}, mizanTag({}, [{}]))", js_string(&name), join(values))
                        }
                        Some(Selector::Key(keys)) => {
                            let keys = keys
                                .iter()
                                .map(|k| k.as_deref().map_or_else(|| "null".to_owned(), js_string));
                            format!("mizanUnion({items}, mizanKey([{}]))", join(keys.collect()))
                        }
                        None => format!("mizanUnion({items})"),
                    }
                }
            };
            if nullable { format!("{base}.nullable()") } else { base }
        }
        Ty::Inter(members) => {
            let mut iter = members.iter();
            let first = iter.next().map_or_else(|| "z.unknown()".to_owned(), |t| zod(t, refs, level));
            iter.fold(first, |acc, t| format!("z.intersection({acc}, {})", zod(t, refs, level)))
        }
        Ty::Ref(name) => refs(name),
    }
}

/// A format whose one expression the server runs too: the pattern
/// constant `schemas.ts` defines for it and Zod's name of the format (for
/// its messages: "Invalid ISO datetime").
pub(crate) fn shared_format(format: Format) -> (&'static str, &'static str) {
    match format {
        Format::DateTime => ("mizanDateTimePattern", "datetime"),
        Format::LocalDateTime => ("mizanLocalDateTimePattern", "datetime"),
        Format::Date => ("mizanDatePattern", "date"),
        Format::Time => ("mizanTimePattern", "time"),
        _ => ("mizanUuidPattern", "uuid"),
    }
}

/// `[a, b]` on one line when short, one item per line otherwise.
fn list(items: Vec<String>, level: usize) -> String {
    let one_line = items.join(", ");
    if !one_line.contains('\n') && one_line.len() <= 80 {
        return format!("[{one_line}]");
    }
    let mut out = "[\n".to_owned();
    for item in items {
        out.push_str(&format!("{}{item},\n", pad(level + 1)));
    }
    out.push_str(&pad(level));
    out.push(']');
    out
}

/// `.optional()`, or `.prefault(DEFAULT)` when the server fills in a default
/// and then validates it: Zod checks the same value, so both sides agree.
fn optional_suffix(prop: &crate::schema::Prop) -> String {
    match (&prop.optional, &prop.default) {
        (false, _) => String::new(),
        (true, Some(default)) => format!(".prefault({default})"),
        (true, None) => ".optional()".to_owned(),
    }
}

fn zod_object(obj: &Obj, refs: &dyn Fn(&str) -> String, level: usize) -> String {
    let ctor = if obj.extra == Extra::Deny { "z.strictObject" } else { "z.object" };
    let mut out = if obj.props.is_empty() {
        format!("{ctor}({{}})")
    } else {
        let mut body = format!("{ctor}({{\n");
        for prop in &obj.props {
            body.push_str(&format!(
                "{}{}: {}{},\n",
                pad(level + 1),
                prop_key(&prop.name),
                zod(&prop.ty, refs, level + 1),
                optional_suffix(prop)
            ));
        }
        body.push_str(&pad(level));
        body.push_str("})");
        body
    };
    if let Extra::Schema(value) = &obj.extra {
        out.push_str(&format!(".catchall({})", zod(value, refs, level)));
    }
    out
}
