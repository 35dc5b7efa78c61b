//! The kitchen-sink fixture: real types whose schemas schemars 1 generates,
//! assembled into a manifest the way the server does (inputs under the
//! deserialize contract, outputs under the serialize contract).

// The types exist for their schemas: most are never built, their fields
// never read.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The committed kitchen-sink manifest.
pub(crate) fn fixture_path() -> PathBuf {
    super::crate_dir().join("tests/fixtures/kitchen_sink.json")
}

/// The committed kitchen-sink manifest, read.
pub(crate) fn load_fixture() -> Value {
    let text = std::fs::read_to_string(fixture_path()).expect("fixture exists");
    serde_json::from_str(&text).expect("fixture is JSON")
}

// ---- types -----------------------------------------------------------------

/// A 64-bit id that travels as a decimal string (mizan's string-id newtype).
#[derive(Serialize, Deserialize)]
pub(crate) struct StringId(pub i64);

impl JsonSchema for StringId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "StringId".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "int64-string" })
    }
}

/// What `echo` sends back.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Output {
    /// The echoed text.
    pub(crate) message: String,
}

/// A user id (newtype).
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct UserId(pub String);

/// A user account.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct User {
    pub(crate) id: UserId,
    #[garde(length(chars, min = 1, max = 50))]
    pub(crate) name: String,
    /// Optional on input (defaults), always present on output.
    #[serde(default)]
    pub(crate) bio: String,
    pub(crate) email: Option<String>,
    #[deprecated = "use `name`"]
    pub(crate) nickname: Option<String>,
}

/// Identical on both sides, so one type.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Tag {
    pub(crate) label: String,
}

/// Identical JSON on both sides, but it references `User`, which differs.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Membership {
    pub(crate) user: User,
    pub(crate) tags: Vec<Tag>,
}

/// A new post, with every garde constraint codegen maps.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewPost {
    #[garde(length(chars, min = 3, max = 120))]
    pub(crate) title: String,
    #[garde(email)]
    pub(crate) author_email: String,
    #[garde(url)]
    pub(crate) link: Option<String>,
    #[garde(pattern(r"^[a-z0-9]+(?:-[a-z0-9]+)*$"))]
    pub(crate) slug: String,
    #[garde(length(min = 1, max = 5))]
    pub(crate) tags: Vec<Tag>,
    #[garde(range(min = 0, max = 100))]
    pub(crate) score: i64,
    #[garde(range(min = -1.5, max = 1.5))]
    pub(crate) weight: f64,
    #[serde(rename = "full-name")]
    pub(crate) full_name: String,
}

/// One post.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Post {
    pub(crate) id: StringId,
    pub(crate) title: String,
    pub(crate) created: chrono::DateTime<chrono::Utc>,
    pub(crate) tags: BTreeSet<String>,
}

/// Counters of every scalar shape.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Stats {
    pub(crate) counts: BTreeMap<String, u32>,
    pub(crate) by_id: BTreeMap<u32, bool>,
    pub(crate) labels: BTreeSet<String>,
    pub(crate) pair: (i32, String),
    pub(crate) when: chrono::DateTime<chrono::Utc>,
    pub(crate) day: chrono::NaiveDate,
    pub(crate) at: chrono::NaiveTime,
    pub(crate) local: chrono::NaiveDateTime,
    pub(crate) id: uuid::Uuid,
    pub(crate) extra: serde_json::Value,
    pub(crate) unit: (),
    pub(crate) small: u8,
    pub(crate) medium: i16,
    pub(crate) ratio: f32,
    pub(crate) ok: bool,
}

/// Internally tagged.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Shape {
    /// A circle.
    Circle {
        radius: f64,
    },
    Rect(Rect),
    Empty,
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Rect {
    pub(crate) w: f64,
    pub(crate) h: f64,
}

/// Adjacently tagged.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "t", content = "c")]
pub(crate) enum Event {
    Message(String),
    Moved { x: i32, y: i32 },
    Ping,
}

/// Untagged.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub(crate) enum Loose {
    Text(String),
    Number(f64),
    Pair { a: bool },
}

/// Externally tagged, mixed.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) enum Command {
    Stop,
    Go(u16),
    Turn(i32, i32),
    Say { text: String },
}

