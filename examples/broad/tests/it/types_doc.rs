//! `docs/types.md` is kept true by this test: its generated blocks (between
//! `<!-- generated: NAME -->` and `<!-- end: NAME -->`) are made here from
//! the broad app's source and its committed generated client, and must be
//! what the page holds. `MIZAN_BLESS=1` rewrites them.
//!
//! - `catalog`: one row per field of `broad::catalog::Catalog`: the Rust
//!   type (with its garde rule, if any), the TypeScript and the Zod codegen
//!   writes for it, and the field's doc comment.
//! - `enums`, `generics`: each enum representation and the generic struct:
//!   the Rust item, then its TypeScript and Zod.
//! - `rules`: one row per field of `broad::rules::Rules`: the garde rule,
//!   the Zod it becomes, and who enforces it: "schema" when the rule
//!   reached the schema (its Zod differs from that of the same Rust type
//!   without a rule, in `Catalog`), "server only" otherwise.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use quote::ToTokens;

/// A struct's field as the source writes it.
struct Field {
    name: String,
    ty: String,
    garde: Option<String>,
    serde: Option<String>,
    doc: String,
}

/// Token text as Rust is written: `HashMap<String, u32>`, `length(chars, min = 2)`.
fn tidy(tokens: &str) -> String {
    let mut s = tokens.to_owned();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        (" ;", ";"),
        ("( ", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
        (" (", "("),
        (" :: ", "::"),
        ("= - ", "= -"),
        ("& ", "&"),
    ] {
        s = s.replace(from, to);
    }
    s
}

fn fields(source: &str, name: &str) -> Vec<Field> {
    let file = syn::parse_file(source).expect("the source parses");
    let item = file
        .items
        .iter()
        .find_map(|i| match i {
            syn::Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct {name}"));
    item.fields
        .iter()
        .map(|f| {
            let mut doc = Vec::new();
            let mut garde = None;
            let mut serde = None;
            for attr in &f.attrs {
                if attr.path().is_ident("serde")
                    && let syn::Meta::List(list) = &attr.meta
                {
                    serde = Some(tidy(&list.tokens.to_string()));
                }
                if attr.path().is_ident("doc")
                    && let syn::Meta::NameValue(nv) = &attr.meta
                    && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value
                {
                    doc.push(s.value().trim().to_owned());
                }
                if attr.path().is_ident("garde")
                    && let syn::Meta::List(list) = &attr.meta
                {
                    garde = Some(tidy(&list.tokens.to_string()));
                }
            }
            Field {
                name: f.ident.as_ref().expect("a named field").to_string(),
                ty: tidy(&f.ty.to_token_stream().to_string()),
                garde: garde.filter(|g| g != "skip"),
                serde,
                doc: doc.join(" "),
            }
        })
        .collect()
}

/// The lines of the statement that starts with `start` (brackets balanced,
/// JSDoc lines left out).
fn statement(file: &str, start: &str) -> String {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut started = false;
    for line in file.lines() {
        if !started {
            if !line.starts_with(start) {
                continue;
            }
            started = true;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("/**") || trimmed.starts_with("* ") || trimmed.starts_with("*/") {
            continue;
        }
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                '{' | '[' | '(' if !quoted => depth += 1,
                '}' | ']' | ')' if !quoted => depth -= 1,
                _ => {}
            }
        }
        out.push(line);
        if depth == 0 && (line.ends_with(';') || line == "}") {
            return out.join("\n");
        }
    }
    panic!("no statement starting with {start:?}")
}

/// The properties of an interface (`types.ts`) or a schema object
/// (`schemas.ts`), one line each: name → (the text after the name, `?` or not).
fn members(block: &str) -> BTreeMap<String, (String, bool)> {
    block
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| {
            let l = l.trim();
            let (name, rest) = l.split_once(':')?;
            let optional = name.ends_with('?');
            let rest = rest.trim().trim_end_matches([';', ',']);
            Some((name.trim_end_matches('?').trim_matches('"').to_owned(), (rest.to_owned(), optional)))
        })
        .collect()
}

/// The Rust item `pub enum NAME` / `pub struct NAME…` with its attributes
/// (its doc comment left to the page's prose).
fn rust_item(source: &str, name: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let at = lines
        .iter()
        .position(|l| {
            l.starts_with(&format!("pub enum {name} ")) || l.starts_with(&format!("pub struct {name}<"))
        })
        .unwrap_or_else(|| panic!("no item {name}"));
    let first = (0..at).rev().take_while(|&i| lines[i].starts_with("#[")).last().unwrap_or(at);
    let end = (at..lines.len()).find(|&i| lines[i] == "}").expect("the item's end");
    lines[first..=end].join("\n")
}

fn cell(text: &str) -> String {
    format!("`{}`", text.replace('|', "\\|"))
}

