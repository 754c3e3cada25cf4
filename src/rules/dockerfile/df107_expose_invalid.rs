//! DF107 `expose-invalid`: an `EXPOSE` that names no port.
use crate::rules::prelude::*;

declare_rule! {
    /// An `EXPOSE` port out of range or malformed.
    pub ExposeInvalid {
        code: "DF107", name: "expose-invalid",
        category: Input, severity: Error, fix: FixKind::None, since: "0.2.0",
        hadolint: ["DL3011"],
    }
}

/// What is wrong with one `EXPOSE` word (`80`, `8000-8010/tcp`), if anything.
fn problem(word: &str) -> Option<String> {
    if word.contains('$') {
        return None;
    }
    let (ports, protocol) = match word.split_once('/') {
        Some((p, proto)) => (p, Some(proto)),
        None => (word, None),
    };
    if let Some(proto) = protocol {
        if !["tcp", "udp", "sctp"].contains(&proto.to_ascii_lowercase().as_str()) {
            return Some(format!("`{proto}` is not a protocol: use tcp, udp or sctp"));
        }
    }
    if ports.contains(':') {
        return Some(
            "`EXPOSE` takes a container port, not a host mapping or an address: publish ports in compose (`ports:`)"
                .into(),
        );
    }
    let parse = |p: &str| p.parse::<u32>().ok();
    let (start, end) = match ports.split_once('-') {
        Some((a, b)) => (parse(a), parse(b)),
        None => (parse(ports), parse(ports)),
    };
    match (start, end) {
        (Some(a), Some(b)) if a <= 65535 && b <= 65535 && a <= b => None,
        (Some(a), Some(b)) if a <= 65535 && b <= 65535 => {
            Some(format!("the range `{ports}` ends before it starts"))
        }
        (Some(_), Some(_)) => Some(format!("`{ports}` is past the last port, 65535")),
        _ => Some(format!("`{ports}` is not a port number")),
    }
}

impl DockerfileRule for ExposeInvalid {
    fn check(&self, unit: &DockerfileUnit<'_>, cx: &mut Context<'_>) {
        let df = unit.dockerfile;
        for word in df.exposed() {
            let Some(why) = problem(&word.value) else {
                continue;
            };
            cx.push(
                self.at(df.file, word.span, format!("`EXPOSE {}`: {why}", word.value))
                    .with_primary_label("not a container port")
                    .with_help("write a port (`8080`), a range (`8000-8010`) or a port with its protocol (`53/udp`)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{dockerfile, rendered};

    const BAD: &str = "FROM nginx:1.27.3\nEXPOSE 80 80000 8080:80 53/udp 9000-8000 5000/http\n";

    #[test]
    fn ports_out_of_range_mappings_and_bad_protocols() {
        assert_eq!(dockerfile("DF107", BAD).len(), 4);
        let fine = "FROM nginx:1.27.3\nEXPOSE 80 443/tcp 53/UDP 8000-8010 ${PORT}\n";
        assert!(dockerfile("DF107", fine).is_empty());
    }

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(rendered("DF107", &[&[("Dockerfile", BAD)]]));
    }
}
