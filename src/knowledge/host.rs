//! The host a container runs on: the sockets that control the container
//! runtime, the host paths and devices that give a container the host, the
//! capabilities that break isolation, and the ports of services that must
//! not face a network.

/// Sockets of container runtimes: whoever can write to one starts a
/// privileged container, so owns the host.
const RUNTIME_SOCKETS: &[&str] = &[
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/var/run/crio/crio.sock",
    "/run/crio/crio.sock",
    "/var/run/podman/podman.sock",
    "/run/podman/podman.sock",
    "/var/run/cri-dockerd.sock",
    "/run/cri-dockerd.sock",
    "/run/systemd/private",
    "/var/run/systemd/private",
];

/// Directories holding those sockets: mounting one mounts the socket (bind
/// mounts are recursive, so `/` brings `/run` with it).
const SOCKET_DIRECTORIES: &[&str] = &[
    "/",
    "/var/run",
    "/run",
    "/var/run/docker",
    "/run/docker",
    "/var/run/containerd",
    "/run/containerd",
    "/var/run/podman",
    "/run/podman",
    "/var/run/systemd",
    "/run/systemd",
];

/// A host path as written, normalized: repeated and trailing `/` removed
/// (`/` stays `/`).
pub fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for part in path.split('/') {
        match part {
            "" | "." => {}
            // `..` climbs, but never above the first segment of a relative path
            ".." if path.starts_with('/') || out.matches('/').count() > 1 => {
                let cut = out.rfind('/').unwrap_or(0);
                out.truncate(cut);
            }
            _ => {
                out.push('/');
                out.push_str(part);
            }
        }
    }
    if path.starts_with('/') {
        if out.is_empty() {
            out.push('/');
        }
        out
    } else {
        // relative or `~`: keep its first segment as written
        out.trim_start_matches('/').to_string()
    }
}

/// Variables a host path may start with whose meaning is known wherever the
/// project is deployed: the deploying user's home directory and runtime
/// directory (`/run/user/<uid>`, where rootless Docker and Podman keep their
/// sockets). A path starting with one is judged as written.
pub const HOST_PATH_VARIABLES: &[&str] = &["HOME", "XDG_RUNTIME_DIR"];

/// `path` below a user's runtime directory, without it: `docker.sock` of
/// `/run/user/1000/docker.sock` or `${XDG_RUNTIME_DIR}/docker.sock`, `""`
/// for the directory itself.
fn user_runtime_relative(p: &str) -> Option<&str> {
    if let Some(rest) = p.strip_prefix("${XDG_RUNTIME_DIR}") {
        return match rest {
            "" => Some(""),
            _ => rest.strip_prefix('/'),
        };
    }
    let rest = p.strip_prefix("/run/user/")?;
    Some(rest.split_once('/').map_or("", |(_, below)| below))
}

/// Whether the host path `path` is a directory holding a runtime's socket
/// (`/run`, `/var/run`, `/`, a user's runtime directory) rather than the
/// socket itself.
pub fn is_socket_directory(path: &str) -> bool {
    let p = normalize(path);
    SOCKET_DIRECTORIES.contains(&p.as_str())
        || user_runtime_relative(&p).is_some_and(|rest| matches!(rest, "" | "podman"))
}

/// Whether mounting the host path `path` gives the container a container
/// runtime's socket: the socket itself, a rootless one
/// (`/run/user/1000/docker.sock`, `${XDG_RUNTIME_DIR}/podman/podman.sock`),
/// or the directory holding it.
pub fn is_runtime_socket(path: &str) -> bool {
    let p = normalize(path);
    RUNTIME_SOCKETS.contains(&p.as_str())
        || SOCKET_DIRECTORIES.contains(&p.as_str())
        || user_runtime_relative(&p).is_some_and(|rest| {
            matches!(rest, "" | "docker.sock" | "podman" | "podman/podman.sock")
        })
        || p.ends_with("/.docker/run/docker.sock")
}

/// How mounting a host path exposes the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sensitive {
    /// A system directory or the whole file system (`/`, `/etc`, `/proc`):
    /// read-only, it discloses the host; writable, it hands it over.
    System,
    /// Credentials (`~/.ssh`, `~/.aws`, `/etc/shadow`).
    Credentials,
    /// Below a directory whose contents control the host or other
    /// containers (`/sys/fs/cgroup`, `/var/lib/docker/volumes`): only
    /// writing is dangerous.
    WritableOnly,
}

