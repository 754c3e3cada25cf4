//! DF202 `add-instead-of-copy`: `ADD` where `COPY` says what is meant.
use crate::rules::prelude::*;

declare_rule! {
    /// `ADD` of local files that `COPY` copies the same way.
    pub AddInsteadOfCopy {
        code: "DF202", name: "add-instead-of-copy",
        category: Security, severity: Warning, fix: FixKind::Safe, since: "0.2.0",
        hadolint: ["DL3020"],
        security_severity: "3.0",
    }
}

impl DockerfileRule for AddInsteadOfCopy {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        for instr in &df.instructions {
            let Kind::Copy {
                add: true, sources, ..
            } = &instr.kind
            else {
                continue;
            };
            if ["checksum", "keep-git-dir", "unpack"]
                .iter()
                .any(|f| instr.flag(f).is_some())
            {
                continue;
            }
            let plain =
                !sources.is_empty() && sources.iter().all(|s| s.add_source() == AddSource::Local);
            if !plain {
                continue;
            }
            cx.push(
                self.at(
                    df.file,
                    instr.keyword.span,
                    "`ADD` copies local files, which is what `COPY` does",
                )
                .with_primary_label("`ADD` also fetches URLs and unpacks archives")
                .with_help(
                    "use `COPY`: it only copies, so a source that later becomes an archive or a \
                     URL does not silently change what lands in the image",
                )
                .with_fix(Some(Fix::safe(
                    "replace `ADD` with `COPY`",
                    vec![Edit::replace(
                        df.file,
                        instr.keyword.span,
                        same_case(cx.sources.get(df.file).slice(instr.keyword.span), "COPY"),
                    )],
                ))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const ADD: &str =
        "FROM alpine:3.20\nADD requirements.txt app/ /srv/\nadd <<EOF /etc/motd\nhello\nEOF\n";

    #[test]
    fn local_files_only() {
        assert_eq!(dockerfile("DF202", ADD).len(), 2);
        let fine = "FROM alpine:3.20\nADD rootfs.tar.gz /\nADD https://example.com/a.txt /a\nADD git@github.com:o/r.git /r\nADD --checksum=sha256:0 https://example.com/b /b\nADD ${ARCHIVE} /\nADD dist/*.tar* /opt/\nCOPY app /app\n";
        assert!(dockerfile("DF202", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF202", &[&[("Dockerfile", ADD)]]));
    }
}
