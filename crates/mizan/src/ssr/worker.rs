//! One Bun worker: spawning it, watching it (its exit, its stdout, a
//! heartbeat its event loop must answer, its memory and age) and ending it
//! by what happened: drained and retired, left alone with the one render
//! it is stuck on, or killed with its renders answered or handed back.

use std::collections::VecDeque;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::process::{Child, Command};
use tokio::sync::{oneshot, watch};

use super::job::{Answer, Job, JobKind, Outcome, Requeue, Suspicion};
use super::link::{self, Env, Link, Pending, ReadEnd};
use super::locate::Launch;
use super::recycle::{Aging, Recycle};
use super::stderr::{self, STDERR_TAIL};
use crate::Error;

/// How long a retired worker may take to exit after its stdin closes.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// After a worker exits, how long its last stdout bytes are still awaited.
const DRAIN_GRACE: Duration = Duration::from_millis(300);
/// Heartbeats between two looks at a worker's memory and age.
const AGING_EVERY: u32 = 5;

/// How workers are watched.
#[derive(Debug, Clone)]
pub(crate) struct Watch {
    /// A heartbeat ping unanswered this long means the worker is stuck.
    pub(crate) stuck_after: Duration,
    /// Resident memory growth over the start that recycles a worker (0: none).
    pub(crate) max_growth: u64,
    /// Age that recycles a worker (zero: none).
    pub(crate) max_age: Duration,
    /// The render deadline: how long a retiring worker is given to finish.
    pub(crate) deadline: Duration,
}

impl Watch {
    fn heartbeat(&self) -> Duration {
        (self.stuck_after / 3).max(Duration::from_millis(10))
    }
}

/// A started worker that answered its first ping.
pub(crate) struct Spawned {
    child: Child,
    pub(crate) link: Arc<Link>,
    read_end: Option<oneshot::Receiver<ReadEnd>>,
    pub(crate) pid: u32,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
    aging: Aging,
}

/// Starts a worker and waits for its pong.
pub(crate) async fn spawn(
    launch: &Launch,
    env: &Arc<Env>,
    startup: Duration,
    watch: &Watch,
) -> Result<Spawned, String> {
    let mut cmd = Command::new(&launch.bun);
    cmd.arg(&launch.script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("NODE_ENV", launch.node_env())
        .env("NO_COLOR", "1")
        .env("FORCE_COLOR", "0")
        .kill_on_drop(true);
    let mut child = cmd.spawn().map_err(|e| {
        format!("could not start the SSR worker `{} {}`: {e}", launch.bun.display(), launch.script.display())
    })?;
    let pid = child.id().unwrap_or(0);
    let (Some(stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err("the SSR worker's pipes could not be opened".to_owned());
    };
    let link = Link::new(pid, env.clone(), stdin);
    let (end_tx, end_rx) = oneshot::channel();
    tokio::spawn(link::read_loop(stdout, link.clone(), end_tx));
    let stderr_tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL)));
    tokio::spawn(stderr::forward(stderr, pid, stderr_tail.clone()));

    let aging = Aging::start(pid, watch.max_growth, watch.max_age);
    let mut w = Spawned { child, link, read_end: Some(end_rx), pid, stderr_tail, aging };
    let (tx, rx) = oneshot::channel();
    let until = tokio::time::Instant::now() + startup;
    let handshake = async {
        if w.link.start(Job { kind: JobKind::Ping, deadline: until, reply: tx }).is_err() {
            return Err("its stdin closed".to_owned());
        }
        let Some(read_end) = w.read_end.as_mut() else { return Err("its stdout closed".to_owned()) };
        tokio::select! {
            answer = rx => match answer {
                Ok(Outcome::Done(Ok(Answer::Pong))) => Ok(()),
                other => Err(format!("it answered its first ping with {other:?}")),
            },
            end = read_end => Err(match end {
                Ok(ReadEnd::Garbage(text)) => format!("it wrote something that is not the protocol: {text}"),
                _ => "its stdout closed".to_owned(),
            }),
            status = w.child.wait() => Err(exit_text(status)),
        }
    };
    match tokio::time::timeout_at(until, handshake).await {
        Ok(Ok(())) => {
            w.aging = Aging::start(pid, watch.max_growth, watch.max_age);
            Ok(w)
        }
        Ok(Err(why)) => {
            w.kill().await;
            tokio::time::sleep(Duration::from_millis(20)).await; // let stderr drain into the tail
            Err(format!("the SSR worker failed to start: {why}{}", w.tail_text()))
        }
        Err(_) => {
            w.kill().await;
            Err(format!("the SSR worker did not answer its first ping within {startup:?}{}", w.tail_text()))
        }
    }
}

impl Spawned {
    async fn kill(&mut self) {
        let _ = self.child.start_kill();
        let _ = tokio::time::timeout(EXIT_GRACE, self.child.wait()).await;
    }

