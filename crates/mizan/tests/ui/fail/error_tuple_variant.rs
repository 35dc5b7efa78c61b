#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError {
    #[error(code = "SEAT_TAKEN", status = 409)]
    SeatTaken(u32, u32),
}
fn main() {}
