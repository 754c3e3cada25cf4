//! Secrets given on a command line: `--requirepass x`, `--password=x`,
//! `mysql -px`, `redis-cli -a x`, `PGPASSWORD=x psql`, `curl -u user:x`, a
//! URL with a password, a token in a known format. A value that is a shell
//! variable (`$REDIS_PASSWORD`) is not a literal and not judged.

use std::ops::Range;

use super::{judge, NameRule, Secret, Why};
use crate::dockerfile::shell::{self, is_program};
use crate::knowledge::programs::is_posix_shell;
use crate::source::Span;

/// A secret on a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSecret {
    /// Where: a range within the script, or within the argument (exec form).
    pub range: Range<usize>,
    /// How it is given: `--requirepass`, `-p` of `mysql`, `PGPASSWORD=`.
    pub flag: String,
    /// Why it is one.
    pub why: Why,
}

/// Programs whose `-pSECRET` (attached) is a password.
const ATTACHED_P: &[&str] = &[
    "mysql",
    "mysqladmin",
    "mysqldump",
    "mysqlimport",
    "mysqlcheck",
    "mariadb",
    "mariadb-admin",
    "mariadb-dump",
    "mariadb-check",
];

/// Programs and the short flag whose next word is a password.
const SEPARATE: &[(&str, &str)] = &[
    ("redis-cli", "-a"),
    ("valkey-cli", "-a"),
    ("sshpass", "-p"),
    ("mongo", "-p"),
    ("mongosh", "-p"),
    ("mongodump", "-p"),
    ("mongorestore", "-p"),
];

/// Programs whose `-u`/`--user` takes `user:password`.
const USER_COLON_PASSWORD: &[&str] = &["curl", "wget"];

/// One word of a command: its value (quotes removed) and where it is written.
struct Word<'a> {
    value: &'a str,
    raw: &'a str,
    span: Span,
}

impl Word<'_> {
    /// The written range of `inner`, a range of the value.
    fn written(&self, inner: Range<usize>) -> Range<usize> {
        let s = self.span.part(self.raw, self.value, inner);
        s.start..s.end
    }
}

/// The secrets of one simple command.
fn in_command(words: &[Word<'_>], names: &dyn NameRule, out: &mut Vec<CommandSecret>) {
    let is_literal = |v: &str| !v.contains('$');
    let mut push = |word: &Word<'_>, at: usize, secret: Option<Secret>, flag: &str| {
        if let Some(s) = secret {
            out.push(CommandSecret {
                range: word.written(at + s.range.start..at + s.range.end),
                flag: flag.to_string(),
                why: s.why,
            });
        }
    };
    let program_at = words
        .iter()
        .position(|w| !shell::is_assignment(w.raw))
        .unwrap_or(words.len());
    for w in &words[..program_at] {
        if let Some((name, value)) = w.value.split_once('=') {
            if is_literal(value) {
                push(
                    w,
                    name.len() + 1,
                    judge(Some(name), value, names),
                    &format!("{name}="),
                );
            }
        }
    }
    let Some(program) = words.get(program_at).map(|w| w.value) else {
        return;
    };
    let mut i = program_at + 1;
    while i < words.len() {
        let w = &words[i];
        let next = words.get(i + 1).filter(|n| !n.value.starts_with('-'));
        i += 1;
        // `sh -c 'script'`: the script's own commands
        if w.value == "-c" && is_posix_shell(program) {
            if let Some(script) = words.get(i) {
                for c in in_script(script.value, names) {
                    let secret = Secret {
                        range: c.range,
                        why: c.why,
                    };
                    push(script, 0, Some(secret), &c.flag);
                }
                i += 1;
            }
            continue;
        }
        if !is_literal(w.value) {
            continue;
        }
        if let Some(flag) = w.value.strip_prefix("--") {
            match flag.split_once('=') {
                Some((name, value)) if is_literal(value) => push(
                    w,
                    name.len() + 3,
                    judge(Some(name), value, names),
                    &format!("--{name}"),
                ),
                Some(_) => {}
                None => {
                    if let Some(n) = next.filter(|n| is_literal(n.value)) {
                        if names.judge(flag) == Some(true) {
                            push(
                                n,
                                0,
                                judge(Some(flag), n.value, names),
                                &format!("--{flag}"),
                            );
                            i += 1;
                            continue;
                        }
                        if flag == "user"
                            && USER_COLON_PASSWORD.iter().any(|p| is_program(program, p))
                        {
                            push(n, 0, user_password(n.value), "--user");
                            i += 1;
                            continue;
                        }
                    }
                }
            }
        } else if let Some(pw) = w.value.strip_prefix("-p").filter(|p| !p.is_empty()) {
            if ATTACHED_P.iter().any(|p| is_program(program, p)) {
                push(
                    w,
                    2,
                    judge(Some("password"), pw, names),
                    &format!("-p of `{program}`"),
                );
                continue;
            }
        } else if let Some(&(_, flag)) = SEPARATE
            .iter()
            .find(|(p, f)| is_program(program, p) && w.value == *f)
        {
            if let Some(n) = next.filter(|n| is_literal(n.value)) {
                push(
                    n,
                    0,
                    judge(Some("password"), n.value, names),
                    &format!("{flag} of `{program}`"),
                );
                i += 1;
                continue;
            }
        } else if w.value == "-u" && USER_COLON_PASSWORD.iter().any(|p| is_program(program, p)) {
            if let Some(n) = next.filter(|n| is_literal(n.value)) {
                push(n, 0, user_password(n.value), &format!("-u of `{program}`"));
                i += 1;
                continue;
            }
        }
        // whatever the flag: a URL's password, a token in a known format
        push(w, 0, judge(None, w.value, names), "an argument");
    }
}

