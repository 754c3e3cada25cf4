//! `seaworthy server` driven over stdio as an editor drives it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

/// An editor's end of the connection.
struct Editor {
    child: Child,
    stdin: ChildStdin,
    inbox: mpsc::Receiver<Value>,
    next_id: i64,
}

impl Editor {
    fn start() -> Editor {
        let mut child = Command::new(env!("CARGO_BIN_EXE_seaworthy"))
            .args(["server", "--stdio"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, inbox) = mpsc::channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut length = 0;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse().unwrap();
                    }
                }
                let mut body = vec![0; length];
                out.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Editor {
            child,
            stdin,
            inbox,
            next_id: 1,
        }
    }

    fn raw(&mut self, body: &str) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.raw(&json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string());
    }

    /// Sends a request and waits for its response (other messages are
    /// dropped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.raw(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}).to_string(),
        );
        self.response(json!(id))
    }

    fn response(&mut self, id: Value) -> Value {
        loop {
            let m = self.next();
            if m.get("id") == Some(&id) && m.get("method").is_none() {
                return m;
            }
        }
    }

    fn next(&mut self) -> Value {
        self.inbox
            .recv_timeout(Duration::from_secs(20))
            .expect("the server answered in time")
    }

    /// Waits until the last diagnostics published for every uri of `want`
    /// satisfy `done`; returns them.
    fn diagnostics_until(
        &mut self,
        want: &[&str],
        done: impl Fn(&std::collections::HashMap<String, Vec<Value>>) -> bool,
    ) -> std::collections::HashMap<String, Vec<Value>> {
        let mut seen = std::collections::HashMap::new();
        loop {
            let m = self.next();
            if m["method"] == "textDocument/publishDiagnostics" {
                let uri = m["params"]["uri"].as_str().unwrap().to_string();
                let list = m["params"]["diagnostics"].as_array().unwrap().clone();
                seen.insert(uri, list);
                if want.iter().all(|u| seen.contains_key(*u)) && done(&seen) {
                    return seen;
                }
            }
        }
    }

    fn finish(mut self) -> i32 {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        status.code().unwrap()
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(list: &[Value]) -> Vec<&str> {
    list.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

const COMPOSE: &str = "services:\n  api:\n    build: .\n    depends_on: [db]\n    restart: unless-stopped\n  db:\n    image: postgres:17.2\n    restart: always\n";
const DOCKERFILE: &str = "FROM python:3.12.8-slim\nADD app.py /app/\nRUN echo \"café ☕\" && curl -k https://example.com/\nCMD [\"python3\", \"/app/app.py\"]\n";

#[test]
fn an_editor_session_sees_the_service_whole() {
    let dir = common::scratch_dir("server");
    // a path with a space and an accent, percent-encoded in URIs
    let dir = dir.join("my café");
    std::fs::create_dir_all(&dir).unwrap();
    let (compose, dockerfile) = (dir.join("compose.yaml"), dir.join("Dockerfile"));
    // the disk holds other text: the buffers must win
    std::fs::write(&compose, "services: {}\n").unwrap();
    std::fs::write(&dockerfile, "FROM scratch\n").unwrap();
    let root = format!("file://{}", dir.display())
        .replace(' ', "%20")
        .replace('é', "%C3%A9");
    let compose_uri = uri(&compose).replace(' ', "%20").replace('é', "%C3%A9");
    let docker_uri = uri(&dockerfile).replace(' ', "%20").replace('é', "%C3%A9");

    let mut editor = Editor::start();
    let init = editor.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": root,
            "capabilities": {"general": {"positionEncodings": ["utf-16"]}},
            "workspaceFolders": [{"uri": root, "name": "project"}],
        }),
    );
    let caps = &init["result"]["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16", "{init}");
    assert_eq!(init["result"]["serverInfo"]["name"], "seaworthy");
    editor.notify("initialized", json!({}));
    for (u, lang, text) in [
        (&compose_uri, "dockercompose", COMPOSE),
        (&docker_uri, "dockerfile", DOCKERFILE),
    ] {
        editor.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": u, "languageId": lang, "version": 1, "text": text}}),
        );
    }
    let seen = editor.diagnostics_until(&[&compose_uri, &docker_uri], |s| {
        s.values().all(|l| !l.is_empty())
    });
    let docker = &seen[&docker_uri];
    let compose_found = &seen[&compose_uri];
    assert!(codes(docker).contains(&"DF401"), "{docker:?}");
    assert!(codes(docker).contains(&"DF202"), "{docker:?}");
    assert!(codes(compose_found).contains(&"CM101"), "{compose_found:?}");
    // UTF-16 columns: `é` and `☕` are one code unit each, `-k` is after them
    let tls = docker.iter().find(|d| d["code"] == "DF205").expect("DF205");
    let line = DOCKERFILE.lines().nth(2).unwrap();
    let column = line[..line.find("-k").unwrap()].encode_utf16().count();
    assert_eq!(
        tls["range"]["start"],
        json!({"line": 2, "character": column})
    );
    assert_ne!(column, line.find("-k").unwrap());
    assert_eq!(
        tls["codeDescription"]["href"].as_str().unwrap(),
        "https://github.com/seaworthy-lint/seaworthy/blob/main/rules/DF205-tls-verification-disabled.md"
    );
    let api = compose_found
        .iter()
        .find(|d| d["code"] == "CM101" && d["range"]["start"]["line"] == 1)
        .expect("CM101 on api");
    assert_eq!(api["range"]["start"]["character"], 2);

    // the fix of a finding, as a quick fix
    let add = docker.iter().find(|d| d["code"] == "DF202").unwrap();
    let actions = editor.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": docker_uri}, "range": add["range"], "context": {"diagnostics": [add]}}),
    );
    let actions = actions["result"].as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["edit"]["changes"][&docker_uri][0]["newText"] == "COPY")
        .unwrap_or_else(|| panic!("{actions:?}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(
        fix["edit"]["changes"][&docker_uri][0]["range"],
        json!({"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 3}})
    );
    assert!(actions
        .iter()
        .any(|a| a["title"] == "Suppress DF202 on this line"));

    // the manual on hover
    let hover = editor.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": docker_uri}, "position": {"line": 1, "character": 1}}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("# DF202 add-instead-of-copy"), "{text}");

    // from a `depends_on` entry to the service
    let at = COMPOSE.find("[db]").unwrap() + 1;
    let definition = editor.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": compose_uri}, "position": {"line": 3, "character": at - COMPOSE[..at].rfind('\n').unwrap() - 1}}),
    );
    assert_eq!(definition["result"]["uri"], json!(compose_uri));
    assert_eq!(
        definition["result"]["range"]["start"],
        json!({"line": 5, "character": 2})
    );

    // editing the Dockerfile re-judges the service built from it
    let edited = DOCKERFILE.replace(
        "CMD",
        "USER app\nHEALTHCHECK CMD [\"python3\", \"-c\", \"print(1)\"]\nCMD",
    );
    editor.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": docker_uri, "version": 2}, "contentChanges": [{"text": edited}]}),
    );
    let api_healthless = |l: &Vec<Value>| {
        l.iter()
            .any(|d| d["code"] == "CM101" && d["range"]["start"]["line"] == 1)
    };
    let seen = editor.diagnostics_until(&[&compose_uri, &docker_uri], |s| {
        !codes(&s[&docker_uri]).contains(&"DF401") && !api_healthless(&s[&compose_uri])
    });
    assert!(codes(&seen[&docker_uri]).contains(&"DF202"));
    assert_eq!(editor.finish(), 0);
}

