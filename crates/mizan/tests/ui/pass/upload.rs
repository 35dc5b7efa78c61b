use mizan::{App, Request, Upload, Uploads};

/// One file, with a note.
#[mizan::client]
async fn avatar(
    _req: &Request,
    #[upload(max_bytes = 1_000_000, mime = ["image/png", "image/*"])] file: Upload,
    note: String,
) -> mizan::Result<String> {
    Ok(format!("{}:{note}", file.file_name().unwrap_or_default()))
}

/// Maybe a file.
#[mizan::client]
async fn cover(_req: &Request, #[upload(max_bytes = 2048)] file: Option<mizan::Upload>) -> mizan::Result<bool> {
    Ok(file.is_some())
}

/// Several files, then a count.
#[mizan::client(rate = "10/minute")]
async fn gallery(
    _req: &Request,
    title: String,
    #[upload(max_count = 4, mime = ["text/plain"])] photos: Uploads,
) -> mizan::Result<usize> {
    drop(photos);
    Ok(title.len())
}

fn main() {
    let app = App::new().register(avatar).register(cover).register(gallery);
    let m = app.manifest().unwrap().to_json();
    let f = &m["functions"];
    assert_eq!(f[0]["name"], "avatar");
    assert_eq!(f[0]["upload"]["arg"], "file");
    assert_eq!(f[0]["upload"]["max_bytes"], 1_000_000);
    assert_eq!(f[0]["upload"]["mime"], serde_json::json!(["image/png", "image/*"]));
    assert_eq!(f[0]["upload"]["multiple"], false);
    assert_eq!(f[0]["upload"]["optional"], false);
    assert_eq!(f[1]["upload"]["optional"], true);
    assert_eq!(f[1]["upload"]["max_bytes"], 2048);
    assert_eq!(f[2]["upload"]["multiple"], true);
    assert_eq!(f[2]["upload"]["arg"], "photos");
    assert_eq!(f[2]["upload"]["max_count"], 4);
    // Upload arguments are not in the JSON input schema.
    assert!(f[0]["input"].to_string().contains("note"));
    assert!(!f[0]["input"].to_string().contains("\"file\""));
}
