//! Source files and byte spans.
//!
//! Every span in seaworthy is a byte range into the original text of one file.
//! Lines and columns (1-based, columns counted in characters) are computed only
//! when a diagnostic is rendered, through the line index kept here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

mod read;
pub use read::{
    decode, io_message, read_bytes, read_file, read_source, Buffers, Decoding, StdinFile,
    MAX_FILE_BYTES,
};

/// `path` percent-encoded for a URI: everything but unreserved characters
/// and `/` (SARIF's artifact locations, the language server's `file:` URIs).
pub fn encode_uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A half-open byte range `start..end` into a file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (bytes).
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// An empty span at `offset`.
    pub const fn point(offset: usize) -> Self {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Whether `other` lies within this span.
    pub const fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share a byte.
    pub const fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// This span shifted right by `by` bytes.
    pub const fn shifted(self, by: usize) -> Span {
        Span::new(self.start + by, self.end + by)
    }

    /// Where `inner`, a byte range of `value`, is written, when `value` is
    /// written at this span as `written`: verbatim, inside one pair of quotes,
    /// or (escapes, substitutions, folded lines) where [`locate`] finds it.
    /// Otherwise the whole span is returned.
    pub fn part(self, written: &str, value: &str, inner: std::ops::Range<usize>) -> Span {
        let quoted =
            written.len() == value.len() + 2 && written.get(1..written.len() - 1) == Some(value);
        let offset = if written == value {
            0
        } else if quoted {
            1
        } else {
            return locate(written, value, inner).map_or(self, |at| {
                Span::new(self.start + at.start, self.start + at.end)
            });
        };
        Span::new(
            self.start + offset + inner.start,
            self.start + offset + inner.end,
        )
    }
}

/// Where `inner` (a range of the processed `value`) is written in `written`,
/// the text as written (a block scalar, escapes, substitutions): the same
/// text at the same occurrence, when `written` holds it as often as `value`
/// does.
pub fn locate(
    written: &str,
    value: &str,
    inner: std::ops::Range<usize>,
) -> Option<std::ops::Range<usize>> {
    let needle = value.get(inner.clone()).filter(|n| !n.is_empty())?;
    let nth = value[..inner.start].matches(needle).count();
    if written.matches(needle).count() != value.matches(needle).count() {
        return None;
    }
    let (at, _) = written.match_indices(needle).nth(nth)?;
    Some(at..at + needle.len())
}

/// Identifies a loaded file inside a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct FileId(pub u32);

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LineCol {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// One file's path, full text and line index.
#[derive(Debug)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    /// How the file's bytes became `text`.
    decoding: Decoding,
    /// Byte offset of the start of every line; `line_starts[0] == 0`
    /// (texts are far below 4 GiB: files over [`MAX_FILE_BYTES`] are not read).
    line_starts: Vec<u32>,
    /// The masked ranges (secrets), each within one line, sorted.
    masks: Vec<Span>,
}

impl SourceFile {
    /// Wraps `text` read from `path`, building the line index once.
    pub fn new(path: impl Into<PathBuf>, text: String) -> Self {
        Self::decoded(path, text, Decoding::Utf8)
    }

    /// Decodes the bytes of the file at `path` (see [`decode`]).
    pub fn from_bytes(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Self {
        let (text, decoding) = decode(bytes);
        Self::decoded(path, text, decoding)
    }

    fn decoded(path: impl Into<PathBuf>, text: String, decoding: Decoding) -> Self {
        let breaks = text.bytes().filter(|&b| b == b'\n').count();
        let mut line_starts = Vec::with_capacity(breaks + 1);
        line_starts.push(0);
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        SourceFile {
            path: path.into(),
            text,
            decoding,
            line_starts,
            masks: Vec::new(),
        }
    }

    /// The masked ranges of the text (secrets overwritten with `*`), each
    /// within one line, sorted and disjoint.
    pub fn masks(&self) -> &[Span] {
        &self.masks
    }

    /// How the file's bytes were turned into its text.
    pub fn decoding(&self) -> Decoding {
        self.decoding
    }

    /// The path the file was read from (as given, not canonicalised).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's full text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The span of the character at byte `offset` (empty at the end of the text).
    pub fn char_span(&self, offset: usize) -> Span {
        let offset = offset.min(self.text.len());
        let len = self.text[offset..].chars().next().map_or(0, char::len_utf8);
        Span::new(offset, offset + len)
    }

    /// The text covered by `span`, or `""` if the span is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// Number of lines (a trailing newline does not start an extra line of content,
    /// but it is counted as an empty last line like editors do).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// 0-based line index containing byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX);
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// Byte offset where 0-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts
            .get(line)
            .map_or(self.text.len(), |&start| start as usize)
    }

