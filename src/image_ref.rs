//! Image references (`registry/repository:tag@digest`) per Docker's reference
//! grammar, normalised the way Docker does (`nginx` is
//! `docker.io/library/nginx`). Used by both the Compose and the Dockerfile model.

use std::ops::Range;

/// A parsed image reference. Ranges are byte offsets into the parsed string.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ImageRef {
    /// Registry host (and port): `docker.io` when none is written.
    pub registry: String,
    /// Repository path, with `library/` added for official Docker Hub images.
    pub repository: String,
    /// The tag, if written.
    pub tag: Option<String>,
    /// The digest (`sha256:…`), if written.
    pub digest: Option<String>,
    /// Where the name (registry and repository) is written.
    pub name_range: Range<usize>,
    /// Where the tag is written, without the `:`.
    pub tag_range: Option<Range<usize>>,
    /// Where the digest is written, without the `@`.
    pub digest_range: Option<Range<usize>>,
}

/// Why a string is not an image reference, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRefError {
    /// What is wrong.
    pub message: String,
    /// The offending bytes.
    pub range: Range<usize>,
}

/// The registry used when a reference names none.
pub const DEFAULT_REGISTRY: &str = "docker.io";

impl ImageRef {
    /// Parses `s` (no surrounding whitespace, variables already substituted).
    pub fn parse(s: &str) -> Result<ImageRef, ImageRefError> {
        let err = |message: &str, range: Range<usize>| {
            Err(ImageRefError {
                message: message.to_string(),
                range,
            })
        };
        if s.is_empty() {
            return err("empty image reference", 0..0);
        }
        let (rest, digest_range) = match s.find('@') {
            Some(at) => (&s[..at], Some(at + 1..s.len())),
            None => (s, None),
        };
        if let Some(d) = &digest_range {
            if !valid_digest(&s[d.clone()]) {
                return err("invalid digest", d.clone());
            }
        }
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name_end, tag_range) = match rest[last_slash..].rfind(':') {
            Some(c) => (last_slash + c, Some(last_slash + c + 1..rest.len())),
            None => (rest.len(), None),
        };
        if let Some(t) = &tag_range {
            if !valid_tag(&s[t.clone()]) {
                return err("invalid tag", t.clone());
            }
        }
        let name = &s[..name_end];
        if name.is_empty() {
            return err("missing repository name", 0..name_end);
        }
        if name.len() > 255 {
            return err("repository name longer than 255 characters", 0..name_end);
        }
        let (registry, path, path_start) = match name.find('/') {
            Some(i) if is_registry(&name[..i]) => (&name[..i], &name[i + 1..], i + 1),
            _ => (DEFAULT_REGISTRY, name, 0),
        };
        if registry != DEFAULT_REGISTRY && !valid_registry(registry) {
            return err("invalid registry host", 0..path_start - 1);
        }
        let mut offset = path_start;
        for component in path.split('/') {
            if !valid_component(component) {
                let message = if component.bytes().any(|b| b.is_ascii_uppercase()) {
                    "repository names must be lowercase"
                } else {
                    "invalid repository name"
                };
                return err(message, offset..offset + component.len());
            }
            offset += component.len() + 1;
        }
        let registry = if registry == "index.docker.io" {
            DEFAULT_REGISTRY
        } else {
            registry
        };
        let repository = if registry == DEFAULT_REGISTRY && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_string()
        };
        Ok(ImageRef {
            registry: registry.to_string(),
            repository,
            tag: tag_range.clone().map(|r| s[r].to_string()),
            digest: digest_range.clone().map(|r| s[r].to_string()),
            name_range: 0..name_end,
            tag_range,
            digest_range,
        })
    }

    /// The name as people write it: no `docker.io/` and no `library/`
    /// (`postgres`, `bitnami/redis`, `ghcr.io/acme/web`).
    pub fn name(&self) -> String {
        if self.registry == DEFAULT_REGISTRY {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
                .to_string()
        } else {
            format!("{}/{}", self.registry, self.repository)
        }
    }

    /// The tag Docker pulls: the written tag, or `latest` when there is
    /// neither tag nor digest.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    /// `registry/repository`, fully qualified.
    pub fn full_name(&self) -> String {
        format!("{}/{}", self.registry, self.repository)
    }
}

