#[mizan::client(auth = "admin")]
async fn echo(_req: &mizan::Request, text: String) -> mizan::Result<String> {
    Ok(text)
}
fn main() {}
