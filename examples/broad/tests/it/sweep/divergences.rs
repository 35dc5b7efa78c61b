//! The known divergences ([`super::known`]), each on fixed inputs, asserted
//! exactly as both sides answer today: a change on either side (a Bun that
//! parses these URLs, a contract that refuses these keys) fails here, and
//! the divergence can go.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};

use super::known::{backslash_in_authority, bad_integer_key, ipv6_with_ipv4_host};
use super::{lowered, sides};
use crate::zod::{self, render};

/// `(function, input)` → (server, Zod), rendered.
async fn judge(cases: &[(&str, Value)]) -> Vec<(String, String)> {
    let root = crate::repo_root();
    let app = broad::app();
    let router = app.router();
    let generated = root.join("examples/broad/frontend/generated");
    let mut out = Vec::new();
    for (func, input) in cases {
        let text = vec![input.to_string()];
        let (server, _) = sides::server(&router, func, &text).await.remove(0);
        let answer =
            sides::zod(&root, &generated, &zod::input_schema(func), &text, super::BUN_DEADLINE).remove(0);
        out.push((render(&server), render(&zod::zod_verdict(Some(input), &answer))));
    }
    out
}

/// A valid input of `func` (made by the sweep's generator, fixed seed).
fn valid(func: &str) -> Value {
    let (types, inputs) = lowered(&broad::app().manifest().expect("builds").to_json());
    let ty = inputs.iter().find(|(f, _)| f == func).map(|(_, t)| t).expect("the function");
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    loop {
        if let Some(v) = types.valid(&mut rng, ty, super::valid::DEPTH) {
            return v;
        }
    }
}

#[tokio::test]
async fn bun_refuses_ipv6_url_hosts_with_an_embedded_ipv4_that_the_server_accepts() {
    let post =
        |link: &str| json!({"page": {"items": [{"title": "t", "link": link, "tags": []}], "total": 1}});
    let refused = ["http://[1:2::3:4:1.2.3.4]/", "ws://[c::7b72:5aa:52ac:65.99.199.249]"];
    let accepted = ["http://[::1.2.3.4]/", "http://[1:2:3:4:5:6:1.2.3.4]/", "http://[::1]/"];
    let cases: Vec<(&str, Value)> = refused.iter().chain(&accepted).map(|l| ("posts", post(l))).collect();
    let got = judge(&cases).await;
    for (link, (server, zod)) in refused.iter().zip(&got) {
        assert!(ipv6_with_ipv4_host(link), "{link} is recognised");
        assert_eq!((server.as_str(), zod.as_str()), ("ok", "invalid_format@page.items.0.link"), "{link}");
    }
    for (link, (server, zod)) in accepted.iter().zip(&got[refused.len()..]) {
        assert_eq!((server.as_str(), zod.as_str()), ("ok", "ok"), "{link}");
    }
}

#[tokio::test]
async fn u32_map_keys_the_key_pattern_takes_and_serde_refuses() {
    let mut base = valid("collections");
    base["value"]["counts"] = json!({});
    let with_key = |key: &str| {
        let mut v = base.clone();
        v["value"]["by_id"] = json!({ key: "x" });
        ("collections", v)
    };
    let keys = ["051", "4294967296", "4294967295", "0"];
    let got = judge(&keys.map(with_key)).await;
    assert_eq!(
        got[0],
        ("BAD_REQUEST".to_owned(), "ok".to_owned()),
        "a leading zero: serde_json's number parser refuses the key"
    );
    assert_eq!(got[1], ("too_big@value.by_id.4294967296".to_owned(), "ok".to_owned()), "past u32::MAX");
    assert_eq!(got[2], ("ok".to_owned(), "ok".to_owned()));
    assert_eq!(got[3], ("ok".to_owned(), "ok".to_owned()));
    assert!(bad_integer_key("051") && bad_integer_key("4294967296") && !bad_integer_key("0"));
}

#[tokio::test]
async fn a_proto_map_key_is_checked_by_the_server_and_skipped_by_zod() {
    let mut base = valid("collections");
    base["value"]["counts"] = json!({"__proto__": "x"});
    let mut fine = base.clone();
    fine["value"]["counts"] = json!({"__proto__": 1});
    let got = judge(&[("collections", base), ("collections", fine)]).await;
    assert_eq!(got[0], ("invalid_type@value.counts.__proto__".to_owned(), "ok".to_owned()));
    assert_eq!(got[1], ("ok".to_owned(), "ok".to_owned()), "a valid value under `__proto__` passes both");
}

#[tokio::test]
async fn the_server_takes_a_backslash_in_the_authority_of_a_url_whose_scheme_is_not_special() {
    let post =
        |link: &str| json!({"page": {"items": [{"title": "t", "link": link, "tags": []}], "total": 1}});
    let diverging = ["x-app://h:1\\8/", "x-app://bücher.example:1\\891/é?q=1#frag"];
    let alike = [("http://h:1\\8/", "ok"), ("x-app://h:1a/", "invalid_format@page.items.0.link")];
    let cases: Vec<(&str, Value)> =
        diverging.iter().chain(alike.iter().map(|(l, _)| l)).map(|l| ("posts", post(l))).collect();
    let got = judge(&cases).await;
    for (link, (server, zod)) in diverging.iter().zip(&got) {
        assert!(backslash_in_authority(link), "{link} is recognised");
        assert_eq!((server.as_str(), zod.as_str()), ("ok", "invalid_format@page.items.0.link"), "{link}");
    }
    for ((link, both), (server, zod)) in alike.iter().zip(&got[diverging.len()..]) {
        assert!(!backslash_in_authority(link) || link.starts_with("http:"), "{link}");
        assert_eq!((server.as_str(), zod.as_str()), (*both, *both), "{link}");
    }
}
