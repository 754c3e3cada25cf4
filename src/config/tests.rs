use std::path::Path;

use super::*;
use crate::rules::Selection;

fn parse(text: &str) -> Result<Config, Vec<Problem>> {
    file::parse(Path::new("/p/.seaworthy.yaml"), text)
}

fn errors(text: &str) -> Vec<(String, String)> {
    parse(text)
        .unwrap_err()
        .into_iter()
        .map(|p| {
            let span = p.span.expect("problems in a readable file have spans");
            (text[span.start..span.end].to_string(), p.message)
        })
        .collect()
}

fn globs(patterns: &[&str]) -> PathGlobs {
    let mut b = PathGlobs::builder();
    for p in patterns {
        b.add(p).unwrap();
    }
    b.build()
}

#[test]
fn an_empty_or_commented_file_changes_nothing() {
    for text in ["", "\n", "# only a comment\n"] {
        let c = parse(text).unwrap();
        assert!(c.base.select.is_none() && c.overrides.is_empty() && c.fail_on.is_none());
    }
}

#[test]
fn every_key_is_read() {
    let c = parse(
        "select: [CM]\nextend-select: [DF401]\nignore: [CM203]\nseverity: {CM101: info}\n\
         options: {CM201: {exempt-services: [migrate]}}\n\
         overrides:\n  - files: [dev/**]\n    ignore: [CM2]\n\
         fail-on: never\nenv-file: .env.ci\nprofiles: [prod]\nexclude: [legacy]\n\
         development: [sandbox]\nstacks: [deploy/stack.yml]\n",
    )
    .unwrap();
    // a prefix selects the rules that are not opt-in
    let compose_rules = crate::rules::RULES
        .iter()
        .filter(|r| r.meta.code.starts_with("CM") && !r.meta.opt_in)
        .count();
    assert_eq!(c.base.select.as_ref().unwrap().len(), compose_rules);
    assert_eq!(c.base.extend_select[0].meta.code, "DF401");
    assert_eq!(c.base.ignore[0].meta.code, "CM203");
    assert_eq!(c.base.severity, [("CM101", Severity::Info)]);
    assert_eq!(c.base.options[0].0, "CM201");
    assert!(c.base.options[0].2.matches("migrate"));
    assert_eq!(c.overrides.len(), 1);
    assert!(c.overrides[0]
        .files
        .matches(Path::new("dev/a/compose.yaml")));
    assert_eq!(c.fail_on, Some(None));
    assert_eq!(c.env_files, [Path::new("/p/.env.ci")]);
    assert_eq!(c.profiles.as_deref(), Some(&["prod".to_string()][..]));
    assert!(c.exclude.matches(Path::new("a/legacy/compose.yaml")));
    assert!(c
        .development
        .as_ref()
        .unwrap()
        .matches(Path::new("sandbox/compose.yaml")));
    assert!(c.stacks.matches(Path::new("deploy/stack.yml")));
    assert!(parse("development: []\n").unwrap().development.is_some());
    assert!(parse("select: [CM]\n").unwrap().development.is_none());
    let many = parse("env-file: [a.env, b.env]\n").unwrap();
    assert_eq!(many.env_files.len(), 2);
}

#[test]
fn problems_point_at_what_is_wrong() {
    assert_eq!(
        errors("selct: [CM]\n")[0].0,
        "selct",
        "an unknown key is an error at the key"
    );
    assert!(errors("severity:\n  CM101: fatal\n")[0].0.contains("fatal"));
    assert!(errors("fail-on: sometimes\n")[0].1.contains("sometimes"));
    let many = errors(
        "ignore: [CM999, healthcheck-mising]\nseverity: {CM2: info}\n\
         options: {CM101: {exempt: [x]}, CM204: {exempt-services: [x]}, CM201: {exempt-services: [\"[\"]}}\n\
         overrides:\n  - files: [\"a/{b\"]\n    select: [nope]\n  - files: []\nexclude: [\"\"]\n",
    );
    let at: Vec<&str> = many.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        at,
        [
            "CM999",
            "healthcheck-mising",
            "CM2",
            "exempt",
            "exempt-services",
            "\"[\"",
            "\"a/{b\"",
            "nope",
            "[",
            "\"\""
        ],
        "{many:#?}"
    );
    assert!(many[2].1.contains("several rules"));
    assert!(many[4].1.contains("no option"));
}

#[test]
fn every_problem_of_a_file_is_listed_in_plain_words() {
    let text = "selct: [CM]\nseverity:\n  CM101: warn\nignore: [nope]\n\
                overrides:\n  - files: [x]\n    ignor: [CM1]\nfail-on: sometimes\n\
                options: {CM201: {exempt-services: [a]}, bogus: 1}\n";
    let found = errors(text);
    let at: Vec<&str> = found.iter().map(|(at, _)| at.as_str()).collect();
    assert_eq!(
        at,
        ["selct", "warn", "ignor", "sometimes", "1", "nope"],
        "{found:#?}"
    );
    assert_eq!(found[4].1, "expected a mapping (`key: value` entries) here");
    assert_eq!(found[0].1, "unknown key `selct`");
    assert_eq!(
        found[1].1,
        "`warn` is not allowed here: use error, warning or info"
    );
    assert!(
        found[3].1.contains("error, warning, info or never"),
        "{found:#?}"
    );
    let help = parse(text).unwrap_err()[0].help.clone();
    assert_eq!(help.as_deref(), Some("did you mean `select`?"));
}

