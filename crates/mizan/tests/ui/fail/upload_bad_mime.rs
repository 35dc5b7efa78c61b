#[mizan::client]
async fn avatar(_req: &mizan::Request, #[upload(mime = ["image/png", "Image/JPEG"])] file: mizan::Upload) -> mizan::Result<()> {
    drop(file);
    Ok(())
}
fn main() {}
