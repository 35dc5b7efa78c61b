//! serde's attributes that change the wire: `rename`, `rename_all`,
//! `rename_all_fields`, `flatten`, `default` and `skip_serializing_if`.

use mizan::Request;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Flattened into [`Renamed`]: its fields sit next to the outer ones.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
pub struct Audit {
    /// Who made it: one to ten code points.
    #[garde(length(chars, min = 1, max = 10))]
    pub created_by: String,
    /// A revision number, 1 when absent.
    #[serde(default = "first_revision")]
    #[garde(range(min = 1, max = 99))]
    pub revision: u8,
}

fn first_revision() -> u8 {
    1
}

/// An internally tagged enum flattened into [`Renamed`]; variants in
/// SCREAMING_SNAKE_CASE, their fields in kebab-case.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(tag = "visibility", rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "kebab-case")]
pub enum Visibility {
    /// Anyone may see it.
    Public,
    /// Only the listed people.
    Shared {
        /// One to three people.
        #[garde(length(min = 1, max = 3))]
        shared_with: Vec<String>,
    },
}

/// Every renaming attribute, with defaults and a flattened struct and enum.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
pub struct Renamed {
    /// `rename_all`: `fullTitle` on the wire.
    #[garde(length(chars, min = 1, max = 12))]
    pub full_title: String,
    /// A one-off `rename` wins over `rename_all`.
    #[serde(rename = "ID-code")]
    #[garde(pattern(r"^[A-Z]{3}$"))]
    pub id_code: String,
    /// `default`: absent is `0`.
    #[serde(default)]
    #[garde(range(max = 10))]
    pub priority: u8,
    /// `default` on a Vec: absent is `[]`.
    #[serde(default)]
    #[garde(length(max = 2))]
    pub labels: Vec<String>,
    /// `skip_serializing_if`: absent from the output when `None`; on input,
    /// `default` makes it optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[garde(length(chars, max = 5))]
    pub note: Option<String>,
    /// A flattened struct.
    #[serde(flatten)]
    #[garde(dive)]
    pub audit: Audit,
    /// A flattened internally tagged enum.
    #[serde(flatten)]
    #[garde(dive)]
    pub visibility: Visibility,
}

/// Renamed fields in, the same value out (`skip_serializing_if` shows in the output type).
#[mizan::client]
pub async fn relabel(_req: &Request, value: Renamed) -> mizan::Result<Renamed> {
    Ok(value)
}
