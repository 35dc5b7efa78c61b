#[derive(mizan::ErrorType, serde::Serialize)]
enum ReserveError<T> {
    #[error(code = "SEAT_TAKEN", status = 409)]
    SeatTaken { seat: T },
}
fn main() {}
