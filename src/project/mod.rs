//! A compose project linked to the Dockerfiles its services build, so rules can
//! judge a service whole: its compose definition and the stage of the
//! Dockerfile it runs.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use crate::compose::value::{Spanned, Value};
use crate::compose::{Project, Service};
use crate::diagnostic::{codes, Diagnostic};
use crate::dockerfile::{self, BuildArgs, Dockerfile, Instruction, Kind};
use crate::source::{Buffers, FileId, SourceFile, SourceMap, Span};

pub mod effective;
pub use effective::{Health, HealthField, Pid1, Probe, Site};

/// A Dockerfile some service builds, loaded with that service's build arguments.
#[derive(Debug)]
pub struct LinkedDockerfile {
    /// The model.
    pub dockerfile: Dockerfile,
    /// For `dockerfile_inline`: where its text sits in the compose file.
    pub inline: Option<InlineText>,
    /// The services building it, in project order.
    pub services: Vec<String>,
    /// The build contexts it is built with, once each.
    pub contexts: Vec<BuildContext>,
}

/// A directory a Dockerfile is built from, and what filters it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildContext {
    /// The context directory.
    pub dir: PathBuf,
    /// The Dockerfile's path, when it is a file (not `dockerfile_inline`).
    dockerfile: Option<PathBuf>,
    /// Where compose sets it (`build.context`), when a service does.
    pub at: Option<(FileId, Span)>,
    /// [`Self::ignore_file`], looked up on first use.
    ignore_file: std::cell::OnceCell<Option<PathBuf>>,
}

impl BuildContext {
    /// The context `dir` of the Dockerfile at `dockerfile` (`None` for a
    /// `dockerfile_inline`), set in compose at `at`.
    pub fn new(
        dir: PathBuf,
        dockerfile: Option<&std::path::Path>,
        at: Option<(FileId, Span)>,
    ) -> Self {
        BuildContext {
            dir,
            dockerfile: dockerfile.map(std::path::Path::to_path_buf),
            at,
            ignore_file: std::cell::OnceCell::new(),
        }
    }

    /// The ignore file that applies: `<Dockerfile name>.dockerignore` beside
    /// the Dockerfile, else `.dockerignore` at the context's root (BuildKit),
    /// else `.containerignore` there (Podman, Buildah).
    /// Looked up on disk the first time it is asked for.
    pub fn ignore_file(&self) -> Option<&std::path::Path> {
        self.ignore_file
            .get_or_init(|| {
                let beside = self.dockerfile.as_deref().and_then(|d| {
                    let name = d.file_name()?.to_str()?;
                    Some(d.with_file_name(format!("{name}.dockerignore")))
                });
                // Podman and Buildah read `.containerignore` too
                beside
                    .into_iter()
                    .chain([
                        self.dir.join(".dockerignore"),
                        self.dir.join(".containerignore"),
                    ])
                    .find(|p| p.is_file())
            })
            .as_deref()
    }
}

/// The text of a `dockerfile_inline` and how its offsets map into the compose file.
#[derive(Debug, Clone)]
pub struct InlineText {
    /// The compose file holding it.
    pub file: FileId,
    /// The whole YAML value.
    pub span: Span,
    /// `(offset in the inline text, offset in the compose file)` per line,
    /// when the value is a literal block written without escapes.
    lines: Vec<(usize, usize)>,
}

impl InlineText {
    /// The compose-file span of `span` in the inline text (the whole value when
    /// lines cannot be mapped exactly).
    pub fn map(&self, span: Span) -> Span {
        let at = |offset: usize| {
            let i = self.lines.partition_point(|&(inline, _)| inline <= offset);
            let (inline, file) = self.lines[i.saturating_sub(1)];
            (file + offset - inline).min(self.span.end)
        };
        if self.lines.is_empty() {
            return self.span;
        }
        Span::new(at(span.start), at(span.end).max(at(span.start)))
    }
}

/// Which Dockerfile and stage a service runs.
#[derive(Debug, Clone, Copy)]
pub struct Build {
    /// Index into [`Linked::dockerfiles`].
    pub dockerfile: usize,
    /// The stage built: `build.target`, else the final stage.
    pub stage: usize,
}

