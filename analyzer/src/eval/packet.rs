//! The packet a user describes with nft's own match words, and what it carries: `iifname eth0
//! ip saddr 192.0.2.7 tcp dport ssh tcp flags syn ct state new`.
//!
//! Whatever the description leaves out takes the value the kernel test lab sends by default, so
//! that a description means the same packet here and there: an IPv4 packet from 192.0.2.2 to
//! 192.0.2.1 with TTL 64, arriving on `eth0` (input and forward) and leaving by `eth1` (output and
//! forward); TCP from port 40000 to port 80 with SYN (ACK for an established connection), UDP from
//! 40000 to 53, ICMP echo-request; `ct state new`, marks 0.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::rc::Rc;

use crate::symbols::services::service_port;
use crate::symbols::{Datatype, lookup};

/// Which hooks a packet passes: delivered to the host, sent by it, or routed through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// prerouting, then input.
    Input,
    /// output, then postrouting.
    Output,
    /// prerouting, forward, then postrouting.
    Forward,
}

impl Path {
    pub fn from_name(name: &str) -> Option<Path> {
        Some(match name {
            "input" => Path::Input,
            "output" => Path::Output,
            "forward" => Path::Forward,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Path::Input => "input",
            Path::Output => "output",
            Path::Forward => "forward",
        }
    }
}

/// The transport header, with the numbers nft matches in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Transport {
    Tcp {
        sport: u16,
        dport: u16,
        flags: u8,
    },
    Udp {
        sport: u16,
        dport: u16,
    },
    /// ICMP, or ICMPv6 in an IPv6 packet.
    Icmp {
        kind: u8,
        code: u8,
    },
    /// Any other protocol number, with no header nftlint reads.
    Other(u8),
}

/// A conntrack state, by its bit in nft's `ct_state` type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CtState(pub u8);

impl CtState {
    pub const INVALID: CtState = CtState(1);
    pub const NEW: CtState = CtState(8);
    pub const UNTRACKED: CtState = CtState(64);

    /// Whether the packet has a conntrack entry, which every other `ct` key reads.
    pub(crate) fn tracked(self) -> bool {
        !matches!(self, CtState::INVALID | CtState::UNTRACKED)
    }
}

/// A packet as netfilter sees it at the first hook of its path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    pub(crate) ipv6: bool,
    pub(crate) iifname: Option<Rc<str>>,
    pub(crate) oifname: Option<Rc<str>>,
    pub(crate) saddr: u128,
    pub(crate) daddr: u128,
    /// TTL or hop limit.
    pub(crate) ttl: u8,
    pub(crate) transport: Transport,
    pub(crate) ct_state: CtState,
    /// `ct direction`: 0 original, 1 reply.
    pub(crate) ct_direction: u8,
    pub(crate) mark: u32,
    pub(crate) ct_mark: u32,
}

/// A description nftlint cannot read: the word at fault (by index among the words) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Index of the offending word in the description, split at whitespace.
    pub word: usize,
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SpecError {}

/// The headers whose keys take two words: `ip saddr`, `tcp dport`, `ct state`.
const HEADERS: [&str; 8] = ["ip", "ip6", "tcp", "udp", "icmp", "icmpv6", "ct", "meta"];

/// The keys a description may give, in nft's words.
const KEYS: &[&str] = &[
    "iifname",
    "oifname",
    "iif",
    "oif",
    "mark",
    "ip saddr",
    "ip daddr",
    "ip ttl",
    "ip6 saddr",
    "ip6 daddr",
    "ip6 hoplimit",
    "tcp sport",
    "tcp dport",
    "tcp flags",
    "udp sport",
    "udp dport",
    "icmp type",
    "icmp code",
    "icmpv6 type",
    "icmpv6 code",
    "ct state",
    "ct direction",
    "ct mark",
    "meta iifname",
    "meta oifname",
    "meta mark",
    "meta l4proto",
];

/// One key of a description with its value, and the index of the value's word.
struct Given<'s> {
    key: String,
    /// Index of the key's first word.
    key_at: usize,
    value: &'s str,
    /// Index of the value.
    at: usize,
}