    /// Byte range of 0-based line `line`, without its line terminator.
    pub fn line_span(&self, line: usize) -> Span {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = self.text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Span::new(start, end.max(start))
    }

    /// 1-based line and character column of byte `offset`.
    ///
    /// Offsets inside a multi-byte character count as that character; a
    /// byte-order mark is not a column.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.text.len());
        let line = self.line_index(offset);
        let mut start = self.line_starts[line] as usize;
        if start == 0 && offset >= 3 && self.text.starts_with('\u{feff}') {
            start = 3;
        }
        let prefix = floor_char_boundary(&self.text, offset);
        let column = self.text[start..prefix.max(start)].chars().count() + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }
}

/// The largest char boundary `<= offset`.
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All files loaded in one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        // INVARIANT: a run never loads 4 billion files; saturate rather than wrap.
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(file);
        id
    }

    /// The file with this id.
    ///
    /// # Panics
    /// Only on an id not produced by this map (a programming error, never input).
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Replaces every character of `span` in file `id` (line breaks excepted)
    /// with `*`, byte for byte, so a secret can never be rendered while every
    /// span and line stays where it was.
    pub fn mask(&mut self, id: FileId, span: Span) {
        let Some(file) = self.files.get_mut(id.0 as usize) else {
            return;
        };
        let Some(secret) = file.text.get(span.start..span.end) else {
            return;
        };
        let masked: String = secret
            .bytes()
            .map(|b| {
                if b == b'\n' || b == b'\r' {
                    b as char
                } else {
                    '*'
                }
            })
            .collect();
        file.text.replace_range(span.start..span.end, &masked);
        // one range per line, so that a shown mask keeps the lines
        let mut start = span.start;
        for (i, b) in masked.bytes().enumerate() {
            if b == b'\n' || b == b'\r' {
                if start < span.start + i {
                    file.masks.push(Span::new(start, span.start + i));
                }
                start = span.start + i + 1;
            }
        }
        if start < span.end {
            file.masks.push(Span::new(start, span.end));
        }
        file.masks.sort_by_key(|s| (s.start, s.end));
        let mut merged: Vec<Span> = Vec::with_capacity(file.masks.len());
        for m in file.masks.drain(..) {
            match merged.last_mut() {
                Some(last) if m.start <= last.end => last.end = last.end.max(m.end),
                _ => merged.push(m),
            }
        }
        file.masks = merged;
    }

    /// Moves every file of `other` into this map; the ids of `other`'s files
    /// become theirs plus the returned base.
    pub fn append(&mut self, other: SourceMap) -> u32 {
        // INVARIANT: as in `add`, a run never loads 4 billion files.
        let base = u32::try_from(self.files.len()).unwrap_or(u32::MAX);
        self.files.extend(other.files);
        base
    }

    /// Iterates over every file with its id.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file is loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Short text of the models (keys, scalar values, Dockerfile words): up to
/// 24 bytes held in place, so the many short strings of a large file cost
/// no allocation of their own.
pub type Text = compact_str::CompactString;

