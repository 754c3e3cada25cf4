//! Images: which are Docker Official Images, and which tags move.

use crate::image_ref::{ImageRef, DEFAULT_REGISTRY};

/// Whether `image` is a Docker Official Image (`docker.io/library/*`:
/// `postgres`, `nginx`, `redis`, …). Their maintainers follow one policy:
/// the images define no `HEALTHCHECK` and, unless the program needs root to
/// start (`postgres`, `nginx`, `redis` drop privileges themselves), run as
/// root — so what they lack is known without pulling them.
pub fn is_official(image: &ImageRef) -> bool {
    image.registry == DEFAULT_REGISTRY && image.repository.starts_with("library/")
}

/// Tags that name a channel, not a release: the image behind them changes
/// whenever its maintainers push again.
pub const FLOATING_TAGS: &[&str] = &[
    "latest", "nightly", "edge", "stable", "lts", "current", "rolling", "dev", "develop", "main",
    "master", "mainline", "unstable", "testing", "beta", "alpha", "canary", "next", "snapshot",
];

/// Whether `tag` moves: one of [`FLOATING_TAGS`], or `latest` combined with a
/// variant (`latest-alpine`, `alpine-latest`).
pub fn is_floating_tag(tag: &str) -> bool {
    let t = tag.to_ascii_lowercase();
    FLOATING_TAGS.contains(&t.as_str()) || t.starts_with("latest-") || t.ends_with("-latest")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ImageRef {
        ImageRef::parse(s).unwrap()
    }

    #[test]
    fn official_images_are_the_library_namespace_of_docker_hub() {
        for s in [
            "postgres:17",
            "docker.io/library/nginx",
            "index.docker.io/redis:7",
        ] {
            assert!(is_official(&parse(s)), "{s}");
        }
        for s in [
            "bitnami/postgresql:17",
            "ghcr.io/acme/web",
            "quay.io/nginx",
            "localhost:5000/app",
        ] {
            assert!(!is_official(&parse(s)), "{s}");
        }
    }

    #[test]
    fn floating_tags() {
        for t in [
            "latest",
            "nightly",
            "edge",
            "LTS",
            "main",
            "latest-alpine",
            "alpine-latest",
        ] {
            assert!(is_floating_tag(t), "{t}");
        }
        for t in [
            "1.27",
            "17-alpine",
            "stable-20240101",
            "3.20",
            "v2",
            "latestfix",
        ] {
            assert!(!is_floating_tag(t), "{t}");
        }
    }
}
