#[mizan::client]
async fn echo(text: String) -> mizan::Result<String> {
    Ok(text)
}
fn main() {}
