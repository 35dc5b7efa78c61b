//! The JSON text frames of the WebSocket protocol.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::Arc;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::Error;

/// A frame waiting in a socket's outgoing queue.
pub(crate) enum Out {
    /// `{"t":"msg","id":N,"data":DATA}`: the data is shared by every
    /// subscriber of a broadcast and copied into the frame only when written.
    Msg { id: u64, data: Arc<str> },
    /// Any other frame, already rendered.
    Text(String),
}

const MSG_HEAD: &str = r#"{"t":"msg","id":"#;
const MSG_DATA: &str = r#","data":"#;

fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

impl Out {
    /// The frame's length on the wire (its payload), what the queue bound counts.
    pub(crate) fn wire_len(&self) -> usize {
        match self {
            Self::Msg { id, data } => MSG_HEAD.len() + digits(*id) + MSG_DATA.len() + data.len() + 1,
            Self::Text(s) => s.len(),
        }
    }

    pub(crate) fn render(self) -> String {
        match self {
            Self::Msg { id, data } => {
                let mut s = String::with_capacity(MSG_HEAD.len() + 20 + MSG_DATA.len() + data.len() + 1);
                s.push_str(MSG_HEAD);
                let _ = write!(s, "{id}");
                s.push_str(MSG_DATA);
                s.push_str(&data);
                s.push('}');
                s
            }
            Self::Text(s) => s,
        }
    }
}

pub(crate) fn ok(id: u64) -> Out {
    Out::Text(format!(r#"{{"t":"ok","id":{id}}}"#))
}

pub(crate) fn closed(id: u64) -> Out {
    Out::Text(format!(r#"{{"t":"closed","id":{id}}}"#))
}

pub(crate) fn gap(id: u64) -> Out {
    Out::Text(format!(r#"{{"t":"gap","id":{id}}}"#))
}

pub(crate) fn pong() -> Out {
    Out::Text(r#"{"t":"pong"}"#.to_owned())
}

pub(crate) fn auth_ok() -> Out {
    Out::Text(r#"{"t":"auth_ok"}"#.to_owned())
}

/// `{"t":"err","id":n|null,"error":{…}}`; `INTERNAL` errors are logged under
/// a request id and sent without their message.
pub(crate) fn err(id: Option<u64>, error: Error) -> Out {
    let error = error.logged();
    let frame = serde_json::json!({ "t": "err", "id": id, "error": error.to_wire() });
    Out::Text(frame.to_string())
}

/// A parsed client frame. Unknown keys are ignored, for forward compatibility.
#[derive(Deserialize)]
pub(crate) struct Incoming<'a> {
    #[serde(borrow)]
    pub(crate) t: Cow<'a, str>,
    #[serde(default)]
    pub(crate) id: Option<u64>,
    #[serde(default, borrow)]
    pub(crate) ch: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "present")]
    pub(crate) params: Option<&'a RawValue>,
    #[serde(default, borrow, deserialize_with = "present")]
    pub(crate) data: Option<&'a RawValue>,
    #[serde(default)]
    pub(crate) token: Option<String>,
}

/// `Some(raw)` for a present key, even when its value is `null`.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

pub(crate) fn parse(text: &str) -> Result<Incoming<'_>, Error> {
    serde_json::from_str(text).map_err(|e| Error::bad_request(format!("not a protocol frame: {e}")))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn msg_frames_are_assembled_around_shared_data() {
        let data: Arc<str> = Arc::from(r#"{"text":"hi"}"#);
        let out = Out::Msg { id: 12, data: data.clone() };
        let len = out.wire_len();
        let s = out.render();
        assert_eq!(s, r#"{"t":"msg","id":12,"data":{"text":"hi"}}"#);
        assert_eq!(s.len(), len);
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["data"]["text"], "hi");
        assert_eq!(digits(0), 1);
        assert_eq!(digits(9_007_199_254_740_991), 16);
    }

    #[test]
    fn incoming_frames() {
        let f = parse(r#"{"t":"send","id":3,"data":null}"#).unwrap();
        assert_eq!((f.t.as_ref(), f.id), ("send", Some(3)));
        assert_eq!(f.data.map(|d| d.get()), Some("null"));
        let f = parse(r#"{"t":"sub","id":1,"ch":"chat","params":{"room":"a"},"extra":1}"#).unwrap();
        assert_eq!(f.ch.as_deref(), Some("chat"));
        assert_eq!(f.params.map(|d| d.get()), Some(r#"{"room":"a"}"#));
        assert!(parse("nope").is_err());
        assert!(parse(r#"{"t":"sub","id":"x"}"#).is_err());
        assert!(parse(r#"{"id":1}"#).is_err());
    }
}
