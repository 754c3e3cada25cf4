//! DF205 `tls-verification-disabled`: downloads that trust whoever answers.
use crate::dockerfile::shell::{has_option, is_assignment, CURL_SHORT_WITH_ARG};
use crate::knowledge::packages::Manager;
use crate::rules::prelude::*;

declare_rule! {
    /// Certificate or signature checks turned off.
    pub TlsVerificationDisabled {
        code: "DF205", name: "tls-verification-disabled",
        category: Security, severity: Error, fix: FixKind::None, since: "0.2.0",
        security_severity: "7.5",
    }
}

/// Variables that turn verification off, with the values that do: `None`
/// when being set at all does.
const VARIABLES: &[(&str, Option<&[&str]>)] = &[
    ("NODE_TLS_REJECT_UNAUTHORIZED", Some(&["0"])),
    ("PYTHONHTTPSVERIFY", Some(&["0"])),
    ("GIT_SSL_NO_VERIFY", None),
    ("NPM_CONFIG_STRICT_SSL", Some(&["false", "0"])),
    ("PIP_TRUSTED_HOST", None),
];

fn falsy(value: &str) -> bool {
    ["false", "0", "no", "off"].contains(&value.to_ascii_lowercase().as_str())
}

/// Whether `NAME=value` turns verification off; the variable's name if so.
/// npm reads its `npm_config_*` variables in any case.
fn variable(name: &str, value: &str) -> Option<&'static str> {
    VARIABLES
        .iter()
        .find(|(n, _)| *n == name || (n.starts_with("NPM_CONFIG_") && n.eq_ignore_ascii_case(name)))
        .filter(|(_, values)| match values {
            // git and pip act on the variable being set, whatever its value
            None => true,
            Some(values) => values.contains(&value.to_ascii_lowercase().as_str()),
        })
        .map(|(n, _)| *n)
}

