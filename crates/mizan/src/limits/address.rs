//! The client's address, as rate limits see it.

use std::net::{IpAddr, Ipv6Addr};

use crate::Request;

/// The address of the client that sent `req` ([`Request::client_ip`]: the
/// socket's peer, which `mizan::cli` serves with through axum's
/// `ConnectInfo<SocketAddr>`, or what a trusted proxy forwarded). Without a
/// peer (a router served without `into_make_service_with_connect_info`)
/// there is none, and that is logged once.
pub(crate) fn client_address(req: &Request) -> Option<IpAddr> {
    let found = req.client_ip();
    if found.is_none() {
        static WARNED: std::sync::Once = std::sync::Once::new();
        WARNED.call_once(|| {
            tracing::warn!(
                "requests have no client address (serve with into_make_service_with_connect_info::<SocketAddr>()): \
                 functions' rate limits count every such client as one, and logins are limited by username only"
            );
        });
    }
    found
}

/// The key an address counts under: itself for IPv4, its /64 for IPv6
/// (one host commonly holds a whole /64; an IPv4-mapped IPv6 address is its
/// IPv4 address).
pub(crate) fn network(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}
