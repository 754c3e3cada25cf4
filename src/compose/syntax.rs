//! Value syntaxes of Compose fields: how a plain YAML scalar resolves, booleans,
//! byte sizes, durations, ports and volume short syntax.

/// What a plain (unquoted) scalar means to Compose's YAML loader.
///
/// Compose resolves plain scalars like YAML 1.2's core schema for booleans and
/// null (`yes`/`on` stay strings) but reads integers as Go does with base prefix
/// detection, so `0755` is octal (493) and `0x1F` hex.
#[derive(Clone, Debug, PartialEq)]
pub enum Plain {
    /// `~`, `null`, `Null`, `NULL` or nothing.
    Null,
    /// `true`/`false` in three casings.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float (`1.5`, `1e3`, `.inf`, `.nan`).
    Float(f64),
    /// Anything else.
    Str,
}

/// Resolves a plain scalar's text.
pub fn resolve_plain(s: &str) -> Plain {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Plain::Null,
        "true" | "True" | "TRUE" => return Plain::Bool(true),
        "false" | "False" | "FALSE" => return Plain::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Plain::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Plain::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Plain::Float(f64::NAN),
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.')) {
        return Plain::Str;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = parse_go_int(&plain) {
        return Plain::Int(i);
    }
    if is_yaml_float(s) {
        // Out-of-range numbers (`1e400`) stay strings, as in Go.
        if let Ok(f) = plain.parse::<f64>() {
            if f.is_finite() {
                return Plain::Float(f);
            }
        }
    }
    Plain::Str
}

/// Go's `strconv.ParseInt(s, 0, 64)`: sign, then `0x`, `0o`, `0b` or leading-`0` octal.
fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let (radix, digits) =
        if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, d)
        } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, d)
        } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, d)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    let v = if neg { -magnitude } else { magnitude };
    i64::try_from(v).ok()
}

/// YAML's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.trim_start_matches(['+', '-']).as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == b.len() && s.len() - b.len() <= 1
}

/// A boolean written as a string (`"true"`, `yes`, `on`, `0`…), as Compose casts it.
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" | "y" | "on" => Some(true),
        "false" | "f" | "0" | "no" | "n" | "off" => Some(false),
        _ => None,
    }
}

/// A byte size as Docker reads it: `512`, `512b`, `1k`, `1.5g`, `2GiB`, `100 M`.
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let num_len = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(num_len);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
        return Err(format!("invalid size: `{s}`"));
    }
    let n: f64 = num.parse().map_err(|_| format!("invalid size: `{s}`"))?;
    // Docker's pattern for the unit: `([kmgtp])?i?b?`, case-insensitive.
    let unit = unit.trim_start_matches(' ').to_ascii_lowercase();
    let mut u = unit.as_str();
    let mult: u64 = match u.chars().next() {
        Some(c @ ('k' | 'm' | 'g' | 't' | 'p')) => {
            u = &u[1..];
            1 << (10 * (1 + "kmgtp".find(c).unwrap_or(0)))
        }
        _ => 1,
    };
    u = u.strip_prefix('i').unwrap_or(u);
    u = u.strip_prefix('b').unwrap_or(u);
    if !u.is_empty() {
        return Err(format!("invalid suffix: `{unit}` in size `{s}`"));
    }
    Ok((n * mult as f64) as u64)
}

pub use crate::duration::parse as parse_duration;

/// A port mapping in short syntax.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PortSpec {
    /// Host IP to bind, without brackets.
    pub host_ip: Option<String>,
    /// Published host port or range, as written.
    pub published: Option<String>,
    /// Container port or range start.
    pub target: u16,
    /// Container range end, if a range.
    pub target_end: Option<u16>,
    /// `tcp`, `udp` or `sctp`.
    pub protocol: String,
}

fn parse_port_range(s: &str, what: &str) -> Result<(u16, Option<u16>), String> {
    let parse = |p: &str| -> Result<u16, String> {
        match p.parse::<u32>() {
            Ok(n) if n <= 65535 => Ok(n as u16),
            _ => Err(format!("invalid {what}: `{s}`")),
        }
    };
    match s.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (parse(a)?, parse(b)?);
            if b < a {
                return Err(format!("invalid {what} range: `{s}`"));
            }
            Ok((a, Some(b)))
        }
        None => Ok((parse(s)?, None)),
    }
}

