//! `channels.ts`: realtime channel hooks. Not generated yet: the manifest's
//! `channels` are read and ignored; this module is where
//! `useChatChannel({ room })` will be emitted.

use crate::model::Model;

/// The module name and contents, once channels are generated.
pub(super) fn emit(_model: &Model<'_>) -> Option<(&'static str, String)> {
    None
}
