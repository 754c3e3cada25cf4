//! `seaworthy server`: a Language Server Protocol server over standard input
//! and output (docs/editors.md).
//!
//! Three threads: a reader that turns the byte stream into messages (and
//! never waits on a check), a checker that lints, and the main loop that
//! owns the open documents and answers requests. An edit marks the
//! workspace dirty; once no edit has come for [`DEBOUNCE`], the checker
//! lints every workspace folder with the open documents' unsaved text read
//! instead of the disk ([`crate::source::Buffers`]), so editing a Dockerfile
//! re-judges the compose services that build it and editing `.env`
//! re-judges interpolation. A result is published only if no edit arrived
//! while it was computed; otherwise it is dropped and the check runs again.

// `lsp_types::Uri` wraps a URI type with a lazily filled cache, which
// clippy takes for a mutable key; its hash and equality are its text.
#![allow(clippy::mutable_key_type)]

mod analysis;
mod model;
mod navigate;
pub mod position;
pub mod transport;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use lsp_server::{Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use rustc_hash::FxHashMap;

use crate::config::Layer;
use crate::source::Span;
use analysis::{Analysis, Job};
use position::Encoding;
use transport::Incoming;

/// How long after the last edit a check starts.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// What the main loop waits for.
enum Event {
    Incoming(Incoming),
    /// The input ended or failed.
    Closed,
    /// A check finished.
    Checked(Box<Analysis>),
}

/// An open document.
struct Document {
    path: PathBuf,
    text: String,
}

/// The server's state, owned by the main loop.
struct Server<W: Write> {
    out: W,
    encoding: Encoding,
    roots: Vec<PathBuf>,
    cli: Layer,
    documents: FxHashMap<PathBuf, Document>,
    /// When the next check is due, if one is.
    due: Option<Instant>,
    /// Counts the edits: a result of an older generation is stale.
    generation: u64,
    checking: bool,
    jobs: mpsc::Sender<Job>,
    /// The last result published.
    analysis: Analysis,
    shutdown: bool,
}

/// Runs the server on `input` and `output` until `exit`; returns the process
/// exit code (0 after `shutdown`, 1 without).
pub fn run(input: impl BufRead + Send + 'static, output: impl Write) -> i32 {
    let (events, inbox) = mpsc::channel::<Event>();
    let reader = events.clone();
    std::thread::spawn(move || {
        let mut input = input;
        loop {
            match transport::read(&mut input) {
                Ok(Some(m)) => {
                    if reader.send(Event::Incoming(m)).is_err() {
                        return;
                    }
                }
                Ok(None) | Err(_) => {
                    let _ = reader.send(Event::Closed);
                    return;
                }
            }
        }
    });
    let (jobs, queue) = mpsc::channel::<Job>();
    let checked = events;
    std::thread::spawn(move || {
        for job in queue {
            // a check that panics is reported as a failed check, and the
            // server goes on
            let result =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| analysis::analyse(&job)));
            let analysis = result.unwrap_or_else(|_| Analysis::failed(job.generation));
            if checked.send(Event::Checked(Box::new(analysis))).is_err() {
                return;
            }
        }
    });
    let mut server = Server {
        out: output,
        encoding: Encoding::Utf16,
        roots: Vec::new(),
        cli: Layer::default(),
        documents: FxHashMap::default(),
        due: None,
        generation: 0,
        checking: false,
        jobs,
        analysis: Analysis::default(),
        shutdown: false,
    };
    loop {
        let event = match server.due {
            Some(at) if !server.checking => {
                match inbox.recv_timeout(at.saturating_duration_since(Instant::now())) {
                    Ok(e) => Some(e),
                    Err(mpsc::RecvTimeoutError::Timeout) => None,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return 1,
                }
            }
            _ => match inbox.recv() {
                Ok(e) => Some(e),
                Err(_) => return 1,
            },
        };
        match event {
            None => server.start_check(),
            Some(Event::Closed) => return 1,
            Some(Event::Checked(a)) => server.checked(*a),
            Some(Event::Incoming(Incoming::Malformed { reason, id })) => {
                log(&format!("malformed message: {reason}"));
                if id.is_some() {
                    let _ = transport::write_error(
                        &mut server.out,
                        id,
                        lsp_server::ErrorCode::InvalidRequest as i32,
                        &reason,
                    );
                }
            }
            Some(Event::Incoming(Incoming::Message(m))) => {
                if let Some(code) = server.handle(m) {
                    return code;
                }
            }
        }
    }
}