/// Canonical forms of paths, each computed once: canonicalizing costs a
/// system call per path component, and a run asks about the same files many
/// times (settings, grouping, sorting, suppressions). A file that is not a
/// symbolic link is its canonical directory joined with its name, so each
/// directory is resolved once, not once per file in it.
///
/// Paths are keyed by their bytes (hashing a `Path` walks its components):
/// two spellings of one path are two entries with the same answer. The map
/// is split in [`SHARDS`] locked parts chosen by the path's hash, so that
/// the pool's threads asking at once rarely wait on each other.
///
/// It also keeps what the run listed of directories (see
/// [`CanonicalPaths::is_file`]): a compose file's directory is asked for a
/// dozen names (`.env` and its templates, the override files), which one
/// listing answers.
#[derive(Debug, Default)]
pub struct CanonicalPaths {
    shards: [Mutex<PathMap>; SHARDS],
    /// The listing of each canonical directory asked about; `None` when it
    /// could not be listed (or is too large to keep), so names are probed.
    listed: Mutex<Listings>,
    /// The current directory, asked of the system once: each project's
    /// paths are made absolute against it.
    cwd: std::sync::OnceLock<Option<PathBuf>>,
}

/// A directory's names, each with whether it is a regular file (`None`: a
/// symbolic link, or a type the listing did not say, asked of the file
/// system when it matters).
type Listing = rustc_hash::FxHashMap<Box<std::ffi::OsStr>, Option<bool>>;

/// Each canonical directory's listing; `None` where it could not be made.
type Listings = rustc_hash::FxHashMap<Arc<std::ffi::OsStr>, Option<Arc<Listing>>>;

/// Directories with more entries than this are probed name by name rather
/// than listed: a listing is kept for the whole run.
const MAX_LISTED: usize = 512;

/// What a directory's listing says of one of its names.
enum Listed {
    /// Not listed: ask the file system.
    Unknown,
    /// The name is not there.
    Absent,
    /// The name is there: a regular file or not, `None` when unsaid.
    Present(Option<bool>),
}

impl Listed {
    /// What `listing` (`None`: the directory was not listed) says of `name`.
    fn of(listing: Option<&Listing>, name: &std::ffi::OsStr) -> Listed {
        match listing {
            None => Listed::Unknown,
            Some(names) => names
                .get(name)
                .map_or(Listed::Absent, |f| Listed::Present(*f)),
        }
    }

    /// Whether the name is a regular file: `probe` asks the file system
    /// when the listing cannot say.
    fn file(self, probe: impl FnOnce() -> bool) -> bool {
        match self {
            Listed::Absent => false,
            Listed::Present(Some(file)) => file,
            Listed::Present(None) | Listed::Unknown => probe(),
        }
    }
}

/// How many parts [`CanonicalPaths`] is split into.
const SHARDS: usize = 16;

/// Keys and canonical forms share their bytes: a canonical path is one
/// allocation, the key of its own entry and the value of every spelling's.
type PathMap = rustc_hash::FxHashMap<Arc<std::ffi::OsStr>, Canonical>;
type Mutex<T> = std::sync::Mutex<T>;

/// What is known of a path's canonical form.
#[derive(Debug)]
enum Canonical {
    /// Resolved: the canonical path, `None` when there is none.
    Known(Option<Arc<std::ffi::OsStr>>),
    /// Not resolved yet, but the path is known not to be a symbolic link.
    NotALink,
}

