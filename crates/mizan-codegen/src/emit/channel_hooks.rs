//! `channel-hooks.ts`: `useChatChannel(params, options?)` per channel, on
//! the runtime's `useMizanChannel`: messages, send (absent for listen-only
//! channels) and connection status. Emitted only when there are channels.

use super::channels::{channel_doc, type_imports};
use super::{header, import, sibling};
use crate::model::Model;
use crate::names::js_string;

/// The module name and contents, when there are channels.
pub(super) fn emit(model: &Model<'_>) -> Option<(&'static str, String)> {
    if model.channels.is_empty() {
        return None;
    }
    let mut out = header("React hooks for the channels: latest messages, send and connection status.");
    out.push_str(
        "import { useMizanChannel, type ChannelHookOptions, type ChannelHookResult } from \"@mizan/client/react\";\n",
    );
    out.push_str(&import(&type_imports(model), &sibling("types"), true));
    for c in &model.channels {
        let (params, message, client) = (&c.params.name, &c.message.name, &c.client_message.name);
        let hook_result = format!("ChannelHookResult<{message}, {client}>");
        let (result, usage) = if c.sends() {
            (hook_result, "the latest `messages`, `send` and the connection `status`.")
        } else {
            (
                format!("Omit<{hook_result}, \"send\">"),
                "the latest `messages` and the connection `status` (listen-only: no `send`).",
            )
        };
        let usage = format!(
            "Subscribes to channel `{}` while the component is mounted (again when the params change):\n{usage}",
            c.c.name
        );
        let default = if c.params_optional() { " = {}" } else { "" };
        out.push('\n');
        out.push_str(&channel_doc(c, &usage));
        out.push_str(&format!(
            "export function {}(\n  params: {params}{default},\n  options?: ChannelHookOptions<{message}>,\n): {result} {{\n",
            c.hook
        ));
        out.push_str(&format!(
            "  return useMizanChannel<{message}, {client}>({}, params, options);\n}}\n",
            js_string(c.c.name)
        ));
    }
    Some(("channel-hooks", out))
}
