#[mizan::client]
async fn echo(_req: &mizan::Request, text: &str) -> mizan::Result<String> {
    Ok(text.to_owned())
}
fn main() {}
