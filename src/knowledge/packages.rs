//! Package managers as Dockerfiles run them: which programs they are, which
//! subcommands install, which options take a value (so the value is not
//! read as a package), and how a package names its version.

/// A package manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Manager {
    /// `apt-get`, `apt` (Debian, Ubuntu).
    Apt,
    /// `apk` (Alpine).
    Apk,
    /// `yum`, `dnf`, `microdnf`, `tdnf` (Red Hat, Fedora, Photon).
    Rpm,
    /// `zypper` (SUSE).
    Zypper,
    /// `pip`, `pip3`, `python -m pip`, `uv pip`.
    Pip,
    /// `npm`.
    Npm,
    /// `yarn`.
    Yarn,
    /// `pnpm`.
    Pnpm,
    /// `gem` (Ruby).
    Gem,
    /// `go install`.
    Go,
}

/// What seaworthy knows of one manager.
#[derive(Debug)]
pub struct ManagerInfo {
    /// The manager.
    pub manager: Manager,
    /// Subcommands that install packages named as operands.
    pub install: &'static [&'static str],
    /// Options written apart from their value (`-o X`, `--virtual .deps`).
    pub with_value: &'static [&'static str],
}

const APT: ManagerInfo = ManagerInfo {
    manager: Manager::Apt,
    install: &["install"],
    with_value: &[
        "-o",
        "-c",
        "-t",
        "-a",
        "--option",
        "--config-file",
        "--target-release",
        "--default-release",
        "--host-architecture",
    ],
};

const APK: ManagerInfo = ManagerInfo {
    manager: Manager::Apk,
    install: &["add"],
    with_value: &[
        "-X",
        "-p",
        "-t",
        "--repository",
        "--root",
        "--virtual",
        "--keys-dir",
        "--repositories-file",
        "--arch",
        "--cache-dir",
        "--cache-max-age",
    ],
};

const RPM: ManagerInfo = ManagerInfo {
    manager: Manager::Rpm,
    install: &["install", "in"],
    with_value: &[
        "-c",
        "-x",
        "-d",
        "-e",
        "--config",
        "--enablerepo",
        "--disablerepo",
        "--setopt",
        "--exclude",
        "--installroot",
        "--releasever",
        "--repo",
        "--repoid",
        "--forcearch",
        "--downloaddir",
        "--destdir",
    ],
};

const ZYPPER: ManagerInfo = ManagerInfo {
    manager: Manager::Zypper,
    install: &["install", "in"],
    with_value: &["-R", "-r", "-t", "--root", "--repo", "--type", "--from"],
};

const PIP: ManagerInfo = ManagerInfo {
    manager: Manager::Pip,
    // `pip wheel` and `pip download` fetch what a later `pip install` installs
    install: &["install", "wheel", "download"],
    with_value: &[
        "-r",
        "-c",
        "-e",
        "-i",
        "-f",
        "-t",
        "-C",
        "--requirement",
        "--constraint",
        "--editable",
        "--index-url",
        "--extra-index-url",
        "--find-links",
        "--target",
        "--prefix",
        "--root",
        "--trusted-host",
        "--src",
        "--upgrade-strategy",
        "--progress-bar",
        "--platform",
        "--python-version",
        "--implementation",
        "--abi",
        "--only-binary",
        "--no-binary",
        "--cache-dir",
        "--log",
        "--timeout",
        "--retries",
        "--proxy",
        "--cert",
        "--client-cert",
        "--global-option",
        "--install-option",
        "--config-settings",
        "--report",
        "--python",
        "--exists-action",
        "--root-user-action",
        "-p",
        "--index-strategy",
        "--resolution",
        "--prerelease",
        "--keyring-provider",
        "--python-platform",
    ],
};

const NPM: ManagerInfo = ManagerInfo {
    manager: Manager::Npm,
    install: &[
        "install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal",
        "isntall",
    ],
    with_value: &[
        "-w",
        "--prefix",
        "--workspace",
        "--registry",
        "--cache",
        "--omit",
        "--include",
        "--loglevel",
    ],
};

const YARN: ManagerInfo = ManagerInfo {
    manager: Manager::Yarn,
    install: &["add"],
    with_value: &["--cwd", "--registry", "--cache-folder", "--modules-folder"],
};