#[test]
fn overrides_need_files_and_know_only_rule_keys() {
    let missing = errors("overrides:\n  - ignore: [CM101]\n");
    assert!(missing[0].1.contains("files"), "{missing:?}");
    assert_eq!(
        errors("overrides:\n  - files: [a]\n    fail-on: never\n")[0].0,
        "fail-on"
    );
}

#[test]
fn path_globs_anchor_at_the_configuration_and_cover_directories() {
    let g = globs(&["legacy", "deploy/*.yaml", "./tools/", "**/test/**"]);
    assert!(g.matches(Path::new("legacy/compose.yaml")));
    assert!(g.matches(Path::new("a/b/legacy/Dockerfile")));
    assert!(g.matches(Path::new("deploy/compose.yaml")));
    assert!(!g.matches(Path::new("deploy/sub/compose.yaml")));
    assert!(g.matches(Path::new("tools/x/Dockerfile")));
    assert!(g.matches(Path::new("src/test/fixtures/compose.yaml")));
    assert!(!g.matches(Path::new("src/compose.yaml")));
    assert!(!globs(&[]).matches(Path::new("a")));
}

#[test]
fn relative_paths_climb_out_with_dot_dot() {
    assert_eq!(
        relative_to(Path::new("/a/b/c.yaml"), Path::new("/a")),
        Path::new("b/c.yaml")
    );
    assert_eq!(
        relative_to(Path::new("/a/x/c.yaml"), Path::new("/a/b")),
        Path::new("../x/c.yaml")
    );
}

fn enabled(sel: &Selection, code: &str) -> bool {
    sel.enables(code)
}

#[test]
fn layers_apply_in_order_and_the_command_line_comes_last() {
    let dir = std::env::temp_dir().join(format!("seaworthy-config-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("dev")).unwrap();
    let path = dir.join(".seaworthy.yaml");
    std::fs::write(
        &path,
        "ignore: [CM203]\nseverity: {CM101: info}\n\
         overrides:\n  - files: [dev]\n    extend-select: [CM203]\n    severity: {CM101: error}\n",
    )
    .unwrap();
    let config = Arc::new(load(&path).unwrap());
    let top = dir.join("compose.yaml");
    let dev = dir.join("dev/compose.yaml");

    let configs = Configs::new(ConfigSource::File(config.clone()), Layer::default());
    let s = configs.settings(&top);
    assert!(!enabled(&s.selection, "CM203"));
    assert_eq!(s.severity_of("CM101"), Some(Severity::Info));
    let s = configs.settings(&dev);
    assert!(enabled(&s.selection, "CM203"));
    assert_eq!(s.severity_of("CM101"), Some(Severity::Error));

    // `--select` on the command line replaces what the file selects …
    let cli = Layer {
        select: Some(vec![crate::rules::find("CM101").unwrap()]),
        ..Layer::default()
    };
    let configs = Configs::new(ConfigSource::File(config.clone()), cli);
    let s = configs.settings(&dev);
    assert!(enabled(&s.selection, "CM101") && !enabled(&s.selection, "CM203"));
    // … and `--ignore` removes from it.
    let cli = Layer {
        ignore: vec![crate::rules::find("CM101").unwrap()],
        ..Layer::default()
    };
    let s = Configs::new(ConfigSource::File(config), cli).settings(&top);
    assert!(!enabled(&s.selection, "CM101") && enabled(&s.selection, "CM102"));

    // Discovery finds the file above; none applies when disabled.
    let s = Configs::new(ConfigSource::Discover, Layer::default()).settings(&dev);
    assert!(s.config.is_some());
    let s = Configs::new(ConfigSource::Disabled, Layer::default()).settings(&dev);
    assert!(s.config.is_none() && enabled(&s.selection, "CM203"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn development_paths_read_below_the_shallowest_root_holding_them() {
    let dir = std::env::temp_dir().join(format!("seaworthy-roots-{}", std::process::id()));
    let file = dir.join("test").join("compose.yaml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(&file, "services: {}\n").unwrap();
    let judged = |roots: &[PathBuf]| {
        Configs::new(ConfigSource::Disabled, Layer::default())
            .roots(roots)
            .settings(&file)
            .development
            .clone()
    };
    // given the directory too, the file is read as `test/compose.yaml`
    let both = judged(&[file.clone(), dir.clone()]);
    assert_eq!(both.as_deref(), Some("in `test/`"));
    // given alone, its own directory is the root: `compose.yaml`
    assert_eq!(judged(std::slice::from_ref(&file)), None);
    let _ = std::fs::remove_dir_all(&dir);
}