/// The password of `user:password`.
fn user_password(value: &str) -> Option<Secret> {
    let colon = value.find(':')?;
    let password = &value[colon + 1..];
    (!password.is_empty() && !super::values::cannot_be_secret(password)).then(|| Secret {
        range: colon + 1..value.len(),
        why: Why::Named,
    })
}

/// The secrets in a shell script (ranges within `script`), in every simple
/// command, those in `$(…)` included.
pub fn in_script(script: &str, names: &dyn NameRule) -> Vec<CommandSecret> {
    in_text(script, Span::new(0, script.len()), b'\\', names)
}

/// The secrets in the script at `span` of `text` (ranges within `text`),
/// continuations of the Dockerfile `escape` character removed.
pub fn in_text(text: &str, span: Span, escape: u8, names: &dyn NameRule) -> Vec<CommandSecret> {
    in_commands(&shell::commands(text, span, escape), names)
}

/// The secrets in the simple commands `cmds` of a script (ranges within the
/// text they were tokenized from).
pub fn in_commands<'c>(
    cmds: impl IntoIterator<Item = &'c shell::SimpleCommand>,
    names: &dyn NameRule,
) -> Vec<CommandSecret> {
    let mut out = Vec::new();
    for cmd in cmds {
        let words: Vec<Word<'_>> = cmd
            .words
            .iter()
            .map(|w| Word {
                value: &w.value,
                raw: &w.raw,
                span: w.span,
            })
            .collect();
        in_command(&words, names, &mut out);
    }
    out
}

/// The secrets in an exec-form command: each with the index of the
/// argument holding it and a range within that argument. A shell run with
/// `-c` has its script looked into.
pub fn in_args(args: &[&str], names: &dyn NameRule) -> Vec<(usize, CommandSecret)> {
    if let [program, flag, script, ..] = args {
        if is_posix_shell(program) && *flag == "-c" {
            return in_script(script, names)
                .into_iter()
                .map(|s| (2, s))
                .collect();
        }
    }
    // the arguments laid end to end, one byte apart: a range tells its argument
    let mut at = 0;
    let words: Vec<Word<'_>> = args
        .iter()
        .map(|a| {
            let w = Word {
                value: a,
                raw: a,
                span: Span::new(at, at + a.len()),
            };
            at += a.len() + 1;
            w
        })
        .collect();
    let mut found = Vec::new();
    in_command(&words, names, &mut found);
    found
        .into_iter()
        .filter_map(|mut s| {
            let index = words
                .iter()
                .position(|w| w.span.start <= s.range.start && s.range.end <= w.span.end)?;
            let start = words[index].span.start;
            s.range = s.range.start - start..s.range.end - start;
            Some((index, s))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Convention;

    fn script(s: &str) -> Vec<(String, String)> {
        in_script(s, &Convention)
            .into_iter()
            .map(|c| (s[c.range].to_string(), c.flag))
            .collect()
    }

    #[test]
    fn flags_of_servers_and_clients() {
        assert_eq!(
            script("redis-server --requirepass s3cr3tpw --appendonly yes"),
            [("s3cr3tpw".into(), "--requirepass".into())]
        );
        assert_eq!(
            script("bench new-site --admin-password=admin --db-root-password=\"r00t pw\" site"),
            [
                ("admin".into(), "--admin-password".into()),
                ("r00t pw".into(), "--db-root-password".into())
            ]
        );
        assert_eq!(
            script("mysql -uroot -ps3cret app"),
            [("s3cret".into(), "-p of `mysql`".into())]
        );
        assert_eq!(
            script("redis-cli -a bitnami ping"),
            [("bitnami".into(), "-a of `redis-cli`".into())]
        );
        assert_eq!(
            script("PGPASSWORD=hunter2 psql -h db"),
            [("hunter2".into(), "PGPASSWORD=".into())]
        );
        assert_eq!(
            script("curl -u admin:hunter2 http://x"),
            [("hunter2".into(), "-u of `curl`".into())]
        );
        assert_eq!(
            script("sh -c 'PGPASSWORD=hunter2 psql -h db'"),
            [("hunter2".into(), "PGPASSWORD=".into())]
        );
        assert_eq!(
            script("psql postgres://app:hunter2@db/app -c 'select 1'"),
            [("hunter2".into(), "an argument".into())]
        );
    }

    #[test]
    fn variables_and_ordinary_flags_pass() {
        for s in [
            "redis-server --requirepass \"$REDIS_PASSWORD\"",
            "redis-server --requirepass ${REDIS_PASSWORD}",
            "mysql -p app",
            "mysqladmin ping -h localhost",
            "curl -u \"$USER:$PASS\" http://x",
            "server --password-file /run/secrets/pw",
            "app --token-ttl 3600",
            "pg_isready -U postgres",
        ] {
            assert!(script(s).is_empty(), "{s}: {:?}", script(s));
        }
    }

    #[test]
    fn exec_form_arguments() {
        let args = ["redis-server", "--requirepass", "s3cr3tpw"];
        let found = in_args(&args, &Convention);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 2);
        assert_eq!(found[0].1.range, 0..8);
        let shell = ["sh", "-c", "redis-cli -a bitnami ping"];
        let found = in_args(&shell, &Convention);
        assert_eq!(found[0].0, 2);
        assert_eq!(&shell[2][found[0].1.range.clone()], "bitnami");
    }
}
