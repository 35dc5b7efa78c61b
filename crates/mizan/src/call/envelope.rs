//! The success envelope, written straight into one buffer.

use serde::Serialize;

use crate::{Error, Result};

/// `{"data": value}` as bytes. A value that cannot be serialized (a NaN or
/// an infinity among them: JSON has neither) is an `INTERNAL` naming the
/// function `name`.
pub(crate) fn data<T: Serialize + ?Sized>(value: &T, name: &str) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(b"{\"data\":");
    crate::finite::to_writer(&mut out, value)
        .map_err(|e| Error::internal(format!("serializing the output of {name}: {e}")))?;
    out.push(b'}');
    Ok(out)
}