/// A line on standard error, which editors show as the server's log.
fn log(message: &str) {
    eprintln!("seaworthy server: {message}");
}

impl<W: Write> Server<W> {
    fn send(&mut self, message: Message) {
        if let Err(e) = transport::write(&mut self.out, &message) {
            log(&format!("cannot write to the client: {e}"));
        }
    }

    fn respond<R: serde::Serialize>(&mut self, id: RequestId, result: R) {
        let response = match serde_json::to_value(result) {
            Ok(v) => Response {
                id,
                response_result: Ok(v),
            },
            Err(e) => Response::new_err(
                id,
                lsp_server::ErrorCode::InternalError as i32,
                e.to_string(),
            ),
        };
        self.send(Message::Response(response));
    }

    fn error(&mut self, id: RequestId, code: lsp_server::ErrorCode, message: String) {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message,
        )));
    }

    /// Handles one message; `Some(code)` when the server must exit.
    fn handle(&mut self, message: Message) -> Option<i32> {
        match message {
            Message::Request(r) => self.request(r),
            Message::Notification(n) => return self.notification(n),
            Message::Response(_) => {}
        }
        None
    }

    fn request(&mut self, r: Request) {
        if self.shutdown && r.method != "shutdown" {
            return self.error(
                r.id,
                lsp_server::ErrorCode::InvalidRequest,
                "the server is shutting down".into(),
            );
        }
        let id = r.id.clone();
        let result: Result<serde_json::Value, String> = match r.method.as_str() {
            "initialize" => self.initialize(r.params),
            "shutdown" => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            "textDocument/codeAction" => params(r.params).map(|p| json(self.code_actions(p))),
            "textDocument/hover" => params(r.params).map(|p| json(self.hover(p))),
            "textDocument/definition" => params(r.params).map(|p| json(self.definition(p))),
            "textDocument/inlayHint" => params(r.params).map(|p| json(self.inlay_hints(p))),
            "textDocument/documentLink" => params(r.params).map(|p| json(self.links(p))),
            method => {
                return self.error(
                    id,
                    lsp_server::ErrorCode::MethodNotFound,
                    format!("unknown method `{method}`"),
                )
            }
        };
        match result {
            Ok(v) => self.respond(id, v),
            Err(e) => self.error(id, lsp_server::ErrorCode::InvalidParams, e),
        }
    }

    fn notification(&mut self, n: Notification) -> Option<i32> {
        let result = match n.method.as_str() {
            "exit" => return Some(if self.shutdown { 0 } else { 1 }),
            "textDocument/didOpen" => params(n.params).map(|p: lsp::DidOpenTextDocumentParams| {
                self.opened(&p.text_document.uri, p.text_document.text)
            }),
            "textDocument/didChange" => {
                params(n.params).map(|p: lsp::DidChangeTextDocumentParams| {
                    self.changed(&p.text_document.uri, p.content_changes)
                })
            }
            "textDocument/didClose" => params(n.params)
                .map(|p: lsp::DidCloseTextDocumentParams| self.closed(&p.text_document.uri)),
            // the disk changed: a saved file, a `.seaworthy.yaml` edited
            // elsewhere; the configuration is read again on every check
            "textDocument/didSave" | "workspace/didChangeWatchedFiles" => {
                self.dirty();
                Ok(())
            }
            "workspace/didChangeWorkspaceFolders" => {
                params(n.params).map(|p: lsp::DidChangeWorkspaceFoldersParams| {
                    for f in p.event.removed {
                        if let Some(path) = uri_path(&f.uri) {
                            self.roots.retain(|r| *r != path);
                        }
                    }
                    self.roots
                        .extend(p.event.added.iter().filter_map(|f| uri_path(&f.uri)));
                    self.dirty();
                })
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            log(&format!("`{}`: {e}", n.method));
        }
        None
    }

    fn initialize(&mut self, raw: serde_json::Value) -> Result<serde_json::Value, String> {
        let p: lsp::InitializeParams = serde_json::from_value(raw).map_err(|e| e.to_string())?;
        let offered = p
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.clone())
            .unwrap_or_default();
        self.encoding = if offered.contains(&lsp::PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        };
        if let Some(folders) = &p.workspace_folders {
            self.roots
                .extend(folders.iter().filter_map(|f| uri_path(&f.uri)));
        }
        #[allow(deprecated)] // `rootUri` is what older clients send
        if self.roots.is_empty() {
            self.roots.extend(p.root_uri.as_ref().and_then(uri_path));
        }
        if let Some(options) = &p.initialization_options {
            self.cli = selection(options)?;
        }
        let encoding = match self.encoding {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        };
        let capabilities = lsp::ServerCapabilities {
            position_encoding: Some(encoding),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
                lsp::TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                    save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
                lsp::CodeActionOptions {
                    code_action_kinds: Some(vec![
                        lsp::CodeActionKind::QUICKFIX,
                        lsp::CodeActionKind::new(FIX_ALL),
                    ]),
                    ..Default::default()
                },
            )),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            definition_provider: Some(lsp::OneOf::Left(true)),
            inlay_hint_provider: Some(lsp::OneOf::Left(true)),
            document_link_provider: Some(lsp::DocumentLinkOptions {
                resolve_provider: Some(false),
                work_done_progress_options: Default::default(),
            }),
            workspace: Some(lsp::WorkspaceServerCapabilities {
                workspace_folders: Some(lsp::WorkspaceFoldersServerCapabilities {
                    supported: Some(true),
                    change_notifications: Some(lsp::OneOf::Left(true)),
                }),
                file_operations: None,
            }),
            ..Default::default()
        };
        Ok(json(lsp::InitializeResult {
            capabilities,
            server_info: Some(lsp::ServerInfo {
                name: "seaworthy".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
        }))
    }

    fn opened(&mut self, uri: &lsp::Uri, text: String) {
        if let Some(path) = uri_path(uri) {
            self.documents.insert(path.clone(), Document { path, text });
            self.dirty();
        }
    }

    fn changed(&mut self, uri: &lsp::Uri, changes: Vec<lsp::TextDocumentContentChangeEvent>) {
        let Some(path) = uri_path(uri) else { return };
        let encoding = self.encoding;
        let Some(doc) = self.documents.get_mut(&path) else {
            return log(&format!(
                "a change to `{}`, which is not open",
                path.display()
            ));
        };
        for change in changes {
            match change.range {
                None => doc.text = change.text,
                Some(range) => {
                    let lines = position::Lines::new(doc.text.as_str(), encoding);
                    let (start, end) = (lines.offset(range.start), lines.offset(range.end));
                    if start <= end {
                        doc.text.replace_range(start..end, &change.text);
                    }
                }
            }
        }
        self.dirty();
    }

    fn closed(&mut self, uri: &lsp::Uri) {
        if let Some(path) = uri_path(uri) {
            self.documents.remove(&path);
            self.dirty();
        }
    }

    /// Something changed: a check is due after the debounce.
    fn dirty(&mut self) {
        self.generation += 1;
        self.due = Some(Instant::now() + DEBOUNCE);
    }

    fn start_check(&mut self) {
        self.due = None;
        self.checking = true;
        // the workspace folders, and the folder of each open document
        // outside them
        let mut roots = self.roots.clone();
        let outside: Vec<PathBuf> = self
            .documents
            .values()
            .filter(|d| !self.roots.iter().any(|r| d.path.starts_with(r)))
            .filter_map(|d| d.path.parent().map(Path::to_path_buf))
            .collect();
        roots.extend(outside);
        roots.sort();
        roots.dedup();
        if self.jobs.send(self.job(roots)).is_err() {
            log("the checker stopped");
        }
    }

    fn checked(&mut self, analysis: Analysis) {
        self.checking = false;
        if analysis.generation != self.generation {
            // an edit came in meanwhile: the next check replaces this one
            self.due.get_or_insert_with(Instant::now);
            return;
        }
        if let Some(e) = &analysis.failure {
            log(e);
        }
        // files that had findings and have none now are cleared
        let mut gone: Vec<&lsp::Uri> = self
            .analysis
            .files
            .keys()
            .filter(|u| !analysis.files.contains_key(*u))
            .collect();
        gone.sort();
        for uri in gone {
            publish(&mut self.out, uri, &[]);
        }
        let mut files: Vec<(&lsp::Uri, &analysis::FileFindings)> = analysis.files.iter().collect();
        files.sort_by(|a, b| a.0.cmp(b.0));
        for (uri, file) in files {
            let diagnostics: Vec<&lsp::Diagnostic> =
                file.findings.iter().map(|f| &f.diagnostic).collect();
            publish(&mut self.out, uri, &diagnostics);
        }
        self.analysis = analysis;
    }

    fn code_actions(&mut self, p: lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let only = p.context.only.clone().unwrap_or_default();
        let wants =
            |kind: &str| only.is_empty() || only.iter().any(|k| kind.starts_with(k.as_str()));
        let mut out = Vec::new();
        if wants(lsp::CodeActionKind::QUICKFIX.as_str()) {
            out.extend(
                self.analysis
                    .actions(&p.text_document.uri, p.range)
                    .into_iter()
                    .map(lsp::CodeActionOrCommand::CodeAction),
            );
        }
        if only.iter().any(|k| FIX_ALL.starts_with(k.as_str())) {
            if let Some(action) = self.fix_all(&p.text_document.uri) {
                out.push(lsp::CodeActionOrCommand::CodeAction(action));
            }
        }
        out
    }

    /// A check of `roots` at the current generation, with every open
    /// document's text standing for its file.
    fn job(&self, roots: Vec<PathBuf>) -> Job {
        Job {
            generation: self.generation,
            roots,
            texts: self
                .documents
                .values()
                .map(|d| (d.path.clone(), d.text.as_str().into()))
                .collect(),
            cli: self.cli.clone(),
            encoding: self.encoding,
        }
    }

    /// Every safe fix of the document, as one edit of its whole text.
    fn fix_all(&self, uri: &lsp::Uri) -> Option<lsp::CodeAction> {
        let path = uri_path(uri)?;
        let doc = self.documents.get(&path)?;
        let job = self.job(vec![path.parent()?.to_path_buf()]);
        let after = analysis::fixed_text(&job, &path)?;
        let lines = position::Lines::new(doc.text.as_str(), self.encoding);
        let edit = lsp::TextEdit {
            range: lines.range(crate::source::Span::new(0, doc.text.len())),
            new_text: after,
        };
        Some(lsp::CodeAction {
            title: "seaworthy: apply every safe fix".into(),
            kind: Some(lsp::CodeActionKind::new(FIX_ALL)),
            edit: Some(lsp::WorkspaceEdit {
                changes: Some([(uri.clone(), vec![edit])].into_iter().collect()),
                ..Default::default()
            }),
            ..Default::default()
        })
    }

    fn hover(&self, p: lsp::HoverParams) -> Option<lsp::Hover> {
        let at = p.text_document_position_params;
        let mut manuals = self.analysis.manuals_at(&at.text_document.uri, at.position);
        // an interpolated value: its value and where it came from
        if let Some((loaded, offset)) = self.project_at(&at.text_document.uri, at.position) {
            if let Some((u, _)) = loaded.variable_at(offset) {
                manuals.insert(0, loaded.describe(u));
            }
        }
        if manuals.is_empty() {
            return None;
        }
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: manuals.join("\n\n---\n\n"),
            }),
            range: None,
        })
    }

    fn definition(&self, p: lsp::GotoDefinitionParams) -> Option<lsp::GotoDefinitionResponse> {
        let at = p.text_document_position_params;
        // `${VAR}` to the env file line that sets it
        if let Some((loaded, offset)) = self.project_at(&at.text_document.uri, at.position) {
            if let Some((path, span)) = loaded
                .variable_at(offset)
                .and_then(|(u, _)| loaded.set_at(u))
            {
                let text = self.text_of(&path)?;
                return Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location {
                    uri: path_uri(&path)?,
                    range: position::Lines::new(text.as_str(), self.encoding).range(span),
                }));
            }
        }
        let path = uri_path(&at.text_document.uri)?;
        let text = self.text_of(&path)?;
        let lines = position::Lines::new(text.as_str(), self.encoding);
        let (target, span) =
            navigate::definition(&path, &text, lines.offset(at.position), &self.buffers())?;
        let range = if target == path {
            lines.range(span)
        } else {
            position::Lines::new(self.text_of(&target)?.as_str(), self.encoding).range(span)
        };
        Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location {
            uri: path_uri(&target)?,
            range,
        }))
    }
}

