#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError {
    #[error(code = "SEAT_TAKEN", status = 409)]
    SeatTaken { seat: u32 },
    SoldOut,
}
fn main() {}