    fn tail_text(&self) -> String {
        let tail = self.stderr_tail.lock().map(|t| t.iter().cloned().collect::<Vec<_>>()).unwrap_or_default();
        if tail.is_empty() { String::new() } else { format!("; its stderr ended with: {}", tail.join(" | ")) }
    }

    /// Why it is gone, once it has exited (or after a short wait).
    async fn death(&mut self) -> String {
        let status = tokio::time::timeout(DRAIN_GRACE, self.child.wait()).await;
        let text = match status {
            Ok(status) => exit_text(status),
            Err(_) => "it closed its stdout".to_owned(),
        };
        format!("{text}{}", self.tail_text())
    }

    /// It exited (or its stdout ended): why, once the last answers in the pipe are read.
    async fn ended(&mut self, end: Option<ReadEnd>) -> Ending {
        match end {
            Some(ReadEnd::Garbage(text)) => Ending::Protocol(text),
            Some(ReadEnd::Eof) | None => Ending::Crashed(self.death().await),
        }
    }

    /// Waits for stdout to end after an exit (so answers written just
    /// before it are delivered), then says why it died.
    async fn exited(&mut self, status: std::io::Result<ExitStatus>) -> Ending {
        let death = format!("{}{}", exit_text(status), self.tail_text());
        if let Some(end) = self.read_end.take()
            && let Ok(Ok(ReadEnd::Garbage(text))) = tokio::time::timeout(DRAIN_GRACE, end).await
        {
            return Ending::Protocol(text);
        }
        Ending::Crashed(death)
    }
}

fn exit_text(status: std::io::Result<ExitStatus>) -> String {
    match status {
        Ok(s) => match s.code() {
            Some(code) => format!("it exited with status {code}"),
            None => format!("it was killed ({s})"),
        },
        Err(e) => format!("it could not be waited for: {e}"),
    }
}

/// Resolves once the flag is set (or its sender is gone).
pub(crate) async fn until_true(flag: &mut watch::Receiver<bool>) {
    let _ = flag.wait_for(|v| *v).await;
}

/// Why a worker stopped serving.
#[derive(Debug)]
pub(crate) enum Ending {
    /// Asked to stop (dev restart, shutdown, pool dropped).
    Retired,
    /// Due for recycling.
    Recycled(Recycle),
    /// Exited or closed its stdout.
    Crashed(String),
    /// Wrote something that is not the protocol.
    Protocol(String),
    /// Its event loop stopped answering the heartbeat.
    Stuck,
}

/// Watches a worker until it must stop serving, and says why.
pub(crate) async fn supervise(w: &mut Spawned, retire: &mut watch::Receiver<bool>, watch: &Watch) -> Ending {
    let mut tick = tokio::time::interval(watch.heartbeat());
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut ping: Option<(oneshot::Receiver<Outcome>, tokio::time::Instant)> = None;
    let mut beats = 0u32;
    let link = w.link.clone();
    loop {
        let Some(read_end) = w.read_end.as_mut() else { return w.ended(None).await };
        tokio::select! {
            biased;
            () = until_true(retire) => return Ending::Retired,
            status = w.child.wait() => return w.exited(status).await,
            end = read_end => {
                w.read_end = None;
                return w.ended(end.ok()).await;
            }
            () = link.quota_reached.notified() => return Ending::Recycled(Recycle::Renders),
            _ = tick.tick() => {
                if let Some((answer, sent)) = &mut ping {
                    match answer.try_recv() {
                        Err(oneshot::error::TryRecvError::Empty) => {
                            if sent.elapsed() >= watch.stuck_after {
                                return Ending::Stuck;
                            }
                        }
                        _ => ping = None,
                    }
                }
                if ping.is_none() {
                    let (tx, rx) = oneshot::channel();
                    let now = tokio::time::Instant::now();
                    let job = Job { kind: JobKind::Ping, deadline: now + watch.stuck_after, reply: tx };
                    if link.start(job).is_ok() {
                        ping = Some((rx, now));
                    }
                }
                beats = beats.wrapping_add(1);
                if beats.is_multiple_of(AGING_EVERY)
                    && let Some(why) = w.aging.due(w.pid)
                {
                    return Ending::Recycled(why);
                }
            }
        }
    }
}

/// Processes that may be left running, each alone with the render it is
/// stuck on, until that render answers or passes its deadline.
pub(crate) struct Lingering {
    now: AtomicUsize,
    max: usize,
}

impl Lingering {
    pub(crate) fn new(max: usize) -> Self {
        Self { now: AtomicUsize::new(0), max }
    }

    fn enter(&self) -> bool {
        self.now
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.max).then_some(n + 1))
            .is_ok()
    }

    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Ends a worker that stopped serving (`supervise` said why): it is already
