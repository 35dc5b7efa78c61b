//! The cases: each rule at its boundaries, per function of [`super::app`].

use std::collections::BTreeSet;

use serde_json::{Value, json};

/// What a case is expected to show.
#[derive(Clone, Copy)]
pub(super) enum Expect {
    /// Verdicts, paths and (mapped) codes agree.
    Agree,
    /// Not a JSON object: 400 `BAD_REQUEST` on the server, refused by Zod.
    NotAnObject,
    /// A documented divergence; both sides are asserted exactly.
    Diverges(Divergence),
}

/// A difference the two sides cannot avoid, with what each side says
/// (rendered as by [`render`]).
#[derive(Clone, Copy)]
pub(super) struct Divergence {
    pub(super) server: &'static str,
    pub(super) zod: &'static str,
    pub(super) why: &'static str,
}

/// A JSON number with a fraction or exponent where an integer is expected:
/// serde refuses it, `JSON.parse` makes it the same number as the integer.
/// A JS client never sends it (`JSON.stringify(1)` is `1`).
const FLOAT_SPELLING: &str =
    "a JSON float spelling of an integer: serde refuses it, JSON.parse cannot tell it apart";

/// `"\ud83d"` is valid JSON for JavaScript but not for serde_json: a lone
/// surrogate cannot be a Rust string, so the server refuses the body.
const LONE_SURROGATE: &str = "a lone surrogate: serde_json refuses the body, a JS string holds it";

pub(super) struct Case {
    pub(super) func: &'static str,
    pub(super) label: String,
    pub(super) body: String,
    pub(super) expect: Expect,
}

pub(super) struct Cases(Vec<Case>);

impl Cases {
    fn add(&mut self, func: &'static str, label: impl Into<String>, args: Value) {
        self.add_raw(func, label, args.to_string(), Expect::Agree);
    }

    fn add_raw(&mut self, func: &'static str, label: impl Into<String>, body: String, expect: Expect) {
        self.0.push(Case { func, label: label.into(), body, expect });
    }

    /// `base` with `key` set to `value` (for each value).
    fn field(&mut self, func: &'static str, base: &Value, key: &str, values: &[Value]) {
        for v in values {
            let mut args = base.clone();
            args[key] = v.clone();
            self.add(func, format!("{key} = {}", short(v)), args);
        }
    }

    /// `base` without `key`.
    fn missing(&mut self, func: &'static str, base: &Value, key: &str) {
        let mut args = base.clone();
        if let Some(obj) = args.as_object_mut() {
            obj.remove(key);
        }
        self.add(func, format!("{key} missing"), args);
    }
}

/// A value for a case label: invisible characters escaped, long ones cut.
pub(super) fn short(v: &Value) -> String {
    let s = visible(&v.to_string());
    let n = s.chars().count();
    if n > 40 { format!("{}… ({n} chars)", s.chars().take(30).collect::<String>()) } else { s }
}

/// `text` with controls, non-ASCII spaces, format characters and
/// combining marks written as `\u{…}`, so reports show what was sent.
pub(super) fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mark_or_format = matches!(
                c,
                '\u{ad}'
                    | '\u{300}'..='\u{36f}'
                    | '\u{200b}'..='\u{200f}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{fe00}'..='\u{fe0f}'
                    | '\u{feff}'
            );
            let invisible = (c.is_whitespace() && c != ' ') || c.is_control() || mark_or_format;
            if invisible { format!("\\u{{{:x}}}", u32::from(c)) } else { c.to_string() }
        })
        .collect()
}

/// Strings of `n` code points built from units of one or more code points
/// each: ASCII, two-byte, three-byte, astral (two UTF-16 units), a lone
/// combining mark, a base with a combining mark (two code points, one
/// grapheme), a skin-tone emoji (two code points) and a ZWJ family (five).
pub(super) fn strings_of(n: usize) -> Vec<String> {
    let units = ["a", "é", "中", "😀", "\u{301}", "e\u{301}", "👍🏽", "👨\u{200d}👩\u{200d}👧"];
    let mut out = Vec::new();
    for unit in units {
        let len = unit.chars().count();
        if n == 0 {
            out.push(String::new());
            break;
        }
        if n.is_multiple_of(len) {
            out.push(unit.repeat(n / len));
        } else if n > len {
            // Fill the rest with a character of a different width.
            out.push(format!("{}{}", unit.repeat(n / len), "x".repeat(n % len)));
        }
    }
    // Mixed widths: a BMP char then astral ones.
    if n >= 1 {
        out.push(format!("é{}", "😀".repeat(n - 1)));
    }
    let mut seen = BTreeSet::new();
    out.retain(|s| seen.insert(s.clone()));
    out
}

