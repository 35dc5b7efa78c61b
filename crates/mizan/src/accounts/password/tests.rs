use argon2::password_hash::PasswordHasher;

use super::*;

/// Parameters cheap enough for tests that hash many times.
fn cheap() -> Params {
    Params::new(64, 1, 1, None).expect("params")
}

#[tokio::test]
async fn hashes_verify_and_differ() {
    let h = Hasher::default();
    let a = h.hash("correct horse".into()).await.expect("hash");
    let b = h.hash("correct horse".into()).await.expect("hash");
    assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$") && a != b, "salted: {a} {b}");
    let right = h.verify("correct horse".into(), a.clone()).await.expect("verify");
    assert_eq!(right, Checked { matches: true, outdated: false });
    assert!(!h.verify("wrong horse".into(), a.clone()).await.expect("verify").matches);
    assert!(!h.verify("x".into(), "not a hash".into()).await.expect("verify").matches);
    assert!(!h.verify("x".into(), "$argon2id$v=19$m=19456,t=2,p=1".into()).await.expect("verify").matches);
    assert_ne!(fingerprint(&a), fingerprint(&b));
    assert!(!fingerprint(&a).is_empty());
    h.verify_dummy("x".into()).await.expect("dummy");
    h.verify_dummy("y".into()).await.expect("dummy again, with the hash made once");
}

#[tokio::test]
async fn hashes_made_by_the_argon2_crate_itself_check_both_ways() {
    let h = Hasher::default();
    let theirs = Argon2::default().hash_password(b"s3cret pass").expect("hash").to_string();
    assert_eq!(
        h.verify("s3cret pass".into(), theirs).await.expect("verify"),
        Checked { matches: true, outdated: false }
    );
    let ours = h.hash("s3cret pass".into()).await.expect("hash");
    let parsed = PasswordHash::new(&ours).expect("parses");
    use argon2::password_hash::PasswordVerifier;
    assert!(Argon2::default().verify_password(b"s3cret pass", &parsed).is_ok());
    assert!(Argon2::default().verify_password(b"other", &parsed).is_err());
}

#[tokio::test]
async fn weaker_hashes_are_outdated_and_rehash_with_the_same_salt() {
    let h = Hasher::default();
    let weak =
        Argon2::new(Algorithm::Argon2i, Version::V0x13, Params::new(1024, 1, 1, None).expect("params"))
            .hash_password(b"old password")
            .expect("hash")
            .to_string();
    assert!(weak.starts_with("$argon2i$v=19$m=1024,t=1,p=1$"), "{weak}");
    let checked = h.verify("old password".into(), weak.clone()).await.expect("verify");
    assert_eq!(checked, Checked { matches: true, outdated: true });
    assert!(!h.verify("not it".into(), weak.clone()).await.expect("verify").matches);
    let redone = h.rehash("old password".into(), weak.clone()).await.expect("rehash");
    assert!(redone.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{redone}");
    assert_eq!(fingerprint(&redone), fingerprint(&weak), "the salt, and so sessions, survive");
    let checked = h.verify("old password".into(), redone).await.expect("verify");
    assert_eq!(checked, Checked { matches: true, outdated: false });
    let bad = h.rehash("x".into(), "not a hash".into()).await.unwrap_err();
    assert_eq!(bad.code(), "INTERNAL");
}

#[tokio::test]
async fn a_full_queue_is_refused_at_once_with_a_retry_after() {
    let h = Hasher::new(1, 2);
    let all = futures_util::future::join_all((0..10).map(|i| h.hash(format!("password {i}")))).await;
    let refused: Vec<&Error> = all.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(all.len() - refused.len(), 3, "one running and two waiting get through");
    for e in &refused {
        assert_eq!((e.code(), e.status().as_u16(), e.retry_after()), ("RATE_LIMITED", 429, Some(1)));
    }
    // The queue drained: the next hash is accepted.
    h.hash("later".into()).await.expect("room again");
    assert_eq!(h.shared.pending.load(Ordering::Acquire), 0);
}

#[tokio::test]
async fn at_most_concurrency_buffers_exist_and_are_reused() {
    let h = Hasher::with_params(2, 64, cheap());
    let all = futures_util::future::join_all((0..40).map(|i| h.hash(format!("pw {i}")))).await;
    assert!(all.iter().all(Result::is_ok));
    let sizes: Vec<(usize, usize)> = {
        let buffers = h.shared.buffers.lock().expect("lock");
        buffers.iter().map(|b| (b.len(), b.capacity())).collect()
    };
    assert!(!sizes.is_empty() && sizes.len() <= 2, "one buffer per permit at most: {sizes:?}");
    let blocks = cheap().block_count();
    assert!(sizes.iter().all(|&(len, cap)| len == blocks && cap == blocks), "{sizes:?}, {blocks}");
    assert_eq!(h.concurrency(), 2);
    assert_eq!(h.queue(), 64);
    assert_eq!(Hasher::new(0, 0).concurrency(), 1, "at least one hash runs");
}

#[tokio::test]
async fn a_caller_that_stops_waiting_frees_its_place_once_the_hash_ends() {
    let h = Hasher::new(1, 0);
    let started = tokio::time::timeout(std::time::Duration::from_millis(1), h.hash("abandoned".into())).await;
    assert!(started.is_err(), "a default-cost hash takes longer than 1 ms");
    // The abandoned hash still holds the only place until it finishes.
    for _ in 0..500 {
        if h.shared.pending.load(Ordering::Acquire) == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert_eq!(h.shared.pending.load(Ordering::Acquire), 0);
    h.hash("next".into()).await.expect("the place is free again");
}