/// Unit-only.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) enum Color {
    Red,
    Green,
    Blue,
}

/// Recursive through itself.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Tree {
    pub(crate) label: String,
    pub(crate) children: Vec<Tree>,
    pub(crate) parent: Option<Box<Tree>>,
}

/// Mutually recursive with `Edge`.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Node {
    pub(crate) id: u32,
    pub(crate) edges: Vec<Edge>,
}

#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Edge {
    pub(crate) to: Box<Node>,
    pub(crate) weight: Option<f64>,
}

/// Flattened parts.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Meta {
    pub(crate) created_by: String,
}

/// Flatten of a struct and of an internally tagged enum.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct Flat {
    pub(crate) name: String,
    #[serde(flatten)]
    pub(crate) meta: Meta,
    #[serde(flatten)]
    pub(crate) shape: Shape,
}

// ---- channels ---------------------------------------------------------------

/// Which room to join.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Room {
    /// The room's name.
    #[garde(length(chars, min = 1, max = 40))]
    pub(crate) room: String,
}

/// A line said in a room.
#[derive(Serialize, Deserialize, JsonSchema)]
pub(crate) struct ChatLine {
    /// Who said it, when signed in.
    pub(crate) user: Option<String>,
    pub(crate) text: String,
}

/// What a member sends to the room.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChatSend {
    #[garde(length(chars, min = 1, max = 500))]
    pub(crate) text: String,
}

/// Which prices to follow; every field optional.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TickerFilter {
    pub(crate) symbol: Option<String>,
}

// Named like the alias codegen would emit for `price_ticker`'s message, so
// the definition itself is that type (no alias is emitted).
/// A tick of the price ticker.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum PriceTickerMessage {
    Price { symbol: String, price: f64 },
    Halted,
}

