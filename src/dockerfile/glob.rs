//! Shell glob patterns (`*`, `?`, `[…]`, `\x`) for `${v#p}`, `${v%p}` and
//! `${v/p/r}`, matched in O(pattern × text).

/// One element of a compiled pattern.
enum Glob {
    Star,
    Any,
    Class(bool, Vec<(char, char)>),
    Lit(char),
}

impl Glob {
    /// Whether this one-character element matches `c` (`*` is handled apart).
    fn matches(&self, c: char) -> bool {
        match self {
            Glob::Star | Glob::Any => true,
            Glob::Lit(l) => c == *l,
            Glob::Class(negate, ranges) => ranges.iter().any(|&(a, b)| a <= c && c <= b) != *negate,
        }
    }
}

fn compile_glob(pattern: &[char]) -> Vec<Glob> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < pattern.len() {
        let c = pattern[i];
        i += 1;
        out.push(match c {
            '*' => Glob::Star,
            '?' => Glob::Any,
            '\\' if i < pattern.len() => {
                i += 1;
                Glob::Lit(pattern[i - 1])
            }
            '[' => {
                let negate = matches!(pattern.get(i), Some('!' | '^'));
                let start = i + usize::from(negate);
                // `]` right after `[` is a member, not the end
                match pattern[(start + 1).min(pattern.len())..]
                    .iter()
                    .position(|&c| c == ']')
                {
                    Some(p) => {
                        let class = &pattern[start..start + 1 + p];
                        i = start + 2 + p;
                        let mut ranges = Vec::new();
                        let mut j = 0;
                        while j < class.len() {
                            if j + 2 < class.len() && class[j + 1] == '-' {
                                ranges.push((class[j], class[j + 2]));
                                j += 3;
                            } else {
                                ranges.push((class[j], class[j]));
                                j += 1;
                            }
                        }
                        Glob::Class(negate, ranges)
                    }
                    None => Glob::Lit('['),
                }
            }
            c => Glob::Lit(c),
        });
    }
    out
}

/// Whether the glob `pattern` (`*`, `?`, `[…]`, `\x`) matches all of `text`,
/// in O(pattern × text).
pub fn glob_match(pattern: &[char], text: &[char]) -> bool {
    let globs = compile_glob(pattern);
    // reach[j]: the pattern so far can match text[..j]
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for g in &globs {
        let mut next = vec![false; text.len() + 1];
        match g {
            Glob::Star => {
                let mut any = false;
                for j in 0..=text.len() {
                    any |= reach[j];
                    next[j] = any;
                }
            }
            _ => {
                for j in 0..text.len() {
                    if reach[j] {
                        next[j + 1] = g.matches(text[j]);
                    }
                }
            }
        }
        reach = next;
    }
    reach[text.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        let g = |p: &str, t: &str| {
            glob_match(
                &p.chars().collect::<Vec<_>>(),
                &t.chars().collect::<Vec<_>>(),
            )
        };
        assert!(g("*.gz", "a.tar.gz") && g("a?c", "abc") && g("[a-c]x", "bx") && g("[!a]x", "bx"));
        assert!(!g("[!b]x", "bx") && !g("a", "ab"));
    }
}
