//! The health check's states, and its default answer on a real server.

use std::collections::BTreeSet;

use mizan::{App, Health};

use super::doc;

#[test]
fn the_documented_states_are_the_health_states() {
    let documented = doc::codes("health-states");
    let states: BTreeSet<String> = [Health::Up, Health::Down, Health::Idle, Health::None]
        .into_iter()
        .map(|h| serde_json::to_value(h).unwrap().as_str().unwrap().to_owned())
        .collect();
    assert_eq!(documented, states);
}

#[tokio::test]
async fn the_documented_example_is_what_an_app_answers() {
    // The example's services: an SSR pool not yet started, a database up, no Redis.
    let accounts = mizan::accounts::Accounts::lazy("sqlite::memory:").unwrap();
    let served = crate::support::serve(App::new().extend(accounts).ssr(crate::support::ssr::ssr())).await;
    let res = reqwest::get(served.site("/healthz")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body = res.text().await.unwrap();
    let doc = super::repo::read("docs/protocol.md");
    assert!(doc.contains(&format!("\n{body}\n")), "docs/protocol.md's example should show {body}");
}