/// A compose project with its services' Dockerfiles.
#[derive(Debug)]
pub struct Linked {
    /// The merged compose project.
    pub compose: Project,
    /// Every Dockerfile built, once per distinct file and build arguments.
    pub dockerfiles: Vec<LinkedDockerfile>,
    /// The build of each service that builds a local Dockerfile.
    pub builds: BTreeMap<String, Build>,
    /// Problems linking: a missing Dockerfile or target, Dockerfile syntax errors.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether the configuration marks the project as a Swarm stack
    /// (`stacks:`), deployed with `docker stack deploy`.
    pub stack: bool,
    /// Services another waits for with `service_completed_successfully`.
    one_shot: BTreeSet<String>,
    /// Where each service is written, for lookups by name.
    positions: HashMap<String, usize>,
}

/// A service seen whole: its compose definition and what it builds.
#[derive(Debug, Clone, Copy)]
pub struct ServiceView<'a> {
    /// The compose definition (merged).
    pub compose: Service<'a>,
    /// The Dockerfile and stage it builds, when it builds a local one.
    pub build: Option<(&'a Dockerfile, usize)>,
}

impl<'a> ServiceView<'a> {
    /// The service name.
    pub fn name(&self) -> &'a str {
        self.compose.name()
    }

    /// The last instruction matching `pred` that the built image inherits.
    pub fn image_instruction(&self, pred: impl Fn(&Kind) -> bool) -> Option<&'a Instruction> {
        let (df, stage) = self.build?;
        df.inherited(stage, pred)
    }

    /// The built image's `USER`, if it sets one.
    pub fn image_user(&self) -> Option<&'a Instruction> {
        self.image_instruction(|k| matches!(k, Kind::User(_)))
    }

    /// The built image's `HEALTHCHECK` (including `HEALTHCHECK NONE`), if any.
    pub fn image_healthcheck(&self) -> Option<&'a Instruction> {
        self.image_instruction(|k| matches!(k, Kind::Healthcheck(_)))
    }

    /// Whether it builds the final stage of its Dockerfile.
    pub fn builds_final_stage(&self) -> bool {
        self.build
            .is_some_and(|(df, stage)| df.stages.len() == stage + 1)
    }
}

impl Linked {
    /// Every service, in file order.
    pub fn services(&self) -> impl Iterator<Item = ServiceView<'_>> {
        self.compose.model.services().map(|s| self.view(s))
    }

    /// The service named `name`.
    pub fn service(&self, name: &str) -> Option<ServiceView<'_>> {
        let position = *self.positions.get(name)?;
        self.compose
            .model
            .service_at(position)
            .map(|s| self.view(s))
    }

    fn view<'a>(&'a self, compose: Service<'a>) -> ServiceView<'a> {
        let build = self
            .builds
            .get(compose.name())
            .map(|b| (&self.dockerfiles[b.dockerfile].dockerfile, b.stage));
        ServiceView { compose, build }
    }

    /// Whether `svc` is deployed as a Swarm service: the project is a stack,
    /// or its `deploy` sets what only Swarm reads as a deployment
    /// (`replicas`, `mode`, `update_config`, `rollback_config`).
    pub fn is_swarm_service(&self, svc: &Service<'_>) -> bool {
        self.stack
            || ["replicas", "mode", "update_config", "rollback_config"]
                .iter()
                .any(|k| svc.path(&["deploy", k]).is_some())
    }

    /// Whether `name` is a one-shot job, meant to exit: another service
    /// waits for it with `condition: service_completed_successfully`, or its
    /// restart policy never restarts it (`restart: "no"`,
    /// `deploy.restart_policy.condition: none`).
    pub fn is_one_shot(&self, name: &str) -> bool {
        self.one_shot.contains(name)
            || self
                .compose
                .model
                .service(name)
                .is_some_and(|s| s.runs_to_completion())
    }
}

/// The Dockerfile `svc` builds from disk, and the value naming it: its
/// `build.dockerfile` resolved against the context, else the context's
/// `Dockerfile`. `None` for a remote context, a `dockerfile_inline`, or a
/// `dockerfile:` that is not a string.
pub fn built_dockerfile<'a>(
    compose: &Project,
    svc: &Service<'a>,
) -> Option<(PathBuf, &'a Spanned<Value>)> {
    let (context, context_value) = svc.build_context()?;
    if is_remote_context(context) || svc.build_field("dockerfile_inline").is_some() {
        return None;
    }
    let dir = compose.resolve_path(context_value.file, context);
    match svc.build_field("dockerfile") {
        Some(d) => Some((
            crate::compose::project::resolve_against(&dir, d.value.as_str()?),
            d,
        )),
        None => Some((dir.join("Dockerfile"), context_value)),
    }
}

/// Whether a build context is fetched rather than read from disk.
fn is_remote_context(context: &str) -> bool {
    context.contains("://")
        || context.starts_with("git@")
        || context.starts_with("github.com/")
        || context.ends_with(".git")
}

