//! The four serde enum representations, each with every variant kind serde
//! allows in it (unit, newtype, tuple, struct), with garde rules inside the
//! variants and renames on the enums.

use mizan::Request;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Externally tagged (serde's default): `"Unit"`, `{"Newtype": …}`,
/// `{"Tuple": […]}`, `{"Struct": {…}}`.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
pub enum External {
    /// No data.
    Unit,
    /// One value.
    Newtype(#[garde(length(chars, min = 1, max = 4))] String),
    /// Several values, by position.
    Tuple(#[garde(range(min = 1, max = 9))] u8, #[garde(skip)] bool),
    /// Named fields.
    Struct {
        /// Within ±5.
        #[garde(range(min = -5, max = 5))]
        x: i32,
        /// At most three code points.
        #[garde(length(chars, max = 3))]
        label: Option<String>,
    },
}

/// A struct inside an internally tagged newtype variant.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
pub struct Member {
    /// Two to eight code points.
    #[garde(length(chars, min = 2, max = 8))]
    pub display_name: String,
    /// Optional, with a default.
    #[serde(default)]
    #[garde(skip)]
    pub is_admin: bool,
}

/// Internally tagged (`tag = "type"`): unit, newtype (of a struct) and
/// struct variants; serde has no tuple variants here. Variants in
/// snake_case, their fields in camelCase (`rename_all_fields`).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum Internal {
    /// No data but the tag.
    Left,
    /// The fields of a struct next to the tag.
    Joined(#[garde(skip)] Member),
    /// Named fields next to the tag.
    Booked {
        /// One to three seats.
        #[garde(range(min = 1, max = 3))]
        seat_count: u8,
        /// A row letter.
        #[garde(pattern(r"^[A-F]$"))]
        row_letter: String,
    },
}

/// Adjacently tagged (`tag = "kind"`, `content = "data"`): every variant kind.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(tag = "kind", content = "data", rename_all = "kebab-case")]
pub enum Adjacent {
    /// No content.
    Stopped,
    /// One value as the content.
    Speed(#[garde(range(min = 0.0, max = 300.0))] f64),
    /// A tuple as the content.
    Turn(#[garde(range(min = -180, max = 180))] i16, #[garde(skip)] bool),
    /// An object as the content.
    Route {
        /// One to three stops.
        #[garde(length(min = 1, max = 3), inner(length(chars, min = 1, max = 6)))]
        stops: Vec<String>,
    },
}

/// Untagged: the first variant the value fits, in declaration order (a
/// unit variant is `null`).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(untagged)]
pub enum Untagged {
    /// A boolean.
    Flag(#[garde(skip)] bool),
    /// A number up to 100.
    Count(#[garde(range(max = 100))] u16),
    /// Two strings.
    Pair(#[garde(length(chars, max = 4))] String, #[garde(skip)] String),
    /// An object.
    Named {
        /// One to five code points.
        #[garde(length(chars, min = 1, max = 5))]
        name: String,
        /// An age.
        #[garde(range(max = 150))]
        age: u8,
    },
    /// `null`.
    Nothing,
}

/// Unit variants only: a string enum (renamed to lowercase).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    /// Red.
    Red,
    /// Green.
    Green,
    /// Blue, spelled `azure` on the wire.
    #[serde(rename = "azure")]
    Blue,
}

/// An externally tagged enum.
#[mizan::client]
pub async fn external(_req: &Request, value: External) -> mizan::Result<()> {
    let _ = value;
    Ok(())
}

/// An internally tagged enum.
#[mizan::client]
pub async fn internal(_req: &Request, value: Internal) -> mizan::Result<()> {
    let _ = value;
    Ok(())
}

/// An adjacently tagged enum.
#[mizan::client]
pub async fn adjacent(_req: &Request, value: Adjacent) -> mizan::Result<()> {
    let _ = value;
    Ok(())
}

/// An untagged enum.
#[mizan::client]
pub async fn untagged(_req: &Request, value: Untagged) -> mizan::Result<()> {
    let _ = value;
    Ok(())
}

/// A unit-only enum, alone, optional and in a list.
#[mizan::client]
pub async fn choice(
    _req: &Request,
    color: Color,
    accent: Option<Color>,
    #[garde(length(max = 3))] palette: Vec<Color>,
) -> mizan::Result<Color> {
    let _ = (accent, palette);
    Ok(color)
}
