//! Masking a resolved project as `seaworthy config` prints it: the values
//! there are interpolated (a password from `.env` is in them), so they are
//! judged again, by the keys they sit under and by their shape.

use std::ops::Range;

use serde_json::Value as Json;

use super::{commands, masks, NameRule, MASK};
use crate::knowledge::programs::is_posix_shell;

/// Replaces every secret in `json` with the fixed-length mask: a string under
/// a secret-like key (`environment`, `build.args`, `driver_opts`, …), the
/// secrets on command lines (`command`, `entrypoint`, `healthcheck.test`),
/// URL passwords and credential formats anywhere.
pub fn mask_json(json: &mut Json, names: &dyn NameRule) {
    walk(json, None, false, names);
}

fn walk(json: &mut Json, key: Option<&str>, script: bool, names: &dyn NameRule) {
    match json {
        Json::String(s) => mask_string(s, masks(key, s, names)),
        Json::Array(items) => {
            if matches!(key, Some("command" | "entrypoint" | "test")) {
                mask_command(items, script, names);
            }
            for item in items {
                walk(item, None, false, names);
            }
        }
        Json::Object(map) => {
            // a service whose entrypoint is `[sh, -c]` takes a script as its command
            let shell_c = match map.get("entrypoint") {
                Some(Json::Array(e)) => match e.as_slice() {
                    [Json::String(p), Json::String(c)] => is_posix_shell(p) && c == "-c",
                    _ => false,
                },
                _ => false,
            };
            for (k, v) in map.iter_mut() {
                walk(v, Some(k), shell_c && k == "command", names);
            }
        }
        _ => {}
    }
}

/// Masks the secrets of an exec-form command line (all strings), or of the
/// script it runs: `["CMD-SHELL", script]`, or the first item when `script`.
fn mask_command(items: &mut [Json], script: bool, names: &dyn NameRule) {
    let Some(args) = items
        .iter()
        .map(|i| i.as_str().map(str::to_string))
        .collect::<Option<Vec<String>>>()
    else {
        return;
    };
    let mut found: Vec<(usize, Range<usize>)> = Vec::new();
    let in_script = |at: usize, found: &mut Vec<(usize, Range<usize>)>| {
        if let Some(s) = args.get(at) {
            found.extend(
                commands::in_script(s, names)
                    .into_iter()
                    .map(|c| (at, c.range)),
            );
        }
    };
    match args.first().map(String::as_str) {
        Some("CMD-SHELL") => in_script(1, &mut found),
        _ if script => in_script(0, &mut found),
        first => {
            let skip = usize::from(first == Some("CMD"));
            let rest: Vec<&str> = args[skip..].iter().map(String::as_str).collect();
            found.extend(
                commands::in_args(&rest, names)
                    .into_iter()
                    .map(|(i, c)| (i + skip, c.range)),
            );
        }
    }
    for (i, item) in items.iter_mut().enumerate() {
        if let Json::String(s) = item {
            let ranges = found
                .iter()
                .filter(|(at, _)| *at == i)
                .map(|(_, r)| r.clone())
                .collect();
            mask_string(s, ranges);
        }
    }
}

/// Replaces `ranges` of `s` (merged where they overlap) with the mask.
fn mask_string(s: &mut String, mut ranges: Vec<Range<usize>>) {
    ranges.retain(|r| r.start < r.end && r.end <= s.len());
    if ranges.is_empty() {
        return;
    }
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for r in ranges {
        if r.end <= at {
            continue;
        }
        let start = r.start.max(at);
        out.push_str(&s[at..start]);
        if start == r.start {
            out.push_str(MASK);
        }
        at = r.end;
    }
    out.push_str(&s[at..]);
    *s = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Convention;
    use serde_json::json;

    #[test]
    fn every_kind_of_secret_is_masked_and_nothing_else() {
        let mut project = json!({
            "services": {
                "api": {
                    "environment": {
                        "DB_PASSWORD": "hunter2-hunter2",
                        "DATABASE_URL": "postgres://app:s3cr3t-pw@db/app",
                        "GH": "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
                        "LOG_LEVEL": "debug",
                        "PASSWORD_FILE": "/run/secrets/db"
                    },
                    "build": {"args": {"NPM_TOKEN": "npm-t0ken-value"}},
                    "command": ["redis-server", "--requirepass", "r3d1s-pw", "--appendonly", "yes"],
                    "healthcheck": {"test": ["CMD-SHELL", "mysql -uroot -pmy5ql-pw -e 'select 1'"]}
                },
                "job": {
                    "entrypoint": ["bash", "-c"],
                    "command": ["PGPASSWORD=pg-pw-123 psql -h db"]
                }
            }
        });
        mask_json(&mut project, &Convention);
        let text = project.to_string();
        for secret in [
            "hunter2",
            "s3cr3t-pw",
            "ghp_",
            "npm-t0ken",
            "r3d1s-pw",
            "my5ql-pw",
            "pg-pw-123",
        ] {
            assert!(!text.contains(secret), "{secret}: {text}");
        }
        let api = &project["services"]["api"];
        assert_eq!(api["environment"]["DB_PASSWORD"], MASK);
        assert_eq!(
            api["environment"]["DATABASE_URL"],
            format!("postgres://app:{MASK}@db/app")
        );
        assert_eq!(api["environment"]["LOG_LEVEL"], "debug");
        assert_eq!(api["environment"]["PASSWORD_FILE"], "/run/secrets/db");
        assert_eq!(api["command"][1], "--requirepass");
        assert_eq!(api["command"][2], MASK);
        assert_eq!(api["command"][4], "yes");
    }
}
