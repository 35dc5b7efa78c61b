// The error type of a function must be an ErrorType (or mizan's Error, or Failure of one).
#[derive(serde::Serialize)]
enum ReserveError {
    SeatTaken,
}
#[mizan::client]
async fn reserve(_req: &mizan::Request, seat: u32) -> mizan::Result<u32, ReserveError> {
    Ok(seat)
}
fn main() {}
