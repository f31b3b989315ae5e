//! The SSRF guard: which addresses a scan may connect to.
//!
//! A web scan fetches URLs that somebody else typed (a project's target URL on a shared server),
//! and every page it fetches can redirect it anywhere. Left alone, that is a server-side request
//! forgery primitive: `http://169.254.169.254/` hands out cloud credentials, `http://127.0.0.1/`
//! reaches admin ports, a DNS name that resolves to `10.0.0.5` reaches the internal network.
//!
//! The guard works at two points:
//!
//! - **Before a request**, [`check_url`] refuses non-HTTP schemes, credentials in the URL and
//!   hosts that are literal forbidden addresses. The WHATWG URL parser has already normalised
//!   the decimal, octal and hexadecimal IPv4 forms (`http://2130706433/`, `http://0x7f000001/`,
//!   `http://0177.0.0.1/` are all `127.0.0.1`), and IPv4-mapped and NAT64 IPv6 addresses are
//!   judged by the IPv4 address inside them.
//! - **At connect time**, [`GuardedResolver`] wraps the DNS resolver the HTTP client uses and
//!   drops every forbidden address from the answer. The client connects only to the addresses the
//!   guard returned, so a name cannot be re-resolved to something else between the check and the
//!   connection (no DNS-rebinding window), and every redirect and every new connection goes
//!   through it again.
//!
//! `allow_private` (the CLI's `--allow-private`, a server setting) lets an operator scan their
//! own internal hosts. Cloud metadata endpoints stay forbidden even then: no legitimate scan
//! target lives there, and they are the first thing an attacker aims an SSRF at.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Why an address may not be connected to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forbidden {
    Unspecified,
    Loopback,
    Private,
    LinkLocal,
    /// RFC 6598 shared address space (carrier-grade NAT), internal to providers.
    SharedAddressSpace,
    Multicast,
    Broadcast,
    /// Documentation, benchmarking and other reserved ranges that are never a real web server.
    Reserved,
    /// A cloud provider's instance metadata service (forbidden even with `allow_private`).
    CloudMetadata,
}

impl Forbidden {
    /// True for the classes an operator may allow with `allow_private`.
    pub fn is_private_class(self) -> bool {
        matches!(
            self,
            Forbidden::Loopback
                | Forbidden::Private
                | Forbidden::LinkLocal
                | Forbidden::SharedAddressSpace
                | Forbidden::Reserved
        )
    }
}

impl fmt::Display for Forbidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Forbidden::Unspecified => "an unspecified address",
            Forbidden::Loopback => "a loopback address",
            Forbidden::Private => "a private-network address",
            Forbidden::LinkLocal => "a link-local address",
            Forbidden::SharedAddressSpace => "a carrier-grade NAT (shared) address",
            Forbidden::Multicast => "a multicast address",
            Forbidden::Broadcast => "the broadcast address",
            Forbidden::Reserved => "a reserved address",
            Forbidden::CloudMetadata => "a cloud metadata service address",
        })
    }
}

/// A URL the guard refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    #[error("'{0}' is not a valid URL")]
    InvalidUrl(String),
    #[error("scheme '{0}' is not allowed (only http and https)")]
    Scheme(String),
    #[error("URLs with a user name or password are not allowed")]
    Credentials,
    #[error("the URL has no host")]
    NoHost,
    #[error("{host} is {reason}; refusing to connect (allow private targets to scan it)")]
    Address {
        host: String,
        reason: ForbiddenReason,
    },
    #[error("{host} resolves only to forbidden addresses ({reason}); refusing to connect")]
    Resolved {
        host: String,
        reason: ForbiddenReason,
    },
    #[error("could not resolve {host}: {message}")]
    Resolve { host: String, message: String },
}

/// [`Forbidden`] as carried by errors (a newtype so the error stays `Eq` and displayable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForbiddenReason(pub Forbidden);

impl fmt::Display for ForbiddenReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Classifies `ip`: `None` when a scan may connect to it, otherwise why not.
pub fn classify(ip: IpAddr) -> Option<Forbidden> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

