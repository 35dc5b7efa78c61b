//! Generic instantiations as the server names them (`Page<User>` →
//! `PageUser`, `Page<Vec<User>>` → `PageUserList`): the fixture is the
//! manifest of mizan's own start-up test (`crates/mizan/tests/it/generics.rs`
//! keeps it current), and its types and Zod schemas are snapshotted.

use crate::support::crate_dir;

fn fixture() -> serde_json::Value {
    let path = crate_dir().join("tests/fixtures/generics.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("the fixture is JSON")
}

#[test]
fn generic_instantiations_have_their_own_types_and_schemas() {
    let files = mizan_codegen::generate(&fixture()).expect("the fixture generates");
    let file = |name: &str| files.iter().find(|(p, _)| *p == name).map(|(_, c)| c).expect(name);
    let (types, schemas) = (file("types.ts"), file("schemas.ts"));
    for name in ["PageUser", "PagePost", "PageUserList", "PageUserOrNull", "PageUserMap"] {
        assert!(types.contains(&format!("export interface {name} ")), "{name} in types.ts:\n{types}");
        assert!(schemas.contains(&format!("export const {name}Schema")), "{name}Schema in schemas.ts");
    }
    assert!(!types.contains("Page2"), "{types}");
    insta::assert_snapshot!("generics-types.ts", types);
    insta::assert_snapshot!("generics-schemas.ts", schemas);
}
