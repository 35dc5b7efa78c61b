#[mizan::client]
async fn compare(_req: &mizan::Request, left: mizan::Upload, right: mizan::Upload) -> mizan::Result<()> {
    drop((left, right));
    Ok(())
}
fn main() {}
