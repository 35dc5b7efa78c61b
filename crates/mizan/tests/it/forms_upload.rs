//! Forms with a file field over a real socket: the `file` widget and its
//! limits in the description, `NAME.validate` without the file, and
//! `NAME.submit` as a multipart upload call through the functions' upload
//! pipeline (CSRF and auth before the body, limits while streaming,
//! `clean` and the handler seeing the file, field errors on its wire name).

use std::time::Duration;

use futures_util::StreamExt;
use mizan::forms::FieldErrors;
use mizan::{App, Auth, Form, FormFields, Request, Upload, Uploads};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::support::{self, TestAuth};

const BOUNDARY: &str = "b0undary-of-the-form-test";

/// A name and a picture.
#[derive(Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ProfileForm {
    #[garde(length(chars, min = 1, max = 20))]
    display_name: String,
    #[form(label = "Your picture", help = "A PNG or a JPEG.")]
    #[upload(max_bytes = 64, mime = ["image/png", "image/jpeg"])]
    #[serde(skip)]
    #[garde(skip)]
    profile_picture: Upload,
}

/// What the handler saw of the submission.
#[derive(Serialize, JsonSchema)]
struct Seen {
    name: String,
    file_name: Option<String>,
    content_type: String,
    bytes: String,
}

impl Form for ProfileForm {
    const NAME: &'static str = "profile";
    const TITLE: &'static str = "Your profile";
    type Output = Seen;

