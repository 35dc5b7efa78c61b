//! A function's [`Rate`], checked by the call pipeline's gate.

use std::sync::Arc;

use super::{Hit, Rate, client_address, network, refused};
use crate::{Request, Result};

/// The limit on calls to one registered function, per caller.
#[derive(Debug, Clone)]
pub(crate) struct FnLimit {
    name: Arc<str>,
    rate: Rate,
}

impl FnLimit {
    /// The limit `rate` on calls to the function registered as `name`.
    pub(crate) fn new(name: &str, rate: Rate) -> Self {
        Self { name: Arc::from(name), rate }
    }

    /// Counts one call by `req`'s caller (its identity, else its client
    /// address), or refuses it with `RATE_LIMITED` and `retry-after`.
    pub(crate) async fn check(&self, req: &Request) -> Result<()> {
        let caller = match req.identity() {
            Some(identity) => format!("id:{}", identity.id()),
            None => match client_address(req) {
                Some(address) => format!("ip:{}", network(address)),
                None => "ip:unknown".to_owned(),
            },
        };
        let hit = Hit { key: format!("fn:{}:{caller}", self.name), rate: self.rate };
        match req.limiter().take(std::slice::from_ref(&hit)).await {
            // A call is never given back: every call counts, whatever it answers.
            Ok(_taken) => Ok(()),
            Err(wait) => Err(refused(&format!("too many calls to `{}`", self.name), wait)),
        }
    }
}
