//! One Bun worker: spawning it, reading its stdout and stderr, and driving
//! it one render at a time until it dies, hangs, misbehaves or is retired.

use std::collections::VecDeque;
use std::process::{ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::{mpsc, oneshot, watch};

use super::job::{Answer, Failure, Job, JobKind, Outcome};
use super::locate::Launch;
use super::protocol::{self, Frame, Reply};
use super::stats::Counters;
use super::stderr::{self, STDERR_TAIL};
use crate::Error;

/// How long a retired worker may take to exit after its stdin closes.
const EXIT_GRACE: Duration = Duration::from_secs(2);
/// After a worker exits, how long its last stdout bytes are still awaited.
const DRAIN_GRACE: Duration = Duration::from_millis(300);

/// A started worker that answered its first ping.
pub(crate) struct Spawned {
    child: Child,
    stdin: Option<ChildStdin>,
    frames: mpsc::Receiver<Frame>,
    pub(crate) pid: u32,
    current: Arc<AtomicU64>,
    stderr_tail: Arc<Mutex<VecDeque<String>>>,
}

/// Starts a worker and waits for its pong.
pub(crate) async fn spawn(launch: &Launch, ids: &AtomicU64, startup: Duration) -> Result<Spawned, String> {
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

    let (frame_tx, frames) = mpsc::channel(8);
    tokio::spawn(async move {
        let mut reader = BufReader::with_capacity(64 * 1024, stdout);
        loop {
            let frame = protocol::read_frame(&mut reader).await;
            let last = matches!(frame, Frame::Eof | Frame::Garbage(_));
            if frame_tx.send(frame).await.is_err() || last {
                return;
            }
        }
    });

    let current = Arc::new(AtomicU64::new(0));
    let stderr_tail = Arc::new(Mutex::new(VecDeque::with_capacity(STDERR_TAIL)));
    tokio::spawn(stderr::forward(stderr, pid, current.clone(), stderr_tail.clone()));

    let mut worker = Spawned { child, stdin: Some(stdin), frames, pid, current, stderr_tail };
    let id = ids.fetch_add(1, Ordering::Relaxed);
    let handshake = async {
        worker.write(&protocol::ping_line(id)).await.map_err(|e| format!("could not write to it: {e}"))?;
        tokio::select! {
            frame = worker.frames.recv() => match frame {
                Some(Frame::Reply { id: got, reply: Reply::Pong }) if got == id => Ok(()),
                Some(Frame::Garbage(text)) => Err(format!("it wrote something that is not the protocol: {text}")),
                Some(other) => Err(format!("it answered its first ping with {other:?}")),
                None => Err("its stdout closed".to_owned()),
            },
            status = worker.child.wait() => Err(exit_text(status)),
        }
    };
    match tokio::time::timeout(startup, handshake).await {
        Ok(Ok(())) => Ok(worker),
        Ok(Err(why)) => {
            worker.kill().await;
            tokio::time::sleep(Duration::from_millis(20)).await; // let stderr drain into the tail
            Err(format!("the SSR worker failed to start: {why}{}", worker.tail_text()))
        }
        Err(_) => {
            worker.kill().await;
            Err(format!(
                "the SSR worker did not answer its first ping within {startup:?}{}",
                worker.tail_text()
            ))
        }
    }
}

impl Spawned {
    async fn write(&mut self, line: &str) -> std::io::Result<()> {
        let stdin = self.stdin.as_mut().ok_or_else(|| std::io::Error::other("stdin closed"))?;
        stdin.write_all(line.as_bytes()).await?;
        stdin.flush().await
    }

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

/// Why a worker stopped.
#[derive(Debug)]
pub(crate) enum Ending {
    /// Asked to stop (dev restart, shutdown, pool dropped).
    Retired,
    /// Served its quota of renders.
    Recycled,
    /// Exited or closed its stdout.
    Crashed(String),
    /// A render passed its deadline.
    TimedOut,
    /// Wrote something that is not the protocol.
    Protocol(String),
}

impl Ending {
    /// Whether jobs queued on it count as having hit a crash.
    pub(crate) fn is_failure(&self) -> bool {
        !matches!(self, Ending::Retired | Ending::Recycled)
    }
}

/// What the driver needs besides the worker.
pub(crate) struct DriveCtx {
    pub(crate) deadline: Duration,
    pub(crate) recycle_after: u64,
    pub(crate) in_flight: Arc<AtomicUsize>,
    pub(crate) ids: Arc<AtomicU64>,
    pub(crate) counters: Arc<Counters>,
}

/// Drives a worker until it stops; returns why and how many renders it
/// completed. The caller has unpublished nothing: `on_end` runs first thing
/// after the loop, before queued jobs are handed back.
pub(crate) async fn drive(
    mut w: Spawned,
    mut rx: mpsc::UnboundedReceiver<Job>,
    mut retire: watch::Receiver<bool>,
    ctx: DriveCtx,
    on_end: impl FnOnce(),
) -> (Ending, u64) {
    let mut served = 0u64;
    let ending = loop {
        tokio::select! {
            biased;
            () = until_true(&mut retire) => break Ending::Retired,
            status = w.child.wait() => {
                break Ending::Crashed(format!("{}{}", exit_text(status), w.tail_text()));
            }
            frame = w.frames.recv() => break match frame {
                Some(Frame::Garbage(text)) => Ending::Protocol(text),
                Some(Frame::Reply { id, .. }) => Ending::Protocol(format!("an answer to id {id}, which was not asked")),
                Some(Frame::Eof) | None => Ending::Crashed(w.death().await),
            },
            job = rx.recv() => {
                let Some(job) = job else { break Ending::Retired };
                let is_render = matches!(job.kind, JobKind::Render { .. });
                match run(&mut w, job, &ctx).await {
                    Ok(()) => {
                        if is_render {
                            served += 1;
                            if ctx.recycle_after > 0 && served >= ctx.recycle_after {
                                break Ending::Recycled;
                            }
                        }
                    }
                    Err(ending) => break ending,
                }
            }
        }
    };

    on_end();
    // Jobs still queued never started here: hand them back.
    rx.close();
    while let Ok(job) = rx.try_recv() {
        ctx.in_flight.fetch_sub(1, Ordering::Relaxed);
        let _ = job.reply.send(Outcome::Requeue { crashed: ending.is_failure() });
    }

    let counters = &ctx.counters;
    match &ending {
        Ending::Retired | Ending::Recycled => {
            if matches!(ending, Ending::Recycled) {
                counters.recycled.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(target: "mizan::ssr", pid = w.pid, served, "recycling SSR worker");
            } else {
                counters.retired.fetch_add(1, Ordering::Relaxed);
            }
            w.stdin = None; // the worker exits when its stdin closes
            if tokio::time::timeout(EXIT_GRACE, w.child.wait()).await.is_err() {
                w.kill().await;
            }
        }
        Ending::Crashed(why) => {
            counters.crashed.fetch_add(1, Ordering::Relaxed);
            tracing::error!(target: "mizan::ssr", pid = w.pid, "SSR worker died: {why}; replacing it");
            w.kill().await;
        }
        Ending::TimedOut => {
            counters.timed_out.fetch_add(1, Ordering::Relaxed);
            tracing::error!(target: "mizan::ssr", pid = w.pid, "SSR worker killed after a render passed its deadline; replacing it");
            w.kill().await;
        }
        Ending::Protocol(text) => {
            counters.protocol_errors.fetch_add(1, Ordering::Relaxed);
            tracing::error!(target: "mizan::ssr", pid = w.pid, "SSR worker wrote to stdout outside the protocol ({text}); replacing it");
            w.kill().await;
        }
    }
    (ending, served)
}

/// Runs one job. `Err` when the worker must go (the job has been answered).
async fn run(w: &mut Spawned, job: Job, ctx: &DriveCtx) -> Result<(), Ending> {
    let Job { kind, enqueued, reply } = job;
    let finish = |outcome: Outcome, reply: oneshot::Sender<Outcome>| {
        ctx.in_flight.fetch_sub(1, Ordering::Relaxed);
        let _ = reply.send(outcome);
    };
    let what = match &kind {
        JobKind::Render { name, .. } => format!("rendering {name}"),
        JobKind::Ping => "answering a ping".to_owned(),
    };
    let waited = enqueued.elapsed();
    if waited > ctx.deadline {
        let err = Error::timeout(format!(
            "{what}: waited {waited:?} for a worker, past the {:?} deadline",
            ctx.deadline
        ));
        finish(Outcome::Done(Err(Failure::Error(err))), reply);
        return Ok(());
    }

    let id = ctx.ids.fetch_add(1, Ordering::Relaxed);
    let line = match &kind {
        JobKind::Render { path, props_json, contexts_json, .. } => {
            protocol::render_line(id, path, props_json, contexts_json.as_deref())
        }
        JobKind::Ping => protocol::ping_line(id),
    };
    let started = tokio::time::Instant::now();
    match tokio::time::timeout(ctx.deadline, w.write(&line)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            // It never got the request: like a queued job on a dead worker.
            finish(Outcome::Requeue { crashed: true }, reply);
            return Err(Ending::Crashed(format!("writing to its stdin failed: {e}")));
        }
        Err(_) => {
            // It stopped reading its stdin: as good as hung.
            let err = Error::timeout(format!(
                "{what}: the worker did not read the request within the {:?} deadline; it was killed and replaced",
                ctx.deadline
            ));
            finish(Outcome::Done(Err(Failure::Error(err))), reply);
            return Err(Ending::TimedOut);
        }
    }
    w.current.store(id, Ordering::Relaxed);
    let deadline = tokio::time::sleep_until(started + ctx.deadline);
    let result = tokio::select! {
        frame = w.frames.recv() => match frame {
            Some(Frame::Reply { id: got, reply }) if got == id => Ok(reply),
            Some(Frame::Reply { id: got, .. }) => Err(Ending::Protocol(format!("an answer to id {got} while {what} (id {id})"))),
            Some(Frame::Garbage(text)) => Err(Ending::Protocol(text)),
            Some(Frame::Eof) | None => Err(Ending::Crashed(w.death().await)),
        },
        status = w.child.wait() => {
            // It exited; its answer may still be in the pipe.
            let death = format!("{}{}", exit_text(status), w.tail_text());
            match tokio::time::timeout(DRAIN_GRACE, w.frames.recv()).await {
                Ok(Some(Frame::Reply { id: got, reply: answer })) if got == id => {
                    w.current.store(0, Ordering::Relaxed);
                    finish(Outcome::Done(answer_of(answer)), reply);
                    return Err(Ending::Crashed(death));
                }
                _ => Err(Ending::Crashed(death)),
            }
        }
        () = deadline => Err(Ending::TimedOut),
    };
    w.current.store(0, Ordering::Relaxed);

    match result {
        Ok(answer) => {
            if matches!(kind, JobKind::Render { .. }) {
                ctx.counters.renders.fetch_add(1, Ordering::Relaxed);
            }
            finish(Outcome::Done(answer_of(answer)), reply);
            Ok(())
        }
        Err(ending) => {
            let err = match &ending {
                Ending::TimedOut => Error::timeout(format!(
                    "{what} took longer than the {:?} deadline; the worker was killed and replaced",
                    ctx.deadline
                )),
                Ending::Crashed(why) => Error::internal(format!(
                    "the SSR worker crashed while {what}: {why}; it is being replaced"
                )),
                Ending::Protocol(text) => Error::internal(format!(
                    "the SSR worker wrote something that is not the protocol while {what}: {text:?}; \
                     it is being replaced (components must not write to stdout)"
                )),
                Ending::Retired | Ending::Recycled => Error::internal(format!("{what}: the worker stopped")),
            };
            finish(Outcome::Done(Err(Failure::Error(err))), reply);
            Err(ending)
        }
    }
}

fn answer_of(reply: Reply) -> Result<Answer, Failure> {
    match reply {
        Reply::Html(html) => Ok(Answer::Html(html)),
        Reply::Pong => Ok(Answer::Pong),
        Reply::Error { message, stack } => Err(Failure::Threw { message, stack }),
    }
}
