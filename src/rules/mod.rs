//! The rule registry: every rule's metadata and check, in one list.
//!
//! A rule is a unit struct declared with [`declare_rule!`] in its own file
//! under `yaml/`, `compose/` or `dockerfile/`, next to its tests; its manual is
//! `rules/<CODE>-<name>.md`, compiled in. Rules return [`Diagnostic`]s and
//! never render.

use crate::diagnostic::{codes, Code, Diagnostic, Severity};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::project::{Linked, ServiceView};
use crate::secret::scan::Found;
use crate::source::{FileId, SourceMap, Span};
pub use options::{NamePatterns, OptionsByFile, RuleOptions};
pub use selection::Selection;

/// Declares a rule: a unit struct with its [`Meta`], manual included.
macro_rules! declare_rule {
    (
        $(#[$doc:meta])*
        pub $ty:ident {
            code: $code:literal, name: $name:literal,
            category: $cat:ident, severity: $sev:ident, fix: FixKind::$fix:ident, since: $since:literal
            $(, also: [$($also:ident),* $(,)?])?
            $(, opt_in: $opt_in:literal)?
            $(, hadolint: [$($h:literal),* $(,)?])?
            $(, compose_lint: [$($cl:literal),* $(,)?])?
            $(, kics: [$($kics:literal),* $(,)?])?
            $(, dclint: [$($dclint:literal),* $(,)?])?
            $(, security_severity: $score:literal)?
            $(, options: [$($opt:ident),* $(,)?])? $(,)?
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $ty;

        impl $ty {
            /// The rule's metadata.
            pub const META: $crate::rules::Meta = $crate::rules::Meta {
                code: $code,
                name: $name,
                category: $crate::rules::Category::$cat,
                severity: $crate::diagnostic::Severity::$sev,
                also: &[$($($crate::diagnostic::Severity::$also),*)?],
                fix: $crate::rules::FixKind::$fix,
                since: $since,
                opt_in: false $(|| $opt_in)?,
                hadolint: &[$($($h),*)?],
                compose_lint: &[$($($cl),*)?],
                kics: &[$($($kics),*)?],
                dclint: &[$($($dclint),*)?],
                security_severity: [$(Some($score),)? None][0],
                options: &[$($($crate::rules::options::$opt),*)?],
                manual: include_str!(concat!(
                    env!("CARGO_MANIFEST_DIR"), "/rules/", $code, "-", $name, ".md"
                )),
            };
        }

        impl $crate::rules::RuleMeta for $ty {
            fn meta(&self) -> &'static $crate::rules::Meta {
                &Self::META
            }
        }
    };
}

pub mod compose;
pub mod dockerfile;
pub mod hardening;
pub mod options;
pub mod prelude;
pub mod seaworthy;
pub mod selection;
pub mod shared;
#[cfg(test)]
pub mod testing;
pub mod yaml;

/// What a rule is about; the hundreds of its code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Input that cannot be read or is invalid (`0xx`).
    Input,
    /// Keeps running and recovers (`1xx`).
    Reliability,
    /// Bounded CPU, memory and processes (`2xx`).
    Resources,
    /// Logs and signals an operator needs (`3xx`).
    Observability,
    /// Privileges, secrets and supply chain (`4xx`).
    Security,
}

impl Category {
    /// Whether its rules judge readiness for production (`1xx`–`3xx`):
    /// development files are spared them.
    pub fn is_production_readiness(self) -> bool {
        matches!(
            self,
            Category::Reliability | Category::Resources | Category::Observability
        )
    }

    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Input => "input",
            Category::Reliability => "reliability",
            Category::Resources => "resources",
            Category::Observability => "observability",
            Category::Security => "security",
        }
    }
}

/// Whether a rule can fix what it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixKind {
    /// No automatic fix.
    None,
    /// Fixes that change nothing beyond the finding (`--fix`).
    Safe,
    /// Fixes that change behaviour on purpose (`--fix --unsafe-fixes`).
    Unsafe,
}

