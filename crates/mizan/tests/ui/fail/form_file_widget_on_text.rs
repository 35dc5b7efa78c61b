#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct AvatarForm {
    #[form(widget = "file")]
    #[garde(length(chars, max = 10))]
    picture: String,
}
fn main() {}
