//! The wire: JSON-RPC messages framed by `Content-Length` headers on a byte
//! stream. Reading never trusts the peer: a header without a length, a
//! length over [`MAX_MESSAGE_BYTES`], a body that is not JSON or not a
//! message each become an [`Incoming::Malformed`] the server answers, and the
//! stream goes on with the next message.

use std::io::{self, BufRead, Read, Write};

use lsp_server::Message;

/// A message larger than this is skipped unread (64 MiB: four times the
/// largest file seaworthy lints).
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// What came in.
#[derive(Debug)]
pub enum Incoming {
    /// A well-formed message.
    Message(Message),
    /// Something that is not one, and why; the request's id when the body
    /// parsed as JSON far enough to have one.
    Malformed {
        /// What was wrong.
        reason: String,
        /// The id of a request that could not be read, to answer it.
        id: Option<serde_json::Value>,
    },
}

/// Reads the next message; `None` at the end of the stream.
pub fn read(input: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut bad_header = None;
    let mut headers = false;
    let mut line = String::new();
    loop {
        line.clear();
        // a header line is short: a peer sending megabytes without a line
        // break is not speaking the protocol
        let n = input.by_ref().take(8192).read_line(&mut line)?;
        if n == 0 {
            return Ok(None);
        }
        let text = line.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if headers {
                break;
            }
            // blank lines between messages are tolerated
            continue;
        }
        headers = true;
        match text.split_once(':') {
            Some((name, value)) if name.eq_ignore_ascii_case("content-length") => {
                match value.trim().parse::<usize>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_header = Some(format!("bad Content-Length `{}`", value.trim())),
                }
            }
            Some(_) => {}
            None => bad_header = Some(format!("malformed header line `{text}`")),
        }
    }
    let Some(length) = length else {
        return Ok(Some(Incoming::Malformed {
            reason: bad_header.unwrap_or_else(|| "no Content-Length header".into()),
            id: None,
        }));
    };
    if length > MAX_MESSAGE_BYTES {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Some(Incoming::Malformed {
            reason: format!("a {length}-byte message is over the {MAX_MESSAGE_BYTES}-byte limit"),
            id: None,
        }));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Some(parse(&body)))
}

/// A message body as a message, or why it is not one.
fn parse(body: &[u8]) -> Incoming {
    let value: serde_json::Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Incoming::Malformed {
                reason: format!("not JSON: {e}"),
                id: None,
            }
        }
    };
    let id = value.get("id").cloned();
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Incoming::Message(m),
        Err(e) => Incoming::Malformed {
            reason: format!("not a JSON-RPC message: {e}"),
            id,
        },
    }
}

/// Writes `message`, framed.
pub fn write(output: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(output)?;
    output.flush()
}

/// Writes the notification `method` with `params`, serialized straight to
/// text (a file's thousands of diagnostics never become a JSON tree).
pub fn write_notification(
    output: &mut impl Write,
    method: &str,
    params: &impl serde::Serialize,
) -> io::Result<()> {
    #[derive(serde::Serialize)]
    struct Body<'a, P> {
        jsonrpc: &'static str,
        method: &'a str,
        params: &'a P,
    }
    let body = serde_json::to_string(&Body {
        jsonrpc: "2.0",
        method,
        params,
    })?;
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

/// Writes a JSON-RPC error response with `id` (null when unknown), for a
/// request that could not be read as one.
pub fn write_error(
    output: &mut impl Write,
    id: Option<serde_json::Value>,
    code: i32,
    message: &str,
) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(serde_json::Value::Null),
        "error": { "code": code, "message": message },
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn messages_and_malformed_input_come_in_order() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let stream = [
            framed("{not json"),
            framed(r#"{"jsonrpc":"2.0","id":7,"method":5}"#),
            "Content-Type: x\r\n\r\n".to_string(),
            framed(good),
            // the peer says the body runs on past the end: skipped unread
            "Content-Length: 99999999999\r\n\r\nabc".to_string(),
        ]
        .concat();
        let mut input = io::Cursor::new(stream.into_bytes());
        let mut seen = Vec::new();
        while let Some(m) = read(&mut input).unwrap() {
            seen.push(match m {
                Incoming::Message(m) => format!("message {m:?}"),
                Incoming::Malformed { reason, id } => format!("malformed {id:?}: {reason}"),
            });
        }
        assert!(seen[0].starts_with("malformed None: not JSON"), "{seen:?}");
        assert!(
            seen[1].starts_with("malformed Some(Number(7)): not a JSON-RPC message"),
            "{seen:?}"
        );
        assert!(seen[2].contains("no Content-Length"), "{seen:?}");
        assert!(seen[3].contains("initialized"), "{seen:?}");
        assert!(seen[4].contains("over the"), "{seen:?}");
        assert_eq!(seen.len(), 5);
    }
}
