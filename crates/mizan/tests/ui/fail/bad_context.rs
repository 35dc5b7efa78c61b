#[mizan::client(context = "page")]
async fn echo(_req: &mizan::Request, text: String) -> mizan::Result<String> {
    Ok(text)
}
fn main() {}
