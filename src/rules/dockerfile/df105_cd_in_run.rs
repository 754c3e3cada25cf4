//! DF105 `cd-in-run`: a working directory that lasts one `RUN`.
use crate::rules::prelude::*;

declare_rule! {
    /// `cd` in a `RUN` instead of `WORKDIR`.
    pub CdInRun {
        code: "DF105", name: "cd-in-run",
        category: Reliability, severity: Info, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL3003"],
    }
}

impl DockerfileRule for CdInRun {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let programs = unit.commands(cx);
        let found: Vec<Diagnostic> = programs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.name().is_some_and(|n| n.value == "cd"))
            .filter(|(i, p)| {
                // a directory an earlier command of the same `RUN` creates
                // (`bench init /app && cd /app`) cannot be a `WORKDIR` first
                let dir = p.args().first().map_or("", |a| a.value.as_str());
                let run = crate::dockerfile::run::instruction_range(programs, p.instruction);
                !programs[run.start..*i]
                    .iter()
                    .any(|q| q.args().iter().any(|a| a.value == dir))
            })
            .filter_map(|(_, p)| {
                let dir = p
                    .args()
                    .first()
                    .map(|a| a.value.clone())
                    .unwrap_or_default();
                let name = p.name()?;
                Some(
                    self.at(
                        df.file,
                        name.span,
                        format!("`cd {dir}` lasts only until the end of this `RUN`"),
                    )
                    .with_primary_label("the next instruction starts in the `WORKDIR` again")
                    .with_help(format!(
                        "set `WORKDIR {dir}` before the `RUN`, so later instructions run there too"
                    )),
                )
            })
            .collect();
        cx.extend(found);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const CD: &str = "FROM golang:1.23.4\nRUN cd /src && go build ./...\nRUN [\"cd\", \"/tmp\"]\n";

    #[test]
    fn cd_in_shell_and_exec_form() {
        assert_eq!(dockerfile("DF105", CD).len(), 2);
        let fine = "FROM golang:1.23.4\nWORKDIR /src\nRUN go build ./... && echo cd\nRUN git clone https://example.com/r.git /opt/r && cd /opt/r && make\n";
        assert!(dockerfile("DF105", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF105", &[&[("Dockerfile", CD)]]));
    }
}
