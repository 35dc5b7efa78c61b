//! Forms: a struct whose fields are the form's fields, a title, server-only
//! rules and a submit handler. Registering one with [`App::form`](crate::App::form) adds three
//! functions under the form's name:
//!
//! | function | kind | takes | answers |
//! |---|---|---|---|
//! | `NAME.schema` | query | nothing | [`FormSchema`]: title and, per field, label, widget, required, choices, initial value, help text, constraints |
//! | `NAME.validate` | mutation | the values | the field errors (`{}` when valid), including [`Form::clean`]'s; nothing is submitted |
//! | `NAME.submit` | mutation | the values | [`Form::on_submit_success`]'s output, or `VALIDATION` 422 with field errors |
//!
//! Constraints are garde attributes, exactly as on function arguments: they
//! reach the server's validation and the generated Zod schema (and the
//! `constraints` of each field). Field errors are keyed by wire names;
//! whole-form errors go under `""`.
//!
//! ```
//! use mizan::{App, Form, FormFields, Request};
//! use serde::{Deserialize, Serialize};
//!
//! /// Write to us.
//! #[derive(Deserialize, schemars::JsonSchema, garde::Validate, FormFields)]
//! #[serde(deny_unknown_fields)]
//! struct ContactForm {
//!     #[form(label = "Your name")]
//!     #[garde(length(chars, min = 1, max = 100))]
//!     name: String,
//!     #[garde(email)]
//!     email: String,
//!     #[form(widget = "textarea", help = "At least ten characters.")]
//!     #[garde(length(chars, min = 10, max = 2000))]
//!     message: String,
//! }
//!
//! #[derive(Serialize, schemars::JsonSchema)]
//! struct Receipt { message: String }
//!
//! impl Form for ContactForm {
//!     const NAME: &'static str = "contact";
//!     const TITLE: &'static str = "Contact us";
//!     type Output = Receipt;
//!
//!     async fn clean(&self, _req: &Request) -> mizan::Result<()> {
//!         let mut errors = mizan::forms::FieldErrors::new();
//!         if self.message.to_lowercase().contains("spam") {
//!             errors.add("message", "no spam, please");
//!         }
//!         errors.into_result()
//!     }
//!
//!     async fn on_submit_success(self, _req: &Request) -> mizan::Result<Receipt> {
//!         Ok(Receipt { message: format!("Thanks, {}!", self.name) })
//!     }
//! }
//!
//! let app = App::new().form::<ContactForm>();
//! let manifest = app.manifest().unwrap().to_json();
//! let names: Vec<&str> = manifest["functions"].as_array().unwrap().iter()
//!     .map(|f| f["name"].as_str().unwrap()).collect();
//! assert_eq!(names, ["contact.schema", "contact.validate", "contact.submit"]);
//! assert_eq!(manifest["forms"][0]["fields"][0]["label"], "Your name");
//! assert_eq!(manifest["forms"][0]["fields"][1]["widget"], "email");
//! ```

mod errors;
mod handlers;
mod schema;

use std::future::Future;
use std::sync::Arc;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Auth;
use crate::{Request, Result};

pub use errors::FieldErrors;
pub use mizan_manifest::{Constraints, FormChoice, FormField, FormSchema, Widget};

/// What `#[derive(mizan::FormFields)]` implements: the fields' wire names
/// and their form metadata, in declaration order.
pub trait FormFields {
    /// The struct's doc comment.
    const DOC: Option<&'static str>;
    /// Wire names of the fields, in declaration order.
    const FIELD_NAMES: &'static [&'static str];
    /// Per-field metadata, in declaration order.
    const FIELDS: &'static [FieldSpec];
    /// Each field's Rust name and wire name (after serde's `rename_all` and
    /// `rename`), so garde's and [`Form::clean`]'s errors land on the wire
    /// name. Fields whose names are the same may be left out.
    const WIRE_NAMES: &'static [(&'static str, &'static str)] = &[];
    /// The form's file field, if it has one (a field of type
    /// [`Upload`](crate::Upload), `Option<Upload>` or
    /// [`Uploads`](crate::Uploads) with `#[upload(…)]`): its wire name,
    /// shape and limits. `NAME.submit` then takes multipart.
    const UPLOAD: Option<crate::upload::UploadSpec> = None;

    /// Hands the file field its files (a form with one). Not API.
    #[doc(hidden)]
    fn attach(&mut self, files: crate::upload::Files) {
        let _ = files;
    }
}

