//! Forms over a real socket: `NAME.schema`, `NAME.validate` and
//! `NAME.submit`, wire names in field errors, server-only rules, auth, the
//! manifest entry and start-up refusals.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use mizan::forms::FieldErrors;
use mizan::{App, Auth, Form, FormFields, Request};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// What kind of message it is.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Topic {
    General,
    BugReport,
}

/// Write to us; we read everything.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ContactForm {
    #[form(label = "Your name", help = "How we address you.")]
    #[garde(length(chars, min = 1, max = 20))]
    full_name: String,
    #[garde(email)]
    email_address: String,
    #[form(widget = "textarea", initial = "Hello!")]
    #[garde(length(chars, min = 5, max = 200))]
    message: String,
    #[garde(skip)]
    topic: Topic,
    #[serde(default)]
    #[form(choices = [1, (2, "Two"), (3, "Three")])]
    #[garde(range(min = 1, max = 3))]
    priority: Option<u8>,
    #[serde(default)]
    #[garde(skip)]
    subscribe: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
struct Receipt {
    number: u32,
    greeting: String,
}

/// Submissions seen by one app (its state), so tests running at once do not
/// see each other's.
#[derive(Clone, Default)]
struct Submitted(Arc<AtomicU32>);

impl Form for ContactForm {
    const NAME: &'static str = "contact";
    const TITLE: &'static str = "Contact us";
    type Output = Receipt;

    async fn clean(&self, _req: &Request) -> mizan::Result<()> {
        let mut errors = FieldErrors::new();
        if self.message.to_lowercase().contains("spam") {
            errors.add("message", "no spam, please");
        }
        if self.full_name == "Mallory" {
            errors.add("", "we do not take messages from Mallory");
        }
        if self.email_address.ends_with("@example.invalid") {
            // A Rust field name: the wire answer says `emailAddress`.
            errors.add("email_address", "that domain does not exist");
        }
        errors.into_result()
    }

    async fn on_submit_success(self, req: &Request) -> mizan::Result<Receipt> {
        if self.full_name == "Boom" {
            return Err(mizan::Error::unavailable("the mail server is down"));
        }
        let _ = (self.topic, self.subscribe);
        let number = req.state::<Submitted>()?.0.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(Receipt { number, greeting: format!("Thanks, {}!", self.full_name) })
    }
}

/// Only signed-in users may send feedback.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields)]
struct FeedbackForm {
    #[garde(length(chars, min = 1))]
    text: String,
}

impl Form for FeedbackForm {
    const NAME: &'static str = "feedback";
    const TITLE: &'static str = "Feedback";
    const AUTH: Auth = Auth::Authenticated;
    type Output = ();

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<()> {
        Ok(())
    }
}

/// A field with a one-off `#[serde(rename)]`: its wire name is `promo`,
/// which no `rename_all` rule explains.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields)]
struct VoucherForm {
    #[serde(rename = "promo")]
    #[garde(length(chars, min = 3, max = 8), ascii)]
    promo_code: String,
}

impl Form for VoucherForm {
    const NAME: &'static str = "voucher";
    const TITLE: &'static str = "Redeem a voucher";
    type Output = ();

    async fn clean(&self, _req: &Request) -> mizan::Result<()> {
        let mut errors = FieldErrors::new();
        if self.promo_code == "EXPIRED" {
            // The Rust field name: moved to `promo` by the derived table.
            errors.add("promo_code", "this code has expired");
        }
        errors.into_result()
    }

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<()> {
        Ok(())
    }
}

fn app() -> App {
    app_counting(Submitted::default())
}

fn app_counting(submitted: Submitted) -> App {
    App::new()
        .authenticator(support::TestAuth)
        .state(submitted)
        .form::<ContactForm>()
        .form::<FeedbackForm>()
        .form::<VoucherForm>()
}

async fn post(url: &str, body: Value, token: Option<&str>) -> (u16, Value) {
    let mut r = reqwest::Client::new().post(url).json(&body);
    if let Some(token) = token {
        r = r.bearer_auth(token);
    }
    let r = r.send().await.expect("request");
    let status = r.status().as_u16();
    (status, r.json().await.expect("json body"))
}

fn valid() -> Value {
    json!({
        "fullName": "Ada",
        "emailAddress": "ada@example.com",
        "message": "Hello there",
        "topic": "bug_report",
    })
}

fn with(key: &str, value: Value) -> Value {
    let mut v = valid();
    v[key] = value;
    v
}

