//! What BuildKit's instruction parser refuses that the syntax parser lets
//! through: unknown, repeated or ill-valued flags, `HEALTHCHECK` options and a
//! missing health command, blank names, empty `VOLUME`s, JSON arrays holding
//! other things than strings, invalid stage names and `ONBUILD` triggers.
//! Each is a DF001 worded as BuildKit words it.

use crate::duration;
use crate::source::Span;

use super::model::{Command, Flag, Instruction, Kind, Word};

/// How a flag's value is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    /// `--name=text`.
    Text,
    /// `--name`, `--name=true`, `--name=false`.
    Bool,
    /// `--name=text`, given any number of times.
    Repeated,
    /// `--name=text`, one of these values.
    OneOf(&'static [&'static str]),
    /// A Go duration of at least 1ms, or 0 (the default).
    Duration,
    /// An integer, at least 0.
    Count,
}

/// The flags each instruction accepts (BuildKit 0.2x, labs flags included).
fn accepted(keyword: &str) -> &'static [(&'static str, Value)] {
    match keyword {
        "FROM" => &[("platform", Value::Text)],
        "RUN" => &[
            ("mount", Value::Repeated),
            ("network", Value::OneOf(&["default", "none", "host"])),
            ("security", Value::OneOf(&["sandbox", "insecure"])),
            ("device", Value::Repeated),
        ],
        "COPY" => &[
            ("chown", Value::Text),
            ("chmod", Value::Text),
            ("from", Value::Text),
            ("link", Value::Bool),
            ("exclude", Value::Repeated),
            ("parents", Value::Bool),
        ],
        "ADD" => &[
            ("chown", Value::Text),
            ("chmod", Value::Text),
            ("link", Value::Bool),
            ("keep-git-dir", Value::Bool),
            ("checksum", Value::Text),
            ("exclude", Value::Repeated),
            ("unpack", Value::Bool),
        ],
        "HEALTHCHECK" => &[
            ("interval", Value::Duration),
            ("timeout", Value::Duration),
            ("start-period", Value::Duration),
            ("start-interval", Value::Duration),
            ("retries", Value::Count),
        ],
        _ => &[],
    }
}

/// A problem: where, what, and what to do.
pub type Refusal = (Span, String, Option<String>);

/// Everything BuildKit's instruction parser refuses in `instr`.
pub fn check(instr: &Instruction) -> Vec<Refusal> {
    let mut out = Vec::new();
    let kw = instr.keyword.value.as_str();
    if !matches!(instr.kind, Kind::Unparsed(_)) && !matches!(kw, "ONBUILD") {
        flags(kw, &instr.flags, &mut out);
    }
    match &instr.kind {
        Kind::Healthcheck(Some(command)) if is_empty(command) => out.push((
            instr.keyword.span.cover(command_span(command)),
            "missing command after `HEALTHCHECK CMD`".into(),
            Some("write the command to run: `HEALTHCHECK CMD curl -f http://localhost/`".into()),
        )),
        Kind::Env(pairs) | Kind::Label(pairs) => {
            for p in pairs.iter().filter(|p| p.key.value.trim().is_empty()) {
                out.push(blank_name(kw, p.key.span.cover(p.value.span)));
            }
        }
        Kind::Arg(decls) => {
            for d in decls.iter().filter(|d| d.name.value.trim().is_empty()) {
                let span = d.default.as_ref().map_or(d.name.span, |v| d.name.span.cover(v.span));
                out.push(blank_name(kw, span));
            }
        }
        Kind::Volume(words) if words.is_empty() => out.push((
            instr.keyword.span,
            "`VOLUME` requires at least one argument".into(),
            None,
        )),
        Kind::Volume(words) => {
            for w in words.iter().filter(|w| w.value.trim().is_empty()) {
                out.push((
                    w.span,
                    "`VOLUME` specified can not be an empty string".into(),
                    None,
                ));
            }
        }
        Kind::From {
            name: Some(name), ..
        } if !valid_stage_name(&name.value) => out.push((
            name.span,
            format!(
                "invalid name for build stage: `{}`, name can't start with a number or contain symbols",
                name.value
            ),
            Some("start the name with a letter; use letters, digits, `-`, `_` and `.`".into()),
        )),
        Kind::Onbuild(inner) if matches!(inner.keyword.value.as_str(), "FROM" | "MAINTAINER") => {
            out.push((
                inner.keyword.span,
                format!(
                    "`{}` isn't allowed as an `ONBUILD` trigger",
                    inner.keyword.value
                ),
                None,
            ))
        }
        _ => {}
    }
    if let Some(command) = instr.command() {
        if let Some(span) = json_with_non_strings(command) {
            out.push((
                span,
                "when using JSON array syntax, arrays must be comprised of strings only".into(),
                Some("quote every element: `[\"sh\", \"-c\", \"…\"]`".into()),
            ));
        }
    }
    out
}

