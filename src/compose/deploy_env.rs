//! Env files created at deploy time. Repositories keep a template
//! (`.env.example`) and ignore the real file (`.gitignore`); at lint time the
//! file is missing, which is expected, and the variables the template lists
//! are set by whoever deploys, with values the linter cannot know.

use std::path::{Path, PathBuf};

use ignore::gitignore::GitignoreBuilder;
use ignore::Match;

use crate::source::CanonicalPaths;

/// What a template is called next to the file `NAME` it stands for:
/// `NAME` followed by one of these.
pub const TEMPLATE_SUFFIXES: &[&str] =
    &[".example", ".sample", ".dist", ".template", ".tmpl", ".tpl"];

/// Further names of a template for `.env`.
pub const DOTENV_TEMPLATES: &[&str] =
    &["env.example", "example.env", "sample.env", ".env.defaults"];

/// Whether the file at `path` is named as a template (`.env.example`,
/// `example.env`, `api.env.sample`, …): it holds examples, not settings.
pub fn is_template(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    TEMPLATE_SUFFIXES.iter().any(|s| name.ends_with(s))
        || DOTENV_TEMPLATES.contains(&name.as_str())
        || name.starts_with("example.")
        || name.starts_with("sample.")
}

/// Why a missing env file is taken as created at deploy time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeployTime {
    /// A template beside it documents it.
    Template(PathBuf),
    /// A `.gitignore` that applies lists it: it is kept out of the repository on purpose.
    Ignored,
}

/// The template documenting the env file at `path`, if one is beside it
/// (looked up in the run's listing of its directory, `paths`).
pub fn template_for(path: &Path, paths: &CanonicalPaths) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let dir = path.parent()?;
    let extra: &[&str] = if name == ".env" {
        DOTENV_TEMPLATES
    } else {
        &[]
    };
    let suffixed = TEMPLATE_SUFFIXES.iter().map(|s| format!("{name}{s}"));
    paths.first_file(dir, suffixed.chain(extra.iter().map(|n| n.to_string())))
}

/// Whether the missing env file at `path` is created at deploy time, and why.
pub fn deploy_time(path: &Path, paths: &CanonicalPaths) -> Option<DeployTime> {
    if let Some(t) = template_for(path, paths) {
        return Some(DeployTime::Template(t));
    }
    git_ignores(path).then_some(DeployTime::Ignored)
}

/// Whether a `.gitignore` in the directory of `path` or above it (up to the
/// repository's root, the first directory holding `.git`) ignores it; the
/// nearest file that has a say decides, as Git does.
pub fn git_ignores(path: &Path) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    for d in dir.ancestors() {
        let file = d.join(".gitignore");
        if file.is_file() {
            let mut builder = GitignoreBuilder::new(d);
            if builder.add(&file).is_none() {
                if let Ok(gi) = builder.build() {
                    match gi.matched_path_or_any_parents(path, false) {
                        Match::Ignore(_) => return true,
                        Match::Whitelist(_) => return false,
                        Match::None => {}
                    }
                }
            }
        }
        if d.join(".git").exists() {
            break;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_and_ignore_files_say_an_env_file_comes_at_deploy_time() {
        let dir = std::env::temp_dir().join(format!("seaworthy-deploy-env-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("app/.git")).unwrap();
        std::fs::write(dir.join("app/.env.example"), "A=1\n").unwrap();
        std::fs::write(
            dir.join("app/.gitignore"),
            "secrets/*.env\n!secrets/keep.env\n",
        )
        .unwrap();
        std::fs::write(dir.join("app/example.env"), "").unwrap();
        let paths = CanonicalPaths::default();
        let deploy_time = |p: &Path| deploy_time(p, &paths);
        assert_eq!(
            deploy_time(&dir.join("app/.env")),
            Some(DeployTime::Template(dir.join("app/.env.example")))
        );
        assert_eq!(
            deploy_time(&dir.join("app/secrets/db.env")),
            Some(DeployTime::Ignored)
        );
        assert_eq!(deploy_time(&dir.join("app/secrets/keep.env")), None);
        assert_eq!(deploy_time(&dir.join("app/other.env")), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
