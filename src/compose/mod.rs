//! The typed Compose model: schema, conversion from the YAML tree, interpolation.

pub mod canonical;
pub mod consistency;
pub mod deploy_env;
pub mod env_file;
mod extends;
pub mod files;
pub mod fragment;
pub mod from_tree;
mod include;
pub mod interpolate;
pub mod merge;
pub mod model;
pub mod normalize;
pub mod project;
pub mod references;
pub mod schema;
pub mod syntax;
pub mod value;

use std::path::Path;

use crate::diagnostic::{codes, Diagnostic};
use crate::source::{read_file, Decoding, FileId, SourceFile, SourceMap, Span};
use crate::yaml::resolve::{ResolveIssue, DEFAULT_EXPANSION_BUDGET};
use crate::yaml::{Backend, Resolver, Tree};
pub use interpolate::Environment;
pub use model::{Compose, Service};
pub use project::{load_project, Project, ProjectOptions};

/// How to load a compose file.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// YAML parser backend.
    pub backend: Backend,
    /// How many nodes following aliases may add to one file.
    pub expansion_budget: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            backend: Backend::default(),
            expansion_budget: DEFAULT_EXPANSION_BUDGET,
        }
    }
}

/// A compose file: its YAML tree, its model and what was wrong with it.
#[derive(Debug)]
pub struct LoadedFile {
    /// The file.
    pub file: FileId,
    /// The YAML tree (comments included).
    pub tree: Tree,
    /// The converted model.
    pub compose: Compose,
    /// Load-time findings: YAML errors, invalid fields, unset variables.
    pub diagnostics: Vec<Diagnostic>,
    /// Variables the file declares required (`${VAR:?message}`): documented
    /// for every file of its project.
    pub required: Vec<String>,
    /// Literal defaults written in the file (`${VAR:-literal}`).
    pub defaults: Vec<from_tree::LiteralDefault>,
}

/// Parses and converts `file` with variables from `env`, as a project of its own.
pub fn load_file(
    sources: &SourceMap,
    file: FileId,
    env: &Environment,
    opts: &LoadOptions,
) -> LoadedFile {
    let mut loaded = load_file_unchecked(sources, file, env, opts);
    loaded
        .diagnostics
        .extend(consistency::check(&loaded.compose));
    dedup(&mut loaded.diagnostics);
    loaded
}

/// Deletes the `version:` entry's lines (and the blank line after it when
/// it opens the file): only when the entry has its lines to itself.
fn remove_version(text: &str, file: FileId, v: &value::MapItem) -> Option<crate::fix::Fix> {
    use crate::fix::{line_end, starts_line, whole_lines, Edit, Fix};

    let end = v.value.span.end.max(v.key.span.end);
    let rest = text.get(end..line_end(text, end))?.trim_start();
    if !v.value.via.is_empty()
        || !starts_line(text, v.key.span.start)
        || !(rest.is_empty() || rest.starts_with('#'))
    {
        return None;
    }
    let mut lines = whole_lines(text, Span::new(v.key.span.start, end));
    if lines.start == 0 {
        if let Some(blank) = text[lines.end..].find('\n') {
            if text[lines.end..lines.end + blank].trim().is_empty() {
                lines.end += blank + 1;
            }
        }
    }
    Some(Fix::safe(
        "remove the obsolete `version:`",
        vec![Edit::delete(file, lines)],
    ))
}

