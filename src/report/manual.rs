//! Rule manuals for readers outside the repository: `explain` on a
//! terminal, SARIF's `help.markdown`. The manuals' code fences carry test tags
//! (```` ```yaml bad file=compose.yaml ````) and their links are relative to
//! `rules/`; neither means anything there.

use crate::diagnostic::repository_url;

/// The manual with its fences' test tags removed (```` ```yaml ````).
pub fn without_test_tags(manual: &str) -> String {
    let mut out = String::with_capacity(manual.len());
    let mut in_fence = false;
    for line in manual.split_inclusive('\n') {
        match line.strip_prefix("```") {
            Some(info) => {
                if !in_fence {
                    let language = info.split_whitespace().next().unwrap_or("");
                    out.push_str("```");
                    out.push_str(language);
                    out.push('\n');
                } else {
                    out.push_str(line);
                }
                in_fence = !in_fence;
            }
            None => out.push_str(line),
        }
    }
    out
}

/// `manual` (of a file in `rules/`) with every relative link made absolute
/// against the repository ([`crate::diagnostic::REPOSITORY`]).
pub fn with_absolute_links(manual: &str) -> String {
    let mut out = String::with_capacity(manual.len());
    let mut rest = manual;
    while let Some(at) = rest.find("](") {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let end = after.find(')').unwrap_or(after.len());
        let target = &after[..end];
        if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
            out.push_str(target);
        } else {
            out.push_str(&repository_url(&resolve("rules", target)));
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// `target` relative to the folder `dir`, `..` resolved.
fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in target.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// The manual as a terminal shows it: headings bold and underlined, code
/// blocks indented, inline code and emphasis markers kept only without
/// colour; `color` adds ANSI styles.
pub fn for_terminal(manual: &str, color: bool) -> String {
    let (bold, dim, reset) = if color {
        ("\x1b[1m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "")
    };
    let mut out = String::with_capacity(manual.len());
    let mut in_fence = false;
    for line in without_test_tags(manual).lines() {
        if let Some(lang) = line.strip_prefix("```") {
            if !in_fence && !lang.is_empty() {
                out.push_str(&format!("    {dim}{lang}{reset}\n"));
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let heading = line.trim_start_matches('#');
        if heading.len() < line.len() && heading.starts_with(' ') {
            let text = heading.trim();
            let rule = if line.starts_with("# ") { '=' } else { '-' };
            out.push_str(&format!(
                "{bold}{text}{reset}\n{}\n",
                rule.to_string().repeat(text.chars().count())
            ));
            continue;
        }
        let text = if color {
            let bolded = line.replace("**", "");
            inline_code(&bolded, bold, reset)
        } else {
            line.to_string()
        };
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// `` `code` `` spans shown in `on`…`off` instead of backquotes.
fn inline_code(line: &str, on: &str, off: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, piece) in line.split('`').enumerate() {
        if i % 2 == 1 {
            out.push_str(on);
            out.push_str(piece);
            out.push_str(off);
        } else {
            out.push_str(piece);
        }
    }
    // an unpaired backquote is kept as written
    if line.matches('`').count() % 2 == 1 {
        return line.to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_tags_are_removed_and_the_language_kept() {
        let manual =
            "# X1 x\n\n```yaml bad file=compose.yaml\nservices: {}\n```\n\n```\nplain\n```\n";
        assert_eq!(
            without_test_tags(manual),
            "# X1 x\n\n```yaml\nservices: {}\n```\n\n```\nplain\n```\n"
        );
    }

    #[test]
    fn relative_links_point_into_the_repository() {
        let text = with_absolute_links(
            "see [a](../docs/rules.md#secrets), [b](CM101-healthcheck-missing.md), [c](https://x.org/y) and [d](#why)",
        );
        assert!(text.contains(&format!("[a]({})", repository_url("docs/rules.md#secrets"))));
        assert!(text.contains(&format!(
            "[b]({})",
            repository_url("rules/CM101-healthcheck-missing.md")
        )));
        assert!(text.contains("[c](https://x.org/y)"));
        assert!(text.contains("[d](#why)"));
    }

    #[test]
    fn a_terminal_sees_headings_and_indented_code_without_markup() {
        let shown = for_terminal("# X1 x\n\n## Why\n\n```yaml bad\na: 1\n```\n", false);
        assert_eq!(shown, "X1 x\n====\n\nWhy\n---\n\n    yaml\n    a: 1\n");
    }
}
