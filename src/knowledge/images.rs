//! Images: which are Docker Official Images, which tags move, which images
//! keep state, and which stop gracefully on a signal other than `SIGTERM`.

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

/// Images that keep state (databases, queues, search engines, object
/// stores), by the last part of their repository name, whatever the
/// registry or namespace (`postgres`, `bitnami/postgresql`,
/// `confluentinc/cp-kafka`).
pub const STATEFUL: &[&str] = &[
    "postgres",
    "postgresql",
    "postgis",
    "timescaledb",
    "mysql",
    "mariadb",
    "percona-server",
    "mongo",
    "mongodb",
    "redis",
    "redis-stack-server",
    "valkey",
    "keydb",
    "dragonfly",
    "rabbitmq",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "scylla",
    "kafka",
    "cp-kafka",
    "zookeeper",
    "cp-zookeeper",
    "nats",
    "clickhouse-server",
    "clickhouse",
    "influxdb",
    "etcd",
    "minio",
    "couchdb",
    "neo4j",
    "cockroach",
    "questdb",
    "mssql-server",
    "oracle-database",
    "memgraph",
    "pulsar",
    "activemq",
    "artemis",
    "emqx",
    "mosquitto",
    "qdrant",
    "weaviate",
    "milvus",
    "meilisearch",
    "typesense",
    "solr",
];

/// Whether `image` keeps state: one of [`STATEFUL`].
pub fn is_stateful(image: &ImageRef) -> bool {
    let last = image.repository.rsplit('/').next().unwrap_or("");
    STATEFUL.contains(&last.to_ascii_lowercase().as_str())
}

/// Images whose own configuration sets an unprivileged `USER`, by registry
/// and repository (a trailing `/` covers every repository below it): the
/// Elastic Stack (uid 1000), Grafana (472), Loki (10001), the Prometheus
/// project's images (`nobody`), Bitnami's (1001), Jenkins, Keycloak and
/// SonarQube. A Dockerfile built on one that sets no `USER` does not run as
/// root. Images that start as root and drop privileges in their entrypoint
/// (the official `postgres`, `redis`) are not here: they start as root.
const NON_ROOT: &[&str] = &[
    "docker.elastic.co/elasticsearch/",
    "docker.elastic.co/kibana/",
    "docker.elastic.co/logstash/",
    "docker.elastic.co/beats/",
    "docker.elastic.co/elastic-agent/",
    "docker.elastic.co/apm/",
    "docker.io/grafana/grafana",
    "docker.io/grafana/grafana-oss",
    "docker.io/grafana/grafana-enterprise",
    "docker.io/grafana/loki",
    "docker.io/prom/",
    "quay.io/prometheus/",
    "docker.io/bitnami/",
    "docker.io/jenkins/jenkins",
    "quay.io/keycloak/keycloak",
    "docker.io/library/sonarqube",
];

/// Words in an image's repository or tag that say it runs unprivileged
/// (`distroless/…:nonroot`, `nginx-unprivileged`, `…rootless…`).
const NON_ROOT_WORDS: &[&str] = &["nonroot", "non-root", "rootless", "unprivileged"];

/// Whether `image` runs as an unprivileged user unless told otherwise: one
/// of [`NON_ROOT`], or its name says so ([`NON_ROOT_WORDS`]).
pub fn runs_unprivileged(image: &ImageRef) -> bool {
    let name = format!("{}/{}", image.registry, image.repository).to_ascii_lowercase();
    let known = NON_ROOT.iter().any(|n| match n.strip_suffix('/') {
        Some(dir) => name.starts_with(n) && name.len() > dir.len() + 1,
        None => name == *n,
    });
    let said = format!(
        "{}:{}",
        image.repository,
        image.tag.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    known || NON_ROOT_WORDS.iter().any(|w| said.contains(w))
}

/// Images whose graceful stop is not `SIGTERM`, with the signal their own
/// `STOPSIGNAL` sets: nginx finishes open requests on `SIGQUIT` (`SIGTERM`
/// drops them), Apache httpd on `SIGWINCH`, PostgreSQL stops at once but
/// cleanly on `SIGINT` (`SIGTERM` waits for every client to leave), PHP-FPM
/// finishes requests on `SIGQUIT`. Keyed by repository (`library/…` for
/// official images); PHP only for its `fpm` tags.
const GRACEFUL_STOP: &[(&str, &str)] = &[
    ("library/nginx", "SIGQUIT"),
    ("nginxinc/nginx-unprivileged", "SIGQUIT"),
    ("library/httpd", "SIGWINCH"),
    ("library/postgres", "SIGINT"),
    ("library/php", "SIGQUIT"),
];

/// The signal `image` stops gracefully on, when it is not `SIGTERM`.
pub fn graceful_stop_signal(image: &ImageRef) -> Option<&'static str> {
    if image.registry != DEFAULT_REGISTRY {
        return None;
    }
    let (_, signal) = GRACEFUL_STOP
        .iter()
        .find(|(repo, _)| *repo == image.repository)?;
    if image.repository == "library/php" && !image.tag.as_deref().is_some_and(|t| t.contains("fpm"))
    {
        return None;
    }
    Some(signal)
}