/// `min − 1, min, max, max + 1` in code points for each kind of string.
pub(super) fn lengths(min: Option<usize>, max: Option<usize>) -> Vec<Value> {
    let mut ns = Vec::new();
    if let Some(min) = min {
        if min > 0 {
            ns.push(min - 1);
        }
        ns.push(min);
    }
    if let Some(max) = max {
        ns.push(max);
        ns.push(max + 1);
    }
    ns.into_iter().flat_map(strings_of).map(Value::String).collect()
}

pub(super) fn cases() -> Vec<Case> {
    let mut c = Cases(Vec::new());

    // --- a form (survey.submit) -------------------------------------------
    let base = json!({"fullName": "abc", "contactEmail": "a@b.co", "rating": 5});
    c.add("survey.submit", "base", base.clone());
    c.field("survey.submit", &base, "fullName", &lengths(Some(2), Some(5)));
    c.field(
        "survey.submit",
        &base,
        "contactEmail",
        &[json!("a@b"), json!("@b.co"), json!("a b@c.d"), json!(1)],
    );
    c.field(
        "survey.submit",
        &base,
        "rating",
        &[json!(0), json!(1), json!(10), json!(11), json!(256), json!("5")],
    );
    c.field("survey.submit", &base, "note", &lengths(None, Some(3)));
    c.field("survey.submit", &base, "note", &[json!(null)]);
    c.missing("survey.submit", &base, "contactEmail");
    c.add(
        "survey.submit",
        "a Rust field name is an unknown key",
        json!({"full_name": "abc", "contactEmail": "a@b.co", "rating": 5}),
    );
    c.add(
        "survey.submit",
        "every rule broken",
        json!({"fullName": "a", "contactEmail": "x", "rating": 0, "note": "long"}),
    );

    // --- strings ---------------------------------------------------------
    let base = json!({"name": "abc"});
    c.add("strings", "base", base.clone());
    c.field("strings", &base, "name", &lengths(Some(2), Some(5)));
    c.field("strings", &base, "bio", &lengths(None, Some(8)));
    c.field("strings", &base, "tag", &lengths(None, Some(3)));
    c.field("strings", &base, "name", &[json!(""), json!(null), json!(5), json!(true), json!([]), json!({})]);
    c.field("strings", &base, "bio", &[json!(null), json!(""), json!(1), json!(["a"])]);
    c.field("strings", &base, "tag", &[json!(null), json!(""), json!(false)]);
    c.missing("strings", &base, "name");
    c.add("strings", "only optional fields", json!({"bio": "x", "tag": "y"}));
    c.add("strings", "all three break a rule", json!({"name": "a", "bio": "123456789", "tag": "abcd"}));
    c.add("strings", "type error and rule errors", json!({"name": 1, "bio": "123456789", "tag": "abcd"}));
    c.add("strings", "NUL and BOM count as code points", json!({"name": "\u{0}\u{feff}"}));
    c.add(
        "strings",
        "six code points of one grapheme",
        json!({"name": "e\u{301}\u{302}\u{303}\u{304}\u{305}"}),
    );
    c.add("strings", "unknown key", json!({"name": "abc", "nmae": "abc"}));
    c.add("strings", "two unknown keys", json!({"name": "abc", "x": 1, "y": 2}));
    c.add("strings", "unknown key and a broken rule", json!({"name": "a", "extra": 1}));
    c.add("strings", "unknown key first, then a type error", json!({"extra": 1, "name": 2}));
    c.add("strings", "case matters in keys", json!({"Name": "abc"}));
    c.add("strings", "empty object", json!({}));
    for body in ["[]", "\"name\"", "null", "1", "[{\"name\":\"abc\"}]"] {
        c.add_raw("strings", format!("body {body}"), body.to_owned(), Expect::NotAnObject);
    }
    c.add_raw(
        "strings",
        "lone surrogate in a string",
        r#"{"name":"ab\ud83d"}"#.to_owned(),
        Expect::Diverges(Divergence { server: "BAD_REQUEST", zod: "ok", why: LONE_SURROGATE }),
    );

    // --- numbers ---------------------------------------------------------
    let base = json!({"qty": 5, "ratio": 1.5, "delta": 0, "level": 7, "count": 7});
    c.add("numbers", "base", base.clone());
    c.field("numbers", &base, "qty", &[json!(0), json!(1), json!(10), json!(11), json!(-1)]);
    c.field(
        "numbers",
        &base,
        "qty",
        &[json!(2_147_483_647), json!(2_147_483_648_i64), json!(-2_147_483_649_i64)],
    );
    c.field("numbers", &base, "qty", &[json!(1.5), json!("5"), json!(null), json!(true), json!([5])]);
    c.field(
        "numbers",
        &base,
        "ratio",
        &[
            json!(0.499_999_999_999_999_94),
            json!(0.5),
            json!(2.5),
            json!(2.500_000_000_000_000_4),
            json!(0),
            json!(1),
            json!(3),
            json!(-1e308),
            json!(1e308),
            json!(5e-324),
            json!("1.5"),
            json!(null),
        ],
    );
    c.field(
        "numbers",
        &base,
        "delta",
        &[
            json!(-1001),
            json!(-1000),
            json!(1000),
            json!(1001),
            json!(9_007_199_254_740_993_i64),
            json!(i64::MIN),
            json!(9_223_372_036_854_775_808_u64),
        ],
    );
    c.field("numbers", &base, "level", &[json!(0), json!(255), json!(256), json!(-1)]);
    c.field(
        "numbers",
        &base,
        "count",
        &[json!(0), json!(4_294_967_295_u64), json!(4_294_967_296_u64), json!(-1)],
    );
    c.field("numbers", &base, "page", &[json!(0), json!(100), json!(101), json!(-1), json!(null)]);
    c.missing("numbers", &base, "page");
    c.field(
        "numbers",
        &base,
        "offset",
        &[json!(-6), json!(-5), json!(5), json!(6), json!(null), json!(40_000), json!("1")],
    );
    c.missing("numbers", &base, "offset");
    for key in ["qty", "ratio", "delta", "level", "count"] {
        c.missing("numbers", &base, key);
    }
    c.add(
        "numbers",
        "every range broken",
        json!({"qty": 0, "ratio": 3, "delta": 1001, "level": 0, "count": 0, "page": 101, "offset": -6}),
    );
    c.add("numbers", "everything missing", json!({}));
    for (key, text) in [("qty", "5.0"), ("qty", "5e0"), ("level", "1E2"), ("page", "-0.0")] {
        let mut body = base.clone();
        body[key] = json!(0);
        let body = body.to_string().replace(&format!("\"{key}\":0"), &format!("\"{key}\":{text}"));
        c.add_raw(
            "numbers",
            format!("{key} spelled {text}"),
            body,
            Expect::Diverges(Divergence {
                server: match key {
                    "qty" => "invalid_type@qty",
                    "level" => "invalid_type@level",
                    _ => "invalid_type@page",
                },
                zod: "ok",
                why: FLOAT_SPELLING,
            }),
        );
    }
    // Past its range, a float spelling is judged by the contract first: too big on both sides.
    c.add_raw(
        "numbers",
        "delta spelled 1e19",
        base.to_string().replace("\"delta\":0", "\"delta\":1e19"),
        Expect::Agree,
    );

    // --- formats ---------------------------------------------------------
    let base = json!({
        "email": "a@example.com", "site": "https://example.com", "code": "AB-123",
        "word": "Élan", "mood": "😀", "dotted": "abc"
    });
    c.add("formats", "base", base.clone());
    let long_user = format!("{}@example.com", "x".repeat(64));
    let too_long_user = format!("{}@example.com", "x".repeat(65));
    let label63 = "l".repeat(63);
    let emails = [
        "first.last+tag@sub.example.co",
        "!#$%&'*+/=?^_`{|}~-@example.com",
        "a@b",
        "a@[127.0.0.1]",
        "a@[::1]",
        "a@[::ffff:1.2.3.4]",
        "a@[256.0.0.1]",
        "a@[01.2.3.4]",
        "a@[fe80::1%eth0]",
        "",
        "plain",
        "a@",
        "@b.com",
        "a@@b.com",
        "a@b@c.com",
        "a b@c.com",
        "a\"b@c.com",
        "é@example.com",
        "a@bücher.example",
        "a@xn--bcher-kva.example",
        "a@-a.com",
        "a@a-.com",
        "a@a_b.com",
        "a@a..com",
        "a@.com",
        "a@example.com.",
        "A@EXAMPLE.COM",
        " a@example.com",
        "a@example.com\n",
    ];
    let mut email_values: Vec<Value> = emails.iter().map(|e| json!(e)).collect();
    email_values.extend([
        json!(long_user),
        json!(too_long_user),
        json!(format!("a@{label63}.com")),
        json!(format!("a@{label63}l.com")),
        json!(format!("a@{}", [label63.as_str(); 4].join("."))),
        json!(format!("a@{}a", [label63.as_str(); 4].join("."))),
    ]);
    c.field("formats", &base, "email", &email_values);
    let urls = [
        "http://localhost:8000/p?q=1#f",
        "https://user:pw@example.com/",
        "mailto:a@b.com",
        "file:///etc/hosts",
        "urn:isbn:0451450523",
        "javascript:alert(1)",
        "a:",
        "https://例え.jp/パス",
        "https://[::1]:8080/",
        "https://1.2.3.4/",
        "http://%41.com",
        "https://example.com:65535",
        "https://example.com:65536",
        "https://300.1.1.1/",
        "http://[1::2::3]/",
        "http://ex%00ample.com",
        "http://exa mple.com",
        "http://exa\tmple.com",
        "http://",
        "https://",
        "//example.com",
        "example.com",
        "/relative",
        "1http://x",
        "",
        // Edges: the URL parser strips C0 controls and spaces only.
        " https://example.com ",
        "\u{1}https://example.com",
        "https://example.com/\u{a0}",
        // Zod's own `z.url()` would trim every Unicode space and U+FEFF
        // first and accept these; the generated `URL.canParse` and the
        // server's `url::Url::parse` both refuse them.
        "\u{a0}https://example.com",
        " \u{a0}https://example.com",
        "https://example.com\u{a0}",
        "\u{3000}https://example.com",
        "\u{feff}https://example.com",
        "https://xn--a.com",
        "https://ex_ample.com",
        "http:example.com",
        "https:/example.com",
        // IPv4 shorthands and IDNA, where two WHATWG parsers could differ.
        "http://1.2.3/",
        "http://0x7f.1/",
        "http://999999999999/",
        "https://a.b.c.1/",
        "http://[::1",
        "https://%zz.com/",
        "http://ＥＸＡＭＰＬＥ.com/",
        "https://-x.com/",
        "https://a..b/",
        "http://ß.de/",
        "http://\u{200b}.com/",
        "http://\u{2100}.com/",
        "http://a\u{ad}b.com/",
        "https://xn--/",
        "https://xn--ls8h.la/",
        "https://💩.la/",
    ];
    c.field("formats", &base, "site", &urls.iter().map(|u| json!(u)).collect::<Vec<_>>());
    let codes = [
        "AB-123",
        "AB-12",
        "AB-1234",
        "ab-123",
        "AB123",
        "AB-123\n",
        "\nAB-123",
        "ＡＢ-123",
        "AB-１２３",
        "",
    ];
    c.field("formats", &base, "code", &codes.iter().map(|s| json!(s)).collect::<Vec<_>>());
    let words = ["Élan", "Ab", "ÖÖÖ", "Öa", "élan", "A", "Zürich", "Zoë", "ELAN", "Ä\u{308}a", "Ab\n"];
    c.field("formats", &base, "word", &words.iter().map(|s| json!(s)).collect::<Vec<_>>());
    let moods = ["😀", "😂", "😀😂", "😁😁", "😃", "😀😀😀", "", "😀 ", "\u{1f600}\u{fe0f}"];
    c.field("formats", &base, "mood", &moods.iter().map(|s| json!(s)).collect::<Vec<_>>());
    let dotted =
        ["abc", "a\rc", "a\u{2028}c", "a\u{2029}c", "a😀c", "a\nc", "ac", "abbc", "a\u{301}c", "a\u{0}c"];
    c.field("formats", &base, "dotted", &dotted.iter().map(|s| json!(s)).collect::<Vec<_>>());
    c.add(
        "formats",
        "every format broken",
        json!({"email": "x", "site": "x", "code": "x", "word": "x", "mood": "x", "dotted": "x"}),
    );
    for key in ["email", "site", "code"] {
        c.missing("formats", &base, key);
    }
    c.field("formats", &base, "email", &[json!(null), json!(1)]);

    // --- order (nested, Vec, Id64) ----------------------------------------
    let item = |name: &str| json!({"fullName": name, "qty": 1, "unitPrice": 9.5});
    let base = json!({"items": [item("Ann")], "owner": "42"});
    c.add("order", "base", base.clone());
    for n in [0usize, 1, 3, 4] {
        let items: Vec<Value> = (0..n).map(|_| item("Ann")).collect();
        c.field("order", &base, "items", &[json!(items)]);
    }
    for name in lengths(Some(2), Some(5)) {
        let mut args = base.clone();
        args["items"] = json!([item("Bob"), {"fullName": name, "qty": 1, "unitPrice": 1}]);
        c.add("order", format!("items.1.fullName = {}", short(&name)), args);
    }
    for (key, v) in [
        ("qty", json!(0)),
        ("qty", json!(1)),
        ("qty", json!(10)),
        ("qty", json!(11)),
        ("qty", json!(-1)),
        ("qty", json!("1")),
        ("unitPrice", json!(-0.01)),
        ("unitPrice", json!(0)),
        ("unitPrice", json!(1000)),
        ("unitPrice", json!(1_000.000_000_000_1)),
        ("contactEmail", json!(null)),
        ("contactEmail", json!("ann@example.com")),
        ("contactEmail", json!("ann@")),
        ("contactEmail", json!(7)),
        ("address", json!(null)),
        ("address", json!({"streetName": "Elm", "postalCode": "12345"})),
        ("address", json!({"streetName": "", "postalCode": "1234"})),
        ("address", json!({"streetName": "😀😀😀", "postalCode": "12345"})),
        ("address", json!({"streetName": "😀😀😀😀", "postalCode": "123456"})),
        ("address", json!({"streetName": "Elm"})),
        ("address", json!({"streetName": "Elm", "postalCode": "12345", "zip": "1"})),
        ("address", json!({"street_name": "Elm", "postalCode": "12345"})),
        ("address", json!({"streetName": "Elm", "postalCode": 12345})),
        ("address", json!("Elm 1")),
        ("colour", json!("red")),
        ("full_name", json!("Ann")),
    ] {
        let mut args = base.clone();
        let mut one = item("Ann");
        one[key] = v.clone();
        args["items"] = json!([item("Bob"), one]);
        c.add("order", format!("items.1.{key} = {}", short(&v)), args);
    }
    for key in ["fullName", "qty", "unitPrice"] {
        let mut args = base.clone();
        let mut one = item("Ann");
        if let Some(obj) = one.as_object_mut() {
            obj.remove(key);
        }
        args["items"] = json!([one]);
        c.add("order", format!("items.0.{key} missing"), args);
    }
    c.add(
        "order",
        "several items break rules",
        json!({"items": [
            {"fullName": "A", "qty": 0, "unitPrice": 1},
            {"fullName": "Bob", "qty": 1, "unitPrice": 1},
            {"fullName": "Carolyn", "qty": 11, "unitPrice": -1, "contactEmail": "c@",
             "address": {"streetName": "Long", "postalCode": "x"}}
        ], "owner": "1", "tags": ["a", "b", "c"]}),
    );
    c.add(
        "order",
        "too many items, one of them broken",
        json!({"items": [item("A"), item("Bob"), item("Cy"), item("Dee")], "owner": "1"}),
    );
    c.add(
        "order",
        "too many items, all valid, and a type error",
        json!({"items": [item("Al"), item("Bob"), item("Cy"), item("Dee")], "owner": 1}),
    );
    c.field("order", &base, "items", &[json!({}), json!("x"), json!(null), json!(["x"]), json!([null])]);
    c.field(
        "order",
        &base,
        "owner",
        &[
            json!("0"),
            json!("-7"),
            json!("-0"),
            json!("007"),
            json!("9223372036854775807"),
            json!("-9223372036854775808"),
            json!("9007199254740993"),
            json!("abc"),
            json!(""),
            json!("-"),
            json!("1.5"),
            json!("1e3"),
            json!(" 1"),
            json!("+1"),
            json!("１２"),
            json!(42),
            json!(null),
        ],
    );
    // Past the i64 range: `invalid_format` on both sides (the contract's
    // `int64-string` range, the generated `mizanInt64`).
    c.field("order", &base, "owner", &[json!("9223372036854775808"), json!("-9223372036854775809")]);
    c.field(
        "order",
        &base,
        "tags",
        &[json!([]), json!(["a", "b"]), json!(["a", "b", "c"]), json!(null), json!([1]), json!("a")],
    );
    c.missing("order", &base, "items");
    c.missing("order", &base, "owner");
    c.missing("order", &base, "tags");
    c.add("order", "everything missing", json!({}));
    c.add("order", "unknown key", json!({"items": [item("Ann")], "owner": "1", "note": "hi"}));

    // --- team: an array under its minimum with a broken element ---------------
    c.add("team", "two valid", json!({"crew": [item("Al"), item("Bo")]}));
    c.add("team", "one valid", json!({"crew": [item("Al")]}));
    c.add("team", "one, with a bad qty", json!({"crew": [{"fullName": "Al", "qty": 0, "unitPrice": 1}]}));
    c.add("team", "one, with a short name", json!({"crew": [item("A")]}));
    c.add("team", "one, with a long name", json!({"crew": [item("Alexander")]}));
    c.add(
        "team",
        "one, with a bad postal code",
        json!({"crew": [{
            "fullName": "Al", "qty": 1, "unitPrice": 1,
            "address": {"streetName": "E", "postalCode": "x"}
        }]}),
    );
    c.add(
        "team",
        "one, with a bad email",
        json!({"crew": [{"fullName": "Al", "qty": 1, "unitPrice": 1, "contactEmail": "x"}]}),
    );

    // --- defaults that break their own rule ------------------------------------
    // A default that breaks its own rule: the server judges the default it
    // fills in, the generated `.prefault(default)` the same value.
    c.add("defaults", "all given", json!({"page": 1, "label": "x"}));
    c.add("defaults", "page missing", json!({"label": "x"}));
    c.add("defaults", "label missing", json!({"page": 1}));
    c.add("defaults", "both missing", json!({}));

    // --- contacts: nested structs without `dive`, in a Vec, an Option, a map --
    let contact = json!({"email": "a@b.co", "nick": "ab"});
    let base = json!({"contact": contact});
    c.add("contacts", "base", base.clone());
    let with = |key: &str, v: Value| {
        let mut one = contact.clone();
        one[key] = v;
        json!({"contact": one})
    };
    for (key, v) in [
        ("email", json!("bad")),
        ("email", json!("a@")),
        ("email", json!(1)),
        ("nick", json!("ééé")),
        ("nick", json!("😀😀😀")),
        ("nick", json!("éééé")),
        ("promo", json!("é")),
        ("promo", json!("éé")),
        ("promo", json!("ééééé")),
        ("promo", json!(null)),
        ("promo_code", json!("abc")),
        ("tags", json!(["ééé", "😀"])),
        ("tags", json!(["ab", "éééé"])),
        ("tags", json!("ééé")),
        ("extra", json!(1)),
    ] {
        c.add("contacts", format!("contact.{key} = {}", short(&v)), with(key, v));
    }
    c.add("contacts", "contact.email missing", json!({"contact": {"nick": "ab"}}));
    c.add("contacts", "contact is a string", json!({"contact": "a@b.co"}));
    c.add("contacts", "contact missing", json!({}));
    let bad = json!({"email": "bad", "nick": "éééé"});
    c.add("contacts", "others.1 broken", json!({"contact": contact, "others": [contact, bad]}));
    c.add("contacts", "backup null", json!({"contact": contact, "backup": null}));
    c.add("contacts", "backup broken", json!({"contact": contact, "backup": bad}));
    c.add("contacts", "by_name.x broken", json!({"contact": contact, "by_name": {"x": bad, "y": contact}}));
    c.add("contacts", "by_name not a map", json!({"contact": contact, "by_name": [contact]}));

    // --- enums: the four serde representations ------------------------------
    let base = json!({"pay": "Free", "shape": {"kind": "dot"}, "event": {"t": "Quit"},
                      "reach": {"mail": "a@b.co", "name": "x"}});
    c.add("enums", "base", base.clone());
    c.field(
        "enums",
        &base,
        "pay",
        &[
            json!({"Card": {"last4": "1234"}}),
            json!({"Card": {"last4": "123"}}),
            json!({"Card": {"last4": "1234", "x": 1}}),
            json!({"Card": {}}),
            json!({"Cash": 5}),
            json!({"Cash": 0}),
            json!({"Cash": "5"}),
            json!("Nope"),
            json!({"Bank": 1}),
            json!({"Card": {"last4": "1234"}, "Cash": 1}),
            json!({}),
            json!(null),
            json!(7),
        ],
    );
    c.field(
        "enums",
        &base,
        "shape",
        &[
            json!({"kind": "circle", "radius": 1.5}),
            json!({"kind": "circle", "radius": -1}),
            json!({"kind": "circle"}),
            json!({"kind": "square", "side": 11}),
            json!({"kind": "square", "side": 300}),
            json!({"kind": "hex"}),
            json!({"kind": "dot", "x": 1}),
            json!({}),
            json!("dot"),
        ],
    );
    c.field(
        "enums",
        &base,
        "event",
        &[
            json!({"t": "Say", "c": "ééééé"}),
            json!({"t": "Say", "c": ""}),
            json!({"t": "Say", "c": "éééééé"}),
            json!({"t": "Say"}),
            json!({"t": "Move", "c": {"x": 101}}),
            json!({"t": "Move", "c": {"x": 1, "y": 2}}),
            json!({"t": "Quit", "c": 1}),
            json!({"t": "Nope"}),
            json!({"c": "x"}),
        ],
    );
    c.field(
        "enums",
        &base,
        "reach",
        &[
            json!({"phone": "123", "name": "x"}),
            json!({"mail": "bad", "name": "x"}),
            json!({"phone": "12", "name": "x"}),
            json!({"mail": "a@b.co", "name": "x", "extra": 1}),
            json!({"mail": "a@b.co"}),
            json!("a@b.co"),
        ],
    );
    c.add("enums", "every enum matches nothing", json!({"pay": 1, "shape": 1, "event": 1, "reach": 1}));

    // --- post: flatten under rename_all --------------------------------------
    let post = json!({"author": "ann", "titleText": "Hi", "format": "text", "text": "hello"});
    c.add("publish", "base", json!({"post": post}));
    let with = |key: &str, v: Option<Value>| {
        let mut one = post.clone();
        match v {
            Some(v) => one[key] = v,
            None => {
                one.as_object_mut().map(|o| o.remove(key));
            }
        }
        json!({"post": one})
    };
    for (key, v) in [
        ("author", Some(json!("ééééé"))),
        ("author", Some(json!("éééééé"))),
        ("author", None),
        ("draft", Some(json!(true))),
        ("draft", Some(json!("yes"))),
        ("titleText", Some(json!(""))),
        ("titleText", None),
        ("title_text", Some(json!("Hi"))),
        ("text", Some(json!("ééééééééééé"))),
        ("format", Some(json!("video"))),
        ("format", None),
        ("extra", Some(json!(1))),
    ] {
        let label = format!("post.{key} = {}", v.as_ref().map_or_else(|| "missing".to_owned(), short));
        c.add("publish", label, with(key, v));
    }
    let link = json!({"author": "ann", "titleText": "Hi", "format": "link", "url": "https://x.dev"});
    c.add("publish", "a link", json!({"post": link}));
    let mut bad_link = link.clone();
    bad_link["url"] = json!("nope");
    c.add("publish", "a link that is no URL", json!({"post": bad_link}));
    let mut mixed = link;
    mixed["text"] = json!("hi");
    c.add("publish", "a link with a text", json!({"post": mixed}));

    // --- measure: f32 ---------------------------------------------------------
    let base = json!({"ratio": 1.5, "weight": 2});
    c.add("measure", "base", base.clone());
    c.field(
        "measure",
        &base,
        "ratio",
        &[
            json!(3.4e38),
            json!(3.5e38),
            json!(-3.5e38),
            json!(1e39),
            json!(f64::MAX),
            json!(-0.0),
            json!("1"),
        ],
    );
    c.field("measure", &base, "weight", &[json!(0), json!(-1), json!(3.5e38)]);

    // --- ping --------------------------------------------------------------
    c.add("ping", "empty", json!({}));
    c.add("ping", "unknown key", json!({"a": 1}));
    c.add("ping", "two unknown keys", json!({"a": 1, "b": null}));
    c.add_raw("ping", "body []", "[]".to_owned(), Expect::NotAnObject);

    c.0
}