impl CanonicalPaths {
    /// Records that `paths` are not symbolic links (a walk listed them, or
    /// their own look-up said so): resolving one then needs only its
    /// directory.
    pub fn not_links<'a>(&self, paths: impl IntoIterator<Item = &'a Path>) {
        for p in paths {
            entry(&mut self.lock(p), p);
        }
    }

    /// The part of the map that holds `path`.
    fn lock(&self, path: &Path) -> std::sync::MutexGuard<'_, PathMap> {
        use std::hash::BuildHasher;
        // bits the map itself does not use: it places an entry by the low
        // bits and tells entries apart by the top seven, which would be
        // nearly all alike within a part chosen by them
        let hash = rustc_hash::FxBuildHasher.hash_one(path.as_os_str());
        let shard = (hash >> 32) as usize % SHARDS;
        self.shards[shard].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Whether `path` is a regular file (symbolic links followed), as
    /// [`Path::is_file`] says, answered from a listing of its directory made
    /// once per run.
    pub fn is_file(&self, path: &Path) -> bool {
        self.listed(path).file(|| path.is_file())
    }

    /// Whether anything may be at `path`: `false` only when its directory's
    /// listing lacks the name (or there is no such directory), so that
    /// reading it would fail as not found.
    pub fn may_exist(&self, path: &Path) -> bool {
        !matches!(self.listed(path), Listed::Absent)
    }

    /// The first of `names` that is a regular file in `dir`, as
    /// [`Self::is_file`] says of each: the directory is resolved and its
    /// listing looked up once for all of them.
    pub fn first_file<N: AsRef<str>>(
        &self,
        dir: &Path,
        names: impl IntoIterator<Item = N>,
    ) -> Option<PathBuf> {
        let listing = self.listing_of(dir)?;
        names.into_iter().find_map(|name| {
            let name = name.as_ref();
            Listed::of(listing.as_deref(), std::ffi::OsStr::new(name))
                .file(|| dir.join(name).is_file())
                .then(|| dir.join(name))
        })
    }

    /// What the listing of `path`'s directory says of its name.
    fn listed(&self, path: &Path) -> Listed {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return Listed::Unknown;
        };
        match self.listing_of(dir) {
            None => Listed::Absent,
            Some(listing) => Listed::of(listing.as_deref(), name),
        }
    }

    /// The listing of `dir`, made the first time it is asked for: `None`
    /// when there is no such directory, `Some(None)` when it cannot be
    /// listed (names are probed there).
    fn listing_of(&self, dir: &Path) -> Option<Option<Arc<Listing>>> {
        let dir = self.canonical(dir)?;
        if let Some(listing) = self.listing_made(&dir) {
            return Some(listing);
        }
        // listed outside the lock; a thread listing it at the same time
        // finds the same names
        let listing = list(Path::new(dir.as_ref())).map(Arc::new);
        self.listings().insert(dir, listing.clone());
        Some(listing)
    }

    /// The run's listings, locked.
    fn listings(&self) -> std::sync::MutexGuard<'_, Listings> {
        self.listed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The listing made of the canonical directory `dir`, if the run made
    /// one (`Some(None)`: it tried, and names are probed there).
    fn listing_made(&self, dir: &std::ffi::OsStr) -> Option<Option<Arc<Listing>>> {
        self.listings().get(dir).cloned()
    }

    /// The current directory (`None` when it cannot be told), asked of the
    /// system the first time only.
    pub fn current_dir(&self) -> Option<&Path> {
        self.cwd
            .get_or_init(|| std::env::current_dir().ok())
            .as_deref()
    }

    /// `path` canonical (the empty path is the current directory), or `None`
    /// when it cannot be (it does not exist).
    pub fn get(&self, path: &Path) -> Option<PathBuf> {
        self.canonical(path).map(|c| PathBuf::from(c.as_ref()))
    }

    /// `path` canonical, as held in the map.
    fn canonical(&self, path: &Path) -> Option<Arc<std::ffi::OsStr>> {
        let path = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        let not_a_link = match self.lock(path).get(path.as_os_str()) {
            Some(Canonical::Known(known)) => return known.clone(),
            Some(Canonical::NotALink) => true,
            None => false,
        };
        let is_link = |p: &Path| std::fs::symlink_metadata(p).map(|m| m.file_type().is_symlink());
        let canonical: Option<Arc<std::ffi::OsStr>> = match (path.parent(), path.file_name()) {
            (Some(dir), Some(name))
                if not_a_link
                    || self.listed_no_link(dir, name)
                    || matches!(is_link(path), Ok(false)) =>
            {
                self.canonical(dir)
                    .map(|d| Arc::from(Path::new(d.as_ref()).join(name).into_os_string()))
            }
            _ => path
                .canonicalize()
                .ok()
                .map(|c| Arc::from(c.into_os_string())),
        };
        if let Some(c) = &canonical {
            // a canonical path is its own canonical form
            self.lock(Path::new(c.as_ref()))
                .insert(c.clone(), Canonical::Known(Some(c.clone())));
        }
        *entry(&mut self.lock(path), path) = Canonical::Known(canonical.clone());
        canonical
    }

    /// Whether a listing the run already made of `dir` says that `name` is
    /// there and is no symbolic link. A directory is not listed for this
    /// alone: one `stat` of the name costs less than a listing.
    fn listed_no_link(&self, dir: &Path, name: &std::ffi::OsStr) -> bool {
        let Some(dir) = self.canonical(dir) else {
            return false;
        };
        matches!(
            self.listing_made(&dir)
                .map(|listing| Listed::of(listing.as_deref(), name)),
            Some(Listed::Present(Some(_)))
        )
    }
}

