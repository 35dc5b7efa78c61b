#[mizan::client]
async fn echo(_req: &mizan::Request, text: String) -> String {
    text
}
fn main() {}
