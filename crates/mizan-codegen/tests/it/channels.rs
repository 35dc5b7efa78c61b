//! Channels: generated names, the shape of the output, and every refusal
//! (names claimed in the namespace functions and definitions share).

use mizan_codegen::{GeneratedFiles, generate};
use serde_json::{Value, json};

fn room() -> Value {
    json!({
        "type": "object",
        "properties": { "room": { "type": "string", "minLength": 1 } },
        "required": ["room"],
        "additionalProperties": false
    })
}

fn channel(name: &str, client_message: Value) -> Value {
    json!({
        "name": name, "doc": null, "params": room(),
        "server_message": { "type": "string" }, "client_message": client_message
    })
}

fn function(name: &str) -> Value {
    json!({
        "name": name, "kind": "mutation", "auth": "public", "context": null, "invalidates": [],
        "doc": null, "args": [], "input": { "type": "object", "properties": {} }, "output": { "type": "null" }
    })
}

fn manifest(functions: Vec<Value>, channels: Vec<Value>, input_defs: Value, output_defs: Value) -> Value {
    json!({
        "version": 1, "functions": functions, "channels": channels, "forms": [],
        "input_defs": input_defs, "output_defs": output_defs
    })
}

fn channels(channels: Vec<Value>) -> Value {
    manifest(vec![], channels, json!({}), json!({}))
}

#[track_caller]
fn generated(manifest: &Value) -> GeneratedFiles {
    generate(manifest).unwrap_or_else(|e| panic!("generates: {e}"))
}

#[track_caller]
fn refused(manifest: Value, expected: &[&str]) {
    match generate(&manifest) {
        Ok(_) => panic!("expected a refusal mentioning {expected:?}"),
        Err(e) => {
            let text = e.to_string();
            for needle in expected {
                assert!(text.contains(needle), "{text:?} should mention {needle:?}");
            }
        }
    }
}

#[test]
fn no_channels_no_channel_modules() {
    let files = generated(&channels(vec![]));
    assert!(files.get("channels.ts").is_none());
    assert!(files.get("channel-hooks.ts").is_none());
    assert!(!files.get("index.ts").unwrap_or_default().contains("channel"));
    assert!(!files.get("react.ts").unwrap_or_default().contains("channel"));
    let meta = files.get("meta.ts").unwrap_or_default();
    assert!(
        meta.contains("export const mizanChannels = {} as const satisfies Record<string, MizanChannelMeta>;")
    );
}

