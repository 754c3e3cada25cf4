//! Credentials recognised by their shape, whatever the name they are stored
//! under: provider tokens with a fixed prefix, private-key blocks.

/// A credential format: its name, and how to find it in a text.
pub struct Format {
    /// What it is, as messages name it.
    pub name: &'static str,
    /// Whether it is a secret on its own; an identifier (an AWS access key
    /// id) is only masked.
    pub secret: bool,
    /// The prefix it starts with.
    prefix: &'static str,
    /// How many characters of `body` follow at least.
    min: usize,
    /// What a character after the prefix may be.
    body: fn(char) -> bool,
}

fn alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

fn alnum_underscore(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

fn token_chars(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn upper_alnum(c: char) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn sendgrid(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// Every credential format recognised; each has a test, and each prefix
/// starts with a byte of [`STARTS`].
pub const FORMATS: &[Format] = &[
    Format {
        name: "GitHub token",
        secret: true,
        prefix: "ghp_",
        min: 36,
        body: alnum,
    },
    Format {
        name: "GitHub token",
        secret: true,
        prefix: "gho_",
        min: 36,
        body: alnum,
    },
    Format {
        name: "GitHub token",
        secret: true,
        prefix: "ghu_",
        min: 36,
        body: alnum,
    },
    Format {
        name: "GitHub token",
        secret: true,
        prefix: "ghs_",
        min: 36,
        body: alnum,
    },
    Format {
        name: "GitHub token",
        secret: true,
        prefix: "ghr_",
        min: 36,
        body: alnum,
    },
    Format {
        name: "GitHub token",
        secret: true,
        prefix: "github_pat_",
        min: 22,
        body: alnum_underscore,
    },
    Format {
        name: "GitLab token",
        secret: true,
        prefix: "glpat-",
        min: 20,
        body: token_chars,
    },
    Format {
        name: "Slack token",
        secret: true,
        prefix: "xoxb-",
        min: 10,
        body: token_chars,
    },
    Format {
        name: "Slack token",
        secret: true,
        prefix: "xoxa-",
        min: 10,
        body: token_chars,
    },
    Format {
        name: "Slack token",
        secret: true,
        prefix: "xoxp-",
        min: 10,
        body: token_chars,
    },
    Format {
        name: "Slack token",
        secret: true,
        prefix: "xoxr-",
        min: 10,
        body: token_chars,
    },
    Format {
        name: "Stripe key",
        secret: true,
        prefix: "sk_live_",
        min: 16,
        body: alnum,
    },
    Format {
        name: "Stripe key",
        secret: true,
        prefix: "rk_live_",
        min: 16,
        body: alnum,
    },
    Format {
        name: "Google API key",
        secret: true,
        prefix: "AIza",
        min: 35,
        body: token_chars,
    },
    Format {
        name: "SendGrid key",
        secret: true,
        prefix: "SG.",
        min: 60,
        body: sendgrid,
    },
    Format {
        name: "AWS access key",
        secret: false,
        prefix: "AKIA",
        min: 16,
        body: upper_alnum,
    },
    Format {
        name: "AWS access key",
        secret: false,
        prefix: "ASIA",
        min: 16,
        body: upper_alnum,
    },
];

/// A credential found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its byte range.
    pub range: std::ops::Range<usize>,
    /// Its format's name.
    pub name: &'static str,
    /// Whether it is a secret on its own (not only an identifier).
    pub secret: bool,
}

/// Each credential in `text`. A match must start at a word boundary (not in
/// the middle of a longer word). One pass over the bytes: only a byte that
/// starts some prefix, after a boundary, is looked at further.
pub fn find(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // to the next byte that starts some prefix, in a loop of its own: few do
        match bytes[i..].iter().position(|&b| IS_START[usize::from(b)]) {
            Some(skip) => i += skip,
            None => break,
        }
        let b = bytes[i];
        let boundary = || i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if !boundary() || !bytes.get(i + 1).is_some_and(|&next| starts_pair(b, next)) {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        if b == b'-' {
            match private_key_at(text, i) {
                Some(found) => {
                    i = found.range.end.max(i + 1);
                    out.push(found);
                }
                None => i += 1,
            }
            continue;
        }
        let hit = FORMATS.iter().find_map(|f| {
            let body_start = i + f.prefix.len();
            if !rest.starts_with(f.prefix) {
                return None;
            }
            // every body character is ASCII: bytes count characters
            let body = text[body_start..]
                .chars()
                .take_while(|c| (f.body)(*c))
                .count();
            (body >= f.min).then_some(Found {
                range: i..body_start + body,
                name: f.name,
                secret: f.secret,
            })
        });
        match hit {
            Some(found) => {
                i = found.range.end;
                out.push(found);
            }
            None => i += 1,
        }
    }
    out
}

/// The bytes a credential can start with: every format's first byte, and `-`
/// of a private-key block.
const STARTS: &[u8] = b"gxsrASG-";

/// [`STARTS`] as a table indexed by byte.
const IS_START: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < STARTS.len() {
        table[STARTS[i] as usize] = true;
        i += 1;
    }
    table
};

/// For each byte a credential can start with, the bytes that can follow it:
/// the first two of every format's prefix, and `--` of a private-key block.
/// A word starting with `s` or `r` is common; one starting with `sk` or `rk`
/// is not, and only such a word is compared with the prefixes.
const PAIRS: [[u64; 4]; 256] = {
    const fn mark(mut table: [[u64; 4]; 256], first: u8, second: u8) -> [[u64; 4]; 256] {
        table[first as usize][(second / 64) as usize] |= 1 << (second % 64);
        table
    }
    let mut table = [[0u64; 4]; 256];
    let mut i = 0;
    while i < FORMATS.len() {
        // every prefix is longer than one byte (a shorter one fails to build)
        let p = FORMATS[i].prefix.as_bytes();
        table = mark(table, p[0], p[1]);
        i += 1;
    }
    mark(table, b'-', b'-')
};

/// Whether a credential can start with `first` followed by `second`.
fn starts_pair(first: u8, second: u8) -> bool {
    PAIRS[usize::from(first)][usize::from(second / 64)] & (1 << (second % 64)) != 0
}

/// The PEM private-key block starting at `at`, if one does: from `-----BEGIN
/// … PRIVATE KEY-----` to the end of its `-----END … -----` line (also when
/// written on one line with `\n` escapes); without an end line, through the
/// base64 lines that follow.
fn private_key_at(text: &str, at: usize) -> Option<Found> {
    if !text[at..].starts_with("-----BEGIN ") {
        return None;
    }
    let header_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if !text[at..header_end].contains("PRIVATE KEY-----") {
        return None;
    }
    let end = match text[at..].find("-----END ") {
        Some(e) => {
            let label = at + e + "-----END ".len();
            text[label..]
                .find("-----")
                .map_or(text.len(), |f| label + f + "-----".len())
        }
        None => {
            // the base64 body: lines of base64 characters after the header
            let mut end = header_end;
            let mut pos = (header_end + 1).min(text.len());
            for line in text[pos..].split_inclusive('\n') {
                let body = line.trim().trim_matches(|c| c == '"' || c == '\'');
                let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
                if body.is_empty() || !body.chars().all(base64) {
                    break;
                }
                end = pos + line.trim_end().len();
                pos += line.len();
            }
            end
        }
    };
    Some(Found {
        range: at..end,
        name: "private key",
        secret: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<&'static str> {
        find(text).into_iter().map(|f| f.name).collect()
    }

    #[test]
    fn every_format_is_found_at_its_boundaries() {
        let gh = format!("ghp_{}", "a".repeat(36));
        let cases = [
            (gh.clone(), "GitHub token"),
            (format!("github_pat_{}", "A1_".repeat(20)), "GitHub token"),
            ("glpat-abcdefghij0123456789".to_string(), "GitLab token"),
            ("xoxb-1234567890-abcdefghij".to_string(), "Slack token"),
            (
                format!("sk_live_{}", "4eC39HqLyjWDarjtT1zdp7dc"),
                "Stripe key",
            ),
            (format!("rk_live_{}", "a1".repeat(12)), "Stripe key"),
            (format!("AIza{}", "S".repeat(35)), "Google API key"),
            (
                format!("SG.{}.{}", "a".repeat(22), "b".repeat(43)),
                "SendGrid key",
            ),
            ("AKIAIOSFODNN7EXAMPLE".to_string(), "AWS access key"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n"
                    .to_string(),
                "private key",
            ),
        ];
        for (secret, name) in cases {
            let text = format!("TOKEN={secret} # note");
            let found = find(&text);
            assert_eq!(found.len(), 1, "{text:?}: {found:?}");
            assert_eq!(found[0].name, name);
            assert!(
                text[found[0].range.clone()].starts_with(&secret[..8]),
                "{text}"
            );
        }
    }

    #[test]
    fn only_a_prefix_s_first_two_bytes_lead_to_the_prefixes() {
        for f in FORMATS {
            let p = f.prefix.as_bytes();
            assert!(starts_pair(p[0], p[1]), "{}", f.prefix);
        }
        assert!(starts_pair(b'-', b'-'));
        for word in ["services", "restart", "image", "SHELL", "x-logging", "-e"] {
            let b = word.as_bytes();
            assert!(!starts_pair(b[0], b[1]), "{word}");
        }
        let text = format!("restart: always\nsecret: sk_live_{}", "a1".repeat(12));
        assert_eq!(names(&text), ["Stripe key"]);
    }

    #[test]
    fn every_prefix_starts_with_a_start_byte() {
        for f in FORMATS {
            assert!(STARTS.contains(&f.prefix.as_bytes()[0]), "{}", f.prefix);
        }
    }

    #[test]
    fn a_private_key_ends_at_its_end_line() {
        // written with escapes on one line: the rest of the file is not in it
        let text = "KEY: \"-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n\"\nimage: x\n";
        let found = find(text);
        assert_eq!(found.len(), 1);
        assert!(
            text[found[0].range.clone()].ends_with("END PRIVATE KEY-----"),
            "{found:?}"
        );
        // no end line: the base64 lines after the header, nothing more
        let text = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\nIB0g==\n\nimage: x\n";
        let found = find(text);
        assert_eq!(
            &text[found[0].range.clone()],
            "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\nIB0g=="
        );
    }

    #[test]
    fn lookalikes_are_not_credentials() {
        for text in [
            "ghp_short",
            "myghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n",
            "AKIA-short",
        ] {
            assert!(names(text).is_empty(), "{text}");
        }
    }
}