/// The entry of `path` in `part`, added as [`Canonical::NotALink`] when there
/// is none (the entry API would copy the key even when it is there).
fn entry<'a>(part: &'a mut PathMap, path: &Path) -> &'a mut Canonical {
    if !part.contains_key(path.as_os_str()) {
        part.insert(Arc::from(path.as_os_str()), Canonical::NotALink);
    }
    // INVARIANT: inserted just above when it was missing.
    part.get_mut(path.as_os_str())
        .expect("the entry was just added")
}

/// The names in `dir`, when it can be listed and holds at most
/// [`MAX_LISTED`]. Only on Linux, where names are compared as bytes, the way
/// a probe of the file system compares them; elsewhere a file system may
/// match `Compose.yaml` for `compose.yaml`, so names are probed there.
fn list(dir: &Path) -> Option<Listing> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let mut names = Listing::default();
    for entry in std::fs::read_dir(dir).ok()? {
        if names.len() == MAX_LISTED {
            return None;
        }
        let entry = entry.ok()?;
        let file = match entry.file_type() {
            Ok(t) if t.is_symlink() => None,
            Ok(t) => Some(t.is_file()),
            Err(_) => None,
        };
        names.insert(entry.file_name().into_boxed_os_str(), file);
    }
    Some(names)
}

