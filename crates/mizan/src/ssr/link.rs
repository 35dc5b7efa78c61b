//! One worker's multiplexed bridge: the table of requests in flight on it,
//! the writer task that drains a queue of request lines into one write, the
//! reader task that routes each frame to the request waiting for its id,
//! and the calls a render makes to the host.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::value::RawValue;
use tokio::io::{AsyncWriteExt, BufReader};
use tokio::process::{ChildStdin, ChildStdout};
use tokio::sync::{Notify, mpsc, oneshot, watch};

use super::job::{Answer, Failure, Job, JobKind, Outcome, Requeue};
use super::protocol::{self, Frame, Reply};
use super::rendered::RenderEvent;
use super::stats::Counters;

/// Most bytes of request lines put into one write.
const WRITE_BATCH: usize = 1 << 20;

/// What every worker of a pool shares.
pub(crate) struct Env {
    /// Request ids, unique over the pool (the console's `id=N` names one render).
    pub(crate) ids: AtomicU64,
    pub(crate) counters: Arc<Counters>,
    /// Woken when a render leaves a worker, for callers waiting for room.
    pub(crate) capacity: Notify,
    /// Callers waiting on `capacity`.
    pub(crate) waiting: AtomicUsize,
    /// Renders a worker answers before it is recycled (0: no bound).
    pub(crate) recycle_after: u64,
}

impl Env {
    pub(crate) fn new(counters: Arc<Counters>, recycle_after: u64) -> Self {
        Self {
            ids: AtomicU64::new(1),
            counters,
            capacity: Notify::new(),
            waiting: AtomicUsize::new(0),
            recycle_after,
        }
    }
}

/// A line for the worker's stdin.
pub(crate) enum Out {
    Request {
        id: u64,
        method: &'static str,
        params: Option<Arc<str>>,
    },
    CallResult {
        id: String,
        envelope: Box<RawValue>,
    },
    /// Close stdin (the worker exits).
    Close,
}

/// A request in flight.
pub(crate) struct Pending {
    pub(crate) kind: JobKind,
    pub(crate) reply: oneshot::Sender<Outcome>,
    deadline: tokio::time::Instant,
    /// Chunks kept for a render whose caller takes the HTML whole.
    prefix: String,
    /// A chunk reached the caller: the render can no longer be retried.
    pub(crate) streamed: bool,
}

impl Pending {
    pub(crate) fn is_render(&self) -> bool {
        matches!(self.kind, JobKind::Render(_))
    }
}

struct Table {
    pending: HashMap<u64, Pending>,
    accepting: bool,
}

/// The host's side of one worker's bridge, shared by the dispatcher (which
/// starts requests), the reader task (which answers them) and the worker's
/// supervisor (which ends them when the worker goes).
/// A render picked for a worker and not yet started there: see [`Link::hold`].
pub(crate) struct Hold(Arc<Link>);

impl Hold {
    /// The worker held.
    pub(crate) fn link(&self) -> &Arc<Link> {
        &self.0
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        self.0.release();
    }
}

