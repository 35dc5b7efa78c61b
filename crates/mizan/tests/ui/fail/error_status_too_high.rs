#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError {
    #[error(code = "SEAT_TAKEN", status = 600)]
    SeatTaken { seat: u32 },
}
fn main() {}
