//! What every rule file needs.

use crate::compose::interpolate::Resolution;
pub use crate::compose::model::{Limit, ResourceSetting};
pub use crate::compose::value::{ProjectVia, Spanned, Value, Via};
pub use crate::compose::Service;
pub use crate::diagnostic::{Diagnostic, Severity};
pub use crate::dockerfile::model::{AddSource, CopySource};
pub use crate::dockerfile::{Command, Dockerfile, Instruction, Kind, Stage, Word};
pub use crate::fix::{Edit, Fix};
pub use crate::project::{HealthField, Linked, Probe, ServiceView, Site};
pub use crate::rules::options::{ALLOWED_NAMES, EXEMPT_SERVICES, SECRET_NAMES};
pub use crate::rules::{
    ComposeRule, Context, DockerfileRule, DockerfileUnit, FixKind, Meta, RuleMeta,
};
pub use crate::secret::scan::{Found, Place};
pub use crate::secret::Why;
pub use crate::source::{FileId, Span};
use crate::yaml::YamlVia;

/// Secondary labels saying how a compose value got where it is.
pub trait WithProvenance: Sized {
    /// Adds a label for every indirection of `value`: a merge key or alias, a
    /// variable, an override file, `extends`, `include`.
    fn with_provenance(self, value: &Spanned<Value>) -> Self {
        self.with_via(value.file, &value.via)
    }

    /// Adds a label for every indirection in `via`, of a value written in `file`.
    fn with_via(self, file: FileId, via: &[Via]) -> Self;
}

impl WithProvenance for Diagnostic {
    fn with_via(mut self, file: FileId, vias: &[Via]) -> Self {
        for via in vias {
            self = match via {
                Via::Yaml(YamlVia::Merge { source, .. }) => {
                    self.with_label(file, *source, "inherited through this merge key")
                }
                Via::Yaml(YamlVia::Alias { name, span }) => {
                    self.with_label(file, *span, format!("through the alias `*{name}`"))
                }
                Via::Variable(u) => {
                    let text = match &u.resolution {
                        Resolution::Value { .. } => format!("the value of `{}`", u.name),
                        Resolution::Default => format!("the default for `{}`", u.name),
                        Resolution::Unset | Resolution::Required { .. } => {
                            format!("`{}` is not set", u.name)
                        }
                        Resolution::Unknown { .. } => {
                            format!("`{}` is set where it is deployed", u.name)
                        }
                    };
                    // a finding inside the substitution (its default) keeps
                    // the label off its own underline: `${NAME:-` carries it
                    let span = if file == self.file
                        && u.span.contains(self.span)
                        && u.span.start < self.span.start
                    {
                        Span::new(u.span.start, self.span.start)
                    } else {
                        u.span
                    };
                    self.with_label(file, span, text)
                }
                Via::Project(ProjectVia::Overrides { replaced }) => {
                    self.with_label(replaced.file, replaced.span, "overrides the value set here")
                }
                Via::Project(ProjectVia::Extends { at }) => {
                    self.with_label(at.file, at.span, "inherited through `extends`")
                }
                Via::Project(ProjectVia::Included { at }) => {
                    self.with_label(at.file, at.span, "imported by this `include`")
                }
                Via::Project(ProjectVia::MergedWith { .. }) => self,
            };
        }
        self
    }
}

/// A finding about something a service lacks, at its key (`web:`).
pub fn at_service(
    rule: &impl RuleMeta,
    svc: &Service<'_>,
    message: impl Into<String>,
) -> Diagnostic {
    rule.at(svc.key.file, svc.key.span, message)
}

/// Findings fixed by adding the same entries (`snippet`: YAML at indentation
/// 0, two-space steps) to their services, collected so that services
/// sharing an anchor are fixed together: when every service that merges an
/// anchor (`<<: *app`) is among them and nothing else uses it, the entries
/// go into the anchored mapping once; otherwise each service gets them in
/// its own mapping, in its file's style. No fix for a service that
/// `extends` another (fixing that one fixes both) or whose mapping cannot
/// take them for certain (see [`crate::fix::yaml`]).
pub struct AddToServices<'p> {
    description: &'static str,
    snippet: String,
    found: Vec<(Diagnostic, Service<'p>)>,
}

