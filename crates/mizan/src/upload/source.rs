//! The multipart body of an upload call, read one part at a time with
//! multer: the `args` part first, then the files, each checked against the
//! upload argument's declaration as its headers arrive and limited while
//! its bytes do.

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, header};

use super::file::{Upload, Uploads};
use super::{Files, Shape, UploadSpec};
use crate::error::{Issue, IssueCode, PathSegment};
use crate::{Error, Result};

/// The name of the part that carries the other arguments' JSON.
pub(crate) const ARGS_PART: &str = "args";

/// The boundary of a `multipart/form-data` body, or `415` for any other
/// content type.
pub(crate) fn boundary(headers: &HeaderMap) -> Result<String> {
    let value = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let refuse = || {
        Error::unsupported_media_type(format!(
            "this function takes files: send multipart/form-data (an `args` part, then the files), not {}",
            value.unwrap_or("a body without content-type")
        ))
    };
    let mime: mime::Mime = value.and_then(|v| v.parse().ok()).ok_or_else(refuse)?;
    if mime.type_() != mime::MULTIPART || mime.subtype() != mime::FORM_DATA {
        return Err(refuse());
    }
    match mime.get_param(mime::BOUNDARY) {
        Some(b) if !b.as_str().is_empty() => Ok(b.as_str().to_owned()),
        _ => Err(Error::bad_request("multipart/form-data without a boundary")),
    }
}

/// The first refusal met while reading the files, shared by the source and
/// every [`Upload`] it gave out: the call answers it whatever the handler
/// returned.
pub(crate) type Refusal = Arc<Mutex<Option<Error>>>;

/// An upload call's body being read.
pub(crate) struct Source {
    parts: multer::Multipart<'static>,
    spec: UploadSpec,
    /// Files handed out so far.
    count: u32,
    refusal: Refusal,
}

impl Source {
    /// Reads `body` as multipart with `boundary`: the `args` part at most
    /// `args_limit` bytes, each file at most the declared `max_bytes`.
    pub(crate) fn new(body: Body, boundary: String, spec: UploadSpec, args_limit: usize) -> Self {
        let limits =
            multer::SizeLimit::new().per_field(spec.max_bytes).for_field(ARGS_PART, args_limit as u64);
        let constraints = multer::Constraints::new().size_limit(limits);
        let parts = multer::Multipart::with_constraints(body.into_data_stream(), boundary, constraints);
        Self { parts, spec, count: 0, refusal: Arc::new(Mutex::new(None)) }
    }

    /// The declared shape of the argument.
    pub(crate) fn shape(&self) -> Shape {
        self.spec.shape
    }

    /// The shared refusal.
    pub(crate) fn refusal(&self) -> Refusal {
        self.refusal.clone()
    }

