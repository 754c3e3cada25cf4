//! What is a secret: one detector, used by every rule that reports secrets
//! and by the masking that keeps them out of every output, whatever rules run.
//!
//! A value is a secret when its name says so (`names`) **and** it can be one
//! (`values`: not a boolean, a path, an enumeration word…), or when its shape
//! says so whatever its name (`formats`: provider tokens, private keys), or
//! when it is the password of a URL. Where secrets are written in a project
//! is `scan`'s business; `commands` finds them on command lines.

pub mod commands;
pub mod formats;
pub mod json;
pub mod names;
pub mod scan;
pub mod values;

use std::ops::Range;

pub use names::is_secret_name;

/// What a masked secret is shown as: always the same length, so the mask
/// tells nothing about the secret.
pub const MASK: &str = "********";

/// Why a value is a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Its name says so and it can be one.
    Named,
    /// Its name says so and it is a placeholder (`changeme`): it ships if
    /// nobody replaces it.
    Placeholder,
    /// Its shape: a credential format (named).
    Format(&'static str),
    /// The password of a URL (`scheme://user:password@host`).
    UrlPassword,
    /// The password of a URL, and a placeholder (`postgres:postgres@`,
    /// `user:changeme@`): it ships if nobody replaces it.
    UrlPlaceholder,
}

impl Why {
    /// How a message says what was found (`a literal secret`, `a placeholder
    /// secret`, `a GitHub token`, `a password in a URL`).
    pub fn describe(self) -> String {
        match self {
            Why::Named => "a literal secret".into(),
            Why::Placeholder => "a placeholder secret".into(),
            Why::Format(name) => format!("a {name}"),
            Why::UrlPassword => "a password in a URL".into(),
            Why::UrlPlaceholder => "a placeholder password in a URL".into(),
        }
    }
}

/// A secret found in a value: where in it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Its byte range in the value.
    pub range: Range<usize>,
    /// Why it is one.
    pub why: Why,
}

/// Which names hold secrets: the built-in convention, plus names a
/// configuration adds (`secret-names`), minus names it allows
/// (`allowed-names`).
pub trait NameRule {
    /// `Some(true)`: a secret name; `Some(false)`: an ordinary one; `None`:
    /// allowed, never judged.
    fn judge(&self, name: &str) -> Option<bool>;
}

/// The built-in convention alone.
pub struct Convention;

impl NameRule for Convention {
    fn judge(&self, name: &str) -> Option<bool> {
        Some(is_secret_name(name))
    }
}

impl<F: Fn(&str) -> Option<bool>> NameRule for F {
    fn judge(&self, name: &str) -> Option<bool> {
        self(name)
    }
}

/// The secret in `value`, stored under `name` (if it has one): a credential
/// format first, then a URL's password, then a literal under a secret name.
/// `None` when it holds none.
pub fn judge(name: Option<&str>, value: &str, names: &dyn NameRule) -> Option<Secret> {
    let named = match name {
        Some(n) => names.judge(n)?,
        None => false,
    };
    if let Some(f) = formats::find(value).into_iter().find(|f| f.secret) {
        return Some(Secret {
            range: f.range,
            why: Why::Format(f.name),
        });
    }
    if let Some(range) = url_password(value) {
        let why = if values::is_placeholder(&value[range.clone()]) {
            Why::UrlPlaceholder
        } else {
            Why::UrlPassword
        };
        return Some(Secret { range, why });
    }
    if named && !values::cannot_be_secret(value) {
        let start = value.len() - value.trim_start().len();
        let end = value.trim_end().len().max(start);
        let why = if values::is_jwt(value) {
            Why::Format("JSON Web Token")
        } else if name.is_some_and(|n| values::is_placeholder_for(n, value)) {
            Why::Placeholder
        } else {
            Why::Named
        };
        return Some(Secret {
            range: start..end,
            why,
        });
    }
    None
}

/// Every range of `value` to mask: its secret, and any credential
/// identifier in it (an AWS access key id) that is not a secret alone.
pub fn masks(name: Option<&str>, value: &str, names: &dyn NameRule) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = judge(name, value, names)
        .map(|s| s.range)
        .into_iter()
        .collect();
    out.extend(formats::find(value).into_iter().map(|f| f.range));
    out
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

    fn why(name: &str, value: &str) -> Option<Why> {
        judge(Some(name), value, &Convention).map(|s| s.why)
    }

    #[test]
    fn names_and_values_together_decide() {
        for name in [
            "PGPASSWORD",
            "DB_PWD",
            "SMTP_PASS",
            "KAFKA_MASTER_ENCRYPTION_KEY",
            "APP_PARAM_SECRET",
        ] {
            assert_eq!(why(name, "k3b9x7Qp2mZr"), Some(Why::Named), "{name}");
        }
        assert_eq!(
            why("STRIPE_SK", "sk_live_51HxYzAbCdEfGhIjKlMnOpQr"),
            Some(Why::Format("Stripe key"))
        );
        assert_eq!(why("DB_PASSWORD", "changeme"), Some(Why::Placeholder));
        let jwt =
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert_eq!(why("API_TOKEN", jwt), Some(Why::Format("JSON Web Token")));
        assert_eq!(why("SAMPLE", jwt), None);
        // an enumeration or a class name under a secret-like name
        assert_eq!(why("KAFKA_SASL_CREDENTIALS_PROVIDER", "OAUTHBEARER"), None);
        assert_eq!(why("AUTH_SECRET_CLASS", "io.example.SecretProvider"), None);
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
        // a stand-in password is told apart, under any name
        let why = |v: &str| judge(Some("DATABASE_URL"), v, &Convention).map(|s| s.why);
        assert_eq!(why(v), Some(Why::UrlPassword));
        assert_eq!(
            why("postgres://postgres:postgres@db/app"),
            Some(Why::UrlPlaceholder)
        );
        assert_eq!(why("amqp://guest:changeme@mq"), Some(Why::UrlPlaceholder));
    }
}
