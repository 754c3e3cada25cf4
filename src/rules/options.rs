//! Per-rule options: lists of name patterns a rule declares and the
//! configuration sets (`options: {CM201: {exempt-services: [migrate]}}`).

use std::collections::BTreeMap;
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};

use crate::source::FileId;

/// An option a rule accepts: always a list of name patterns.
#[derive(Debug, serde::Serialize)]
pub struct OptionMeta {
    /// Kebab-case name, e.g. `exempt-services`.
    pub name: &'static str,
    /// What the patterns name.
    pub doc: &'static str,
    /// Whether the patterns ignore case.
    #[serde(skip)]
    pub case_insensitive: bool,
}

/// Services a "missing" rule does not judge: one-shot jobs, dev tools.
pub const EXEMPT_SERVICES: OptionMeta = OptionMeta {
    name: "exempt-services",
    doc: "services (name globs, e.g. `migrate`, `*-job`) this rule does not judge",
    case_insensitive: false,
};

/// Variable names that hold secrets beyond the built-in conventions.
pub const SECRET_NAMES: OptionMeta = OptionMeta {
    name: "secret-names",
    doc: "variable names (globs, any case, e.g. `*_SALT`) that also hold secrets",
    case_insensitive: true,
};

/// Variable names that never hold secrets, whatever they look like.
pub const ALLOWED_NAMES: OptionMeta = OptionMeta {
    name: "allowed-names",
    doc: "variable names (globs, any case) never judged secret, e.g. `TEST_PASSWORD`",
    case_insensitive: true,
};

/// Capabilities a team grants on purpose (CM504).
pub const ALLOWED_CAPABILITIES: OptionMeta = OptionMeta {
    name: "allowed-capabilities",
    doc: "capabilities (any case, without `CAP_`, e.g. `NET_ADMIN`) never reported",
    case_insensitive: true,
};

/// More host paths that must not be mounted (CM507).
pub const EXTRA_PATHS: OptionMeta = OptionMeta {
    name: "extra-paths",
    doc: "host paths (globs, e.g. `/srv/secrets/**`) treated as sensitive too",
    case_insensitive: false,
};

/// More container ports of datastores and admin interfaces (CM508).
pub const DATASTORE_PORTS: OptionMeta = OptionMeta {
    name: "datastore-ports",
    doc: "container ports (e.g. `8123`, `9000`) that must not face every interface, besides the built-in ones",
    case_insensitive: false,
};

/// Host IPs a team publishes on on purpose (CM508).
pub const ALLOWED_INTERFACES: OptionMeta = OptionMeta {
    name: "allowed-interfaces",
    doc: "public host IPs (globs, e.g. `203.0.113.*`) a datastore port may be published on, because a firewall outside Docker guards them",
    case_insensitive: false,
};

/// Names matched by `*`/`?`/`[…]` globs (a pattern without them matches
/// itself only).
#[derive(Clone, Debug, Default)]
pub struct NamePatterns {
    globs: Vec<GlobMatcher>,
}

/// A pattern that is not a valid glob.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid pattern `{pattern}`: {reason}")]
pub struct BadPattern {
    /// What was written.
    pub pattern: String,
    /// Why it is invalid.
    pub reason: String,
}

impl NamePatterns {
    /// The patterns as written.
    pub fn patterns(&self) -> Vec<&str> {
        self.globs.iter().map(|g| g.glob().glob()).collect()
    }

    /// Compiles `patterns`; `case_insensitive` for names whose case carries no
    /// meaning (environment variables are matched that way by the secret rules).
    pub fn new<S: AsRef<str>>(
        patterns: &[S],
        case_insensitive: bool,
    ) -> Result<NamePatterns, BadPattern> {
        let globs = patterns
            .iter()
            .map(|p| {
                GlobBuilder::new(p.as_ref())
                    .case_insensitive(case_insensitive)
                    .build()
                    .map(|g| g.compile_matcher())
                    .map_err(|e| BadPattern {
                        pattern: p.as_ref().to_string(),
                        reason: e.kind().to_string(),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(NamePatterns { globs })
    }

    /// Whether any pattern matches `name`.
    pub fn matches(&self, name: &str) -> bool {
        self.globs.iter().any(|g| g.is_match(name))
    }

    /// Whether there is no pattern.
    pub fn is_empty(&self) -> bool {
        self.globs.is_empty()
    }
}

/// The options set for one file, by rule code and option name.
#[derive(Clone, Debug, Default)]
pub struct RuleOptions {
    values: BTreeMap<(&'static str, &'static str), NamePatterns>,
}

impl RuleOptions {
    /// Sets `option` of the rule `code`, replacing an earlier value.
    pub fn set(&mut self, code: &'static str, option: &'static str, patterns: NamePatterns) {
        self.values.insert((code, option), patterns);
    }

    /// The patterns of `option` of the rule `code` (empty when not set).
    pub fn get(&self, code: &'static str, option: &'static str) -> &NamePatterns {
        static NONE: NamePatterns = NamePatterns { globs: Vec::new() };
        self.values.get(&(code, option)).unwrap_or(&NONE)
    }

    /// Every option set: rule code, option name, patterns.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &'static str, &NamePatterns)> {
        self.values.iter().map(|((c, o), p)| (*c, *o, p))
    }

    /// Whether some rule's `option` matches `name` (the `secret-names` of
    /// every secret rule, for the masking that runs whatever rules run).
    pub fn any_matches(&self, option: &'static str, name: &str) -> bool {
        self.values
            .iter()
            .any(|((_, o), p)| *o == option && p.matches(name))
    }
}

/// The options of every file of a source map, by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct OptionsByFile {
    per_file: Vec<Arc<RuleOptions>>,
}

impl OptionsByFile {
    /// `per_file[i]` holds the options of file `i`.
    pub fn new(per_file: Vec<Arc<RuleOptions>>) -> Self {
        OptionsByFile { per_file }
    }

    /// The options set for `file` (none for a file not listed).
    pub fn get(&self, file: FileId) -> &RuleOptions {
        static NONE: RuleOptions = RuleOptions {
            values: BTreeMap::new(),
        };
        self.per_file.get(file.0 as usize).map_or(&NONE, |o| o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_names() {
        let p = NamePatterns::new(&["migrate", "*-job"], false).unwrap();
        assert!(p.matches("migrate"));
        assert!(p.matches("nightly-job"));
        assert!(!p.matches("migrate2"));
        assert!(!p.matches("Migrate"));
        let ci = NamePatterns::new(&["*_salt"], true).unwrap();
        assert!(ci.matches("APP_SALT"));
        assert!(NamePatterns::new(&["a[b"], false).is_err());
    }

    #[test]
    fn later_values_replace_earlier_ones() {
        let mut o = RuleOptions::default();
        assert!(o.get("CM201", "exempt-services").is_empty());
        o.set(
            "CM201",
            "exempt-services",
            NamePatterns::new(&["a"], false).unwrap(),
        );
        o.set(
            "CM201",
            "exempt-services",
            NamePatterns::new(&["b"], false).unwrap(),
        );
        assert!(o.get("CM201", "exempt-services").matches("b"));
        assert!(!o.get("CM201", "exempt-services").matches("a"));
    }
}