/// Directories that are the host's system: mounted whole, they expose it.
const SYSTEM: &[&str] = &[
    "/",
    "/etc",
    "/proc",
    "/sys",
    "/boot",
    "/root",
    "/dev",
    "/home",
    "/usr",
    "/lib",
    "/lib64",
    "/bin",
    "/sbin",
    "/var",
    "/var/lib",
    "/var/log",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/containers",
    "/var/lib/kubelet",
];

/// Files and directories holding credentials, wherever they are mounted
/// from; `~/` stands for any home directory.
const CREDENTIALS: &[&str] = &[
    "/etc/shadow",
    "/etc/gshadow",
    "/etc/sudoers",
    "/etc/sudoers.d",
    "/etc/ssh",
    "/etc/kubernetes",
    "/etc/docker",
    "~/.ssh",
    "~/.aws",
    "~/.docker",
    "~/.kube",
    "~/.gnupg",
    "~/.config/gcloud",
    "~/.azure",
];

/// Directories whose contents, written to, control the host or the other
/// containers: what runs at boot or on a schedule, the programs and
/// libraries the host runs, kernel modules.
const WRITABLE_ONLY: &[&str] = &[
    "/proc",
    "/sys",
    "/boot",
    "/etc/cron.d",
    "/etc/crontab",
    "/etc/systemd",
    "/etc/init.d",
    "/etc/profile.d",
    "/etc/ld.so.preload",
    "/usr/bin",
    "/usr/sbin",
    "/usr/lib",
    "/usr/local/bin",
    "/usr/local/sbin",
    "/lib/modules",
    "/var/lib/docker",
    "/var/lib/containerd",
    "/var/lib/containers",
    "/var/lib/kubelet",
    // where rootless Podman and Docker keep images, containers and volumes
    "~/.local/share/containers",
    "~/.local/share/docker",
];

/// How mounting the host path `path` exposes the host, if it does. A path
/// from an unexpanded variable or relative to the project is never
/// sensitive here.
pub fn sensitive_path(path: &str) -> Option<Sensitive> {
    let p = normalize(path);
    let home = home_relative(&p);
    // `~/` in the lists stands for any home directory
    let below = |dir: &&str| match dir.strip_prefix("~/") {
        Some(rest) => home.as_deref().is_some_and(|h| under(h, rest)),
        None => under(&p, dir),
    };
    if CREDENTIALS.iter().any(below) {
        return Some(Sensitive::Credentials);
    }
    if SYSTEM.contains(&p.as_str()) {
        return Some(Sensitive::System);
    }
    if WRITABLE_ONLY.iter().any(below) {
        return Some(Sensitive::WritableOnly);
    }
    None
}

/// `path` below a home directory, without it (`.ssh/id_rsa` of
/// `/home/me/.ssh/id_rsa`, `~/.ssh`, `/root/.ssh`, `$HOME/.ssh`).
fn home_relative(path: &str) -> Option<String> {
    for home in ["~/", "$HOME/", "${HOME}/", "/root/"] {
        if let Some(rest) = path.strip_prefix(home) {
            return Some(rest.to_string());
        }
    }
    let rest = path.strip_prefix("/home/")?;
    let (_, below) = rest.split_once('/')?;
    Some(below.to_string())
}

/// Whether `path` is `dir` or below it.
fn under(path: &str, dir: &str) -> bool {
    path == dir
        || (path.starts_with(dir) && (dir.ends_with('/') || path[dir.len()..].starts_with('/')))
}

/// Capabilities that break the container's isolation, and whether each
/// amounts to root on the host (`ALL`, `SYS_ADMIN`, loading kernel modules,
/// raw I/O).
const CAPABILITIES: &[(&str, bool)] = &[
    ("ALL", true),
    ("SYS_ADMIN", true),
    ("SYS_MODULE", true),
    ("SYS_RAWIO", true),
    ("SYS_PTRACE", false),
    ("SYS_BOOT", false),
    ("SYS_TIME", false),
    ("DAC_READ_SEARCH", false),
    ("NET_ADMIN", false),
    ("BPF", false),
    ("PERFMON", false),
];

/// A dangerous capability as the kernel names it (`SYS_ADMIN` for
/// `cap_sys_admin`), and whether it amounts to root on the host.
pub fn dangerous_capability(name: &str) -> Option<(&'static str, bool)> {
    let upper = name.trim().to_ascii_uppercase();
    let bare = upper.strip_prefix("CAP_").unwrap_or(&upper);
    CAPABILITIES.iter().find(|(c, _)| *c == bare).copied()
}

