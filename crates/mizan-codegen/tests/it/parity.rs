//! Behavioural parity with the server: the generated Zod schemas run under
//! Bun (from the workspace's node_modules) and must accept and refuse
//! exactly what the Rust side does: garde's `email` rule, the `regex` crate
//! for `pattern`, and `chars().count()` for `minLength` / `maxLength`.
//!
//! Needs `npm ci` at the workspace root; set `MIZAN_SKIP_NODE_TESTS=1` to
//! skip on a machine without it.

use std::process::Command;

use garde::rules::email::Email;
use serde_json::{Map, json};

const PATTERNS: &[&str] = &[
    "^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "^a.c$",
    "^.+$",
    "colou?r",
    "^(?<y>[0-9]{4})-(?P<m>[0-9]{2})$",
    "^[^\\n]*$",
    "^\\p{Lu}\\p{Ll}+$",
    "^[\\u{e9}-\\x{ff}]+$",
    "a{2,3}?b",
    "^\\.\\*\\+$",
    "[\\-a]",
    "^[\\^x]$",
    "^$",
    "a|b|",
    "(?:ab)+c*",
    "\\u0041\\x42",
    "^[😀-😂]$",
    "^\\/path$",
    "é+",
    "^\\P{L}*$",
    "^[\\t\\n]+$",
    "^[-a-c]{2}$",
];

const PATTERN_INPUTS: &[&str] = &[
    "",
    "a",
    "abc",
    "a-b",
    "a--b",
    "-a",
    "A",
    "Ab",
    "aB",
    "a\nc",
    "a\rc",
    "a\u{2028}c",
    "abc\n",
    "\n",
    "é",
    "ÿé",
    "😀",
    "😁",
    "😃",
    "colour",
    "color",
    "2024-01",
    "aab",
    "aaab",
    ".*+",
    "-",
    "^",
    "x",
    "b",
    "abab c",
    "AB",
    "/path",
    "ééé",
    "123",
    "\t\n",
    "Éa",
    "bc",
    "ca",
];

const CHAR_INPUTS: &[&str] =
    &["", "a", "ab", "abc", "abcd", "😀", "😀😀", "😀😀😀", "😀😀😀😀", "e\u{301}", "e\u{301}e\u{301}", "👍🏽"];