impl FixKind {
    /// `safe`, `unsafe` or `no`, as `rules` prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            FixKind::None => "no",
            FixKind::Safe => "safe",
            FixKind::Unsafe => "unsafe",
        }
    }
}

/// A rule's metadata, declared once next to its check.
#[derive(Debug)]
pub struct Meta {
    /// Permanent code, e.g. `CM101`.
    pub code: &'static str,
    /// Kebab-case name of the problem, e.g. `healthcheck-missing`.
    pub name: &'static str,
    /// Category.
    pub category: Category,
    /// Severity unless configured otherwise.
    pub severity: Severity,
    /// Other severities some of its findings have by default (CM401: a
    /// literal `user: root` is an error); configuring a severity sets all.
    pub also: &'static [Severity],
    /// Automatic fix.
    pub fix: FixKind,
    /// The version that introduced it.
    pub since: &'static str,
    /// Off unless selected by code, name or `ALL`: hardening advice a team
    /// adopts on purpose.
    pub opt_in: bool,
    /// hadolint codes it corresponds to (honoured in `# hadolint ignore=`).
    pub hadolint: &'static [&'static str],
    /// compose-lint rule ids it covers (`CL-0001`); like hadolint codes,
    /// they select, ignore, suppress and explain it.
    pub compose_lint: &'static [&'static str],
    /// KICS Docker Compose queries it covers.
    pub kics: &'static [&'static str],
    /// dclint rules it covers.
    pub dclint: &'static [&'static str],
    /// GitHub code scanning's 0–10 score (`"9.0"`), for security rules:
    /// SARIF's `security-severity`.
    pub security_severity: Option<&'static str>,
    /// Options it accepts in the configuration.
    pub options: &'static [options::OptionMeta],
    /// The Markdown manual.
    pub manual: &'static str,
}

impl Meta {
    /// The code triple diagnostics are built from.
    pub const fn code(&self) -> Code {
        Code {
            code: self.code,
            name: self.name,
            severity: self.severity,
        }
    }

    /// Its default severity, then the other severities some of its findings
    /// have (`warning/error`), with `, opt-in` for an opt-in rule: how
    /// `rules` and the manuals' index show it.
    pub fn severities_shown(&self) -> String {
        let mut shown = self.severity.as_str().to_string();
        for s in self.also {
            shown.push('/');
            shown.push_str(s.as_str());
        }
        if self.opt_in {
            shown.push_str(", opt-in");
        }
        shown
    }

    /// The first line of the manual after its title: what the rule checks.
    pub fn summary(&self) -> &'static str {
        self.manual
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
    }
}

/// Access to a rule's metadata and a way to start a finding.
pub trait RuleMeta {
    /// The metadata.
    fn meta(&self) -> &'static Meta;

    /// A finding of this rule at `span` of `file`.
    fn at(&self, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic
    where
        Self: Sized,
    {
        Diagnostic::new(self.meta().code(), file, span, message)
    }
}

/// A rule over a compose project, its services seen whole.
pub trait ComposeRule: RuleMeta + Sync {
    /// Reports every problem in `project`.
    fn check(&self, project: &Linked, cx: &mut Context<'_>);
}

/// A Dockerfile and the compose services that build it (none when linted alone).
#[derive(Debug)]
pub struct DockerfileUnit<'a> {
    /// The Dockerfile.
    pub dockerfile: &'a Dockerfile,
    /// Services building it, with the stage each builds.
    pub services: Vec<ServiceView<'a>>,
    /// The build contexts it is built with: the services' `build.context`,
    /// or for a Dockerfile linted alone its own directory. Empty when
    /// unknown (standard input).
    pub contexts: &'a [crate::project::BuildContext],
    /// [`Self::image_stages`], computed once.
    image_stages: std::cell::OnceCell<Vec<usize>>,
}

impl<'a> DockerfileUnit<'a> {
    /// The unit of `dockerfile`, built by `services` from `contexts`.
    pub fn new(
        dockerfile: &'a Dockerfile,
        services: Vec<ServiceView<'a>>,
        contexts: &'a [crate::project::BuildContext],
    ) -> Self {
        DockerfileUnit {
            dockerfile,
            services,
            contexts,
            image_stages: std::cell::OnceCell::new(),
        }
    }