// ---- argument structs (one per function, as the server builds them) --------

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EchoArgs {
    #[garde(length(chars, min = 1, max = 280))]
    text: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListPostsArgs {
    page: Option<u32>,
    tag: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreatePostArgs {
    post: NewPost,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GetUserArgs {
    id: StringId,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct UpdateUserArgs {
    user: User,
    membership: Membership,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct NoArgs {}

/// The JSON arguments of `set_avatar` (its file, `file`, is not in them).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SetAvatarArgs {
    /// Shown under the picture.
    caption: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TailArgs {
    #[garde(range(max = 500))]
    lines: u32,
}

/// One line of a log, streamed.
#[derive(Serialize, JsonSchema)]
pub(crate) struct LogLine {
    pub(crate) at: String,
    pub(crate) text: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ImportArgs {
    rows: Vec<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct TimelineArgs {
    cursor: Option<String>,
    tag: Option<String>,
}

/// A page of posts by cursor (mizan's `CursorPage<Post>` shape).
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "PostPage")]
pub(crate) struct CursorPage<T> {
    pub(crate) items: Vec<T>,
    pub(crate) next_cursor: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct GreetArgs {
    name: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ContactArgs {
    #[garde(email)]
    email: String,
    #[garde(length(chars, max = 2000))]
    message: String,
    #[serde(default)]
    topic: String,
}

// Mirrors of mizan's form description types (`mizan::forms`), under the
// same schema names, for the `contact.schema` function of the fixture.

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MizanFormSchema")]
struct FormSchema {
    name: String,
    title: String,
    doc: Option<String>,
    fields: Vec<FormField>,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(rename = "MizanFormWidget")]
enum Widget {
    Text,
    Textarea,
    Email,
    Select,
    DatetimeLocal,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MizanFormField")]
struct FormField {
    name: String,
    label: String,
    widget: Widget,
    required: bool,
    choices: Option<Vec<FormChoice>>,
    initial: Value,
    help_text: Option<String>,
    constraints: Constraints,
}

#[derive(Serialize, JsonSchema)]
#[schemars(rename = "MizanFormChoice")]
struct FormChoice {
    value: Value,
    label: String,
}

#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "MizanFormConstraints")]
struct Constraints {
    #[serde(skip_serializing_if = "Option::is_none")]
    min_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ShapesArgs {
    shape: Shape,
    event: Event,
    loose: Loose,
    command: Command,
    color: Color,
    colors: Vec<Color>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct FlatArgs {
    item: Flat,
}

// ---- assembly ---------------------------------------------------------------

/// How a declared error's `data` schema is made, if it has one.
type DataSchema = Option<fn(&mut SchemaGenerator) -> Value>;

/// The `data` of `create_post`'s `SLUG_TAKEN`: a struct variant's fields
/// (mizan makes its schema inline, from a struct of them).
#[derive(JsonSchema)]
#[allow(dead_code)]
struct SlugTaken {
    /// The slug asked for.
    slug: String,
    /// A free one, if there is.
    suggestion: Option<String>,
}

/// The `data` of `get_user`'s `USER_GONE`.
#[derive(JsonSchema)]
#[allow(dead_code)]
struct UserGone {
    id: u32,
}

struct Builder {
    input: SchemaGenerator,
    output: SchemaGenerator,
    functions: Vec<Value>,
    channels: Vec<Value>,
}

impl Builder {
    fn new() -> Self {
        Self {
            input: SchemaSettings::draft2020_12().for_deserialize().into_generator(),
            output: SchemaSettings::draft2020_12().for_serialize().into_generator(),
            functions: Vec::new(),
            channels: Vec::new(),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn function<A: JsonSchema, O: JsonSchema>(
        &mut self,
        name: &str,
        kind: &str,
        auth: Value,
        context: Option<&str>,
        invalidates: &[&str],
        doc: Option<&str>,
    ) {
        // As the server does (crates/mizan/src/function.rs): the args
        // struct inline, the output as a subschema (`$ref` for named types).
        let input = A::json_schema(&mut self.input).to_value();
        let output = self.output.subschema_for::<O>().to_value();
        let args: Vec<Value> = input
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().map(|k| json!(k)).collect())
            .unwrap_or_default();
        self.functions.push(json!({
            "name": name,
            "kind": kind,
            "auth": auth,
            "context": context,
            "invalidates": invalidates,
            "doc": doc,
            "args": args,
            "input": input,
            "output": output,
        }));
    }

    /// Gives the last function an upload argument (the manifest's
    /// `upload`, as mizan's `#[upload(...)]` describes it) and adds its
    /// name to `args` where the server lists it.
    fn upload(
        &mut self,
        arg: &str,
        multiple: bool,
        optional: bool,
        max_bytes: u64,
        max_count: u32,
        mime: &[&str],
    ) {
        if let Some(f) = self.functions.last_mut() {
            f["upload"] = json!({
                "arg": arg, "multiple": multiple, "optional": optional,
                "max_bytes": max_bytes, "max_count": max_count, "mime": mime,
            });
            if let Some(args) = f["args"].as_array_mut() {
                args.push(json!(arg));
            }
        }
    }

    /// Marks the last function a stream (its output: each item's schema).
    fn streams(&mut self) {
        if let Some(f) = self.functions.last_mut() {
            f["stream"] = json!(true);
        }
    }

    /// Declares the errors of function `name` (already added): each a code,
    /// a status and its `data` schema, made as the server makes them
    /// (crates/mizan/src/errors/declared.rs).
    fn errors(&mut self, name: &str, errors: Vec<(&str, u16, DataSchema)>) {
        let list: Vec<Value> = errors
            .into_iter()
            .map(|(code, status, data)| {
                json!({ "code": code, "status": status, "data": data.map(|schema| schema(&mut self.output)) })
            })
            .collect();
        let f = self.functions.iter_mut().find(|f| f["name"] == name).expect("the function is added");
        f["errors"] = Value::Array(list);
    }

    /// As the server does (crates/mizan/src/channel/erased.rs): params
    /// inline, the messages as subschemas; `client_message` null when the
    /// channel is listen-only (`sends` false).
    fn channel<P: JsonSchema, M: JsonSchema, C: JsonSchema>(
        &mut self,
        name: &str,
        doc: Option<&str>,
        sends: bool,
    ) {
        let params = P::json_schema(&mut self.input).to_value();
        let server = self.output.subschema_for::<M>().to_value();
        let client = if sends { self.input.subschema_for::<C>().to_value() } else { Value::Null };
        self.channels.push(json!({
            "name": name,
            "doc": doc,
            "params": params,
            "server_message": server,
            "client_message": client,
        }));
    }

    fn finish(mut self) -> Value {
        let input_defs: Map<String, Value> =
            self.input.take_definitions(true).into_iter().collect::<BTreeMap<_, _>>().into_iter().collect();
        let output_defs: Map<String, Value> =
            self.output.take_definitions(true).into_iter().collect::<BTreeMap<_, _>>().into_iter().collect();
        json!({
            "version": 1,
            "functions": self.functions,
            "channels": self.channels,
            "forms": [contact_form()],
            "input_defs": input_defs,
            "output_defs": output_defs,
        })
    }
}

/// The `forms` entry of form `contact` (what mizan's `App::form` describes).
fn contact_form() -> Value {
    json!({
        "name": "contact",
        "title": "Contact us",
        "doc": "Write to us.\nWe answer within a day.",
        "fields": [
            {
                "name": "email", "label": "Email", "widget": "email", "required": true,
                "choices": null, "initial": null, "help_text": null,
                "constraints": { "format": "email" }
            },
            {
                "name": "message", "label": "Message", "widget": "textarea", "required": true,
                "choices": null, "initial": "Hello!", "help_text": "Up to 2000 characters, */ included.",
                "constraints": { "maxLength": 2000 }
            },
            {
                "name": "topic", "label": "Topic", "widget": "select", "required": false,
                "choices": [
                    { "value": "general", "label": "General question" },
                    { "value": "bug", "label": "Bug report" },
                    { "value": "billing", "label": "Billing and invoices" }
                ],
                "initial": "general", "help_text": null, "constraints": {}
            }
        ]
    })
}

/// The kitchen-sink manifest, built from the types above.
pub(crate) fn build_fixture() -> Value {
    let mut b = Builder::new();
    b.function::<EchoArgs, Output>("echo", "mutation", json!("public"), None, &[], Some("Echo text back."));
    b.function::<ListPostsArgs, Vec<Post>>(
        "list_posts",
        "query",
        json!("authenticated"),
        None,
        &[],
        Some("Posts, newest first.\n\nPaged by `page`, filtered by `tag`."),
    );
    b.function::<CreatePostArgs, Post>(
        "create_post",
        "mutation",
        json!("staff"),
        None,
        &["list_posts"],
        Some("Create a post."),
    );
    b.function::<GetUserArgs, Option<User>>("get_user", "query", json!("superuser"), None, &[], None);
    b.function::<UpdateUserArgs, Membership>(
        "update_user",
        "mutation",
        json!({ "custom": "app::auth::is_owner" }),
        None,
        &[],
        Some("Update a user; the custom check allows the owner only."),
    );
    b.function::<NoArgs, Option<User>>(
        "current_user",
        "query",
        json!("public"),
        Some("global"),
        &[],
        Some("The signed-in user."),
    );
    b.function::<GreetArgs, String>("greet", "query", json!("public"), Some("local"), &[], None);
    b.function::<NoArgs, FormSchema>(
        "contact.schema",
        "query",
        json!("public"),
        None,
        &[],
        Some("The form's title and fields."),
    );
    b.function::<ContactArgs, BTreeMap<String, Vec<String>>>(
        "contact.validate",
        "mutation",
        json!("public"),
        None,
        &[],
        Some("Field errors of the values, {} when valid."),
    );
    b.function::<ContactArgs, ()>(
        "contact.submit",
        "mutation",
        json!("public"),
        None,
        &[],
        Some("Submit the contact form."),
    );
    b.function::<NoArgs, Stats>(
        "stats",
        "query",
        json!("public"),
        None,
        &[],
        Some("Counters. A comment with */ inside."),
    );
    b.function::<ShapesArgs, Tree>(
        "shapes",
        "mutation",
        json!("public"),
        None,
        &["list_posts", "stats"],
        None,
    );
    b.function::<NoArgs, Node>("graph", "query", json!("public"), None, &[], None);
    b.function::<FlatArgs, Flat>("flat", "mutation", json!("public"), None, &[], None);
    b.function::<TailArgs, LogLine>(
        "tail_log",
        "query",
        json!("staff"),
        None,
        &[],
        Some("The log's last lines, then new ones as they come."),
    );
    b.streams();
    b.function::<ImportArgs, u32>(
        "import_rows",
        "mutation",
        json!("staff"),
        None,
        &["list_posts"],
        Some("Imports rows, telling each row's number when done."),
    );
    b.streams();
    b.function::<TimelineArgs, CursorPage<Post>>(
        "timeline",
        "query",
        json!("public"),
        None,
        &[],
        Some("Posts by cursor."),
    );
    // The three upload shapes: `Upload`, `Option<Upload>`, `Uploads`.
    b.function::<SetAvatarArgs, String>(
        "set_avatar",
        "mutation",
        json!("authenticated"),
        None,
        &["get_user"],
        Some("Sets the avatar: one PNG or JPEG file."),
    );
    b.upload("file", false, false, 1_000_000, 1, &["image/png", "image/jpeg"]);
    b.function::<NoArgs, bool>(
        "set_cover",
        "mutation",
        json!("public"),
        None,
        &[],
        Some("A cover, or none."),
    );
    b.upload("cover", false, true, 2048, 1, &[]);
    b.function::<GreetArgs, u32>("add_photos", "mutation", json!("public"), None, &[], None);
    b.upload("photos", true, false, 10_000_000, 4, &["image/*"]);
    b.errors(
        "create_post",
        vec![
            ("SLUG_TAKEN", 409, Some(|g| SlugTaken::json_schema(g).to_value())),
            ("POST_LOCKED", 423, Some(|g| g.subschema_for::<Post>().to_value())),
            ("DRAFTS_FULL", 507, None),
        ],
    );
    b.errors("get_user", vec![("USER_GONE", 410, Some(|g| UserGone::json_schema(g).to_value()))]);
    b.errors("contact.submit", vec![("SPAM", 422, None)]);
    b.channel::<Room, ChatLine, ChatSend>(
        "chat",
        Some("Chat rooms: members receive every line said in their room."),
        true,
    );
    b.channel::<TickerFilter, PriceTickerMessage, ()>("price_ticker", None, false);
    let mut manifest = b.finish();
    add_hand_written(&mut manifest);
    manifest
}

/// Shapes schemars does not emit for the types above but other backends
/// may: hand-written JSON Schema.
fn add_hand_written(manifest: &mut Value) {
    let input = json!({
        "type": "object",
        "properties": {
            "catchall": {
                "type": "object",
                "properties": { "known": { "type": "string" } },
                "required": ["known"],
                "additionalProperties": { "type": "number" }
            },
            "rest": { "type": "array", "prefixItems": [{ "type": "string" }], "items": { "type": "boolean" }, "minItems": 1 },
            "either": { "anyOf": [{ "type": "string" }, { "type": "number" }, { "type": "null" }] },
            "mixed": { "enum": ["a", 1, true, null] },
            "single": { "const": 42 },
            "bounded": { "type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "multipleOf": 0.25 },
            "count": { "type": "integer", "format": "uint64", "minimum": 1, "exclusiveMaximum": 1000 },
            "any_object": { "type": "object" },
            "anything": {},
            "nothing": false,
            "both": { "allOf": [{ "$ref": "#/$defs/Loose" }, { "type": "object", "properties": { "x": { "type": "string" } } }] },
            "strict_flat": {
                "type": "object",
                "properties": { "a": { "type": "string" } },
                "allOf": [{ "type": "object", "properties": { "b": { "type": "string" } }, "required": ["b"] }],
                "unevaluatedProperties": false
            },
            "quoted keys": { "type": "object", "properties": { "a-b": { "type": "string" }, "$c": { "type": "string" }, "1d": { "type": "string" } } },
            "matrix": { "type": "array", "items": { "type": "array", "items": { "enum": ["x", "o"] } } }
        },
        "required": ["catchall", "rest", "either", "mixed", "single", "bounded", "count", "any_object", "both", "strict_flat"],
        "additionalProperties": false
    });
    let output = json!({
        "description": "Multi-line\n\ndescription on an inline output.",
        "type": ["array", "null"],
        "items": { "$ref": "#/$defs/Tree" }
    });
    let functions = manifest["functions"].as_array_mut().expect("functions");
    functions.push(json!({
        "name": "edge_cases",
        "kind": "mutation",
        "auth": "authenticated",
        "context": null,
        "invalidates": ["graph"],
        "doc": "Hand-written schemas:\n  * indented list\n  * ends with */",
        "args": input["properties"].as_object().map(|p| p.keys().cloned().collect::<Vec<_>>()),
        "input": input,
        "output": output,
    }));
}
