//! Which rules run: `--select`, `--extend-select` and `--ignore`, each a list
//! of codes (`CM101`), names (`healthcheck-missing`), code prefixes (`CM`,
//! `CM1`) or `ALL`. Opt-in rules are off by default; a code, a name or `ALL`
//! selects them, a prefix does not (`--select CM1` keeps CM107 off).

use super::{Rule, RULES};
use crate::compose::from_tree::closest;
use crate::diagnostic::codes;

/// Codes that cannot be turned off: they say a file could not be read at all,
/// so no other rule judged it.
pub const ALWAYS_ON: &[&str] = &[codes::YAML_SYNTAX.code, codes::DOCKERFILE_SYNTAX.code];

/// A selector that names no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown rule selector `{selector}`{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct UnknownSelector {
    /// What was written.
    pub selector: String,
    /// The closest rule name or code, if one is close.
    pub suggestion: Option<String>,
}

/// The set of enabled rules, by position in [`RULES`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    enabled: Vec<bool>,
}

impl Default for Selection {
    /// Every rule that is not opt-in.
    fn default() -> Self {
        Selection {
            enabled: RULES.iter().map(|r| !r.meta.opt_in).collect(),
        }
    }
}

/// The rules `selector` names.
pub fn matching(selector: &str) -> Result<Vec<&'static Rule>, UnknownSelector> {
    let s = selector.trim();
    let found: Vec<&'static Rule> = if s.eq_ignore_ascii_case("ALL") {
        RULES.iter().collect()
    } else if let Some(rule) = super::find(s).or_else(|| super::find_alias(s)) {
        vec![rule]
    } else if is_code_prefix(s) {
        RULES
            .iter()
            .filter(|r| {
                r.meta
                    .code
                    .get(..s.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(s))
            })
            .collect()
    } else {
        Vec::new()
    };

    if found.is_empty() {
        let names = RULES.iter().flat_map(|r| [r.meta.name, r.meta.code]);
        return Err(UnknownSelector {
            selector: selector.to_string(),
            suggestion: closest(s, names).map(str::to_string),
        });
    }
    Ok(found)
}

/// The rules `selector` turns on in `select`/`extend-select`: those it
/// names, less the opt-in ones when it is a code prefix.
pub fn enabling(selector: &str) -> Result<Vec<&'static Rule>, UnknownSelector> {
    let mut found = matching(selector)?;
    let s = selector.trim();
    if !s.eq_ignore_ascii_case("ALL") && super::find(s).or_else(|| super::find_alias(s)).is_none() {
        found.retain(|r| !r.meta.opt_in);
    }
    Ok(found)
}

/// The rules each selector names, in order.
pub fn resolve(selectors: &[String]) -> Result<Vec<&'static Rule>, UnknownSelector> {
    let mut out = Vec::new();
    for s in selectors {
        out.extend(matching(s)?);
    }
    Ok(out)
}

/// The rules each selector turns on, in order (see [`enabling`]).
pub fn resolve_enabling(selectors: &[String]) -> Result<Vec<&'static Rule>, UnknownSelector> {
    let mut out = Vec::new();
    for s in selectors {
        out.extend(enabling(s)?);
    }
    Ok(out)
}

/// Letters then digits, like the start of a code (`CM`, `cm2`, `DF40`).
fn is_code_prefix(s: &str) -> bool {
    let letters = s.chars().take_while(char::is_ascii_alphabetic).count();
    letters > 0 && s[letters..].chars().all(|c| c.is_ascii_digit())
}

impl Selection {
    /// `select` (every rule when `None`), plus `extend`, minus `ignore`.
    /// [`ALWAYS_ON`] codes stay enabled whatever is written.
    pub fn new(
        select: Option<&[String]>,
        extend: &[String],
        ignore: &[String],
    ) -> Result<Selection, UnknownSelector> {
        let mut sel = Selection::default();
        sel.apply(
            select.map(resolve_enabling).transpose()?.as_deref(),
            &resolve_enabling(extend)?,
            &resolve(ignore)?,
        );
        Ok(sel)
    }

