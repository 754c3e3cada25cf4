//! Where seaworthy stands against hadolint, case by case: for every hadolint
//! code a rule declares, small Dockerfiles of the kinds hadolint's own tests
//! cover, with hadolint's verdict and ours. Where they differ, the reason is
//! given here and the rule's manual says so (checked: the manual names the
//! code and the reason's key words). hadolint's column is checked against
//! hadolint itself when it is installed (`.ci/run` installs 2.15.1). hadolint
//! codes also select, ignore and suppress the rules that cover them.

mod common;

use seaworthy::rules::{self, RULES};

/// One case: the hadolint code, the Dockerfile, whether hadolint reports it,
/// whether seaworthy does, and — when they differ — the words of the
/// manual that explain why.
struct Case {
    dl: &'static str,
    text: &'static str,
    hadolint: bool,
    ours: bool,
    why: Option<&'static str>,
}

const fn agree(dl: &'static str, text: &'static str, reported: bool) -> Case {
    Case {
        dl,
        text,
        hadolint: reported,
        ours: reported,
        why: None,
    }
}

const fn differ(dl: &'static str, text: &'static str, ours: bool, why: &'static str) -> Case {
    Case {
        dl,
        text,
        hadolint: !ours,
        ours,
        why: Some(why),
    }
}

