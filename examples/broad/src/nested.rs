//! Structs with garde rules four levels deep, reached without `#[garde(dive)]`:
//! the schema carries every rule, so the server checks them wherever the
//! type appears (plain, in a Vec, in an Option).

use mizan::Request;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An order (level 1).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// One to eight code points.
    #[garde(length(chars, min = 1, max = 8))]
    pub reference: String,
    /// Who ordered.
    #[garde(skip)]
    pub customer: Customer,
    /// One to four lines.
    #[garde(length(min = 1, max = 4))]
    pub lines: Vec<Line>,
    /// Where to ship, when not to the customer's address.
    #[garde(skip)]
    pub ship_to: Option<Address>,
}

/// A customer (level 2).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    /// Two to thirty code points.
    #[garde(length(chars, min = 2, max = 30))]
    pub full_name: String,
    /// An email address.
    #[garde(email)]
    pub email: String,
    /// The customer's address.
    #[garde(skip)]
    pub address: Address,
}

/// An order line (level 2).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    /// A product code.
    #[garde(pattern(r"^[A-Z]{2}[0-9]{3}$"))]
    pub sku: String,
    /// One to ninety-nine.
    #[garde(range(min = 1, max = 99))]
    pub quantity: u16,
    /// A unit price.
    #[garde(range(min = 0.0, max = 10000.0))]
    pub unit_price: f64,
}

/// An address (level 3).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// One to forty code points.
    #[garde(length(chars, min = 1, max = 40))]
    pub street: String,
    /// Five digits.
    #[garde(pattern(r"^[0-9]{5}$"))]
    pub postal_code: String,
    /// Where it is on a map.
    #[garde(skip)]
    pub geo: Option<Geo>,
}

/// A position (level 4).
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
pub struct Geo {
    /// Latitude.
    #[garde(range(min = -90.0, max = 90.0))]
    pub lat: f64,
    /// Longitude.
    #[garde(range(min = -180.0, max = 180.0))]
    pub lon: f64,
}

/// An order, rules at every depth.
#[mizan::client]
pub async fn place_order(_req: &Request, order: Order) -> mizan::Result<()> {
    let _ = order;
    Ok(())
}
