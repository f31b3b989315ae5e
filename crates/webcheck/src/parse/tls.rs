//! Hand-built TLS ClientHellos and a parser for the server's first answer.
//!
//! rustls refuses to speak SSL 3.0, TLS 1.0/1.1 or weak cipher suites, which is right for a
//! client and useless for asking a server whether it *accepts* them. So the probes write a
//! ClientHello by hand (RFC 5246 §7.4.1.2) that offers only the version or suites in question,
//! send it over a plain TCP connection and read the first record that comes back:
//!
//! - a ServerHello that selects the offered legacy version (or one of the offered weak suites)
//!   means the server accepts it: that is a finding, and it is not a guess;
//! - an alert (`protocol_version`, `handshake_failure`, `insufficient_security`) or a closed
//!   connection means it refuses.
//!
//! The connection is dropped right after the ServerHello; no key exchange ever happens.

/// TLS protocol versions as they appear on the wire.
pub const SSL3: u16 = 0x0300;
pub const TLS10: u16 = 0x0301;
pub const TLS11: u16 = 0x0302;
pub const TLS12: u16 = 0x0303;
pub const TLS13: u16 = 0x0304;

/// The display name of a wire version.
pub fn version_name(v: u16) -> String {
    match v {
        SSL3 => "SSL 3.0".to_owned(),
        TLS10 => "TLS 1.0".to_owned(),
        TLS11 => "TLS 1.1".to_owned(),
        TLS12 => "TLS 1.2".to_owned(),
        TLS13 => "TLS 1.3".to_owned(),
        other => format!("0x{other:04x}"),
    }
}

/// Cipher suites a server may legitimately pick with TLS 1.0 and 1.1 (CBC with SHA-1, RSA and
/// ECDHE key exchange): offered by the legacy-version probes, so a server that speaks those
/// versions at all finds something it accepts.
pub const LEGACY_VERSION_SUITES: [u16; 10] = [
    0xc014, 0xc013, 0xc00a, 0xc009, 0x0039, 0x0033, 0x0035, 0x002f, 0x000a, 0x0005,
];

