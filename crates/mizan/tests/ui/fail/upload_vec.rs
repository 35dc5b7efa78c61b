#[mizan::client]
async fn gallery(_req: &mizan::Request, photos: Vec<mizan::Upload>) -> mizan::Result<()> {
    drop(photos);
    Ok(())
}
fn main() {}
