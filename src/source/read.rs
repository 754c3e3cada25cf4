//! Reading input files: only regular files, within a size limit, decoded to
//! text without losing the rest of a file to one bad byte.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::SourceFile;

/// Files larger than this are not parsed.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A NUL byte among this many first bytes marks a file as binary (git's test).
const BINARY_PROBE_BYTES: usize = 8000;

/// How a file's bytes became its text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Decoding {
    /// Valid UTF-8, taken as is.
    #[default]
    Utf8,
    /// UTF-16 with a byte-order mark, converted to UTF-8: offsets count the
    /// bytes of the converted text.
    Utf16,
    /// Not valid UTF-8: every invalid sequence reads as U+FFFD. `at` is the
    /// first one's offset in the text.
    InvalidUtf8 {
        /// Offset of the first replacement character.
        at: usize,
    },
    /// A NUL byte among the first 8000: not a text file. Its text is left
    /// empty, so no output ever prints its bytes.
    Binary {
        /// Offset in the file of the first NUL byte (or of an invalid UTF-8
        /// sequence before it).
        at: usize,
    },
}

/// Turns a file's bytes into text. UTF-16 with a byte-order mark is
/// converted; otherwise the bytes are UTF-8, invalid sequences replaced by
/// U+FFFD so the rest of the file can still be checked. A binary file becomes
/// no text at all.
pub fn decode(bytes: Vec<u8>) -> (String, Decoding) {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let units = bytes[2..].chunks(2).map(|c| match *c {
            [a, b] => unit([a, b]),
            // an odd last byte is not a code unit
            _ => 0xFFFD,
        });
        let text = char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect();
        return (text, Decoding::Utf16);
    }
    let probe = &bytes[..bytes.len().min(BINARY_PROBE_BYTES)];
    if let Some(nul) = probe.iter().position(|&b| b == 0) {
        let at = std::str::from_utf8(&bytes[..nul]).map_or_else(|e| e.valid_up_to(), |_| nul);
        return (String::new(), Decoding::Binary { at });
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, Decoding::Utf8),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            (text, Decoding::InvalidUtf8 { at })
        }
    }
}

/// Reads the bytes of the regular file at `path` (symbolic links followed),
/// refusing directories, pipes, sockets and devices, which could block or
/// never end, and files over [`MAX_FILE_BYTES`].
///
/// On Unix the file is opened first, without waiting (opening a pipe for
/// reading would wait for a writer), and what it is asked of the open file:
/// one look-up of the path instead of two.
pub fn read_bytes(path: &Path) -> std::io::Result<Vec<u8>> {
    let (file, meta) = open_regular(path)?;
    let too_large = |len: u64| {
        std::io::Error::other(format!(
            "file is {len} bytes, over the {MAX_FILE_BYTES}-byte limit"
        ))
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // a file growing while it is read still stops at the limit
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The file at `path` opened for reading, with its metadata, when it is a
/// regular file.
#[cfg(unix)]
fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path);
    let file = match opened {
        Ok(file) => file,
        // a missing file is the common case (probing for `.env`): one call
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(e),
        Err(e) => {
            // a socket cannot be opened at all: say what it is
            let refused = std::fs::metadata(path).ok().and_then(|m| regular(&m).err());
            return Err(refused.unwrap_or(e));
        }
    };
    let meta = file.metadata()?;
    regular(&meta)?;
    Ok((file, meta))
}

/// The file at `path` opened for reading, with its metadata, when it is a
/// regular file.
#[cfg(not(unix))]
fn open_regular(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    let meta = std::fs::metadata(path)?;
    regular(&meta)?;
    Ok((std::fs::File::open(path)?, meta))
}

/// Refuses what is not a regular file.
fn regular(meta: &std::fs::Metadata) -> std::io::Result<()> {
    if meta.is_dir() {
        return Err(std::io::Error::other("is a directory"));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a pipe, socket or device); pass its text on standard input with `-` instead",
        ));
    }
    Ok(())
}

/// An I/O error as a user reads it: `no such file or directory`, `permission
/// denied`, without the operating system's error number.
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error ") {
                Some(at) => text[..at].to_string(),
                None => text,
            }
        }
    }
}

