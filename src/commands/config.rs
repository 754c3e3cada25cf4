//! `seaworthy config`: load a project and print the resolved model the way
//! `docker compose config` prints it, findings on stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{ConfigArgs, ConfigFormat};
use crate::compose::canonical::project_json;
use crate::compose::files::{project_files, SettingSource};
use crate::compose::{load_project, Environment, ProjectOptions};
use crate::diagnostic::Severity;
use crate::project::link;
use crate::report::human::{self, HumanOptions};
use crate::report::yaml_text;
use crate::secret::{self, Convention};
use crate::source::SourceMap;

/// Runs `config`. Exit 0 when the project loads without errors, 1 when a file
/// of it has errors (the model is still printed), 2 when no file can be read.
pub fn run(args: ConfigArgs) -> ExitCode {
    if let Some(f) = args.project.env_files.iter().find(|f| !f.is_file()) {
        eprintln!("error: --env-file `{}`: no such file", f.display());
        return ExitCode::from(2);
    }
    let process_env = Environment::from_process();
    let paths = std::sync::Arc::new(crate::source::CanonicalPaths::default());
    let mut dotenv_dir = None;
    let files = if !args.project.files.is_empty() {
        args.project.files.clone()
    } else {
        let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
        if path.is_dir() {
            // Compose run there: `COMPOSE_FILE` from the environment (when
            // that is the current directory) or the directory's `.env`
            let here = match (path.canonicalize(), std::env::current_dir()) {
                (Ok(p), Ok(cwd)) => cwd.canonicalize().is_ok_and(|c| c == p),
                _ => false,
            };
            let (files, set_by) = project_files(&path, &process_env, here, &paths);
            if let Some(SettingSource::DotEnv(_)) = set_by {
                dotenv_dir = Some(path.clone());
            }
            files
        } else {
            vec![path]
        }
    };
    if files.is_empty() {
        eprintln!("error: no compose file found (looked for compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml)");
        return ExitCode::from(2);
    }
    let opts = ProjectOptions {
        files,
        env_files: args.project.env_files,
        profiles: args.profiles,
        process_env,
        dotenv_dir,
        paths,
        ..Default::default()
    };
    let mut sources = SourceMap::new();
    let mut project = match load_project(&mut sources, &opts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let secrets = !args.show_secrets;
    let mut json = project_json(&project);
    if secrets {
        secret::json::mask_json(&mut json, &Convention);
    }
    let text = match args.format {
        ConfigFormat::Json => serde_json::to_string_pretty(&json).unwrap_or_default() + "\n",
        ConfigFormat::Yaml => yaml_text(&json),
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    let diagnostics = std::mem::take(&mut project.diagnostics);
    if !diagnostics.is_empty() {
        if secrets {
            // the findings quote the files: their secrets are masked there too
            let linked = link(&mut sources, project, &Default::default());
            for f in secret::scan::project(&linked, &sources, &secret::scan::by_convention) {
                sources.mask(f.file, f.span);
            }
        }
        let color = super::use_color(None, std::io::stderr().is_terminal());
        let render = HumanOptions {
            color,
            ..Default::default()
        };
        let report = human::render(&diagnostics, &sources, &render);
        let _ = std::io::stderr().write_all(report.as_bytes());
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
