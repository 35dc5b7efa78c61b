//! `channels.ts`: a typed subscribe function per channel, on the runtime's
//! shared socket; no React. Emitted only when the manifest has channels.

use super::{header, import, sibling};
use crate::model::{ChannelModel, Model};
use crate::names::js_string;
use crate::render::doc_comment;

/// The channel's own doc, then `usage`.
pub(super) fn channel_doc(c: &ChannelModel<'_>, usage: &str) -> String {
    let text = match c.c.doc.map(str::trim).filter(|d| !d.is_empty()) {
        Some(doc) => format!("{doc}\n\n{usage}"),
        None => usage.to_owned(),
    };
    doc_comment(Some(&text), false, 0)
}

/// Every channel type name, sorted, for `import type { … } from "./types.js"`.
pub(super) fn type_imports(model: &Model<'_>) -> Vec<String> {
    let mut types: Vec<String> =
        model.channels.iter().flat_map(|c| c.types().map(|t| t.name.clone())).collect();
    types.sort();
    types.dedup();
    types
}

/// The module name and contents, when there are channels.
pub(super) fn emit(model: &Model<'_>) -> Option<(&'static str, String)> {
    if model.channels.is_empty() {
        return None;
    }
    let mut out = header("Channel subscriptions: a typed subscribe function per channel (no React).");
    out.push_str(
        "import {\n  getChannelSocket,\n  type ChannelSocket,\n  type ChannelSubscription,\n  type SubscriptionStatus,\n} from \"@mizan/client\";\n",
    );
    out.push_str(&import(&type_imports(model), &sibling("types"), true));
    for c in &model.channels {
        let (params, message, client) = (&c.params.name, &c.message.name, &c.client_message.name);
        let subscription = format!("ChannelSubscription<{client}>");
        let (result, usage) = if c.sends() {
            (subscription, "`send` on the result to talk, `close()` it to leave.")
        } else {
            (
                format!("Omit<{subscription}, \"send\">"),
                "The channel is listen-only; `close()` the result to leave.",
            )
        };
        let usage = format!(
            "Subscribes to channel `{}` on the page's shared socket (or `options.socket`):\n`onMessage` gets every message, `onStatus` every status change.\n{usage}",
            c.c.name
        );
        out.push('\n');
        out.push_str(&channel_doc(c, &usage));
        out.push_str(&format!(
            "export function {}(\n  params: {params},\n  onMessage: (message: {message}) => void,\n  onStatus?: (status: SubscriptionStatus) => void,\n  options?: {{ socket?: ChannelSocket }},\n): {result} {{\n",
            c.subscribe
        ));
        out.push_str(&format!(
            "  const socket = options?.socket ?? getChannelSocket();\n  return socket.subscribe<{message}, {client}>({}, params, onMessage, onStatus);\n}}\n",
            js_string(c.c.name)
        ));
    }
    Some(("channels", out))
}