#[test]
fn malformed_messages_get_errors_and_the_server_goes_on() {
    let mut editor = Editor::start();
    let init = editor.request("initialize", json!({"capabilities": {}}));
    assert_eq!(init["result"]["capabilities"]["positionEncoding"], "utf-16");
    editor.raw("{this is not json");
    editor.raw(r#"{"jsonrpc":"2.0","id":"x","method":7}"#);
    let bad = editor.response(json!("x"));
    assert_eq!(bad["error"]["code"], -32600, "{bad}");
    let unknown = editor.request("workspace/nonsense", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let invalid = editor.request("textDocument/hover", json!({"position": "here"}));
    assert_eq!(invalid["error"]["code"], -32602, "{invalid}");
    // a change to a document never opened, a document that is not a file
    editor.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///nowhere/x.yaml", "version": 2}, "contentChanges": [{"text": "a"}]}),
    );
    editor.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "yaml", "version": 1, "text": "a: ["}}),
    );
    let hover = editor.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": "untitled:Untitled-1"}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(hover["result"], Value::Null, "{hover}");
    assert_eq!(editor.finish(), 0);
}

#[test]
fn exit_without_shutdown_is_an_error() {
    let mut editor = Editor::start();
    editor.request("initialize", json!({"capabilities": {}}));
    editor.notify("exit", Value::Null);
    assert_eq!(editor.child.wait().unwrap().code(), Some(1));
}