/// Whether a word is an APT source line trusted without a signature over
/// the network: `deb [trusted=yes] https://…` (not a `file:` repository of
/// packages built in the image, nor `sed 's/ \[trusted=yes\]//'`).
fn trusted_network_source(word: &str) -> bool {
    // every source line with options has a `[`; most words have none
    if !word.contains('[') {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    let Some(options) = lower.find("deb [").or_else(|| lower.find("deb-src [")) else {
        return false;
    };
    let rest = &lower[options..];
    let Some(close) = rest.find(']') else {
        return false;
    };
    rest[..close].contains("trusted=yes")
        && ["http://", "https://", "ftp://", "mirror+"]
            .iter()
            .any(|scheme| rest[close + 1..].trim_start().starts_with(scheme))
}

/// Whether every package an install names is a local file (`./app.apk`,
/// `/tmp/x.rpm`): signatures are the publisher's, and these have none.
fn local_packages(p: &PackageCommand<'_>) -> bool {
    !p.operands.is_empty()
        && p.operands.iter().all(|o| {
            let v = o.value.as_str();
            !v.contains("://")
                && (v.starts_with(['/', '.']) || v.ends_with(".apk") || v.ends_with(".rpm"))
        })
}

/// What a command does to verification, as "what it disables", with the word
/// saying it; `fetched`: whether its `RUN` downloads something (an unsigned
/// package from the network is not a local one).
fn disables<'c>(c: &'c RunCommand, fetched: bool) -> Option<(&'c ShellWord, String)> {
    // assignments before the program, `env`'s included
    let program_at = c.name().map(|n| n.span);
    for w in &c.command.words {
        if Some(w.span) == program_at {
            break;
        }
        let Some((name, value)) = w.value.split_once('=').filter(|_| is_assignment(&w.raw)) else {
            continue;
        };
        if let Some(var) = variable(name, value) {
            return Some((w, format!("`{var}` turns off certificate checks")));
        }
    }
    let args = c.args();
    let values = || args.iter().map(|a| a.value.as_str());
    let find = |pred: &dyn Fn(&str) -> bool| args.iter().find(|a| pred(&a.value));
    let program = c.program();
    let said = |w: &'c ShellWord, what: &str| Some((w, what.to_string()));
    match program {
        "curl" if has_option(values(), Some('k'), &["insecure"], CURL_SHORT_WITH_ARG) => {
            let w = find(&|a| {
                a == "--insecure" || (a.starts_with('-') && !a.starts_with("--") && a.contains('k'))
            })?;
            return said(w, "`curl` does not check the server's certificate");
        }
        "wget" => {
            if let Some(w) = find(&|a| a == "--no-check-certificate") {
                return said(w, "`wget` does not check the server's certificate");
            }
        }
        "git" => {
            let w = args.iter().enumerate().find(|(i, a)| {
                let lower = a.value.to_ascii_lowercase();
                let key = lower.split('=').next().unwrap_or("");
                key.starts_with("http.")
                    && key.ends_with(".sslverify")
                    && match lower.split_once('=') {
                        Some((_, v)) => falsy(v),
                        None => args.get(i + 1).is_some_and(|n| falsy(&n.value)),
                    }
            });
            if let Some((_, w)) = w {
                return said(w, "`git` does not check the server's certificate");
            }
        }
        "export" => {
            for a in args {
                if let Some((name, value)) = a.value.split_once('=') {
                    if let Some(var) = variable(name, value) {
                        return Some((a, format!("`{var}` turns off certificate checks")));
                    }
                }
            }
        }
        _ => {}
    }
    if ["npm", "yarn", "pnpm"].contains(&program) {
        let strict = args.iter().enumerate().find(|(i, a)| {
            let v = a.value.to_ascii_lowercase();
            match v.trim_start_matches('-').split_once('=') {
                Some(("strict-ssl", value)) => falsy(value),
                _ => {
                    v.trim_start_matches('-') == "strict-ssl"
                        && args.get(i + 1).is_some_and(|n| falsy(&n.value))
                }
            }
        });
        if let Some((_, w)) = strict {
            return said(
                w,
                &format!("`{program}` does not check the registry's certificate"),
            );
        }
    }
    let p = PackageCommand::parse(&c.command)?;
    let unsigned_local = local_packages(&p) && !fetched;
    let option = |names: &[&str]| {
        p.options
            .iter()
            .find(|(o, _)| names.contains(&o.value.split('=').next().unwrap_or("")))
            .map(|(o, _)| *o)
    };
    match p.manager() {
        Manager::Pip => option(&["--trusted-host"]).map(|w| {
            (
                w,
                "`pip` trusts a host without checking its certificate".to_string(),
            )
        }),
        Manager::Apk if unsigned_local => None,
        Manager::Apk => option(&["--allow-untrusted"]).map(|w| {
            (
                w,
                "`apk` installs packages without checking their signatures".to_string(),
            )
        }),
        Manager::Apt => {
            if let Some(w) = option(&["--allow-unauthenticated", "--allow-insecure-repositories"]) {
                return Some((
                    w,
                    "`apt-get` installs packages without checking their signatures".to_string(),
                ));
            }
            p.options.iter().find_map(|(o, value)| {
                let text = match value {
                    Some(v) if o.value == "-o" || o.value == "--option" => &v.value,
                    _ => &o.value,
                };
                let lower = text.to_ascii_lowercase();
                let lower = lower.trim_start_matches("--option=");
                // `-oAcquire::…=false`, the value attached
                let lower = lower.strip_prefix("-o").unwrap_or(lower);
                let (key, v) = lower.split_once('=')?;
                let off = match key {
                    "acquire::https::verify-peer" | "acquire::https::verify-host" => falsy(v),
                    "apt::get::allowunauthenticated" | "acquire::allowinsecurerepositories" => {
                        !falsy(v)
                    }
                    _ => false,
                };
                off.then(|| {
                    let w = value
                        .filter(|_| o.value == "-o" || o.value == "--option")
                        .unwrap_or(o);
                    (w, "`apt-get` does not check what it downloads".to_string())
                })
            })
        }
        Manager::Rpm => {
            if let Some(w) = option(&["--nogpgcheck"]).filter(|_| !unsigned_local) {
                return Some((
                    w,
                    format!(
                        "`{}` installs packages without checking their signatures",
                        p.program.value
                    ),
                ));
            }
            // `--setopt=sslverify=0`, `--setopt sslverify=false`
            p.options.iter().find_map(|(o, value)| {
                let setting: &ShellWord = match value {
                    Some(v) if o.value == "--setopt" => v,
                    _ => o,
                };
                let lower = setting.value.to_ascii_lowercase();
                let (key, v) = lower.trim_start_matches("--setopt=").split_once('=')?;
                (key.rsplit('.').next() == Some("sslverify") && falsy(v)).then(|| {
                    (
                        setting,
                        format!(
                            "`{}` does not check the repository's certificate",
                            p.program.value
                        ),
                    )
                })
            })
        }
        Manager::Zypper if unsigned_local => None,
        Manager::Zypper => option(&["--no-gpg-checks"]).map(|w| {
            (
                w,
                "`zypper` installs packages without checking their signatures".to_string(),
            )
        }),
        _ => None,
    }
}