fn blocks(root: &Path) -> Vec<(&'static str, String)> {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let types = read("examples/broad/frontend/generated/types.ts");
    let schemas = read("examples/broad/frontend/generated/schemas.ts");
    let ts = members(&statement(&types, "export interface Catalog {"));
    let zod = members(&statement(&schemas, "export const CatalogSchema:"));

    let catalog = fields(&read("examples/broad/src/catalog.rs"), "Catalog");
    let mut table = String::from("| Rust | TypeScript | Zod | notes |\n|---|---|---|---|\n");
    let mut plain = BTreeMap::new();
    for f in &catalog {
        let (t, optional) = ts.get(&f.name).unwrap_or_else(|| panic!("Catalog.{} in types.ts", f.name));
        let (z, _) = zod.get(&f.name).unwrap_or_else(|| panic!("Catalog.{} in schemas.ts", f.name));
        let mut rust = cell(&f.ty);
        if let Some(s) = &f.serde {
            let _ = write!(rust, " `#[serde({s})]`");
        }
        if let Some(g) = &f.garde {
            let _ = write!(rust, " `#[garde({g})]`");
        }
        let ts = if *optional { format!("{} (optional key)", cell(t)) } else { cell(t) };
        let _ = writeln!(table, "| {rust} | {ts} | {} | {} |", cell(z), f.doc);
        if f.garde.is_none() && f.serde.is_none() {
            plain.entry(f.ty.clone()).or_insert_with(|| z.clone());
        }
    }

    let mut enums = String::new();
    let enum_source = read("examples/broad/src/enums.rs");
    for (name, title) in [
        ("External", "Externally tagged (serde's default)"),
        ("Internal", "Internally tagged: `#[serde(tag = \"…\")]`"),
        ("Adjacent", "Adjacently tagged: `#[serde(tag = \"…\", content = \"…\")]`"),
        ("Untagged", "Untagged: `#[serde(untagged)]`"),
        ("Color", "Unit variants only"),
    ] {
        let _ = write!(
            enums,
            "### {title}\n\n```rust\n{}\n```\n\n```ts\n{}\n\n{}\n```\n\n",
            rust_item(&enum_source, name),
            statement(&types, &format!("export type {name} =")),
            statement(&schemas, &format!("export const {name}Schema:"))
        );
    }
    let generics = format!(
        "```rust\n{}\n```\n\n```ts\n{}\n\n{}\n\n{}\n```\n",
        rust_item(&read("examples/broad/src/generics.rs"), "Page"),
        statement(&types, "export interface PageOfUser {"),
        statement(&types, "export interface PageOfArray_of_User {"),
        statement(&schemas, "export const PageOfUserSchema:")
    );

    let rules_ts = members(&statement(&schemas, "export const RulesSchema:"));
    let mut rules = String::from("| garde rule | on | Zod | enforced by | notes |\n|---|---|---|---|---|\n");
    for f in fields(&read("examples/broad/src/rules.rs"), "Rules") {
        let rule = f.garde.as_deref().unwrap_or_else(|| panic!("Rules.{} has a garde rule", f.name));
        let (z, _) = rules_ts.get(&f.name).unwrap_or_else(|| panic!("Rules.{} in schemas.ts", f.name));
        let without = plain.get(&f.ty).unwrap_or_else(|| {
            panic!("Catalog needs a field of type {} without a rule, to compare Rules.{} with", f.ty, f.name)
        });
        let by = if z == without { "server only" } else { "schema" };
        let _ = writeln!(rules, "| {} | {} | {} | {by} | {} |", cell(rule), cell(&f.ty), cell(z), f.doc);
    }
    vec![("catalog", table), ("enums", enums), ("generics", generics), ("rules", rules)]
}

#[test]
fn docs_types_md_shows_what_codegen_writes_for_every_type_and_rule() {
    let root = crate::repo_root();
    let path = root.join("docs/types.md");
    let page = std::fs::read_to_string(&path).expect("docs/types.md");
    let mut fresh = page.clone();
    for (name, body) in blocks(&root) {
        let (begin, end) = (format!("<!-- generated: {name} -->\n"), format!("<!-- end: {name} -->"));
        let start = fresh.find(&begin).unwrap_or_else(|| panic!("docs/types.md has no `{}`", begin.trim()))
            + begin.len();
        let stop =
            start + fresh[start..].find(&end).unwrap_or_else(|| panic!("docs/types.md has no `{end}`"));
        fresh.replace_range(start..stop, &body);
    }
    if fresh != page {
        if std::env::var_os("MIZAN_BLESS").is_some() {
            std::fs::write(&path, &fresh).expect("docs/types.md written");
            return;
        }
        let first = page.lines().zip(fresh.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "docs/types.md is stale from line {} (MIZAN_BLESS=1 cargo test -p broad --test it types_doc rewrites it):\n  page: {}\n  now:  {}",
            first + 1,
            page.lines().nth(first).unwrap_or(""),
            fresh.lines().nth(first).unwrap_or("")
        );
    }
}
