#[mizan::client]
async fn avatar(_req: &mizan::Request, #[garde(skip)] file: mizan::Upload) -> mizan::Result<()> {
    drop(file);
    Ok(())
}
fn main() {}