/// Container ports of datastores, brokers, control planes and debuggers,
/// with what listens there: they hold data or run commands, and expect a
/// private network.
const PRIVATE_PORTS: &[(u16, &str)] = &[
    (1433, "SQL Server"),
    (2181, "ZooKeeper"),
    (1521, "Oracle Database"),
    (2375, "the Docker API (unencrypted)"),
    (2376, "the Docker API"),
    (2379, "etcd"),
    (2380, "etcd peers"),
    (3306, "MySQL"),
    (
        5005,
        "a Java debugger (JDWP), which runs any code it is sent",
    ),
    (5432, "PostgreSQL"),
    (5672, "RabbitMQ"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (6443, "the Kubernetes API"),
    (7474, "Neo4j"),
    (8086, "InfluxDB"),
    (8500, "Consul"),
    (9042, "Cassandra"),
    (9092, "Kafka"),
    (9200, "Elasticsearch"),
    (
        9229,
        "the Node.js inspector, which runs any code it is sent",
    ),
    (9300, "Elasticsearch transport"),
    (10250, "the kubelet API"),
    (11211, "Memcached"),
    (15672, "the RabbitMQ management UI"),
    (27017, "MongoDB"),
];

/// What listens on the container port `port` when it is a datastore, broker
/// or control plane port.
pub fn private_port(port: u16) -> Option<&'static str> {
    PRIVATE_PORTS
        .iter()
        .find(|(p, _)| *p == port)
        .map(|(_, what)| *what)
}

/// Ports of particular images that hold data or run commands, by the last
/// part of the image's repository (`kong/kong-gateway` → `kong-gateway`
/// starts with `kong`).
const IMAGE_PORTS: &[(&str, u16, &str)] = &[
    ("clickhouse", 8123, "the ClickHouse HTTP interface"),
    ("clickhouse", 9000, "the ClickHouse native protocol"),
    ("clickhouse", 9009, "ClickHouse replication"),
    ("kong", 8001, "the Kong Admin API"),
    ("kong", 8444, "the Kong Admin API"),
    ("minio", 9001, "the MinIO console"),
    ("portainer", 9000, "the Portainer UI"),
    ("redpanda", 9644, "the Redpanda Admin API"),
    ("portainer", 9443, "the Portainer UI"),
    ("traefik", 8080, "the Traefik API and dashboard"),
];

/// What listens on the container port `port` of an image whose repository
/// is `repository` (`library/postgres`, `kong/kong-gateway`), when it must
/// not face a network: a datastore, broker, control plane or admin API.
pub fn private_port_of(repository: Option<&str>, port: u16) -> Option<&'static str> {
    private_port(port).or_else(|| {
        let last = repository?.rsplit('/').next()?;
        IMAGE_PORTS
            .iter()
            .find(|(name, p, _)| *p == port && last.starts_with(name))
            .map(|(_, _, what)| *what)
    })
}

/// Ports a public web server is published on, on every interface by design.
pub const PUBLIC_WEB_PORTS: &[u16] = &[80, 443];

/// Whether the host IP `ip` (without brackets) only accepts connections
/// from the host itself.
pub fn is_loopback(ip: &str) -> bool {
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    ip == "localhost"
        || ip == "::1"
        || ip
            .parse::<std::net::IpAddr>()
            .is_ok_and(|a| a.is_loopback())
}

