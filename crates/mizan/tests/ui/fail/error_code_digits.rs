#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError {
    #[error(code = "SEAT_13", status = 409)]
    Thirteen,
}
fn main() {}
