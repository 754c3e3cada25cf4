//! The rule registry is complete and consistent: every rule file registered,
//! every rule with a manual, no manual without a rule, codes and names unique,
//! load-time codes agreeing with the loaders, the generated index current.

use std::collections::BTreeSet;
use std::path::Path;

use seaworthy::commands::rules::markdown_index;
use seaworthy::diagnostic::codes;
use seaworthy::rules::{Check, RULES};

#[test]
fn every_rule_file_is_registered_and_every_registered_rule_has_a_file() {
    let mut files = BTreeSet::new();
    for family in ["yaml", "compose", "dockerfile", "seaworthy"] {
        for entry in std::fs::read_dir(Path::new("src/rules").join(family)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name == "mod.rs" || name == "snapshots" {
                continue;
            }
            let (code, rest) = name.trim_end_matches(".rs").split_once('_').unwrap();
            files.insert((code.to_ascii_uppercase(), rest.replace('_', "-")));
        }
    }
    let registered: BTreeSet<(String, String)> = RULES
        .iter()
        .map(|r| (r.meta.code.to_string(), r.meta.name.to_string()))
        .collect();
    assert_eq!(files, registered, "rule files (left) vs registry (right)");
}

#[test]
fn every_manual_belongs_to_a_rule() {
    let mut manuals = BTreeSet::new();
    for entry in std::fs::read_dir("rules").unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name != "README.md" {
            manuals.insert(name);
        }
    }
    let expected: BTreeSet<String> = RULES
        .iter()
        .map(|r| format!("{}-{}.md", r.meta.code, r.meta.name))
        .collect();
    assert_eq!(manuals, expected, "manuals (left) vs registry (right)");
    for r in RULES {
        assert!(
            r.meta
                .manual
                .starts_with(&format!("# {} {}\n", r.meta.code, r.meta.name)),
            "{}: the manual's title must be `# CODE name`",
            r.meta.code
        );
        assert!(!r.meta.summary().is_empty(), "{}", r.meta.code);
    }
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes_seen = BTreeSet::new();
    let mut names_seen = BTreeSet::new();
    for r in RULES {
        let m = r.meta;
        assert!(codes_seen.insert(m.code), "duplicate code {}", m.code);
        assert!(names_seen.insert(m.name), "duplicate name {}", m.name);
        let (family, number) = m.code.split_at(2);
        assert!(["YM", "CM", "DF", "SW"].contains(&family), "{}", m.code);
        assert!(
            number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()),
            "{}",
            m.code
        );
        assert!(
            m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
            "{} is not kebab-case",
            m.name
        );
    }
    let mut sorted: Vec<&str> = RULES.iter().map(|r| r.meta.code).collect();
    sorted.sort_by_key(|c| {
        (
            ["YM", "CM", "DF", "SW"]
                .iter()
                .position(|f| c.starts_with(f)),
            *c,
        )
    });
    let order: Vec<&str> = RULES.iter().map(|r| r.meta.code).collect();
    assert_eq!(order, sorted, "the registry lists rules in code order");
}

#[test]
fn load_time_rules_match_the_loaders_codes() {
    let loaded: Vec<_> = RULES
        .iter()
        .filter_map(|r| match r.check {
            Check::Load(code) => Some((r.meta, code)),
            _ => None,
        })
        .collect();
    assert_eq!(loaded.len(), codes::ALL.len());
    for (meta, code) in loaded {
        assert_eq!(meta.code(), code, "{}", meta.code);
        assert!(codes::ALL.contains(&code), "{}", meta.code);
    }
}

#[test]
fn the_generated_index_is_current() {
    let path = Path::new("rules/README.md");
    let text = std::fs::read_to_string(path).unwrap();
    let (head, rest) = text.split_once("<!-- index:start -->\n").unwrap();
    let (_, tail) = rest.split_once("<!-- index:end -->").unwrap();
    let fresh = format!(
        "{head}<!-- index:start -->\n{}<!-- index:end -->{tail}",
        markdown_index()
    );
    if std::env::var_os("UPDATE_RULE_INDEX").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    assert_eq!(
        text, fresh,
        "rules/README.md is stale: run UPDATE_RULE_INDEX=1 cargo test --test registry"
    );
}

#[test]
fn every_manual_states_the_severities_its_rule_declares() {
    for r in RULES {
        let m = r.meta;
        let line = m
            .manual
            .lines()
            .find_map(|l| l.strip_prefix("- **Severity:** "))
            .unwrap_or_else(|| panic!("{}: no `- **Severity:**` line", m.code));
        assert!(
            line.starts_with(m.severity.as_str()),
            "{}: manual says `{line}`, the rule declares {}",
            m.code,
            m.severity.as_str()
        );
        for also in m.also {
            assert!(
                line.contains(&format!("{})", also.as_str()))
                    || line.contains(&format!(": {}", also.as_str())),
                "{}: manual says `{line}` but findings can also be {}",
                m.code,
                also.as_str()
            );
        }
        // a manual naming another severity in its severity line declares it
        for s in ["error", "warning", "info"] {
            if line.contains(&format!(": {s}")) {
                assert!(
                    m.also.iter().any(|a| a.as_str() == s),
                    "{}: manual says `{line}`; declare `also: [{s}]`",
                    m.code
                );
            }
        }
    }
}

#[test]
fn security_rules_declare_a_score_and_aliases_are_unique() {
    let mut aliases = BTreeSet::new();
    for r in RULES {
        let m = r.meta;
        let security = m.category.as_str() == "security";
        assert_eq!(
            security,
            m.security_severity.is_some(),
            "{}: security rules, and only they, declare `security_severity`",
            m.code
        );
        if let Some(score) = m.security_severity {
            let s: f64 = score.parse().unwrap();
            assert!(
                (0.1..=10.0).contains(&s) && score.contains('.'),
                "{}",
                m.code
            );
        }
        for alias in m.hadolint.iter().chain(m.compose_lint) {
            assert!(aliases.insert(*alias), "{alias} is declared twice");
        }
        // every peer the rule covers is named in its manual
        for peer in m.compose_lint.iter().chain(m.kics).chain(m.dclint) {
            assert!(
                m.manual.contains(peer),
                "{}: the manual does not name {peer}",
                m.code
            );
        }
    }
}
