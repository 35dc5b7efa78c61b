//! `docs/guide/errors.md` kept true: every framework error code of
//! `mizan_manifest::codes` has a row with its HTTP status, every
//! client-only code has a row, and the page names no framework code the
//! table does not have.

#![allow(clippy::unwrap_used)]

use mizan_manifest::codes;

use crate::support::repo_root;

fn page() -> String {
    std::fs::read_to_string(repo_root().join("docs/guide/errors.md")).unwrap()
}

/// The cells of every table row whose first cell is a `` `CODE` ``.
fn rows(page: &str) -> Vec<Vec<String>> {
    page.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| l.trim().trim_matches('|').split('|').map(|c| c.trim().to_owned()).collect())
        .collect()
}

fn row_for(page: &str, code: &str) -> Vec<String> {
    let cell = format!("`{code}`");
    rows(page)
        .into_iter()
        .find(|r| r[0] == cell)
        .unwrap_or_else(|| panic!("docs/guide/errors.md has no row for {code}"))
}

#[test]
fn every_protocol_code_is_on_the_page_with_its_status() {
    let page = page();
    for c in codes::PROTOCOL {
        let row = row_for(&page, c.code);
        assert_eq!(row[1], c.status.to_string(), "the documented status of {}", c.code);
        assert!(row.len() >= 3 && !row[2].is_empty(), "{} has no meaning on the page", c.code);
    }
}

#[test]
fn every_client_code_is_on_the_page() {
    let page = page();
    for c in codes::CLIENT {
        row_for(&page, c.code);
    }
}

#[test]
fn the_page_lists_no_code_the_table_does_not_have() {
    let page = page();
    let known: Vec<String> = codes::PROTOCOL
        .iter()
        .map(|c| c.code)
        .chain(codes::CLIENT.iter().map(|c| c.code))
        .map(|c| format!("`{c}`"))
        .collect();
    let listed = rows(&page);
    assert_eq!(listed.len(), known.len(), "the page's rows: {listed:?}");
    for r in listed {
        assert!(known.contains(&r[0]), "docs/guide/errors.md lists {}, which is no code of mizan", r[0]);
    }
}