/// Sends the diagnostics of `uri`.
fn publish(out: &mut impl Write, uri: &lsp::Uri, diagnostics: &[&lsp::Diagnostic]) {
    #[derive(serde::Serialize)]
    struct Params<'a> {
        uri: &'a lsp::Uri,
        diagnostics: &'a [&'a lsp::Diagnostic],
    }
    let params = Params { uri, diagnostics };
    if let Err(e) = transport::write_notification(out, "textDocument/publishDiagnostics", &params) {
        log(&format!("cannot write to the client: {e}"));
    }
}

impl<W: Write> Server<W> {
    /// The open documents, as buffers read instead of the disk.
    fn buffers(&self) -> crate::source::Buffers {
        let mut buffers = crate::source::Buffers::default();
        for d in self.documents.values() {
            buffers.insert(&d.path, d.text.as_str().into());
        }
        buffers
    }

    /// A file's text: its open document's, else the disk's.
    fn text_of(&self, path: &Path) -> Option<String> {
        match self.documents.get(path) {
            Some(d) => Some(d.text.clone()),
            None => std::fs::read_to_string(path).ok(),
        }
    }

    /// The compose project of the document `uri`, and the document's lines.
    fn compose_document(&self, uri: &lsp::Uri) -> Option<(model::Loaded, position::Lines)> {
        let path = uri_path(uri)?;
        if crate::discover::kind_of(&path) == Some(crate::discover::FileKind::Dockerfile) {
            return None;
        }
        let lines = position::Lines::new(self.text_of(&path)?, self.encoding);
        Some((model::load(&path, &self.buffers())?, lines))
    }

