#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate, mizan::FormFields)]
#[serde(deny_unknown_fields)]
struct AvatarForm {
    #[serde(skip)]
    #[garde(skip)]
    picture: mizan::Upload,
    #[serde(skip)]
    #[garde(skip)]
    banner: Option<mizan::Upload>,
}
fn main() {}
