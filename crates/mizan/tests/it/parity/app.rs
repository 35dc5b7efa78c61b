//! The functions under test.

use std::collections::BTreeMap;

use mizan::{App, Id64, Request};
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
struct LineItem {
    #[garde(length(chars, min = 2, max = 5))]
    full_name: String,
    #[garde(range(min = 1, max = 10))]
    qty: u32,
    #[garde(range(min = 0.0, max = 1000.0))]
    unit_price: f64,
    #[serde(default)]
    #[garde(email)]
    contact_email: Option<String>,
    #[serde(default)]
    #[garde(dive)]
    address: Option<Address>,
}

#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Address {
    #[garde(length(chars, min = 1, max = 3))]
    street_name: String,
    #[garde(pattern(r"^[0-9]{5}$"))]
    postal_code: String,
}

/// String lengths in code points; required, `Option` and `#[serde(default)]`.
#[mizan::client]
async fn strings(
    _req: &Request,
    #[garde(length(chars, min = 2, max = 5))] name: String,
    #[garde(length(chars, max = 8))] bio: Option<String>,
    #[serde(default)]
    #[garde(length(chars, max = 3))]
    tag: String,
) -> mizan::Result<()> {
    let _ = (name, bio, tag);
    Ok(())
}

/// Ranges on integers and floats, and the integer types' own bounds.
#[mizan::client]
#[allow(clippy::too_many_arguments)]
async fn numbers(
    _req: &Request,
    #[garde(range(min = 1, max = 10))] qty: i32,
    #[garde(range(min = 0.5, max = 2.5))] ratio: f64,
    #[garde(range(min = -1000, max = 1000))] delta: i64,
    #[garde(skip)] level: u8,
    #[garde(skip)] count: u32,
    #[serde(default)]
    #[garde(range(max = 100))]
    page: u32,
    #[garde(range(min = -5, max = 5))] offset: Option<i16>,
) -> mizan::Result<()> {
    let _ = (qty, ratio, delta, level, count, page, offset);
    Ok(())
}

/// Formats: email, url and patterns (ASCII, non-ASCII ranges, astral, `.`).
#[mizan::client]
async fn formats(
    _req: &Request,
    #[garde(email)] email: String,
    #[garde(url)] site: String,
    #[garde(pattern(r"^[A-Z]{2}-[0-9]{3}$"))] code: String,
    #[garde(pattern(r"^[A-ZÀ-Ö][a-zß-ö]+$"))] word: String,
    #[garde(pattern(r"^[😀-😂]{1,2}$"))] mood: String,
    #[garde(pattern(r"^a.c$"))] dotted: String,
) -> mizan::Result<()> {
    let _ = (email, site, code, word, mood, dotted);
    Ok(())
}

/// A Vec with minItems/maxItems of camelCase structs reached by `dive`, and an Id64.
#[mizan::client]
async fn order(
    _req: &Request,
    #[garde(length(min = 1, max = 3), dive)] items: Vec<LineItem>,
    #[garde(skip)] owner: Id64,
    #[serde(default)]
    #[garde(length(max = 2))]
    tags: Vec<String>,
) -> mizan::Result<()> {
    let _ = (items, owner, tags);
    Ok(())
}

/// An array with a minimum whose elements have their own rules.
#[mizan::client]
async fn team(
    _req: &Request,
    #[garde(length(min = 2, max = 3), dive)] crew: Vec<LineItem>,
) -> mizan::Result<()> {
    let _ = crew;
    Ok(())
}

/// `#[serde(default)]` values that break their own rule: the server
/// validates the default it filled in.
#[mizan::client]
async fn defaults(
    _req: &Request,
    #[serde(default)]
    #[garde(range(min = 1))]
    page: u32,
    #[serde(default)]
    #[garde(length(chars, min = 1))]
    label: String,
) -> mizan::Result<()> {
    let _ = (page, label);
    Ok(())
}

/// No arguments: only `{}` passes.
#[mizan::client]
async fn ping(_req: &Request) -> mizan::Result<()> {
    Ok(())
}

/// A form: its values are checked by `survey.submit` exactly like a
/// function's arguments, and its Zod schema is the submit input's.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SurveyForm {
    #[garde(length(chars, min = 2, max = 5))]
    full_name: String,
    #[garde(email)]
    contact_email: String,
    #[garde(range(min = 1, max = 10))]
    rating: u8,
    #[serde(default)]
    #[garde(length(chars, max = 3))]
    note: Option<String>,
}