    /// Every simple command the `RUN` instructions run, in order (see
    /// [`crate::dockerfile::run::run_commands`]); tokenized once.
    pub fn commands(&self, cx: &Context<'_>) -> &[crate::dockerfile::run::RunCommand] {
        self.dockerfile
            .run_commands(cx.sources.get(self.dockerfile.file).text())
    }
}

impl DockerfileUnit<'_> {
    /// The stages whose image is run: each stage a service builds (its
    /// `build.target`, else the final stage), or the final stage when no
    /// service builds the file; sorted, once each.
    pub fn run_stages(&self) -> Vec<usize> {
        let mut stages: Vec<usize> = self
            .services
            .iter()
            .filter_map(|s| s.build.map(|(_, stage)| stage))
            .collect();
        if stages.is_empty() {
            stages.extend(self.dockerfile.stages.len().checked_sub(1));
        }
        stages.sort_unstable();
        stages.dedup();
        stages
    }

    /// The stages an image that is run inherits: the run stages and the
    /// stages they build on (`FROM <stage>`); sorted, once each. A builder
    /// stage's `ENV` and `ARG` never reach the image.
    pub fn run_chain(&self) -> Vec<usize> {
        let df = self.dockerfile;
        let mut stages: Vec<usize> = self
            .run_stages()
            .into_iter()
            .flat_map(|s| df.stage_chain(s))
            .collect();
        stages.sort_unstable();
        stages.dedup();
        stages
    }

    /// The stages whose file system ends up in an image that is run: the
    /// stages of [`Self::run_chain`] and those whose whole file system they
    /// copy (`COPY --from=stage / /`). What a builder stage leaves behind
    /// weighs nothing in the image.
    pub fn image_stages(&self) -> &[usize] {
        self.image_stages
            .get_or_init(|| self.dockerfile.image_stages(&self.run_stages()))
    }

    /// The instructions of the stages of [`Self::run_chain`].
    pub fn run_instructions(&self) -> Vec<&Instruction> {
        let df = self.dockerfile;
        self.run_chain()
            .into_iter()
            .flat_map(|s| df.stage_instructions(&df.stages[s]))
            .collect()
    }

    /// Whether the final stage's image is never run as built: services build
    /// it, and every service building the final stage overrides what the
    /// finding is about (`overrides`). A finding such services override is
    /// not reported at the Dockerfile.
    pub fn final_stage_overridden(&self, overrides: impl Fn(&ServiceView<'_>) -> bool) -> bool {
        let mut building = self
            .services
            .iter()
            .filter(|s| s.builds_final_stage())
            .peekable();
        building.peek().is_some() && building.all(overrides)
    }
}

/// A rule over one Dockerfile.
pub trait DockerfileRule: RuleMeta + Sync {
    /// Reports every problem in `unit`.
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>);
}

/// How a rule runs.
#[derive(Clone, Copy)]
pub enum Check {
    /// Reported while loading input (the loaders use [`codes`]).
    Load(Code),
    /// Over each compose project.
    Compose(&'static dyn ComposeRule),
    /// Over each Dockerfile.
    Dockerfile(&'static dyn DockerfileRule),
}

/// One registered rule.
#[derive(Clone, Copy)]
pub struct Rule {
    /// Its metadata.
    pub meta: &'static Meta,
    /// Its check.
    pub check: Check,
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.meta.code)
    }
}

/// Where findings go while rules run.
#[derive(Debug)]
pub struct Context<'a> {
    /// Every file loaded, for rules that read source text.
    pub sources: &'a SourceMap,
    /// Every secret written in the files checked (`crate::secret::scan`).
    pub secrets: &'a [Found],
    options: &'a OptionsByFile,
    diagnostics: Vec<Diagnostic>,
    overridden: Vec<&'static str>,
}

