#[mizan::client]
async fn echo(_req: &mizan::Request, #[garde(length(min = 1, max = 5))] text: String) -> mizan::Result<String> {
    Ok(text)
}
fn main() {}
