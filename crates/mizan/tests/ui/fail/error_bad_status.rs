#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError {
    #[error(code = "SEAT_TAKEN", status = 302)]
    SeatTaken { seat: u32 },
}
fn main() {}