/// out of the dispatcher's choice. A retired or recycled worker finishes
/// the renders it has, then its stdin is closed; a stuck one alone with one
/// render is left to finish it or pass its deadline; otherwise it is
/// killed and its renders answered or handed back (see [`settle`]).
pub(crate) async fn finish(mut w: Spawned, ending: Ending, env: &Env, lingering: &Lingering, watch: &Watch) {
    let counters = &env.counters;
    let pid = w.pid;
    match ending {
        Ending::Retired | Ending::Recycled(_) => {
            match ending {
                Ending::Recycled(why) => {
                    counters.recycled(why);
                    tracing::debug!(target: "mizan::ssr", pid, served = w.link.served(), ?why, "recycling SSR worker");
                }
                _ => {
                    counters.retired.fetch_add(1, Ordering::Relaxed);
                }
            }
            w.link.stop_taking();
            // Its renders finish, or their callers give up at their deadlines.
            let drained = tokio::select! {
                () = w.link.until_idle() => None,
                status = w.child.wait() => Some(w.exited(status).await),
                () = tokio::time::sleep(watch.deadline + EXIT_GRACE) => None,
            };
            if let Some(ending) = drained {
                died(&mut w, ending, counters).await;
                return;
            }
            w.link.close_stdin(); // the worker exits when its stdin closes
            if tokio::time::timeout(EXIT_GRACE, w.child.wait()).await.is_err() {
                w.kill().await;
            }
            settle(&w.link, &Suspicion::Crashed("it was retired".to_owned()));
        }
        Ending::Crashed(_) | Ending::Protocol(_) => died(&mut w, ending, counters).await,
        Ending::Stuck => {
            counters.stuck.fetch_add(1, Ordering::Relaxed);
            w.link.stop_taking();
            let (all, sent) = w.link.renders();
            if sent == 1 && all == 1 && lingering.enter() {
                tracing::warn!(target: "mizan::ssr", pid,
                    "SSR worker stopped answering with one render in flight; left to finish it alone, replaced meanwhile");
                let served = w.link.served();
                let died_meanwhile = tokio::select! {
                    () = w.link.until_idle() => None,
                    status = w.child.wait() => Some(w.exited(status).await),
                };
                lingering.leave();
                match died_meanwhile {
                    Some(ending) => died(&mut w, ending, counters).await,
                    None => {
                        if w.link.served() == served {
                            counters.timed_out.fetch_add(1, Ordering::Relaxed);
                            tracing::error!(target: "mizan::ssr", pid, "SSR worker killed: the render it was stuck on passed its deadline");
                        }
                        w.kill().await;
                    }
                }
            } else {
                tracing::error!(target: "mizan::ssr", pid, renders = all,
                    "SSR worker stopped answering; killed, its renders sent elsewhere");
                w.kill().await;
                settle(&w.link, &Suspicion::Stuck);
            }
        }
    }
}

/// A worker that died (or broke the protocol): counted, logged, killed, its renders settled.
async fn died(w: &mut Spawned, ending: Ending, counters: &super::stats::Counters) {
    let pid = w.pid;
    let why = match ending {
        Ending::Protocol(text) => {
            counters.protocol_errors.fetch_add(1, Ordering::Relaxed);
            tracing::error!(target: "mizan::ssr", pid, "SSR worker wrote to stdout outside the protocol ({text}); replacing it");
            Suspicion::Protocol(text)
        }
        Ending::Crashed(why) => {
            counters.crashed.fetch_add(1, Ordering::Relaxed);
            tracing::error!(target: "mizan::ssr", pid, "SSR worker died: {why}; replacing it");
            Suspicion::Crashed(why)
        }
        _ => Suspicion::Stuck,
    };
    w.kill().await;
    settle(&w.link, &why);
}

/// Answers the renders left on a worker that is gone. One that never
/// reached it is sent again at no cost. Of those it had: one alone is the
/// render to blame, and fails; several are all suspects, sent again one by
/// one in quarantine. A render whose chunks already reached its caller is
/// never sent again.
pub(crate) fn settle(link: &Link, why: &Suspicion) {
    let renders = link.close();
    let sent: Vec<u64> = renders.iter().filter(|(_, _, sent)| *sent).map(|(id, ..)| *id).collect();
    for (id, p, was_sent) in renders {
        let outcome = outcome_for(&p, was_sent, &sent, id, why);
        let _ = p.reply.send(outcome);
    }
}

fn outcome_for(p: &Pending, was_sent: bool, sent: &[u64], id: u64, why: &Suspicion) -> Outcome {
    let what = p.kind.what();
    if !was_sent {
        Outcome::Requeue(Requeue::Unsent)
    } else if p.streamed {
        let err = Error::internal(format!(
            "{}; part of the page had been sent, so it is not retried",
            why.error(&what).message()
        ));
        Outcome::Done(Err(super::job::Failure::Error(err)))
    } else if sent.len() == 1 {
        Outcome::Done(Err(super::job::Failure::Error(why.error(&what))))
    } else {
        Outcome::Requeue(Requeue::Suspect { why: why.clone(), first: sent.first() == Some(&id) })
    }
}