impl<'p> AddToServices<'p> {
    /// Collects findings whose fix adds `snippet`.
    pub fn new(description: &'static str, snippet: impl Into<String>) -> Self {
        AddToServices {
            description,
            snippet: snippet.into(),
            found: Vec::new(),
        }
    }

    /// The finding `d`, fixed by adding the entries to `svc`.
    pub fn push(&mut self, d: Diagnostic, svc: Service<'p>) {
        self.found.push((d, svc));
    }

    /// Gives each finding its fix and reports it.
    pub fn finish(self, project: &'p Linked, cx: &mut Context<'_>) {
        let shared = self.shared_anchors(project, cx);
        for (d, svc) in self.found {
            let text = cx.sources.get(svc.key.file).text();
            let edit = if extends(&svc) {
                None
            } else if let Some(e) =
                merged_anchor(text, &svc).and_then(|name| shared.get(&(svc.key.file, name)))
            {
                Some(e.clone())
            } else {
                crate::fix::yaml::insert_entries(text, svc.key, svc.def, &self.snippet)
            };
            let fix = edit.map(|e| Fix::risky(self.description, vec![e]));
            cx.push(d.with_fix(fix));
        }
    }

    /// The edit adding the entries to each anchor all of whose users are
    /// among the findings, by file and anchor name.
    fn shared_anchors(
        &self,
        project: &Linked,
        cx: &Context<'_>,
    ) -> rustc_hash::FxHashMap<(FileId, String), Edit> {
        let mut needing: rustc_hash::FxHashMap<(FileId, String), usize> = Default::default();
        for (_, svc) in self.found.iter().filter(|(_, s)| !extends(s)) {
            let text = cx.sources.get(svc.key.file).text();
            if let Some(name) = merged_anchor(text, svc) {
                *needing.entry((svc.key.file, name)).or_default() += 1;
            }
        }
        let mut out = rustc_hash::FxHashMap::default();
        if needing.is_empty() {
            return out;
        }
        let model = &project.compose.model;
        let mut users: rustc_hash::FxHashMap<(FileId, String), usize> = Default::default();
        for svc in model.services() {
            let text = cx.sources.get(svc.key.file).text();
            if let Some(name) = merged_anchor(text, &svc) {
                *users.entry((svc.key.file, name)).or_default() += 1;
            }
        }
        for ((file, name), n) in needing {
            let text = cx.sources.get(file).text();
            // every merge of it is a service needing the fix, and nothing
            // else refers to it
            if users.get(&(file, name.clone())) != Some(&n) || aliases(text, &name) != n {
                continue;
            }
            let anchored = model.top.items.iter().find(|i| {
                i.key.file == file && {
                    let end = i
                        .value
                        .span
                        .start
                        .max(crate::fix::line_end(text, i.key.span.end));
                    text.get(i.key.span.end..end)
                        .is_some_and(|between| aliases_in(between, '&', &name) == 1)
                }
            });
            let edit = anchored.and_then(|i| {
                crate::fix::yaml::insert_entries(text, &i.key, &i.value, &self.snippet)
            });
            if let Some(edit) = edit {
                out.insert((file, name), edit);
            }
        }
        out
    }
}

/// Whether `svc` inherits from another service through `extends`.
fn extends(svc: &Service<'_>) -> bool {
    svc.def.value.as_map().is_some_and(|m| {
        m.items.iter().any(|i| {
            i.value
                .via
                .iter()
                .any(|v| matches!(v, Via::Project(ProjectVia::Extends { .. })))
        })
    })
}

/// The anchor `svc` merges (`<<: *name`), when it merges exactly one.
fn merged_anchor(text: &str, svc: &Service<'_>) -> Option<String> {
    let mut name: Option<&str> = None;
    for item in &svc.def.value.as_map()?.items {
        for via in item.value.via.iter() {
            if let Via::Yaml(YamlVia::Merge { source, .. }) = via {
                let alias = text.get(source.start..source.end)?.strip_prefix('*')?;
                match name {
                    None => name = Some(alias),
                    Some(n) if n == alias => {}
                    Some(_) => return None,
                }
            }
        }
    }
    name.map(str::to_string)
}

