//! Which compose files Docker Compose loads for a directory: the default file
//! and its override file, or the files `COMPOSE_FILE` lists (from the process
//! environment or the directory's `.env`).

use std::path::{Path, PathBuf};

use super::env_file;
use super::interpolate::Environment;
use crate::source::{read_file, CanonicalPaths};

/// Default compose file names, in the order Compose looks for them.
pub const DEFAULT_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yml",
    "docker-compose.yaml",
];

/// Override file names applied on top of the default file.
pub const OVERRIDE_FILES: [&str; 4] = [
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yml",
    "docker-compose.override.yaml",
];

/// The default compose file of `dir`, if present (looked up in the run's
/// listing of `dir`, `paths`).
pub fn default_file(dir: &Path, paths: &CanonicalPaths) -> Option<PathBuf> {
    paths.first_file(dir, DEFAULT_FILES)
}

/// The default compose file of `dir` and its override file, if present.
pub fn default_files(dir: &Path, paths: &CanonicalPaths) -> Vec<PathBuf> {
    default_file(dir, paths)
        .into_iter()
        .chain(paths.first_file(dir, OVERRIDE_FILES))
        .collect()
}

/// Whether `path` is named like a default or override compose file.
pub fn is_default_name(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| DEFAULT_FILES.contains(&n) || OVERRIDE_FILES.contains(&n))
}

/// Where a `COMPOSE_FILE` setting was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingSource {
    /// The process environment.
    Process,
    /// The `.env` file at this path.
    DotEnv(PathBuf),
}

/// The files `COMPOSE_FILE` names for a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeFileSetting {
    /// The files, in merge order, made absolute against the directory.
    pub files: Vec<PathBuf>,
    /// Where the setting was read.
    pub source: SettingSource,
}

/// `COMPOSE_FILE` as Docker Compose run in `dir` reads it: from `process`
/// (when Compose would run there, `process_applies`), else from `dir/.env`;
/// split on `COMPOSE_PATH_SEPARATOR` (default `:`), each path relative to
/// `dir`. `None` when neither sets it (or it lists no file). `paths` holds
/// the run's listing of `dir`.
pub fn compose_file_setting(
    dir: &Path,
    process: &Environment,
    process_applies: bool,
    paths: &CanonicalPaths,
) -> Option<ComposeFileSetting> {
    let from_process = |name: &str| {
        process_applies
            .then(|| process.get(name).map(|v| v.value.clone()))
            .flatten()
    };
    let dotenv_path = dir.join(".env");
    let dotenv = paths
        .may_exist(&dotenv_path)
        .then(|| read_file(&dotenv_path).ok());
    let dotenv = dotenv.flatten().map(|source| {
        let (assignments, _) = env_file::parse(source.text(), process);
        assignments
    });
    let from_dotenv = |name: &str| {
        dotenv
            .as_ref()?
            .iter()
            .rev()
            .find(|a| a.name == name)
            .map(|a| a.value.clone())
    };
    let (value, source) = match from_process("COMPOSE_FILE") {
        Some(v) => (v, SettingSource::Process),
        None => (
            from_dotenv("COMPOSE_FILE")?,
            SettingSource::DotEnv(dotenv_path),
        ),
    };
    let separator = from_process("COMPOSE_PATH_SEPARATOR")
        .or_else(|| from_dotenv("COMPOSE_PATH_SEPARATOR"))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| ":".to_string());
    let files: Vec<PathBuf> = value
        .split(separator.as_str())
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|f| super::project::resolve_against(dir, f))
        .collect();
    (!files.is_empty()).then_some(ComposeFileSetting { files, source })
}

/// The files Docker Compose run in `dir` without `-f` loads: the files
/// `COMPOSE_FILE` lists (from `process` when `process_applies`, else from
/// `dir/.env`), else the default file and its override. The second value is
/// where `COMPOSE_FILE` was read, if it was.
pub fn project_files(
    dir: &Path,
    process: &Environment,
    process_applies: bool,
    paths: &CanonicalPaths,
) -> (Vec<PathBuf>, Option<SettingSource>) {
    match compose_file_setting(dir, process, process_applies, paths) {
        Some(setting) => (setting.files, Some(setting.source)),
        None => (default_files(dir, paths), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::interpolate::VarOrigin;

    #[test]
    fn compose_file_is_read_from_the_process_or_the_dotenv() {
        let dir = std::env::temp_dir().join(format!("seaworthy-cf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(".env"),
            "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=compose.yaml;ops/compose.redis.yaml\n",
        )
        .unwrap();
        let mut env = Environment::empty();
        let paths = CanonicalPaths::default();
        let got = compose_file_setting(&dir, &env, true, &paths).unwrap();
        assert_eq!(
            got.files,
            vec![dir.join("compose.yaml"), dir.join("ops/compose.redis.yaml")]
        );
        assert_eq!(got.source, SettingSource::DotEnv(dir.join(".env")));
        env.set("COMPOSE_FILE", "a.yml:b.yml", VarOrigin::Process);
        env.set("COMPOSE_PATH_SEPARATOR", ":", VarOrigin::Process);
        let got = compose_file_setting(&dir, &env, true, &paths).unwrap();
        assert_eq!(got.files, vec![dir.join("a.yml"), dir.join("b.yml")]);
        assert_eq!(got.source, SettingSource::Process);
        // the process environment only counts where Compose would run
        let got = compose_file_setting(&dir, &env, false, &paths).unwrap();
        assert_eq!(got.files.len(), 2);
        assert_eq!(got.source, SettingSource::DotEnv(dir.join(".env")));
        std::fs::remove_dir_all(&dir).unwrap();
        let paths = CanonicalPaths::default();
        assert!(compose_file_setting(&dir, &Environment::empty(), true, &paths).is_none());
    }
}