pub(crate) struct Link {
    pub(crate) pid: u32,
    env: Arc<Env>,
    table: Mutex<Table>,
    out: mpsc::UnboundedSender<Out>,
    /// The highest request id written to stdin.
    written: Arc<AtomicU64>,
    /// Renders in the table.
    in_flight: AtomicUsize,
    /// Renders answered.
    served: AtomicU64,
    /// True once the worker takes no more requests (stuck, dying, retiring).
    out_of_service: watch::Sender<bool>,
    /// Woken whenever a render leaves the table, while someone waits for it.
    left: Notify,
    draining: AtomicBool,
    /// Woken when the worker has answered its quota of renders.
    pub(crate) quota_reached: Notify,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Link {
    /// A link writing to `stdin` through a writer task of its own.
    pub(crate) fn new(pid: u32, env: Arc<Env>, stdin: ChildStdin) -> Arc<Self> {
        let (out, rx) = mpsc::unbounded_channel();
        let written = Arc::new(AtomicU64::new(0));
        tokio::spawn(write_loop(stdin, rx, written.clone()));
        Arc::new(Self {
            pid,
            env,
            table: Mutex::new(Table { pending: HashMap::new(), accepting: true }),
            out,
            written,
            in_flight: AtomicUsize::new(0),
            served: AtomicU64::new(0),
            out_of_service: watch::Sender::new(false),
            left: Notify::new(),
            draining: AtomicBool::new(false),
            quota_reached: Notify::new(),
        })
    }

    /// Sends a job; its answer goes to `job.reply`. `Err` gives the job back
    /// when the worker takes no more requests.
    pub(crate) fn start(&self, job: Job) -> Result<u64, Job> {
        let mut table = lock(&self.table);
        if !table.accepting {
            return Err(job);
        }
        let id = self.env.ids.fetch_add(1, Ordering::Relaxed);
        let (method, params) = match &job.kind {
            JobKind::Render(r) => ("render", Some(r.params.clone())),
            JobKind::Ping => ("ping", None),
        };
        // Sent under the lock: lines reach stdin in id order, so `written`
        // tells which requests the worker may have seen.
        if self.out.send(Out::Request { id, method, params }).is_err() {
            return Err(job);
        }
        let is_render = matches!(job.kind, JobKind::Render(_));
        if is_render {
            self.in_flight.fetch_add(1, Ordering::Relaxed);
        }
        let Job { kind, deadline, reply } = job;
        table.pending.insert(id, Pending { kind, reply, deadline, prefix: String::new(), streamed: false });
        Ok(id)
    }

    /// Counts a render about to be started here from the moment it was
    /// picked, so that picks made meanwhile on other threads see it (two
    /// picks between one's choice and its start would otherwise both take
    /// the same worker). The count is given back when the hold drops, by
    /// then replaced by the started render's own.
    pub(crate) fn hold(self: &Arc<Self>) -> Hold {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        Hold(self.clone())
    }

    /// Renders in flight here.
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// Renders answered here.
    pub(crate) fn served(&self) -> u64 {
        self.served.load(Ordering::Relaxed)
    }

    /// Whether the worker still takes requests.
    pub(crate) fn in_service(&self) -> bool {
        !*self.out_of_service.borrow()
    }

    /// Resolves once the worker takes no more requests.
    pub(crate) async fn until_out_of_service(&self) {
        let mut rx = self.out_of_service.subscribe();
        let _ = rx.wait_for(|gone| *gone).await;
    }

    /// Takes the worker out of service: no new requests; those in flight stay.
    pub(crate) fn stop_taking(&self) {
        lock(&self.table).accepting = false;
        self.out_of_service.send_replace(true);
    }

    /// The caller gave up on request `id` (its deadline passed): forget it
    /// and tell the worker to stop it.
    pub(crate) fn abandon(&self, id: u64) {
        let removed = lock(&self.table).pending.remove(&id);
        if let Some(p) = removed
            && p.is_render()
        {
            let _ = self.out.send(Out::Request { id, method: "cancel", params: None });
            self.release();
        }
    }

    fn release(&self) {
        self.in_flight.fetch_sub(1, Ordering::Relaxed);
        if self.draining.load(Ordering::Relaxed) {
            self.left.notify_waiters();
        }
        if self.env.waiting.load(Ordering::Relaxed) > 0 {
            self.env.capacity.notify_waiters();
        }
    }

    /// Renders (not pings) in flight, and how many of them were written to the worker.
    pub(crate) fn renders(&self) -> (usize, usize) {
        let written = self.written.load(Ordering::Acquire);
        let table = lock(&self.table);
        let renders = table.pending.iter().filter(|(_, p)| p.is_render());
        let (mut all, mut sent) = (0, 0);
        for (id, _) in renders {
            all += 1;
            if *id <= written {
                sent += 1;
            }
        }
        (all, sent)
    }

    /// Resolves once no render is in flight here.
    pub(crate) async fn until_idle(&self) {
        self.draining.store(true, Ordering::Relaxed);
        loop {
            let left = self.left.notified();
            tokio::pin!(left);
            left.as_mut().enable();
            if self.renders().0 == 0 {
                return;
            }
            left.await;
        }
    }

    /// Ends the link: no new requests; the renders in flight are taken out
    /// and returned in id order, each with whether it was written to the
    /// worker, for the caller to answer. Pings are given back as unsent.
    pub(crate) fn close(&self) -> Vec<(u64, Pending, bool)> {
        let pending: Vec<(u64, Pending)> = {
            let mut table = lock(&self.table);
            table.accepting = false;
            table.pending.drain().collect()
        };
        self.out_of_service.send_replace(true);
        let written = self.written.load(Ordering::Acquire);
        let mut renders = Vec::new();
        for (id, p) in pending {
            if p.is_render() {
                self.release();
                renders.push((id, p, id <= written));
            } else {
                let _ = p.reply.send(Outcome::Requeue(Requeue::Unsent));
            }
        }
        renders.sort_unstable_by_key(|(id, ..)| *id);
        renders
    }

    /// Closes the worker's stdin once the lines before it are written.
    pub(crate) fn close_stdin(&self) {
        let _ = self.out.send(Out::Close);
    }

    fn answer(&self, id: u64, reply: Reply) {
        let Some(p) = lock(&self.table).pending.remove(&id) else {
            // A render given up on (its cancel crossed its answer), or a stale ping.
            tracing::debug!(target: "mizan::ssr", pid = self.pid, id, "an answer to a request no longer waited for");
            return;
        };
        let is_render = p.is_render();
        let result = match reply {
            Reply::Html(mut rendered) => {
                if !p.prefix.is_empty() {
                    rendered.html.insert_str(0, &p.prefix);
                }
                Ok(Answer::Html(rendered))
            }
            Reply::Pong => Ok(Answer::Pong),
            Reply::Error { message, stack } => Err(Failure::Threw { message, stack }),
        };
        // Counted out before the caller hears: a render picked right after
        // this answer sees the worker's true load.
        if is_render {
            self.env.counters.renders.fetch_add(1, Ordering::Relaxed);
            let served = self.served.fetch_add(1, Ordering::Relaxed) + 1;
            if self.env.recycle_after > 0 && served == self.env.recycle_after {
                self.quota_reached.notify_one();
            }
            self.release();
        }
        let _ = p.reply.send(Outcome::Done(result));
    }

    fn chunk(&self, id: u64, html: String) {
        let mut table = lock(&self.table);
        let Some(p) = table.pending.get_mut(&id) else { return };
        let JobKind::Render(render) = &p.kind else { return };
        match &render.chunks {
            Some(sink) => {
                p.streamed = true;
                let _ = sink.send(RenderEvent::Chunk(html));
            }
            None => p.prefix.push_str(&html),
        }
    }

    /// Runs a call of render `render` and writes its envelope back under `id`.
    fn call(&self, id: String, render: u64, name: String, args: Box<RawValue>) {
        let found = {
            let table = lock(&self.table);
            match table.pending.get(&render) {
                Some(Pending { kind: JobKind::Render(r), deadline, .. }) => {
                    Some((r.calls.clone(), *deadline))
                }
                _ => None,
            }
        };
        let out = self.out.clone();
        let answer = move |envelope: Box<RawValue>| {
            let _ = out.send(Out::CallResult { id, envelope: one_line(envelope) });
        };
        match found {
            None => answer(error_envelope("UNAVAILABLE", &format!("render {render} is not in flight"))),
            Some((None, _)) => answer(error_envelope("UNAVAILABLE", "this render takes no calls")),
            Some((Some(calls), deadline)) => {
                let future = calls.call(&name, &args);
                tokio::spawn(async move {
                    let envelope = match tokio::time::timeout_at(deadline, future).await {
                        Ok(envelope) => envelope,
                        Err(_) => error_envelope(
                            "TIMEOUT",
                            &format!("{name} did not answer within the render's deadline"),
                        ),
                    };
                    answer(envelope);
                });
            }
        }
    }
}

/// `{"error":{"code":CODE,"message":MESSAGE}}`.
pub(crate) fn error_envelope(code: &str, message: &str) -> Box<RawValue> {
    let text = serde_json::json!({ "error": { "code": code, "message": message } }).to_string();
    RawValue::from_string(text).unwrap_or_else(|_| unreachable_envelope())
}

fn unreachable_envelope() -> Box<RawValue> {
    // serde_json writes valid JSON; this is only its type's fallback.
    RawValue::from_string("{\"error\":{\"code\":\"INTERNAL\",\"message\":\"\"}}".to_owned())
        .expect("a constant envelope is JSON")
}

/// The envelope on one line (JSON may hold newlines between its tokens).
fn one_line(envelope: Box<RawValue>) -> Box<RawValue> {
    if !envelope.get().contains('\n') {
        return envelope;
    }
    match serde_json::from_str::<serde_json::Value>(envelope.get()) {
        Ok(v) => RawValue::from_string(v.to_string()).unwrap_or_else(|_| unreachable_envelope()),
        Err(_) => error_envelope("INTERNAL", "the call's envelope is not JSON"),
    }
}

/// Writes request lines as they are queued: everything queued while the
/// last write ran goes out in the next one.
async fn write_loop(mut stdin: ChildStdin, mut rx: mpsc::UnboundedReceiver<Out>, written: Arc<AtomicU64>) {
    let mut buf = Vec::with_capacity(64 * 1024);
    while let Some(first) = rx.recv().await {
        buf.clear();
        let (mut last, mut close) = (0, false);
        let mut next = Some(first);
        while let Some(msg) = next.take() {
            match msg {
                Out::Request { id, method, params } => {
                    protocol::push_request(&mut buf, id, method, params.as_deref());
                    last = last.max(id);
                }
                Out::CallResult { id, envelope } => protocol::push_call_result(&mut buf, &id, &envelope),
                Out::Close => {
                    close = true;
                    break;
                }
            }
            if buf.len() < WRITE_BATCH {
                next = rx.try_recv().ok();
            }
        }
        if !buf.is_empty() && stdin.write_all(&buf).await.is_err() {
            return; // the worker is gone; its supervisor sees why
        }
        written.fetch_max(last, Ordering::Release);
        if close {
            return; // dropping stdin closes it
        }
        if buf.capacity() > 4 * WRITE_BATCH {
            buf = Vec::with_capacity(64 * 1024);
        }
    }
}

/// How a worker's stdout ended.
#[derive(Debug)]
pub(crate) enum ReadEnd {
    Eof,
    Garbage(String),
}

/// Reads the worker's stdout, routing each frame, until it ends.
pub(crate) async fn read_loop(stdout: ChildStdout, link: Arc<Link>, end: oneshot::Sender<ReadEnd>) {
    let mut reader = BufReader::with_capacity(64 * 1024, stdout);
    loop {
        match protocol::read_frame(&mut reader).await {
            Frame::Reply { id, reply } => link.answer(id, reply),
            Frame::Chunk { id, html } => link.chunk(id, html),
            Frame::Call { id, render, name, args } => link.call(id, render, name, args),
            Frame::Garbage(text) => {
                let _ = end.send(ReadEnd::Garbage(text));
                return;
            }
            Frame::Eof => {
                let _ = end.send(ReadEnd::Eof);
                return;
            }
        }
    }
}
