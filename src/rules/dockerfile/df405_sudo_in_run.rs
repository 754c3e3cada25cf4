//! DF405 `sudo-in-run`: `sudo` where the build already is root, or leaves a
//! way back to root.
use crate::rules::prelude::*;

declare_rule! {
    /// `sudo` in a `RUN`.
    pub SudoInRun {
        code: "DF405", name: "sudo-in-run",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL3004"],
        security_severity: "5.0",
    }
}

impl DockerfileRule for SudoInRun {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let found: Vec<Diagnostic> = unit
            .commands(cx)
            .iter()
            // the command as written, not the program sudo runs
            .filter_map(|p| p.command.name())
            .filter(|name| crate::dockerfile::shell::is_program(&name.value, "sudo"))
            .map(|name| {
                self.at(df.file, name.span, "`RUN` uses `sudo`")
                    .with_primary_label("an image with sudo lets its user become root again")
                    .with_help(
                        "run the step as root (`USER root` before it, `USER app` after), \
                         and remove sudo from the image",
                    )
            })
            .collect();
        cx.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const SUDO: &str =
        "FROM ubuntu:24.04\nUSER app\nRUN sudo apt-get update && /usr/bin/sudo -n true\n";

    #[test]
    fn sudo_by_name_or_path() {
        assert_eq!(dockerfile("DF405", SUDO).len(), 2);
        let fine = "FROM ubuntu:24.04\nUSER root\nRUN apt-get update && echo sudo\nUSER app\n";
        assert!(dockerfile("DF405", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF405", &[&[("Dockerfile", SUDO)]]));
    }
}
