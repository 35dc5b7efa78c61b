#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct ContactForm {
    #[form(placeholder = "you@example.com")]
    #[garde(email)]
    email: String,
}
fn main() {}
