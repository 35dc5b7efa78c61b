//! The full check of the names a manifest's generated TypeScript holds:
//! definitions, functions, channels, context hooks and providers, forms,
//! and the runtime names the modules import. The first clash is the error.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::table::{
    CHANNEL_RUNTIME, CONTEXT_RUNTIME, ERROR_RUNTIME, FORM_RUNTIME, INFINITE_RUNTIME, NameError, NameTable,
    STREAM_RUNTIME,
};
use super::{camel, is_valid_channel_name, is_valid_function_name, pascal, type_ident};
use crate::refs::{bare_ref, collect_refs};
use crate::{Channel, ContextKind, Kind, Manifest, Side};

/// A function's generated names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionNames {
    /// The client function (`listPosts`).
    pub client: String,
    /// The hook (`useListPosts`); `None` for a context function.
    pub hook: Option<String>,
    /// The suspense hook of a query (`useListPostsSuspense`); `None` for a
    /// mutation, a stream or a context function.
    pub suspense_hook: Option<String>,
    /// The `queryOptions` factory of a query (`listPostsQueryOptions`);
    /// `None` for a mutation, a stream or a context function.
    pub query_options: Option<String>,
    /// The infinite-query hook of a cursor query (`useListPostsInfinite`,
    /// see [`crate::cursor`]); `None` for any other function.
    pub infinite_hook: Option<String>,
    /// The `infiniteQueryOptions` factory of a cursor query
    /// (`listPostsInfiniteQueryOptions`); `None` for any other function.
    pub infinite_query_options: Option<String>,
    /// `ListPostsInput` (its Zod schema is `ListPostsInputSchema`).
    pub input: String,
    /// `ListPostsOutput`.
    pub output: String,
    /// The names of its declared errors, when it declares some.
    pub errors: Option<ErrorNames>,
}

/// The generated names of a function's declared errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorNames {
    /// The union of every error the function rejects with (`ReserveError`).
    pub union: String,
    /// Its type guard (`isReserveError`).
    pub guard: String,
}

/// One of a channel's types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeName {
    /// `ChatParams`, `ChatMessage` or `ChatClientMessage`.
    pub name: String,
    /// Whether it is declared as its own type: not when the schema is the
    /// definition of that very name (by reference, or inlined).
    pub declared: bool,
}

/// A channel's generated names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelNames {
    /// `subscribeChat`.
    pub subscribe: String,
    /// `useChatChannel`.
    pub hook: String,
    /// `ChatParams`.
    pub params: TypeName,
    /// `ChatMessage`.
    pub message: TypeName,
    /// `ChatClientMessage`.
    pub client_message: TypeName,
}

/// A context function's generated names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextNames {
    /// Index of the function in the manifest's `functions`.
    pub function: usize,
    /// `useCurrentUser` / `useGreet`.
    pub hook: String,
    /// `GreetProvider` for a local context; `None` for a global one.
    pub provider: Option<String>,
}

/// A form's generated names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormNames {
    /// The form object (`contact`).
    pub object: String,
    /// The react-hook-form hook (`useContactForm`).
    pub hook: String,
    /// The values' type (`ContactFormValues`); its Zod schema is `…Schema`.
    pub values: String,
}

/// A definition's TypeScript name. A definition present on both sides with
/// identical schemas (whose references are shared too) is one type, listed
/// once with `shared` set and the output side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefName {
    /// The key in `input_defs` / `output_defs`.
    pub key: String,
    /// The side it is declared for.
    pub side: Side,
    /// The TypeScript name (`User`, or `UserInput` for a differing input side).
    pub ts_name: String,
    /// Whether both sides share it.
    pub shared: bool,
}

/// Every name the manifest's generated TypeScript holds, each checked free.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedNames {
    /// Per function, in manifest order.
    pub functions: Vec<FunctionNames>,
    /// Per channel, in manifest order.
    pub channels: Vec<ChannelNames>,
    /// Per context function, in manifest order.
    pub contexts: Vec<ContextNames>,
    /// Per form, in manifest order.
    pub forms: Vec<FormNames>,
    /// Every declared definition, sorted by TypeScript name.
    pub defs: Vec<DefName>,
    input_names: BTreeMap<String, String>,
    output_names: BTreeMap<String, String>,
}

impl GeneratedNames {
    /// The TypeScript name of definition `key` on `side`.
    pub fn def_name(&self, side: Side, key: &str) -> String {
        def_name_in(
            match side {
                Side::Input => &self.input_names,
                Side::Output => &self.output_names,
            },
            key,
        )
    }
}