    /// The compose project of `uri`, and the byte offset of `position` in it.
    fn project_at(
        &self,
        uri: &lsp::Uri,
        position: lsp::Position,
    ) -> Option<(model::Loaded, usize)> {
        let (loaded, lines) = self.compose_document(uri)?;
        Some((loaded, lines.offset(position)))
    }

    /// Inlay hints: what each interpolated value resolves to, and, in a file
    /// an override file completes, the value that replaces one of its own.
    fn inlay_hints(&self, p: lsp::InlayHintParams) -> Vec<lsp::InlayHint> {
        let Some((loaded, lines)) = self.compose_document(&p.text_document.uri) else {
            return Vec::new();
        };
        let mut hints = Vec::new();
        let mut seen: Vec<Span> = Vec::new();
        for (u, value) in loaded.variables() {
            if seen.contains(&value.span) {
                continue;
            }
            seen.push(value.span);
            let Some(resolved) = value.value.to_env_string() else {
                continue;
            };
            let label = format!(" = {}", shorten(&model::masked(Some(&u.name), &resolved)));
            hints.push(hint(
                lines.position(value.span.end),
                label,
                loaded.describe(u),
            ));
        }
        for (span, value) in loaded.overridden() {
            let shown = value.value.to_env_string().map_or_else(
                || "(a new value)".to_string(),
                |s| shorten(&model::masked(None, &s)),
            );
            let by = loaded.sources.get(value.file).path().display().to_string();
            hints.push(hint(
                lines.position(span.end),
                format!(" → {shown}"),
                format!("replaced by `{by}`"),
            ));
        }
        hints.retain(|h| h.position >= p.range.start && h.position <= p.range.end);
        hints
    }