    /// Applies one layer of settings: `select` replaces the set when given,
    /// then `extend` adds and `ignore` removes. [`ALWAYS_ON`] codes stay on.
    pub fn apply(
        &mut self,
        select: Option<&[&'static Rule]>,
        extend: &[&'static Rule],
        ignore: &[&'static Rule],
    ) {
        let mut set = |rules: &[&'static Rule], on: bool| {
            for rule in rules {
                if let Some(i) = RULES.iter().position(|r| std::ptr::eq(r, *rule)) {
                    self.enabled[i] = on;
                }
            }
        };
        if let Some(select) = select {
            set(&RULES.iter().collect::<Vec<_>>(), false);
            set(select, true);
        }
        set(extend, true);
        set(ignore, false);
        for (i, r) in RULES.iter().enumerate() {
            self.enabled[i] |= ALWAYS_ON.contains(&r.meta.code);
        }
    }

    /// Every rule enabled in either selection.
    pub fn union(&self, other: &Selection) -> Selection {
        Selection {
            enabled: self
                .enabled
                .iter()
                .zip(&other.enabled)
                .map(|(a, b)| *a || *b)
                .collect(),
        }
    }

    /// No rule at all (not even [`ALWAYS_ON`]): the start of a union.
    pub fn none() -> Selection {
        Selection {
            enabled: vec![false; RULES.len()],
        }
    }

    /// Whether the rule with this code runs (unknown codes are enabled).
    pub fn enables(&self, code: &str) -> bool {
        RULES
            .iter()
            .position(|r| r.meta.code == code)
            .is_none_or(|i| self.enabled[i])
    }

    /// The enabled rules, in code order.
    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        RULES
            .iter()
            .zip(&self.enabled)
            .filter(|(_, on)| **on)
            .map(|(r, _)| r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(sel: &Selection) -> Vec<&'static str> {
        sel.rules().map(|r| r.meta.code).collect()
    }

    fn strings(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn codes_names_and_prefixes_select() {
        let sel = Selection::new(Some(&strings(&["cm2", "image-tag-mutable"])), &[], &[]).unwrap();
        assert_eq!(
            codes(&sel),
            ["YM001", "CM201", "CM202", "CM203", "CM204", "CM403", "DF001"]
        );
    }

    #[test]
    fn ignore_wins_over_select_and_extend() {
        let sel = Selection::new(
            Some(&strings(&["DF"])),
            &strings(&["CM101"]),
            &strings(&["DF4", "CM101"]),
        )
        .unwrap();
        assert_eq!(
            codes(&sel),
            [
                "YM001", "DF001", "DF101", "DF102", "DF103", "DF104", "DF105", "DF106", "DF107",
                "DF108", "DF201", "DF202", "DF203", "DF204", "DF205", "DF301", "DF302", "DF303",
                "DF501", "DF502", "DF503", "DF504"
            ]
        );
    }

    #[test]
    fn opt_in_rules_need_a_code_a_name_or_all() {
        let on = |select: Option<&[&str]>, extend: &[&str], ignore: &[&str]| {
            let sel = Selection::new(
                select.map(strings).as_deref(),
                &strings(extend),
                &strings(ignore),
            )
            .unwrap();
            (sel.enables("CM107"), sel.enables("CM111"))
        };
        assert_eq!(on(None, &[], &[]), (false, false));
        assert_eq!(on(Some(&["CM1"]), &[], &[]), (false, false));
        assert_eq!(on(None, &["CM"], &[]), (false, false));
        assert_eq!(on(None, &["CM107"], &[]), (true, false));
        assert_eq!(on(None, &["single-replica"], &[]), (false, true));
        assert_eq!(on(Some(&["ALL"]), &[], &[]), (true, true));
        // a prefix still ignores them
        assert_eq!(on(Some(&["ALL"]), &[], &["CM1"]), (false, false));
        assert!(Selection::default().enables("CM105"));
    }

    #[test]
    fn unreadable_input_cannot_be_ignored() {
        let sel = Selection::new(None, &[], &strings(&["ALL"])).unwrap();
        assert_eq!(codes(&sel), ALWAYS_ON);
        assert!(!sel.enables("CM101"));
    }

    #[test]
    fn unknown_selectors_suggest_the_closest_rule() {
        let err = Selection::new(None, &[], &strings(&["healthcheck-mising"])).unwrap_err();
        assert_eq!(err.suggestion.as_deref(), Some("healthcheck-missing"));
        assert_eq!(
            err.to_string(),
            "unknown rule selector `healthcheck-mising` (did you mean `healthcheck-missing`?)"
        );
        assert!(matching("XX").is_err());
        assert!(matching("CM9").is_err());
        assert!(matching("").is_err());
    }
}
