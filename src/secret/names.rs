//! Names that hold a secret by convention. A name is split into words (at
//! `_`, `-`, `.` and lower-to-upper case changes); it holds a secret when one
//! of its words, or two adjacent words, say so — unless a later word says the
//! name is *about* the secret (`PASSWORD_FILE`, `TOKEN_TTL`, `SECRET_NAME`)
//! or an earlier one says the secret is public (`PUBLIC_KEY`).

/// Words that make a name secret-like on their own.
pub const SECRET_WORDS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "PWD",
    "PASS",
    "DBPASS",
    "REQUIREPASS",
    "SECRET",
    "SECRETS",
    "TOKEN",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
    "PRIVATEKEY",
    "SALT",
];

/// Endings that make one word secret-like (`PGPASSWORD`, `AUTHTOKEN`,
/// `CLIENTSECRET`), whatever comes before them.
pub const SECRET_ENDINGS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "PASSPHRASE",
    "SECRET",
    "TOKEN",
    "APIKEY",
];

/// Two adjacent words that together name a secret.
pub const SECRET_PAIRS: &[(&str, &str)] = &[
    ("API", "KEY"),
    ("PRIVATE", "KEY"),
    ("ACCESS", "KEY"),
    ("SECRET", "KEY"),
    ("AUTH", "KEY"),
    ("ENCRYPTION", "KEY"),
    ("SIGNING", "KEY"),
    ("MASTER", "KEY"),
    ("LICENSE", "KEY"),
    ("SESSION", "KEY"),
    ("APP", "KEY"),
    ("CLIENT", "SECRET"),
    ("CONSUMER", "KEY"),
];

/// Words that, as the last word, make a name secret (`REDIS_AUTH`,
/// `BASIC_AUTH`): alone or first they name a mechanism (`AUTH_TYPE`).
pub const SECRET_LAST_WORDS: &[&str] = &["AUTH"];

/// Words that, after the secret word, say the name is *about* a secret
/// rather than holding one: where it is, what it is called, how it behaves.
pub const ABOUT_WORDS: &[&str] = &[
    "FILE",
    "FILES",
    "PATH",
    "DIR",
    "LOCATION",
    "VERSION",
    "ID",
    "NAME",
    "USER",
    "USERNAME",
    "TYPE",
    "KIND",
    "MODE",
    "METHOD",
    "PROVIDER",
    "CLASS",
    "FORMAT",
    "LENGTH",
    "LEN",
    "MIN",
    "MAX",
    "POLICY",
    "ENABLED",
    "ENABLE",
    "DISABLE",
    "DISABLED",
    "REQUIRED",
    "REQUIRE",
    "EXPIRY",
    "EXPIRES",
    "EXPIRATION",
    "TTL",
    "TIMEOUT",
    "LIFETIME",
    "HEADER",
    "FIELD",
    "PARAM",
    "URL",
    "URI",
    "HOST",
    "PORT",
    "ENDPOINT",
    "ISSUER",
    "AUDIENCE",
    "ALGORITHM",
    "ALG",
    "HASH",
    "HASHED",
    "ROUNDS",
    "PREFIX",
    "SUFFIX",
    "ROTATION",
    "REFRESH",
    "COUNT",
    "SIZE",
    "REF",
    "ARN",
    "STORE",
    "VAR",
    "ENV",
    "KEYS",
    "SOURCE",
    "STRENGTH",
    "CHARSET",
    "RESET",
];

/// Words that, before the secret word, say the secret is public.
pub const PUBLIC_WORDS: &[&str] = &["PUBLIC", "PUB"];

/// Names that are not secrets whatever their words say.
const NOT_SECRETS: &[&str] = &["PWD", "OLDPWD"];

