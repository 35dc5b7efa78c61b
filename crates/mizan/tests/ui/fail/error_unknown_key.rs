#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError {
    #[error(code = "SEAT_TAKEN", status = 409, reason = "taken")]
    SeatTaken { seat: u32 },
}
fn main() {}
