//! Values: which can be a secret, and which are placeholders that ship if
//! nobody replaces them.

/// Whether `value` cannot be a secret whatever its name says: empty, a
/// boolean, a small number, a path (`/run/secrets/db`), a URL without
/// credentials, a reference to a secret store (`vault:`, `arn:aws:…`), an
/// enumeration word in capitals (`OAUTHBEARER`, `SCRAM-SHA-256`) or a dotted
/// class or host name (`io.example.SecretProvider`).
pub fn cannot_be_secret(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "none"
        )
        || (v.len() <= 2 && v.bytes().all(|b| b.is_ascii_digit()))
        || is_path(v)
        || is_plain_url(v)
        || is_store_reference(v)
        || is_enum_word(v)
        || (is_dotted_name(v) && !is_jwt(v))
}

/// A JSON Web Token: three base64url parts joined by dots, the first two
/// JSON objects (`eyJ…`).
pub fn is_jwt(v: &str) -> bool {
    let parts: Vec<&str> = v.trim().split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].starts_with("eyJ")
        && parts.iter().all(|p| {
            p.len() >= 4
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

fn is_path(v: &str) -> bool {
    ["/", "./", "../", "~/"].iter().any(|p| v.starts_with(p)) && !v.contains(char::is_whitespace)
}

/// `scheme://…` without a password in it.
fn is_plain_url(v: &str) -> bool {
    v.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.is_empty()
            && !rest.contains(char::is_whitespace)
    }) && super::url_password(v).is_none()
}

/// A reference to a secret kept elsewhere.
fn is_store_reference(v: &str) -> bool {
    const PREFIXES: &[&str] = &[
        "vault:",
        "arn:aws:secretsmanager:",
        "arn:aws:ssm:",
        "ssm:",
        "op://",
        "secretsmanager:",
        "azurekeyvault:",
        "keyvault:",
        "sm://",
        "gcp-secret:",
        "doppler:",
        "sops:",
        "file:",
        "env:",
    ];
    let lower = v.to_ascii_lowercase();
    PREFIXES.iter().any(|p| lower.starts_with(p))
}

/// An enumeration word: capitals joined by `_` or `-`, digits only in a
/// last group of their own (`OAUTHBEARER`, `PLAIN`, `SCRAM-SHA-256`).
fn is_enum_word(v: &str) -> bool {
    let (head, tail) = match v.rfind(['-', '_']) {
        Some(at) if v[at + 1..].bytes().all(|b| b.is_ascii_digit()) => (&v[..at], &v[at + 1..]),
        _ => (v, ""),
    };
    v.len() <= 24
        && !head.is_empty()
        && head.starts_with(|c: char| c.is_ascii_uppercase())
        && head
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c == '-')
        && tail.len() <= 3
}

/// `io.example.SecretProvider`, `db.internal.example.com`: identifiers joined
/// by dots, at least three of them.
fn is_dotted_name(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() >= 3
        && parts.iter().all(|p| {
            p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-')
        })
}

/// Values that stand in for a real secret: they ship if nobody replaces them.
pub const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "change_this",
    "changeit",
    "change-it",
    "replaceme",
    "replace_me",
    "replace-me",
    "password",
    "passw0rd",
    "secret",
    "mysecret",
    "supersecret",
    "example",
    "placeholder",
    "dummy",
    "todo",
    "test",
    "sample",
    "default",
    "admin",
];

/// Words that mark a value as a stand-in wherever they appear in it
/// (`dummy-key`, `insecure_build_secret`).
const STAND_IN_WORDS: &[&str] = &[
    "dummy",
    "fake",
    "placeholder",
    "insecure",
    "notsecret",
    "unused",
];

/// Words a stand-in is made of when it holds nothing else: `build-key`,
/// `test-secret`, `example_token`.
const FILLER_WORDS: &[&str] = &[
    "build", "key", "secret", "token", "password", "pass", "test", "example", "sample", "default",
    "not", "a", "only", "for", "the", "my",
];

/// Passwords software ships with or tutorials use: a stack left with one
/// runs with a password everyone knows.
const WELL_KNOWN: &[&str] = &[
    "root",
    "toor",
    "postgres",
    "mysql",
    "mariadb",
    "administrator",
    "guest",
    "user",
    "pass",
    "bitnami",
    "elastic",
    "minioadmin",
    "letmein",
    "qwerty",
    "welcome",
    "123",
    "1234",
    "12345",
    "123456",
    "1234567",
    "12345678",
    "123456789",
];

/// Words whose presence makes a value say what it stands for (`mysecret`,
/// `db-password`, `myredissecret`) rather than be one.
const SAYS_WHAT_IT_IS: &[&str] = &["secret", "password", "passwd", "changeme"];

