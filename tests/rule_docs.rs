//! Every manual's examples are tests: a `bad` example must trigger its rule,
//! a `good` one must not, and neither may carry an input error of another rule
//! (an example that does not load proves nothing). A `fixed` example is what
//! the rule's fix makes of the `bad` example before it, byte for byte; every
//! fixable rule has one.

mod common;

use seaworthy::diagnostic::Severity;
use seaworthy::rules::{Category, RULES};

/// One example: its tag (`bad`/`good`) and its files.
#[derive(Debug)]
struct Example {
    tag: String,
    files: Vec<(String, String)>,
}

/// The fenced examples of a manual; consecutive blocks with `file=` and the
/// same tag form one example.
fn examples(manual: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut lines = manual.lines();
    let mut joinable = false;
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            if !line.trim().is_empty() {
                joinable = false;
            }
            continue;
        };
        let words: Vec<&str> = info.split_whitespace().collect();
        let mut body = String::new();
        for l in lines.by_ref() {
            if l.starts_with("```") {
                break;
            }
            body.push_str(l);
            body.push('\n');
        }
        let (Some(lang), Some(tag)) = (words.first(), words.get(1)) else {
            continue;
        };
        let file = words
            .iter()
            .find_map(|w| w.strip_prefix("file="))
            .map(str::to_string);
        let name = file.clone().unwrap_or_else(|| match *lang {
            "dockerfile" => "Dockerfile".into(),
            _ => "compose.yaml".into(),
        });
        match out.last_mut() {
            Some(last) if joinable && file.is_some() && last.tag == *tag => {
                last.files.push((name, body))
            }
            _ => out.push(Example {
                tag: tag.to_string(),
                files: vec![(name, body)],
            }),
        }
        joinable = file.is_some();
    }
    out
}

/// The files of `bad` after the fixes of rule `code` (unsafe ones too),
/// applied as `check --fix --unsafe-fixes` applies them.
fn fixed(code: &str, bad: &[(String, String)]) -> Vec<(String, String)> {
    let dir = common::scratch_dir("docs-fix");
    for (name, text) in bad {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let opts = seaworthy::engine::CheckOptions {
        process_env: seaworthy::compose::Environment::empty(),
        cli: seaworthy::config::Layer {
            select: Some(RULES.iter().collect()),
            ..Default::default()
        },
        ..Default::default()
    };
    // every rule runs, as in the lint; only this one's fixes apply
    let run = seaworthy::engine::fix::run(
        &[dir.to_path_buf()],
        &opts,
        seaworthy::fix::Safety::Unsafe,
        &mut |o| {
            for d in o.diagnostics.iter_mut().filter(|d| d.code != code) {
                d.fix = None;
            }
        },
    );
    assert!(!run.unconverged && run.broke == 0, "{code}: {run:?}");
    bad.iter()
        .map(|(name, text)| {
            let after = run
                .changed
                .iter()
                .find(|c| c.path.ends_with(name))
                .map_or(text.clone(), |c| c.after.to_string());
            (name.clone(), after)
        })
        .collect()
}

fn lint(files: &[(String, String)]) -> Vec<seaworthy::diagnostic::Diagnostic> {
    let dir = common::scratch_dir("docs");
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    common::lint_all(&dir)
}

#[test]
fn every_manual_example_does_what_it_says() {
    let input_codes: Vec<&str> = RULES
        .iter()
        .filter(|r| r.meta.category == Category::Input)
        .map(|r| r.meta.code)
        .collect();
    let mut checked = 0;
    for rule in RULES {
        let code = rule.meta.code;
        let examples = examples(rule.meta.manual);
        assert!(
            examples.iter().any(|e| e.tag == "bad"),
            "{code}: no `bad` example"
        );
        assert!(
            examples.iter().any(|e| e.tag == "good"),
            "{code}: no `good` example"
        );
        assert_eq!(
            examples.iter().any(|e| e.tag == "fixed"),
            rule.meta.fix != seaworthy::rules::FixKind::None,
            "{code}: a fixable rule shows its fix in a `fixed` example, and only a fixable one"
        );
        let mut last_bad: Option<&Vec<(String, String)>> = None;
        for ex in &examples {
            if ex.tag == "fixed" {
                let bad = last_bad.unwrap_or_else(|| panic!("{code}: `fixed` before any `bad`"));
                let after = fixed(code, bad);
                for (name, text) in &ex.files {
                    let got = after.iter().find(|(n, _)| n == name).map(|(_, t)| t);
                    assert_eq!(got, Some(text), "{code}: the fix of the `bad` example");
                }
            }
            if ex.tag == "bad" {
                last_bad = Some(&ex.files);
            }
            let found = lint(&ex.files);
            let own = found.iter().filter(|d| d.code == code).count();
            let broken: Vec<_> = found
                .iter()
                .filter(|d| {
                    d.code != code && input_codes.contains(&d.code) && d.severity == Severity::Error
                })
                .map(|d| format!("{} {}", d.code, d.message))
                .collect();
            assert!(
                broken.is_empty(),
                "{code} {} example does not load: {broken:?}",
                ex.tag
            );
            match ex.tag.as_str() {
                "bad" => assert!(
                    own > 0,
                    "{code}: a `bad` example is not reported: {:?}",
                    ex.files
                ),
                "good" | "fixed" => assert_eq!(
                    own, 0,
                    "{code}: a `{}` example is reported: {:?}",
                    ex.tag, ex.files
                ),
                other => panic!("{code}: unknown example tag `{other}`"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 2 * RULES.len());
}

#[test]
fn multi_file_examples_are_grouped() {
    let manual = "```yaml bad file=compose.yaml\na\n```\n\n```dockerfile bad file=Dockerfile\nb\n```\n\ntext\n\n```yaml good\nc\n```\n";
    let ex = examples(manual);
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0].files.len(), 2);
    assert_eq!(
        ex[1].files,
        vec![("compose.yaml".to_string(), "c\n".to_string())]
    );
}
