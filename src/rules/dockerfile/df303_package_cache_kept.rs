//! DF303 `package-cache-kept`: downloaded packages shipped in the image.
use crate::dockerfile::run::path_within;
use crate::knowledge::packages::Manager;
use crate::knowledge::programs::command_name;
use crate::rules::prelude::*;

declare_rule! {
    /// A package manager's cache left in the layer.
    pub PackageCacheKept {
        code: "DF303", name: "package-cache-kept",
        category: Resources, severity: Info, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL3019", "DL3042", "DL3032", "DL3040", "DL3036", "DL3060"],
    }
}

/// Where a manager keeps its cache, what keeps it out, for the message and help.
struct Cache {
    /// Directories holding it (a cache mount or an `rm` of one is enough).
    dirs: &'static [&'static str],
    /// Directory names (`.cache/pip`) for caches under a home directory.
    under_home: &'static [&'static str],
    /// How to keep it out of the layer.
    help: &'static str,
}

const APK: Cache = Cache {
    dirs: &["/var/cache/apk", "/etc/apk/cache"],
    under_home: &[],
    help: "use `apk add --no-cache`, or mount the cache (`RUN --mount=type=cache,target=/var/cache/apk …`)",
};
const PIP: Cache = Cache {
    dirs: &[],
    under_home: &[".cache/pip", ".cache"],
    help: "use `pip install --no-cache-dir` (or `ENV PIP_NO_CACHE_DIR=1`), or mount the cache \
           (`RUN --mount=type=cache,target=/root/.cache/pip …`)",
};
const UV: Cache = Cache {
    dirs: &[],
    under_home: &[".cache/uv", ".cache"],
    help: "use `uv pip install --no-cache` (or `ENV UV_NO_CACHE=1`), or mount the cache \
           (`RUN --mount=type=cache,target=/root/.cache/uv …`)",
};
const RPM: Cache = Cache {
    dirs: &[
        "/var/cache/yum",
        "/var/cache/dnf",
        "/var/cache/libdnf5",
        "/var/cache/tdnf",
    ],
    under_home: &[],
    help: "end the same `RUN` with `&& dnf clean all` (or `yum clean all`, `microdnf clean all`), \
           or mount the cache (`RUN --mount=type=cache,target=/var/cache/dnf …`)",
};
const ZYPPER: Cache = Cache {
    dirs: &["/var/cache/zypp"],
    under_home: &[],
    help: "end the same `RUN` with `&& zypper clean --all`, or mount the cache \
           (`RUN --mount=type=cache,target=/var/cache/zypp …`)",
};
const NPM: Cache = Cache {
    dirs: &[],
    under_home: &[".npm"],
    help: "end the same `RUN` with `&& npm cache clean --force`, or mount the cache \
           (`RUN --mount=type=cache,target=/root/.npm …`)",
};
const YARN: Cache = Cache {
    dirs: &["/usr/local/share/.cache/yarn"],
    under_home: &[".cache/yarn", ".yarn/cache", ".yarn/berry/cache"],
    help: "end the same `RUN` with `&& yarn cache clean`, or mount the cache \
           (`RUN --mount=type=cache,target=/usr/local/share/.cache/yarn …`)",
};

/// Whether `path` is one of the cache's directories (or one of its home
/// directory caches, `~/.cache/pip`), lies in one, or holds one.
fn in_cache(cache: &Cache, path: &str) -> bool {
    let path = path.trim_end_matches('*').trim_end_matches('/');
    cache
        .dirs
        .iter()
        .any(|d| path_within(path, d) || (path_within(d, path) && path.len() > 1))
        || cache.under_home.iter().any(|h| {
            path.ends_with(&format!("/{h}"))
                || path.contains(&format!("/{h}/"))
                || path == format!("~/{h}")
        })
}