/// A signal as Docker accepts it (`SIGQUIT`, `QUIT`, `3`), by its `SIG…`
/// name; `None` for what is not a signal on Linux.
pub fn signal_name(signal: &str) -> Option<String> {
    const NUMBERS: &[(&str, &str)] = &[
        ("1", "SIGHUP"),
        ("2", "SIGINT"),
        ("3", "SIGQUIT"),
        ("6", "SIGABRT"),
        ("9", "SIGKILL"),
        ("10", "SIGUSR1"),
        ("12", "SIGUSR2"),
        ("15", "SIGTERM"),
        ("28", "SIGWINCH"),
    ];
    let s = signal.trim().to_ascii_uppercase();
    if let Some((_, name)) = NUMBERS.iter().find(|(n, _)| *n == s) {
        return Some(name.to_string());
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(if s.starts_with("SIG") {
        s
    } else {
        format!("SIG{s}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ImageRef {
        ImageRef::parse(s).unwrap()
    }

    #[test]
    fn vendor_images_that_run_unprivileged() {
        for image in [
            "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
            "docker.elastic.co/beats/heartbeat:8.15.0",
            "grafana/grafana:7.5.16",
            "prom/prometheus:v3.1.0",
            "bitnami/redis:7.4",
            "sonarqube:10-community",
            "gcr.io/distroless/nodejs22-debian12:nonroot",
            "nginxinc/nginx-unprivileged:1.27",
        ] {
            assert!(runs_unprivileged(&parse(image)), "{image}");
        }
        for image in [
            "grafana/promtail:3.0",
            "mcr.microsoft.com/playwright:v1.48.0",
            "postgres:17",
            "example.com/prom/prometheus",
            "grafana/grafana-image-renderer",
        ] {
            assert!(!runs_unprivileged(&parse(image)), "{image}");
        }
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
    fn stateful_images_by_name_whatever_the_namespace() {
        for s in [
            "postgres:17",
            "bitnami/postgresql:17",
            "confluentinc/cp-kafka:7.6.0",
            "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
            "quay.io/minio/minio",
        ] {
            assert!(is_stateful(&parse(s)), "{s}");
        }
        for entry in STATEFUL {
            assert!(is_stateful(&parse(entry)), "{entry}");
        }
        for s in ["nginx:1.27", "ghcr.io/acme/api:1.0", "node:22"] {
            assert!(!is_stateful(&parse(s)), "{s}");
        }
    }

    #[test]
    fn graceful_stop_signals() {
        assert_eq!(graceful_stop_signal(&parse("nginx:1.27")), Some("SIGQUIT"));
        assert_eq!(graceful_stop_signal(&parse("httpd:2.4")), Some("SIGWINCH"));
        assert_eq!(graceful_stop_signal(&parse("postgres:17")), Some("SIGINT"));
        assert_eq!(graceful_stop_signal(&parse("php:8.3-fpm")), Some("SIGQUIT"));
        assert_eq!(graceful_stop_signal(&parse("php:8.3-apache")), None);
        assert_eq!(
            graceful_stop_signal(&parse("nginxinc/nginx-unprivileged:1.27")),
            Some("SIGQUIT")
        );
        assert_eq!(graceful_stop_signal(&parse("redis:7")), None);
        assert_eq!(graceful_stop_signal(&parse("ghcr.io/acme/nginx")), None);
        assert_eq!(signal_name("quit").as_deref(), Some("SIGQUIT"));
        assert_eq!(signal_name("15").as_deref(), Some("SIGTERM"));
        assert_eq!(signal_name("SIGKILL").as_deref(), Some("SIGKILL"));
        assert_eq!(signal_name("${SIG}"), None);
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