    /// The first part, which must be `args`: the JSON of the other arguments.
    pub(crate) async fn args(&mut self) -> Result<String> {
        let first = self.parts.next_field().await.map_err(|e| decode_error(e, &self.spec))?;
        let Some(mut field) = first else {
            return Err(Error::bad_request("the multipart body has no parts: the first must be `args`"));
        };
        if field.name() != Some(ARGS_PART) {
            return Err(Error::bad_request(format!(
                "the first part must be `args` (the JSON of the other arguments), not {}",
                part_name(field.name())
            )));
        }
        let mut json = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|e| decode_error(e, &self.spec))? {
            json.extend_from_slice(&chunk);
        }
        String::from_utf8(json).map_err(|_| Error::bad_request("the `args` part is not UTF-8"))
    }

    /// The files for the argument's shape: a required one missing is a
    /// `VALIDATION` error (`required` at the argument's wire name).
    pub(crate) async fn files(mut self) -> Result<Files> {
        match self.spec.shape {
            Shape::One => match self.next().await? {
                Some(file) => Ok(Files::One(file)),
                None => Err(Error::validation(format!("`{}`: a file is required", self.spec.arg))
                    .with_issue(Issue {
                        path: vec![PathSegment::Key(self.spec.arg.to_owned())],
                        code: IssueCode::Required,
                        message: "a file is required".to_owned(),
                    })),
            },
            Shape::Optional => Ok(Files::Optional(self.next().await?)),
            Shape::List => Ok(Files::List(Uploads::new(self))),
        }
    }

    /// The next file part, checked: its name (the argument's wire name),
    /// the count, its declared type. `None` at the body's end. A refusal
    /// is also kept for the call's answer.
    pub(crate) async fn next(&mut self) -> Result<Option<Upload>> {
        let result = self.next_checked().await;
        if let Err(e) = &result {
            self.refuse(e.clone());
        }
        result
    }

    async fn next_checked(&mut self) -> Result<Option<Upload>> {
        let next = self.parts.next_field().await.map_err(|e| match e {
            multer::Error::LockFailure => Error::internal(
                "an upload list's next file was asked for while the previous one was still held: drop it first",
            ),
            e => decode_error(e, &self.spec),
        })?;
        let Some(field) = next else { return Ok(None) };
        let spec = self.spec;
        if field.name() != Some(spec.arg) {
            let name = field.name().unwrap_or("").to_owned();
            return Err(Error::validation(format!(
                "unexpected part {}: this function's files are parts named `{}`",
                part_name(field.name()),
                spec.arg
            ))
            .with_issue(Issue {
                path: vec![PathSegment::Key(name)],
                code: IssueCode::UnknownKey,
                message: format!("no upload argument is named so (expected `{}`)", spec.arg),
            }));
        }
        if self.count >= spec.max_count {
            return Err(Error::payload_too_large(format!(
                "`{}` takes at most {} file{}",
                spec.arg,
                spec.max_count,
                if spec.max_count == 1 { "" } else { "s" }
            )));
        }
        let content_type = field
            .content_type()
            .map_or_else(|| "application/octet-stream".to_owned(), |m| m.essence_str().to_ascii_lowercase());
        let mut path = vec![PathSegment::Key(spec.arg.to_owned())];
        if spec.shape == Shape::List {
            path.push(PathSegment::Index(self.count as usize));
        }
        if !spec.allows(&content_type) {
            let allowed = spec.mime.join(", ");
            return Err(Error::validation(format!("`{}`: type {content_type} is not allowed", spec.arg))
                .with_issue(Issue {
                    path,
                    code: IssueCode::InvalidValue,
                    message: format!("the file's type is {content_type}; allowed: {allowed}"),
                }));
        }
        self.count += 1;
        Ok(Some(Upload::new(field, content_type, spec, self.refusal.clone())))
    }

    fn refuse(&self, e: Error) {
        keep(&self.refusal, e);
    }
}

/// Keeps `e` as the call's refusal unless one is already kept.
pub(crate) fn keep(refusal: &Refusal, e: Error) {
    let mut slot = refusal.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if slot.is_none() {
        *slot = Some(e);
    }
}

/// The kept refusal, if any.
pub(crate) fn kept(refusal: &Refusal) -> Option<Error> {
    refusal.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
}

fn part_name(name: Option<&str>) -> String {
    name.map_or_else(|| "without a name".to_owned(), |n| format!("`{n}`"))
}

/// multer's error as the call's: a part past its limit is `413`, a body
/// that could not be read or is not well-formed multipart is `400`.
pub(crate) fn decode_error(e: multer::Error, spec: &UploadSpec) -> Error {
    match e {
        multer::Error::FieldSizeExceeded { limit, field_name } => {
            let name = field_name.unwrap_or_default();
            if name == ARGS_PART {
                Error::payload_too_large(format!("the `args` part is larger than {limit} bytes"))
            } else if name == spec.arg {
                Error::payload_too_large(format!("a file of `{name}` is larger than {limit} bytes"))
            } else {
                Error::payload_too_large(format!("part `{name}` is larger than {limit} bytes"))
            }
        }
        multer::Error::StreamReadFailed(e) => Error::bad_request(format!("reading the body failed: {e}")),
        e => Error::bad_request(format!("malformed multipart body: {e}")),
    }
}