/// Links every service of `compose` that builds a local Dockerfile, loading
/// each Dockerfile into `sources` with the service's build arguments.
pub fn link(sources: &mut SourceMap, compose: Project, buffers: &Buffers) -> Linked {
    let one_shot = compose
        .model
        .services()
        .flat_map(|s| s.depends_on())
        .filter(|d| d.condition == "service_completed_successfully")
        .map(|d| d.service)
        .collect();
    let positions = compose.model.service_positions();
    let mut linked = Linked {
        compose,
        dockerfiles: Vec::new(),
        builds: BTreeMap::new(),
        diagnostics: Vec::new(),
        stack: false,
        one_shot,
        positions,
    };
    let mut files: BTreeMap<PathBuf, FileId> = BTreeMap::new();
    // (file, build arguments) of each entry of `dockerfiles`
    let mut loaded: Vec<(FileId, BuildArgs)> = Vec::new();
    let mut links = Vec::new();
    for svc in linked.compose.model.services() {
        let Some((context, context_value)) = svc.build_context() else {
            continue;
        };
        if is_remote_context(context) {
            continue;
        }
        let args = build_args(&linked.compose, &svc);
        let context_dir = linked.compose.resolve_path(context_value.file, context);
        let context_at = Some((context_value.file, context_value.span));
        let (file, inline) = if let Some(inline) = svc.build_field("dockerfile_inline") {
            let Some(text) = inline.value.as_str() else {
                continue;
            };
            let path = format!(
                "{}#services.{}.build.dockerfile_inline",
                sources.get(inline.file).path().display(),
                svc.name()
            );
            let id = sources.add(SourceFile::new(path, text.to_string()));
            let inline_text = InlineText {
                file: inline.file,
                span: inline.span,
                lines: inline_lines(sources.get(inline.file).text(), inline.span, text)
                    .unwrap_or_default(),
            };
            (id, Some(inline_text))
        } else {
            let Some((path, at)) = built_dockerfile(&linked.compose, &svc) else {
                continue;
            };
            let id = match files.get(&path) {
                Some(id) => *id,
                None => match buffers.read(&path) {
                    Ok(source) => {
                        let id = sources.add(source);
                        files.insert(path, id);
                        id
                    }
                    Err(e) => {
                        let referrer = sources.get(at.file).path();
                        linked
                            .diagnostics
                            .push(missing_dockerfile(&svc, at, &path, referrer, &e));
                        continue;
                    }
                },
            };
            (id, None)
        };
        let dockerfile_path = inline
            .is_none()
            .then(|| sources.get(file).path().to_path_buf());
        let build_context = BuildContext::new(context_dir, dockerfile_path.as_deref(), context_at);
        let index = match loaded.iter().position(|(f, a)| *f == file && *a == args) {
            Some(i) => i,
            None => {
                let df = dockerfile::load(sources, file, &args);
                linked.diagnostics.extend(df.diagnostics);
                linked.dockerfiles.push(LinkedDockerfile {
                    dockerfile: df.dockerfile,
                    inline,
                    services: Vec::new(),
                    contexts: Vec::new(),
                });
                loaded.push((file, args));
                loaded.len() - 1
            }
        };
        let contexts = &mut linked.dockerfiles[index].contexts;
        if !contexts.iter().any(|c| c.dir == build_context.dir) {
            contexts.push(build_context);
        }
        links.push((svc.name().to_string(), index, svc.build_field("target")));
    }
    for (name, index, target) in links {
        let linked_df = &mut linked.dockerfiles[index];
        let df = &linked_df.dockerfile;
        let stage = match target {
            None => df.stages.len().checked_sub(1),
            Some(t) => match t.value.as_str() {
                Some(stage_name) => {
                    let found = df.stage_named(stage_name).map(|s| s.index);
                    if found.is_none() && !df.stages.is_empty() {
                        linked.diagnostics.push(
                            Diagnostic::new(
                                codes::UNDEFINED_REFERENCE,
                                t.file,
                                t.span,
                                format!(
                                    "service `{name}` builds stage `{stage_name}`, which the Dockerfile does not define"
                                ),
                            )
                            .with_primary_label("no such stage")
                            .with_help("name an existing stage (`FROM image AS name`) or remove `target`"),
                        );
                    }
                    found
                }
                None => None,
            },
        };
        if let Some(stage) = stage {
            linked_df.services.push(name.clone());
            linked.builds.insert(
                name,
                Build {
                    dockerfile: index,
                    stage,
                },
            );
        }
    }
    let mut diagnostics = std::mem::take(&mut linked.diagnostics);
    linked.remap_inline(&mut diagnostics);
    linked.diagnostics = diagnostics;
    linked
}

