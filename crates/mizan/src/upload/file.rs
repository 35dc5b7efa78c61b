//! [`Upload`], one file as it arrives, and [`Uploads`], a list of them.

use std::fmt;

use bytes::Bytes;
use futures_util::Stream;

use super::source::{Refusal, Source, decode_error, keep};
use super::{Shape, UploadSpec};
use crate::{Error, Result};

/// One uploaded file, read as it arrives: its file name and declared
/// content type are known when the handler runs, its bytes come through
/// [`Upload::chunk`] (or [`Upload::into_stream`]) and are never held
/// whole by mizan.
///
/// Reading past the argument's `max_bytes` fails with `413
/// PAYLOAD_TOO_LARGE`, and the call answers that refusal whatever the
/// handler returns. Bytes the handler does not read are skipped, still
/// within the limit.
pub struct Upload {
    field: Option<multer::Field<'static>>,
    content_type: String,
    spec: Option<UploadSpec>,
    refusal: Option<Refusal>,
    read: u64,
}

impl Upload {
    pub(super) fn new(
        field: multer::Field<'static>,
        content_type: String,
        spec: UploadSpec,
        refusal: Refusal,
    ) -> Self {
        Self { field: Some(field), content_type, spec: Some(spec), refusal: Some(refusal), read: 0 }
    }

    /// An upload that never came through the multipart pipeline.
    pub(super) fn detached() -> Self {
        Self { field: None, content_type: String::new(), spec: None, refusal: None, read: 0 }
    }

    /// The file name the client sent (the part's `filename`), if any.
    pub fn file_name(&self) -> Option<&str> {
        self.field.as_ref().and_then(|f| f.file_name())
    }

    /// The declared content type, `type/subtype` in lower case
    /// (`application/octet-stream` when the part declares none). mizan
    /// does not sniff the bytes: this is what the client said.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// Bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The next chunk of the file, `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>> {
        let (Some(field), Some(spec)) = (self.field.as_mut(), self.spec.as_ref()) else {
            return Err(Error::internal("this upload was not received through a multipart call"));
        };
        match field.chunk().await {
            Ok(Some(bytes)) => {
                self.read += bytes.len() as u64;
                Ok(Some(bytes))
            }
            Ok(None) => Ok(None),
            Err(e) => {
                let e = decode_error(e, spec);
                if let Some(refusal) = &self.refusal {
                    keep(refusal, e.clone());
                }
                Err(e)
            }
        }
    }

    /// The file's chunks as a stream (ending after the first error).
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes>> + Send + 'static {
        futures_util::stream::unfold(Some(self), |state| async move {
            let mut upload = state?;
            match upload.chunk().await {
                Ok(Some(bytes)) => Some((Ok(bytes), Some(upload))),
                Ok(None) => None,
                Err(e) => Some((Err(e), None)),
            }
        })
    }
}

/// An upload that was not received: no file name, reads fail with
/// `INTERNAL`. What a form's file field holds in `NAME.validate`, which
/// takes no files (the field is `#[serde(skip)]`).
impl Default for Upload {
    fn default() -> Self {
        Self::detached()
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("file_name", &self.file_name())
            .field("content_type", &self.content_type)
            .field("bytes_read", &self.read)
            .finish()
    }
}

/// A list of uploaded files, read one at a time in the order the client
/// sent them: [`Uploads::next`] reads the next file's headers once the
/// previous [`Upload`] is dropped (its unread bytes skipped).
pub struct Uploads {
    source: Option<Source>,
}

impl Uploads {
    pub(super) fn new(source: Source) -> Self {
        debug_assert_eq!(source_shape(&source), Shape::List);
        Self { source: Some(source) }
    }

    pub(super) fn detached() -> Self {
        Self { source: None }
    }

    /// The next file, `None` after the last. Past `max_count` files this
    /// fails with `413 PAYLOAD_TOO_LARGE`; a file of an undeclared type
    /// with `422 VALIDATION` (`invalid_value` at `[name, index]`).
    pub async fn next(&mut self) -> Result<Option<Upload>> {
        match self.source.as_mut() {
            Some(source) => source.next().await,
            None => Err(Error::internal("these uploads were not received through a multipart call")),
        }
    }
}

/// A list that was not received: [`Uploads::next`] fails with `INTERNAL`.
/// What a form's file field holds in `NAME.validate`.
impl Default for Uploads {
    fn default() -> Self {
        Self::detached()
    }
}

impl fmt::Debug for Uploads {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Uploads").finish_non_exhaustive()
    }
}

fn source_shape(source: &Source) -> Shape {
    source.shape()
}