impl Packet {
    /// Reads a description for a packet on `path`.
    pub fn parse(spec: &str, path: Path) -> Result<Packet, SpecError> {
        let given = split(spec)?;
        let find = |key: &str| given.iter().find(|g| g.key == key);
        let error = |g: &Given, message: String| SpecError {
            word: g.at,
            message,
        };
        let headers = |names: &[&str]| {
            given
                .iter()
                .find(|g| names.iter().any(|h| g.key.split(' ').next() == Some(*h)))
        };
        let v4 = headers(&["ip", "icmp"]);
        let v6 = headers(&["ip6", "icmpv6"]);
        if let (Some(_), Some(six)) = (v4, v6) {
            return Err(SpecError {
                word: six.key_at,
                message: format!(
                    "`{}` is IPv6, but the packet is IPv4 by its other keys",
                    six.key
                ),
            });
        }
        let ipv6 = v6.is_some();
        let address = |key: &str, default: &str| -> Result<u128, SpecError> {
            let Some(g) = find(key) else {
                return Ok(parse_address(default, ipv6).expect("a valid default"));
            };
            parse_address(g.value, ipv6).ok_or_else(|| {
                let family = if ipv6 { "an IPv6" } else { "an IPv4" };
                error(g, format!("{key}: `{}` is not {family} address", g.value))
            })
        };
        let (saddr, daddr) = if ipv6 {
            (
                address("ip6 saddr", "2001:db8::2")?,
                address("ip6 daddr", "2001:db8::1")?,
            )
        } else {
            (
                address("ip saddr", "192.0.2.2")?,
                address("ip daddr", "192.0.2.1")?,
            )
        };
        let number = |key: &str, default: u64, max: u64| -> Result<u64, SpecError> {
            let Some(g) = find(key) else {
                return Ok(default);
            };
            let value = parse_number(g.value)
                .ok_or_else(|| error(g, format!("{key}: `{}` is not a number", g.value)))?;
            if value > max {
                return Err(error(g, format!("{key}: {value} is out of range 0-{max}")));
            }
            Ok(value)
        };
        let ttl = number(if ipv6 { "ip6 hoplimit" } else { "ip ttl" }, 64, 255)? as u8;
        let ct_state = match find("ct state") {
            None => CtState::NEW,
            Some(g) => match lookup(Datatype::CtState, g.value) {
                Some(bit) if bit.is_power_of_two() => CtState(bit as u8),
                _ => {
                    return Err(error(
                        g,
                        format!(
                            "ct state: `{}` is not one of new, established, related, invalid, untracked",
                            g.value
                        ),
                    ));
                }
            },
        };
        let transport = transport(&given, ipv6, ct_state)?;
        let ct_direction = match find("ct direction") {
            None => 0,
            Some(g) => match lookup(Datatype::CtDir, g.value) {
                Some(direction) => direction as u8,
                None => {
                    return Err(error(
                        g,
                        format!("ct direction: `{}` is not original or reply", g.value),
                    ));
                }
            },
        };
        let interface = |keys: [&str; 3], default: &str, on_path: bool| {
            let given = keys.iter().find_map(|k| find(k));
            match (given, on_path) {
                (Some(g), false) => Err(error(
                    g,
                    format!(
                        "{}: a packet on the {} path has no such interface",
                        g.key,
                        path.name()
                    ),
                )),
                (Some(g), true) => Ok(Some(g.value.trim_matches('"').into())),
                (None, on_path) => Ok(on_path.then(|| default.into())),
            }
        };
        let iifname = interface(
            ["iifname", "iif", "meta iifname"],
            "eth0",
            path != Path::Output,
        )?;
        let oifname = interface(
            ["oifname", "oif", "meta oifname"],
            "eth1",
            path != Path::Input,
        )?;
        let mark = number_of(&given, &["mark", "meta mark"])?;
        let ct_mark = number_of(&given, &["ct mark"])?;
        Ok(Packet {
            ipv6,
            iifname,
            oifname,
            saddr,
            daddr,
            ttl,
            transport,
            ct_state,
            ct_direction,
            mark,
            ct_mark,
        })
    }

    /// The IP protocol number of the transport header.
    pub(crate) fn l4proto(&self) -> u8 {
        match self.transport {
            Transport::Tcp { .. } => 6,
            Transport::Udp { .. } => 17,
            Transport::Icmp { .. } if self.ipv6 => 58,
            Transport::Icmp { .. } => 1,
            Transport::Other(protocol) => protocol,
        }
    }

    /// Rewrites the destination (or source) port, as NAT does; packets without ports keep none.
    pub(crate) fn set_port(&mut self, destination: bool, port: u16) {
        if let Transport::Tcp { sport, dport, .. } | Transport::Udp { sport, dport } =
            &mut self.transport
        {
            *(if destination { dport } else { sport }) = port;
        }
    }

    /// The packet's length from its network header on, as the kernel counts it for quotas and
    /// `meta length`: the headers the lab sends, with the payload it puts in.
    pub(crate) fn length(&self) -> u32 {
        let network = if self.ipv6 { 40 } else { 20 };
        let transport = match self.transport {
            Transport::Tcp { .. } => 20,
            Transport::Udp { .. } => 8,
            // An ICMPv6 header with 20 bytes of payload; an ICMP echo header.
            Transport::Icmp { .. } if self.ipv6 => 24,
            Transport::Icmp { .. } => 8,
            Transport::Other(_) => 8,
        };
        network + transport
    }
}