/// Whether the host IP `ip` is an address of a private network (RFC 1918,
/// carrier-grade NAT, IPv6 unique-local or link-local): reachable from the
/// local network only.
pub fn is_private_network(ip: &str) -> bool {
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    match ip.parse::<std::net::IpAddr>() {
        // RFC 1918, link-local, and the carrier-grade range VPN meshes use
        Ok(std::net::IpAddr::V4(a)) => {
            a.is_private()
                || a.is_link_local()
                || (a.octets()[0] == 100 && (a.octets()[1] & 0xc0) == 64)
        }
        Ok(std::net::IpAddr::V6(a)) => {
            let first = a.segments()[0];
            (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
        Err(_) => false,
    }
}

/// Whether `ip` (without brackets) is an IP address rather than a host name.
pub fn is_ip(ip: &str) -> bool {
    ip.trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok()
}

/// Whether the host IP `ip` binds every interface (`0.0.0.0`, `::`).
pub fn is_unspecified(ip: &str) -> bool {
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    ip.parse::<std::net::IpAddr>()
        .is_ok_and(|a| a.is_unspecified())
}

/// Devices that give a container the host: raw disks, memory, the kernel log.
pub fn dangerous_device(path: &str) -> Option<&'static str> {
    let p = normalize(path);
    let name = p.strip_prefix("/dev/")?;
    let disk = [
        "sd", "hd", "vd", "xvd", "nvme", "mmcblk", "loop", "dm-", "md", "rbd", "zd", "nbd", "sg",
    ];
    if disk.iter().any(|d| {
        name.strip_prefix(d).is_some_and(|rest| {
            rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_alphanumeric())
        })
    }) || name.starts_with("mapper/")
        || name.starts_with("disk/")
        || name == "zfs"
    {
        return Some("a raw disk, which bypasses every file permission on it");
    }
    match name {
        "mem" | "kmem" | "port" => Some("the host's memory"),
        "kmsg" => Some("the kernel log, readable and writable"),
        "cpu" => Some("CPU registers"),
        n if n.starts_with("cpu/") && n.ends_with("/msr") => Some("CPU registers"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sockets_in_every_spelling() {
        for p in [
            "/var/run/docker.sock",
            "/var/run//docker.sock",
            "/run/docker.sock/",
            "/var/run",
            "/run/user/1000/docker.sock",
            "/run/podman/podman.sock",
            "/home/me/.docker/run/docker.sock",
            "/",
            "/run/systemd/private",
            "${XDG_RUNTIME_DIR}/podman/podman.sock",
            "${XDG_RUNTIME_DIR}/docker.sock",
            "${XDG_RUNTIME_DIR}",
            "/run/user/1000/",
            "${HOME}/.docker/run/docker.sock",
        ] {
            assert!(is_runtime_socket(p), "{p}");
        }
        for p in [
            "/var/run/postgresql",
            "./docker.sock",
            "/srv/run",
            "${XDG_RUNTIME_DIR}/pulse/native",
            "/run/user/1000/bus",
        ] {
            assert!(!is_runtime_socket(p), "{p}");
        }
    }

    #[test]
    fn sensitive_paths_by_kind() {
        use Sensitive::*;
        let cases = [
            ("/etc/", Some(System)),
            ("/proc", Some(System)),
            ("/etc/localtime", None),
            ("/etc/ssl/certs", None),
            ("/etc/shadow", Some(Credentials)),
            ("~/.ssh", Some(Credentials)),
            ("/home/me/.aws/credentials", Some(Credentials)),
            ("/root/.ssh", Some(Credentials)),
            ("$HOME/.kube/config", Some(Credentials)),
            (
                "${HOME}/.local/share/containers/storage",
                Some(WritableOnly),
            ),
            ("/home/me/.local/share/docker/volumes", Some(WritableOnly)),
            ("/home/me/.local/share/fonts", None),
            ("/sys/fs/cgroup", Some(WritableOnly)),
            ("/var/lib/docker/containers", Some(WritableOnly)),
            ("/home/me/project", None),
            ("./data", None),
            ("/srv/app", None),
            ("/var/lib/postgresql/data", None),
        ];
        for (p, want) in cases {
            assert_eq!(sensitive_path(p), want, "{p}");
        }
    }

    #[test]
    fn capabilities_ports_and_devices() {
        assert_eq!(
            dangerous_capability("cap_sys_admin"),
            Some(("SYS_ADMIN", true))
        );
        assert_eq!(
            dangerous_capability("NET_ADMIN"),
            Some(("NET_ADMIN", false))
        );
        assert_eq!(dangerous_capability("NET_BIND_SERVICE"), None);
        assert_eq!(private_port(5432), Some("PostgreSQL"));
        assert_eq!(private_port(8080), None);
        assert_eq!(
            private_port_of(Some("library/traefik"), 8080),
            Some("the Traefik API and dashboard")
        );
        assert_eq!(
            private_port_of(Some("kong/kong-gateway"), 8001),
            Some("the Kong Admin API")
        );
        assert_eq!(private_port_of(Some("library/nginx"), 8080), None);
        assert_eq!(private_port_of(None, 5432), Some("PostgreSQL"));
        for ip in ["127.0.0.1", "127.0.0.53", "::1", "[::1]", "localhost"] {
            assert!(is_loopback(ip), "{ip}");
        }
        for ip in ["0.0.0.0", "::", "[::]"] {
            assert!(is_unspecified(ip) && !is_loopback(ip), "{ip}");
        }
        for d in [
            "/dev/sda",
            "/dev/nvme0n1",
            "/dev/mem",
            "/dev/kmsg",
            "/dev/zfs",
        ] {
            assert!(dangerous_device(d).is_some(), "{d}");
        }
        for d in [
            "/dev/net/tun",
            "/dev/dri",
            "/dev/snd",
            "/dev/ttyUSB0",
            "/dev/shm",
            "/dev/fuse",
        ] {
            assert!(dangerous_device(d).is_none(), "{d}");
        }
    }
}