/// Whether one of the variables `names` turning the cache off is in
/// effect for the command `cmds[i]`: set on the command, exported earlier in
/// its `RUN`, or set by an `ENV` or `ARG` of its stage's chain before it.
/// pip turns its cache off for any value of `PIP_NO_CACHE_DIR` (even
/// `off`); uv reads `UV_NO_CACHE` as a boolean.
fn disabled_by_env(df: &Dockerfile, cmds: &[RunCommand], i: usize, names: &[&str]) -> bool {
    let on = |v: &str| {
        names.contains(&"PIP_NO_CACHE_DIR")
            || !["", "0", "false", "no", "off"].contains(&v.to_ascii_lowercase().as_str())
    };
    let sets = |w: &ShellWord| {
        w.value
            .split_once('=')
            .is_some_and(|(n, v)| names.contains(&n) && on(v))
    };
    let c = &cmds[i];
    let run = crate::dockerfile::run::instruction_range(cmds, c.instruction);
    let exported = cmds[run.start..i]
        .iter()
        .any(|d| d.program() == "export" && d.args().iter().any(sets));
    let chain = df.stage_chain(c.stage);
    c.command.words.iter().any(sets)
        || exported
        || df.instructions[..c.instruction]
            .iter()
            .enumerate()
            .any(|(index, instr)| {
                let set = match &instr.kind {
                    Kind::Env(kvs) => kvs
                        .iter()
                        .any(|kv| names.contains(&kv.key.value.as_str()) && on(&kv.value.value)),
                    Kind::Arg(decls) => decls.iter().any(|a| {
                        names.contains(&a.name.value.as_str())
                            && a.default.as_ref().is_some_and(|d| on(&d.value))
                    }),
                    _ => false,
                };
                set && df.stage_of(index).is_some_and(|s| chain.contains(&s))
            })
}

/// Whether `d` cleans the cache of `p`'s manager: `apk cache clean`, `dnf
/// clean all`, `zypper clean`, `yarn cache clean`, `npm cache clean`, `pip
/// cache purge`, `uv cache clean`.
fn cleans(p: &PackageCommand<'_>, d: &RunCommand) -> bool {
    let args: Vec<&str> = d.args().iter().map(|a| a.value.as_str()).collect();
    let uv = command_name(&p.program.value) == "uv";
    if uv {
        return d.program() == "uv" && matches!(args.as_slice(), ["cache", "clean" | "prune", ..]);
    }
    let Some(q) = PackageCommand::parse(&d.command) else {
        return false;
    };
    let first = q.operands.first().map(|o| o.value.as_str());
    q.manager() == p.manager()
        && match p.manager() {
            Manager::Rpm => q.is("clean") && first == Some("all"),
            Manager::Zypper => q.is("clean") || q.is("cc"),
            _ => q.is("cache") && matches!(first, Some("clean" | "purge" | "prune")),
        }
}

/// Whether a `yarn` command installs: `yarn install`, `yarn add`, or a bare
/// `yarn` (not `yarn --version`).
fn yarn_installs(p: &PackageCommand<'_>) -> bool {
    match p.action {
        Some(_) => p.is("install") || p.is("add"),
        None => !p.has_option(&["--version", "-v", "-V", "--help", "-h"]),
    }
}