#[tokio::test]
async fn schema_describes_every_field() {
    let base = support::serve(app()).await.api;
    let r = reqwest::get(format!("{base}/call/contact.schema")).await.expect("GET");
    assert_eq!(r.status().as_u16(), 200, "schema is a query: GET-able");
    let v: Value = r.json().await.expect("json");
    let schema = &v["data"];
    assert_eq!(schema["name"], "contact");
    assert_eq!(schema["title"], "Contact us");
    assert_eq!(schema["doc"], "Write to us; we read everything.");
    let names: Vec<&str> =
        schema["fields"].as_array().expect("fields").iter().filter_map(|f| f["name"].as_str()).collect();
    assert_eq!(names, ["fullName", "emailAddress", "message", "topic", "priority", "subscribe"]);
    assert_eq!(
        schema["fields"][0],
        json!({
            "name": "fullName", "label": "Your name", "widget": "text", "required": true,
            "choices": null, "initial": null, "help_text": "How we address you.",
            "constraints": {"minLength": 1, "maxLength": 20},
        })
    );
    let field = |i: usize| &schema["fields"][i];
    assert_eq!(
        (field(1)["label"].as_str(), field(1)["widget"].as_str()),
        (Some("Email address"), Some("email"))
    );
    assert_eq!(field(1)["constraints"], json!({"format": "email"}));
    assert_eq!((field(2)["widget"].as_str(), &field(2)["initial"]), (Some("textarea"), &json!("Hello!")));
    assert_eq!(field(3)["widget"], "select");
    assert_eq!(
        field(3)["choices"],
        json!([{"value": "general", "label": "General"}, {"value": "bug_report", "label": "Bug report"}])
    );
    assert_eq!(field(4)["required"], false);
    assert_eq!(
        field(4)["choices"],
        json!([{"value": 1, "label": "1"}, {"value": 2, "label": "Two"}, {"value": 3, "label": "Three"}])
    );
    assert_eq!(field(4)["constraints"]["maximum"], json!(3.0));
    assert_eq!((field(5)["widget"].as_str(), &field(5)["required"]), (Some("checkbox"), &json!(false)));

    let (status, v) = post(&format!("{base}/call/contact.schema"), json!({"x": 1}), None).await;
    assert_eq!((status, v["error"]["code"].as_str()), (422, Some("VALIDATION")), "schema takes no arguments");
}

#[tokio::test]
async fn validate_answers_field_errors_by_wire_name_and_submits_nothing() {
    let submitted = Submitted::default();
    let base = support::serve(app_counting(submitted.clone())).await.api;
    let url = format!("{base}/call/contact.validate");
    assert_eq!(post(&url, valid(), None).await, (200, json!({"data": {}})));

    let (status, v) = post(&url, with("emailAddress", json!("not an email")), None).await;
    assert_eq!(status, 200);
    let fields = v["data"].as_object().expect("field errors");
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["emailAddress"], "{v}");

    // A server-only rule shows up in validate too.
    let (_, v) = post(&url, with("message", json!("buy SPAM now")), None).await;
    assert_eq!(v, json!({"data": {"message": ["no spam, please"]}}));
    // Whole-form errors sit under "".
    let (_, v) = post(&url, with("fullName", json!("Mallory")), None).await;
    assert_eq!(v, json!({"data": {"": ["we do not take messages from Mallory"]}}));
    // Type errors, missing and unknown keys are field errors as well.
    let (_, v) = post(&url, with("priority", json!("high")), None).await;
    assert!(v["data"]["priority"].is_array(), "{v}");
    let (_, v) = post(&url, with("extra", json!(1)), None).await;
    assert!(v["data"]["extra"].is_array(), "{v}");
    // Not an object at all is still a protocol error.
    let r = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body("[1]")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status().as_u16(), 400);
    assert_eq!(submitted.0.load(Ordering::SeqCst), 0, "validate never submits");
}