#[test]
fn interpolation_overrides_and_file_references_are_shown() {
    let dir = common::scratch_dir("server-model");
    common::write_files(
        &dir,
        &[
            (".env", "TAG=1.27\nDB_PASSWORD=hunter2-Xq9\n"),
            (
                "compose.yaml",
                "services:\n  web:\n    image: nginx:${TAG}\n    build:\n      context: .\n      dockerfile: Dockerfile\n    environment:\n      PASSWORD: \"${DB_PASSWORD}\"\n    restart: always\n",
            ),
            (
                "compose.override.yaml",
                "services:\n  web:\n    restart: \"no\"\n  probe:\n    image: busybox:1.37\n    depends_on: [web]\n",
            ),
            ("Dockerfile", "FROM nginx:1.27\n"),
        ],
    );
    let compose_uri = uri(&dir.join("compose.yaml"));
    let mut editor = Editor::start();
    editor.request(
        "initialize",
        json!({"capabilities": {}, "rootUri": uri(&dir)}),
    );
    editor.notify("initialized", json!({}));
    let doc = json!({"uri": compose_uri});
    let tag = json!({"line": 2, "character": 20});

    let hover = editor.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": tag}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("`TAG` is `1.27`, from `"), "{text}");
    assert!(text.contains(".env` line 1"), "{text}");

    // the unsaved `.env` wins over the disk
    editor.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri(&dir.join(".env")), "languageId": "dotenv", "version": 1, "text": "TAG=1.29\nDB_PASSWORD=hunter2-Xq9\n"}}),
    );
    let hover = editor.request(
        "textDocument/hover",
        json!({"textDocument": doc, "position": tag}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("`TAG` is `1.29`"), "{text}");

    let definition = editor.request(
        "textDocument/definition",
        json!({"textDocument": doc, "position": tag}),
    );
    assert_eq!(definition["result"]["uri"], json!(uri(&dir.join(".env"))));
    assert_eq!(
        definition["result"]["range"]["start"],
        json!({"line": 0, "character": 4})
    );

    let hints = editor.request(
        "textDocument/inlayHint",
        json!({"textDocument": doc, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}}),
    );
    let labels: Vec<&str> = hints["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&" = nginx:1.29"), "{labels:?}");
    assert!(labels.contains(&" = ********"), "{labels:?}");
    assert!(labels.contains(&" → no"), "{labels:?}");
    assert!(!hints.to_string().contains("hunter2"), "{hints}");

    // from the override file to the service its base file defines
    let definition = editor.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri(&dir.join("compose.override.yaml"))}, "position": {"line": 5, "character": 18}}),
    );
    assert_eq!(
        definition["result"]["uri"],
        json!(compose_uri),
        "{definition}"
    );
    assert_eq!(
        definition["result"]["range"]["start"],
        json!({"line": 1, "character": 2})
    );

    let links = editor.request("textDocument/documentLink", json!({"textDocument": doc}));
    let targets: Vec<&str> = links["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target"].as_str().unwrap())
        .collect();
    assert!(
        targets.contains(&uri(&dir.join("Dockerfile")).as_str()),
        "{targets:?}"
    );
    assert_eq!(editor.finish(), 0);
}

#[test]
fn a_broken_configuration_is_reported_in_it_until_saved_fixed() {
    let dir = common::scratch_dir("server-config");
    common::write_files(
        &dir,
        &[
            (".seaworthy.yaml", "selct: [CM]\n"),
            ("compose.yaml", "services:\n  web:\n    image: nginx:1.27\n"),
        ],
    );
    let (config_uri, compose_uri) = (
        uri(&dir.join(".seaworthy.yaml")),
        uri(&dir.join("compose.yaml")),
    );
    let mut editor = Editor::start();
    editor.request(
        "initialize",
        json!({"capabilities": {}, "rootUri": uri(&dir)}),
    );
    editor.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": compose_uri, "languageId": "yaml", "version": 1, "text": "services:\n  web:\n    image: nginx:1.27\n"}}),
    );
    let seen = editor.diagnostics_until(&[&config_uri], |_| true);
    let problem = &seen[&config_uri][0];
    assert!(
        problem["message"].as_str().unwrap().contains("selct"),
        "{problem}"
    );
    assert_eq!(
        problem["range"]["start"],
        json!({"line": 0, "character": 0})
    );
    std::fs::write(dir.join(".seaworthy.yaml"), "select: [CM]\n").unwrap();
    editor.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": config_uri}}),
    );
    editor.diagnostics_until(&[&config_uri, &compose_uri], |s| {
        s[&config_uri].is_empty() && !s[&compose_uri].is_empty()
    });
    assert_eq!(editor.finish(), 0);
}