fn blank_name(keyword: &str, span: Span) -> Refusal {
    (span, format!("`{keyword}` names can not be blank"), None)
}

fn is_empty(command: &Command) -> bool {
    match command {
        Command::Exec { args, .. } => args.is_empty(),
        Command::Shell(w) => w.value.trim().is_empty(),
    }
}

fn command_span(command: &Command) -> Span {
    match command {
        Command::Exec { span, .. } => *span,
        Command::Shell(w) => w.span,
    }
}

/// BuildKit's stage names: `^[a-z][a-z0-9-_.]*$`, case-insensitive.
fn valid_stage_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let mut chars = lower.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

/// A shell-form command that is a JSON array with an element that is not a
/// string (`["a", 1]`): BuildKit refuses it rather than running it through
/// the shell.
fn json_with_non_strings(command: &Command) -> Option<Span> {
    let Command::Shell(w) = command else {
        return None;
    };
    let text = w.raw.trim();
    if !(text.starts_with('[') && text.ends_with(']')) {
        return None;
    }
    let items: Vec<serde_json::Value> = serde_json::from_str(text).ok()?;
    items.iter().any(|i| !i.is_string()).then_some(w.span)
}

fn flags(keyword: &str, flags: &[Flag], out: &mut Vec<Refusal>) {
    let accepted = accepted(keyword);
    let mut seen: Vec<&str> = Vec::new();
    for f in flags {
        let name = f.name.value.as_str();
        let Some(&(_, kind)) = accepted.iter().find(|(n, _)| *n == name) else {
            let known: Vec<String> = accepted.iter().map(|(n, _)| format!("`--{n}`")).collect();
            out.push((
                f.span,
                format!("unknown flag: `--{name}`"),
                Some(if known.is_empty() {
                    format!("`{keyword}` takes no flags")
                } else {
                    format!("`{keyword}` takes {}", known.join(", "))
                }),
            ));
            continue;
        };
        if kind != Value::Repeated && seen.contains(&name) {
            out.push((
                f.span,
                format!("duplicate flag specified: `--{name}`"),
                None,
            ));
        }
        seen.push(name);
        if let Some(problem) = value_problem(name, kind, f.value.as_ref()) {
            out.push((f.value.as_ref().map_or(f.span, |v| v.span), problem, None));
        }
    }
}

/// What is wrong with the value of flag `--name`, if anything. Values with a
/// variable are left to the build.
fn value_problem(name: &str, kind: Value, value: Option<&Word>) -> Option<String> {
    let Some(v) = value else {
        return (kind != Value::Bool).then(|| format!("missing a value on flag: `--{name}`"));
    };
    let text = v.value.as_str();
    if text.contains('$') {
        return None;
    }
    match kind {
        Value::Bool if text.is_empty() => Some(format!("missing a value on flag: `--{name}`")),
        Value::Bool
            if !text.eq_ignore_ascii_case("true") && !text.eq_ignore_ascii_case("false") =>
        {
            Some(format!(
                "expecting boolean value for flag `--{name}`, not: `{text}`"
            ))
        }
        Value::OneOf(allowed) if !allowed.contains(&text) => Some(match name {
            "network" => format!("invalid network mode `{text}`"),
            _ => format!("`--{name}={text}` is not valid: use {}", allowed.join(", ")),
        }),
        Value::Duration => match duration::parse(text) {
            Err(e) => Some(format!("`--{name}`: {e}")),
            Ok(0) => None,
            Ok(ns) if ns < 1_000_000 => Some(format!("`--{name}` cannot be less than 1ms")),
            Ok(_) => None,
        },
        Value::Count => match text.parse::<i64>() {
            Err(_) => Some(format!("`--{name}` must be an integer, not `{text}`")),
            Ok(n) if n < 0 => Some(format!("`--{name}` cannot be negative ({n})")),
            Ok(_) => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::valid_stage_name;

    #[test]
    fn stage_names_follow_buildkit() {
        for ok in ["build", "Build", "a1", "web-app_v1.2"] {
            assert!(valid_stage_name(ok), "{ok}");
        }
        for bad in ["1build", "-x", "a b", "a/b", ""] {
            assert!(!valid_stage_name(bad), "{bad}");
        }
    }
}
