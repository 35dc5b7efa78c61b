#[mizan::client]
async fn avatar(_req: &mizan::Request, #[upload(max_size = 1000)] file: mizan::Upload) -> mizan::Result<()> {
    drop(file);
    Ok(())
}
fn main() {}
