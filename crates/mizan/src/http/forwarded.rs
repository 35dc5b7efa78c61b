//! What a request says about where it came from: the peer address (from
//! `ConnectInfo<SocketAddr>`) and, only when that peer is a configured
//! trusted proxy, `X-Forwarded-For`, `X-Forwarded-Proto` and
//! `X-Forwarded-Host`. The client address every limit uses comes from
//! [`client_ip`], and the public origin CSRF compares with from [`site_origin`].

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap, header};
use ipnet::IpNet;

/// The environment variable listing trusted proxies when the app sets none
/// (`10.0.0.0/8, 192.168.1.7`).
pub(crate) const PROXIES_ENV: &str = "MIZAN_TRUSTED_PROXIES";

/// Proxies (addresses or CIDR ranges) whose forwarded headers are believed.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrustedProxies(Arc<[IpNet]>);

impl TrustedProxies {
    /// Parses `10.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`; an entry that is
    /// neither is the error, naming it.
    pub(crate) fn parse<I, S>(entries: I) -> Result<Self, String>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut nets = Vec::new();
        for entry in entries {
            let entry = entry.as_ref().trim();
            if entry.is_empty() {
                continue;
            }
            let net = match entry.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => match entry.parse::<IpAddr>() {
                    Ok(ip) => IpNet::from(ip),
                    Err(_) => {
                        return Err(format!(
                            "trusted proxy `{entry}` is neither an IP address nor a CIDR range (10.0.0.0/8)"
                        ));
                    }
                },
            };
            nets.push(net.trunc());
        }
        Ok(Self(nets.into()))
    }

    /// Parses a comma-separated list (the environment variable's form).
    pub(crate) fn parse_list(list: &str) -> Result<Self, String> {
        Self::parse(list.split(','))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`, what a dual-stack
/// socket reports) as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The peer address the server was given (`ConnectInfo<SocketAddr>`), if any.
fn peer(extensions: &Extensions) -> Option<IpAddr> {
    extensions.get::<ConnectInfo<SocketAddr>>().map(|c| canonical(c.0.ip()))
}

/// Whether the request came straight from a trusted proxy.
fn from_trusted_proxy(extensions: &Extensions, proxies: &TrustedProxies) -> bool {
    !proxies.is_empty() && peer(extensions).is_some_and(|ip| proxies.trusts(ip))
}

/// The client's address: the peer's, or, when the peer is a trusted proxy,
/// the rightmost `X-Forwarded-For` address that is not a trusted proxy
/// itself (the leftmost when every hop is trusted). Addresses a client
/// wrote before the first trusted proxy are never believed. `None` when the
/// server was not given peer addresses.
pub(crate) fn client_ip(
    headers: &HeaderMap,
    extensions: &Extensions,
    proxies: &TrustedProxies,
) -> Option<IpAddr> {
    let peer = peer(extensions)?;
    if proxies.is_empty() || !proxies.trusts(peer) {
        return Some(peer);
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|hop| parse_hop(hop.trim()))
        .collect::<Option<Vec<_>>>()
        // A list with an entry that is no address is not believed at all.
        .unwrap_or_default();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !proxies.trusts(hop) {
            break;
        }
    }
    Some(client)
}

/// One `X-Forwarded-For` entry: an address, maybe with a port
/// (`10.0.0.1:5000`, `[::1]:5000`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    hop.parse::<SocketAddr>().ok().map(|s| canonical(s.ip()))
}

/// The last value of a forwarded header (the one the nearest proxy wrote).
fn last_forwarded<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    let value = headers.get_all(name).iter().next_back()?.to_str().ok()?;
    let last = value.rsplit(',').next()?.trim();
    (!last.is_empty()).then_some(last)
}

/// The origin (`http://host:port`) the request was sent to, as its client
/// saw it: the configured public origin when there is one; else the scheme
/// and host a trusted proxy forwarded (`X-Forwarded-Proto`/`-Host`), falling
/// back to this server's own scheme (plain HTTP: mizan serves no TLS) and
/// the `Host` header. `None` when there is no host to go by.
pub(crate) fn site_origin(
    headers: &HeaderMap,
    extensions: &Extensions,
    public: Option<&str>,
    proxies: &TrustedProxies,
) -> Option<String> {
    if let Some(public) = public {
        return Some(public.to_owned());
    }
    let trusted = from_trusted_proxy(extensions, proxies);
    let forwarded = |name| if trusted { last_forwarded(headers, name) } else { None };
    let scheme = forwarded("x-forwarded-proto").unwrap_or("http");
    let host = forwarded("x-forwarded-host").or_else(|| headers.get(header::HOST)?.to_str().ok())?;
    normalize_origin(&format!("{scheme}://{host}"))
}

/// An origin in its one spelling (`https://a.example`, the default port
/// left out, the host in lower case), or `None` when it is not an HTTP(S)
/// origin (`null`, a path, another scheme).
pub(crate) fn normalize_origin(origin: &str) -> Option<String> {
    let url = url::Url::parse(origin).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return None;
    }
    // An origin is a scheme, a host and a port: nothing else may follow.
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return None;
    }
    let serialized = url.origin().ascii_serialization();
    (serialized != "null").then_some(serialized)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(peer: &str) -> Extensions {
        let mut e = Extensions::new();
        e.insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        e
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_addresses_and_ranges() {
        let p = TrustedProxies::parse_list("10.0.0.0/8, 192.168.1.7,::1, fd00::/8").unwrap();
        assert!(p.trusts(ip("10.2.3.4")) && p.trusts(ip("192.168.1.7")) && p.trusts(ip("::1")));
        assert!(p.trusts(ip("fd00::9")) && p.trusts(ip("::ffff:10.0.0.1")));
        assert!(!p.trusts(ip("192.168.1.8")) && !p.trusts(ip("11.0.0.1")));
        let e = TrustedProxies::parse(["10.0.0.0/8", "proxy.local"]).unwrap_err();
        assert!(e.contains("`proxy.local`"), "{e}");
        assert!(TrustedProxies::parse(["10.0.0.0/33"]).is_err());
    }

    #[test]
    fn the_client_address() {
        let proxies = TrustedProxies::parse(["10.0.0.0/8"]).unwrap();
        let none = TrustedProxies::default();
        let xff = headers(&[("x-forwarded-for", "6.6.6.6, 1.2.3.4, 10.0.0.5")]);
        // An untrusted peer: its own address, whatever it forwards.
        assert_eq!(client_ip(&xff, &from("8.8.8.8:1"), &proxies), Some(ip("8.8.8.8")));
        assert_eq!(client_ip(&xff, &from("10.0.0.1:1"), &none), Some(ip("10.0.0.1")));
        // A trusted peer: the rightmost untrusted hop, not what the client wrote first.
        assert_eq!(client_ip(&xff, &from("10.0.0.1:1"), &proxies), Some(ip("1.2.3.4")));
        // Headers repeated count as one list; ports are dropped.
        let split = headers(&[("x-forwarded-for", "6.6.6.6"), ("x-forwarded-for", "[2001:db8::1]:443")]);
        assert_eq!(client_ip(&split, &from("10.0.0.1:1"), &proxies), Some(ip("2001:db8::1")));
        // Every hop trusted: the leftmost. No header, or garbage: the peer.
        let inner = headers(&[("x-forwarded-for", "10.9.9.9, 10.0.0.5")]);
        assert_eq!(client_ip(&inner, &from("10.0.0.1:1"), &proxies), Some(ip("10.9.9.9")));
        assert_eq!(client_ip(&HeaderMap::new(), &from("10.0.0.1:1"), &proxies), Some(ip("10.0.0.1")));
        let junk = headers(&[("x-forwarded-for", "1.2.3.4, nonsense")]);
        assert_eq!(client_ip(&junk, &from("10.0.0.1:1"), &proxies), Some(ip("10.0.0.1")));
        // No peer address: unknown.
        assert_eq!(client_ip(&xff, &Extensions::new(), &proxies), None);
    }

    #[test]
    fn the_site_origin() {
        let proxies = TrustedProxies::parse(["10.0.0.0/8"]).unwrap();
        let h = headers(&[
            ("host", "internal:8080"),
            ("x-forwarded-proto", "https"),
            ("x-forwarded-host", "App.Example"),
        ]);
        let origin = |ext: &Extensions, public| site_origin(&h, ext, public, &proxies);
        assert_eq!(origin(&from("10.0.0.1:1"), None).as_deref(), Some("https://app.example"));
        assert_eq!(origin(&from("8.8.8.8:1"), None).as_deref(), Some("http://internal:8080"));
        assert_eq!(origin(&Extensions::new(), None).as_deref(), Some("http://internal:8080"));
        assert_eq!(
            origin(&from("10.0.0.1:1"), Some("https://x.example")).as_deref(),
            Some("https://x.example")
        );
        assert_eq!(site_origin(&HeaderMap::new(), &Extensions::new(), None, &proxies), None);
    }

    #[test]
    fn origins_have_one_spelling() {
        assert_eq!(normalize_origin("https://A.example:443").as_deref(), Some("https://a.example"));
        assert_eq!(normalize_origin("http://a.example:8080/").as_deref(), Some("http://a.example:8080"));
        assert_eq!(normalize_origin("http://[::1]:80").as_deref(), Some("http://[::1]"));
        for bad in ["null", "", "a.example", "ftp://a.example", "https://a.example/x", "https://u@a.example"]
        {
            assert_eq!(normalize_origin(bad), None, "{bad}");
        }
    }
}