/// The value of a mark key, 0 when not given.
fn number_of(given: &[Given], keys: &[&str]) -> Result<u32, SpecError> {
    let Some(g) = given.iter().find(|g| keys.contains(&g.key.as_str())) else {
        return Ok(0);
    };
    parse_number(g.value)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| SpecError {
            word: g.at,
            message: format!("{}: `{}` is not a 32-bit number", g.key, g.value),
        })
}

/// The transport header the keys describe: TCP, UDP or ICMP by the keys given, or none.
fn transport(given: &[Given], ipv6: bool, state: CtState) -> Result<Transport, SpecError> {
    let header = |g: &&Given| g.key.split(' ').next().unwrap_or_default().to_string();
    let mut headers = given
        .iter()
        .filter(|g| matches!(header(g).as_str(), "tcp" | "udp" | "icmp" | "icmpv6"));
    let first = headers.next();
    let other = first.and_then(|first| headers.find(|g| header(g) != header(&first)));
    if let (Some(first), Some(other)) = (first, other) {
        return Err(SpecError {
            word: other.key_at,
            message: format!(
                "`{}` and `{}` are two transport headers: a packet has one",
                first.key, other.key
            ),
        });
    }
    let find = |key: &str| given.iter().find(|g| g.key == key);
    let port = |key: &str, default: u16| -> Result<u16, SpecError> {
        let Some(g) = find(key) else {
            return Ok(default);
        };
        match parse_number(g.value) {
            Some(port) => u16::try_from(port).map_err(|_| SpecError {
                word: g.at,
                message: format!("{key}: port {port} is out of range 0-65535"),
            }),
            None => service_port(g.value).ok_or_else(|| SpecError {
                word: g.at,
                message: format!("{key}: `{}` is neither a port nor a service name", g.value),
            }),
        }
    };
    let symbol = |key: &str, datatype: Datatype, default: u8| -> Result<u8, SpecError> {
        let Some(g) = find(key) else {
            return Ok(default);
        };
        parse_number(g.value)
            .or_else(|| lookup(datatype, g.value))
            .and_then(|v| u8::try_from(v).ok())
            .ok_or_else(|| SpecError {
                word: g.at,
                message: format!("{key}: `{}` is not a known value", g.value),
            })
    };
    let Some(first) = first else {
        let protocol = match find("meta l4proto") {
            Some(g) => parse_number(g.value)
                .or_else(|| lookup(Datatype::InetProto, g.value))
                .and_then(|p| u8::try_from(p).ok())
                .ok_or_else(|| SpecError {
                    word: g.at,
                    message: format!("meta l4proto: `{}` is not a protocol", g.value),
                })?,
            // What the lab sends without a transport header: IPv4 protocol 0, or IPv6's "no
            // next header".
            None if ipv6 => 59,
            None => 0,
        };
        return Ok(match protocol {
            6 => Transport::Tcp {
                sport: 40000,
                dport: 80,
                flags: default_flags(state),
            },
            17 => Transport::Udp {
                sport: 40000,
                dport: 53,
            },
            1 | 58 => Transport::Icmp { kind: 8, code: 0 },
            protocol => Transport::Other(protocol),
        });
    };
    Ok(match header(&first).as_str() {
        "tcp" => {
            let flags = match find("tcp flags") {
                None => default_flags(state),
                Some(g) => tcp_flags(g)?,
            };
            Transport::Tcp {
                sport: port("tcp sport", 40000)?,
                dport: port("tcp dport", 80)?,
                flags,
            }
        }
        "udp" => Transport::Udp {
            sport: port("udp sport", 40000)?,
            dport: port("udp dport", 53)?,
        },
        family => {
            if (family == "icmpv6") != ipv6 {
                return Err(SpecError {
                    word: first.key_at,
                    message: format!(
                        "`{}` does not go with an {} packet",
                        first.key,
                        if ipv6 { "IPv6" } else { "IPv4" }
                    ),
                });
            }
            let (types, codes, echo) = if ipv6 {
                (Datatype::Icmpv6Type, Datatype::Icmpv6Code, 128)
            } else {
                (Datatype::IcmpType, Datatype::IcmpCode, 8)
            };
            Transport::Icmp {
                kind: symbol(&format!("{family} type"), types, echo)?,
                code: symbol(&format!("{family} code"), codes, 0)?,
            }
        }
    })
}

/// SYN opens a connection; later packets carry ACK.
fn default_flags(state: CtState) -> u8 {
    if state == CtState::NEW { 0x02 } else { 0x10 }
}