fn def_name_in(names: &BTreeMap<String, String>, key: &str) -> String {
    names.get(key).cloned().unwrap_or_else(|| type_ident(key))
}

/// Props a local context provider cannot take as arguments: React keeps
/// `key` and `ref` for itself, and `children` are the provider's children.
const RESERVED_PROPS: &[&str] = &["children", "key", "ref"];

/// Checks every generated name of `manifest` and returns them.
///
/// The order is fixed, so the first clash reported is always the same:
/// definitions (by TypeScript name), then functions, channels, context
/// hooks and providers, and forms, each in manifest order.
pub fn check(manifest: &Manifest) -> Result<GeneratedNames, NameError> {
    let mut table = NameTable::with_runtime_names();
    let (defs, input_names, output_names) = def_names(manifest, &mut table)?;
    let functions = function_names(manifest, &mut table)?;
    let def_name = |side: Side, key: &str| match side {
        Side::Input => def_name_in(&input_names, key),
        Side::Output => def_name_in(&output_names, key),
    };
    let channels = channel_names(manifest, &mut table, &def_name)?;
    let contexts = context_names(manifest, &mut table)?;
    let forms = form_names(manifest, &mut table)?;
    Ok(GeneratedNames { functions, channels, contexts, forms, defs, input_names, output_names })
}

type DefTables = (Vec<DefName>, BTreeMap<String, String>, BTreeMap<String, String>);

/// Definition names. A name in both `input_defs` and `output_defs` gets one
/// type when shared; otherwise the output side keeps the name and the input
/// side gets the suffix `Input`.
fn def_names(manifest: &Manifest, table: &mut NameTable) -> Result<DefTables, NameError> {
    let (input, output) = (&manifest.input_defs, &manifest.output_defs);
    let shared = shared_defs(input, output);
    let mut input_names = BTreeMap::new();
    let mut output_names = BTreeMap::new();
    let mut defs = Vec::new();
    for key in output.keys() {
        let ts_name = type_ident(key);
        output_names.insert(key.clone(), ts_name.clone());
        defs.push(DefName { key: key.clone(), side: Side::Output, ts_name, shared: shared.contains(key) });
    }
    for key in input.keys() {
        let ts_name = if shared.contains(key) {
            type_ident(key)
        } else if output.contains_key(key) {
            format!("{}Input", type_ident(key))
        } else {
            type_ident(key)
        };
        if !shared.contains(key) {
            defs.push(DefName {
                key: key.clone(),
                side: Side::Input,
                ts_name: ts_name.clone(),
                shared: false,
            });
        }
        input_names.insert(key.clone(), ts_name);
    }
    defs.sort_by(|a, b| a.ts_name.cmp(&b.ts_name).then(a.side.cmp(&b.side)));
    for d in &defs {
        let owner = if d.shared {
            format!("the type `{}`", d.key)
        } else {
            format!("the type `{}` in {}", d.key, d.side.defs_key())
        };
        table.claim(&d.ts_name, &owner)?;
        table.claim(&format!("{}Schema", d.ts_name), &format!("the Zod schema of {owner}"))?;
    }
    Ok((defs, input_names, output_names))
}

/// Which definitions present on both sides can share one TypeScript type:
/// identical schemas whose references are all shared too.
fn shared_defs(input: &Map<String, Value>, output: &Map<String, Value>) -> BTreeSet<String> {
    let mut shared: BTreeSet<String> =
        input.iter().filter(|(k, v)| output.get(*k) == Some(*v)).map(|(k, _)| k.clone()).collect();
    loop {
        let before = shared.len();
        let snapshot = shared.clone();
        shared.retain(|key| {
            let mut refs = BTreeSet::new();
            if let Some(schema) = input.get(key) {
                collect_refs(schema, &mut refs);
            }
            refs.iter().all(|r| snapshot.contains(r) || !(input.contains_key(r) && output.contains_key(r)))
        });
        if shared.len() == before {
            return shared;
        }
    }
}