#[tokio::test]
async fn submit_runs_every_rule_then_the_handler() {
    let base = support::serve(app()).await.api;
    let url = format!("{base}/call/contact.submit");

    let (status, v) = post(&url, with("fullName", json!("")), None).await;
    assert_eq!((status, v["error"]["code"].as_str()), (422, Some("VALIDATION")));
    assert!(v["error"]["fields"]["fullName"].is_array(), "wire name, not full_name: {v}");
    assert!(v["error"]["fields"].get("full_name").is_none());
    assert_eq!(v["error"]["issues"][0]["code"], "too_small");

    let (status, v) = post(&url, with("message", json!("spam spam")), None).await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["fields"], json!({"message": ["no spam, please"]}));

    let (status, v) = post(&url, with("fullName", json!("Mallory")), None).await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["fields"], json!({"": ["we do not take messages from Mallory"]}));

    let (status, v) = post(&url, with("emailAddress", json!("ada@example.invalid")), None).await;
    assert_eq!(status, 422);
    assert_eq!(v["error"]["fields"], json!({"emailAddress": ["that domain does not exist"]}));
    assert_eq!(v["error"]["issues"][0]["path"], json!(["emailAddress"]));

    let (status, v) = post(&url, valid(), None).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["data"]["greeting"], "Thanks, Ada!");
    assert!(v["data"]["number"].as_u64().is_some_and(|n| n >= 1));

    // The handler's own errors pass through with their code.
    let (status, v) = post(&url, with("fullName", json!("Boom")), None).await;
    assert_eq!((status, v["error"]["code"].as_str()), (503, Some("UNAVAILABLE")));
}