const PNPM: ManagerInfo = ManagerInfo {
    manager: Manager::Pnpm,
    install: &["add"],
    with_value: &["-C", "--dir", "--filter", "--registry", "--store-dir"],
};

const GEM: ManagerInfo = ManagerInfo {
    manager: Manager::Gem,
    install: &["install", "i"],
    with_value: &[
        "-v",
        "-i",
        "-n",
        "-s",
        "-P",
        "--version",
        "--install-dir",
        "--bindir",
        "--source",
        "--trust-policy",
        "--platform",
    ],
};

const GO: ManagerInfo = ManagerInfo {
    manager: Manager::Go,
    install: &["install"],
    with_value: &[
        "-ldflags",
        "-gcflags",
        "-asmflags",
        "-gccgoflags",
        "-tags",
        "-mod",
        "-modfile",
        "-p",
        "-buildmode",
        "-compiler",
        "-installsuffix",
        "-pkgdir",
        "-toolexec",
        "-overlay",
        "-pgo",
    ],
};

/// The manager a program is, by file name: `apt-get`, `/usr/bin/dnf`,
/// `pip3.12`. `python -m pip` and `uv pip` are recognised by the parser.
pub fn manager(program: &str) -> Option<&'static ManagerInfo> {
    let name = super::programs::command_name(program);
    Some(match name {
        "apt-get" | "apt" => &APT,
        "apk" => &APK,
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" => &RPM,
        "zypper" => &ZYPPER,
        "npm" => &NPM,
        "yarn" => &YARN,
        "pnpm" => &PNPM,
        "gem" => &GEM,
        "go" => &GO,
        _ if is_pip(name) => &PIP,
        _ => return None,
    })
}

/// The manager `pip` itself.
pub fn pip() -> &'static ManagerInfo {
    &PIP
}

