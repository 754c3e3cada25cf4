//! The data every check produces: a [`Diagnostic`] with a primary span,
//! secondary labels and a help line. Nothing here renders; `report/` does.

use crate::fix::Fix;
use crate::source::{FileId, Span};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Hardening advice; never fails a run unless asked.
    Info,
    /// Not production ready.
    Warning,
    /// Broken, or a serious hole.
    Error,
}

impl Severity {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Identity of a check: permanent code, kebab-case name, default severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Code {
    /// Permanent code such as `CM001`.
    pub code: &'static str,
    /// Kebab-case name such as `invalid-compose`.
    pub name: &'static str,
    /// Severity unless configured otherwise.
    pub severity: Severity,
}

/// Checks performed while loading input, before any rule runs.
pub mod codes {
    use super::{Code, Severity};

    /// YAML that cannot be parsed (or loaded within limits).
    pub const YAML_SYNTAX: Code = Code {
        code: "YM001",
        name: "yaml-syntax",
        severity: Severity::Error,
    };
    /// A mapping key present twice.
    pub const DUPLICATE_KEY: Code = Code {
        code: "YM002",
        name: "duplicate-key",
        severity: Severity::Error,
    };
    /// An alias whose anchor is not defined.
    pub const UNDEFINED_ALIAS: Code = Code {
        code: "YM003",
        name: "undefined-alias",
        severity: Severity::Error,
    };
    /// Wrong type, unknown key or bad value syntax in a compose file.
    pub const INVALID_COMPOSE: Code = Code {
        code: "CM001",
        name: "invalid-compose",
        severity: Severity::Error,
    };
    /// A reference to a service, file or resource that does not exist.
    pub const UNDEFINED_REFERENCE: Code = Code {
        code: "CM002",
        name: "undefined-reference",
        severity: Severity::Error,
    };
    /// A variable used without value or default.
    pub const UNSET_VARIABLE: Code = Code {
        code: "CM003",
        name: "unset-variable",
        severity: Severity::Info,
    };
    /// The obsolete top-level `version:` key.
    pub const OBSOLETE_VERSION: Code = Code {
        code: "CM004",
        name: "obsolete-version",
        severity: Severity::Info,
    };
    /// A compose file linted without the base file it completes.
    pub const FRAGMENT_WITHOUT_BASE: Code = Code {
        code: "CM005",
        name: "fragment-without-base",
        severity: Severity::Info,
    };
    /// An env file the checkout does not hold: created at deploy time.
    pub const ENV_FILE_NOT_IN_CHECKOUT: Code = Code {
        code: "CM006",
        name: "env-file-not-in-checkout",
        severity: Severity::Info,
    };
    /// Every file of the run was judged as development.
    pub const JUDGED_AS_DEVELOPMENT: Code = Code {
        code: "CM007",
        name: "judged-as-development",
        severity: Severity::Info,
    };
    /// A Dockerfile BuildKit cannot parse.
    pub const DOCKERFILE_SYNTAX: Code = Code {
        code: "DF001",
        name: "dockerfile-syntax",
        severity: Severity::Error,
    };

    /// An inline suppression that suppresses nothing.
    pub const UNUSED_SUPPRESSION: Code = Code {
        code: "SW001",
        name: "unused-suppression",
        severity: Severity::Warning,
    };
    /// An inline suppression that cannot be read.
    pub const INVALID_SUPPRESSION: Code = Code {
        code: "SW002",
        name: "invalid-suppression",
        severity: Severity::Warning,
    };