#[tokio::test]
async fn a_one_off_rename_gets_the_schema_garde_and_clean_errors_under_its_wire_name() {
    assert_eq!(VoucherForm::WIRE_NAMES, [("promo_code", "promo")]);
    let api = support::serve(app()).await.api;
    let submit = format!("{api}/call/voucher.submit");
    let validate = format!("{api}/call/voucher.validate");
    let issue = |body: &Value| {
        (body["error"]["issues"][0]["path"].clone(), body["error"]["issues"][0]["code"].clone())
    };

    // The schema's rule (code points).
    let (status, body) = post(&submit, json!({"promo": "éé"}), None).await;
    assert_eq!((status, issue(&body)), (422, (json!(["promo"]), json!("too_small"))), "{body}");
    // A server-only garde rule: the contract passes "ééé", garde's `ascii` does not.
    let (status, body) = post(&submit, json!({"promo": "ééé"}), None).await;
    assert_eq!((status, issue(&body)), (422, (json!(["promo"]), json!("invalid_format"))), "{body}");
    assert_eq!(body["error"]["issues"].as_array().map(Vec::len), Some(1), "{body}");
    // `clean()` named the Rust field.
    let (status, body) = post(&submit, json!({"promo": "EXPIRED"}), None).await;
    assert_eq!((status, issue(&body)), (422, (json!(["promo"]), json!("custom"))), "{body}");
    assert_eq!(body["error"]["fields"], json!({"promo": ["this code has expired"]}));
    let (status, body) = post(&validate, json!({"promo": "EXPIRED"}), None).await;
    assert_eq!((status, &body["data"]), (200, &json!({"promo": ["this code has expired"]})));
    // The Rust name is no wire name.
    let (status, body) = post(&submit, json!({"promo_code": "WELCOME"}), None).await;
    assert_eq!(status, 422);
    assert!(
        body["error"]["fields"].get("promo_code").is_some() && body["error"]["fields"].get("promo").is_some(),
        "{body}"
    );
    let (status, _) = post(&submit, json!({"promo": "WELCOME"}), None).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn forms_batch_like_any_function() {
    let base = support::serve(app()).await.api;
    let body = json!([
        {"fn": "contact.validate", "args": with("message", json!("spam"))},
        {"fn": "contact.submit", "args": valid()},
        {"fn": "contact.submit", "args": with("emailAddress", json!("x"))},
    ]);
    let (status, v) = post(&format!("{base}/batch"), body, None).await;
    assert_eq!(status, 200);
    // Server-only rules run once the garde rules pass: too short, so no "spam" yet.
    assert_eq!(v[0]["data"]["message"].as_array().map(Vec::len), Some(1), "{v}");
    assert_ne!(v[0]["data"]["message"][0], "no spam, please");
    assert_eq!(v[1]["data"]["greeting"], "Thanks, Ada!");
    assert_eq!(v[2]["error"]["code"], "VALIDATION");
    assert!(v[2]["error"]["fields"]["emailAddress"].is_array());
}

#[tokio::test]
async fn auth_comes_before_input_for_all_three() {
    let base = support::serve(app()).await.api;
    for name in ["feedback.schema", "feedback.validate", "feedback.submit"] {
        let (status, v) = post(&format!("{base}/call/{name}"), json!({"nonsense": true}), None).await;
        assert_eq!((status, v["error"]["code"].as_str()), (401, Some("UNAUTHENTICATED")), "{name}");
    }
    let (status, v) =
        post(&format!("{base}/call/feedback.submit"), json!({"text": "nice"}), Some("alice")).await;
    assert_eq!((status, v), (200, json!({"data": null})));
    let (status, v) =
        post(&format!("{base}/call/feedback.validate"), json!({"text": ""}), Some("alice")).await;
    assert_eq!(status, 200);
    assert!(v["data"]["text"].is_array(), "{v}");
}

#[test]
fn the_manifest_lists_the_functions_and_the_form() {
    let m = app().manifest().expect("builds").to_json();
    let functions: Vec<(&str, &str, &Value)> = m["functions"]
        .as_array()
        .expect("functions")
        .iter()
        .map(|f| (f["name"].as_str().unwrap_or(""), f["kind"].as_str().unwrap_or(""), &f["auth"]))
        .collect();
    assert_eq!(
        functions[..3],
        [
            ("contact.schema", "query", &json!("public")),
            ("contact.validate", "mutation", &json!("public")),
            ("contact.submit", "mutation", &json!("public")),
        ]
    );
    assert_eq!(functions[5], ("feedback.submit", "mutation", &json!("authenticated")));
    assert_eq!(
        m["functions"][2]["args"],
        json!(["fullName", "emailAddress", "message", "topic", "priority", "subscribe"])
    );
    assert_eq!(m["functions"][2]["input"]["additionalProperties"], false);
    assert_eq!(m["functions"][0]["output"], json!({"$ref": "#/$defs/MizanFormSchema"}));
    assert_eq!(m["forms"].as_array().map(Vec::len), Some(3));
    assert_eq!(m["forms"][0]["title"], "Contact us");
    assert_eq!(m["forms"][1]["name"], "feedback");
    assert_eq!(m["forms"][2]["fields"][0]["name"], "promo");
    // The manifest entry is exactly what `contact.schema` answers.
    assert_eq!(m["forms"][0]["fields"][0]["label"], "Your name");
    assert!(mizan_codegen::generate(&m).is_ok());
}

#[test]
fn bad_names_duplicates_and_collisions_are_start_up_errors() {
    #[derive(Deserialize, JsonSchema, garde::Validate, FormFields)]
    #[serde(deny_unknown_fields)]
    struct Dotted {
        #[garde(skip)]
        x: bool,
    }
    impl Form for Dotted {
        const NAME: &'static str = "a.b";
        const TITLE: &'static str = "Dotted";
        type Output = bool;
        async fn on_submit_success(self, _req: &Request) -> mizan::Result<bool> {
            Ok(self.x)
        }
    }
    let err = |app: App| app.check().err().map(|e| e.to_string()).unwrap_or_default();
    assert!(err(App::new().form::<Dotted>()).contains("form `a.b`: names must match"));
    let twice = err(App::new().form::<ContactForm>().form::<ContactForm>());
    assert!(twice.contains("`contact.schema` is registered twice"), "{twice}");
    assert!(twice.contains("form `contact` is registered twice"), "{twice}");

    // An initial value or a choice that does not fit its field.
    #[derive(Deserialize, JsonSchema, garde::Validate, FormFields)]
    #[serde(deny_unknown_fields)]
    struct Misfit {
        #[form(initial = "three")]
        #[garde(skip)]
        count: u8,
        #[form(choices = ["a", 2])]
        #[garde(skip)]
        letter: String,
        #[form(initial = "weekly")]
        #[garde(skip)]
        topic: Topic,
    }
    impl Form for Misfit {
        const NAME: &'static str = "misfit";
        const TITLE: &'static str = "Misfit";
        type Output = ();
        async fn on_submit_success(self, _req: &Request) -> mizan::Result<()> {
            let _ = (self.count, self.letter, self.topic);
            Ok(())
        }
    }
    let misfit = err(App::new().form::<Misfit>());
    assert!(misfit.contains("form `misfit`, field `count`: \"three\" does not fit"), "{misfit}");
    assert!(misfit.contains("form `misfit`, field `letter`: 2 does not fit"), "{misfit}");
    assert!(misfit.contains("form `misfit`, field `topic`: \"weekly\" does not fit"), "{misfit}");
    assert!(!misfit.contains("\"a\""), "{misfit}");

    #[mizan::client]
    async fn contact_schema(_req: &Request) -> mizan::Result<()> {
        Ok(())
    }
    // `contact_schema` and `contact.schema` both become `contactSchema`.
    let clash = err(App::new().register(contact_schema).form::<ContactForm>());
    assert!(clash.contains("contactSchema"), "{clash}");
}