    async fn clean(&self, _req: &Request) -> mizan::Result<()> {
        let mut errors = FieldErrors::new();
        if self.display_name == "spam" {
            errors.add("display_name", "no spam, please");
        }
        // `clean` sees the file's headers (in `validate`, no file: `None`).
        if self.profile_picture.file_name() == Some("virus.png") {
            errors.add("profile_picture", "that file name is not welcome");
        }
        errors.into_result()
    }

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<Seen> {
        let mut file = self.profile_picture;
        let mut bytes = Vec::new();
        while let Some(chunk) = file.chunk().await? {
            bytes.extend_from_slice(&chunk);
        }
        Ok(Seen {
            name: self.display_name,
            file_name: file.file_name().map(str::to_owned),
            content_type: file.content_type().to_owned(),
            bytes: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }
}

/// An album: a title and up to two photos, for signed-in callers.
#[derive(Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields)]
struct AlbumForm {
    #[garde(length(chars, min = 1, max = 20))]
    title: String,
    #[upload(max_bytes = 100, max_count = 2, mime = ["image/*"])]
    #[serde(skip)]
    #[garde(skip)]
    photos: Uploads,
}

impl Form for AlbumForm {
    const NAME: &'static str = "album";
    const TITLE: &'static str = "New album";
    const AUTH: Auth = Auth::Authenticated;
    type Output = Vec<String>;

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<Vec<String>> {
        let mut photos = self.photos;
        let mut out = Vec::new();
        while let Some(mut photo) = photos.next().await? {
            let mut size = 0;
            while let Some(chunk) = photo.chunk().await? {
                size += chunk.len();
            }
            out.push(format!("{}/{}:{size}", self.title, photo.file_name().unwrap_or("")));
        }
        Ok(out)
    }
}

/// A note with an optional attachment.
#[derive(Deserialize, JsonSchema, garde::Validate, FormFields)]
#[serde(deny_unknown_fields)]
struct NoteForm {
    #[garde(length(chars, min = 1, max = 20))]
    text: String,
    #[serde(skip)]
    #[garde(skip)]
    attachment: Option<Upload>,
}

impl Form for NoteForm {
    const NAME: &'static str = "note";
    const TITLE: &'static str = "A note";
    type Output = String;

    async fn on_submit_success(self, _req: &Request) -> mizan::Result<String> {
        Ok(match self.attachment {
            Some(file) => format!("{} + {}", self.text, file.file_name().unwrap_or("")),
            None => self.text,
        })
    }
}

fn app() -> App {
    App::new().authenticator(TestAuth).form::<ProfileForm>().form::<AlbumForm>().form::<NoteForm>()
}

fn part(name: &str, file: Option<(&str, &str)>, body: &[u8]) -> Vec<u8> {
    let mut out = format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"").into_bytes();
    if let Some((file_name, ty)) = file {
        out.extend(format!("; filename=\"{file_name}\"\r\ncontent-type: {ty}").into_bytes());
    }
    out.extend(b"\r\n\r\n");
    out.extend_from_slice(body);
    out.extend(b"\r\n");
    out
}

type File<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

fn body(args: &Value, files: &[File<'_>]) -> Vec<u8> {
    let mut out = part("args", None, args.to_string().as_bytes());
    for (name, file_name, ty, bytes) in files {
        out.extend(part(name, Some((file_name, ty)), bytes));
    }
    out.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    out
}

/// A multipart POST to `call/{name}` with `headers`: the status and the answer.
async fn upload(
    api: &str,
    name: &str,
    headers: &[(&str, &str)],
    body: impl Into<reqwest::Body>,
) -> (u16, Value) {
    let mut r = reqwest::Client::new()
        .post(format!("{api}/call/{name}"))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"));
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let r = tokio::time::timeout(Duration::from_secs(20), r.body(body).send())
        .await
        .expect("answered in time")
        .expect("an answer");
    let status = r.status().as_u16();
    (status, r.json().await.expect("JSON"))
}

async fn json_call(api: &str, name: &str, input: &Value) -> (u16, Value) {
    let r = reqwest::Client::new()
        .post(format!("{api}/call/{name}"))
        .header("content-type", "application/json")
        .body(input.to_string())
        .send()
        .await
        .expect("an answer");
    let status = r.status().as_u16();
    (status, r.json().await.expect("JSON"))
}

#[tokio::test]
async fn the_description_has_a_file_widget_with_its_limits() {
    let served = support::serve(app()).await;
    let (status, out) = json_call(&served.api, "profile.schema", &json!({})).await;
    assert_eq!(status, 200, "{out}");
    let fields = &out["data"]["fields"];
    assert_eq!(fields[0]["name"], "displayName");
    assert_eq!(fields[0]["widget"], "text");
    assert_eq!(
        fields[1],
        json!({
            "name": "profilePicture",
            "label": "Your picture",
            "widget": "file",
            "required": true,
            "choices": null,
            "initial": null,
            "help_text": "A PNG or a JPEG.",
            "constraints": { "maxBytes": 64, "mime": ["image/png", "image/jpeg"], "multiple": false }
        })
    );
    let (_, album) = json_call(&served.api, "album.schema", &json!({})).await;
    assert_eq!(album["error"]["code"], "UNAUTHENTICATED", "the form's auth covers its schema");
    let manifest = app().manifest().expect("a valid manifest").to_json();
    let album = &manifest["forms"][1]["fields"][1];
    assert_eq!((album["widget"].clone(), album["required"].clone()), (json!("file"), json!(false)));
    assert_eq!(
        album["constraints"],
        json!({ "maxBytes": 100, "maxCount": 2, "mime": ["image/*"], "multiple": true })
    );
    let note = &manifest["forms"][2]["fields"][1];
    assert_eq!((note["widget"].clone(), note["required"].clone()), (json!("file"), json!(false)));
    assert_eq!(note["constraints"]["maxBytes"], 10_000_000, "the default limit");

    // `submit` takes the file as an upload; `validate` does not take it at all.
    let function = |name: &str| {
        manifest["functions"].as_array().unwrap().iter().find(|f| f["name"] == name).cloned().unwrap()
    };
    let submit = function("profile.submit");
    assert_eq!(submit["upload"]["arg"], "profilePicture");
    assert_eq!(
        (submit["upload"]["max_bytes"].clone(), submit["upload"]["optional"].clone()),
        (json!(64), json!(false))
    );
    assert_eq!(submit["args"], json!(["displayName", "profilePicture"]));
    let validate = function("profile.validate");
    assert_eq!(validate["upload"], Value::Null);
    assert_eq!(validate["args"], json!(["displayName"]));
    assert!(validate["input"]["properties"].get("profilePicture").is_none(), "{}", validate["input"]);
}

#[tokio::test]
async fn validate_takes_the_other_fields_only() {
    let served = support::serve(app()).await;
    let (status, out) = json_call(&served.api, "profile.validate", &json!({ "displayName": "Ada" })).await;
    assert_eq!((status, out["data"].clone()), (200, json!({})), "{out}");
    let (status, out) = json_call(&served.api, "profile.validate", &json!({ "displayName": "spam" })).await;
    assert_eq!((status, out["data"].clone()), (200, json!({ "displayName": ["no spam, please"] })), "{out}");
    // The file is never sent to `validate`: a key for it is an unknown key.
    let (status, out) =
        json_call(&served.api, "profile.validate", &json!({ "displayName": "Ada", "profilePicture": {} }))
            .await;
    assert_eq!(status, 200, "{out}");
    assert!(out["data"]["profilePicture"][0].as_str().is_some(), "{out}");
}

#[tokio::test]
async fn submit_hands_the_file_to_clean_and_the_handler() {
    let served = support::serve(app()).await;
    let png: &[File<'_>] = &[("profilePicture", "me.png", "image/png", b"\x89PNG fake bytes")];
    let (status, out) =
        upload(&served.api, "profile.submit", &[], body(&json!({ "displayName": "Ada" }), png)).await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(
        out["data"],
        json!({ "name": "Ada", "file_name": "me.png", "content_type": "image/png", "bytes": "\u{fffd}PNG fake bytes" })
    );

    // `clean` refuses by the file's name: the error is keyed by its wire name.
    let virus: &[File<'_>] = &[("profilePicture", "virus.png", "image/png", b"x")];
    let (status, out) =
        upload(&served.api, "profile.submit", &[], body(&json!({ "displayName": "Ada" }), virus)).await;
    assert_eq!(status, 422, "{out}");
    assert_eq!(out["error"]["fields"], json!({ "profilePicture": ["that file name is not welcome"] }));

    // The other fields' rules hold as in a JSON submission.
    let (status, out) =
        upload(&served.api, "profile.submit", &[], body(&json!({ "displayName": "" }), png)).await;
    assert_eq!(status, 422, "{out}");
    assert!(out["error"]["fields"]["displayName"].is_array(), "{out}");

    // A form with a file field takes multipart only.
    let (status, out) = json_call(&served.api, "profile.submit", &json!({ "displayName": "Ada" })).await;
    assert_eq!((status, out["error"]["code"].clone()), (415, json!("UNSUPPORTED_MEDIA_TYPE")), "{out}");
}

#[tokio::test]
async fn the_files_limits_are_enforced_on_the_field() {
    let served = support::serve(app()).await;
    let args = json!({ "displayName": "Ada" });
    // Past max_bytes: 413, even though the handler reads on.
    let big = vec![b'x'; 65];
    let (status, out) = upload(
        &served.api,
        "profile.submit",
        &[],
        body(&args, &[("profilePicture", "big.png", "image/png", &big)]),
    )
    .await;
    assert_eq!((status, out["error"]["code"].clone()), (413, json!("PAYLOAD_TOO_LARGE")), "{out}");
    // A file that never ends is refused once past the limit.
    let mut head = part("args", None, args.to_string().as_bytes());
    head.extend(
        format!(
            "--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"profilePicture\"; filename=\"f.png\"\r\ncontent-type: image/png\r\n\r\n"
        )
        .into_bytes(),
    );
    head.extend(vec![b'x'; 4096]);
    let endless =
        futures_util::stream::iter([Ok::<_, std::io::Error>(head)]).chain(futures_util::stream::pending());
    let (status, out) = upload(&served.api, "profile.submit", &[], reqwest::Body::wrap_stream(endless)).await;
    assert_eq!((status, out["error"]["code"].clone()), (413, json!("PAYLOAD_TOO_LARGE")), "{out}");

    // A type the field does not take: 422 on the field.
    let gif: &[File<'_>] = &[("profilePicture", "a.gif", "image/gif", b"GIF89a")];
    let (status, out) = upload(&served.api, "profile.submit", &[], body(&args, gif)).await;
    assert_eq!((status, out["error"]["code"].clone()), (422, json!("VALIDATION")), "{out}");
    assert_eq!(out["error"]["issues"][0]["path"], json!(["profilePicture"]));
    assert!(out["error"]["fields"]["profilePicture"][0].as_str().unwrap().contains("image/gif"), "{out}");

    // No file for a required field: 422 on the field.
    let (status, out) = upload(&served.api, "profile.submit", &[], body(&args, &[])).await;
    assert_eq!((status, out["error"]["code"].clone()), (422, json!("VALIDATION")), "{out}");
    assert_eq!(out["error"]["fields"], json!({ "profilePicture": ["a file is required"] }));
}

#[tokio::test]
async fn lists_and_optional_files() {
    let served = support::serve(app()).await;
    let auth = [("authorization", "Bearer alice")];
    let two: &[File<'_>] =
        &[("photos", "a.png", "image/png", b"aa"), ("photos", "b.jpg", "image/jpeg", b"b")];
    let (status, out) =
        upload(&served.api, "album.submit", &auth, body(&json!({ "title": "trip" }), two)).await;
    assert_eq!((status, out["data"].clone()), (200, json!(["trip/a.png:2", "trip/b.jpg:1"])), "{out}");
    let three = [two, &[("photos", "c.png", "image/png", b"c" as &[u8])]].concat();
    let (status, out) =
        upload(&served.api, "album.submit", &auth, body(&json!({ "title": "trip" }), &three)).await;
    assert_eq!((status, out["error"]["code"].clone()), (413, json!("PAYLOAD_TOO_LARGE")), "{out}");
    // A wrong type later in the list, found as the handler reads: 422 at its place.
    let text: &[File<'_>] =
        &[("photos", "a.png", "image/png", b"a"), ("photos", "t.txt", "text/plain", b"t")];
    let (status, out) =
        upload(&served.api, "album.submit", &auth, body(&json!({ "title": "trip" }), text)).await;
    assert_eq!(status, 422, "{out}");
    assert_eq!(out["error"]["issues"][0]["path"], json!(["photos", 1]));

    let (status, out) = upload(&served.api, "note.submit", &[], body(&json!({ "text": "hi" }), &[])).await;
    assert_eq!((status, out["data"].clone()), (200, json!("hi")), "{out}");
    let one: &[File<'_>] = &[("attachment", "n.txt", "text/plain", b"n")];
    let (status, out) = upload(&served.api, "note.submit", &[], body(&json!({ "text": "hi" }), one)).await;
    assert_eq!((status, out["data"].clone()), (200, json!("hi + n.txt")), "{out}");
}

#[tokio::test]
async fn csrf_and_auth_refuse_before_the_body_is_read() {
    let served = support::serve(app()).await;
    let endless = |args: &Value| {
        let head = part("args", None, args.to_string().as_bytes());
        reqwest::Body::wrap_stream(
            futures_util::stream::iter([Ok::<_, std::io::Error>(head)])
                .chain(futures_util::stream::pending()),
        )
    };
    // A foreign origin with a body that never ends: refused at once.
    let args = json!({ "displayName": "Ada" });
    let (status, out) =
        upload(&served.api, "profile.submit", &[("origin", "https://evil.example")], endless(&args)).await;
    assert_eq!((status, out["error"]["code"].clone()), (403, json!("CSRF")), "{out}");
    // An anonymous caller of a signed-in form, likewise.
    let (status, out) = upload(&served.api, "album.submit", &[], endless(&json!({ "title": "x" }))).await;
    assert_eq!((status, out["error"]["code"].clone()), (401, json!("UNAUTHENTICATED")), "{out}");
}