impl DockerfileRule for TlsVerificationDisabled {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let mut found = Vec::new();
        let cmds = unit.commands(cx);
        for c in cmds {
            let fetched = crate::dockerfile::run::of_instruction(cmds, c.instruction)
                .iter()
                .any(|d| matches!(d.program(), "curl" | "wget"));
            if let Some((w, what)) = disables(c, fetched) {
                found.push((w.span, what));
            }
            // `echo "deb [trusted=yes] http://…" > /etc/apt/sources.list.d/x.list`
            for w in c.args() {
                if trusted_network_source(&w.value) {
                    found.push((
                        w.span,
                        "an APT source marked `[trusted=yes]` is never checked".to_string(),
                    ));
                }
            }
        }
        // a global `ARG` reaches no `RUN` until a stage declares it again
        let in_stage = df.stages.first().map_or(0, |s| s.from);
        for instr in &df.instructions[in_stage..] {
            let pairs: Vec<(&Word, Option<&Word>)> = match &instr.kind {
                Kind::Env(kvs) => kvs.iter().map(|kv| (&kv.key, Some(&kv.value))).collect(),
                Kind::Arg(decls) => decls
                    .iter()
                    .map(|a| (&a.name, a.default.as_ref()))
                    .collect(),
                _ => continue,
            };
            for (key, value) in pairs {
                let Some(value) = value else { continue };
                if let Some(var) = variable(&key.value, &value.value) {
                    found.push((
                        key.span.cover(value.span),
                        format!("`{var}` turns off certificate checks"),
                    ));
                }
            }
        }
        found.sort_by_key(|(span, _)| span.start);
        found.dedup_by_key(|(span, _)| *span);
        for (span, what) in found {
            cx.push(
                self.at(df.file, span, what)
                    .with_primary_label(
                        "anyone between the build and the server can change what is installed",
                    )
                    .with_help(
                        "remove it; for a server with a private certificate authority, add the CA \
                         (`COPY ca.crt /usr/local/share/ca-certificates/` and \
                         `RUN update-ca-certificates`), and import a repository's signing key \
                         instead of skipping the check",
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const INSECURE: &str = "FROM debian:12\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\nRUN curl -sSLk https://example.com/a -o /a && wget --no-check-certificate https://example.com/b\nRUN pip install --trusted-host pypi.example.com app==1.0 && git -c http.sslVerify=false clone https://example.com/r\nRUN echo 'deb [trusted=yes] http://repo.example.com stable main' > /etc/apt/sources.list.d/x.list && apt-get install -y --allow-unauthenticated x\nRUN npm config set strict-ssl false && GIT_SSL_NO_VERIFY=1 git clone https://example.com/r\n";

    #[test]
    fn every_way_to_turn_checks_off() {
        assert_eq!(dockerfile("DF205", INSECURE).len(), 9);
        let more = "FROM fedora:41\nRUN sudo curl -k https://e.com && dnf --setopt=sslverify=0 install -y x-1.0 && apt-get -oAcquire::https::Verify-Peer=false update\nENV npm_config_strict_ssl=false GIT_SSL_NO_VERIFY=\n";
        assert_eq!(dockerfile("DF205", more).len(), 5);
        let local = "ARG NODE_TLS_REJECT_UNAUTHORIZED=0\nFROM alpine:3.20\nRUN apk add --allow-untrusted /packages/*.apk && echo 'deb [trusted=yes] file:/debs ./' > /etc/apt/sources.list.d/l.list && sed -i 's/ \\[trusted=yes\\]//' /etc/apt/sources.list\nRUN dnf install -y --nogpgcheck /tmp/x-1.0.rpm\n";
        assert!(dockerfile("DF205", local).is_empty());
        let downloaded = "FROM alpine:3.20\nRUN wget -q https://example.com/glibc.apk && apk add --allow-untrusted glibc.apk && env GIT_SSL_NO_VERIFY=1 git clone https://e.com/r\n";
        assert_eq!(dockerfile("DF205", downloaded).len(), 2);
        let fine = "FROM alpine:3.20\nENV NODE_TLS_REJECT_UNAUTHORIZED=1 PYTHONHTTPSVERIFY=1\nRUN curl -fsSL -o /k https://example.com/k && curl -H 'k: v' https://e.com\nRUN git -c http.sslVerify=true clone https://example.com/r && npm config set strict-ssl true\nRUN apk add --no-cache curl=8.11.1-r0\n";
        assert!(dockerfile("DF205", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF205", &[&[("Dockerfile", INSECURE)]]));
    }
}