fn function_names(manifest: &Manifest, table: &mut NameTable) -> Result<Vec<FunctionNames>, NameError> {
    let mut seen = BTreeSet::new();
    let mut claimed_error_runtime = false;
    let mut out = Vec::with_capacity(manifest.functions.len());
    let (mut streams, mut cursor_queries) = (0usize, 0usize);
    for f in &manifest.functions {
        let name = f.name.as_str();
        if !is_valid_function_name(name) {
            return Err(NameError(format!(
                "function `{name}`: names must match [a-z][a-z0-9_]* (dotted for forms, like `contact.submit`)"
            )));
        }
        if !seen.insert(name) {
            return Err(NameError(format!("function `{name}` is registered twice")));
        }
        let client = camel(name);
        let base = pascal(name);
        let who = format!("function `{name}`");
        table.claim(&client, &format!("the client function of {who}"))?;
        let hook = if f.context.is_none() {
            let hook = format!("use{base}");
            table.claim(&hook, &format!("the hook of {who}"))?;
            Some(hook)
        } else {
            None
        };
        if f.stream && streams == 0 {
            table.claim_all(STREAM_RUNTIME)?;
        }
        streams += usize::from(f.stream);
        let (suspense_hook, query_options) = if f.context.is_none() && f.kind == Kind::Query && !f.stream {
            let suspense = format!("use{base}Suspense");
            let factory = format!("{client}QueryOptions");
            table.claim(&suspense, &format!("the suspense hook of {who}"))?;
            table.claim(&factory, &format!("the query options factory of {who}"))?;
            (Some(suspense), Some(factory))
        } else {
            (None, None)
        };
        let (infinite_hook, infinite_query_options) = if crate::cursor::is_cursor_query(manifest, f) {
            if cursor_queries == 0 {
                table.claim_all(INFINITE_RUNTIME)?;
            }
            cursor_queries += 1;
            let hook = format!("use{base}Infinite");
            let factory = format!("{client}InfiniteQueryOptions");
            table.claim(&hook, &format!("the infinite-query hook of {who}"))?;
            table.claim(&factory, &format!("the infinite query options factory of {who}"))?;
            (Some(hook), Some(factory))
        } else {
            (None, None)
        };
        let input = format!("{base}Input");
        let output = format!("{base}Output");
        table.claim(&input, &format!("the input type of {who}"))?;
        table.claim(&output, &format!("the output type of {who}"))?;
        table.claim(&format!("{input}Schema"), &format!("the input schema of {who}"))?;
        table.claim(&format!("{output}Schema"), &format!("the output schema of {who}"))?;
        let errors = if f.errors.is_empty() {
            None
        } else {
            if !claimed_error_runtime {
                table.claim_all(ERROR_RUNTIME)?;
                claimed_error_runtime = true;
            }
            let names = ErrorNames { union: format!("{base}Error"), guard: format!("is{base}Error") };
            table.claim(&names.union, &format!("the error type of {who}"))?;
            table.claim(&names.guard, &format!("the error guard of {who}"))?;
            Some(names)
        };
        out.push(FunctionNames {
            client,
            hook,
            suspense_hook,
            query_options,
            infinite_hook,
            infinite_query_options,
            input,
            output,
            errors,
        });
    }
    Ok(out)
}

/// Whether `schema` is the definition that is named `name` in TypeScript:
/// a bare reference to it, or its very schema inlined.
fn is_definition(
    schema: &Value,
    name: &str,
    defs: &Map<String, Value>,
    def_name: &dyn Fn(&str) -> String,
) -> bool {
    if let Some(key) = bare_ref(schema) {
        return def_name(&key) == name;
    }
    defs.iter().any(|(key, def)| def == schema && def_name(key) == name)
}

