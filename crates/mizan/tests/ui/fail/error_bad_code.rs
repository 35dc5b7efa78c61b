#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError {
    #[error(code = "SeatTaken", status = 409)]
    SeatTaken { seat: u32 },
}
fn main() {}
