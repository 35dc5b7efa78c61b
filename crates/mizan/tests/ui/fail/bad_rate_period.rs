#[mizan::client(rate = "10/fortnight")]
async fn echo(_req: &mizan::Request, text: String) -> mizan::Result<String> {
    Ok(text)
}
fn main() {}
