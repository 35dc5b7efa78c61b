//! The example's form: `ContactForm` at `contact.schema`, `contact.validate`
//! and `contact.submit`, rendered at `/contact/` by `ContactPage.tsx`.

use std::sync::atomic::{AtomicU32, Ordering};

use mizan::forms::FieldErrors;
use mizan::{Form, FormFields, Request};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Write to us: we read every message.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContactForm {
    #[form(label = "Your name")]
    #[garde(length(chars, min = 1, max = 100))]
    name: String,
    #[form(help = "We only use it to answer you.")]
    #[garde(email)]
    email: String,
    #[form(widget = "textarea", help = "Between 10 and 2000 characters. No spam.")]
    #[garde(length(chars, min = 10, max = 2000))]
    message: String,
}

/// What a sent message answers.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct ContactReceipt {
    /// The message's number since the server started.
    pub(crate) number: u32,
    /// A thank-you line.
    pub(crate) message: String,
}

/// Messages received since the server started.
static RECEIVED: AtomicU32 = AtomicU32::new(0);

/// The word the server-only rule refuses.
const REFUSED_WORD: &str = "spam";

impl Form for ContactForm {
    const NAME: &'static str = "contact";
    const TITLE: &'static str = "Contact us";
    type Output = ContactReceipt;

    /// A rule the browser does not know: no message about spam.
    async fn clean(&self, _req: &Request) -> mizan::Result<()> {
        let mut errors = FieldErrors::new();
        if self.message.to_lowercase().contains(REFUSED_WORD) {
            errors.add("message", "Messages about spam are not accepted.");
        }
        errors.into_result()
    }

    /// A real app would store or mail the message; the example counts it.
    async fn on_submit_success(self, _req: &Request) -> mizan::Result<ContactReceipt> {
        let number = RECEIVED.fetch_add(1, Ordering::Relaxed) + 1;
        Ok(ContactReceipt {
            number,
            message: format!("Thanks, {}! We will answer {}.", self.name, self.email),
        })
    }
}