    /// Links to the files the document names.
    fn links(&self, p: lsp::DocumentLinkParams) -> Vec<lsp::DocumentLink> {
        let Some((loaded, lines)) = self.compose_document(&p.text_document.uri) else {
            return Vec::new();
        };
        loaded
            .links()
            .into_iter()
            .filter_map(|(span, target)| {
                Some(lsp::DocumentLink {
                    range: lines.range(span),
                    target: Some(path_uri(&target)?),
                    tooltip: Some(target.display().to_string()),
                    data: None,
                })
            })
            .collect()
    }
}

fn hint(position: lsp::Position, label: String, tooltip: String) -> lsp::InlayHint {
    lsp::InlayHint {
        position,
        label: lsp::InlayHintLabel::String(label),
        kind: None,
        text_edits: None,
        tooltip: Some(lsp::InlayHintTooltip::String(tooltip)),
        padding_left: Some(false),
        padding_right: Some(false),
        data: None,
    }
}

/// At most 40 characters of `s`, on one line.
fn shorten(s: &str) -> String {
    let one_line = s.replace('\n', "⏎");
    if one_line.chars().count() > 40 {
        format!("{}…", one_line.chars().take(39).collect::<String>())
    } else {
        one_line
    }
}

/// The code action kind of "fix all safe".
pub const FIX_ALL: &str = "source.fixAll.seaworthy";

