//! Uploads: [`Upload`] arguments travel as `multipart/form-data` and reach
//! the handler as a stream of bytes, never held whole and never written to
//! a temporary file.
//!
//! The body's first part, named `args`, is the JSON object of the other
//! arguments; then come the files, each a part named by the upload
//! argument's wire name. A function has at most one upload argument:
//! [`Upload`] (exactly one file), `Option<Upload>` (at most one) or
//! [`Uploads`] (a list, read one part at a time, in the order sent). Its
//! limits (`#[upload(max_bytes = …, max_count = …, mime = […])]`) are
//! enforced while the bytes arrive.

mod file;
mod source;

use bytes::Bytes;

pub use file::{Upload, Uploads};
pub(crate) use source::{Source, boundary, kept};

use crate::Error;

/// The refusal of a function that takes no files, called with multipart.
pub(crate) fn not_taken(name: &str) -> Error {
    Error::unsupported_media_type(format!("`{name}` takes no files: send its arguments as application/json"))
}

/// The refusal of a function that takes files where only JSON can go (a
/// batch item, a context, a call from a render).
pub(crate) fn takes_files(name: &str) -> Error {
    Error::bad_request(format!(
        "`{name}` takes files: it is called on its own (`call/{name}`) with multipart/form-data, never in a batch"
    ))
}

/// How many files an upload argument takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// [`Upload`]: exactly one file.
    One,
    /// `Option<Upload>`: none or one.
    Optional,
    /// [`Uploads`]: any number up to `max_count`.
    List,
}

/// What `#[upload(…)]` declares about a function's upload argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadSpec {
    /// The argument's wire name: the name of each of its file parts.
    pub arg: &'static str,
    /// One, optional or a list.
    pub shape: Shape,
    /// Bytes allowed per file.
    pub max_bytes: u64,
    /// Files allowed (1 unless a list).
    pub max_count: u32,
    /// The declared content types allowed (`type/subtype`, or `type/*`);
    /// empty allows any.
    pub mime: &'static [&'static str],
}

impl UploadSpec {
    /// Bytes allowed per file when `max_bytes` is not given: 10 MB.
    pub const DEFAULT_MAX_BYTES: u64 = 10_000_000;
    /// Files allowed in a list when `max_count` is not given.
    pub const DEFAULT_MAX_COUNT: u32 = 16;

    /// Whether `content_type` (a part's declared type, `type/subtype`
    /// without parameters, lower case) is allowed.
    pub(crate) fn allows(&self, content_type: &str) -> bool {
        self.mime.is_empty()
            || self.mime.iter().any(|m| match m.strip_suffix("/*") {
                Some(top) => content_type.split('/').next() == Some(top),
                None => m.eq_ignore_ascii_case(content_type),
            })
    }
}

/// The files handed to a function's upload argument. Not API.
#[doc(hidden)]
pub enum Files {
    /// The one file.
    One(Upload),
    /// The file, if one was sent.
    Optional(Option<Upload>),
    /// The list, read as the handler asks.
    List(Uploads),
}

/// The types an upload argument can have. Not API.
#[doc(hidden)]
pub trait FromFiles: Sized + Send {
    /// How many files the type takes.
    const SHAPE: Shape;
    /// The value for `files` (of [`FromFiles::SHAPE`]).
    fn from_files(files: Files) -> Option<Self>;
}

impl FromFiles for Upload {
    const SHAPE: Shape = Shape::One;
    fn from_files(files: Files) -> Option<Self> {
        match files {
            Files::One(u) => Some(u),
            _ => None,
        }
    }
}

impl FromFiles for Option<Upload> {
    const SHAPE: Shape = Shape::Optional;
    fn from_files(files: Files) -> Option<Self> {
        match files {
            Files::Optional(u) => Some(u),
            _ => None,
        }
    }
}

impl FromFiles for Uploads {
    const SHAPE: Shape = Shape::List;
    fn from_files(files: Files) -> Option<Self> {
        match files {
            Files::List(u) => Some(u),
            _ => None,
        }
    }
}

/// Where the macro keeps an upload argument inside the arguments struct
/// until the files are attached (never deserialized). Not API.
#[doc(hidden)]
pub struct Slot<T>(Option<T>);

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T: FromFiles> Slot<T> {
    /// Fills the slot with `files`.
    pub fn attach(&mut self, files: Files) {
        self.0 = T::from_files(files);
    }

    /// The value; an upload whose files were never attached (a call that
    /// did not come through the multipart pipeline) reads as failing.
    pub fn take(self) -> T
    where
        T: Detached,
    {
        self.0.unwrap_or_else(T::detached)
    }
}

/// The value of an upload argument that was never attached. Not API.
#[doc(hidden)]
pub trait Detached {
    /// A value whose reads fail with `INTERNAL`.
    fn detached() -> Self;
}

impl Detached for Upload {
    fn detached() -> Self {
        Upload::detached()
    }
}

impl Detached for Option<Upload> {
    fn detached() -> Self {
        None
    }
}

impl Detached for Uploads {
    fn detached() -> Self {
        Uploads::detached()
    }
}

/// A chunk of an upload (re-exported for handlers' signatures).
pub type Chunk = Bytes;