/// Reads and decodes the file at `path` (see [`read_bytes`] and [`decode`]).
pub fn read_file(path: &Path) -> std::io::Result<SourceFile> {
    Ok(SourceFile::from_bytes(path, read_bytes(path)?))
}

/// Bytes read from standard input, linted as the file at `path`.
#[derive(Debug, Clone)]
pub struct StdinFile {
    /// The path it stands for (absolute): its name says what it is, its
    /// directory is where relative paths in it resolve.
    pub path: PathBuf,
    /// The bytes, at most [`MAX_FILE_BYTES`].
    pub bytes: Arc<[u8]>,
}

/// Texts read instead of the files on disk they stand for: fixes computed
/// but not written (`--diff`, and every pass of `--fix` before the last).
/// Keyed by canonical path, so a file reached under two spellings is the
/// same buffer; empty (and free) in an ordinary run.
#[derive(Clone, Debug, Default)]
pub struct Buffers(Arc<rustc_hash::FxHashMap<PathBuf, Arc<str>>>);

impl Buffers {
    /// Whether no file is replaced.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads `text` instead of the file at `path` from now on.
    pub fn insert(&mut self, path: &Path, text: Arc<str>) {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        Arc::make_mut(&mut self.0).insert(key, text);
    }

    /// The text standing for the file at `path`, if any.
    pub fn get(&self, path: &Path) -> Option<&Arc<str>> {
        if self.0.is_empty() {
            return None;
        }
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        self.0.get(&key)
    }

    /// Reads the file at `path`: its buffer when there is one (within the
    /// same size limit as a file), else the disk (see [`read_file`]).
    pub fn read(&self, path: &Path) -> std::io::Result<SourceFile> {
        match self.get(path) {
            Some(text) => buffered(path, text),
            None => read_file(path),
        }
    }
}

/// The buffer `text` as the file at `path`, within [`MAX_FILE_BYTES`].
fn buffered(path: &Path, text: &str) -> std::io::Result<SourceFile> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(std::io::Error::other(format!(
            "the text is {} bytes, over the {MAX_FILE_BYTES}-byte limit",
            text.len()
        )));
    }
    Ok(SourceFile::from_bytes(path, text.as_bytes().to_vec()))
}

/// The file at `path`: standard input's bytes when they stand for `path`,
/// else its buffer or the file's, as [`Buffers::read`] reads it.
pub fn read_source(
    path: &Path,
    stdin: Option<&StdinFile>,
    buffers: &Buffers,
) -> std::io::Result<SourceFile> {
    match stdin {
        Some(stdin) if stdin.path == path => match buffers.get(path) {
            Some(text) => buffered(path, text),
            None => Ok(SourceFile::from_bytes(path, stdin.bytes.to_vec())),
        },
        _ => buffers.read(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_taken_as_is() {
        let (text, d) = decode("a: é\n".as_bytes().to_vec());
        assert_eq!((text.as_str(), d), ("a: é\n", Decoding::Utf8));
    }

    #[test]
    fn invalid_utf8_is_replaced_and_located() {
        let (text, d) = decode(b"a: x\xff\xfey\nb: 1\n".to_vec());
        assert_eq!(text, "a: x\u{FFFD}\u{FFFD}y\nb: 1\n");
        assert_eq!(d, Decoding::InvalidUtf8 { at: 4 });
    }

    #[test]
    fn utf16_with_a_byte_order_mark_is_converted() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: é\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("a: é\n".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        for bytes in [le, be] {
            assert_eq!(decode(bytes), ("a: é\n".to_string(), Decoding::Utf16));
        }
        // a lone surrogate or an odd last byte reads as U+FFFD
        let (text, _) = decode(vec![0xFF, 0xFE, 0x61, 0x00, 0x00, 0xD8, 0x62]);
        assert_eq!(text, "a\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn a_nul_byte_near_the_start_means_binary() {
        let binary = |at| (String::new(), Decoding::Binary { at });
        assert_eq!(decode(b"ab\0c".to_vec()), binary(2));
        assert_eq!(decode(b"a\xff\0".to_vec()), binary(1));
        assert_eq!(decode(b"a\0\xff".to_vec()), binary(1));
        let mut late = vec![b'a'; BINARY_PROBE_BYTES];
        late.push(0);
        assert_eq!(decode(late).1, Decoding::Utf8);
    }
}
