//! [`FieldErrors`]: collecting a form's server-only rule failures.

use crate::{Error, Result};

/// Field errors collected by [`Form::clean`](super::Form::clean), keyed by
/// wire name (`""` for the whole form). [`FieldErrors::into_result`] turns
/// them into `Ok(())` when there are none, else one `VALIDATION` error.
///
/// ```
/// let mut errors = mizan::forms::FieldErrors::new();
/// assert!(errors.is_empty());
/// errors.add("message", "no spam, please");
/// errors.add("", "try again tomorrow");
/// let e = errors.into_result().unwrap_err();
/// assert_eq!((e.code(), e.status().as_u16()), ("VALIDATION", 422));
/// assert_eq!(e.fields()["message"], ["no spam, please"]);
/// assert_eq!(e.fields()[""], ["try again tomorrow"]);
/// ```
#[derive(Debug, Default)]
pub struct FieldErrors {
    error: Option<Error>,
}

impl FieldErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `message` under the wire path `field` (`"email"`, `"items.0.name"`, or `""`).
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) -> &mut Self {
        let error = self.error.take().unwrap_or_else(|| Error::validation("invalid input"));
        self.error = Some(error.with_field(field, message));
        self
    }

    /// Whether nothing was added.
    pub fn is_empty(&self) -> bool {
        self.error.is_none()
    }

    /// `Ok(())` when empty, else the `VALIDATION` error carrying every field error.
    pub fn into_result(self) -> Result<()> {
        match self.error {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }
}
