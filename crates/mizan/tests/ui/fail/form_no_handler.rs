#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct ContactForm {
    #[garde(skip)]
    name: String,
}
impl mizan::Form for ContactForm {
    const NAME: &'static str = "contact";
    const TITLE: &'static str = "Contact";
    type Output = ();
}
fn main() {}
