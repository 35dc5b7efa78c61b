#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct AvatarForm {
    #[upload(max_bytes = 10)]
    #[garde(length(chars, max = 10))]
    picture: String,
}
fn main() {}