impl mizan::Form for SurveyForm {
    const NAME: &'static str = "survey";
    const TITLE: &'static str = "Survey";
    type Output = ();

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<()> {
        let _ = (self.full_name, self.contact_email, self.rating, self.note);
        Ok(())
    }
}

/// Reached without `#[garde(dive)]`: the schema carries these rules, so
/// the server checks them wherever the type appears. No `rename_all`, no
/// `deny_unknown_fields` (unknown keys are refused all the same).
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
pub(crate) struct Contact {
    #[garde(email)]
    email: String,
    /// garde counts bytes here (no `chars`); the contract counts code points.
    #[garde(length(max = 3))]
    nick: String,
    /// A one-off rename: the wire says `promo`.
    #[serde(rename = "promo", default)]
    #[garde(length(chars, min = 2, max = 4))]
    promo_code: Option<String>,
    /// Each tag's length, in code points (garde counts bytes).
    #[serde(default)]
    #[garde(inner(length(max = 3)))]
    tags: Vec<String>,
}

/// Nested structs everywhere a type can be: plain, in a Vec, an Option and a map.
#[mizan::client]
async fn contacts(
    _req: &Request,
    contact: Contact,
    #[serde(default)] others: Vec<Contact>,
    backup: Option<Contact>,
    #[serde(default)] by_name: BTreeMap<String, Contact>,
) -> mizan::Result<()> {
    let _ = (contact, others, backup, by_name);
    Ok(())
}

/// Externally tagged (serde's default).
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
pub(crate) enum Payment {
    Card {
        #[garde(length(chars, min = 4, max = 4))]
        last4: String,
    },
    Cash(#[garde(range(min = 1))] u32),
    Free,
}

/// Internally tagged.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Shape {
    Circle {
        #[garde(range(min = 0.0))]
        radius: f64,
    },
    Square {
        #[garde(range(min = 1, max = 10))]
        side: u8,
    },
    Dot,
}

/// Adjacently tagged.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(tag = "t", content = "c")]
pub(crate) enum Event {
    Say(#[garde(length(chars, min = 1, max = 5))] String),
    Move {
        #[garde(range(max = 100))]
        x: i32,
    },
    Quit,
}

/// Untagged: nothing selects a variant, the first that accepts wins.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[allow(dead_code)]
#[serde(untagged)]
pub(crate) enum Reach {
    Mail {
        #[garde(email)]
        mail: String,
        #[garde(skip)]
        name: String,
    },
    Phone {
        #[garde(length(chars, min = 3))]
        phone: String,
        #[garde(skip)]
        name: String,
    },
}

/// The four serde enum representations.
#[mizan::client]
async fn enums(_req: &Request, pay: Payment, shape: Shape, event: Event, reach: Reach) -> mizan::Result<()> {
    let _ = (pay, shape, event, reach);
    Ok(())
}

#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[allow(dead_code)]
pub(crate) struct Meta {
    #[garde(length(chars, max = 5))]
    author: String,
    #[serde(default)]
    #[garde(skip)]
    draft: bool,
}

/// Flattened into a post, and distributed over its variants.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(tag = "format", rename_all = "snake_case")]
pub(crate) enum Body {
    Text {
        #[garde(length(chars, max = 10))]
        text: String,
    },
    Link {
        #[garde(url)]
        url: String,
    },
}

#[derive(Debug, Deserialize, JsonSchema, garde::Validate)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Post {
    #[serde(flatten)]
    #[garde(dive)]
    meta: Meta,
    #[serde(flatten)]
    #[garde(dive)]
    body: Body,
    #[garde(length(chars, min = 1))]
    title_text: String,
}

/// `flatten` (a struct and an internally tagged enum) under `rename_all`.
#[mizan::client]
async fn publish(_req: &Request, post: Post) -> mizan::Result<()> {
    let _ = post;
    Ok(())
}

/// `f32`: a finite JSON number past its range is refused, not made infinite.
#[mizan::client]
async fn measure(_req: &Request, ratio: f32, #[garde(range(min = 0.0))] weight: f32) -> mizan::Result<()> {
    let _ = (ratio, weight);
    Ok(())
}

pub(crate) fn app() -> App {
    App::new()
        .form::<SurveyForm>()
        .register(strings)
        .register(numbers)
        .register(formats)
        .register(order)
        .register(team)
        .register(defaults)
        .register(ping)
        .register(contacts)
        .register(enums)
        .register(publish)
        .register(measure)
}
