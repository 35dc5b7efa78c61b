#[derive(serde::Deserialize)]
struct Opaque {
    x: u8,
}

#[mizan::client]
async fn take(_req: &mizan::Request, value: Opaque) -> mizan::Result<u8> {
    Ok(value.x)
}
fn main() {}
