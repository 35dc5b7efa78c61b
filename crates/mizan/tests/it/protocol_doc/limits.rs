//! The limit tables: the documented defaults are `Limits`' and `ChannelLimits`'.

use std::collections::BTreeMap;

use mizan::{ChannelLimits, Limits};

use super::doc;

#[test]
fn the_limit_tables_are_the_defaults() {
    let table = |name: &str| -> BTreeMap<String, u128> {
        doc::table(name).iter().map(|row| (doc::code(&row[1]), doc::quantity(&row[2]))).collect()
    };
    // Exhaustive destructuring: a new limit does not compile until it is listed.
    let Limits { body_bytes, batch_len, uri_bytes } = Limits::default();
    let http: BTreeMap<String, u128> = [
        ("body_bytes", body_bytes as u128),
        ("batch_len", batch_len as u128),
        ("uri_bytes", uri_bytes as u128),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into();
    assert_eq!(table("http-limits"), http);

    let ChannelLimits { message_bytes, subscriptions, queue_bytes, idle_timeout, close_timeout } =
        ChannelLimits::default();
    let ws: BTreeMap<String, u128> = [
        ("message_bytes", message_bytes as u128),
        ("subscriptions", subscriptions as u128),
        ("queue_bytes", queue_bytes as u128),
        ("idle_timeout", idle_timeout.as_millis()),
        ("close_timeout", close_timeout.as_millis()),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into();
    assert_eq!(table("ws-limits"), ws);
}

#[cfg(feature = "accounts")]
#[test]
fn the_login_limits_table_is_the_default() {
    let limits = mizan::accounts::LoginLimits::default();
    let rows: Vec<(String, u128, u128)> = doc::table("login-limits")
        .iter()
        .map(|row| (doc::code(&row[1]), doc::quantity(&row[2]), doc::quantity(&row[3])))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "per_username".to_owned(),
                limits.username_failures().into(),
                limits.username_window().as_millis()
            ),
            ("per_address".to_owned(), limits.address_failures().into(), limits.address_window().as_millis()),
        ]
    );
}