fn channel_names(
    manifest: &Manifest,
    table: &mut NameTable,
    def_name: &dyn Fn(Side, &str) -> String,
) -> Result<Vec<ChannelNames>, NameError> {
    if !manifest.channels.is_empty() {
        table.claim_all(CHANNEL_RUNTIME)?;
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(manifest.channels.len());
    for c in &manifest.channels {
        let name = c.name.as_str();
        if !is_valid_channel_name(name) {
            return Err(NameError(format!("channel `{name}`: names must match [a-z][a-z0-9_]* (no dots)")));
        }
        if !seen.insert(name) {
            return Err(NameError(format!("channel `{name}` is registered twice")));
        }
        let who = format!("channel `{name}`");
        let base = pascal(name);
        let subscribe = format!("subscribe{base}");
        let hook = format!("use{base}Channel");
        table.claim(&subscribe, &format!("the subscribe function of {who}"))?;
        table.claim(&hook, &format!("the hook of {who}"))?;
        let [params, message, client_message] = channel_types(manifest, c, &base, def_name);
        for (t, what) in
            [(&params, "params type"), (&message, "message type"), (&client_message, "client message type")]
        {
            if t.declared {
                table.claim(&t.name, &format!("the {what} of {who}"))?;
                table
                    .claim(&format!("{}Schema", t.name), &format!("the Zod schema of the {what} of {who}"))?;
            }
        }
        out.push(ChannelNames { subscribe, hook, params, message, client_message });
    }
    Ok(out)
}

/// A channel's params, message and client message type names.
fn channel_types(
    manifest: &Manifest,
    c: &Channel,
    base: &str,
    def_name: &dyn Fn(Side, &str) -> String,
) -> [TypeName; 3] {
    let slots = [
        ("Params", Some(&c.params), Side::Input),
        ("Message", Some(&c.server_message), Side::Output),
        ("ClientMessage", c.client_message.as_ref(), Side::Input),
    ];
    slots.map(|(suffix, schema, side)| {
        let name = format!("{base}{suffix}");
        let defs = manifest.defs(side);
        let is_def =
            schema.is_some_and(|schema| is_definition(schema, &name, defs, &|key| def_name(side, key)));
        TypeName { name, declared: !is_def }
    })
}

/// Context functions' hooks and providers; refuses local context arguments
/// React would not pass.
fn context_names(manifest: &Manifest, table: &mut NameTable) -> Result<Vec<ContextNames>, NameError> {
    let mut out = Vec::new();
    for (function, f) in manifest.functions.iter().enumerate() {
        let Some(kind) = f.context else { continue };
        if out.is_empty() {
            table.claim_all(CONTEXT_RUNTIME)?;
        }
        let who = format!("context function `{}`", f.name);
        let base = pascal(&f.name);
        let hook = format!("use{base}");
        table.claim(&hook, &format!("the hook of {who}"))?;
        let provider = match kind {
            ContextKind::Global => None,
            ContextKind::Local => {
                if let Some(arg) = f.args.iter().find(|a| RESERVED_PROPS.contains(&a.as_str())) {
                    return Err(NameError(format!(
                        "local context `{}`: its argument `{arg}` would be a prop of <{base}Provider>, \
                         which React keeps for itself (`children`, `key` and `ref` cannot be arguments); rename it",
                        f.name
                    )));
                }
                let provider = format!("{base}Provider");
                table.claim(&provider, &format!("the provider of {who}"))?;
                Some(provider)
            }
        };
        out.push(ContextNames { function, hook, provider });
    }
    Ok(out)
}

fn form_names(manifest: &Manifest, table: &mut NameTable) -> Result<Vec<FormNames>, NameError> {
    if !manifest.forms.is_empty() {
        table.claim_all(FORM_RUNTIME)?;
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(manifest.forms.len());
    for f in &manifest.forms {
        let name = f.name.as_str();
        if !is_valid_channel_name(name) {
            return Err(NameError(format!("form `{name}`: names must match [a-z][a-z0-9_]* (no dots)")));
        }
        if !seen.insert(name) {
            return Err(NameError(format!("form `{name}` is registered twice")));
        }
        let who = format!("form `{name}`");
        let base = pascal(name);
        let names = FormNames {
            object: camel(name),
            hook: format!("use{base}Form"),
            values: format!("{base}FormValues"),
        };
        table.claim(&names.object, &format!("the object of {who}"))?;
        table.claim(&names.hook, &format!("the hook of {who}"))?;
        table.claim(&names.values, &format!("the values type of {who}"))?;
        table.claim(&format!("{}Schema", names.values), &format!("the values schema of {who}"))?;
        out.push(names);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Auth, Function};
    use serde_json::json;

    fn function(name: &str) -> Function {
        Function {
            name: name.into(),
            kind: Kind::Query,
            auth: Auth::Public,
            context: None,
            invalidates: vec![],
            rate: None,
            doc: None,
            args: vec![],
            input: json!({ "type": "object" }),
            output: json!({ "type": "null" }),
            stream: false,
            errors: vec![],
            upload: None,
        }
    }

    fn with(functions: &[&str]) -> Manifest {
        Manifest { functions: functions.iter().map(|n| function(n)).collect(), ..Manifest::default() }
    }

    #[test]
    fn names_and_collisions() {
        let names = check(&with(&["list_posts", "contact.submit"])).expect("free");
        assert_eq!(names.functions[0].client, "listPosts");
        assert_eq!(names.functions[1].hook.as_deref(), Some("useContactSubmit"));
        let e = check(&with(&["list_posts", "list__posts"])).unwrap_err().0;
        assert!(e.contains("name collision") && e.contains("`listPosts`"), "{e}");
        let e = check(&with(&["echo", "use_echo"])).unwrap_err().0;
        assert!(e.contains("the hook of function `echo`") && e.contains("`useEcho`"), "{e}");
        assert!(check(&with(&["delete"])).unwrap_err().0.contains("reserved word"));
        assert!(check(&with(&["mizan_query_options"])).unwrap_err().0.contains("runtime import"));
        assert!(check(&with(&["use_mizan_suspense_query"])).unwrap_err().0.contains("runtime import"));

        assert!(check(&with(&["get_client"])).unwrap_err().0.contains("runtime import"));
        assert!(check(&with(&["Echo"])).unwrap_err().0.contains("names must match"));
    }

    #[test]
    fn queries_get_a_suspense_hook_and_a_factory() {
        let mut m = with(&["list_posts", "echo", "greet"]);
        m.functions[1].kind = Kind::Mutation;
        m.functions[2].context = Some(ContextKind::Local);
        let names = check(&m).expect("free");
        assert_eq!(names.functions[0].suspense_hook.as_deref(), Some("useListPostsSuspense"));
        assert_eq!(names.functions[0].query_options.as_deref(), Some("listPostsQueryOptions"));
        for f in &names.functions[1..] {
            assert_eq!((&f.suspense_hook, &f.query_options), (&None, &None), "{}", f.client);
        }
        // A mutation claims neither name, so other functions may take them.
        let mut m = with(&["echo", "echo_query_options", "use_echo_suspense"]);
        m.functions[0].kind = Kind::Mutation;
        check(&m).expect("a mutation has no factory or suspense hook");
        let e = check(&with(&["list_posts", "list_posts_query_options"])).unwrap_err().0;
        assert!(e.contains("the query options factory of function `list_posts`"), "{e}");
        assert!(e.contains("the client function of function `list_posts_query_options`"), "{e}");
        let e = check(&with(&["list_posts", "list_posts_suspense"])).unwrap_err().0;
        assert!(e.contains("the suspense hook of function `list_posts`"), "{e}");
        assert!(e.contains("`useListPostsSuspense`"), "{e}");
    }

    #[test]
    fn definitions_on_both_sides() {
        let mut m = with(&[]);
        m.input_defs.insert("Tag".into(), json!({ "type": "string" }));
        m.output_defs.insert("Tag".into(), json!({ "type": "string" }));
        m.input_defs.insert("User".into(), json!({ "type": "string" }));
        m.output_defs.insert("User".into(), json!({ "type": "number" }));
        let names = check(&m).expect("free");
        assert_eq!(names.def_name(Side::Input, "Tag"), "Tag");
        assert_eq!(names.def_name(Side::Input, "User"), "UserInput");
        assert_eq!(names.def_name(Side::Output, "User"), "User");
        let declared: Vec<&str> = names.defs.iter().map(|d| d.ts_name.as_str()).collect();
        assert_eq!(declared, ["Tag", "User", "UserInput"]);
        m.input_defs.insert("UserInput".into(), json!({ "type": "string" }));
        assert!(check(&m).unwrap_err().0.contains("`UserInput`"));
    }

    #[test]
    fn channels_contexts_and_forms() {
        let mut m = with(&["use_chat_channel"]);
        m.channels.push(Channel {
            name: "chat".into(),
            doc: None,
            params: json!({ "type": "object" }),
            server_message: json!({ "$ref": "#/$defs/ChatMessage" }),
            client_message: None,
        });
        let e = check(&m).unwrap_err().0;
        assert!(e.contains("`useChatChannel`") && e.contains("the hook of channel `chat`"), "{e}");
        m.functions.clear();
        m.output_defs.insert("ChatMessage".into(), json!({ "type": "string" }));
        let names = check(&m).expect("free");
        assert!(!names.channels[0].message.declared && names.channels[0].params.declared);

        let mut m = with(&["greet"]);
        m.functions[0].context = Some(ContextKind::Local);
        m.functions[0].args = vec!["key".into()];
        assert!(check(&m).unwrap_err().0.contains("local context `greet`"));
        m.functions[0].args = vec!["name".into()];
        let names = check(&m).expect("free");
        assert_eq!(names.functions[0].hook, None);
        assert_eq!(names.contexts[0].provider.as_deref(), Some("GreetProvider"));

        let mut m = with(&["contact"]);
        m.forms.push(crate::FormSchema {
            name: "contact".into(),
            title: "Contact".into(),
            doc: None,
            fields: vec![],
        });
        let e = check(&m).unwrap_err().0;
        assert!(e.contains("the object of form `contact`"), "{e}");
    }
}