impl<'a> Context<'a> {
    /// An empty context over `sources`, with the options configured per file
    /// and the secrets found in the files.
    pub fn new(sources: &'a SourceMap, options: &'a OptionsByFile, secrets: &'a [Found]) -> Self {
        Context {
            sources,
            secrets,
            options,
            diagnostics: Vec::new(),
            overridden: Vec::new(),
        }
    }

    /// The patterns configured for `option` of `rule` where `file` is
    /// concerned (empty when not set).
    pub fn option(
        &self,
        rule: &impl RuleMeta,
        option: &'static str,
        file: FileId,
    ) -> &NamePatterns {
        self.options.get(file).get(rule.meta().code, option)
    }

    /// Records a finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Records every finding of `found`.
    pub fn extend(&mut self, found: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(found);
    }

    /// Records that `rule` found a problem in a Dockerfile that every service
    /// building it overrides, so it was not reported.
    pub fn overridden(&mut self, rule: &Meta) {
        self.overridden.push(rule.code);
    }

    /// The findings and the codes of findings left unreported as overridden.
    pub fn finish(self) -> (Vec<Diagnostic>, Vec<&'static str>) {
        (self.diagnostics, self.overridden)
    }
}

/// Lists rules: `register_rules!(Load YamlSyntax => codes::YAML_SYNTAX, Compose HealthcheckMissing, …)`.
macro_rules! register_rules {
    ($( $kind:ident $ty:path $(=> $code:expr)? ),* $(,)?) => {
        /// Every rule, in code order.
        pub static RULES: &[Rule] = &[
            $( register_rules!(@one $kind $ty $(, $code)?) ),*
        ];
    };
    (@one Load $ty:path, $code:expr) => {
        Rule { meta: &<$ty>::META, check: Check::Load($code) }
    };
    (@one Compose $ty:path) => {
        Rule { meta: &<$ty>::META, check: Check::Compose(&$ty) }
    };
    (@one Dockerfile $ty:path) => {
        Rule { meta: &<$ty>::META, check: Check::Dockerfile(&$ty) }
    };
}