/// How many times `*name` is written in `text`.
fn aliases(text: &str, name: &str) -> usize {
    aliases_in(text, '*', name)
}

/// How many times `sigil` then `name` (and then not more of a name) is
/// written in `text`.
fn aliases_in(text: &str, sigil: char, name: &str) -> usize {
    let needle = format!("{sigil}{name}");
    text.match_indices(&needle)
        .filter(|(i, _)| {
            text[i + needle.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || ",]}".contains(c))
        })
        .count()
}

/// `keyword` (`COPY`) in the case `written` is in: `copy` for `add`.
pub fn same_case(written: &str, keyword: &str) -> String {
    if written.chars().any(|c| c.is_ascii_uppercase()) {
        keyword.to_string()
    } else {
        keyword.to_ascii_lowercase()
    }
}

/// Where the characters of the scalar `value` start in its file, when it is
/// written literally there (plain, or quoted without escapes) and not
/// through a variable, alias or another file.
pub fn literal_start(cx: &Context<'_>, value: &Spanned<Value>) -> Option<usize> {
    if !value.via.is_empty() {
        return None;
    }
    let written = cx
        .sources
        .get(value.file)
        .text()
        .get(value.span.start..value.span.end)?;
    let content = match written.as_bytes().first() {
        Some(b'"' | b'\'') if written.len() >= 2 => &written[1..written.len() - 1],
        _ => written,
    };
    let literal = match &value.value {
        Value::Str(s) => content == s,
        Value::Int(n) => content == n.to_string(),
        _ => false,
    };
    literal.then(|| value.span.start + (written.len() - content.len()) / 2)
}

/// The finding for a service whose limit `setting` (a `what` such as
/// "memory limit") is missing, at its key, or set to a value that means no
/// limit (`pids_limit: -1`, `mem_limit: 0`), at that value. `None` when the
/// limit is real or the deployment decides it.
pub fn limit_finding(
    rule: &impl RuleMeta,
    svc: &Service<'_>,
    setting: &ResourceSetting,
    what: &str,
    label: &'static str,
    help: &'static str,
) -> Option<Diagnostic> {
    let d = match svc.limit(setting) {
        Limit::Set(_) | Limit::Unknown(_) => return None,
        Limit::Missing => at_service(rule, svc, format!("service `{}` has no {what}", svc.name())),
        Limit::Unlimited(v) => rule
            .at(
                v.file,
                v.span,
                format!(
                    "service `{}` sets its {what} to `{}`, which means no limit",
                    svc.name(),
                    v.value.to_env_string().unwrap_or_default()
                ),
            )
            .with_provenance(v),
    };
    Some(d.with_primary_label(label).with_help(help))
}

/// The image `svc` pulls, parsed: `None` when it builds one (`image:` then
/// names what is built), when a deploy-time variable decides it, or when it
/// does not parse (CM001's).
pub fn pulled_image<'a>(
    svc: &Service<'a>,
) -> Option<(&'a str, &'a Spanned<Value>, crate::image_ref::ImageRef)> {
    if svc.get("build").is_some() {
        return None;
    }
    let (image, value) = svc.image()?;
    if value.is_unknown() {
        return None;
    }
    let reference = crate::image_ref::ImageRef::parse(image).ok()?;
    Some((image, value, reference))
}

/// A finding of `rule` at `site`, with how a compose value got there.
pub fn at_site(rule: &impl RuleMeta, site: Site<'_>, message: impl Into<String>) -> Diagnostic {
    let d = rule.at(site.file(), site.span(), message);
    match site {
        Site::Compose(v) => d.with_provenance(v),
        Site::Image { .. } => d,
    }
}

/// A duration in nanoseconds as Go prints it: `1m30s`, `500ms`, `0s`.
pub fn go_duration(nanos: i128) -> String {
    crate::compose::canonical::go_duration(nanos)
}

/// The file span of `inner`, a range of `text`, where `text` is the string
/// value of `value` (see [`Span::part`]).
pub fn within(cx: &Context<'_>, value: &Spanned<Value>, text: &str, inner: Span) -> Span {
    let written = cx.sources.get(value.file).slice(value.span);
    value.span.part(written, text, inner.start..inner.end)
}