/// Parses `[HOST_IP:][HOST_PORT[-RANGE]:]CONTAINER_PORT[-RANGE][/PROTOCOL]`;
/// an IPv6 host IP is written in brackets.
pub fn parse_port(s: &str) -> Result<PortSpec, String> {
    let (spec, protocol) = match s.rsplit_once('/') {
        Some((spec, proto)) => (spec, proto.to_ascii_lowercase()),
        None => (s, "tcp".to_string()),
    };
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid protocol `{protocol}` in port `{s}`"));
    }
    let (host_ip, rest) = if let Some(after) = spec.strip_prefix('[') {
        let (ip, rest) = after
            .split_once(']')
            .ok_or_else(|| format!("unterminated `[` in port `{s}`"))?;
        let rest = rest
            .strip_prefix(':')
            .ok_or_else(|| format!("invalid port `{s}`"))?;
        (Some(ip.to_string()), rest)
    } else {
        let parts: Vec<&str> = spec.split(':').collect();
        match parts.len() {
            1 | 2 => (None, spec),
            3 => (Some(parts[0].to_string()), &spec[parts[0].len() + 1..]),
            _ => {
                // An unbracketed IPv6 address: host ip is everything before the last two parts.
                let tail = parts[parts.len() - 2].len() + parts[parts.len() - 1].len() + 1;
                let ip = &spec[..spec.len() - tail - 1];
                (Some(ip.to_string()), &spec[spec.len() - tail..])
            }
        }
    };
    let (published, container) = match rest.rsplit_once(':') {
        Some((h, c)) => (Some(h), c),
        None => (None, rest),
    };
    if container.is_empty() {
        return Err(format!("no container port in `{s}`"));
    }
    let (target, target_end) = parse_port_range(container, "containerPort")?;
    let published = match published {
        Some("") | None => None,
        Some(h) => {
            let (start, end) = parse_port_range(h, "hostPort")?;
            if let (Some(end), Some(tend)) = (end, target_end) {
                if end - start != tend - target {
                    return Err(format!(
                        "host and container port ranges differ in length in `{s}`"
                    ));
                }
            }
            Some(h.to_string())
        }
    };
    Ok(PortSpec {
        host_ip: host_ip.filter(|ip| !ip.is_empty()),
        published,
        target,
        target_end,
        protocol,
    })
}

/// A volume mount in short syntax.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct VolumeSpec {
    /// Host path or named volume; `None` for an anonymous volume.
    pub source: Option<String>,
    /// Path in the container.
    pub target: String,
    /// Mode options (`ro`, `rw`, `z`, `nocopy`, …).
    pub mode: Vec<String>,
}

impl VolumeSpec {
    /// `bind` for a path source, `volume` for a name or anonymous.
    pub fn kind(&self) -> &'static str {
        match &self.source {
            Some(s) if is_path_like(s) => "bind",
            _ => "volume",
        }
    }

    /// Whether mounted read-only.
    pub fn read_only(&self) -> bool {
        self.mode.iter().any(|m| m == "ro")
    }
}

fn is_path_like(s: &str) -> bool {
    s.starts_with(['.', '/', '~', '$', '\\']) || is_windows_drive(s)
}

/// `C:\…` or `C:/…` (or a bare `C:`).
fn is_windows_drive(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && matches!(b.get(2), None | Some(b'\\' | b'/'))
}