/// [`load_file`] without the checks Compose makes on a whole project.
fn load_file_unchecked(
    sources: &SourceMap,
    file: FileId,
    env: &Environment,
    opts: &LoadOptions,
) -> LoadedFile {
    let src = sources.get(file);
    let text = src.text();
    let not_text = match src.decoding() {
        Decoding::Binary { at } => Some(Diagnostic::binary_file(
            codes::YAML_SYNTAX,
            file,
            at,
            "YAML",
        )),
        _ => None,
    };
    let tree = Tree::parse_content(text, opts.backend);
    let mut diagnostics = tree.diagnostics(file);
    if let Decoding::InvalidUtf8 { at } = src.decoding() {
        diagnostics.push(
            Diagnostic::not_utf8(codes::YAML_SYNTAX, file, src.char_span(at)).with_help("Compose reads YAML as UTF-8 (or UTF-16 with a byte-order mark): save the file as UTF-8"),
        );
    }
    let resolver = Resolver::with_budget(&tree, opts.expansion_budget);
    let mut converter = from_tree::Converter::new(&resolver, file, text, env);
    let mut documents = Vec::new();
    for doc in &tree.documents {
        let Some(root) = doc.root else { continue };
        documents.extend(converter.document(root, schema::TOP));
    }
    let required = converter.required().to_vec();
    let defaults = converter.take_defaults();
    diagnostics.extend(converter.into_diagnostics());
    for issue in resolver.take_issues() {
        diagnostics.push(match issue {
            ResolveIssue::BudgetExceeded { span, budget } => Diagnostic::new(
                codes::YAML_SYNTAX,
                file,
                span,
                format!("aliases expand to more than {budget} nodes"),
            )
            .with_primary_label("expansion stopped at this alias")
            .with_help(
                "this looks like an alias bomb; the values behind this alias were not checked",
            ),
            ResolveIssue::BadMerge { span } => Diagnostic::new(
                codes::YAML_SYNTAX,
                file,
                span,
                "a merge key `<<` takes a mapping or a list of mappings".to_string(),
            )
            .with_primary_label("not a mapping"),
        });
    }
    let complete = tree.complete && not_text.is_none();
    // Compose drops `version` first: a file of nothing else is empty to it
    let only_version = tree.documents.len() == 1
        && documents.len() == 1
        && documents[0].items.iter().all(|i| i.key.value == "version")
        && !diagnostics
            .iter()
            .any(|d| d.code == codes::INVALID_COMPOSE.code);
    if complete && (only_version || tree.documents.iter().all(|d| d.root.is_none())) {
        diagnostics.push(
            Diagnostic::new(
                codes::INVALID_COMPOSE,
                file,
                Span::point(0),
                "the compose file is empty".to_string(),
            )
            .with_help("Compose refuses an empty file: add `services:` or delete the file"),
        );
    }
    let mut documents = documents.into_iter();
    let top = documents.next().unwrap_or_default();
    if let Some(v) = top.item("version") {
        diagnostics.push(
            Diagnostic::new(
                codes::OBSOLETE_VERSION,
                file,
                v.key.span.cover(v.value.span),
                "the top-level `version` is obsolete and ignored".to_string(),
            )
            .with_help("remove the `version:` line; Compose always uses the latest specification")
            .with_fix(remove_version(sources.get(file).text(), file, v)),
        );
    }
    diagnostics.extend(not_text);
    let compose = Compose {
        file,
        complete,
        top,
        more_documents: documents.collect(),
    };
    dedup(&mut diagnostics);
    LoadedFile {
        file,
        tree,
        compose,
        diagnostics,
        required,
        defaults,
    }
}

/// Drops the CM003 findings of variables some file of the project declares
/// required: the declaration documents them for the whole project.
fn drop_documented(diagnostics: &mut Vec<Diagnostic>, sources: &SourceMap, required: &[String]) {
    if required.is_empty() {
        return;
    }
    diagnostics.retain(|d| {
        if d.code != codes::UNSET_VARIABLE.code {
            return true;
        }
        let written = sources.get(d.file).slice(d.span);
        let name: String = written
            .trim_start_matches("${")
            .trim_start_matches('$')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        !required.contains(&name)
    });
}

/// Sorts and removes exact repeats (an aliased value is converted once per use).
fn dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key());
}