const CASES: &[Case] = &[
    // DL4006: pipes without pipefail
    agree("DL4006", "FROM debian:12\nRUN wget -O - https://example.com/a.tgz | tar xz\n", true),
    agree("DL4006", "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN wget -O - https://example.com/a.tgz | tar xz\n", false),
    agree("DL4006", "FROM debian:12\nSHELL [\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]\nSHELL [\"/bin/sh\", \"-c\"]\nRUN wget -O - https://example.com/a.tgz | tar xz\n", true),
    agree("DL4006", "FROM debian:12\nSHELL [\"pwsh\", \"-c\"]\nRUN Get-Variable PSVersionTable | Select-Object -ExpandProperty Value\n", false),
    agree("DL4006", "FROM debian:12\nRUN grep 'a|b' /etc/hosts || true\n", false),
    agree("DL4006", "FROM debian:12\nRUN ls /app | sort > /files\nFROM debian:12\nSHELL [\"/bin/zsh\", \"-o\", \"pipefail\", \"-c\"]\nRUN true\n", true),
    differ("DL4006", "FROM debian:12\nRUN set -o pipefail && wget -O - https://example.com/a.tgz | tar xz\n", false, "set -o pipefail"),
    differ("DL4006", "FROM debian:12 AS base\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM base\nRUN wget -O - https://example.com/a.tgz | tar xz\n", false, "FROM <stage>"),
    differ("DL4006", "FROM debian:12\nRUN echo 'app:secret' | chpasswd\n", false, "`echo`"),
    differ("DL4006", "FROM debian:12\nRUN find /usr -name '*.so' | head -n 1 > /first\n", false, "SIGPIPE"),
    // DL3008 / DL3018 / DL3033 / DL3041 / DL3037 / DL3013 / DL3016 / DL3028 / DL3062: versions
    agree("DL3008", "FROM debian:12\nRUN apt-get install -y python\n", true),
    agree("DL3008", "FROM debian:12\nRUN apt-get install -y python=2.7\n", false),
    agree("DL3008", "FROM debian:12\nRUN apt-get install -y ./wkhtmltox_0.12.5-1.bookworm_amd64.deb\n", false),
    agree("DL3008", "FROM debian:12\nRUN apt-get install -y -t bookworm-backports openjdk-17-jdk=17.0.13+11-2\n", false),
    agree("DL3008", "FROM debian:12\nRUN apt-get install -y\n", false),
    differ("DL3008", "FROM debian:12\nRUN apt-get install -y $PACKAGES\n", false, "variable"),
    differ("DL3008", "FROM debian:12\nRUN /usr/bin/apt-get install -y curl\n", true, "file name"),
    agree("DL3018", "FROM alpine:3.20\nRUN apk add flex\n", true),
    agree("DL3018", "FROM alpine:3.20\nRUN apk add flex=2.6.4-r6\n", false),
    agree("DL3018", "FROM alpine:3.20\nRUN apk add --virtual build-deps python3-dev=3.12.8-r1\n", false),
    agree("DL3018", "FROM alpine:3.20\nRUN apk add git~2.45\n", false),
    agree("DL3018", "FROM alpine:3.20\nRUN apk add ./mypackage-1.1.1.apk\n", false),
    agree("DL3033", "FROM centos:7\nRUN yum install -y httpd-2.4.6\n", false),
    agree("DL3033", "FROM centos:7\nRUN yum install -y httpd\n", true),
    agree("DL3041", "FROM fedora:41\nRUN dnf install -y tomcat-9.0.1\n", false),
    agree("DL3041", "FROM fedora:41\nRUN dnf install -y tomcat\n", true),
    agree("DL3037", "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.46\n", false),
    agree("DL3037", "FROM opensuse/leap:15.6\nRUN zypper install -y httpd\n", true),
    agree("DL3013", "FROM python:3.12\nRUN pip install django\n", true),
    agree("DL3013", "FROM python:3.12\nRUN pip install django==5.1.4\n", false),
    agree("DL3013", "FROM python:3.12\nRUN pip install 'alabaster>=0.7'\n", false),
    agree("DL3013", "FROM python:3.12\nRUN pip install -r requirements.txt\n", false),
    agree("DL3013", "FROM python:3.12\nRUN pip install .\n", false),
    agree("DL3013", "FROM python:3.12\nRUN pip install git+https://github.com/org/repo.git@0.6#egg=repo\n", false),
    agree("DL3013", "FROM python:3.12\nRUN pip install git+https://github.com/org/repo.git#egg=repo\n", true),
    agree("DL3013", "FROM python:3.12\nRUN pip install pykafka -c constraints.txt\n", false),
    agree("DL3013", "FROM python:3.12\nRUN python3 -m pip install flask\n", true),
    differ("DL3013", "FROM python:3.12\nRUN uv pip install --system flask\n", true, "uv pip"),
    agree("DL3016", "FROM node:22\nRUN npm install express\n", true),
    agree("DL3016", "FROM node:22\nRUN npm install express@4.21.2\n", false),
    agree("DL3016", "FROM node:22\nRUN npm install @org/pkg\n", true),
    agree("DL3016", "FROM node:22\nRUN npm install\n", false),
    differ("DL3016", "FROM node:22\nRUN npm install -g npm@latest\n", true, "latest"),
    agree("DL3028", "FROM ruby:3.3\nRUN gem install bundler\n", true),
    agree("DL3028", "FROM ruby:3.3\nRUN gem install bundler:2.5.22\n", false),
    agree("DL3028", "FROM ruby:3.3\nRUN gem install bundler -v 2.5.22\n", false),
    agree("DL3062", "FROM golang:1.23\nRUN go install example.com/tool@latest\n", true),
    agree("DL3062", "FROM golang:1.23\nRUN go install example.com/tool@v1.2.3\n", false),
    agree("DL3062", "FROM golang:1.23\nRUN go install ./cmd/app\n", false),
    differ("DL3062", "FROM golang:1.23\nRUN go install example.com/tool\n", false, "go.mod"),
    // DL3009: apt lists
    agree("DL3009", "FROM debian:12\nRUN apt-get update && apt-get install -y python\n", true),
    agree("DL3009", "FROM debian:12\nRUN apt-get update && apt-get install -y python && rm -rf /var/lib/apt/lists/*\n", false),
    agree("DL3009", "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /usr/bin/gcc /gcc\n", false),
    agree("DL3009", "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y gcc\nFROM base\n", true),
    agree("DL3009", "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y gcc\n", false),
    differ("DL3009", "FROM debian:12\nRUN apt-get update && apt-get install -y gcc && rm -rf /tmp/build\n", true, "any `rm -rf`"),
    differ("DL3009", "FROM debian:12\nRUN apt-get update && apt-get install -y gcc && rm -fr /var/lib/apt/lists\n", false, "any spelling"),
    // DL3015: recommends
    agree("DL3015", "FROM debian:12\nRUN apt-get install -y python\n", true),
    agree("DL3015", "FROM debian:12\nRUN apt-get install -y --no-install-recommends python\n", false),
    agree("DL3015", "FROM debian:12\nRUN apt-get install -o APT::Install-Recommends=false -y python\n", false),
    differ("DL3015", "FROM debian:12\nRUN echo 'APT::Install-Recommends \"false\";' > /etc/apt/apt.conf.d/99norecommends\nRUN apt-get install -y python\n", false, "apt.conf"),
    // DL3019 / DL3042 / DL3032 / DL3040 / DL3036 / DL3060: caches
    agree("DL3019", "FROM alpine:3.20\nRUN apk add curl=8.11.1-r0\n", true),
    agree("DL3019", "FROM alpine:3.20\nRUN apk add --no-cache curl=8.11.1-r0\n", false),
    agree("DL3019", "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl=8.11.1-r0\n", false),
    differ("DL3019", "FROM alpine:3.20\nRUN apk add curl=8.11.1-r0 && rm -rf /var/cache/apk/*\n", false, "/var/cache/apk"),
    agree("DL3042", "FROM python:3.12\nRUN pip install django==5.1.4\n", true),
    agree("DL3042", "FROM python:3.12\nRUN pip install --no-cache-dir django==5.1.4\n", false),
    agree("DL3042", "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install django==5.1.4\n", false),
    agree("DL3042", "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip pip install django==5.1.4\n", false),
    agree("DL3032", "FROM centos:7\nRUN yum install -y httpd-2.4.6\n", true),
    agree("DL3032", "FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n", false),
    agree("DL3032", "FROM centos:7\nRUN yum clean all && yum install -y httpd-2.4.6\n", true),
    agree("DL3040", "FROM fedora:41\nRUN dnf install -y httpd-2.4.62 && dnf clean all\n", false),
    agree("DL3040", "FROM fedora:41\nRUN dnf install -y httpd-2.4.62\n", true),
    agree("DL3036", "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.46 && zypper clean\n", false),
    agree("DL3036", "FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.46\n", true),
    agree("DL3060", "FROM node:22\nRUN yarn install --frozen-lockfile\n", true),
    agree("DL3060", "FROM node:22\nRUN yarn install --frozen-lockfile && yarn cache clean\n", false),
    differ("DL3060", "FROM node:22\nRUN yarn add express@4.21.2\n", true, "yarn add"),
    // DL3020: ADD for local files
    agree("DL3020", "FROM alpine:3.20\nADD requirements.txt /app/\n", true),
    agree("DL3020", "FROM alpine:3.20\nADD rootfs.tar.gz /\n", false),
    agree("DL3020", "FROM alpine:3.20\nADD https://example.com/a.txt /a.txt\n", false),
    agree("DL3020", "FROM alpine:3.20\nADD app.zip /app/\n", true),
    differ("DL3020", "FROM alpine:3.20\nADD rootfs.tar.zst /\n", false, "zstd"),
    // DL3022: COPY --from
    agree("DL3022", "FROM alpine:3.20 AS build\nRUN touch /a\nFROM alpine:3.20\nCOPY --from=build /a /a\n", false),
    agree("DL3022", "FROM alpine:3.20\nRUN touch /a\nFROM alpine:3.20\nCOPY --from=0 /a /a\n", false),
    agree("DL3022", "FROM alpine:3.20\nCOPY --from=later /a /a\nFROM alpine:3.20 AS later\n", true),
    agree("DL3022", "FROM alpine:3.20\nCOPY --from=haskell:9.8 /opt /opt\n", false),
    differ("DL3022", "FROM alpine:3.20\nCOPY --from=busybox /bin/busybox /busybox\n", false, "image reference"),
    differ("DL3022", "FROM alpine:3.20\nCOPY --from=0 /a /a\n", true, "itself"),
    // DL3027 / DL3046 / DL4001
    agree("DL3027", "FROM debian:12\nRUN apt install -y python\n", true),
    agree("DL3027", "FROM debian:12\nRUN apt-get install -y python\n", false),
    agree("DL3046", "FROM debian:12\nRUN useradd -u 123456 luser\n", true),
    agree("DL3046", "FROM debian:12\nRUN useradd -l -u 123456 luser\n", false),
    agree("DL3046", "FROM debian:12\nRUN useradd -u 12345 luser\n", false),
    differ("DL3046", "FROM debian:12\nRUN useradd -u 65532 nonroot\n", true, "MB"),
    differ("DL3046", "FROM debian:12\nRUN useradd -u \"$APP_UID\" app\n", false, "variable"),
    agree("DL4001", "FROM debian:12\nRUN wget -q https://example.com/a && curl -fsSO https://example.com/b\n", true),
    agree("DL4001", "FROM debian:12\nRUN curl -fsSO https://example.com/b\n", false),
    // DL3003 / DL3000 / DL3011 / DL3004 / DL4000
    agree("DL3003", "FROM golang:1.23\nRUN cd /src && go build ./...\n", true),
    agree("DL3003", "FROM golang:1.23\nWORKDIR /src\nRUN go build ./...\n", false),
    differ("DL3003", "FROM debian:12\nRUN git clone https://example.com/r.git /opt/r && cd /opt/r && make\n", false, "creates"),
    agree("DL3000", "FROM debian:12\nWORKDIR app\n", true),
    agree("DL3000", "FROM debian:12\nWORKDIR /app\n", false),
    agree("DL3011", "FROM debian:12\nEXPOSE 80000\n", true),
    agree("DL3011", "FROM debian:12\nEXPOSE 8080/tcp\n", false),
    agree("DL3004", "FROM debian:12\nRUN sudo apt-get update\n", true),
    agree("DL3004", "FROM debian:12\nRUN apt-get update\n", false),
    agree("DL4000", "FROM debian:12\nMAINTAINER dev@example.com\n", true),
    agree("DL4000", "FROM debian:12\nLABEL org.opencontainers.image.authors=dev@example.com\n", false),
    agree("DL4001", "FROM debian:12 AS fetch\nRUN wget -q https://example.com/a\nFROM debian:12\nRUN curl -fsSO https://example.com/b\n", false),
];

