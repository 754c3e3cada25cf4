//! DF203 `add-url-unverified`: a download nobody checks.
use crate::rules::prelude::*;

declare_rule! {
    /// `ADD <url>` without `--checksum`.
    pub AddUrlUnverified {
        code: "DF203", name: "add-url-unverified",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        security_severity: "5.0",
    }
}

impl DockerfileRule for AddUrlUnverified {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        for instr in &df.instructions {
            let Kind::Copy {
                add: true, sources, ..
            } = &instr.kind
            else {
                continue;
            };
            if instr.flag("checksum").is_some() {
                continue;
            }
            for source in sources {
                let (CopySource::Path(w), AddSource::Url { plain_http }) =
                    (source, source.add_source())
                else {
                    continue;
                };
                let message = if plain_http {
                    "`ADD` downloads a file over plain HTTP and never checks what it got"
                } else {
                    "`ADD` downloads a file and never checks what it got"
                };
                cx.push(
                    self.at(df.file, w.span, message)
                        .with_primary_label("whatever this URL serves at build time")
                        .with_help(
                            "give its digest: `ADD --checksum=sha256:<hash> <url> <dest>` \
                             (BuildKit fails the build when it differs), or download it in a \
                             `RUN` and check it with `sha256sum -c`",
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const URL: &str = "FROM alpine:3.20\nADD https://example.com/tool-1.2.tar.gz /opt/\nADD http://example.com/app.jar /app.jar\n";

    #[test]
    fn urls_without_checksum() {
        assert_eq!(dockerfile("DF203", URL).len(), 2);
        let fine = "FROM alpine:3.20\nADD --checksum=sha256:24454f830cdd571e2c4ad15481119c43b0cafc48a2c3d6a2a9ce11b56f56a8ae https://example.com/a /a\nADD https://github.com/moby/buildkit.git#v0.16.0 /src\nADD https://github.com/moby/buildkit.git?ref=v0.16.0 /src2\nADD git@github.com:o/r.git /r\nADD local.txt /l\n";
        assert!(dockerfile("DF203", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF203", &[&[("Dockerfile", URL)]]));
    }
}
