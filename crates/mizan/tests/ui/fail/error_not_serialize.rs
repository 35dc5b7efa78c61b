#[derive(mizan::ErrorType)]
enum ReserveError {
    #[error(code = "SEAT_TAKEN", status = 409)]
    SeatTaken { seat: u32 },
}
fn main() {}
