//! Compose projects (override files, `-f` lists, `include`, `extends`,
//! profiles, `!reset`/`!override`): one snapshot per fixture under
//! `fixtures/projects/` with the files read, the merged model with the
//! provenance of every value, the findings, and what `seaworthy config` prints.

mod common;

use seaworthy::compose::canonical::project_json;
use seaworthy::compose::Environment;
use seaworthy::report::human::{self, HumanOptions};
use seaworthy::source::SourceMap;

#[test]
fn project_fixtures() {
    let root = env!("CARGO_MANIFEST_DIR");
    for fixture in common::project_fixtures() {
        let mut sources = SourceMap::new();
        let project = fixture.load(&mut sources, Environment::empty());
        let files: Vec<String> = project
            .files
            .iter()
            .map(|f| sources.get(*f).path().display().to_string())
            .collect();
        let diagnostics = if project.diagnostics.is_empty() {
            "(none)\n".to_string()
        } else {
            human::render(&project.diagnostics, &sources, &HumanOptions::default())
        };
        let config = serde_json::to_string_pretty(&project_json(&project)).unwrap();
        let report = format!(
            "## files\n{}\n\n## profiles: {:?}, active services: {:?}\n\n## model\n{}\n## diagnostics\n{}\n## config\n{}\n",
            files.join("\n"),
            project.profiles,
            project.active_services(),
            project.model.outline(&sources),
            diagnostics,
            config
        )
        .replace(root, "<root>");
        // `~` in a bind mount is the home directory of whoever runs the tests.
        let report = match std::env::var("HOME") {
            Ok(home) if !home.is_empty() => report.replace(&format!("\"{home}/"), "\"<home>/"),
            _ => report,
        };
        let name = fixture
            .dir
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        insta::assert_snapshot!(format!("project_{name}"), report);
    }
}