    /// Every load-time check, in code order.
    pub const ALL: &[Code] = &[
        YAML_SYNTAX,
        DUPLICATE_KEY,
        UNDEFINED_ALIAS,
        INVALID_COMPOSE,
        UNDEFINED_REFERENCE,
        UNSET_VARIABLE,
        OBSOLETE_VERSION,
        FRAGMENT_WITHOUT_BASE,
        ENV_FILE_NOT_IN_CHECKOUT,
        JUDGED_AS_DEVELOPMENT,
        DOCKERFILE_SYNTAX,
        UNUSED_SUPPRESSION,
        INVALID_SUPPRESSION,
    ];
}

/// Where the project lives; every link the tool prints (rule manuals, SARIF's
/// `informationUri`, the docs `explain` links to) starts here. A fork builds
/// with `SEAWORTHY_REPOSITORY=https://github.com/me/seaworthy cargo build`.
pub const REPOSITORY: &str = match option_env!("SEAWORTHY_REPOSITORY") {
    Some(url) => url,
    None => "https://github.com/seaworthy-lint/seaworthy",
};

/// The URL of `path` (`rules/CM101-healthcheck-missing.md`) in the
/// repository's main branch.
pub fn repository_url(path: &str) -> String {
    format!("{}/blob/main/{path}", REPOSITORY.trim_end_matches('/'))
}

/// The manual's URL for rule `code`/`name`.
pub fn rule_url(code: &str, name: &str) -> String {
    repository_url(&format!("rules/{code}-{name}.md"))
}

/// A secondary location with a short message ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Label {
    /// File the label points into.
    pub file: FileId,
    /// Byte range it covers.
    pub span: Span,
    /// What this place has to do with the finding.
    pub message: String,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Permanent code, e.g. `YM002`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `duplicate-key`.
    pub name: &'static str,
    /// Severity of this finding.
    pub severity: Severity,
    /// One sentence, lowercase start, no trailing period, names in backticks.
    pub message: String,
    /// File of the primary span.
    pub file: FileId,
    /// The primary span: the token to fix (or the key of what lacks something).
    pub span: Span,
    /// What is wrong at the primary span, shown next to it.
    pub primary_label: Option<std::borrow::Cow<'static, str>>,
    /// Secondary locations.
    pub labels: thin_vec::ThinVec<Label>,
    /// What to do about it.
    pub help: Option<std::borrow::Cow<'static, str>>,
    /// Secret values to mask in every rendering of their files.
    #[serde(skip)]
    pub masks: thin_vec::ThinVec<(FileId, Span)>,
    /// The edits that fix it, when a rule knows them for certain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Box<Fix>>,
    /// The severity it takes when its file is judged as development, where
    /// that is lower (a stand-in password a local stack starts with).
    #[serde(skip)]
    pub in_development: Option<Severity>,
}

impl Diagnostic {
    /// A finding of kind `code` at `span` of `file`.
    pub fn new(code: Code, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.code,
            name: code.name,
            severity: code.severity,
            message: message.into(),
            file,
            span,
            primary_label: None,
            labels: thin_vec::ThinVec::new(),
            help: None,
            masks: thin_vec::ThinVec::new(),
            fix: None,
            in_development: None,
        }
    }

    /// The one finding for a binary file, which was expected to be `kind`
    /// text; `at` is the offset of its first NUL byte. The file's text is
    /// empty (its bytes are never printed), so the span is at its start.
    pub fn binary_file(code: Code, file: FileId, at: usize, kind: &str) -> Self {
        Diagnostic::new(
            code,
            file,
            Span::point(0),
            format!("the file is binary (a NUL byte at offset {at}), not {kind}"),
        )
        .with_primary_label("not text")
        .with_help(format!(
            "nothing in it was checked; if it is not meant to be {kind}, rename it or list it under `exclude:` in .seaworthy.yaml"
        ))
    }

    /// The finding for a file that is not valid UTF-8; `span` is the first
    /// invalid sequence (read as U+FFFD).
    pub fn not_utf8(code: Code, file: FileId, span: Span) -> Self {
        Diagnostic::new(code, file, span, "the file is not valid UTF-8")
            .with_primary_label("this byte is not UTF-8")
    }

    /// Marks `span` of `file` as a secret: no output shows its text.
    pub fn with_mask(mut self, file: FileId, span: Span) -> Self {
        self.masks.push((file, span));
        self
    }

    /// Sets the text shown at the primary span.
    pub fn with_primary_label(mut self, text: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.primary_label = Some(text.into());
        self
    }

    /// Adds a secondary label.
    pub fn with_label(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Attaches the edits that fix it (none when `fix` is `None`).
    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix.map(Box::new);
        self
    }

    /// Overrides the severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Lowers the severity to `severity` when the finding's file is judged
    /// as development.
    pub fn in_development(mut self, severity: Severity) -> Self {
        self.in_development = Some(severity);
        self
    }

    /// Adds `base` to every file id, for a diagnostic whose sources were
    /// appended to a larger map with [`crate::source::SourceMap::append`].
    pub fn rebase(&mut self, base: u32) {
        let shift = |f: &mut FileId| f.0 = f.0.saturating_add(base);
        shift(&mut self.file);
        self.labels.iter_mut().for_each(|l| shift(&mut l.file));
        self.masks.iter_mut().for_each(|(f, _)| shift(f));
        if let Some(fix) = &mut self.fix {
            fix.edits.iter_mut().for_each(|e| shift(&mut e.file));
        }
    }

    /// Deterministic order: file, offset, code, message.
    pub fn sort_key(&self) -> (FileId, usize, usize, &'static str, &str) {
        (
            self.file,
            self.span.start,
            self.span.end,
            self.code,
            &self.message,
        )
    }
}
