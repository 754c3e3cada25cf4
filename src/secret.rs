//! What looks like a secret: variable names that by convention hold one, and
//! URLs with a password in them. Shared by the Compose and Dockerfile models'
//! rules, which decide what counts as a *literal* value.

/// Words that make a name secret-like on their own.
const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATEKEY",
];

/// Two words that together name a secret (`API_KEY`, `PRIVATE_KEY`, …).
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("API", "KEY"),
    ("PRIVATE", "KEY"),
    ("ACCESS", "KEY"),
    ("SECRET", "KEY"),
    ("AUTH", "KEY"),
    ("ENCRYPTION", "KEY"),
    ("SIGNING", "KEY"),
    ("MASTER", "KEY"),
    ("LICENSE", "KEY"),
    ("DB", "PASS"),
    ("ROOT", "PASS"),
    ("ADMIN", "PASS"),
    ("USER", "PASS"),
];

/// Words that mark a name as *about* a secret rather than holding one: a file
/// or path holding it, a public half, a setting of the secret mechanism.
const NOT_SECRET_WORDS: &[&str] = &[
    "PUBLIC",
    "FILE",
    "PATH",
    "DIR",
    "VERSION",
    "ID",
    "NAME",
    "USER",
    "USERNAME",
    "TYPE",
    "MODE",
    "METHOD",
    "LENGTH",
    "LEN",
    "MIN",
    "MAX",
    "POLICY",
    "ENABLED",
    "ENABLE",
    "DISABLE",
    "DISABLED",
    "ALLOW",
    "EMPTY",
    "RANDOM",
    "REQUIRED",
    "REQUIRE",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "TTL",
    "TIMEOUT",
    "HEADER",
    "FIELD",
    "PARAM",
    "URL",
    "HOST",
    "PORT",
    "ENDPOINT",
    "ISSUER",
    "AUDIENCE",
    "ALGORITHM",
    "ALG",
    "HASH",
    "HASHED",
    "SALT",
    "ROUNDS",
    "PREFIX",
    "SUFFIX",
    "LOCATION",
    "ROTATION",
    "REFRESH",
    "COUNT",
    "SIZE",
];

/// Splits a variable name into upper-case words at `_`, `-`, `.` and
/// lower-to-upper case changes (`dbPassword` → `DB`, `PASSWORD`).
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.') {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_uppercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a variable named `name` conventionally holds a secret:
/// `DB_PASSWORD`, `GITHUB_TOKEN`, `stripeApiKey` — but not
/// `DB_PASSWORD_FILE`, `PUBLIC_KEY`, `TOKEN_TTL` or `PWD`.
pub fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    if words.iter().any(|w| NOT_SECRET_WORDS.contains(&w.as_str())) {
        return false;
    }
    words.iter().any(|w| SECRET_WORDS.contains(&w.as_str()))
        || words
            .windows(2)
            .any(|p| SECRET_PAIRS.contains(&(p[0].as_str(), p[1].as_str())))
}

/// Whether `value` is a placeholder rather than a secret: empty, a boolean
/// or a number-like switch, or a path to a file holding the secret
/// (`/run/secrets/db`, `./keys/sa.json`).
pub fn is_not_a_secret_value(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1"
        )
        || (["/", "./", "../", "~/"].iter().any(|p| v.starts_with(p))
            && !v.contains(char::is_whitespace))
}

/// The byte range of the password in a URL with embedded credentials
/// (`scheme://user:password@host`), if `value` holds one.
pub fn url_password(value: &str) -> Option<std::ops::Range<usize>> {
    let scheme_end = value.find("://")?;
    let scheme = &value[..scheme_end];
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let rest_start = scheme_end + 3;
    let rest = &value[rest_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let at = authority.rfind('@')?;
    let userinfo = &authority[..at];
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    if password.is_empty() || password.starts_with('$') {
        return None;
    }
    let start = rest_start + colon + 1;
    Some(start..start + password.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_recognised_by_whole_words() {
        for name in [
            "POSTGRES_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "GITHUB_TOKEN",
            "JWT_SECRET",
            "STRIPE_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "stripeApiKey",
            "db.password",
            "APIKEY",
            "SECRET_KEY_BASE",
            "GOOGLE_APPLICATION_CREDENTIALS_JSON",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "PWD",
            "PASSWORD_FILE",
            "POSTGRES_PASSWORD_FILE",
            "SSH_PUBLIC_KEY",
            "TOKEN_TTL",
            "AWS_ACCESS_KEY_ID",
            "PASSTHROUGH",
            "TOKENIZER_MODEL",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
            "KEY",
            "SECRETARY",
            "VAULT_TOKEN_PATH",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn credential_urls_locate_the_password() {
        let v = "postgres://app:s3cr3t@db:5432/app";
        assert_eq!(&v[url_password(v).unwrap()], "s3cr3t");
        assert_eq!(url_password("https://user@example.com"), None);
        assert_eq!(url_password("redis://:pw@cache"), Some(9..11));
        assert_eq!(url_password("postgres://u:${PW}@db"), None);
        assert_eq!(url_password("http://example.com/a:b@c"), None);
        assert_eq!(url_password("not a url user:pw@x"), None);
    }
}