/// How a path is shown and fingerprinted: relative to the current directory
/// when it lies below it (files reached through a project are read by
/// absolute path), else as is; always with `/` separators.
pub fn display_path(path: &Path) -> String {
    static CWD: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let cwd = CWD.get_or_init(|| std::env::current_dir().ok());
    let shown = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    // `./x` is shown as `x`
    let shown = shown
        .strip_prefix(".")
        .unwrap_or(shown)
        .display()
        .to_string();
    if std::path::MAIN_SEPARATOR == '/' {
        shown
    } else {
        shown.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_lines_start_at_one() {
        let f = SourceFile::new("x", "ab\nélan: x\r\nz".to_string());
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'é' is two bytes; the byte after it is column 2
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_span(1), Span::new(3, 11));
        assert_eq!(f.slice(f.line_span(1)), "élan: x");
        assert_eq!(f.line_col(f.text().len()), LineCol { line: 3, column: 2 });
    }

    #[test]
    fn parts_are_located_in_verbatim_or_quoted_text_only() {
        let at = Span::new(10, 19);
        assert_eq!(at.part("nginx:1.2", "nginx:1.2", 6..9), Span::new(16, 19));
        assert_eq!(
            Span::new(10, 21).part("\"nginx:1.2\"", "nginx:1.2", 6..9),
            Span::new(17, 20)
        );
        assert_eq!(at.part("nginx:${V}", "nginx:1.2", 6..9), at);
    }

    #[cfg(unix)]
    #[test]
    fn canonical_paths_follow_links_of_files_and_directories() {
        let tmp = crate::rules::testing::TempDir::with_files(&[("real/sub/Dockerfile", "")]);
        let dir = &tmp.0;
        std::os::unix::fs::symlink("real", dir.join("linkdir")).unwrap();
        std::os::unix::fs::symlink("real/sub/Dockerfile", dir.join("linkfile")).unwrap();
        let real = dir.canonicalize().unwrap().join("real/sub/Dockerfile");
        let paths = CanonicalPaths::default();
        for p in [
            "real/sub/Dockerfile",
            "linkdir/sub/Dockerfile",
            "linkfile",
            "real/sub/../sub/./Dockerfile",
        ] {
            assert_eq!(paths.get(&dir.join(p)), Some(real.clone()), "{p}");
            assert_eq!(paths.get(&dir.join(p)), Some(real.clone()), "{p}, cached");
        }
        assert_eq!(paths.get(&real), Some(real.clone()));
        assert_eq!(paths.get(&dir.join("real/missing")), None);
        let cwd = std::env::current_dir().unwrap().canonicalize().unwrap();
        assert_eq!(paths.get(Path::new("")), Some(cwd.clone()));
        assert_eq!(
            paths.get(Path::new("Cargo.toml")),
            Some(cwd.join("Cargo.toml"))
        );
    }

    #[cfg(unix)]
    #[test]
    fn paths_known_to_be_no_links_are_resolved_by_their_directory() {
        let tmp = crate::rules::testing::TempDir::with_files(&[("real/sub/Dockerfile", "")]);
        let dir = &tmp.0;
        std::os::unix::fs::symlink("real", dir.join("linkdir")).unwrap();
        std::os::unix::fs::symlink("real/sub/Dockerfile", dir.join("linkfile")).unwrap();
        let canonical_dir = dir.canonicalize().unwrap();
        let real = canonical_dir.join("real/sub/Dockerfile");
        let paths = CanonicalPaths::default();
        let through_link = dir.join("linkdir/sub/Dockerfile");
        paths.not_links([through_link.as_path()]);
        // its directories are still resolved, links and all
        assert_eq!(paths.get(&through_link), Some(real.clone()));
        // the mark is believed: the caller says only what it has seen
        let link = dir.join("linkfile");
        paths.not_links([link.as_path()]);
        assert_eq!(paths.get(&link), Some(canonical_dir.join("linkfile")));
        // a path already resolved keeps its answer
        let resolved = dir.join("real/sub/Dockerfile");
        assert_eq!(paths.get(&resolved), Some(real.clone()));
        paths.not_links([resolved.as_path()]);
        assert_eq!(paths.get(&resolved), Some(real));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_listed_directory_tells_its_names_apart_from_links() {
        let tmp = crate::rules::testing::TempDir::with_files(&[("app/backend/Dockerfile", "")]);
        let app = tmp.0.join("app");
        std::os::unix::fs::symlink("backend", app.join("linked")).unwrap();
        let canonical_app = app.canonicalize().unwrap();
        let paths = CanonicalPaths::default();
        // the listing the run makes of `app` (for its `.env`, say)
        assert!(!paths.is_file(&app.join(".env")));
        // a directory it lists as one is resolved without asking again
        assert!(paths.listed_no_link(&app, std::ffi::OsStr::new("backend")));
        let real = canonical_app.join("backend/Dockerfile");
        assert_eq!(
            paths.get(&app.join("backend/Dockerfile")),
            Some(real.clone())
        );
        // a link it lists is still followed, and an unlisted directory is
        // asked of the file system
        assert!(!paths.listed_no_link(&app, std::ffi::OsStr::new("linked")));
        assert_eq!(paths.get(&app.join("linked/Dockerfile")), Some(real));
        assert!(!paths.listed_no_link(&app.join("backend"), std::ffi::OsStr::new("Dockerfile")));
        assert!(!paths.listed_no_link(&app, std::ffi::OsStr::new("missing")));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn listed_names_answer_as_the_file_system_does() {
        let tmp = crate::rules::testing::TempDir::with_files(&[
            ("app/compose.yaml", ""),
            ("app/.env.example", "A=1\n"),
            ("app/sub/x", ""),
        ]);
        let app = tmp.0.join("app");
        std::os::unix::fs::symlink("compose.yaml", app.join("linked.yaml")).unwrap();
        std::os::unix::fs::symlink("sub", app.join("linked-dir")).unwrap();
        std::os::unix::fs::symlink("missing", app.join("dangling")).unwrap();
        let paths = CanonicalPaths::default();
        for name in [
            "compose.yaml",
            ".env.example",
            ".env",
            "sub",
            "linked.yaml",
            "linked-dir",
            "dangling",
            "Compose.yaml",
        ] {
            let p = app.join(name);
            assert_eq!(paths.is_file(&p), p.is_file(), "{name}");
            let there = std::fs::symlink_metadata(&p).is_ok();
            assert_eq!(paths.may_exist(&p), there, "{name}");
        }
        // the same directory under another spelling is the same listing
        let other = app.join("sub/../.env.example");
        assert!(paths.is_file(&other));
        // a missing directory holds nothing
        assert!(!paths.may_exist(&tmp.0.join("none/.env")));
        assert!(!paths.is_file(&tmp.0.join("none/.env")));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_first_file_of_several_names_is_the_first_the_file_system_has() {
        let tmp = crate::rules::testing::TempDir::with_files(&[
            ("app/compose.yml", ""),
            ("app/docker-compose.yaml", ""),
            ("app/compose.yaml/x", ""),
        ]);
        let app = tmp.0.join("app");
        std::os::unix::fs::symlink("missing", app.join("compose.override.yaml")).unwrap();
        std::os::unix::fs::symlink("compose.yml", app.join("compose.override.yml")).unwrap();
        let paths = CanonicalPaths::default();
        // a directory named like the first is no file; the second is
        let names = ["compose.yaml", "compose.yml", "docker-compose.yaml"];
        assert_eq!(paths.first_file(&app, names), Some(app.join("compose.yml")));
        // a dangling link is no file; a link to one is
        let overrides = ["compose.override.yaml", "compose.override.yml"];
        assert_eq!(
            paths.first_file(&app, overrides),
            Some(app.join("compose.override.yml"))
        );
        assert_eq!(paths.first_file(&app, ["none", "other"]), None);
        // each as `is_file` answers it, which probes when it must
        for name in names.iter().chain(&overrides) {
            let p = app.join(name);
            assert_eq!(
                paths.first_file(&app, [name]).is_some(),
                p.is_file(),
                "{name}"
            );
        }
        // nothing is in a missing directory
        assert_eq!(paths.first_file(&tmp.0.join("none"), names), None);
    }

    #[test]
    fn a_directory_too_large_to_keep_is_probed_name_by_name() {
        let names: Vec<String> = (0..=MAX_LISTED).map(|i| format!("f{i}")).collect();
        let files: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "")).collect();
        let tmp = crate::rules::testing::TempDir::with_files(&files);
        let paths = CanonicalPaths::default();
        assert!(paths.is_file(&tmp.0.join("f0")));
        assert!(!paths.is_file(&tmp.0.join("g0")));
        // not listed: every name may be there, as far as it knows
        assert!(paths.may_exist(&tmp.0.join("g0")));
        assert_eq!(
            paths.first_file(&tmp.0, ["g0", "f1"]),
            Some(tmp.0.join("f1"))
        );
        let canonical = paths.get(&tmp.0).unwrap();
        let listed = paths.listed.lock().unwrap();
        assert!(matches!(listed.get(canonical.as_os_str()), Some(None)));
    }

    #[test]
    fn masking_keeps_every_offset_and_line() {
        let mut map = SourceMap::new();
        let id = map.add(SourceFile::new("x", "A=sé\ncret\nB=1".to_string()));
        map.mask(id, Span::new(2, 10));
        let f = map.get(id);
        assert_eq!(f.text(), "A=***\n****\nB=1");
        assert_eq!(f.line_col(11), LineCol { line: 3, column: 1 });
    }
}
