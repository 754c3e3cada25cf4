//! Go durations (`1m30s`, `500ms`), as Compose and BuildKit read them.

/// A Go duration: `300ms`, `1m30s`, `1.5h`, `-2s`, `0`. Returns nanoseconds.
pub fn parse(s: &str) -> Result<i128, String> {
    let err = || {
        format!(
            "invalid duration `{s}`: expected a number and unit such as `30s`, `1m30s` or `500ms`"
        )
    };
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(err());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let num = &rest[..n];
        if num.is_empty() || num == "." {
            return Err(err());
        }
        let value: f64 = num.parse().map_err(|_| err())?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit_ns = match &rest[..u] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("missing unit in duration `{s}`")),
            other => return Err(format!("unknown unit `{other}` in duration `{s}`")),
        };
        rest = &rest[u..];
        total += value * unit_ns;
    }
    let ns = total as i128;
    Ok(if neg { -ns } else { ns })
}
