use mizan::{App, Form, FormFields, Request};

/// Tell us.
#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SurveyForm {
    #[form(label = "Your name", help = "Or a nickname.", initial = "Ada")]
    #[garde(length(chars, min = 1, max = 40))]
    full_name: String,
    #[form(widget = "radio", choices = [("yes", "Yes"), ("no", "No")])]
    #[garde(skip)]
    likes_it: String,
    #[form(initial = -3, widget = "number")]
    #[garde(range(min = -10, max = 10))]
    score: i32,
    #[serde(rename = "r")]
    #[form(initial = 0.5)]
    #[garde(skip)]
    ratio: f64,
    #[form(initial = true)]
    #[garde(skip)]
    r#agree: bool,
    #[serde(skip)]
    #[garde(skip)]
    cache: Option<String>,
}

impl Form for SurveyForm {
    const NAME: &'static str = "survey";
    const TITLE: &'static str = "Survey";
    type Output = String;

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<String> {
        Ok(format!("{}{}{}{}{}{:?}", self.full_name, self.likes_it, self.score, self.ratio, self.agree, self.cache))
    }
}

fn main() {
    assert_eq!(<SurveyForm as mizan::forms::FormFields>::FIELD_NAMES, ["fullName", "likesIt", "score", "r", "agree"]);
    assert_eq!(<SurveyForm as mizan::forms::FormFields>::DOC, Some("Tell us."));
    let spec = <SurveyForm as mizan::forms::FormFields>::FIELDS[2];
    assert_eq!(spec.initial, Some(mizan::forms::Literal::Int(-3)));
    let m = App::new().form::<SurveyForm>().manifest().unwrap().to_json();
    assert_eq!(m["forms"][0]["fields"][1]["widget"], "radio");
    assert_eq!(m["forms"][0]["fields"][1]["choices"][1]["label"], "No");
    assert_eq!(m["forms"][0]["fields"][0]["initial"], "Ada");
    assert_eq!(m["forms"][0]["fields"][4]["initial"], true);
}