fn params<P: serde::de::DeserializeOwned>(raw: serde_json::Value) -> Result<P, String> {
    serde_json::from_value(raw).map_err(|e| format!("invalid parameters: {e}"))
}

fn json(value: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_default()
}

/// `initializationOptions`: `{"select": [...], "ignore": [...],
/// "extend-select": [...]}`, rule selectors as on the command line.
fn selection(options: &serde_json::Value) -> Result<Layer, String> {
    let list = |key: &str| -> Vec<String> {
        options
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let select = options.get("select").map(|_| list("select"));
    Layer::from_selectors(select.as_deref(), &list("extend-select"), &list("ignore"))
}

/// The local path of a `file:` URI.
pub fn uri_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    use std::os::unix::ffi::OsStringExt;
    Some(PathBuf::from(std::ffi::OsString::from_vec(out)))
}

/// The `file:` URI of a local path.
pub fn path_uri(path: &Path) -> Option<lsp::Uri> {
    let absolute = std::path::absolute(path).ok()?;
    let encoded = crate::source::encode_uri_path(&absolute.to_string_lossy());
    format!("file://{encoded}").parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/my project/café/compose.yaml");
        let uri = path_uri(path).unwrap();
        assert_eq!(
            uri.as_str(),
            "file:///tmp/my%20project/caf%C3%A9/compose.yaml"
        );
        assert_eq!(uri_path(&uri).unwrap(), path);
        let vscode: lsp::Uri = "file://localhost/tmp/a%3Ab.yaml".parse().unwrap();
        assert_eq!(uri_path(&vscode).unwrap(), Path::new("/tmp/a:b.yaml"));
        assert_eq!(uri_path(&"untitled:Untitled-1".parse().unwrap()), None);
    }
}
