#[mizan::client]
async fn rename(_req: &mizan::Request, #[upload(max_bytes = 100)] name: String) -> mizan::Result<String> {
    Ok(name)
}
fn main() {}