register_rules! {
    Load yaml::ym001_yaml_syntax::YamlSyntax => codes::YAML_SYNTAX,
    Load yaml::ym002_duplicate_key::DuplicateKey => codes::DUPLICATE_KEY,
    Load yaml::ym003_undefined_alias::UndefinedAlias => codes::UNDEFINED_ALIAS,
    Load compose::cm001_invalid_compose::InvalidCompose => codes::INVALID_COMPOSE,
    Load compose::cm002_undefined_reference::UndefinedReference => codes::UNDEFINED_REFERENCE,
    Load compose::cm003_unset_variable::UnsetVariable => codes::UNSET_VARIABLE,
    Load compose::cm004_obsolete_version::ObsoleteVersion => codes::OBSOLETE_VERSION,
    Load compose::cm005_fragment_without_base::FragmentWithoutBase => codes::FRAGMENT_WITHOUT_BASE,
    Load compose::cm006_env_file_not_in_checkout::EnvFileNotInCheckout => codes::ENV_FILE_NOT_IN_CHECKOUT,
    Load compose::cm007_judged_as_development::JudgedAsDevelopment => codes::JUDGED_AS_DEVELOPMENT,
    Compose compose::cm101_healthcheck_missing::HealthcheckMissing,
    Compose compose::cm102_healthcheck_curl_without_fail::HealthcheckCurlWithoutFail,
    Compose compose::cm103_restart_policy_missing::RestartPolicyMissing,
    Compose compose::cm104_depends_on_unhealthy::DependsOnUnhealthy,
    Compose compose::cm105_healthcheck_start_period_missing::HealthcheckStartPeriodMissing,
    Compose compose::cm106_healthcheck_timing_unsafe::HealthcheckTimingUnsafe,
    Compose compose::cm107_init_missing::InitMissing,
    Compose compose::cm108_stop_grace_period_short::StopGracePeriodShort,
    Compose compose::cm110_rolling_update_unsafe::RollingUpdateUnsafe,
    Compose compose::cm111_single_replica::SingleReplica,
    Compose compose::cm201_memory_limit_missing::MemoryLimitMissing,
    Compose compose::cm202_cpu_limit_missing::CpuLimitMissing,
    Compose compose::cm203_pids_limit_missing::PidsLimitMissing,
    Compose compose::cm204_reservation_exceeds_limit::ReservationExceedsLimit,
    Compose compose::cm301_log_rotation_missing::LogRotationMissing,
    Compose compose::cm401_runs_as_root::RunsAsRoot,
    Compose compose::cm402_secret_in_environment::SecretInEnvironment,
    Compose compose::cm403_image_tag_mutable::ImageTagMutable,
    Compose compose::cm405_secret_in_default::SecretInDefault,
    Compose compose::cm406_secret_in_env_file::SecretInEnvFile,
    Compose compose::cm407_secret_in_command::SecretInCommand,
    Compose compose::cm501_privileged::Privileged,
    Compose compose::cm502_runtime_socket_mounted::RuntimeSocketMounted,
    Compose compose::cm503_host_namespace::HostNamespace,
    Compose compose::cm504_dangerous_capability::DangerousCapability,
    Compose compose::cm505_security_profile_disabled::SecurityProfileDisabled,
    Compose compose::cm506_host_device::HostDevice,
    Compose compose::cm507_sensitive_host_path::SensitiveHostPath,
    Compose compose::cm508_port_on_all_interfaces::PortOnAllInterfaces,
    Compose compose::cm509_no_new_privileges_missing::NoNewPrivilegesMissing,
    Compose compose::cm510_root_filesystem_writable::RootFilesystemWritable,
    Compose compose::cm511_capabilities_not_dropped::CapabilitiesNotDropped,
    Compose compose::cm512_logging_disabled::LoggingDisabled,
    Compose compose::cm513_image_not_digest_pinned::ImageNotDigestPinned,
    Compose compose::cm514_host_port_conflict::HostPortConflict,
    Compose compose::cm515_mount_propagation_shared::MountPropagationShared,
    Compose compose::cm516_tmpfs_exec::TmpfsExec,
    Load dockerfile::df001_dockerfile_syntax::DockerfileSyntax => codes::DOCKERFILE_SYNTAX,
    Dockerfile dockerfile::df101_shell_form_cmd::ShellFormCmd,
    Dockerfile dockerfile::df102_healthcheck_instruction_curl_without_fail::HealthcheckInstructionCurlWithoutFail,
    Dockerfile dockerfile::df103_multiple_cmd::MultipleCmd,
    Dockerfile dockerfile::df104_pipefail_missing::PipefailMissing,
    Dockerfile dockerfile::df105_cd_in_run::CdInRun,
    Dockerfile dockerfile::df106_workdir_relative::WorkdirRelative,
    Dockerfile dockerfile::df107_expose_invalid::ExposeInvalid,
    Dockerfile dockerfile::df108_copy_from_unknown_stage::CopyFromUnknownStage,
    Dockerfile dockerfile::df201_package_unpinned::PackageUnpinned,
    Dockerfile dockerfile::df202_add_instead_of_copy::AddInsteadOfCopy,
    Dockerfile dockerfile::df203_add_url_unverified::AddUrlUnverified,
    Dockerfile dockerfile::df204_remote_script_piped::RemoteScriptPiped,
    Dockerfile dockerfile::df205_tls_verification_disabled::TlsVerificationDisabled,
    Dockerfile dockerfile::df301_apt_lists_kept::AptListsKept,
    Dockerfile dockerfile::df302_install_recommends::InstallRecommends,
    Dockerfile dockerfile::df303_package_cache_kept::PackageCacheKept,
    Dockerfile dockerfile::df401_user_root::UserRoot,
    Dockerfile dockerfile::df402_secret_in_dockerfile::SecretInDockerfile,
    Dockerfile dockerfile::df403_from_tag_mutable::FromTagMutable,
    Dockerfile dockerfile::df404_secret_arg_persisted::SecretArgPersisted,
    Dockerfile dockerfile::df405_sudo_in_run::SudoInRun,
    Dockerfile dockerfile::df406_ssh_port_exposed::SshPortExposed,
    Dockerfile dockerfile::df407_build_context_unfiltered::BuildContextUnfiltered,
    Dockerfile dockerfile::df501_maintainer_deprecated::MaintainerDeprecated,
    Dockerfile dockerfile::df502_apt_instead_of_apt_get::AptInsteadOfAptGet,
    Dockerfile dockerfile::df503_useradd_without_l::UseraddWithoutL,
    Dockerfile dockerfile::df504_curl_and_wget::CurlAndWget,
    Load seaworthy::sw001_unused_suppression::UnusedSuppression => codes::UNUSED_SUPPRESSION,
    Load seaworthy::sw002_invalid_suppression::InvalidSuppression => codes::INVALID_SUPPRESSION,
}