pub use crate::dockerfile::packages::PackageCommand;
pub use crate::dockerfile::run::{piped_into, RunCommand};
pub use crate::dockerfile::shell::ShellWord;

/// Where a stage starts: its `FROM` image word.
pub fn stage_from(df: &Dockerfile, stage: usize) -> Span {
    let from = &df.instructions[df.stages[stage].from];
    match &from.kind {
        Kind::From { image, .. } => image.span,
        _ => from.keyword.span,
    }
}

/// Whether the configuration exempts `svc` from `rule` (`exempt-services`),
/// as set for the file that defines the service.
pub fn exempt(cx: &Context<'_>, rule: &impl RuleMeta, svc: &ServiceView<'_>) -> bool {
    cx.option(rule, EXEMPT_SERVICES.name, svc.compose.key.file)
        .matches(svc.name())
}

/// How a message names the flag or variable a command-line secret is given
/// with: `--requirepass`, `PGPASSWORD=` in backticks; `-p of `mysql`` as is.
pub fn flag_name(flag: &str) -> String {
    if flag.contains(' ') {
        flag.to_string()
    } else {
        format!("`{flag}`")
    }
}

/// Whether `rule` reports the secret `found` (see `crate::secret::scan`):
/// not when the configuration allows its name (`allowed-names`); one found
/// by its name alone only when that name holds a secret by convention or by
/// this rule's `secret-names` (another rule's may have found it). A secret
/// on a command line is judged by its shape, not its flag's name.
pub fn reports_secret(cx: &Context<'_>, rule: &impl RuleMeta, found: &Found) -> bool {
    let command_line = found.place.is_command_line();
    let by_name = matches!(found.why, Why::Named | Why::Placeholder) && !command_line;
    // `--requirepass`, `PGPASSWORD=`: allowed as `REQUIREPASS`, `PGPASSWORD`
    let name = if command_line {
        found.name.trim_start_matches('-').trim_end_matches('=')
    } else {
        &found.name
    };
    match secret_name(cx, rule, found.file, name) {
        None => false,
        Some(named) => named || !by_name,
    }
}

/// The finding of `rule` for the secret `found`: at the secret, labelled as
/// masked, with how the value got there. In a development file a secret
/// found by its name or in a URL is info (a local stack's stand-in password
/// is how such files are written); a credential format stays what it is.
pub fn secret_at(rule: &impl RuleMeta, found: &Found, message: String) -> Diagnostic {
    let d = rule
        .at(found.file, found.span, message)
        .with_primary_label("secret value (masked)")
        .with_mask(found.file, found.span)
        .with_via(found.file, &found.via);
    match found.why {
        Why::Format(_) => d,
        Why::Named | Why::Placeholder | Why::UrlPassword | Why::UrlPlaceholder => {
            d.in_development(Severity::Info)
        }
    }
}

/// A secret finding's message: `{subject} sets `NAME` to a literal secret
/// {place}`, saying when it is a placeholder that ships if nobody replaces it.
pub fn secret_message(subject: &str, name: &str, why: Why, place: &str) -> String {
    match why {
        Why::Placeholder => format!(
            "{subject} sets `{name}` to a placeholder secret {place}, which ships if nobody replaces it"
        ),
        Why::UrlPassword => format!("{subject} puts a password in the URL of `{name}` {place}"),
        Why::UrlPlaceholder => format!(
            "{subject} puts a placeholder password in the URL of `{name}` {place}, which ships if nobody replaces it"
        ),
        other => format!("{subject} sets `{name}` to {} {place}", other.describe()),
    }
}

/// How a variable of `file` named `name` is judged by a secret rule: `None`
/// when the configuration allows it (`allowed-names`), else whether its name
/// holds a secret by convention or by the rule's `secret-names`.
pub fn secret_name(
    cx: &Context<'_>,
    rule: &impl RuleMeta,
    file: FileId,
    name: &str,
) -> Option<bool> {
    if cx.option(rule, ALLOWED_NAMES.name, file).matches(name) {
        return None;
    }
    Some(
        crate::secret::is_secret_name(name)
            || cx.option(rule, SECRET_NAMES.name, file).matches(name),
    )
}
