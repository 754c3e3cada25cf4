//! DF406 `ssh-port-exposed`: an SSH server in a container.
use crate::rules::prelude::*;

declare_rule! {
    /// `EXPOSE 22`.
    pub SshPortExposed {
        code: "DF406", name: "ssh-port-exposed",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        security_severity: "5.0",
    }
}

impl DockerfileRule for SshPortExposed {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        for word in df.exposed() {
            if word.value.split('/').next() != Some("22") {
                continue;
            }
            cx.push(
                self.at(
                    df.file,
                    word.span,
                    "the image exposes port 22, for an SSH server",
                )
                .with_primary_label("a second way in, with its own keys to manage")
                .with_help(
                    "drop the SSH server: `docker exec` (or `docker compose exec`) opens a \
                         shell in a running container, and `docker cp` copies files",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const SSH: &str = "FROM ubuntu:24.04\nEXPOSE 22/tcp 8080\n";

    #[test]
    fn port_22_is_reported() {
        assert_eq!(dockerfile("DF406", SSH).len(), 1);
        assert!(dockerfile("DF406", "FROM ubuntu:24.04\nEXPOSE 2222 8022\n").is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF406", &[&[("Dockerfile", SSH)]]));
    }
}
