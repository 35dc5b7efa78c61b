#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError {
    #[error(status = 409)]
    SeatTaken { seat: u32 },
}
fn main() {}
