//! Reading `docs/protocol.md`: the tables and blocks marked
//! `<!-- checked: NAME -->`.

use std::collections::BTreeSet;

fn text() -> String {
    super::repo::read("docs/protocol.md")
}

/// The lines after `<!-- checked: NAME -->` (exactly one such marker).
fn after_marker(name: &str) -> Vec<String> {
    let text = text();
    let marker = format!("<!-- checked: {name} -->");
    assert_eq!(text.matches(&marker).count(), 1, "docs/protocol.md needs exactly one `{marker}`");
    let at = text.find(&marker).unwrap() + marker.len();
    text[at..].lines().skip(1).map(str::to_owned).collect()
}

/// The body rows of the table right after the marker, cells trimmed.
pub(crate) fn table(name: &str) -> Vec<Vec<String>> {
    let lines = after_marker(name);
    let rows: Vec<&String> = lines.iter().take_while(|l| l.starts_with('|')).collect();
    assert!(rows.len() > 2, "`{name}`: a table (header, separator, rows) must follow its marker");
    rows[2..]
        .iter()
        .map(|l| l.trim().trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect())
        .collect()
}

/// The content of the fenced block right after the marker.
pub(crate) fn block(name: &str) -> String {
    let lines = after_marker(name);
    assert!(lines[0].starts_with("```"), "`{name}`: a fenced block must follow its marker");
    let body: Vec<&String> = lines[1..].iter().take_while(|l| !l.starts_with("```")).collect();
    body.iter().map(|l| format!("{l}\n")).collect()
}

/// A cell holding one code span: its content.
pub(crate) fn code(cell: &str) -> String {
    let inner = cell.strip_prefix('`').and_then(|c| c.strip_suffix('`'));
    match inner {
        Some(inner) if !inner.contains('`') => inner.to_owned(),
        _ => panic!("expected a single `code` cell, got {cell:?}"),
    }
}

/// The first column of a table, as code spans.
pub(crate) fn codes(name: &str) -> BTreeSet<String> {
    table(name).iter().map(|row| code(&row[0])).collect()
}

/// The value of `"t":"…"` in a frame cell.
pub(crate) fn frame_type(cell: &str) -> String {
    quoted_after(cell, "\"t\":").unwrap_or_else(|| panic!("no `\"t\":\"…\"` in {cell:?}"))
}

/// The string after `key` (`"t":`), up to its closing quote.
pub(crate) fn quoted_after(cell: &str, key: &str) -> Option<String> {
    let rest = &cell[cell.find(key)? + key.len()..];
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_owned())
}

/// The keys (`"name":`) of a frame written in a cell, at any depth.
pub(crate) fn keys(cell: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = cell;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('"') else { break };
        let word = &after[..close];
        let tail = &after[close + 1..];
        if tail.starts_with(':') {
            out.insert(word.to_owned());
        }
        rest = tail;
    }
    out
}

/// `1 MiB`, `64 KiB`, `50`, `60 s` → bytes, counts or milliseconds.
pub(crate) fn quantity(cell: &str) -> u128 {
    let (number, unit) = cell.split_once(' ').unwrap_or((cell, ""));
    let n: u128 = number.parse().unwrap_or_else(|_| panic!("not a quantity: {cell:?}"));
    match unit {
        "" => n,
        "KiB" => n * 1024,
        "MiB" => n * 1024 * 1024,
        "ms" => n,
        "s" => n * 1000,
        _ => panic!("unknown unit in {cell:?}"),
    }
}
