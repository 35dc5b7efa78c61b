#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
struct ContactForm {
    #[garde(skip)]
    name: String,
}
fn main() {}
