#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
struct Address {
    #[garde(skip)]
    street: String,
}
#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct ContactForm {
    #[serde(flatten)]
    #[garde(dive)]
    address: Address,
}
fn main() {}