/// Parses `[SOURCE:]TARGET[:MODE]` as Compose does: sections split on `:`,
/// except after a one-letter Windows drive and inside `${…}`. Only an empty
/// spec or an empty section is an error: Compose accepts extra sections (they
/// are kept in `mode`) and ignores unknown mode options.
pub fn parse_volume(s: &str) -> Result<VolumeSpec, String> {
    if s.is_empty() {
        return Err("empty volume specification".into());
    }
    if s.chars().count() <= 2 {
        return Ok(VolumeSpec {
            source: None,
            target: s.to_string(),
            mode: Vec::new(),
        });
    }
    let mut sections: Vec<String> = Vec::new();
    let mut buffer = String::new();
    let mut depth = 0usize;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' if chars.peek() == Some(&'{') => {
                depth += 1;
                buffer.push(c);
            }
            '}' if depth > 0 => {
                depth -= 1;
                buffer.push(c);
            }
            ':' if depth == 0 => {
                let drive = buffer.chars().count() == 1
                    && buffer.chars().all(char::is_alphabetic)
                    && sections.is_empty();
                if drive {
                    buffer.push(c);
                } else {
                    sections.push(std::mem::take(&mut buffer));
                }
            }
            _ => buffer.push(c),
        }
    }
    sections.push(buffer);
    if sections.iter().any(String::is_empty) {
        return Err(format!(
            "invalid volume specification `{s}`: empty section between colons"
        ));
    }
    let mut it = sections.into_iter();
    let first = it.next().unwrap_or_default();
    let Some(target) = it.next() else {
        return Ok(VolumeSpec {
            source: None,
            target: first,
            mode: Vec::new(),
        });
    };
    let mode: Vec<String> = it
        .flat_map(|m| m.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect();
    Ok(VolumeSpec {
        source: Some(first),
        target,
        mode,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_scalars_resolve_like_compose() {
        assert_eq!(resolve_plain("0755"), Plain::Int(493));
        assert_eq!(resolve_plain("1_000"), Plain::Int(1000));
        assert_eq!(resolve_plain("0x1F"), Plain::Int(31));
        assert_eq!(resolve_plain("1e3"), Plain::Float(1000.0));
        assert_eq!(resolve_plain("1.0"), Plain::Float(1.0));
        assert_eq!(resolve_plain("yes"), Plain::Str);
        assert_eq!(resolve_plain("on"), Plain::Str);
        assert_eq!(resolve_plain("22:22"), Plain::Str);
        assert_eq!(resolve_plain("1.2.3"), Plain::Str);
        assert_eq!(resolve_plain("-"), Plain::Str);
        assert_eq!(resolve_plain("~"), Plain::Null);
        assert_eq!(resolve_plain("TRUE"), Plain::Bool(true));
        // not valid octal, but a valid float
        assert_eq!(resolve_plain("09"), Plain::Float(9.0));
        assert_eq!(resolve_plain("0b11"), Plain::Int(3));
        assert_eq!(resolve_plain("1e400"), Plain::Str);
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(parse_bytes("512m"), Ok(512 << 20));
        assert_eq!(parse_bytes("1g"), Ok(1 << 30));
        assert_eq!(parse_bytes("2G"), Ok(2 << 30));
        assert_eq!(parse_bytes("1024k"), Ok(1 << 20));
        assert_eq!(parse_bytes("100b"), Ok(100));
        assert_eq!(parse_bytes("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_bytes("100"), Ok(100));
        assert!(parse_bytes("12q").is_err());
        assert!(parse_bytes("m").is_err());
        assert!(parse_bytes("1mbb").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration("500ms"), Ok(500_000_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("30").is_err());
        assert!(parse_duration("30x").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn ports() {
        let p = parse_port("127.0.0.1:8080-8081:80-81/udp").unwrap();
        assert_eq!(p.host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(p.published.as_deref(), Some("8080-8081"));
        assert_eq!((p.target, p.target_end), (80, Some(81)));
        assert_eq!(p.protocol, "udp");
        let p = parse_port("[::1]:53:53").unwrap();
        assert_eq!(p.host_ip.as_deref(), Some("::1"));
        assert_eq!(parse_port("3000").unwrap().published, None);
        assert!(parse_port("99999:80").is_err());
        assert!(parse_port("a:b").is_err());
        assert!(parse_port("80/xyz").is_err());
        assert!(parse_port("8080:").is_err());
    }

    #[test]
    fn volumes() {
        let v = parse_volume("./data:/var/lib/data:ro,z").unwrap();
        assert_eq!(v.kind(), "bind");
        assert!(v.read_only());
        assert_eq!(parse_volume("db:/var/lib/pg").unwrap().kind(), "volume");
        assert_eq!(parse_volume("/anon").unwrap().source, None);
        assert_eq!(
            parse_volume("C:\\data:/data").unwrap().source.as_deref(),
            Some("C:\\data")
        );
        assert!(parse_volume(":/b").is_err());
        assert!(parse_volume("ab::c").is_err());
        assert_eq!(parse_volume("ab:cd:ro:z").unwrap().target, "cd");
        // a one-letter first section is a Windows drive
        assert_eq!(
            parse_volume("a:b:c").unwrap().source.as_deref(),
            Some("a:b")
        );
        assert_eq!(
            parse_volume("${DATA:-./d}:/data")
                .unwrap()
                .source
                .as_deref(),
            Some("${DATA:-./d}")
        );
    }
}
