//! DF503 `useradd-without-l`: a high UID that bloats the layer.
use crate::dockerfile::shell::{has_option, option_value};
use crate::rules::prelude::*;

declare_rule! {
    /// `useradd` with a high UID and without `-l`.
    pub UseraddWithoutL {
        code: "DF503", name: "useradd-without-l",
        category: Resources, severity: Info, fix: FixKind::Safe, since: "0.2.0",
        hadolint: ["DL3046"],
    }
}

/// `useradd`'s short options that take a value.
const WITH_VALUE: &str = "bcdefgGkKpPRuZ";

/// Bytes per UID in `/var/log/lastlog`, which `useradd` extends to the new
/// user's entry (and `faillog`, 32 more).
const LASTLOG_ENTRY: u64 = 292 + 32;

/// UIDs from which the files weigh 10 MB or more.
const HIGH_UID: u64 = 10_000_000 / LASTLOG_ENTRY;

impl DockerfileRule for UseraddWithoutL {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let image = unit.image_stages();
        for c in unit.commands(cx) {
            if c.program() != "useradd" || !image.contains(&c.stage) {
                continue;
            }
            let args = || c.args().iter().map(|a| a.value.as_str());
            if has_option(args(), Some('l'), &["no-log-init"], WITH_VALUE) {
                continue;
            }
            // UIDs are 32-bit, and 4294967295 means none
            let Some(uid) = option_value(args(), Some('u'), &["uid"], WITH_VALUE)
                .and_then(|u| u.parse::<u64>().ok())
                .filter(|&u| (HIGH_UID..u64::from(u32::MAX)).contains(&u))
            else {
                continue;
            };
            let Some(name) = c.name() else { continue };
            let megabytes = (uid + 1) * LASTLOG_ENTRY / 1_000_000;
            let fix = crate::dockerfile::shell::is_program(
                cx.sources.get(df.file).slice(name.span),
                "useradd",
            )
            .then(|| {
                Fix::safe(
                    "add `-l` (`--no-log-init`)",
                    vec![Edit::insert(df.file, name.span.end, " -l")],
                )
            });
            cx.push(
                self.at(
                    df.file,
                    name.span,
                    format!("`useradd -u {uid}` without `-l` writes about {megabytes} MB of empty login records into the layer"),
                )
                .with_primary_label("`/var/log/lastlog` and `faillog` grow to the UID, and layers keep every byte")
                .with_help("add `-l` (`--no-log-init`): a container has no login records to keep")
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const HIGH: &str =
        "FROM debian:12\nRUN useradd -r -u 100000 app && useradd --uid=65532 nonroot\n";

    #[test]
    fn high_uids_without_l() {
        assert_eq!(dockerfile("DF503", HIGH).len(), 2);
        let fine = "FROM debian:12\nRUN useradd -l -u 100000 app && useradd -rlu 65532 b && useradd --no-log-init -u 70000 c && useradd -u 10001 d && useradd -u \"$UID\" e\n";
        assert!(dockerfile("DF503", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF503", &[&[("Dockerfile", HIGH)]]));
    }
}
