#[derive(mizan::ErrorType, serde::Serialize)]
struct ReserveError {
    seat: u32,
}
fn main() {}