/// The variables for interpolating a project in `project_dir`: the process
/// environment, over `env_files` if given, else over `project_dir/.env` if
/// present. Without `env_files`, the variables a template of `.env` lists
/// (`.env.example`, see [`deploy_env`]) are set too, values unknown: they are
/// set where the project is deployed; so are the login session's variables
/// (`HOME`, `USER`, …) the environment lacks. When `.env` itself is missing but a
/// template documents it, one CM006 at the template says so.
/// Env files are added to `sources` so findings can point into them.
pub fn project_environment(
    sources: &mut SourceMap,
    project_dir: &Path,
    env_files: &[std::path::PathBuf],
    process: Environment,
    reads: &mut Vec<env_file::EnvFileRead>,
    buffers: &crate::source::Buffers,
    paths: &crate::source::CanonicalPaths,
) -> (Environment, Vec<Diagnostic>) {
    let mut env = process;
    let mut diagnostics = Vec::new();
    let default_env = project_dir.join(".env");
    let files: Vec<(std::path::PathBuf, bool)> = if env_files.is_empty() {
        vec![(default_env.clone(), false)]
    } else {
        env_files.iter().map(|p| (p.clone(), true)).collect()
    };
    let mut dotenv_missing = false;
    for (path, required) in files {
        // the directory's listing says whether `.env` is there
        let absent = !required && !paths.may_exist(&path) && buffers.get(&path).is_none();
        let read = if absent {
            Err(std::io::ErrorKind::NotFound.into())
        } else {
            buffers.read(&path)
        };
        let source = match read {
            Ok(source) => source,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                dotenv_missing = true;
                continue;
            }
            Err(e) => {
                let id = sources.add(SourceFile::new(path.clone(), String::new()));
                diagnostics.push(Diagnostic::new(
                    codes::INVALID_COMPOSE,
                    id,
                    Span::point(0),
                    format!("cannot read env file `{}`: {e}", path.display()),
                ));
                continue;
            }
        };
        let (assignments, errors) = env_file::parse(source.text(), &env);
        let id = sources.add(source);
        for e in errors {
            diagnostics.push(
                Diagnostic::new(
                    codes::INVALID_COMPOSE,
                    id,
                    e.span,
                    format!("invalid env file line: {}", e.message),
                )
                .with_help("write `NAME=value`; quote values with spaces or `#`"),
            );
        }
        env_file::apply(&mut env, id, &assignments);
        reads.push(env_file::EnvFileRead {
            file: id,
            assignments,
            template: false,
        });
    }
    if env_files.is_empty() {
        if let Some((id, listed)) = documented_variables(sources, &default_env, &mut env, paths) {
            if dotenv_missing {
                diagnostics.push(dotenv_from_template(id, &listed));
            }
            reads.push(env_file::EnvFileRead {
                file: id,
                assignments: listed,
                template: true,
            });
        }
    }
    env.with_session();
    (env, diagnostics)
}

/// Adds the variables the template of the env file `path` lists, as set
/// with unknown values; the template's id and what it lists.
fn documented_variables(
    sources: &mut SourceMap,
    path: &Path,
    env: &mut Environment,
    paths: &crate::source::CanonicalPaths,
) -> Option<(FileId, Vec<env_file::Assignment>)> {
    let template = deploy_env::template_for(path, paths)?;
    let source = read_file(&template).ok()?;
    let (assignments, _) = env_file::parse(source.text(), env);
    let id = sources.add(source);
    env_file::apply_documented(env, id, &assignments);
    Some((id, assignments))
}

/// CM006 at the template of a `.env` that is created at deploy time, on the
/// first name it lists.
fn dotenv_from_template(template: FileId, listed: &[env_file::Assignment]) -> Diagnostic {
    let count = listed.len();
    let span = listed.first().map_or(Span::point(0), |a| a.name_span);
    Diagnostic::new(
        codes::ENV_FILE_NOT_IN_CHECKOUT,
        template,
        span,
        format!(
            "`.env` is not in the checkout: it is created at deploy time from this template, whose {count} variable{} are taken as set, values unknown (the template's are examples)",
            if count == 1 { "" } else { "s" }
        ),
    )
    .with_primary_label("the deployment sets these")
    .with_help("values that depend on these variables are not judged; lint with `--env-file` to judge a real configuration")
}