fn lint(text: &str) -> Vec<seaworthy::diagnostic::Diagnostic> {
    let dir = common::scratch_dir("hadolint");
    common::write_files(&dir, &[("Dockerfile", text), (".dockerignore", ".git\n")]);
    common::lint_all(&dir)
}

#[test]
fn verdicts_agree_with_hadolint_or_the_manual_says_why() {
    for case in CASES {
        let rule =
            rules::find_alias(case.dl).unwrap_or_else(|| panic!("no rule declares {}", case.dl));
        let reported = lint(case.text).iter().any(|d| d.code == rule.meta.code);
        assert_eq!(
            reported, case.ours,
            "{} ({}) on {:?}",
            case.dl, rule.meta.code, case.text
        );
        match case.why {
            None => assert_eq!(case.hadolint, case.ours),
            Some(why) => {
                let manual = rule.meta.manual;
                assert!(
                    manual.contains(case.dl) && manual.contains(why),
                    "{}: the manual of {} does not explain the difference ({why:?})",
                    case.dl,
                    rule.meta.code
                );
            }
        }
    }
}

/// The rules of the Dockerfile breadth release: each hadolint code they
/// declare has cases above.
/// The codes hadolint reports on `text`.
fn hadolint_codes(bin: &std::path::Path, text: &str) -> Vec<String> {
    let dir = common::scratch_dir("hadolint-run");
    common::write_files(&dir, &[("Dockerfile", text)]);
    let out = std::process::Command::new(bin)
        .args(["--no-fail", "--format", "json", "Dockerfile"])
        .current_dir(&*dir)
        .output()
        .unwrap();
    let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("hadolint output on {text:?}: {e}"));
    found
        .iter()
        .filter_map(|f| f["code"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn hadolint_says_what_the_cases_say() {
    let Some(bin) = common::require_hadolint() else {
        return;
    };
    for case in CASES {
        let reported = hadolint_codes(&bin, case.text).iter().any(|c| c == case.dl);
        assert_eq!(
            reported, case.hadolint,
            "hadolint {} on {:?}",
            case.dl, case.text
        );
    }
}

#[test]
fn every_declared_hadolint_code_has_cases() {
    let breadth = RULES
        .iter()
        .filter(|r| r.meta.code.starts_with("DF") && r.meta.since == "0.2.0");
    for rule in breadth {
        for dl in rule.meta.hadolint {
            assert!(
                CASES.iter().any(|c| c.dl == *dl),
                "{dl} ({}) has no parity case",
                rule.meta.code
            );
        }
    }
}

#[test]
fn hadolint_codes_select_and_suppress() {
    let dir = common::scratch_dir("hadolint-codes");
    let text = "FROM debian:12\n# hadolint ignore=DL3008\nRUN apt-get install -y --no-install-recommends curl\nRUN apt-get install -y --no-install-recommends git\nRUN wget -qO- https://example.com/a | tar -x\n";
    common::write_files(&dir, &[("Dockerfile", text), (".dockerignore", ".git\n")]);
    let (_, findings, _) = common::check_concise(&dir, &["--select", "DL3008,DL4006", "."]);
    assert_eq!(
        findings,
        ["Dockerfile info[DF201]", "Dockerfile warning[DF104]"],
        "the pragma silences the first install only"
    );
}
