#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct ContactForm {
    #[form(widget = "slider")]
    #[garde(skip)]
    level: u8,
}
fn main() {}