/// Splits a variable name into upper-case words at `_`, `-`, `.` and
/// lower-to-upper case changes (`dbPassword` → `DB`, `PASSWORD`).
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if matches!(c, '_' | '-' | '.' | '/') {
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
/// `DB_PASSWORD`, `GITHUB_TOKEN`, `stripeApiKey`, `DB_PWD`, `SMTP_PASS`,
/// `REDIS_AUTH` — but not `DB_PASSWORD_FILE`, `PUBLIC_KEY`, `TOKEN_TTL` or
/// `PWD` (the working directory).
pub fn is_secret_name(name: &str) -> bool {
    if NOT_SECRETS.contains(&name.to_ascii_uppercase().as_str()) {
        return false;
    }
    let words = words(name);
    let last_secret = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let pair = words
                .get(i + 1)
                .is_some_and(|next| SECRET_PAIRS.contains(&(w.as_str(), next.as_str())));
            if SECRET_WORDS.contains(&w.as_str()) || SECRET_ENDINGS.iter().any(|e| w.ends_with(e)) {
                Some(i)
            } else if pair {
                Some(i + 1)
            } else {
                (i + 1 == words.len() && i > 0 && SECRET_LAST_WORDS.contains(&w.as_str()))
                    .then_some(i)
            }
        })
        .max();
    let Some(at) = last_secret else {
        return false;
    };
    let about = words[at + 1..]
        .iter()
        .any(|w| ABOUT_WORDS.contains(&w.as_str()));
    let public = words[..at]
        .iter()
        .any(|w| PUBLIC_WORDS.contains(&w.as_str()));
    !about && !public
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_by_whole_words() {
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
            "PGPASSWORD",
            "DB_PWD",
            "POSTGRES_PWD",
            "SMTP_PASS",
            "DB_USER_PASSWORD",
            "LANGFUSE_MASTER_ENCRYPTION_KEY",
            "PARAM_STORE_ENCRYPTION_KEY",
            "OAUTH_CLIENT_SECRET",
            "REDIS_AUTH",
            "NEXTAUTH_SECRET",
            "APP_KEY",
            "SALT",
            "DBPASS",
            "requirepass",
            "AUTHTOKEN",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn every_table_entry_does_what_it_says() {
        for w in SECRET_WORDS {
            assert!(is_secret_name(&format!("APP_{w}")), "{w}");
        }
        for e in SECRET_ENDINGS {
            assert!(is_secret_name(&format!("APP_X{e}")), "{e}");
        }
        for (a, b) in SECRET_PAIRS {
            assert!(is_secret_name(&format!("APP_{a}_{b}")), "{a} {b}");
        }
        for w in SECRET_LAST_WORDS {
            assert!(is_secret_name(&format!("APP_{w}")), "{w}");
            assert!(!is_secret_name(&format!("{w}_MODE")), "{w}");
        }
        for w in ABOUT_WORDS {
            assert!(!is_secret_name(&format!("DB_PASSWORD_{w}")), "{w}");
            // before the secret word it does not exempt it
            assert!(is_secret_name(&format!("{w}_PASSWORD")), "{w}");
        }
        for w in PUBLIC_WORDS {
            assert!(!is_secret_name(&format!("{w}_TOKEN")), "{w}");
        }
        for n in NOT_SECRETS {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn names_about_a_secret_are_not_secrets() {
        for name in [
            "PWD",
            "PASSWORD_FILE",
            "POSTGRES_PASSWORD_FILE",
            "SSH_PUBLIC_KEY",
            "TOKEN_TTL",
            "AWS_ACCESS_KEY_ID",
            "PASSTHROUGH",
            "TOKENIZER_MODEL",
            "KEY",
            "SECRETARY",
            "VAULT_TOKEN_PATH",
            "KAFKA_SASL_CREDENTIALS_PROVIDER",
            "APP_SECRET_CLASS",
            "AUTH_TYPE",
            "AUTH",
            "PASSWORD_MIN_LENGTH",
            "DB_PASSWORD_HASH",
            "SECRET_NAME",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn words_split_at_separators_and_case() {
        assert_eq!(words("dbPassword"), ["DB", "PASSWORD"]);
        assert_eq!(words("a.b-c_d"), ["A", "B", "C", "D"]);
    }
}
