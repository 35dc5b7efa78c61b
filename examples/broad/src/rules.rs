//! Every garde rule mizan supports: those schemars writes into the schema
//! (so the server enforces them from the schema and the generated Zod
//! checks them too) and the server-only ones (garde runs them after the
//! schema and serde; the generated Zod does not know them).

use std::collections::HashMap;

use mizan::Request;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One field per garde rule (the rules table of `docs/types.md`).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
pub struct Rules {
    /// Two to six code points.
    #[garde(length(chars, min = 2, max = 6))]
    pub length_chars: String,
    /// garde counts bytes here; the schema counts code points, and wins.
    #[garde(length(bytes, max = 4))]
    pub length_bytes: String,
    /// Exactly two code points.
    #[garde(length(chars, equal = 2))]
    pub length_equal: String,
    /// One to three items.
    #[garde(length(min = 1, max = 3))]
    pub length_items: Vec<String>,
    /// At most two entries: the schema has no keyword for a map's size.
    #[garde(length(max = 2))]
    pub length_map: HashMap<String, u32>,
    /// Within ±10.
    #[garde(range(min = -10, max = 10))]
    pub range_int: i32,
    /// Within [0.25, 0.75].
    #[garde(range(min = 0.25, max = 0.75))]
    pub range_float: f64,
    /// Letters, a dash, two digits.
    #[garde(pattern(r"^[a-z]+-[0-9]{2}$"))]
    pub pattern: String,
    /// An email address.
    #[garde(email)]
    pub email: String,
    /// A URL.
    #[garde(url)]
    pub url: String,
    /// An IPv4 or IPv6 address.
    #[garde(ip)]
    pub ip: String,
    /// An IPv4 address.
    #[garde(ipv4)]
    pub ipv4: String,
    /// An IPv6 address.
    #[garde(ipv6)]
    pub ipv6: String,
    /// Contains `mizan`.
    #[garde(contains("mizan"))]
    pub contains: String,
    /// The key must be present and not `null` (schemars makes the `Option` required and non-null).
    #[garde(required)]
    pub required: Option<String>,
    /// Each item one to three code points.
    #[garde(inner(length(chars, min = 1, max = 3)))]
    pub inner_length: Vec<String>,
    /// Each item within [1, 5].
    #[garde(inner(range(min = 1, max = 5)))]
    pub inner_range: Vec<u8>,
    /// ASCII only.
    #[garde(ascii)]
    pub ascii: String,
    /// Letters and digits only (Unicode's).
    #[garde(alphanumeric)]
    pub alphanumeric: String,
    /// Starts with `mz-`.
    #[garde(prefix("mz-"))]
    pub prefix: String,
    /// Ends with `.rs`.
    #[garde(suffix(".rs"))]
    pub suffix: String,
    /// Even (a custom function).
    #[garde(custom(is_even))]
    pub custom: u32,
    /// The same as `ascii`.
    #[garde(matches(ascii))]
    pub matches: String,
}

/// The custom rule of [`Rules::custom`]: an even number.
pub fn is_even(value: &u32, _ctx: &()) -> garde::Result {
    if value.is_multiple_of(2) { Ok(()) } else { Err(garde::Error::new("must be even")) }
}

/// Every rule on one struct.
#[mizan::client]
pub async fn rules(_req: &Request, value: Rules) -> mizan::Result<()> {
    let _ = value;
    Ok(())
}

/// Server-only rules on arguments, next to rules the schema carries.
#[mizan::client]
pub async fn signup(
    _req: &Request,
    #[garde(ascii, length(chars, min = 3, max = 12))] username: String,
    #[garde(alphanumeric, length(chars, max = 8))] handle: String,
    #[garde(prefix("https://"), url)] homepage: String,
    #[garde(custom(is_even))] lucky: u32,
    #[garde(length(chars, min = 8, max = 64))] password: String,
    #[garde(matches(password))] confirm: String,
) -> mizan::Result<()> {
    let _ = (username, handle, homepage, lucky, password, confirm);
    Ok(())
}
