//! Reading the manifest JSON (docs/manifest.md, version 1) into typed views.

use serde_json::{Map, Value};

use crate::error::CodegenError;

/// Query or mutation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Query,
    Mutation,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Query => "query",
            Self::Mutation => "mutation",
        }
    }
}

/// Who may call a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Auth {
    Level(&'static str),
    Custom(String),
}

/// A context function's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContextKind {
    Global,
    Local,
}

impl ContextKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Global => "global",
            Self::Local => "local",
        }
    }
}

/// One entry of `functions`.
#[derive(Debug)]
pub(crate) struct Function<'a> {
    pub(crate) name: &'a str,
    pub(crate) kind: Kind,
    pub(crate) auth: Auth,
    pub(crate) context: Option<ContextKind>,
    pub(crate) invalidates: Vec<&'a str>,
    pub(crate) doc: Option<&'a str>,
    pub(crate) args: Vec<&'a str>,
    pub(crate) input: &'a Value,
    pub(crate) output: &'a Value,
}

/// One entry of `channels`.
#[derive(Debug)]
pub(crate) struct Channel<'a> {
    pub(crate) name: &'a str,
    pub(crate) doc: Option<&'a str>,
    /// Input side (`input_defs`).
    pub(crate) params: &'a Value,
    /// Output side (`output_defs`).
    pub(crate) server_message: &'a Value,
    /// Input side; `None` for a listen-only channel.
    pub(crate) client_message: Option<&'a Value>,
}

/// One entry of `forms`: the form's description. Its values are the input of
/// function `NAME.submit` (and `NAME.validate`).
#[derive(Debug)]
pub(crate) struct Form<'a> {
    pub(crate) name: &'a str,
    pub(crate) title: &'a str,
    pub(crate) doc: Option<&'a str>,
    /// The entry as it is (checked by `parse_form`), emitted as the form's description.
    pub(crate) entry: &'a Value,
}

/// The parts of the manifest codegen reads.
#[derive(Debug)]
pub(crate) struct Manifest<'a> {
    pub(crate) functions: Vec<Function<'a>>,
    pub(crate) channels: Vec<Channel<'a>>,
    pub(crate) input_defs: &'a Map<String, Value>,
    pub(crate) output_defs: &'a Map<String, Value>,
    pub(crate) forms: Vec<Form<'a>>,
}

pub(crate) fn bad(msg: impl Into<String>) -> CodegenError {
    CodegenError::Manifest(msg.into())
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

fn array<'a>(root: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], CodegenError> {
    match root.get(key) {
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(bad(format!("`{key}` must be an array"))),
        None => Err(bad(format!("`{key}` is missing (it is always present, possibly empty)"))),
    }
}

fn defs<'a>(root: &'a Map<String, Value>, key: &str) -> Result<&'a Map<String, Value>, CodegenError> {
    match root.get(key) {
        Some(Value::Object(map)) => Ok(map),
        Some(Value::Null) | None => Ok(&EMPTY),
        Some(_) => Err(bad(format!("`{key}` must be an object of schemas"))),
    }
}

pub(crate) fn opt_str<'a>(
    f: &'a Map<String, Value>,
    key: &str,
    who: &str,
) -> Result<Option<&'a str>, CodegenError> {
    match f.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(bad(format!("{who}: `{key}` must be a string or null"))),
    }
}

fn str_list<'a>(f: &'a Map<String, Value>, key: &str, who: &str) -> Result<Vec<&'a str>, CodegenError> {
    match f.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().ok_or_else(|| bad(format!("{who}: `{key}` must be an array of strings"))))
            .collect(),
        Some(_) => Err(bad(format!("{who}: `{key}` must be an array of strings"))),
    }
}