/// Weak suites for the weak-cipher probe, with their IANA names.
pub const WEAK_SUITES: [(u16, &str); 22] = [
    (0x0001, "TLS_RSA_WITH_NULL_MD5"),
    (0x0002, "TLS_RSA_WITH_NULL_SHA"),
    (0x003b, "TLS_RSA_WITH_NULL_SHA256"),
    (0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA"),
    (0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
    (0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"),
    (0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"),
    (0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"),
    (0x0004, "TLS_RSA_WITH_RC4_128_MD5"),
    (0x0005, "TLS_RSA_WITH_RC4_128_SHA"),
    (0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"),
    (0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"),
    (0x0009, "TLS_RSA_WITH_DES_CBC_SHA"),
    (0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"),
    (0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"),
    (0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"),
    (0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"),
    (0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
    (0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"),
];

/// The IANA name of a suite from [`WEAK_SUITES`] or [`LEGACY_VERSION_SUITES`].
pub fn suite_name(suite: u16) -> String {
    if let Some((_, name)) = WEAK_SUITES.iter().find(|(s, _)| *s == suite) {
        return (*name).to_owned();
    }
    match suite {
        0xc014 => "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA".to_owned(),
        0xc013 => "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA".to_owned(),
        0xc00a => "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA".to_owned(),
        0xc009 => "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA".to_owned(),
        0x0039 => "TLS_DHE_RSA_WITH_AES_256_CBC_SHA".to_owned(),
        0x0033 => "TLS_DHE_RSA_WITH_AES_128_CBC_SHA".to_owned(),
        0x0035 => "TLS_RSA_WITH_AES_256_CBC_SHA".to_owned(),
        0x002f => "TLS_RSA_WITH_AES_128_CBC_SHA".to_owned(),
        other => format!("0x{other:04x}"),
    }
}

/// Builds a ClientHello record offering `version` and `suites`, with SNI for `server_name`
/// when it is a DNS name. `random` fills the 32-byte random field.
pub fn client_hello(
    version: u16,
    suites: &[u16],
    server_name: Option<&str>,
    random: [u8; 32],
) -> Vec<u8> {
    let mut ext = Vec::new();
    if let Some(name) = server_name.filter(|n| !n.is_empty() && n.len() < 256) {
        // server_name: list of one host_name entry.
        let name = name.as_bytes();
        let mut list = vec![0u8]; // host_name
        push_u16(&mut list, name.len());
        list.extend_from_slice(name);
        let mut body = Vec::new();
        push_u16(&mut body, list.len());
        body.extend_from_slice(&list);
        push_ext(&mut ext, 0x0000, &body);
    }
    // supported_groups: x25519, secp256r1, secp384r1 (needed for the ECDHE suites).
    push_ext(
        &mut ext,
        0x000a,
        &[0x00, 0x06, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18],
    );
    // ec_point_formats: uncompressed.
    push_ext(&mut ext, 0x000b, &[0x01, 0x00]);
    if version >= TLS12 {
        // signature_algorithms: the common RSA and ECDSA schemes, SHA-1 last.
        let algs: [u16; 8] = [
            0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0201, 0x0203,
        ];
        let mut body = Vec::new();
        push_u16(&mut body, algs.len() * 2);
        for a in algs {
            body.extend_from_slice(&a.to_be_bytes());
        }
        push_ext(&mut ext, 0x000d, &body);
    }
    // renegotiation_info (empty): some servers refuse hellos without it.
    push_ext(&mut ext, 0xff01, &[0x00]);

    let mut hello = Vec::new();
    hello.extend_from_slice(&version.to_be_bytes());
    hello.extend_from_slice(&random);
    hello.push(0); // no session id
    push_u16(&mut hello, suites.len() * 2);
    for s in suites {
        hello.extend_from_slice(&s.to_be_bytes());
    }
    hello.extend_from_slice(&[0x01, 0x00]); // compression: null only
    push_u16(&mut hello, ext.len());
    hello.extend_from_slice(&ext);

    let mut handshake = vec![0x01]; // client_hello
    push_u24(&mut handshake, hello.len());
    handshake.extend_from_slice(&hello);

    // The record layer says TLS 1.0 for compatibility with old middleboxes, except for SSL 3.0.
    let record_version = if version == SSL3 { SSL3 } else { TLS10 };
    let mut record = vec![0x16];
    record.extend_from_slice(&record_version.to_be_bytes());
    push_u16(&mut record, handshake.len());
    record.extend_from_slice(&handshake);
    record
}

fn push_u16(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u16::try_from(n).unwrap_or(u16::MAX).to_be_bytes());
}

fn push_u24(out: &mut Vec<u8>, n: usize) {
    let n = u32::try_from(n).unwrap_or(0xff_ffff).min(0xff_ffff);
    out.extend_from_slice(&n.to_be_bytes()[1..]);
}

fn push_ext(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    push_u16(out, body.len());
    out.extend_from_slice(body);
}

/// What the server answered to a hand-built ClientHello.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerAnswer {
    /// A ServerHello: the negotiated version (from `supported_versions` when present) and suite.
    Hello { version: u16, suite: u16 },
    /// A TLS alert: its level and description code.
    Alert { level: u8, description: u8 },
    /// More bytes are needed to decide.
    Incomplete,
    /// Not TLS, or a malformed answer.
    Garbage,
}

/// Largest handshake message we are willing to buffer while waiting for a ServerHello.
const MAX_HANDSHAKE: usize = 64 * 1024;

/// Parses the bytes received so far. Handshake messages may span records, so the handshake
/// payloads of consecutive records are joined before the first message is read.
pub fn parse_server_answer(data: &[u8]) -> ServerAnswer {
    let mut handshake = Vec::new();
    let mut rest = data;
    loop {
        if rest.len() < 5 {
            return ServerAnswer::Incomplete;
        }
        let content_type = rest[0];
        let major = rest[1];
        let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
        if major != 3 || len > 18_432 {
            return ServerAnswer::Garbage;
        }
        if rest.len() < 5 + len {
            return ServerAnswer::Incomplete;
        }
        let payload = &rest[5..5 + len];
        rest = &rest[5 + len..];
        match content_type {
            0x15 => {
                return match payload {
                    [level, description, ..] => ServerAnswer::Alert {
                        level: *level,
                        description: *description,
                    },
                    _ => ServerAnswer::Garbage,
                };
            }
            0x16 => {
                handshake.extend_from_slice(payload);
                if handshake.len() > MAX_HANDSHAKE {
                    return ServerAnswer::Garbage;
                }
                match parse_server_hello(&handshake) {
                    ServerAnswer::Incomplete => continue,
                    answer => return answer,
                }
            }
            _ => return ServerAnswer::Garbage,
        }
    }
}

fn parse_server_hello(h: &[u8]) -> ServerAnswer {
    if h.len() < 4 {
        return ServerAnswer::Incomplete;
    }
    if h[0] != 0x02 {
        return ServerAnswer::Garbage; // the first handshake message must be a ServerHello
    }
    let len = (usize::from(h[1]) << 16) | (usize::from(h[2]) << 8) | usize::from(h[3]);
    if len > MAX_HANDSHAKE {
        return ServerAnswer::Garbage;
    }
    if h.len() < 4 + len {
        return ServerAnswer::Incomplete;
    }
    let body = &h[4..4 + len];
    let mut r = Reader(body);
    let (Some(version), Some(_random), Some(sid_len)) = (r.u16(), r.take(32), r.u8()) else {
        return ServerAnswer::Garbage;
    };
    let (Some(_sid), Some(suite), Some(_compression)) =
        (r.take(usize::from(sid_len)), r.u16(), r.u8())
    else {
        return ServerAnswer::Garbage;
    };
    let mut negotiated = version;
    if let Some(ext_len) = r.u16()
        && let Some(exts) = r.take(usize::from(ext_len))
    {
        let mut e = Reader(exts);
        while let (Some(kind), Some(len)) = (e.u16(), e.u16()) {
            let Some(data) = e.take(usize::from(len)) else {
                return ServerAnswer::Garbage;
            };
            if kind == 0x002b && data.len() == 2 {
                negotiated = u16::from_be_bytes([data[0], data[1]]);
            }
        }
    }
    ServerAnswer::Hello {
        version: negotiated,
        suite,
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|b| u16::from_be_bytes([b[0], b[1]]))
    }
}

/// Builds a minimal ServerHello record (for tests and the fuzz corpus).
pub fn server_hello_record(version: u16, suite: u16) -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&version.to_be_bytes());
    body.extend_from_slice(&[0x42; 32]);
    body.push(0);
    body.extend_from_slice(&suite.to_be_bytes());
    body.push(0);
    let mut hs = vec![0x02];
    push_u24(&mut hs, body.len());
    hs.extend_from_slice(&body);
    let mut rec = vec![0x16, 0x03, 0x01];
    push_u16(&mut rec, hs.len());
    rec.extend_from_slice(&hs);
    rec
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_hello_is_well_formed() {
        let hello = client_hello(TLS10, &LEGACY_VERSION_SUITES, Some("example.com"), [7; 32]);
        assert_eq!(hello[0], 0x16);
        let record_len = usize::from(u16::from_be_bytes([hello[3], hello[4]]));
        assert_eq!(record_len, hello.len() - 5);
        assert_eq!(hello[5], 0x01);
        let hs_len =
            (usize::from(hello[6]) << 16) | (usize::from(hello[7]) << 8) | usize::from(hello[8]);
        assert_eq!(hs_len, record_len - 4);
        assert_eq!(&hello[9..11], &[0x03, 0x01]);
        assert!(hello.windows(11).any(|w| w == b"example.com"));
    }

    #[test]
    fn parses_server_hello_and_alerts() {
        assert_eq!(
            parse_server_answer(&server_hello_record(TLS10, 0x002f)),
            ServerAnswer::Hello {
                version: TLS10,
                suite: 0x002f
            }
        );
        assert_eq!(
            parse_server_answer(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]),
            ServerAnswer::Alert {
                level: 2,
                description: 70
            }
        );
    }

    #[test]
    fn server_hello_split_across_records_is_joined() {
        let rec = server_hello_record(TLS12, 0x0005);
        let hs = &rec[5..];
        let (a, b) = hs.split_at(10);
        let mut data = vec![0x16, 0x03, 0x03, 0x00, a.len() as u8];
        data.extend_from_slice(a);
        assert_eq!(parse_server_answer(&data), ServerAnswer::Incomplete);
        data.extend_from_slice(&[0x16, 0x03, 0x03, 0x00, b.len() as u8]);
        data.extend_from_slice(b);
        assert_eq!(
            parse_server_answer(&data),
            ServerAnswer::Hello {
                version: TLS12,
                suite: 0x0005
            }
        );
    }

    #[test]
    fn truncated_and_hostile_answers_do_not_panic() {
        let good = server_hello_record(TLS11, 0xc013);
        for n in 0..good.len() {
            let answer = parse_server_answer(&good[..n]);
            assert!(matches!(
                answer,
                ServerAnswer::Incomplete | ServerAnswer::Garbage
            ));
        }
        assert_eq!(
            parse_server_answer(b"HTTP/1.1 400 Bad Request\r\n"),
            ServerAnswer::Garbage
        );
        assert_eq!(
            parse_server_answer(&[0x16, 0x03, 0x03, 0xff, 0xff]),
            ServerAnswer::Garbage
        );
        let mut lying = good;
        lying[6] = 0xff; // a ServerHello claiming to be 16 MiB
        assert_eq!(parse_server_answer(&lying), ServerAnswer::Garbage);
    }
}
