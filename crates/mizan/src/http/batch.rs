//! `POST batch`: items run concurrently and answer in order.

use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::body;
use super::call::{prepare, respond};
use crate::Error;
use crate::runtime::Runtime;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Item<'a> {
    #[serde(rename = "fn")]
    name: String,
    #[serde(borrow, default)]
    args: Option<&'a RawValue>,
}

pub(super) async fn post(State(runtime): State<Arc<Runtime>>, req: axum::extract::Request) -> Response {
    if let Err(e) = super::uri::check(req.uri(), runtime.http.limits.uri_bytes) {
        return e.into_response();
    }
    let (parts, body) = req.into_parts();
    let limits = runtime.http.limits.clone();
    let result = async {
        super::media::require_json(&parts.headers)?;
        let bytes = body::read(&parts.headers, body, limits.body_bytes).await?;
        let request = prepare(parts, runtime).await?;
        let text = body::utf8(&bytes)?;
        let items = parse(text, limits.batch_len)?;
        // A stream answers on its own: a batch naming one is refused whole.
        if let Some(item) =
            items.iter().find(|item| request.functions().get(&item.name).is_some_and(|h| h.streams()))
        {
            return Err(crate::call::streamed(&item.name));
        }
        // So does a function that takes files.
        if let Some(item) = items
            .iter()
            .find(|item| request.functions().get(&item.name).is_some_and(|h| h.info().upload.is_some()))
        {
            return Err(crate::upload::takes_files(&item.name));
        }
        let results = futures_util::future::join_all(items.iter().map(|item| {
            let input = item.args.map_or("{}", RawValue::get);
            crate::call::run(&request, &item.name, input)
        }))
        .await;
        let mut out = Vec::with_capacity(64 * results.len());
        let mut retry_after = None;
        out.push(b'[');
        for (i, result) in results.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match result {
                Ok(envelope) => out.extend_from_slice(&envelope),
                Err(e) => {
                    retry_after = retry_after.max(e.retry_after());
                    out.extend_from_slice(e.to_batch_item().to_string().as_bytes());
                }
            }
        }
        out.push(b']');
        Ok((out, retry_after))
    }
    .await;
    match result {
        Ok((out, retry_after)) => {
            let mut response = respond(Ok(out), None);
            // The longest wait any item was told, for the batch as a whole.
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
            }
            response
        }
        Err(e) => respond(Err(e), None),
    }
}

fn parse(text: &str, max: usize) -> Result<Vec<Item<'_>>, Error> {
    let items: Vec<Item<'_>> = serde_json::from_str(text)
        .map_err(|e| Error::bad_request(format!("a batch is [{{\"fn\": name, \"args\": {{…}}}}, …]: {e}")))?;
    if items.len() > max {
        return Err(Error::payload_too_large(format!(
            "a batch holds at most {max} calls, got {}",
            items.len()
        )));
    }
    if let Some(i) =
        items.iter().position(|it| it.args.is_some_and(|a| !a.get().trim_start().starts_with('{')))
    {
        return Err(Error::bad_request(format!("batch item {i}: `args` must be a JSON object")));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn envelopes() {
        assert_eq!(parse(r#"[{"fn":"a","args":{}},{"fn":"b"}]"#, 50).unwrap().len(), 2);
        assert_eq!(parse(r#"{"fn":"a"}"#, 50).unwrap_err().code(), "BAD_REQUEST");
        assert_eq!(parse(r#"[{"fn":"a","args":[]}]"#, 50).unwrap_err().code(), "BAD_REQUEST");
        assert_eq!(parse(r#"[{"fn":"a","extra":1}]"#, 50).unwrap_err().code(), "BAD_REQUEST");
        assert_eq!(parse(r#"[{"args":{}}]"#, 50).unwrap_err().code(), "BAD_REQUEST");
        assert_eq!(parse(r#"[{"fn":"a"},{"fn":"a"}]"#, 1).unwrap_err().code(), "PAYLOAD_TOO_LARGE");
    }
}
