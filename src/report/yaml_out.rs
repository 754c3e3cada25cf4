//! A JSON value written as block YAML (for `config --format yaml`). Strings are
//! always double-quoted with JSON escapes, which YAML reads back unchanged, so
//! no value can be mistaken for a number, boolean or null.

use serde_json::Value as Json;

/// `v` as a YAML document.
pub fn yaml_text(v: &Json) -> String {
    let mut out = String::new();
    match v {
        Json::Object(m) if !m.is_empty() => write_map(m, 0, &mut out),
        Json::Array(a) if !a.is_empty() => write_list(a, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn scalar(v: &Json) -> String {
    match v {
        Json::Object(_) => "{}".into(),
        Json::Array(_) => "[]".into(),
        // A JSON number, boolean, null or string is valid YAML flow scalar text.
        other => other.to_string(),
    }
}

fn key(k: &str) -> String {
    let plain = !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/'))
        && !matches!(
            k.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        )
        && !k.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.');
    if plain {
        k.to_string()
    } else {
        Json::String(k.to_string()).to_string()
    }
}

fn write_map(m: &serde_json::Map<String, Json>, indent: usize, out: &mut String) {
    for (k, v) in m {
        out.push_str(&" ".repeat(indent));
        out.push_str(&key(k));
        out.push(':');
        write_nested(v, indent + 2, out);
    }
}

fn write_list(a: &[Json], indent: usize, out: &mut String) {
    for v in a {
        out.push_str(&" ".repeat(indent));
        out.push('-');
        write_nested(v, indent + 2, out);
    }
}

fn write_nested(v: &Json, indent: usize, out: &mut String) {
    match v {
        Json::Object(m) if !m.is_empty() => {
            out.push('\n');
            write_map(m, indent, out);
        }
        Json::Array(a) if !a.is_empty() => {
            out.push('\n');
            write_list(a, indent, out);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_strings_and_odd_keys() {
        let v = serde_json::json!({"a": {"on": "yes", "x y": [1, "2", null, {}]}, "b": []});
        assert_eq!(
            yaml_text(&v),
            "a:\n  \"on\": \"yes\"\n  \"x y\":\n    - 1\n    - \"2\"\n    - null\n    - {}\nb: []\n"
        );
    }
}
