#[mizan::client(context = "global")]
async fn theme(_req: &mizan::Request, file: Option<mizan::Upload>) -> mizan::Result<()> {
    drop(file);
    Ok(())
}
fn main() {}
