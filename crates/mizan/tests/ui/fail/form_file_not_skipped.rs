#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct AvatarForm {
    #[garde(length(chars, max = 10))]
    name: String,
    #[upload(max_bytes = 1000)]
    #[garde(skip)]
    picture: mizan::Upload,
}
fn main() {}
