//! A page from a render that may stream: sent whole (with its length) when
//! the render answers at once, or, when it sends its shell ahead of the
//! rest (something under `<Suspense>` waits for data), as a chunked body:
//! the shell inside `#mizan-root`, each later segment after the root's end
//! as it comes, then the props, contexts, queries and the bundle. A render
//! that fails once the shell was sent cannot change the page's 200: the
//! document ends with `#mizan-error` (the error's envelope), the failure is
//! logged, and the render is not retried.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use serde_json::value::RawValue;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::failure::{self, RenderFailure};
use super::page::{self, PageParts};
use super::pool::SsrPool;
use super::rendered::{RenderCalls, RenderEvent, RenderOptions, Rendered};
use crate::Error;

/// A render under way: its chunks, and its end.
pub(super) struct Started {
    chunks: mpsc::UnboundedReceiver<RenderEvent>,
    done: JoinHandle<Result<Rendered, RenderFailure>>,
}

/// Sends the render of `name` with `params` through the pool.
pub(super) fn start(
    pool: &Arc<SsrPool>,
    name: &str,
    params: String,
    calls: Option<Arc<dyn RenderCalls>>,
) -> Started {
    let (tx, chunks) = mpsc::unbounded_channel();
    let (pool, name) = (pool.clone(), name.to_owned());
    let mut options = RenderOptions::new();
    options.calls = calls;
    let done = tokio::spawn(async move { pool.run_render(&name, params, options, Some(tx)).await });
    Started { chunks, done }
}

/// What the page needs around the render.
pub(super) struct PageEnd {
    pub(super) pool: Arc<SsrPool>,
    pub(super) name: String,
    pub(super) props_json: String,
    pub(super) contexts_json: String,
    /// `#mizan-page`'s JSON.
    pub(super) page_json: String,
    /// The head from Rust.
    pub(super) head: super::head::Head,
    pub(super) nonce: Option<String>,
    pub(super) request_id: Option<String>,
    pub(super) bundle: JoinHandle<crate::Result<String>>,
}

impl PageEnd {
    async fn script_url(&mut self) -> crate::Result<String> {
        let bundle = (&mut self.bundle)
            .await
            .unwrap_or_else(|e| Err(Error::internal(format!("building the page's bundle failed: {e}"))))?;
        Ok(self.pool.script_url(&bundle))
    }

    fn parts<'a>(&'a self, script_url: &'a str, rendered: &'a Rendered) -> PageParts<'a> {
        PageParts {
            props_json: &self.props_json,
            contexts_json: &self.contexts_json,
            queries_json: rendered.queries.as_deref().map(RawValue::get),
            page_json: &self.page_json,
            script_url,
            nonce: self.nonce.as_deref(),
        }
    }

    fn error_page(&self, failure: &RenderFailure) -> Response {
        failure.log(&self.name, self.request_id.as_deref());
        let pool = &self.pool;
        failure::error_page(failure, pool.is_dev(), self.request_id.as_deref(), &pool.config().page_headers)
    }

    fn headers(&self, res: &mut Response) {
        let headers = res.headers_mut();
        self.pool.config().page_headers.apply(headers, self.nonce.as_deref());
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
}

/// The page's response: whole when the render ends before sending a chunk,
/// streamed when its shell comes first.
pub(super) async fn respond(mut started: Started, mut end: PageEnd) -> Response {
    let shell = tokio::select! {
        biased;
        Some(RenderEvent::Chunk(shell)) = started.chunks.recv() => shell,
        done = &mut started.done => {
            let done = done.unwrap_or_else(|e| Err(RenderFailure::plain(Error::internal(format!("the render task failed: {e}")))));
            return whole(done, end).await;
        }
    };
    let (tx, rx) = mpsc::channel::<Result<Bytes, Infallible>>(16);
    // The document's `<head>` goes out with the shell, before the render
    // reports its head: a streamed page's title and meta are Rust's (the
    // browser applies `<Head>`'s once it hydrates).
    let mut first = page::page_start(end.pool.config(), &end.head);
    first.push_str(&shell);
    first.push_str(page::ROOT_END);
    let _ = tx.send(Ok(Bytes::from(first))).await;
    let body = Body::from_stream(tokio_stream_of(rx));
    let mut res = Response::new(body);
    end.headers(&mut res);
    tokio::spawn(async move {
        let done = loop {
            tokio::select! {
                biased;
                Some(event) = started.chunks.recv() => {
                    if let RenderEvent::Chunk(html) = event {
                        let _ = tx.send(Ok(Bytes::from(html))).await;
                    }
                }
                done = &mut started.done => break done,
            }
        };
        while let Ok(RenderEvent::Chunk(html)) = started.chunks.try_recv() {
            let _ = tx.send(Ok(Bytes::from(html))).await;
        }
        let done = done.unwrap_or_else(|e| {
            Err(RenderFailure::plain(Error::internal(format!("the render task failed: {e}"))))
        });
        let script_url = end.script_url().await;
        let tail = match (done, script_url) {
            (Ok(rendered), Ok(url)) => {
                let mut tail = rendered.html.clone();
                page::push_page_end(&mut tail, &end.parts(&url, &rendered));
                tail
            }
            (done, url) => {
                let error = match done {
                    Err(failure) => failure,
                    Ok(_) => RenderFailure::plain(
                        url.clone().err().unwrap_or_else(|| Error::internal("no bundle")),
                    ),
                };
                failure_after_shell(&end, &error);
                let mut wire = error.error.clone();
                if let Some(id) = &end.request_id {
                    wire = wire.with_request_id(id.clone());
                }
                let envelope = wire.to_envelope().to_string();
                page::failed_page_end(&envelope, url.ok().as_deref(), end.nonce.as_deref())
            }
        };
        let _ = tx.send(Ok(Bytes::from(tail))).await;
    });
    res
}

/// Logs a render that failed after its shell went out.
fn failure_after_shell(end: &PageEnd, failure: &RenderFailure) {
    tracing::error!(target: "mizan::ssr", component = %end.name, request_id = end.request_id.as_deref(),
        code = failure.error.code(), "the streamed page's render failed after its shell was sent; \
        the document ends with its error marker");
    failure.log(&end.name, end.request_id.as_deref());
}

/// A render that ended without streaming: the page whole, or its error page.
async fn whole(done: Result<Rendered, RenderFailure>, mut end: PageEnd) -> Response {
    let rendered = match done {
        Ok(rendered) => rendered,
        Err(failure) => return end.error_page(&failure),
    };
    let url = match end.script_url().await {
        Ok(url) => url,
        Err(error) => return end.error_page(&RenderFailure::plain(error)),
    };
    // Sent whole, the page's `<head>` has the render's head over Rust's.
    let head = end.head.with_reported(rendered.head.as_deref());
    let page = page::build_page(end.pool.config(), &head, &rendered.html, &end.parts(&url, &rendered));
    page::page_response(page, &end.pool.config().page_headers, end.nonce.as_deref())
}

/// The receiver as a stream of body pieces.
fn tokio_stream_of(
    mut rx: mpsc::Receiver<Result<Bytes, Infallible>>,
) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}