impl Linked {
    /// Moves findings in the text of a `dockerfile_inline` to the compose file
    /// that holds it.
    pub fn remap_inline(&self, diagnostics: &mut [Diagnostic]) {
        for linked in &self.dockerfiles {
            let Some(map) = &linked.inline else { continue };
            let inline_file = linked.dockerfile.file;
            for d in diagnostics.iter_mut() {
                if d.file == inline_file {
                    d.file = map.file;
                    d.span = map.map(d.span);
                }
                for l in &mut d.labels {
                    if l.file == inline_file {
                        l.file = map.file;
                        l.span = map.map(l.span);
                    }
                }
                for (file, span) in &mut d.masks {
                    if *file == inline_file {
                        *file = map.file;
                        *span = map.map(*span);
                    }
                }
            }
        }
    }
}

/// The build arguments a service passes: written (unknown when built from a
/// variable lint time cannot know), or for a bare `NAME` the project
/// variable's value (unknown when only a template documents it; not passed
/// when it is unset, as Compose drops it).
fn build_args(project: &Project, svc: &Service<'_>) -> BuildArgs {
    svc.build_args()
        .into_iter()
        .filter_map(|a| {
            let value = match a.value {
                Some(_) if a.source.is_unknown() => None,
                Some(v) => Some(v),
                None => match project.env.get(&a.name) {
                    Some(v) if v.is_known() => Some(v.value.clone()),
                    Some(_) => None,
                    None => return None,
                },
            };
            Some((a.name, value))
        })
        .collect()
}

fn missing_dockerfile(
    svc: &Service<'_>,
    at: &Spanned<Value>,
    path: &std::path::Path,
    referrer: &std::path::Path,
    error: &std::io::Error,
) -> Diagnostic {
    // named relative to the compose file when below its directory
    let shown = referrer
        .parent()
        .and_then(|d| path.strip_prefix(d).ok())
        .unwrap_or(path);
    Diagnostic::new(
        codes::UNDEFINED_REFERENCE,
        at.file,
        at.span,
        format!(
            "service `{}` builds `{}`, which cannot be read",
            svc.name(),
            shown.display()
        ),
    )
    .with_primary_label(error.to_string())
    .with_help("point `build.context`/`build.dockerfile` at an existing Dockerfile")
}

/// For a literal block scalar (`|`) at `span` whose lines, unindented, are
/// exactly `content`: where each content line starts in the file. The span
/// may start at the `|` header or at the first content character.
fn inline_lines(file_text: &str, span: Span, content: &str) -> Option<Vec<(usize, usize)>> {
    let raw = file_text.get(span.start..span.end)?;
    let (body_start, indent, first_indented) = if raw.starts_with('|') {
        let body_start = span.start + raw.find('\n')? + 1;
        let body = file_text.get(body_start..span.end)?;
        let first = body.lines().find(|l| !l.trim().is_empty())?;
        (
            body_start,
            first.len() - first.trim_start_matches(' ').len(),
            true,
        )
    } else {
        let line_start = file_text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let before = &file_text[line_start..span.start];
        if !before.bytes().all(|b| b == b' ') {
            return None;
        }
        (span.start, before.len(), false)
    };
    let body = file_text.get(body_start..span.end)?;
    let mut lines = Vec::new();
    let mut rebuilt = String::new();
    let mut offset = body_start;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let strip = if i == 0 && !first_indented {
            0
        } else {
            spaces.min(indent)
        };
        lines.push((rebuilt.len(), offset + strip));
        rebuilt.push_str(&line[strip..]);
        offset += line.len();
    }
    (rebuilt.trim_end_matches('\n') == content.trim_end_matches('\n')).then_some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_dockerfile_lines_map_into_the_compose_file() {
        let yaml = "x:\n  y: |\n    FROM a\n    USER b\n";
        let start = yaml.find('|').unwrap();
        let span = Span::new(start, yaml.len());
        let lines = inline_lines(yaml, span, "FROM a\nUSER b\n").unwrap();
        let map = InlineText {
            file: FileId(0),
            span,
            lines,
        };
        let user = map.map(Span::new(7, 11));
        assert_eq!(&yaml[user.start..user.end], "USER");
        assert!(inline_lines(yaml, span, "FROM other\n").is_none());
    }
}
