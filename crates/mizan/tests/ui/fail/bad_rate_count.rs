#[mizan::client(rate = "0/min")]
async fn echo(_req: &mizan::Request, text: String) -> mizan::Result<String> {
    Ok(text)
}

#[mizan::client(rate = "ten per minute")]
async fn shout(_req: &mizan::Request, text: String) -> mizan::Result<String> {
    Ok(text)
}
fn main() {}