/// The rule with this code or name (case-insensitive code).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.meta.code.eq_ignore_ascii_case(code_or_name) || r.meta.name == code_or_name)
}

/// The rule declaring the hadolint code (`DL3025`) or compose-lint id
/// (`CL-0001`) `code` as its equivalent: their users' codes select, ignore,
/// suppress and explain it too.
pub fn find_alias(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| {
        r.meta
            .hadolint
            .iter()
            .chain(r.meta.compose_lint)
            .any(|h| h.eq_ignore_ascii_case(code))
    })
}

/// Runs every selected compose rule over `project` and every selected
/// Dockerfile rule over the Dockerfiles it builds. Returns the findings and the
/// codes left unreported because compose overrides them.
///
/// A fragment's overlay services (see `Project::overlays`) are judged on what
/// they set: a finding at such a service's key says what the service lacks,
/// which the base it completes may well set, so it is dropped. Findings of
/// services that share one definition (an anchor) are joined ([`shared`]).
pub fn check_project(
    project: &Linked,
    sources: &SourceMap,
    selection: &Selection,
    options: &OptionsByFile,
    secrets: &[Found],
) -> (Vec<Diagnostic>, Vec<&'static str>) {
    let mut cx = Context::new(sources, options, secrets);
    for rule in selection.rules() {
        if let Check::Compose(r) = rule.check {
            r.check(project, &mut cx);
        }
    }
    for linked in &project.dockerfiles {
        let services = linked
            .services
            .iter()
            .filter_map(|s| project.service(s))
            .collect();
        let unit = DockerfileUnit::new(&linked.dockerfile, services, &linked.contexts);
        run_dockerfile_rules(&unit, selection, &mut cx);
    }
    let (mut diagnostics, overridden) = cx.finish();
    project.remap_inline(&mut diagnostics);
    let overlay_keys: Vec<(FileId, Span)> = project
        .compose
        .overlays
        .iter()
        .filter_map(|name| project.service(name))
        .map(|s| (s.compose.key.file, s.compose.key.span))
        .collect();
    diagnostics.retain(|d| !overlay_keys.contains(&(d.file, d.span)));
    (shared::group(diagnostics, project, sources), overridden)
}

/// Runs every selected Dockerfile rule over a Dockerfile linted on its own.
pub fn check_dockerfile(
    dockerfile: &Dockerfile,
    contexts: &[crate::project::BuildContext],
    sources: &SourceMap,
    selection: &Selection,
    options: &OptionsByFile,
    secrets: &[Found],
) -> Vec<Diagnostic> {
    let mut cx = Context::new(sources, options, secrets);
    let unit = DockerfileUnit::new(dockerfile, Vec::new(), contexts);
    run_dockerfile_rules(&unit, selection, &mut cx);
    cx.finish().0
}

fn run_dockerfile_rules(unit: &DockerfileUnit<'_>, selection: &Selection, cx: &mut Context<'_>) {
    for rule in selection.rules() {
        if let Check::Dockerfile(r) = rule.check {
            r.check(unit, cx);
        }
    }
}
