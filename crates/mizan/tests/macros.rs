//! `#[mizan::client]` expansion: what compiles, and the spanned errors of misuse. A test binary of its own: trybuild compiles its cases (cold, minutes on two cores) and must not run beside the SSR tests, whose deadlines it would eat into.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
