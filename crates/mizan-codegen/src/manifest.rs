//! The typed manifest (`mizan_manifest`, docs/manifest.md) as the borrowed
//! views the model and the emitters read.

use serde_json::{Map, Value};

pub(crate) use mizan_manifest::{ContextKind, Kind};

/// Who may call a function, as `meta.ts` writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Auth {
    Level(&'static str),
    Custom(String),
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
    /// For a stream, each item's schema.
    pub(crate) output: &'a Value,
    /// Whether the output is streamed (NDJSON, an async iterator of items).
    pub(crate) stream: bool,
    /// The errors it declares (output side `data` schemas).
    pub(crate) errors: &'a [mizan_manifest::DeclaredError],
    /// The upload argument, for a function that takes files.
    pub(crate) upload: Option<&'a mizan_manifest::Upload>,
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
    /// The entry as JSON, emitted as the form's description.
    pub(crate) entry: &'a Value,
}

/// The parts of the manifest codegen reads.
#[derive(Debug)]
pub(crate) struct Manifest<'a> {
    /// The typed manifest these views borrow from.
    pub(crate) typed: &'a mizan_manifest::Manifest,
    pub(crate) functions: Vec<Function<'a>>,
    pub(crate) channels: Vec<Channel<'a>>,
    pub(crate) input_defs: &'a Map<String, Value>,
    pub(crate) output_defs: &'a Map<String, Value>,
    pub(crate) forms: Vec<Form<'a>>,
}

fn strs(items: &[String]) -> Vec<&str> {
    items.iter().map(String::as_str).collect()
}

/// The JSON of each form entry, which the views borrow.
pub(crate) fn form_entries(typed: &mizan_manifest::Manifest) -> Vec<Value> {
    typed.forms.iter().map(|f| serde_json::to_value(f).unwrap_or(Value::Null)).collect()
}

impl<'a> Manifest<'a> {
    /// Views of `typed`; `entries` is [`form_entries`] of it.
    pub(crate) fn view(typed: &'a mizan_manifest::Manifest, entries: &'a [Value]) -> Self {
        let functions = typed
            .functions
            .iter()
            .map(|f| Function {
                name: &f.name,
                kind: f.kind,
                auth: match &f.auth {
                    mizan_manifest::Auth::Custom(path) => Auth::Custom(path.clone()),
                    level => Auth::Level(level.wire_name()),
                },
                context: f.context,
                invalidates: strs(&f.invalidates),
                doc: f.doc.as_deref(),
                args: strs(&f.args),
                input: &f.input,
                output: &f.output,
                stream: f.stream,
                errors: &f.errors,
                upload: f.upload.as_ref(),
            })
            .collect();
        let channels = typed
            .channels
            .iter()
            .map(|c| Channel {
                name: &c.name,
                doc: c.doc.as_deref(),
                params: &c.params,
                server_message: &c.server_message,
                client_message: c.client_message.as_ref(),
            })
            .collect();
        let forms = typed
            .forms
            .iter()
            .zip(entries)
            .map(|(f, entry)| Form { name: &f.name, title: &f.title, doc: f.doc.as_deref(), entry })
            .collect();
        Self {
            typed,
            functions,
            channels,
            input_defs: &typed.input_defs,
            output_defs: &typed.output_defs,
            forms,
        }
    }
}