/// A form. See the [module docs](self) for an example.
///
/// The struct is the form's values: it deserializes from the wire (unknown
/// keys refused), carries garde rules and derives [`FormFields`]. The three
/// functions share [`Form::AUTH`]; it is checked before any input is read.
pub trait Form:
    FormFields + DeserializeOwned + JsonSchema + garde::Validate<Context = ()> + Send + Sync + 'static
{
    /// The form's wire name, `[a-z][a-z0-9_]*` (`contact` gives
    /// `contact.schema`, `contact.validate`, `contact.submit`).
    const NAME: &'static str;
    /// The title shown above the form.
    const TITLE: &'static str;
    /// Who may use the form (default: anyone).
    const AUTH: Auth = Auth::Public;
    /// Submissions allowed per caller (its identity, else its client
    /// address) and period (default: no limit). `NAME.schema` and
    /// `NAME.validate` are not limited: they change nothing.
    const RATE: Option<crate::Rate> = None;
    /// What a successful submission answers.
    type Output: Serialize + JsonSchema + Send;

    /// Server-only rules, run after the garde rules pass (so they may rely
    /// on them) by both `validate` and `submit`. Return field errors keyed by
    /// wire name (`""` for the whole form; a Rust field name is moved to its
    /// wire name) with [`FieldErrors`], or any other error (a database
    /// outage, say), which is answered as is.
    fn clean(&self, req: &Request) -> impl Future<Output = Result<()>> + Send {
        let _ = req;
        async { Ok(()) }
    }

    /// Handles a valid submission. May still refuse with field errors
    /// (`Error::validation(…).with_field(…)`), like any handler, or with
    /// one of the typed errors [`Form::errors`] declares
    /// (`Err(BookingError::Full.into())`).
    fn on_submit_success(self, req: &Request) -> impl Future<Output = Result<Self::Output>> + Send;

    /// The typed errors `on_submit_success` may answer, an
    /// [`ErrorType`](crate::ErrorType) enum's:
    /// `Some(mizan::errors::Declared::of::<BookingError>())`. They are
    /// `NAME.submit`'s `errors` in the manifest, and the generated form
    /// hook's `error` is typed with them; a code of the application's own
    /// they do not declare is then answered as `INTERNAL`. None by default.
    fn errors() -> Option<crate::errors::Declared> {
        None
    }
}

/// One field's metadata, as `#[form(...)]` gives it. An initial value or a
/// choice whose JSON type the field's schema does not allow is a start-up
/// error. What is left out is
/// derived from the field's schema when the form is described: the label
/// from the wire name, the widget from the type and format, `required` and
/// the constraints from the schema, choices from a unit enum.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    /// The wire name.
    pub name: &'static str,
    /// `#[form(label = "…")]`.
    pub label: Option<&'static str>,
    /// `#[form(widget = "…")]`.
    pub widget: Option<Widget>,
    /// `#[form(help = "…")]`.
    pub help: Option<&'static str>,
    /// `#[form(initial = …)]`.
    pub initial: Option<Literal>,
    /// `#[form(choices = […])]`.
    pub choices: Option<&'static [Choice]>,
}

/// A literal value in `#[form(...)]`: an initial value or a choice.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Literal {
    /// A string.
    Str(&'static str),
    /// An integer.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A boolean.
    Bool(bool),
}

impl Literal {
    /// The JSON value.
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Self::Str(s) => s.into(),
            Self::Int(i) => i.into(),
            Self::Float(f) => f.into(),
            Self::Bool(b) => b.into(),
        }
    }
}

/// A choice in `#[form(choices = […])]`: a value, and a label (the value
/// when absent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// The value sent on the wire.
    pub value: Literal,
    /// What the user sees.
    pub label: Option<&'static str>,
}

/// Form `F` as the app registers it: its description (for the manifest)
/// and its three functions, each with the suffix of its name.
pub(crate) fn erase<F: Form>() -> (Arc<Described>, [handlers::Suffixed; 3]) {
    let described = Arc::new(schema::Described::new::<F>());
    let handlers = handlers::handlers::<F>(described.clone());
    (described, handlers)
}

/// A registered form, for the manifest.
pub(crate) use schema::Described;

/// The manifest's `forms`: one entry per form, in registration order.
/// Initial values and choices that do not fit their field are `errors`.
pub(crate) fn manifest_entries(forms: &[Arc<Described>], errors: &mut Vec<String>) -> Vec<FormSchema> {
    forms
        .iter()
        .map(|f| {
            errors.extend(f.problems().iter().cloned());
            f.schema().clone()
        })
        .collect()
}
