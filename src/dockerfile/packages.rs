//! Package-manager invocations in `RUN` commands, parsed once: the manager,
//! its subcommand, its options (with the values written apart from them) and
//! its operands, each with its span. The rules on pinning, recommends and
//! caches read this, never the raw words.

use crate::knowledge::packages::{self, Manager, ManagerInfo};
use crate::knowledge::programs::command_name;

use super::shell::{ShellWord, SimpleCommand};

/// One invocation of a package manager.
#[derive(Debug)]
pub struct PackageCommand<'c> {
    /// What is known of the manager.
    pub info: &'static ManagerInfo,
    /// The program word (`apt-get`, or `python3` of `python3 -m pip`).
    pub program: &'c ShellWord,
    /// The subcommand (`install`, `add`), if any.
    pub action: Option<&'c ShellWord>,
    /// Options, each with the value written after it, if it takes one.
    pub options: Vec<(&'c ShellWord, Option<&'c ShellWord>)>,
    /// The words after the subcommand that are not options.
    pub operands: Vec<&'c ShellWord>,
}

impl<'c> PackageCommand<'c> {
    /// Reads `command` as a package-manager invocation, if it is one.
    pub fn parse(command: &'c SimpleCommand) -> Option<Self> {
        let words = command.unwrapped();
        let (program, rest) = words.split_first()?;
        let (info, rest) = if let Some(info) = packages::manager(&program.value) {
            (info, rest)
        } else if packages::is_python(&program.value) {
            let m = rest.iter().position(|w| w.value == "-m")?;
            if rest.get(m + 1)?.value != "pip" {
                return None;
            }
            (packages::pip(), &rest[m + 2..])
        } else if command_name(&program.value) == "uv" && rest.first()?.value == "pip" {
            (packages::pip(), &rest[1..])
        } else {
            return None;
        };
        let mut out = PackageCommand {
            info,
            program,
            action: None,
            options: Vec::new(),
            operands: Vec::new(),
        };
        let mut i = 0;
        let mut options_end = false;
        while i < rest.len() {
            let w = &rest[i];
            i += 1;
            if !options_end && w.value == "--" {
                options_end = true;
                continue;
            }
            if !options_end && w.value.starts_with('-') && w.value.len() > 1 {
                let value = info
                    .with_value
                    .contains(&w.value.as_str())
                    .then(|| rest.get(i))
                    .flatten();
                i += usize::from(value.is_some());
                out.options.push((w, value));
                continue;
            }
            let global = info.manager == Manager::Yarn && w.value == "global";
            if out.action.is_none() && !global {
                out.action = Some(w);
            } else if !global {
                out.operands.push(w);
            }
        }
        Some(out)
    }

    /// How the manager is run, for messages: `apt-get`, `python3 -m pip`, `uv pip`.
    pub fn display(&self) -> String {
        let program = &self.program.value;
        match self.manager() {
            Manager::Pip if crate::knowledge::packages::is_python(program) => {
                format!("{program} -m pip")
            }
            Manager::Pip if command_name(program) == "uv" => format!("{program} pip"),
            _ => program.to_string(),
        }
    }

    /// The manager.
    pub fn manager(&self) -> Manager {
        self.info.manager
    }

    /// Whether the subcommand installs the packages named as operands.
    pub fn installs(&self) -> bool {
        self.action
            .is_some_and(|a| self.info.install.contains(&a.value.as_str()))
    }

    /// Whether the subcommand is `action`.
    pub fn is(&self, action: &str) -> bool {
        self.action.is_some_and(|a| a.value == action)
    }

    /// Whether one of `names` is given (`--no-cache`, or `--no-cache=…`).
    pub fn has_option(&self, names: &[&str]) -> bool {
        self.option_value(names).is_some()
    }

    /// The value of the first of `names` given: written after it, after
    /// `=`, or "" for a flag.
    pub fn option_value(&self, names: &[&str]) -> Option<&str> {
        self.options.iter().find_map(|(o, value)| {
            let (name, inline) = match o.value.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (o.value.as_str(), None),
            };
            names
                .contains(&name)
                .then(|| inline.or(value.map(|v| v.value.as_str())).unwrap_or(""))
        })
    }

    /// The packages an install command names with whether each is pinned to
    /// a version; operands that are files, URLs or variables are left out.
    /// `gem install -v X` and `pip install -c constraints.txt` pin every
    /// package they name.
    pub fn packages(&self) -> Vec<(&'c ShellWord, bool)> {
        // `zypper in -t pattern devel_basis`: patterns and patches have no version
        let not_packages = self.manager() == Manager::Zypper
            && self
                .option_value(&["-t", "--type"])
                .is_some_and(|t| t != "package");
        if !self.installs() || not_packages {
            return Vec::new();
        }
        // `gem install -v X` pins what it names; so do pip's constraints files
        let version_option = match self.manager() {
            Manager::Gem => self.has_option(&["-v", "--version"]),
            Manager::Pip => self.has_option(&["-c", "--constraint"]),
            _ => false,
        };
        self.operands
            .iter()
            .filter_map(|w| {
                let pinned = packages::pinned(self.manager(), &w.value)?;
                Some((*w, pinned || version_option))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::shell::commands;
    use crate::source::Span;

    /// The manager, subcommand, options and `(package, pinned)` of each invocation.
    type Parsed = (Manager, String, Vec<String>, Vec<(String, bool)>);

    fn parse(script: &str) -> Vec<Parsed> {
        let cmds = commands(script, Span::new(0, script.len()), b'\\');
        cmds.iter()
            .filter_map(PackageCommand::parse)
            .map(|p| {
                (
                    p.manager(),
                    p.action.map(|a| a.value.to_string()).unwrap_or_default(),
                    p.options.iter().map(|(o, _)| o.value.to_string()).collect(),
                    p.packages()
                        .into_iter()
                        .map(|(w, pinned)| (w.value.to_string(), pinned))
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn options_with_values_are_not_packages() {
        let got = parse(
            "apt-get -o Dpkg::Options::=--force-confold -y install --no-install-recommends curl=8.5.0-1 git",
        );
        assert_eq!(got.len(), 1);
        let (m, action, options, packages) = &got[0];
        assert_eq!((*m, action.as_str()), (Manager::Apt, "install"));
        assert_eq!(options, &["-o", "-y", "--no-install-recommends"]);
        assert_eq!(
            packages,
            &[
                ("curl=8.5.0-1".to_string(), true),
                ("git".to_string(), false)
            ]
        );
        let apk = parse("apk add --no-cache --virtual .build-deps gcc");
        assert_eq!(apk[0].3, [("gcc".to_string(), false)]);
    }

    #[test]
    fn pip_through_python_and_wrappers() {
        let got = parse(
            "sudo -E python3 -m pip install -r requirements.txt flask==3.0.3 && DEBIAN_FRONTEND=noninteractive uv pip install httpx",
        );
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].3, [("flask==3.0.3".to_string(), true)]);
        assert_eq!(got[1].3, [("httpx".to_string(), false)]);
        let gem = parse("gem install bundler -v 2.5.22 && yarn global add typescript@5.6.3");
        assert_eq!(gem[0].3, [("bundler".to_string(), true)]);
        assert_eq!(gem[1].1, "add");
        assert_eq!(gem[1].3, [("typescript@5.6.3".to_string(), true)]);
        assert!(parse("npm ci && apt-get update")
            .iter()
            .all(|p| p.3.is_empty()));
    }
}
