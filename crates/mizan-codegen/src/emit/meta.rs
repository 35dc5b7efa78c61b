//! `meta.ts`: per-function metadata (kind, auth level, context, arguments)
//! so a UI can hide what the current user cannot call, and per-channel
//! metadata (generated names, whether subscribers send).

use super::header;
use crate::manifest::Auth;
use crate::model::Model;
use crate::names::{js_string, prop_key};

const PRELUDE: &str = r#"
/** Fixed auth levels, lowest first; a higher level passes every lower one. */
export type MizanAuthLevel = "public" | "authenticated" | "staff" | "superuser";

/** A function's auth requirement: a level, or a custom server-side check. */
export type MizanAuth = MizanAuthLevel | { readonly custom: string };

/** What the manifest says about one function. */
export interface MizanFunctionMeta {
  /** Wire name, as passed to the server. */
  readonly name: string;
  /** Name of the generated client function. */
  readonly client: string;
  readonly kind: "query" | "mutation";
  readonly auth: MizanAuth;
  readonly context: "global" | "local" | null;
  /** Queries a successful call invalidates. */
  readonly invalidates: readonly string[];
  /** Argument wire names in declaration order. */
  readonly args: readonly string[];
  /** Present on a stream function: its client function gives an async iterator of items. */
  readonly stream?: true;
  /** Present on a function that takes files: the upload argument's wire name and limits. */
  readonly upload?: {
    readonly arg: string;
    readonly multiple: boolean;
    readonly optional: boolean;
    readonly maxBytes: number;
    readonly maxCount: number;
    readonly mime: readonly string[];
  };
}

/** What the manifest says about one channel. */
export interface MizanChannelMeta {
  /** Wire name, as sent in `sub` frames. */
  readonly name: string;
  /** Name of the generated subscribe function. */
  readonly subscribe: string;
  /** Name of the generated React hook. */
  readonly hook: string;
  /** Whether subscribers may send client messages (false: listen-only). */
  readonly sends: boolean;
}
"#;

const MAY_CALL: &str = r#"
/** A registered function's wire name. */
export type MizanFunctionName = keyof typeof mizanFunctions;

const mizanRank: Record<MizanAuthLevel, number> = { public: 0, authenticated: 1, staff: 2, superuser: 3 };

/**
 * Whether a user at `level` (`"public"` when signed out) may call `name`.
 * Custom checks run on the server only, so for them this answers `true` and
 * the server decides.
 */
export function mizanMayCall(name: MizanFunctionName, level: MizanAuthLevel): boolean {
  const auth: MizanAuth = mizanFunctions[name].auth;
  return typeof auth !== "string" || mizanRank[level] >= mizanRank[auth];
}
"#;

fn list(items: &[&str]) -> String {
    format!("[{}]", items.iter().map(|s| js_string(s)).collect::<Vec<_>>().join(", "))
}

pub(super) fn emit(model: &Model<'_>) -> String {
    let mut out =
        header("Per-function metadata (kind, auth level, context, arguments) and per-channel metadata.");
    out.push_str(PRELUDE);
    out.push_str(
        "\n/** Every function in registration order, by wire name. */\nexport const mizanFunctions = {\n",
    );
    for f in &model.functions {
        let auth = match &f.f.auth {
            Auth::Level(level) => js_string(level),
            Auth::Custom(path) => format!("{{ custom: {} }}", js_string(path)),
        };
        let context = f.f.context.map_or_else(|| "null".to_owned(), |c| js_string(c.as_str()));
        out.push_str(&format!(
            "  {}: {{\n    name: {},\n    client: {},\n    kind: {},\n    auth: {auth},\n    context: {context},\n    invalidates: {},\n    args: {},\n{}{}  }},\n",
            prop_key(f.f.name),
            js_string(f.f.name),
            js_string(&f.client),
            js_string(f.f.kind.as_str()),
            list(&f.f.invalidates),
            list(&f.f.args),
            if f.f.stream { "    stream: true,\n" } else { "" },
            f.f.upload.map_or_else(String::new, |u| format!(
                "    upload: {{ arg: {}, multiple: {}, optional: {}, maxBytes: {}, maxCount: {}, mime: {} }},\n",
                js_string(&u.arg),
                u.multiple,
                u.optional,
                u.max_bytes,
                u.max_count,
                list(&u.mime.iter().map(String::as_str).collect::<Vec<_>>())
            )),
        ));
    }
    out.push_str("} as const satisfies Record<string, MizanFunctionMeta>;\n");
    out.push_str(MAY_CALL);
    out.push_str(
        "\n/** Every channel in registration order, by wire name. */\nexport const mizanChannels = {",
    );
    if !model.channels.is_empty() {
        out.push('\n');
    }
    for c in &model.channels {
        out.push_str(&format!(
            "  {}: {{ name: {}, subscribe: {}, hook: {}, sends: {} }},\n",
            prop_key(c.c.name),
            js_string(c.c.name),
            js_string(&c.subscribe),
            js_string(&c.hook),
            c.sends()
        ));
    }
    out.push_str("} as const satisfies Record<string, MizanChannelMeta>;\n");
    out.push_str("\n/** A registered channel's wire name. */\nexport type MizanChannelName = keyof typeof mizanChannels;\n");
    out
}
