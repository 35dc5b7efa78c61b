//! The site's origin from the environment: `$MIZAN_ORIGIN` is the only
//! same origin, `$MIZAN_TRUSTED_PROXIES` decides whose forwarded headers
//! are believed, and a value that cannot be is refused at start-up.

use std::process::Command;

use serde_json::{Value, json};

use crate::support::{BIN, Proc, listen};

/// Starts `hello serve` with `env` on a free port.
fn start(env: &[(&str, &str)]) -> (Proc, String) {
    let mut cmd = Command::new(BIN);
    cmd.arg("serve").env_remove("MIZAN_ORIGIN").env_remove("MIZAN_TRUSTED_PROXIES");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let (child, url) = listen(&mut cmd);
    (Proc(child), url)
}

/// POSTs `echo` with `headers`: the status and the error code, if any.
async fn echo(url: &str, headers: &[(&str, &str)]) -> (u16, Value) {
    let mut r =
        reqwest::Client::new().post(format!("{url}/api/mizan/call/echo")).json(&json!({"text": "hi"}));
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = r.send().await.expect("echo");
    let status = r.status().as_u16();
    (status, r.json::<Value>().await.expect("json")["error"]["code"].clone())
}

#[tokio::test]
async fn mizan_origin_is_the_only_same_origin() {
    let (_hello, url) = start(&[("MIZAN_ORIGIN", "https://app.example")]);
    assert_eq!(echo(&url, &[("origin", "https://app.example")]).await.0, 200);
    // The address the server was reached at is not the site's origin.
    assert_eq!(echo(&url, &[("origin", &url)]).await, (403, json!("CSRF")));
    assert_eq!(echo(&url, &[("origin", "http://app.example")]).await, (403, json!("CSRF")));
}

#[tokio::test]
async fn mizan_trusted_proxies_decides_whose_forwarded_headers_count() {
    let forwarded = [
        ("x-forwarded-proto", "https"),
        ("x-forwarded-host", "app.example"),
        ("origin", "https://app.example"),
    ];
    let (_behind, url) = start(&[("MIZAN_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")]);
    assert_eq!(echo(&url, &forwarded).await.0, 200);
    let (_direct, url) = start(&[("MIZAN_TRUSTED_PROXIES", "10.0.0.0/8")]);
    assert_eq!(echo(&url, &forwarded).await, (403, json!("CSRF")));
}

#[test]
fn an_origin_or_proxy_that_cannot_be_is_a_startup_error() {
    for (var, value, said) in [
        ("MIZAN_ORIGIN", "app.example", "$MIZAN_ORIGIN `app.example` is not an origin"),
        ("MIZAN_TRUSTED_PROXIES", "10.0.0.0/8,proxy", "`proxy` is neither an IP address nor a CIDR range"),
    ] {
        let out = Command::new(BIN)
            .arg("serve")
            .env(var, value)
            .env("MIZAN_ADDR", "127.0.0.1:0")
            .output()
            .expect("run");
        assert!(!out.status.success(), "{var}={value} must not serve");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(said), "{stderr}");
    }
}
