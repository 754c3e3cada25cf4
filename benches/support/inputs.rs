//! Inputs for the benchmarks, generated so that every run measures the same
//! text: a large compose file leaning on anchors and merge keys, a large
//! multi-stage Dockerfile, and copies of a directory tree (the shared corpus).
//! Both `benches/lint.rs` (criterion) and the `bench-inputs` example (files for
//! `bench/compare.sh`) use them.

use std::fmt::Write as _;
use std::path::Path;

/// A compose file with `services` services built from shared anchors
/// (`<<: *defaults`, `<<: *health`) with per-service keys; some services have
/// problems (no health check, a literal password, a `latest` image, no limits)
/// so that rules report findings as they do on real files.
pub fn large_compose(services: usize) -> String {
    let mut out = String::from(
        "x-logging: &logging\n  driver: json-file\n  options:\n    max-size: 10m\n    max-file: \"3\"\n\
         x-defaults: &defaults\n  restart: unless-stopped\n  logging: *logging\n  deploy:\n    resources:\n      \
         limits:\n        memory: 256M\n        cpus: \"0.5\"\n        pids: 200\n\
         x-health: &health\n  interval: 30s\n  timeout: 5s\n  retries: 3\n  start_period: 10s\n\
         services:\n",
    );
    for i in 0..services {
        let _ = writeln!(out, "  svc{i}:");
        if !i.is_multiple_of(11) {
            out.push_str("    <<: *defaults\n");
        }
        let image = match i % 13 {
            0 => format!("example/app{i}:latest"),
            1 => format!("example/app{i}"),
            _ => format!("registry.example.com/team/app{i}:1.{}.{}", i % 7, i % 5),
        };
        let _ = writeln!(out, "    image: {image}");
        let _ = write!(
            out,
            "    environment:\n      APP_NAME: svc{i}\n      APP_PORT: \"{}\"\n      LOG_LEVEL: ${{LOG_LEVEL:-info}}\n",
            8000 + i % 1000
        );
        if i.is_multiple_of(17) {
            out.push_str("      DB_PASSWORD: hunter2\n");
        } else {
            out.push_str("      DB_PASSWORD_FILE: /run/secrets/db_password\n");
        }
        if !i.is_multiple_of(7) {
            out.push_str(
                "    healthcheck:\n      <<: *health\n      test: [\"CMD\", \"wget\", \"-q\", \"--spider\", \"http://localhost:8080/health\"]\n",
            );
        }
        let _ = write!(out, "    ports:\n      - \"{}:8080\"\n", 20000 + i);
        if i > 0 {
            let _ = write!(out, "    depends_on:\n      - svc{}\n", i - 1);
        }
        let _ = write!(out, "    labels:\n      com.example.team: team{}\n", i % 9);
    }
    out
}

/// A multi-stage Dockerfile of exactly `instructions` instructions, in
/// stages of up to 50: ARG/ENV/LABEL/WORKDIR/COPY/RUN (shell and exec form,
/// continuations, variables), some with problems (`latest` bases, `apt-get`
/// without pins, secrets in ENV, shell-form CMD).
pub fn large_dockerfile(instructions: usize) -> String {
    const STAGE: usize = 50;
    let mut out = String::from("# syntax=docker/dockerfile:1\n");
    let mut stage = 0;
    let mut left = instructions;
    while left > 0 {
        let n = left.min(STAGE);
        left -= n;
        let lines = stage_lines(stage, n);
        out.push('\n');
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
        stage += 1;
    }
    out
}

/// The `n` instructions of stage number `stage`.
fn stage_lines(stage: usize, n: usize) -> Vec<String> {
    let base = if stage.is_multiple_of(5) {
        "alpine"
    } else {
        "alpine:3.20"
    };
    let mut lines = vec![format!("FROM {base} AS stage{stage}")];
    let mut i = 0;
    while lines.len() < n.saturating_sub(1) {
        let line = match i % 12 {
            0 => format!("ARG VERSION{i}=1.{stage}.{i}"),
            1 => format!("ENV APP_HOME=/opt/app{stage} STEP{i}=${{VERSION{}:-none}}", i - 1),
            2 => format!("LABEL org.opencontainers.image.version=\"$VERSION{}\" step=\"{i}\"", i - 2),
            3 => "WORKDIR $APP_HOME".to_string(),
            4 if stage > 0 => format!("COPY --from=stage{} /opt/app{}/ ./prev/", stage - 1, stage - 1),
            4 | 5 => format!("COPY --chown=app:app src/part{i}/ ./src/part{i}/"),
            6 if stage.is_multiple_of(3) => "RUN apt-get update && apt-get install -y curl ca-certificates \\\n    && rm -rf /var/lib/apt/lists/*".to_string(),
            6 => "RUN set -eux; \\\n    apk add --no-cache curl=8.9.1-r0; \\\n    ./build.sh --release \"$APP_HOME\" > /tmp/build.log 2>&1 || (cat /tmp/build.log && exit 1)".to_string(),
            7 if stage.is_multiple_of(4) => format!("ENV API_TOKEN{i}=s3cr3t-token-{stage}"),
            7 => format!("ENV PATH=/opt/app{stage}/bin:$PATH"),
            8 => format!("RUN [\"/bin/sh\", \"-c\", \"echo step {i} of stage {stage}\"]"),
            9 => format!("RUN cd /opt/app{stage} && make -j\"$(nproc)\" target{i} && test -x bin/server"),
            10 => "EXPOSE 8080".to_string(),
            _ => "HEALTHCHECK --interval=30s CMD wget -q --spider http://localhost:8080/ || exit 1".to_string(),
        };
        lines.push(line);
        i += 1;
    }
    if n > 1 {
        lines.push(if stage.is_multiple_of(6) {
            "CMD ./bin/server --port 8080".to_string()
        } else {
            "CMD [\"./bin/server\", \"--port\", \"8080\"]".to_string()
        });
    }
    lines.truncate(n);
    lines
}

/// Copies every file under `from` into `copies` sibling trees `to/copy-N/`.
pub fn replicate(from: &Path, to: &Path, copies: usize) -> std::io::Result<usize> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                walk(&entry.path(), out)?;
            } else if kind.is_file() {
                out.push(entry.path());
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(from, &mut files)?;
    files.sort();
    for n in 0..copies {
        for file in &files {
            let Ok(rel) = file.strip_prefix(from) else {
                continue;
            };
            let dest = to.join(format!("copy-{n}")).join(rel);
            if let Some(dir) = dest.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::copy(file, dest)?;
        }
    }
    Ok(files.len() * copies)
}