/// `pip`, `pip3`, `pip3.12`.
fn is_pip(name: &str) -> bool {
    name.strip_prefix("pip")
        .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// Whether `program` is a Python interpreter (`python`, `python3.12`), for
/// `python -m pip`.
pub fn is_python(program: &str) -> bool {
    let name = super::programs::command_name(program);
    name.strip_prefix("python")
        .is_some_and(|v| v.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
}

/// Version tags that name whatever is newest, not a version.
pub const MOVING_VERSIONS: &[&str] = &["latest", "next", "master", "main", "head", "*", ""];

/// How an operand of an install command names its version, as its manager
/// reads it: `Some(true)` pinned, `Some(false)` not, `None` when it is not a
/// package name (a file, a URL, a variable) and has no version to pin.
pub fn pinned(manager: Manager, operand: &str) -> Option<bool> {
    let lower = operand.to_ascii_lowercase();
    if manager == Manager::Pip
        && ["git+", "hg+", "svn+", "bzr+"]
            .iter()
            .any(|v| lower.starts_with(v))
        && !operand.contains('$')
    {
        // a revision after the repository path: `git+https://host/r.git@v1.2`
        let path = lower.split_once("://").map_or("", |(_, rest)| rest);
        let path = path.split_once('/').map_or("", |(_, p)| p);
        return Some(path.split('#').next().unwrap_or("").contains('@'));
    }
    if operand.contains('$') || operand.contains("://") || operand.starts_with(['.', '/', '~']) {
        return None;
    }
    let version_after = |sep: char| {
        operand
            .rsplit_once(sep)
            .map(|(_, v)| !MOVING_VERSIONS.contains(&v.to_ascii_lowercase().as_str()))
    };
    match manager {
        Manager::Apt => {
            if operand.ends_with(".deb") {
                return None;
            }
            Some(operand.contains(['=', '/']))
        }
        Manager::Apk => {
            if operand.ends_with(".apk") {
                return None;
            }
            Some(operand.contains(['=', '~', '<', '>']))
        }
        Manager::Rpm => {
            if operand.ends_with(".rpm") || operand.starts_with('@') || operand.contains('/') {
                return None;
            }
            // `name-1.2.3`, `name-1.2.3-4.el9`, `name-1:1.1.1k`: a version (with
            // a dot or an epoch) or a version and release end the name;
            // `java-17-openjdk` and `gcc-toolset-12` are names
            let parts: Vec<&str> = operand.split('-').collect();
            let digit = |p: &&str| p.starts_with(|c: char| c.is_ascii_digit());
            let version = parts.len() > 1
                && parts.last().is_some_and(|last| {
                    digit(last)
                        && (last.contains(['.', ':'])
                            || (parts.len() > 2 && digit(&parts[parts.len() - 2])))
                });
            Some(operand.contains(['=', '<', '>']) || version)
        }
        Manager::Zypper => {
            if operand.ends_with(".rpm") || operand.contains(':') {
                return None;
            }
            Some(operand.contains(['=', '<', '>']))
        }
        Manager::Pip => {
            if [".whl", ".tar.gz", ".zip", ".tgz"]
                .iter()
                .any(|e| lower.ends_with(e))
                || operand.contains('/')
            {
                return None;
            }
            Some(operand.contains(['=', '<', '>', '~', '@']))
        }
        Manager::Npm | Manager::Yarn | Manager::Pnpm => {
            let bare = operand.strip_prefix('@').unwrap_or(operand);
            if operand.ends_with(".tgz")
                || operand.contains(':')
                || (!operand.starts_with('@') && operand.contains('/'))
            {
                return None;
            }
            Some(bare.contains('@') && version_after('@') == Some(true))
        }
        Manager::Gem => {
            if operand.ends_with(".gem") {
                return None;
            }
            Some(version_after(':') == Some(true))
        }
        Manager::Go => {
            if !operand.contains('@') {
                // `./cmd/app`, `example.com/tool`: the module's own packages,
                // or what its `go.mod` requires
                return None;
            }
            Some(version_after('@') == Some(true))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_known_by_file_name() {
        assert_eq!(manager("/usr/bin/apt-get").unwrap().manager, Manager::Apt);
        assert_eq!(manager("pip3.12").unwrap().manager, Manager::Pip);
        assert_eq!(manager("microdnf").unwrap().manager, Manager::Rpm);
        assert!(manager("pipx").is_none());
        assert!(manager("apt-cache").is_none());
        assert!(is_python("/usr/local/bin/python3.11"));
        assert!(!is_python("python-config"));
    }

    #[test]
    fn versions_by_manager() {
        use Manager::*;
        let cases: &[(Manager, &str, Option<bool>)] = &[
            (Apt, "curl", Some(false)),
            (Apt, "curl=7.88.1-10", Some(true)),
            (Apt, "curl/bookworm-backports", Some(true)),
            (Apt, "./pkg.deb", None),
            (Apt, "$PACKAGES", None),
            (Apk, "curl", Some(false)),
            (Apk, "curl=8.5.0-r0", Some(true)),
            (Apk, "curl~8.5", Some(true)),
            (Rpm, "httpd-2.4.57", Some(true)),
            (Rpm, "python3-pip", Some(false)),
            (Rpm, "java-17-openjdk", Some(false)),
            (Rpm, "gcc-toolset-12", Some(false)),
            (Rpm, "openssl-1:1.1.1k", Some(true)),
            (Rpm, "httpd-2.4.57-1.el9", Some(true)),
            (Rpm, "@development", None),
            (Zypper, "curl>=8", Some(true)),
            (Zypper, "curl", Some(false)),
            (Pip, "requests==2.32.3", Some(true)),
            (Pip, "requests[socks]>=2", Some(true)),
            (Pip, "requests", Some(false)),
            (Pip, "git+https://example.com/r.git@v1", Some(true)),
            (Pip, "git+ssh://git@example.com/r.git#egg=r", Some(false)),
            (Pip, "dist/app-1.0-py3-none-any.whl", None),
            (Npm, "typescript", Some(false)),
            (Npm, "typescript@5.6.3", Some(true)),
            (Npm, "@angular/cli@18", Some(true)),
            (Npm, "@angular/cli", Some(false)),
            (Npm, "npm@latest", Some(false)),
            (Npm, "github:user/repo", None),
            (Gem, "bundler", Some(false)),
            (Gem, "bundler:2.5.22", Some(true)),
            (Go, "golang.org/x/tools/gopls@v0.16.2", Some(true)),
            (Go, "golang.org/x/tools/gopls@latest", Some(false)),
            (Go, "./cmd/app", None),
            (Go, "example.com/tool", None),
        ];
        for (m, operand, want) in cases {
            assert_eq!(pinned(*m, operand), *want, "{m:?} {operand}");
        }
    }
}
