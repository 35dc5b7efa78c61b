#[mizan::client]
fn echo(_req: &mizan::Request, text: String) -> mizan::Result<String> {
    Ok(text)
}
fn main() {}
