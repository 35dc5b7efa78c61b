//! Integers of every width, `f32`, `f64` and `mizan::Id64`. A JavaScript
//! number holds integers exactly only within ±(2^53 − 1), so the 64- and
//! 128-bit types are bounded with `range` (codegen refuses them otherwise),
//! and 64-bit ids travel as decimal strings (`Id64`). [`doubles`] and
//! [`singles`] echo lists of floats with the bits the server read, so a
//! client can check every value survives the trip exactly.

use mizan::{Id64, Request};
use schemars::JsonSchema;
use serde::Serialize;

/// 2^53 − 1, the largest integer a JavaScript number holds exactly.
pub const MAX_SAFE: i64 = 9_007_199_254_740_991;
/// [`MAX_SAFE`] as a `u64`.
pub const MAX_SAFE_U64: u64 = 9_007_199_254_740_991;

/// Every numeric type, unbounded where JavaScript can hold it.
#[mizan::client]
#[allow(clippy::too_many_arguments)]
pub async fn numbers(
    _req: &Request,
    int8: i8,
    int16: i16,
    int32: i32,
    #[garde(range(min = -MAX_SAFE, max = MAX_SAFE))] int64: i64,
    #[garde(range(min = -1_000_000, max = 1_000_000))] int128: i128,
    #[garde(range(min = -4096, max = 4096))] signed_size: isize,
    uint8: u8,
    uint16: u16,
    uint32: u32,
    #[garde(range(max = MAX_SAFE_U64))] uint64: u64,
    #[garde(range(max = 1_000_000))] uint128: u128,
    #[garde(range(max = 65536))] unsigned_size: usize,
    single: f32,
    double: f64,
    #[garde(range(min = -1.5, max = 1.5))] bounded: f64,
    id: Id64,
    parent: Option<Id64>,
    #[garde(length(max = 3))] children: Vec<Id64>,
) -> mizan::Result<Id64> {
    let _ = (
        int8,
        int16,
        int32,
        int64,
        int128,
        signed_size,
        uint8,
        uint16,
        uint32,
        uint64,
        uint128,
        unsigned_size,
    );
    let _ = (single, double, bounded, parent, children);
    Ok(id)
}

/// Doubles as the server read them.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Doubles {
    /// The values, written back.
    pub values: Vec<f64>,
    /// Each value's IEEE 754 bits, 16 hexadecimal digits (`f64::to_bits`).
    pub bits: Vec<String>,
}

/// Singles as the server read them.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Singles {
    /// The values, written back.
    pub values: Vec<f32>,
    /// Each value's IEEE 754 bits, 8 hexadecimal digits (`f32::to_bits`).
    pub bits: Vec<String>,
}

/// A list of `f64`, echoed with the bits the server read.
#[mizan::client]
pub async fn doubles(_req: &Request, values: Vec<f64>) -> mizan::Result<Doubles> {
    let bits = values.iter().map(|v| format!("{:016x}", v.to_bits())).collect();
    Ok(Doubles { values, bits })
}

/// A list of `f32`, echoed with the bits the server read.
#[mizan::client]
pub async fn singles(_req: &Request, values: Vec<f32>) -> mizan::Result<Singles> {
    let bits = values.iter().map(|v| format!("{:08x}", v.to_bits())).collect();
    Ok(Singles { values, bits })
}