fn tcp_flags(g: &Given) -> Result<u8, SpecError> {
    g.value.split(',').try_fold(0u8, |flags, name| {
        lookup(Datatype::TcpFlag, name)
            .map(|bit| flags | bit as u8)
            .ok_or_else(|| SpecError {
                word: g.at,
                message: format!("tcp flags: `{name}` is not a TCP flag"),
            })
    })
}

/// The description's words as keys and values, checking that every key is known and has a
/// value.
fn split(spec: &str) -> Result<Vec<Given<'_>>, SpecError> {
    let words: Vec<&str> = spec.split_whitespace().collect();
    let mut given: Vec<Given> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let width = if HEADERS.contains(&words[i]) { 2 } else { 1 };
        let key = words[i..(i + width).min(words.len())].join(" ");
        if !KEYS.contains(&key.as_str()) {
            return Err(SpecError {
                word: i + width - 1,
                message: format!("unknown key `{key}`; known keys: {}", KEYS.join(", ")),
            });
        }
        let Some(value) = words.get(i + width) else {
            return Err(SpecError {
                word: i,
                message: format!("`{key}` needs a value"),
            });
        };
        if let Some(earlier) = given.iter().find(|g| g.key == key) {
            return Err(SpecError {
                word: i,
                message: format!("`{key}` is given twice (also as `{}`)", earlier.value),
            });
        }
        given.push(Given {
            key,
            key_at: i,
            value,
            at: i + width,
        });
        i += width + 1;
    }
    Ok(given)
}

/// An address of the family `ipv6` names, as a number.
pub(crate) fn parse_address(text: &str, ipv6: bool) -> Option<u128> {
    if ipv6 {
        text.parse::<Ipv6Addr>().ok().map(u128::from)
    } else {
        text.parse::<Ipv4Addr>().ok().map(|a| u32::from(a).into())
    }
}

fn parse_number(text: &str) -> Option<u64> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(spec: &str) -> Packet {
        Packet::parse(spec, Path::Input).unwrap()
    }

    fn error(spec: &str, path: Path) -> SpecError {
        Packet::parse(spec, path).unwrap_err()
    }

    #[test]
    fn defaults_are_the_lab_packet() {
        let p = packet("");
        assert!(!p.ipv6);
        assert_eq!(p.saddr, u128::from(u32::from(Ipv4Addr::new(192, 0, 2, 2))));
        assert_eq!(p.iifname.as_deref(), Some("eth0"));
        assert_eq!(p.oifname, None);
        assert_eq!(p.transport, Transport::Other(0));
        assert_eq!(p.ct_state, CtState::NEW);
    }

    #[test]
    fn words_are_read_like_nft() {
        let p = packet(
            "iifname eth2 ip6 saddr 2001:db8::7 tcp dport ssh tcp flags syn,ack ct state established",
        );
        assert!(p.ipv6);
        assert_eq!(p.iifname.as_deref(), Some("eth2"));
        assert_eq!(
            p.transport,
            Transport::Tcp {
                sport: 40000,
                dport: 22,
                flags: 0x12
            }
        );
        assert_eq!(p.ct_state, CtState(2));
        assert_eq!(
            packet("icmpv6 type nd-neighbor-solicit").transport,
            Transport::Icmp { kind: 135, code: 0 }
        );
        assert_eq!(packet("meta l4proto udp").l4proto(), 17);
        assert_eq!(
            packet("tcp dport 22 ct state established").transport,
            Transport::Tcp {
                sport: 40000,
                dport: 22,
                flags: 0x10
            }
        );
    }

    #[test]
    fn bad_descriptions_name_the_word() {
        let cases = [
            ("ip saddr 2001:db8::1", 2, "not an IPv4 address"),
            ("tcp dport 70000", 2, "out of range"),
            ("tcp dport nosuchservice", 2, "neither a port"),
            ("ip frobnicate 1", 1, "unknown key `ip frobnicate`"),
            ("iifname", 0, "needs a value"),
            ("tcp dport 22 udp sport 5", 3, "two transport headers"),
            ("ip saddr 1.2.3.4 ip6 daddr ::1", 3, "is IPv6"),
            ("ct state fresh", 2, "not one of"),
            ("tcp flags syn,nope", 2, "`nope` is not a TCP flag"),
        ];
        for (spec, word, message) in cases {
            let e = error(spec, Path::Input);
            assert_eq!(e.word, word, "{spec}: {e}");
            assert!(e.message.contains(message), "{spec}: {e}");
        }
        let e = error("iifname eth0", Path::Output);
        assert!(
            e.message.contains("output path has no such interface"),
            "{e}"
        );
    }
}
