//! A generic struct instantiated three times: `Page<User>`, `Page<Post>`
//! and `Page<Vec<User>>`, each its own named schema.

use std::collections::BTreeSet;

use mizan::Request;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::enums::Color;

/// A page of results. schemars names every instantiation `Page` unless
/// the name says the type parameter (`{T}`): mizan refuses two types under
/// one name, so a generic type needs this `rename`.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
#[schemars(rename = "PageOf{T}")]
pub struct Page<T> {
    /// At most three items.
    #[garde(length(max = 3))]
    pub items: Vec<T>,
    /// The total count.
    #[garde(range(max = 1000))]
    pub total: u32,
    /// Where the next page starts; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[garde(length(chars, min = 1, max = 8))]
    pub cursor: Option<String>,
}

/// A user.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
pub struct User {
    /// One to twenty code points.
    #[garde(length(chars, min = 1, max = 20))]
    pub name: String,
    /// An email address.
    #[garde(email)]
    pub email: String,
    /// A favourite color.
    #[garde(skip)]
    pub color: Color,
}

/// A post.
#[derive(Debug, Serialize, Deserialize, JsonSchema, garde::Validate)]
pub struct Post {
    /// One to forty code points.
    #[garde(length(chars, min = 1, max = 40))]
    pub title: String,
    /// A link, when there is one.
    #[garde(url)]
    pub link: Option<String>,
    /// Distinct tags.
    #[garde(length(max = 4))]
    pub tags: BTreeSet<String>,
}

/// A page of users.
#[mizan::client(query)]
pub async fn users(_req: &Request, page: Page<User>) -> mizan::Result<Page<User>> {
    Ok(page)
}

/// A page of posts.
#[mizan::client]
pub async fn posts(_req: &Request, page: Page<Post>) -> mizan::Result<u32> {
    Ok(page.total)
}

/// A page of teams (lists of users).
#[mizan::client]
pub async fn teams(_req: &Request, page: Page<Vec<User>>) -> mizan::Result<()> {
    let _ = page;
    Ok(())
}
