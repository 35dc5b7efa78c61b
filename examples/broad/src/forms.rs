//! A form with every widget mizan supports (`mizan_manifest::Widget::ALL`),
//! some chosen by `#[form(widget = …)]`, some derived from the field's type.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use mizan::{Form, FormFields, Request};
use schemars::JsonSchema;
use serde::Deserialize;

use crate::enums::Color;

/// A plan, shown as radio buttons.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    /// Free.
    Free,
    /// Paid.
    Pro,
}

/// Your profile: one field per widget.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProfileForm {
    /// `text` (a string's default widget).
    #[form(label = "Display name", help = "Shown to others.")]
    #[garde(length(chars, min = 2, max = 20))]
    pub display_name: String,
    /// `textarea`.
    #[form(widget = "textarea")]
    #[garde(length(chars, max = 200))]
    pub bio: String,
    /// `email` (from `format: email`).
    #[garde(email)]
    pub email: String,
    /// `url` (from `format: uri`).
    #[garde(url)]
    pub website: Option<String>,
    /// `password`.
    #[form(widget = "password")]
    #[garde(length(chars, min = 8, max = 64))]
    pub password: String,
    /// `number` (an integer's default widget).
    #[form(initial = 30)]
    #[garde(range(min = 13, max = 130))]
    pub age: u8,
    /// `checkbox` (a boolean's default widget).
    #[serde(default)]
    #[form(initial = true)]
    #[garde(skip)]
    pub newsletter: bool,
    /// `select` (a unit enum's default widget, its variants as choices).
    #[garde(skip)]
    pub color: Color,
    /// `radio`.
    #[form(widget = "radio")]
    #[garde(skip)]
    pub plan: Plan,
    /// `date` (a `chrono::NaiveDate`'s default widget, from `format: date`).
    #[garde(skip)]
    pub birthday: NaiveDate,
    /// `time` (a `chrono::NaiveTime`'s, from `format: time`).
    #[garde(skip)]
    pub wake_up: NaiveTime,
    /// `datetime-local` (a `chrono::NaiveDateTime`'s, from `format: partial-date-time`).
    #[garde(skip)]
    pub next_call: NaiveDateTime,
    /// A `uuid::Uuid` in a `text` input, optional.
    #[garde(skip)]
    pub referrer: Option<uuid::Uuid>,
    /// `hidden`, with choices given by hand.
    #[form(widget = "hidden", choices = ["signup", "invite"])]
    #[garde(length(chars, max = 10))]
    pub source: String,
}

impl Form for ProfileForm {
    const NAME: &'static str = "profile";
    const TITLE: &'static str = "Your profile";
    type Output = ();

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<()> {
        let _ = self;
        Ok(())
    }
}