/// True when `ip` may be connected to under the given policy.
pub fn is_allowed(ip: IpAddr, allow_private: bool) -> Result<(), Forbidden> {
    match classify(ip) {
        None => Ok(()),
        Some(reason) if allow_private && reason.is_private_class() => Ok(()),
        Some(reason) => Err(reason),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<Forbidden> {
    let o = ip.octets();
    let n = u32::from(ip);
    let in_net = |base: [u8; 4], bits: u32| {
        let mask = if bits == 0 {
            0
        } else {
            u32::MAX << (32 - bits)
        };
        n & mask == u32::from(Ipv4Addr::from(base)) & mask
    };
    // Metadata first: some of these sit inside ranges an operator may allow.
    if [
        [169, 254, 169, 254], // AWS, GCP, Azure, OpenStack, DigitalOcean
        [169, 254, 170, 2],   // AWS ECS task metadata
        [100, 100, 100, 200], // Alibaba Cloud
        [192, 0, 0, 192],     // Oracle Cloud
    ]
    .contains(&o)
    {
        return Some(Forbidden::CloudMetadata);
    }
    if ip.is_unspecified() || in_net([0, 0, 0, 0], 8) {
        return Some(Forbidden::Unspecified);
    }
    if ip.is_loopback() {
        return Some(Forbidden::Loopback);
    }
    if ip.is_private() {
        return Some(Forbidden::Private);
    }
    if ip.is_link_local() {
        return Some(Forbidden::LinkLocal);
    }
    if in_net([100, 64, 0, 0], 10) {
        return Some(Forbidden::SharedAddressSpace);
    }
    if ip.is_broadcast() {
        return Some(Forbidden::Broadcast);
    }
    if ip.is_multicast() {
        return Some(Forbidden::Multicast);
    }
    let reserved = [
        ([192, 0, 0, 0], 24),    // IETF protocol assignments
        ([192, 0, 2, 0], 24),    // TEST-NET-1
        ([198, 51, 100, 0], 24), // TEST-NET-2
        ([203, 0, 113, 0], 24),  // TEST-NET-3
        ([198, 18, 0, 0], 15),   // benchmarking
        ([240, 0, 0, 0], 4),     // reserved for future use
    ];
    if reserved.iter().any(|&(base, bits)| in_net(base, bits)) {
        return Some(Forbidden::Reserved);
    }
    None
}

fn classify_v6(ip: Ipv6Addr) -> Option<Forbidden> {
    // Addresses that carry an IPv4 address are judged by it: ::ffff:127.0.0.1 is loopback.
    if let Some(v4) = embedded_v4(ip) {
        return classify_v4(v4);
    }
    let seg = ip.segments();
    if ip == Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254) {
        return Some(Forbidden::CloudMetadata); // AWS IMDS over IPv6
    }
    if ip.is_unspecified() {
        return Some(Forbidden::Unspecified);
    }
    if ip.is_loopback() {
        return Some(Forbidden::Loopback);
    }
    if ip.is_multicast() {
        return Some(Forbidden::Multicast);
    }
    if seg[0] & 0xffc0 == 0xfe80 || seg[0] & 0xffc0 == 0xfec0 {
        // Link-local, and the deprecated site-local range that some stacks still route.
        return Some(Forbidden::LinkLocal);
    }
    if seg[0] & 0xfe00 == 0xfc00 {
        return Some(Forbidden::Private); // unique local addresses
    }
    let reserved = (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
        || (seg[0] == 0x0100 && seg[1] == 0 && seg[2] == 0 && seg[3] == 0) // discard-only
        || (seg[0] == 0x2001 && seg[1] == 0) // Teredo: the client address inside is obfuscated
        || seg[0] == 0; // the rest of ::/16 (IPv4-compatible and friends) is not routable
    if reserved {
        return Some(Forbidden::Reserved);
    }
    None
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`),
/// NAT64 (`64:ff9b::a.b.c.d`) or 6to4 (`2002:aabb:ccdd::`) address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let seg = ip.segments();
    let low = Ipv4Addr::new(
        (seg[6] >> 8) as u8,
        seg[6] as u8,
        (seg[7] >> 8) as u8,
        seg[7] as u8,
    );
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    if seg[..6] == [0, 0, 0, 0, 0, 0] && !(seg[6] == 0 && seg[7] <= 1) {
        return Some(low); // IPv4-compatible (deprecated); :: and ::1 are not
    }
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some(low);
    }
    if seg[0] == 0x2002 {
        return Some(Ipv4Addr::new(
            (seg[1] >> 8) as u8,
            seg[1] as u8,
            (seg[2] >> 8) as u8,
            seg[2] as u8,
        ));
    }
    None
}

/// Checks a URL before any request: scheme, credentials and literal-address hosts. DNS names
/// pass here; the [`GuardedResolver`] judges their addresses at connect time.
pub fn check_url(url: &str, allow_private: bool) -> Result<Url, GuardError> {
    let parsed = Url::parse(url.trim()).map_err(|_| GuardError::InvalidUrl(url.to_owned()))?;
    check_parsed(&parsed, allow_private)?;
    Ok(parsed)
}

/// [`check_url`] for an already parsed URL (every redirect hop goes through this).
pub fn check_parsed(url: &Url, allow_private: bool) -> Result<(), GuardError> {
    match url.scheme() {
        "http" | "https" => {}
        other => return Err(GuardError::Scheme(other.to_owned())),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(GuardError::Credentials);
    }
    match url.host() {
        None => Err(GuardError::NoHost),
        Some(Host::Ipv4(v4)) => check_literal(IpAddr::V4(v4), allow_private),
        Some(Host::Ipv6(v6)) => check_literal(IpAddr::V6(v6), allow_private),
        Some(Host::Domain(name)) => {
            // `localhost` never needs DNS to be loopback (RFC 6761); refuse it by name so a
            // resolver that maps it elsewhere cannot change the answer.
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if (name == "localhost" || name.ends_with(".localhost")) && !allow_private {
                return Err(GuardError::Address {
                    host: name,
                    reason: ForbiddenReason(Forbidden::Loopback),
                });
            }
            Ok(())
        }
    }
}

fn check_literal(ip: IpAddr, allow_private: bool) -> Result<(), GuardError> {
    is_allowed(ip, allow_private).map_err(|reason| GuardError::Address {
        host: ip.to_string(),
        reason: ForbiddenReason(reason),
    })
}

/// A blocking pre-flight check for clients the guard cannot sit inside (the engine's git
/// clone): checks the URL, resolves its host with the system resolver and refuses it if **any**
/// address is forbidden, since that client will pick its own address from the answer.
///
/// Unlike the [`GuardedResolver`], this leaves a window between the check and the client's own
/// lookup; it is the best a client with its own resolver allows.
pub fn check_url_blocking(url: &str, allow_private: bool) -> Result<(), GuardError> {
    let parsed = check_url(url, allow_private)?;
    let Some(Host::Domain(name)) = parsed.host() else {
        return Ok(()); // a literal address, already judged
    };
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addrs = (name, port)
        .to_socket_addrs()
        .map_err(|e| GuardError::Resolve {
            host: name.to_owned(),
            message: e.to_string(),
        })?;
    let mut any = false;
    for addr in addrs {
        any = true;
        if let Err(reason) = is_allowed(addr.ip(), allow_private) {
            return Err(GuardError::Address {
                host: format!("{name} ({})", addr.ip()),
                reason: ForbiddenReason(reason),
            });
        }
    }
    if !any {
        return Err(GuardError::Resolve {
            host: name.to_owned(),
            message: "no addresses".to_owned(),
        });
    }
    Ok(())
}

/// A DNS resolver that drops forbidden addresses, for the HTTP client and for the raw TLS
/// connections of the TLS checks.
#[derive(Clone)]
pub struct GuardedResolver {
    inner: Arc<dyn Resolve>,
    allow_private: bool,
}

impl GuardedResolver {
    pub fn new(inner: Arc<dyn Resolve>, allow_private: bool) -> GuardedResolver {
        GuardedResolver {
            inner,
            allow_private,
        }
    }

    /// The system resolver behind the guard.
    pub fn system(allow_private: bool) -> GuardedResolver {
        GuardedResolver::new(Arc::new(SystemResolver), allow_private)
    }

    /// Resolves `host` to the addresses a scan may connect to (port 0; callers set the port).
    pub async fn lookup(&self, host: &str) -> Result<Vec<IpAddr>, GuardError> {
        let name: Name = host.parse().map_err(|_| GuardError::Resolve {
            host: host.to_owned(),
            message: "not a valid host name".to_owned(),
        })?;
        let addrs = self
            .inner
            .resolve(name)
            .await
            .map_err(|e| GuardError::Resolve {
                host: host.to_owned(),
                message: e.to_string(),
            })?;
        filter(host, addrs.map(|a| a.ip()), self.allow_private)
    }
}

fn filter(
    host: &str,
    addrs: impl Iterator<Item = IpAddr>,
    allow_private: bool,
) -> Result<Vec<IpAddr>, GuardError> {
    let mut allowed = Vec::new();
    let mut last_reason = None;
    for ip in addrs {
        match is_allowed(ip, allow_private) {
            Ok(()) => {
                if !allowed.contains(&ip) {
                    allowed.push(ip);
                }
            }
            Err(reason) => last_reason = Some(reason),
        }
    }
    match (allowed.is_empty(), last_reason) {
        (false, _) => Ok(allowed),
        (true, Some(reason)) => Err(GuardError::Resolved {
            host: host.to_owned(),
            reason: ForbiddenReason(reason),
        }),
        (true, None) => Err(GuardError::Resolve {
            host: host.to_owned(),
            message: "no addresses".to_owned(),
        }),
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let this = self.clone();
        Box::pin(async move {
            let ips = this.lookup(name.as_str()).await?;
            let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// The operating system's resolver (`getaddrinfo`, on tokio's blocking pool).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let addrs: Addrs = Box::new(addrs.collect::<Vec<_>>().into_iter());
            Ok(addrs)
        })
    }
}

/// A fixed table of names to addresses: for tests, and for operators who pin a target's
/// address. Names not in the table fail to resolve.
#[derive(Debug, Clone, Default)]
pub struct StaticResolver {
    entries: Vec<(String, Vec<IpAddr>)>,
}

impl StaticResolver {
    pub fn new() -> StaticResolver {
        StaticResolver::default()
    }

    /// Adds (or replaces) the addresses of `name`.
    pub fn with(mut self, name: &str, addrs: impl IntoIterator<Item = IpAddr>) -> StaticResolver {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.entries.retain(|(n, _)| *n != name);
        self.entries.push((name, addrs.into_iter().collect()));
        self
    }

    fn get(&self, name: &str) -> Option<Vec<IpAddr>> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.entries
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, a)| a.clone())
    }
}

impl Resolve for StaticResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let found = self.get(name.as_str());
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let ips = found.ok_or_else(|| format!("{host}: not in the static resolver table"))?;
            let addrs: Addrs = Box::new(ips.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str) -> bool {
        check_url(url, false).is_err()
    }

    #[test]
    fn literal_forbidden_hosts_are_refused_in_every_spelling() {
        for url in [
            "http://127.0.0.1/",
            "http://127.1.2.3:8080/x",
            "http://10.0.0.1/",
            "http://172.16.5.4/",
            "http://192.168.1.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://[64:ff9b::a00:1]/",
            "http://[2002:7f00:1::]/",
            "http://[fe80::1]/",
            "http://[fc00::1]/",
            "http://[fd00:ec2::254]/",
            "http://0x7f000001/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://017700000001/",
            "http://0/",
            "http://100.64.0.1/",
            "http://224.0.0.1/",
            "http://255.255.255.255/",
            "http://localhost:3000/",
            "http://api.localhost/",
        ] {
            assert!(refused(url), "{url} should be refused");
        }
    }

    #[test]
    fn public_hosts_and_names_pass_the_literal_check() {
        for url in [
            "https://example.com/",
            "http://93.184.215.14/",
            "https://[2606:4700::1111]/",
            "https://8.8.8.8:8443/path?q=1",
        ] {
            assert!(check_url(url, false).is_ok(), "{url} should pass");
        }
    }

    #[test]
    fn schemes_and_credentials_are_checked() {
        assert_eq!(
            check_url("file:///etc/passwd", true),
            Err(GuardError::Scheme("file".into()))
        );
        assert_eq!(
            check_url("gopher://example.com/", true),
            Err(GuardError::Scheme("gopher".into()))
        );
        assert_eq!(
            check_url("https://user:pw@example.com/", true),
            Err(GuardError::Credentials)
        );
        assert!(matches!(
            check_url("not a url", true),
            Err(GuardError::InvalidUrl(_))
        ));
    }

    #[test]
    fn allow_private_opens_private_ranges_but_never_metadata() {
        assert!(check_url("http://127.0.0.1:8080/", true).is_ok());
        assert!(check_url("http://10.1.2.3/", true).is_ok());
        assert!(check_url("http://localhost/", true).is_ok());
        for url in [
            "http://169.254.169.254/",
            "http://[::ffff:169.254.169.254]/",
            "http://100.100.100.200/",
            "http://[fd00:ec2::254]/",
        ] {
            let err = check_url(url, true).unwrap_err();
            assert!(
                matches!(
                    err,
                    GuardError::Address {
                        reason: ForbiddenReason(Forbidden::CloudMetadata),
                        ..
                    }
                ),
                "{url}: {err}"
            );
        }
        // Multicast is never a web server.
        assert!(check_url("http://239.1.1.1/", true).is_err());
    }

    #[tokio::test]
    async fn resolver_drops_forbidden_addresses() {
        let table = StaticResolver::new()
            .with("internal.test", ["10.0.0.7".parse().unwrap()])
            .with(
                "mixed.test",
                [
                    "127.0.0.1".parse().unwrap(),
                    "93.184.215.14".parse().unwrap(),
                ],
            );
        let guard = GuardedResolver::new(Arc::new(table), false);
        let err = guard.lookup("internal.test").await.unwrap_err();
        assert!(matches!(err, GuardError::Resolved { .. }), "{err}");
        assert_eq!(
            guard.lookup("mixed.test").await.unwrap(),
            vec!["93.184.215.14".parse::<IpAddr>().unwrap()]
        );
        assert!(guard.lookup("unknown.test").await.is_err());
    }
}
