#[mizan::client]
async fn avatar(_req: &mizan::Request, #[upload(max_count = 3)] file: mizan::Upload) -> mizan::Result<()> {
    drop(file);
    Ok(())
}
fn main() {}
