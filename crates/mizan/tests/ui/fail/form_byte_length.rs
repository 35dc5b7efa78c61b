#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct ContactForm {
    #[garde(length(max = 10))]
    name: String,
}
fn main() {}
