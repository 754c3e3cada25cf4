//! Value shapes shared by every field: JSON of any value, Go durations, shell
//! splitting of command strings, container path cleaning, `$` escaping.

use serde_json::{json, Value as Json};

use super::super::value::{Spanned, Value};

/// Writes every `$` of a string value as `$$`, as Compose does so that its
/// output loads again to the same model.
pub(super) fn escape_dollars(v: &mut Json) {
    match v {
        Json::String(s) if s.contains('$') => *s = s.replace('$', "$$"),
        Json::Array(items) => items.iter_mut().for_each(escape_dollars),
        Json::Object(m) => m.values_mut().for_each(escape_dollars),
        _ => {}
    }
}

/// Any value: byte sizes as a string of bytes, durations as Go prints them,
/// extension keys left out.
pub fn generic(v: &Spanned<Value>) -> Json {
    match &v.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => json!(i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Value::Str(s) => Json::String(s.to_string()),
        Value::Bytes(b, _) => Json::String(b.to_string()),
        Value::Duration(d) => Json::String(go_duration(d.nanos)),
        Value::Unknown(t) => Json::String(t.to_string()),
        Value::List(items) => Json::Array(items.iter().map(generic).collect()),
        Value::Map(m) => Json::Object(
            m.items
                .iter()
                .filter(|i| !i.key.value.starts_with("x-"))
                .map(|i| (i.key.value.to_string(), generic(&i.value)))
                .collect(),
        ),
    }
}

/// A duration as Go's `time.Duration.String()` writes it (`1m30s`, `500ms`, `1h0m0s`).
pub fn go_duration(nanos: i128) -> String {
    if nanos == 0 {
        return "0s".into();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    let frac = |value: u128, unit: u128| -> String {
        let whole = value / unit;
        let rest = value % unit;
        if rest == 0 {
            return whole.to_string();
        }
        let digits = unit.to_string().len() - 1;
        let f = format!("{rest:0digits$}");
        format!("{whole}.{}", f.trim_end_matches('0'))
    };
    if n < 1_000 {
        return format!("{sign}{n}ns");
    }
    if n < 1_000_000 {
        return format!("{sign}{}µs", frac(n, 1_000));
    }
    if n < 1_000_000_000 {
        return format!("{sign}{}ms", frac(n, 1_000_000));
    }
    let secs = n % 60_000_000_000;
    let mins = (n / 60_000_000_000) % 60;
    let hours = n / 3_600_000_000_000;
    let s = frac(secs, 1_000_000_000);
    if hours > 0 {
        format!("{sign}{hours}h{mins}m{s}s")
    } else if mins > 0 {
        format!("{sign}{mins}m{s}s")
    } else {
        format!("{sign}{s}s")
    }
}

/// Splits a command line the way Compose does (quotes and backslashes, no expansion).
pub fn split_command(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut started = false;
    let mut chars = s.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if started {
                    out.push(std::mem::take(&mut cur));
                    started = false;
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                started = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => cur.push(c),
            (_, '\\') => {
                started = true;
                match chars.next() {
                    Some(n) if quote.is_none() || matches!(n, '"' | '\\' | '$' | '`') => {
                        cur.push(n)
                    }
                    Some(n) => {
                        cur.push('\\');
                        cur.push(n);
                    }
                    None => cur.push('\\'),
                }
            }
            (_, c) => {
                started = true;
                cur.push(c);
            }
        }
    }
    if started {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_print_as_go_does() {
        let s = 1_000_000_000;
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_duration(500_000_000), "500ms");
        assert_eq!(go_duration(1_500), "1.5µs");
        assert_eq!(go_duration(90 * s), "1m30s");
        assert_eq!(go_duration(60 * s), "1m0s");
        assert_eq!(go_duration(3600 * s), "1h0m0s");
        assert_eq!(go_duration(s + s / 2), "1.5s");
        assert_eq!(go_duration(-2 * s), "-2s");
    }

    #[test]
    fn commands_split_like_a_shell() {
        assert_eq!(
            split_command(r#"echo "hello world" 'x y' a\ b "q\"x" ''"#),
            ["echo", "hello world", "x y", "a b", "q\"x", ""]
        );
        assert!(split_command("   ").is_empty());
    }
}
