#[mizan::client(query)]
async fn preview(_req: &mizan::Request, file: mizan::Upload) -> mizan::Result<()> {
    drop(file);
    Ok(())
}
fn main() {}
