//! DF407 `build-context-unfiltered`: everything in the directory, into the image.
use crate::rules::prelude::*;

declare_rule! {
    /// `COPY .` with no `.dockerignore`.
    pub BuildContextUnfiltered {
        code: "DF407", name: "build-context-unfiltered",
        category: Security, severity: Warning, fix: FixKind::None, since: "0.2.0",
        security_severity: "5.0",
    }
}

/// Whether a `COPY`/`ADD` source is the whole context (`.`, `./`, `*`).
fn whole_context(source: &str) -> bool {
    let s = source.trim_start_matches("./");
    s.is_empty() || s == "." || s == "*" || s == "./*"
}

/// Whether two paths name one directory (`a` and `a/.`, `` and `.`).
fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    let norm = |p: &std::path::Path| -> std::path::PathBuf {
        p.components()
            .filter(|c| !matches!(c, std::path::Component::CurDir))
            .collect()
    };
    norm(a) == norm(b)
}

impl DockerfileRule for BuildContextUnfiltered {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let image = unit.image_stages();
        let copy = image.iter().find_map(|&s| {
            df.stage_instructions(&df.stages[s])
                .iter()
                .find_map(|instr| {
                    let Kind::Copy { sources, .. } = &instr.kind else {
                        return None;
                    };
                    // `COPY --exclude=.git . .` filters what it copies itself
                    if instr.flag("from").is_some() || instr.flag("exclude").is_some() {
                        return None;
                    }
                    sources.iter().find_map(|src| match src {
                        CopySource::Path(w) if whole_context(&w.value) => Some((instr, w)),
                        _ => None,
                    })
                })
        });
        let Some((instr, source)) = copy else {
            return;
        };
        // looked up on disk only now, for an image that copies the context
        let Some(context) = unit.contexts.iter().find(|c| c.ignore_file().is_none()) else {
            return;
        };
        // the context is most often the Dockerfile's own directory
        let beside = cx
            .sources
            .get(df.file)
            .path()
            .parent()
            .is_some_and(|p| same_dir(p, &context.dir));
        let place = if beside {
            "a `.dockerignore` beside the Dockerfile".to_string()
        } else {
            format!("`{}`", context.dir.join(".dockerignore").display())
        };
        let mut d = self
            .at(
                df.file,
                source.span,
                format!(
                    "`{} {}` copies the whole build context into the image, and no `.dockerignore` filters it",
                    instr.keyword.value, source.value
                ),
            )
            .with_primary_label("whatever the context holds, `.git` and `.env` files included")
            .with_help(format!(
                "add {place} excluding `.git`, `.env*`, keys and local build output, or copy \
                 only what the image needs"
            ));
        if let Some((file, span)) = context.at {
            d = d.with_label(file, span, "the build context");
        }
        cx.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, rendered};

    const DOCKERFILE: &str =
        "FROM node:22-alpine\nWORKDIR /app\nCOPY . .\nCMD [\"node\", \"server.js\"]\n";
    const COMPOSE: &str = "services:\n  web:\n    build:\n      context: .\n";

    #[test]
    fn whole_context_without_ignore_file() {
        assert_eq!(findings("DF407", &[("Dockerfile", DOCKERFILE)]).len(), 1);
        let ignored = [
            ("Dockerfile", DOCKERFILE),
            (".dockerignore", ".git\n.env\n"),
        ];
        assert!(findings("DF407", &ignored).is_empty());
        let beside = [
            ("Dockerfile", DOCKERFILE),
            ("Dockerfile.dockerignore", ".git\n"),
        ];
        assert!(findings("DF407", &beside).is_empty());
        let podman = [
            ("Containerfile", DOCKERFILE),
            (".containerignore", ".git\n"),
        ];
        assert!(findings("DF407", &podman).is_empty());
        let excluded = "FROM node:22\nCOPY --exclude=.git --exclude=.env* . .\n";
        assert!(findings("DF407", &[("Dockerfile", excluded)]).is_empty());
        let builder = "FROM node:22 AS build\nCOPY . .\nRUN npm run build\nFROM nginx:1.27\nCOPY --from=build /dist /usr/share/nginx/html\n";
        assert!(findings("DF407", &[("Dockerfile", builder)]).is_empty());
        let some = "FROM node:22\nCOPY package.json server.js ./\n";
        assert!(findings("DF407", &[("Dockerfile", some)]).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered(
            "DF407",
            &[
                &[("Dockerfile", DOCKERFILE)],
                &[("compose.yaml", COMPOSE), ("Dockerfile", DOCKERFILE)],
            ]
        ));
    }
}
