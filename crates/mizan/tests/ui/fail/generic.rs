#[mizan::client]
async fn echo<T>(_req: &mizan::Request, text: String) -> mizan::Result<String> {
    Ok(text)
}
fn main() {}