#[test]
fn a_channel_with_client_messages() {
    let files = generated(&channels(vec![channel("chat_room", json!({ "type": "string", "maxLength": 9 }))]));
    let types = files.get("types.ts").unwrap_or_default();
    assert!(types.contains("export interface ChatRoomParams {\n  room: string;\n}"), "{types}");
    assert!(types.contains("export type ChatRoomMessage = string;"));
    assert!(types.contains("export type ChatRoomClientMessage = string;"));
    let schemas = files.get("schemas.ts").unwrap_or_default();
    assert!(
        schemas.contains("export const ChatRoomParamsSchema: z.ZodType<ChatRoomParams> = z.strictObject({")
    );
    assert!(schemas.contains(
        "export const ChatRoomClientMessageSchema: z.ZodType<ChatRoomClientMessage> = z.string().check(mizanChars(undefined, 9));"
    ));
    let subscribe = files.get("channels.ts").unwrap_or_default();
    assert!(
        subscribe.contains("export function subscribeChatRoom(\n  params: ChatRoomParams,"),
        "{subscribe}"
    );
    assert!(subscribe.contains("): ChannelSubscription<ChatRoomClientMessage> {"));
    assert!(subscribe.contains(r#"subscribe<ChatRoomMessage, ChatRoomClientMessage>("chat_room", params"#));
    assert!(!subscribe.contains("react"), "channels.ts stays free of React");
    let hooks = files.get("channel-hooks.ts").unwrap_or_default();
    assert!(hooks.contains("export function useChatRoomChannel(\n  params: ChatRoomParams,\n"), "{hooks}");
    assert!(hooks.contains("): ChannelHookResult<ChatRoomMessage, ChatRoomClientMessage> {"));
    let meta = files.get("meta.ts").unwrap_or_default();
    assert!(meta.contains(
        r#"  chat_room: { name: "chat_room", subscribe: "subscribeChatRoom", hook: "useChatRoomChannel", sends: true },"#
    ));
    // The subscribe functions are React-free (`index.ts`), the hooks are on the React side.
    let index = files.get("index.ts").unwrap_or_default();
    assert!(index.contains("export * from \"./channels.js\";\n"), "{index}");
    assert!(!index.contains("channel-hooks"), "{index}");
    let react = files.get("react.ts").unwrap_or_default();
    assert!(react.contains("export * from \"./channel-hooks.js\";\n"), "{react}");
}

#[test]
fn a_listen_only_channel_has_no_send() {
    let mut listen = channel("news", Value::Null);
    listen["doc"] = json!("Headlines as they happen.");
    listen["params"] = json!({ "type": "object", "properties": { "topic": { "type": "string" } } });
    let files = generated(&channels(vec![listen]));
    let types = files.get("types.ts").unwrap_or_default();
    assert!(types.contains("export type NewsClientMessage = never;"));
    assert!(
        files
            .get("schemas.ts")
            .unwrap_or_default()
            .contains("export const NewsClientMessageSchema: z.ZodType<NewsClientMessage> = z.never();")
    );
    let subscribe = files.get("channels.ts").unwrap_or_default();
    assert!(subscribe.contains("): Omit<ChannelSubscription<NewsClientMessage>, \"send\"> {"), "{subscribe}");
    assert!(subscribe.contains("/**\n * Headlines as they happen.\n *\n * Subscribes to channel `news`"));
    let hooks = files.get("channel-hooks.ts").unwrap_or_default();
    // Every param is optional, so the hook's params default to `{}`.
    assert!(hooks.contains("  params: NewsParams = {},\n"), "{hooks}");
    assert!(hooks.contains("): Omit<ChannelHookResult<NewsMessage, NewsClientMessage>, \"send\"> {"));
    assert!(files.get("meta.ts").unwrap_or_default().contains("sends: false }"));
}

#[test]
fn a_definition_named_like_the_alias_is_the_type() {
    let mut chat = channel("chat", json!({ "$ref": "#/$defs/ChatClientMessage" }));
    chat["server_message"] = json!({ "$ref": "#/$defs/ChatMessage" });
    let text =
        json!({ "type": "object", "properties": { "text": { "type": "string" } }, "required": ["text"] });
    let files = generated(&manifest(
        vec![],
        vec![chat],
        json!({ "ChatClientMessage": text }),
        json!({ "ChatMessage": text }),
    ));
    let types = files.get("types.ts").unwrap_or_default();
    assert_eq!(types.matches("export interface ChatMessage ").count(), 1, "{types}");
    assert_eq!(types.matches("export interface ChatClientMessage ").count(), 1, "{types}");
    assert!(!types.contains("export type ChatMessage ="));
    let schemas = files.get("schemas.ts").unwrap_or_default();
    assert_eq!(schemas.matches("export const ChatMessageSchema").count(), 1);

    // Params are inlined by the server; a params type `ChatParams` that a
    // function uses too is also a definition with the very same schema.
    let files = generated(&manifest(
        vec![function("say")],
        vec![channel("chat", Value::Null)],
        json!({ "ChatParams": room() }),
        json!({}),
    ));
    let types = files.get("types.ts").unwrap_or_default();
    assert_eq!(types.matches("ChatParams ").count(), 1, "{types}");
    assert!(files.get("channels.ts").unwrap_or_default().contains("  params: ChatParams,\n"));
}

#[test]
fn names_are_checked() {
    refused(channels(vec![channel("chat.room", Value::Null)]), &["channel `chat.room`", "[a-z][a-z0-9_]*"]);
    refused(channels(vec![channel("Chat", Value::Null)]), &["channel `Chat`"]);
    refused(
        channels(vec![channel("chat", Value::Null), channel("chat", Value::Null)]),
        &["channel `chat` is registered twice"],
    );
    // Two channels whose names meet after case conversion.
    refused(
        channels(vec![channel("chat_room", Value::Null), channel("chat__room", Value::Null)]),
        &["name collision", "`subscribeChatRoom`", "channel `chat_room`", "channel `chat__room`"],
    );
}

#[test]
fn collisions_with_functions_and_definitions_are_refused() {
    // A function and a channel of one name coexist: their names differ.
    generated(&manifest(vec![function("chat")], vec![channel("chat", Value::Null)], json!({}), json!({})));
    refused(
        manifest(vec![function("subscribe_chat")], vec![channel("chat", Value::Null)], json!({}), json!({})),
        &["name collision", "`subscribeChat`", "function `subscribe_chat`", "channel `chat`"],
    );
    refused(
        manifest(
            vec![function("use_chat_channel")],
            vec![channel("chat", Value::Null)],
            json!({}),
            json!({}),
        ),
        &["`useChatChannel`", "the hook of channel `chat`", "function `use_chat_channel`"],
    );
    // A function `chat_params` has the input type `ChatParamsInput`, and
    // a hook `useChatParams`: no clash; a definition `ChatParams` that the
    // channel does not use as its params does clash.
    refused(
        manifest(
            vec![],
            vec![channel("chat", Value::Null)],
            json!({ "ChatParams": { "type": "string" } }),
            json!({}),
        ),
        &["`ChatParams`", "the type `ChatParams`", "the params type of channel `chat`"],
    );
    refused(
        manifest(vec![], vec![channel("chat", Value::Null)], json!({}), json!({ "ChatMessageSchema": true })),
        &["`ChatMessageSchema`", "the Zod schema of the message type of channel `chat`"],
    );
    // The runtime names the channel modules import are claimed once there
    // are channels.
    refused(
        manifest(
            vec![function("get_channel_socket")],
            vec![channel("chat", Value::Null)],
            json!({}),
            json!({}),
        ),
        &["`getChannelSocket`", "runtime import"],
    );
    generated(&manifest(vec![function("get_channel_socket")], vec![], json!({}), json!({})));
    // Channel `mizan`'s hook would shadow the runtime's `useMizanChannel`.
    refused(
        channels(vec![channel("mizan", Value::Null)]),
        &["`useMizanChannel`", "the hook of channel `mizan`"],
    );
}

#[test]
fn malformed_channels() {
    refused(channels(vec![json!("chat")]), &["invalid manifest", "channels[0] must be an object"]);
    refused(channels(vec![json!({ "doc": null })]), &["channels[0]: `name` must be a string"]);
    let mut missing = channel("chat", Value::Null);
    missing.as_object_mut().map(|c| c.remove("client_message"));
    refused(channels(vec![missing]), &["channel `chat`: `client_message` schema is missing"]);
    let mut bad_doc = channel("chat", Value::Null);
    bad_doc["doc"] = json!(1);
    refused(channels(vec![bad_doc]), &["channel `chat`: `doc` must be a string or null"]);
}

#[test]
fn schema_errors_name_the_channel() {
    let mut chat = channel("chat", Value::Null);
    chat["server_message"] = json!({ "type": "object", "properties": { "n": { "type": "integer", "format": "uint64", "minimum": 0 } } });
    refused(channels(vec![chat]), &["channel `chat` server_message, at `n`", "uint64"]);
    let mut chat = channel("chat", json!({ "$ref": "#/$defs/Big" }));
    chat["doc"] = Value::Null;
    refused(
        manifest(vec![], vec![chat], json!({ "Big": { "type": "integer", "format": "int64" } }), json!({})),
        &["type `Big` in input_defs (used by channel `chat`)"],
    );
}