/// Docker treats the first path component as a registry when it contains `.`
/// or `:`, is `localhost`, or has upper-case letters.
fn is_registry(first: &str) -> bool {
    first.contains(['.', ':'])
        || first == "localhost"
        || first.bytes().any(|b| b.is_ascii_uppercase())
}

fn valid_registry(host: &str) -> bool {
    let (host, port) = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, port)) => {
                if ip.is_empty()
                    || !ip
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
                {
                    return false;
                }
                ("x", port)
            }
            None => return false,
        }
    } else {
        match host.split_once(':') {
            Some((h, p)) => (h, &host[h.len()..][..p.len() + 1]),
            None => (host, ""),
        }
    };
    let port_ok = port.is_empty()
        || port
            .strip_prefix(':')
            .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    port_ok
        && host.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn valid_component(c: &str) -> bool {
    let b = c.as_bytes();
    if b.is_empty() || !is_alnum_lower(b[0]) || !is_alnum_lower(b[b.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < b.len() {
        if is_alnum_lower(b[i]) {
            i += 1;
            continue;
        }
        let sep_start = i;
        while i < b.len() && !is_alnum_lower(b[i]) {
            i += 1;
        }
        let sep = &c[sep_start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-')) {
            return false;
        }
    }
    true
}

fn is_alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[\w][\w.-]{0,127}`
fn valid_tag(t: &str) -> bool {
    let ok = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    !t.is_empty()
        && t.len() <= 128
        && ok(t.as_bytes()[0])
        && t.bytes().all(|b| ok(b) || b == b'.' || b == b'-')
}

/// `algorithm:hex`, the hex at least 32 characters.
fn valid_digest(d: &str) -> bool {
    let Some((alg, hex)) = d.split_once(':') else {
        return false;
    };
    !alg.is_empty()
        && alg.as_bytes()[0].is_ascii_alphabetic()
        && alg
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'.'))
        && hex.len() >= 32
        && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> (String, String, Option<String>, Option<String>) {
        let r = ImageRef::parse(s).unwrap();
        (r.registry, r.repository, r.tag, r.digest)
    }

    #[test]
    fn docker_hub_defaults() {
        assert_eq!(
            parts("nginx"),
            ("docker.io".into(), "library/nginx".into(), None, None)
        );
        assert_eq!(parts("nginx:1.27-alpine").2.as_deref(), Some("1.27-alpine"));
        assert_eq!(parts("bitnami/redis:7").1, "bitnami/redis");
        assert_eq!(parts("index.docker.io/library/nginx").0, "docker.io");
        assert_eq!(
            ImageRef::parse("nginx").unwrap().effective_tag(),
            Some("latest")
        );
    }

    #[test]
    fn registries_ports_and_digests() {
        assert_eq!(parts("localhost:5000/app:dev").0, "localhost:5000");
        assert_eq!(parts("ghcr.io/org/team/app:v1").1, "org/team/app");
        assert_eq!(parts("[::1]:5000/app").0, "[::1]:5000");
        let digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let r = ImageRef::parse(&format!("alpine:3.19@{digest}")).unwrap();
        assert_eq!(r.digest.as_deref(), Some(digest));
        assert_eq!(r.tag_range, Some(7..11));
        assert_eq!(r.effective_tag(), Some("3.19"));
        let r = ImageRef::parse(&format!("alpine@{digest}")).unwrap();
        assert_eq!((r.tag.as_deref(), r.effective_tag()), (None, None));
        assert_eq!(r.name_range, 0..6);
    }

    #[test]
    fn malformed_references_say_where() {
        assert_eq!(ImageRef::parse("Nginx").unwrap_err().range, 0..5);
        assert_eq!(
            ImageRef::parse("org/Nginx").unwrap_err().message,
            "repository names must be lowercase"
        );
        assert_eq!(ImageRef::parse("nginx:").unwrap_err().range, 6..6);
        assert_eq!(
            ImageRef::parse("nginx:-x").unwrap_err().message,
            "invalid tag"
        );
        assert_eq!(
            ImageRef::parse("nginx@sha256:12").unwrap_err().message,
            "invalid digest"
        );
        assert!(ImageRef::parse("a//b").is_err());
        assert!(ImageRef::parse("a--b_c__d.e").is_ok());
        assert!(ImageRef::parse("a___b").is_err());
    }
}
