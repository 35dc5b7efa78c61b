use super::memory::PRUNE_MIN;
use super::*;

fn hit(key: &str, count: u32, secs: u64) -> Hit {
    Hit { key: key.to_owned(), rate: Rate::new(count, Duration::from_secs(secs)) }
}

#[test]
fn a_key_takes_its_count_then_waits_out_its_window() {
    let limiter = Arc::new(Limiter::default());
    let now = Instant::now();
    for _ in 0..3 {
        drop(limiter.take_local(&[hit("k", 3, 60)], now).expect("allowed"));
    }
    let wait = limiter.take_local(&[hit("k", 3, 60)], now + Duration::from_millis(1500)).err();
    assert_eq!(wait, Some(Duration::from_millis(58_500)));
    assert!(limiter.take_local(&[hit("other", 3, 60)], now).is_ok(), "keys count apart");
    assert!(limiter.take_local(&[hit("k", 3, 60)], now + Duration::from_secs(60)).is_ok(), "a new window");
}

#[test]
fn several_hits_count_together_or_not_at_all() {
    let limiter = Arc::new(Limiter::default());
    let now = Instant::now();
    drop(limiter.take_local(&[hit("a", 1, 60)], now).expect("a"));
    // `a` is spent: `b` must not be counted by the refused pair.
    assert_eq!(
        limiter.take_local(&[hit("b", 1, 30), hit("a", 1, 60)], now).err(),
        Some(Duration::from_secs(60))
    );
    assert!(limiter.take_local(&[hit("b", 1, 30)], now).is_ok(), "b was untouched");
}

#[test]
fn refusals_round_up_to_whole_seconds() {
    let e = refused("too many calls", Duration::from_millis(1));
    assert_eq!((e.code(), e.status().as_u16(), e.retry_after()), ("RATE_LIMITED", 429, Some(1)));
    assert_eq!(e.message(), "too many calls; try again in 1 s");
    assert_eq!(refused("x", Duration::from_millis(2001)).retry_after(), Some(3));
    assert_eq!(refused("x", Duration::ZERO).retry_after(), Some(1));
}

#[test]
fn a_rate_under_a_second_is_a_second_and_zero_refuses_all() {
    assert_eq!(Rate::new(1, Duration::from_millis(10)).period(), Duration::from_secs(1));
    let limiter = Arc::new(Limiter::default());
    let now = Instant::now();
    assert_eq!(limiter.take_local(&[hit("z", 0, 60)], now).err(), Some(Duration::from_secs(60)));
}

#[test]
fn spent_windows_are_dropped_as_the_map_grows() {
    let limiter = Arc::new(Limiter::default());
    let now = Instant::now();
    for i in 0..PRUNE_MIN {
        // Windows of two lengths: each is dropped when its own ends.
        let secs = if i % 2 == 0 { 60 } else { 120 };
        drop(limiter.take_local(&[hit(&format!("u{i}"), 5, secs)], now).expect("allowed"));
    }
    drop(limiter.take_local(&[hit("fresh", 5, 60)], now + Duration::from_secs(61)).expect("allowed"));
    let memory = limiter.memory.lock().expect("lock");
    assert_eq!(memory.len(), PRUNE_MIN / 2 + 1, "the 120 s windows and the fresh one are left");
}
