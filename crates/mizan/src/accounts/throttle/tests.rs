use std::net::{IpAddr, Ipv4Addr};
use std::time::Instant;

use super::*;

const A: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
const B: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));

/// A throttle on a limiter of its own (in memory), tried at chosen instants.
struct At {
    throttle: Throttle,
    limiter: Arc<Limiter>,
}

impl At {
    fn new(limits: LoginLimits) -> Self {
        Self { throttle: Throttle::new(limits), limiter: Arc::default() }
    }

    fn attempt_at(&self, username: &str, address: Option<IpAddr>, now: Instant) -> Result<Attempt> {
        self.limiter.take_local(&self.throttle.hits(username, address), now).map(Attempt).map_err(refusal)
    }
}

fn refusal_of(r: Result<Attempt>) -> (String, Option<u64>) {
    let e = r.err().expect("refused");
    assert_eq!(e.status().as_u16(), 429);
    (e.code().to_owned(), e.retry_after())
}

#[test]
fn a_username_gets_its_failures_then_waits_out_the_window() {
    let t = At::new(LoginLimits::default());
    let now = Instant::now();
    for i in 0..10 {
        // Each from another address: only the username's count fills.
        let address = IpAddr::V4(Ipv4Addr::new(10, 1, 0, i));
        drop(t.attempt_at(if i % 2 == 0 { "ada" } else { "ADA" }, Some(address), now).expect("allowed"));
    }
    let later = now + Duration::from_secs(60);
    assert_eq!(refusal_of(t.attempt_at("Ada", Some(B), later)), ("RATE_LIMITED".to_owned(), Some(14 * 60)));
    assert!(t.attempt_at("bob", Some(B), later).is_ok(), "other usernames are not affected");
    let after = now + Duration::from_secs(15 * 60);
    assert!(t.attempt_at("ada", Some(B), after).is_ok(), "a new window");
}

#[test]
fn an_address_gets_its_failures_and_others_are_untouched() {
    let t = At::new(LoginLimits::default());
    let now = Instant::now();
    for i in 0..50 {
        drop(t.attempt_at(&format!("user{i}"), Some(A), now).expect("allowed"));
    }
    let (code, retry) = refusal_of(t.attempt_at("someone", Some(A), now + Duration::from_millis(500)));
    assert_eq!((code.as_str(), retry), ("RATE_LIMITED", Some(60)), "59.5 s, rounded up");
    assert!(t.attempt_at("someone", Some(B), now).is_ok(), "another address logs in");
    assert!(t.attempt_at("someone else", None, now).is_ok(), "no address: only the username counts");
    assert!(t.attempt_at("x", Some(A), now + Duration::from_secs(60)).is_ok());
}

#[tokio::test]
async fn a_refused_attempt_counts_nothing_and_a_refund_gives_one_back() {
    let t = At::new(
        LoginLimits::default()
            .per_username(2, Duration::from_secs(60))
            .per_address(3, Duration::from_secs(60)),
    );
    let now = Instant::now();
    drop(t.attempt_at("ada", Some(A), now).expect("1"));
    drop(t.attempt_at("ada", Some(A), now).expect("2"));
    // ada is spent: the refusal must not spend A's third.
    assert!(t.attempt_at("ada", Some(A), now).is_err());
    drop(t.attempt_at("bob", Some(A), now).expect("A's third"));
    assert!(t.attempt_at("carol", Some(A), now).is_err(), "A is spent");
    // A success gives its attempt back on both counts.
    let t = At::new(
        LoginLimits::default()
            .per_username(1, Duration::from_secs(60))
            .per_address(1, Duration::from_secs(60)),
    );
    t.attempt_at("ada", Some(A), now).expect("first").refund().await;
    t.attempt_at("ada", Some(A), now).expect("again, after the refund").refund().await;
    drop(t.attempt_at("ada", Some(A), now).expect("a failure this time"));
    assert!(t.attempt_at("ada", Some(B), now).is_err());
    assert!(t.attempt_at("bob", Some(A), now).is_err());
}

#[tokio::test]
async fn a_refund_from_an_ended_window_leaves_the_new_one_alone() {
    let t = At::new(LoginLimits::default().per_username(1, Duration::from_secs(60)));
    let now = Instant::now();
    let old = t.attempt_at("ada", None, now).expect("first window");
    let later = now + Duration::from_secs(61);
    drop(t.attempt_at("ada", None, later).expect("second window"));
    old.refund().await;
    assert!(t.attempt_at("ada", None, later).is_err(), "the second window's failure still counts");
}

#[test]
fn ipv6_counts_by_its_64_and_mapped_ipv4_as_ipv4() {
    let t = At::new(LoginLimits::default().per_address(1, Duration::from_secs(60)));
    let now = Instant::now();
    let one: IpAddr = "2001:db8:1:2::1".parse().expect("v6");
    let same_64: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("v6");
    let other_64: IpAddr = "2001:db8:1:3::1".parse().expect("v6");
    drop(t.attempt_at("a", Some(one), now).expect("first"));
    assert!(t.attempt_at("b", Some(same_64), now).is_err());
    assert!(t.attempt_at("c", Some(other_64), now).is_ok());
    drop(t.attempt_at("d", Some(A), now).expect("v4"));
    let mapped = IpAddr::V6(Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped());
    assert!(t.attempt_at("e", Some(mapped), now).is_err());
    assert_eq!(
        network(IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)),
        IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)
    );
}

#[test]
fn the_limits_read_back() {
    let limits = LoginLimits::default().per_username(5, Duration::from_secs(60));
    assert_eq!((limits.username_failures(), limits.username_window()), (5, Duration::from_secs(60)));
    assert_eq!((limits.address_failures(), limits.address_window()), (50, Duration::from_secs(60)));
}