impl DockerfileRule for PackageCacheKept {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        let image = unit.image_stages();
        let cmds = unit.commands(cx);
        for (i, c) in cmds.iter().enumerate() {
            if !image.contains(&c.stage) {
                continue;
            }
            let Some(p) = PackageCommand::parse(&c.command) else {
                continue;
            };
            let uv = command_name(&p.program.value) == "uv";
            let cache = match p.manager() {
                Manager::Apk if p.installs() || p.is("update") || p.is("upgrade") => &APK,
                Manager::Pip if p.installs() && uv => &UV,
                Manager::Pip if p.installs() => &PIP,
                Manager::Rpm if p.installs() => &RPM,
                Manager::Zypper if p.installs() => &ZYPPER,
                Manager::Npm if p.installs() || p.is("ci") => &NPM,
                Manager::Yarn if yarn_installs(&p) => &YARN,
                _ => continue,
            };
            let flag_off = match p.manager() {
                Manager::Apk => p.has_option(&["--no-cache"]),
                Manager::Pip if uv => {
                    p.has_option(&["--no-cache", "-n"])
                        || disabled_by_env(df, cmds, i, &["UV_NO_CACHE"])
                }
                Manager::Pip => {
                    // pip takes any unambiguous prefix of a long option
                    p.options.iter().any(|(o, _)| {
                        o.value.len() >= "--no-cach".len()
                            && "--no-cache-dir".starts_with(o.value.as_str())
                    }) || disabled_by_env(df, cmds, i, &["PIP_NO_CACHE_DIR"])
                }
                _ => false,
            };
            let instr = &df.instructions[c.instruction];
            let mounted = instr.mounts().iter().any(|m| {
                m.kind != "bind" && m.target.as_deref().is_some_and(|t| in_cache(cache, t))
            });
            // cleaned later in the same `RUN`
            let run = crate::dockerfile::run::instruction_range(cmds, c.instruction);
            let cleaned = cmds[i + 1..run.end].iter().any(|d| {
                d.deleted_paths().iter().any(|path| in_cache(cache, path)) || cleans(&p, d)
            });
            if flag_off || mounted || cleaned {
                continue;
            }
            let action = p.action.map_or(String::new(), |a| format!(" {}", a.value));
            let span = p
                .action
                .map_or(p.program.span, |a| p.program.span.cover(a.span));
            let manager = p.display();
            cx.push(
                self.at(
                    df.file,
                    span,
                    format!("`{manager}{action}` leaves its download cache in the image"),
                )
                .with_primary_label("what it downloaded stays in this layer")
                .with_help(cache.help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const KEPT: &str = "FROM python:3.12-alpine\nRUN apk add curl=8.11.1-r0 && pip install flask==3.0.3\nRUN dnf install -y httpd-2.4.62 && yarn install --frozen-lockfile\n";

    #[test]
    fn caches_left_behind() {
        assert_eq!(dockerfile("DF303", KEPT).len(), 4);
        let fine = [
            "FROM python:3.12-alpine\nRUN apk add --no-cache curl && pip install --no-cache-dir flask\n",
            "FROM python:3.12-alpine\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask && apk add curl && rm -rf /var/cache/apk/*\n",
            "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n",
            "FROM fedora:41\nRUN dnf install -y httpd && dnf clean all\n",
            "FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean\n",
            "FROM node:22\nRUN yarn --version && pip install --no-cache /wheels/*.whl\n",
            "FROM python:3.12\nARG PIP_NO_CACHE_DIR=1\nRUN pip install flask\n",
            "FROM python:3.12\nENV PIP_NO_CACHE_DIR=off\nRUN pip install flask\n",
            "FROM python:3.12\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask && uv pip install httpx && uv cache clean\n",
            "FROM node:22\nRUN npm ci && npm cache clean --force\n",
            "FROM alpine:3.20\nRUN apk update && apk upgrade && rm -rf /var/cache/apk/*\n",
            "FROM python:3.12 AS build\nRUN pip install flask\nFROM python:3.12-slim\nCOPY --from=build /usr/local/lib /usr/local/lib\n",
        ];
        for text in fine {
            assert!(dockerfile("DF303", text).is_empty(), "{text}");
        }
        let kept = [
            "FROM fedora:41\nRUN dnf clean all && dnf install -y httpd\n",
            "FROM fedora:41\nRUN dnf install -y httpd && dnf clean metadata\n",
            "FROM python:3.12\nRUN pip install flask && rm -rf /srv/x.cache\n",
            "FROM node:22\nRUN npm ci\n",
            "FROM alpine:3.20\nRUN apk update\n",
        ];
        for text in kept {
            assert_eq!(dockerfile("DF303", text).len(), 1, "{text}");
        }
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF303", &[&[("Dockerfile", KEPT)]]));
    }
}