/// Whether `value` is a placeholder: a known stand-in word (any case,
/// `-`/`_` ignored at the ends) or a well-known default password (`root`,
/// `postgres`, `123456`), a value naming what it stands for (`mysecret`,
/// `redis-password`), with a stand-in word in it (`dummy-key`) or made of
/// filler words only (`build-key`), a run of one character (`xxx`,
/// `0000…`), an angle-bracketed hint (`<your-token>`), or `your…`/`…-here`
/// wording.
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let lower = v.to_ascii_lowercase();
    let first = lower.chars().next();
    let words: Vec<&str> = lower
        .split(['-', '_', '.', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    PLACEHOLDERS.contains(&lower.as_str())
        || WELL_KNOWN.contains(&lower.as_str())
        || SAYS_WHAT_IT_IS.iter().any(|w| lower.contains(w))
        || words.iter().any(|w| STAND_IN_WORDS.contains(w))
        || (words.len() > 1 && words.iter().all(|w| FILLER_WORDS.contains(w)))
        || (lower.len() >= 3 && first.is_some_and(|f| lower.chars().all(|c| c == f)))
        || (lower.starts_with('<') && lower.ends_with('>'))
        || lower.starts_with("your")
        || lower.ends_with("here")
        || lower.starts_with("change")
        || lower.contains("changeme")
}

/// Whether `value` is a placeholder for a variable named `name`: one
/// anyway ([`is_placeholder`]), or the name's own words (`clickhouse` for
/// `CLICKHOUSE_PASSWORD`, `mysalt` for `SALT`).
pub fn is_placeholder_for(name: &str, value: &str) -> bool {
    if is_placeholder(value) {
        return true;
    }
    let lower = value.trim().to_ascii_lowercase();
    let bare = lower.strip_prefix("my").unwrap_or(&lower);
    super::names::words(name).iter().any(|w| {
        w.len() >= 3 && (w.to_ascii_lowercase() == lower || w.to_ascii_lowercase() == bare)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_cannot_be_secrets() {
        for v in [
            "",
            "true",
            "no",
            "1",
            "42",
            "/run/secrets/db_password",
            "./keys/sa.json",
            "https://auth.example.com/realms/app",
            "vault:secret/data/app#token",
            "arn:aws:secretsmanager:eu-west-1:123:secret:db",
            "OAUTHBEARER",
            "SCRAM-SHA-256",
            "PLAIN",
            "io.example.SecretProvider",
            "org.apache.kafka.common.security.plain.PlainLoginModule",
        ] {
            assert!(cannot_be_secret(v), "{v:?}");
        }
        for v in [
            "hunter2",
            "123",
            "s3cr3t-Pa55",
            "bitnami",
            "Xk9#mP2$vL",
            "PASSWORD123",
            "AES256",
            "postgres://u:p@db/app",
            "MYSECRETPW1234567890ABCDEFGH",
        ] {
            assert!(!cannot_be_secret(v), "{v:?}");
        }
    }

    #[test]
    fn a_value_repeating_its_name_is_a_placeholder() {
        assert!(is_placeholder_for("CLICKHOUSE_PASSWORD", "clickhouse"));
        assert!(is_placeholder_for("SALT", "mysalt"));
        assert!(is_placeholder_for("ELASTIC_PASSWORD", "elastic"));
        assert!(!is_placeholder_for("CLICKHOUSE_PASSWORD", "k3b9x7Qp2mZr"));
        assert!(!is_placeholder_for("DB_PASSWORD", "db"));
    }

    #[test]
    fn json_web_tokens_are_not_dotted_names() {
        let jwt =
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert!(is_jwt(jwt));
        assert!(!cannot_be_secret(jwt));
        assert!(!is_jwt("io.example.SecretProvider"));
    }

    #[test]
    fn placeholders() {
        for v in [
            "changeme",
            "CHANGEME",
            "changethis",
            "changePassword",
            "password",
            "secret",
            "xxx",
            "0000000000000000",
            "<your-token>",
            "your-api-key",
            "put-token-here",
            "admin",
            "build-key",
            "dummy-secret-for-tests",
            "insecure_build_only",
            "test-password",
            "root",
            "postgres",
            "bitnami",
            "123456",
            "myredissecret",
            "miniosecret",
        ] {
            assert!(is_placeholder(v), "{v:?}");
        }
        for v in [
            "hunter2",
            "rc-admin",
            "s3cr3t",
            "key",
            "build-7f3a9c",
            "k3b9x7Qp2mZr",
        ] {
            assert!(!is_placeholder(v), "{v:?}");
        }
    }
}
