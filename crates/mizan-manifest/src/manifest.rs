//! The manifest document and its two definition tables.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::de::null_as_default;
use crate::locate::{ManifestError, locate};
use crate::{Auth, Channel, FormSchema, Function};

/// The manifest format version.
pub const VERSION: u32 = 1;

/// The manifest, version 1: every function, channel and form with their
/// schemas, and the definitions those schemas reference.
///
/// Serialized with its keys in this order; `pages` only when there are some.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`VERSION`].
    pub version: u32,
    /// In registration order.
    pub functions: Vec<Function>,
    /// In registration order.
    pub channels: Vec<Channel>,
    /// In registration order; each names three of the `functions`.
    pub forms: Vec<FormSchema>,
    /// Definitions the input-side schemas reference (`#/$defs/Name`).
    #[serde(default, deserialize_with = "null_as_default")]
    pub input_defs: Map<String, Value>,
    /// Definitions the output-side schemas reference.
    #[serde(default, deserialize_with = "null_as_default")]
    pub output_defs: Map<String, Value>,
    /// Server-rendered pages declared with a route, in registration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<Page>,
}

impl Default for Manifest {
    fn default() -> Self {
        Self {
            version: VERSION,
            functions: Vec::new(),
            channels: Vec::new(),
            forms: Vec::new(),
            input_defs: Map::new(),
            output_defs: Map::new(),
            pages: Vec::new(),
        }
    }
}

/// A server-rendered page declared with its route (`#[mizan::page]` and
/// `App::page`): its name, route pattern, component, auth level and props'
/// schema (output side).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(expecting = "an object")]
pub struct Page {
    /// The page's name (the Rust fn's).
    pub name: String,
    /// The route pattern it is served at (`/todos/`, `/users/{id}/`).
    pub route: String,
    /// The component file, relative to the SSR dirs (`components/Todos.tsx`).
    pub component: String,
    /// The layout components around it, relative to the SSR dirs,
    /// outermost first (absent when it has none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub layouts: Vec<String>,
    /// Who may see it (absent or `null` reads as public).
    #[serde(default, deserialize_with = "crate::function::auth_or_public")]
    pub auth: Auth,
    /// The doc comment, if any.
    #[serde(default, deserialize_with = "crate::de::string_or_null")]
    pub doc: Option<String>,
    /// The props' schema (refs into `output_defs`).
    pub props: Value,
}

/// Which side of the wire a schema describes: `$ref`s resolve against
/// `input_defs` or `output_defs` accordingly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// What clients send (deserialize contract).
    Input,
    /// What the server sends (serialize contract).
    Output,
}

impl Side {
    /// The manifest key of the side's definitions.
    pub fn defs_key(self) -> &'static str {
        match self {
            Self::Input => "input_defs",
            Self::Output => "output_defs",
        }
    }
}

impl Manifest {
    /// The manifest as JSON, exactly as it is served and printed.
    pub fn to_json(&self) -> Value {
        // Serializing these types into a `Value` cannot fail: every map key
        // is a string and every number is finite (non-finite floats
        // serialize as `null`).
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Reads a manifest, refusing any other version and any value that
    /// does not have its place's type, with a message naming the place
    /// (`function `echo`: `kind` …`, `form `contact`, field `email`: …`).
    pub fn from_json(value: &Value) -> Result<Self, ManifestError> {
        let Value::Object(root) = value else {
            return Err(ManifestError("the manifest must be a JSON object".into()));
        };
        match root.get("version") {
            Some(v) if v.as_u64() == Some(u64::from(VERSION)) => {}
            Some(v) => {
                return Err(ManifestError(format!(
                    "unsupported manifest version {v} (this reader takes version {VERSION})"
                )));
            }
            None => return Err(ManifestError("`version` is missing".into())),
        }
        let manifest: Self = serde_path_to_error::deserialize(value).map_err(|e| locate(value, &e))?;
        manifest.check_forms()?;
        manifest.check_errors()?;
        Ok(manifest)
    }

    /// The definitions of one side.
    pub fn defs(&self, side: Side) -> &Map<String, Value> {
        match side {
            Side::Input => &self.input_defs,
            Side::Output => &self.output_defs,
        }
    }

    /// What serde cannot say: a function's declared errors keep the rules
    /// of [`crate::errors::problems`].
    fn check_errors(&self) -> Result<(), ManifestError> {
        for f in &self.functions {
            if let Some(problem) = crate::errors::problems(&f.errors).into_iter().next() {
                return Err(ManifestError(format!("function `{}`: {problem}", f.name)));
            }
        }
        Ok(())
    }

    /// What serde cannot say: a form lists each field once.
    fn check_forms(&self) -> Result<(), ManifestError> {
        for form in &self.forms {
            let mut seen = std::collections::BTreeSet::new();
            for field in &form.fields {
                if !seen.insert(field.name.as_str()) {
                    return Err(ManifestError(format!(
                        "form `{}`: field `{}` is listed twice",
                        form.name, field.name
                    )));
                }
            }
        }
        Ok(())
    }
}

impl std::str::FromStr for Manifest {
    type Err = ManifestError;

    /// Parses manifest JSON text (see [`Manifest::from_json`]).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| ManifestError(format!("not valid JSON: {e}")))?;
        Self::from_json(&value)
    }
}
