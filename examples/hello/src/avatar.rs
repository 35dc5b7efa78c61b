//! The example's form with a file: `AvatarForm` at `avatar.schema`,
//! `avatar.validate` and `avatar.submit` (an upload call), rendered at
//! `/avatar/` by `AvatarPage.tsx`.

use mizan::{Error, Form, FormFields, Request, Upload};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Your name and a picture of you.
#[derive(Debug, Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields)]
pub(crate) struct AvatarForm {
    #[form(label = "Your name")]
    #[garde(length(chars, min = 1, max = 100))]
    name: String,
    #[form(help = "A PNG or a JPEG, at most 2 MB.")]
    #[upload(max_bytes = 2_000_000, mime = ["image/png", "image/jpeg"])]
    #[serde(skip)]
    #[garde(skip)]
    picture: Upload,
}

/// What a received picture answers.
#[derive(Debug, Serialize, JsonSchema)]
pub(crate) struct AvatarReceipt {
    /// Bytes received.
    pub(crate) size: u32,
    /// The declared type (`image/png` or `image/jpeg`).
    pub(crate) content_type: String,
    /// A thank-you line naming the file.
    pub(crate) message: String,
}

/// The first bytes of a PNG and of a JPEG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
const JPEG: &[u8] = b"\xff\xd8\xff";

impl Form for AvatarForm {
    const NAME: &'static str = "avatar";
    const TITLE: &'static str = "Your avatar";
    type Output = AvatarReceipt;

    /// Reads the picture as it arrives (a real app would store it) and
    /// checks that its bytes are what its declared type says.
    async fn on_submit_success(self, _req: &Request) -> mizan::Result<AvatarReceipt> {
        let mut picture = self.picture;
        let mut head = Vec::new();
        let mut size = 0u32;
        while let Some(chunk) = picture.chunk().await? {
            if head.len() < PNG.len() {
                head.extend(chunk.iter().take(PNG.len() - head.len()));
            }
            size += u32::try_from(chunk.len()).unwrap_or(u32::MAX);
        }
        let content_type = picture.content_type().to_owned();
        let magic = if content_type == "image/png" { PNG } else { JPEG };
        if !head.starts_with(magic) {
            return Err(Error::validation("not an image")
                .with_field("picture", format!("The file's bytes are not {content_type}.")));
        }
        let file = picture.file_name().unwrap_or("your picture").to_owned();
        Ok(AvatarReceipt {
            size,
            content_type,
            message: format!("Thanks, {}! {file} is your avatar.", self.name),
        })
    }
}