impl<'a> Manifest<'a> {
    pub(crate) fn parse(value: &'a Value) -> Result<Self, CodegenError> {
        let root = value.as_object().ok_or_else(|| bad("the manifest must be a JSON object"))?;
        match root.get("version") {
            Some(v) if v.as_u64() == Some(1) => {}
            Some(v) => {
                return Err(bad(format!(
                    "unsupported manifest version {v} (this generator reads version 1)"
                )));
            }
            None => return Err(bad("`version` is missing")),
        }
        let functions = array(root, "functions")?
            .iter()
            .enumerate()
            .map(|(i, f)| parse_function(i, f))
            .collect::<Result<Vec<_>, _>>()?;
        let channels = array(root, "channels")?
            .iter()
            .enumerate()
            .map(|(i, c)| parse_channel(i, c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            functions,
            channels,
            input_defs: defs(root, "input_defs")?,
            output_defs: defs(root, "output_defs")?,
            forms: array(root, "forms")?
                .iter()
                .enumerate()
                .map(|(i, f)| crate::manifest_forms::parse_form(i, f))
                .collect::<Result<Vec<_>, _>>()?,
        })
    }
}

fn parse_function(index: usize, value: &Value) -> Result<Function<'_>, CodegenError> {
    let f = value.as_object().ok_or_else(|| bad(format!("functions[{index}] must be an object")))?;
    let name = f
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("functions[{index}]: `name` must be a string")))?;
    let who = format!("function `{name}`");
    let kind = match f.get("kind").and_then(Value::as_str) {
        Some("query") => Kind::Query,
        Some("mutation") => Kind::Mutation,
        _ => return Err(bad(format!("{who}: `kind` must be \"query\" or \"mutation\""))),
    };
    let auth = match f.get("auth") {
        None | Some(Value::Null) => Auth::Level("public"),
        Some(Value::String(s)) => match s.as_str() {
            "public" => Auth::Level("public"),
            "authenticated" => Auth::Level("authenticated"),
            "staff" => Auth::Level("staff"),
            "superuser" => Auth::Level("superuser"),
            other => {
                return Err(bad(format!(
                    "{who}: unknown auth level {other:?} (expected public, authenticated, staff, superuser or {{\"custom\": path}})"
                )));
            }
        },
        Some(Value::Object(o)) => match o.get("custom").and_then(Value::as_str) {
            Some(path) if o.len() == 1 => Auth::Custom(path.to_owned()),
            _ => {
                return Err(bad(format!("{who}: `auth` object must be {{\"custom\": \"path::to::check\"}}")));
            }
        },
        Some(_) => return Err(bad(format!("{who}: `auth` must be a string or {{\"custom\": …}}"))),
    };
    let context = match opt_str(f, "context", &who)? {
        None => None,
        Some("global") => Some(ContextKind::Global),
        Some("local") => Some(ContextKind::Local),
        Some(other) => {
            return Err(bad(format!(
                "{who}: unknown context {other:?} (expected null, \"global\" or \"local\")"
            )));
        }
    };
    let input = f.get("input").ok_or_else(|| bad(format!("{who}: `input` schema is missing")))?;
    let output = f.get("output").ok_or_else(|| bad(format!("{who}: `output` schema is missing")))?;
    Ok(Function {
        name,
        kind,
        auth,
        context,
        invalidates: str_list(f, "invalidates", &who)?,
        doc: opt_str(f, "doc", &who)?,
        args: str_list(f, "args", &who)?,
        input,
        output,
    })
}

fn parse_channel(index: usize, value: &Value) -> Result<Channel<'_>, CodegenError> {
    let c = value.as_object().ok_or_else(|| bad(format!("channels[{index}] must be an object")))?;
    let name = c
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| bad(format!("channels[{index}]: `name` must be a string")))?;
    let who = format!("channel `{name}`");
    let schema = |key: &str| c.get(key).ok_or_else(|| bad(format!("{who}: `{key}` schema is missing")));
    let client_message = match schema("client_message")? {
        Value::Null => None,
        other => Some(other),
    };
    Ok(Channel {
        name,
        doc: opt_str(c, "doc", &who)?,
        params: schema("params")?,
        server_message: schema("server_message")?,
        client_message,
    })
}