fn emails() -> Vec<String> {
    let users: Vec<String> = [
        "a",
        "A.b",
        "!def!xyz%abc",
        "a+b",
        "a b",
        "a\"b",
        "",
        "é",
        "a..b",
        ".a",
        "a.",
        "{}|~`^",
        "a(b)",
        "a,b",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(["x".repeat(64), "x".repeat(65)])
    .collect();
    let long_label = "l".repeat(63);
    let mut domains: Vec<String> = [
        "example.com",
        "EXAMPLE.COM",
        "a",
        "a-b.c",
        "-a.com",
        "a-.com",
        "a_b.com",
        "xn--bcher-kva.example",
        "bücher.example",
        "example.com.",
        "",
        ".com",
        "a..com",
        "1.2.3.4",
        "[127.0.0.1]",
        "[256.0.0.1]",
        "[01.2.3.4]",
        "[0.0.0.0]",
        "[1.2.3]",
        "[1.2.3.4.5]",
        "[::1]",
        "[2001:dB8::1]",
        "[::]",
        "[1::]",
        "[1:2:3:4:5:6:7:8]",
        "[1:2:3:4:5:6:7:8:9]",
        "[1:2:3:4:5:6:7::]",
        "[::ffff:1.2.3.4]",
        "[1:2:3:4:5:6:1.2.3.4]",
        "[1:2:3:4:5:6:7:1.2.3.4]",
        "[1.2.3.4::]",
        "[::1.2.3.4:5]",
        "[fe80::1%eth0]",
        "[12345::]",
        "[0000:0::]",
        "[:1]",
        "[1:]",
        "[1:::2]",
        "[1::2::3]",
        "[IPv6:::1]",
        "[127.0.0.1",
        "127.0.0.1]",
        "[ 1.2.3.4]",
        "[::FFFF:255.255.255.255]",
        "[a@b]",
        "b@c",
        "a\nb.com",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    domains.push(format!("{long_label}.com"));
    domains.push(format!("{long_label}l.com"));
    let d255 = [long_label.as_str(); 4].join(".");
    domains.push(d255.clone());
    domains.push(format!("{d255}a"));
    domains.push(format!("a{}", &d255[1..]));
    // IPv6 shapes: h head groups, `::`, t tail groups, optional IPv4 tail.
    for h in 0..=8usize {
        for t in 0..=8usize {
            for v4 in [false, true] {
                let head: Vec<&str> = ["1"; 8][..h].to_vec();
                let mut tail: Vec<&str> = ["f"; 8][..t].to_vec();
                if v4 {
                    tail.push("9.8.7.6");
                }
                domains.push(format!("[{}::{}]", head.join(":"), tail.join(":")));
                let mut full: Vec<&str> = head.clone();
                full.extend(&tail);
                domains.push(format!("[{}]", full.join(":")));
            }
        }
    }
    let mut out: Vec<String> = Vec::new();
    for u in &users {
        for d in &domains {
            out.push(format!("{u}@{d}"));
        }
    }
    out.extend(["", "plain", "@", "a@", "@b.com", "a@b@c.com", "a@@b.com"].iter().map(|s| s.to_string()));
    out.sort();
    out.dedup();
    out
}

#[test]
fn generated_zod_matches_the_server_rules() {
    let root = crate::support::workspace_root();
    let bun = root.join("node_modules/.bin/bun");
    if !bun.exists() {
        if std::env::var_os("MIZAN_SKIP_NODE_TESTS").is_some() {
            eprintln!("skipped: {} not found", bun.display());
            return;
        }
        panic!(
            "{} not found: run `npm ci` at the workspace root (or set MIZAN_SKIP_NODE_TESTS=1)",
            bun.display()
        );
    }

    let mut props = Map::new();
    props.insert("email".into(), json!({ "type": "string", "format": "email" }));
    props.insert("s".into(), json!({ "type": "string", "minLength": 2, "maxLength": 3 }));
    for (i, p) in PATTERNS.iter().enumerate() {
        props.insert(format!("p{i}"), json!({ "type": "string", "pattern": p }));
    }
    let manifest = json!({
        "version": 1, "channels": [], "forms": [], "input_defs": {}, "output_defs": {},
        "functions": [{
            "name": "probe", "kind": "query", "auth": "public", "context": null, "invalidates": [],
            "doc": null, "args": [], "output": { "type": "null" },
            "input": { "type": "object", "properties": props, "additionalProperties": false }
        }]
    });
    let files = mizan_codegen::generate(&manifest).expect("generates");

    let mut cases: Vec<(String, String)> = Vec::new();
    let mut expected: Vec<String> = Vec::new();
    for e in emails() {
        expected.push(if e.as_str().validate_email().is_ok() { "ok" } else { "invalid_format" }.into());
        cases.push(("email".into(), e));
    }
    for (i, p) in PATTERNS.iter().enumerate() {
        let re = regex::Regex::new(p).expect("pattern compiles in Rust");
        for input in PATTERN_INPUTS {
            expected.push(if re.is_match(input) { "ok" } else { "invalid_format" }.into());
            cases.push((format!("p{i}"), (*input).into()));
        }
    }
    for input in CHAR_INPUTS {
        let n = input.chars().count();
        expected.push(
            match n {
                0 | 1 => "too_small",
                2 | 3 => "ok",
                _ => "too_big",
            }
            .into(),
        );
        cases.push(("s".into(), (*input).into()));
    }

    let dir = root.join("target").join(format!("mizan-codegen-parity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    mizan_codegen::write(&dir.join("gen"), &files).expect("written");
    std::fs::write(dir.join("cases.json"), serde_json::to_string(&cases).expect("json")).expect("written");
    std::fs::write(
        dir.join("run.ts"),
        r#"import { readFileSync } from "node:fs";
import { ProbeInputSchema } from "./gen/schemas";
const cases: [string, string][] = JSON.parse(readFileSync(process.argv[2]!, "utf8"));
const out = cases.map(([field, value]) => {
  const r = ProbeInputSchema.safeParse({ [field]: value });
  return r.success ? "ok" : r.error.issues.map((i) => i.code).join(",");
});
console.log(JSON.stringify(out));
"#,
    )
    .expect("written");
    let output = Command::new(&bun)
        .arg(dir.join("run.ts"))
        .arg(dir.join("cases.json"))
        .current_dir(&dir)
        .output()
        .expect("bun runs");
    assert!(output.status.success(), "bun failed: {}", String::from_utf8_lossy(&output.stderr));
    let actual: Vec<String> = serde_json::from_slice(&output.stdout).expect("runner prints JSON");
    let _ = std::fs::remove_dir_all(&dir);

    assert_eq!(actual.len(), cases.len());
    let mismatches: Vec<String> = cases
        .iter()
        .zip(expected.iter().zip(&actual))
        .filter(|(_, (e, a))| e != a)
        .map(|((field, value), (e, a))| format!("{field} {value:?}: Rust {e}, generated Zod {a}"))
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
    let accepted = expected.iter().filter(|e| *e == "ok").count();
    eprintln!("{} cases agree ({accepted} accepted by both)", cases.len());
}
