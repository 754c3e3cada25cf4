//! A tokenizer for the POSIX shell scripts in `RUN`, `CMD`, `HEALTHCHECK` and
//! heredoc bodies: words (quotes and escapes), operators, redirections and
//! command substitutions, with spans in the original file, continuations and
//! all. Enough to find "the `curl` command and its flags", not a full shell.

use crate::source::{Span, Text};

use super::lines::Logical;

/// A shell word.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ShellWord {
    /// Where it is written.
    pub span: Span,
    /// As written.
    pub raw: Text,
    /// Quotes and backslashes removed; `$…` expressions kept as written.
    pub value: Text,
}

/// A redirection such as `> /dev/null`, `2>&1` or `<<EOF`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Redirect {
    /// The operator with its file descriptor (`2>`, `>>`, `<<-`).
    pub op: String,
    /// The operator's span.
    pub span: Span,
    /// The target word.
    pub target: Option<ShellWord>,
}

/// A simple command: words and redirections up to an operator.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SimpleCommand {
    /// Its words, leading reserved words (`if`, `then`, `!`…) removed.
    pub words: Vec<ShellWord>,
    /// Its redirections.
    pub redirects: Vec<Redirect>,
    /// The operator that ends it (`&&`, `||`, `;`, `|`, `&`, newline), if any.
    pub terminator: Option<String>,
}

impl SimpleCommand {
    /// The command name: the first word that is not a `NAME=value` assignment.
    pub fn name(&self) -> Option<&ShellWord> {
        self.words.iter().find(|w| !is_assignment(&w.raw))
    }

    /// The words after the name.
    pub fn args(&self) -> &[ShellWord] {
        match self.words.iter().position(|w| !is_assignment(&w.raw)) {
            Some(i) => &self.words[i + 1..],
            None => &[],
        }
    }

    /// The words from the program actually run on: leading assignments and
    /// wrappers that run the rest (`sudo -E`, `env A=1`, `nice`) skipped, so
    /// `sudo apt-get install` gives `apt-get install`.
    pub fn unwrapped(&self) -> &[ShellWord] {
        let mut words: &[ShellWord] = &self.words;
        loop {
            let skip = words.iter().take_while(|w| is_assignment(&w.raw)).count();
            words = &words[skip..];
            let Some(first) = words.first() else {
                return words;
            };
            let name = crate::knowledge::programs::command_name(&first.value);
            if !WRAPPERS.contains(&name) {
                return words;
            }
            // its options, and the values of those written apart (`sudo -u app`)
            let mut i = 1;
            while let Some(w) = words.get(i).filter(|w| w.value.starts_with('-')) {
                let takes_value = WRAPPER_VALUES.iter().any(|(wrapper, options)| {
                    *wrapper == name && options.contains(&w.value.as_str())
                });
                i += 1 + usize::from(takes_value);
            }
            words = words.get(i..).unwrap_or(&[]);
        }
    }

    /// The span from the first word to the last.
    pub fn span(&self) -> Option<Span> {
        Some(self.words.first()?.span.cover(self.words.last()?.span))
    }
}

/// Whether a program reading `args` with getopt-style options is given the
/// short option `short` (alone or in a cluster: `-sSf`) or one of the long
/// options `long` (`--fail`, or `--uid=…`); `with_value` lists the short
/// options that take a value (the rest of the cluster, or the next word),
/// which are skipped. Only the first `--` ends options.
pub fn has_option<'a>(
    args: impl IntoIterator<Item = &'a str>,
    short: Option<char>,
    long: &[&str],
    with_value: &str,
) -> bool {
    option_value(args, short, long, with_value).is_some()
}

/// The value of the option [`has_option`] finds: the rest of its cluster,
/// the next word, or the text after `=`; "" for a flag.
pub fn option_value<'a>(
    args: impl IntoIterator<Item = &'a str>,
    short: Option<char>,
    long: &[&str],
    with_value: &str,
) -> Option<&'a str> {
    let mut args = args.into_iter();
    while let Some(a) = args.next() {
        if a == "--" {
            break;
        }
        if let Some(name) = a.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (name, None),
            };
            if long.iter().any(|l| l.trim_start_matches('-') == name) {
                return Some(inline.unwrap_or_else(|| {
                    if short.is_some_and(|c| with_value.contains(c)) {
                        args.next().unwrap_or("")
                    } else {
                        ""
                    }
                }));
            }
            continue;
        }
        let Some(cluster) = a.strip_prefix('-') else {
            continue;
        };
        for (i, c) in cluster.char_indices() {
            let rest = &cluster[i + c.len_utf8()..];
            if Some(c) == short {
                if !with_value.contains(c) {
                    return Some("");
                }
                return Some(if rest.is_empty() {
                    args.next().unwrap_or("")
                } else {
                    rest
                });
            }
            if with_value.contains(c) {
                if rest.is_empty() {
                    args.next();
                }
                break;
            }
        }
    }
    None
}

/// curl's short options that take an argument (the rest of a cluster, or the next word).
pub const CURL_SHORT_WITH_ARG: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/// Whether `curl` run with `args` exits 0 on an HTTP error status: neither
/// `-f`/`--fail`/`--fail-with-body` is given. Only the first `--` ends options.
pub fn curl_lacks_fail<'a>(args: impl IntoIterator<Item = &'a str>) -> bool {
    !has_option(
        args,
        Some('f'),
        &["fail", "fail-with-body"],
        CURL_SHORT_WITH_ARG,
    )
}

/// Whether a command's executable is `name` (by base name: `/usr/bin/curl` is `curl`).
pub fn is_program(word: &str, name: &str) -> bool {
    crate::knowledge::programs::command_name(word) == name
}

impl SimpleCommand {
    /// Whether this is a `curl` whose exit status is the probe's and that
    /// lacks `--fail`: a `curl` piped into another command (`| grep ok`) is
    /// judged by that command instead.
    pub fn is_curl_without_fail(&self) -> bool {
        self.name().is_some_and(|n| is_program(&n.value, "curl"))
            && self.terminator.as_deref() != Some("|")
            && curl_lacks_fail(self.args().iter().map(|w| w.value.as_str()))
    }
}

/// The `curl` without `--fail` in a shell script, as a span within `script`.
pub fn curl_without_fail_in_script(script: &str) -> Option<Span> {
    commands(script, Span::new(0, script.len()), b'\\')
        .iter()
        .find(|c| c.is_curl_without_fail())
        .and_then(|c| c.name().map(|n| n.span))
}

/// The `curl` without `--fail` in an exec-form command (`["curl", …]` or
/// `["sh", "-c", "script"]`): the index of the argument holding it and, for a
/// script, the span within that argument.
pub fn curl_without_fail_in_exec(args: &[&str]) -> Option<(usize, Option<Span>)> {
    let (program, rest) = args.split_first()?;
    if is_program(program, "curl") {
        return curl_lacks_fail(rest.iter().copied()).then_some((0, None));
    }
    let shells = ["sh", "bash", "ash", "dash", "zsh"];
    if shells.iter().any(|s| is_program(program, s)) && rest.first() == Some(&"-c") {
        let script = rest.get(1)?;
        return curl_without_fail_in_script(script).map(|span| (2, Some(span)));
    }
    None
}

impl super::model::Command {
    /// The `curl` without `--fail` this command runs, if any; `text` is the
    /// file's text and `escape` its escape character.
    pub fn curl_without_fail(&self, text: &str, escape: char) -> Option<Span> {
        match self {
            super::model::Command::Shell(word) => commands(text, word.span, escape as u8)
                .iter()
                .find(|c| c.is_curl_without_fail())
                .and_then(|c| c.name().map(|n| n.span)),
            super::model::Command::Exec { args, .. } => {
                let values: Vec<&str> = args.iter().map(|a| a.value.as_str()).collect();
                let (index, inner) = curl_without_fail_in_exec(&values)?;
                let arg = &args[index];
                Some(match inner {
                    Some(inner) => arg.span.part(&arg.raw, &arg.value, inner.start..inner.end),
                    None => arg.span,
                })
            }
        }
    }
}

/// The words of the script at `span` of `text` when it is one plain command
/// (no operator, redirection, substitution or glob): what its exec form
/// (`["program", "arg"]`) would hold.
pub fn plain_command_words(text: &str, span: Span, escape: u8) -> Option<Vec<String>> {
    Some(
        plain_command(text, span, escape)?
            .into_iter()
            .map(|w| w.value.into_string())
            .collect(),
    )
}

/// The words of [`plain_command_words`], with where each is written. Not
/// plain: a leading `NAME=value` (the shell sets it; exec form would run it),
/// a tilde, glob or brace a shell would expand.
pub fn plain_command(text: &str, span: Span, escape: u8) -> Option<Vec<ShellWord>> {
    let mut commands = commands(text, span, escape);
    if commands.len() != 1 {
        return None;
    }
    let only = commands.pop()?;
    let plain = only.redirects.is_empty()
        && only.terminator.as_deref().is_none_or(|t| t == "\n")
        && !only.words.is_empty()
        && !is_assignment(&only.words[0].raw)
        && !only
            .words
            .iter()
            .any(|w| w.raw.contains(['$', '`', '*', '?', '[', '{', '}']) || w.raw.starts_with('~'));
    plain.then_some(only.words)
}

/// Programs that run the command given after their own options.
const WRAPPERS: &[&str] = &["sudo", "doas", "env", "nice", "nohup", "stdbuf"];

/// The options of wrappers that take a value written apart.
const WRAPPER_VALUES: &[(&str, &[&str])] = &[
    (
        "sudo",
        &[
            "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "--user", "--group",
        ],
    ),
    ("doas", &["-u", "-C"]),
    ("env", &["-u", "-C", "-S", "--unset", "--chdir"]),
    ("nice", &["-n"]),
    ("stdbuf", &["-i", "-o", "-e"]),
];

/// Whether a shell word is a `NAME=value` assignment.
pub fn is_assignment(w: &str) -> bool {
    let Some(eq) = w.find('=') else { return false };
    let name = &w[..eq];
    !name.is_empty()
        && !name.as_bytes()[0].is_ascii_digit()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "case", "esac", "{", "}",
    "!", "time",
];

/// The simple commands of the script in `span` of `text` (continuations of the
/// Dockerfile `escape` character removed), including those inside `$(…)` and
/// backticks, in source order.
pub fn commands(text: &str, span: Span, escape: u8) -> Vec<SimpleCommand> {
    let logical = Logical::new(text, span, escape);
    let mut out = Vec::new();
    Lexer {
        logical: &logical,
        bytes: logical.text.as_bytes(),
        pos: 0,
        end: logical.text.len(),
        depth: 0,
        backslash: escape == b'\\',
    }
    .script(&mut out);
    out.sort_by_key(|c| c.words.first().map_or(usize::MAX, |w| w.span.start));
    out
}

/// Nested substitutions deeper than this are not looked into.
const MAX_DEPTH: usize = 32;

struct Lexer<'l> {
    logical: &'l Logical,
    bytes: &'l [u8],
    pos: usize,
    end: usize,
    depth: usize,
    /// `false` in Dockerfiles whose escape is a backtick (Windows): there the
    /// shell is `cmd`/PowerShell and `\` is a path separator.
    backslash: bool,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        (self.pos + ahead < self.end).then(|| self.bytes[self.pos + ahead])
    }

    fn script(&mut self, out: &mut Vec<SimpleCommand>) {
        let mut cmd = SimpleCommand::default();
        let mut pending_heredocs: Vec<(String, bool)> = Vec::new();
        // `case … in`: how many are open, and whether a pattern (`a|b)`) comes next
        let mut cases = 0usize;
        let mut pattern_next = false;
        while self.pos < self.end {
            let b = self.bytes[self.pos];
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\\' if self.peek(1) == Some(b'\n') => self.pos += 2,
                b'#' => {
                    while self.pos < self.end && self.bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                b'\n' => {
                    self.pos += 1;
                    finish(out, &mut cmd, "\n");
                    for (delim, strip) in pending_heredocs.drain(..) {
                        self.skip_heredoc(&delim, strip);
                    }
                }
                b';' | b'&' | b'|' | b'(' | b')' => {
                    let two = self.peek(1);
                    let op = match (b, two) {
                        (b'&', Some(b'&')) => "&&",
                        (b'|', Some(b'|')) => "||",
                        (b';', Some(b';')) => ";;",
                        (b'&', Some(b'>')) => {
                            self.redirect(&mut cmd, &mut pending_heredocs);
                            continue;
                        }
                        (b';', _) => ";",
                        (b'&', _) => "&",
                        (b'|', _) => "|",
                        (b'(', _) => "(",
                        _ => ")",
                    };
                    if pattern_next && op == "(" && cmd.words.is_empty() {
                        // `(a|b)`: a pattern in its optional parenthesis
                        self.pos += 1;
                        self.skip_pattern();
                        pattern_next = false;
                        continue;
                    }
                    self.pos += op.len();
                    if op == ";;" && cases > 0 {
                        pattern_next = true;
                    }
                    finish(out, &mut cmd, op);
                }
                b'<' | b'>' => self.redirect(&mut cmd, &mut pending_heredocs),
                b'0'..=b'9' if self.fd_redirect_ahead() => {
                    self.redirect(&mut cmd, &mut pending_heredocs)
                }
                _ => {
                    let w = self.word(out);
                    if cmd.words.is_empty() {
                        match w.raw.as_str() {
                            "esac" if cases > 0 => {
                                cases -= 1;
                                pattern_next = false;
                                continue;
                            }
                            // `a|b)`: alternatives, not a pipe
                            _ if pattern_next => {
                                self.skip_pattern();
                                pattern_next = false;
                                continue;
                            }
                            "case" => {
                                self.case_header(out);
                                cases += 1;
                                pattern_next = true;
                                continue;
                            }
                            // `[[ $x =~ ^(a|b)$ ]]`: a test, with no commands in it
                            "[[" => {
                                self.skip_test();
                                continue;
                            }
                            raw if RESERVED.contains(&raw) => continue,
                            _ => {}
                        }
                    }
                    cmd.words.push(w);
                }
            }
        }
        if !cmd.words.is_empty() || !cmd.redirects.is_empty() {
            out.push(cmd);
        }
    }

    fn skip_blanks(&mut self) {
        while self
            .peek(0)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            self.pos += 1;
        }
    }

    /// After `case`: the subject word and `in`.
    fn case_header(&mut self, out: &mut Vec<SimpleCommand>) {
        self.skip_blanks();
        if self.pos < self.end {
            self.word(out);
        }
        self.skip_blanks();
        if self.logical.text[self.pos..self.end].starts_with("in")
            && self
                .peek(2)
                .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b';'))
        {
            self.pos += 2;
        }
    }

    /// The rest of a `case` pattern, up to and past its `)`.
    fn skip_pattern(&mut self) {
        let mut quote = None;
        while self.pos < self.end {
            let b = self.bytes[self.pos];
            self.pos += 1;
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) => {}
                None if b == b'\'' || b == b'"' => quote = Some(b),
                None if b == b'\\' => self.pos += 1,
                None if b == b')' => return,
                None => {}
            }
        }
    }

    /// The rest of a `[[ … ]]` test, up to and past its `]]`.
    fn skip_test(&mut self) {
        let rest = &self.logical.text[self.pos..self.end];
        let close = rest
            .match_indices("]]")
            .find(|(i, _)| {
                rest[i + 2..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric())
            })
            .map_or(self.end, |(i, _)| self.pos + i + 2);
        self.pos = close.min(self.end);
    }

    fn fd_redirect_ahead(&self) -> bool {
        let mut i = self.pos;
        while i < self.end && self.bytes[i].is_ascii_digit() {
            i += 1;
        }
        i < self.end && matches!(self.bytes[i], b'<' | b'>')
    }

    fn redirect(&mut self, cmd: &mut SimpleCommand, heredocs: &mut Vec<(String, bool)>) {
        let start = self.pos;
        while self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let mut op_end = self.pos;
        while op_end < self.end
            && op_end - self.pos < 3
            && matches!(self.bytes[op_end], b'<' | b'>' | b'&' | b'|' | b'-')
        {
            op_end += 1;
        }
        let op = self.logical.text[start..op_end].to_string();
        self.pos = op_end;
        while self.peek(0).is_some_and(|b| b == b' ' || b == b'\t') {
            self.pos += 1;
        }
        let target = (self.pos < self.end
            && !matches!(
                self.bytes[self.pos],
                b'\n' | b';' | b'&' | b'|' | b'(' | b')'
            ))
        .then(|| self.word(&mut Vec::new()));
        if op.ends_with("<<") || op.ends_with("<<-") {
            if let Some(t) = &target {
                heredocs.push((t.value.to_string(), op.ends_with('-')));
            }
        }
        cmd.redirects.push(Redirect {
            op,
            span: self.logical.span(start, op_end),
            target,
        });
    }

    fn skip_heredoc(&mut self, delim: &str, strip_tabs: bool) {
        while self.pos < self.end {
            let line_end = self.logical.text[self.pos..self.end]
                .find('\n')
                .map_or(self.end, |i| self.pos + i);
            let mut line = self.logical.text[self.pos..line_end].trim_end_matches('\r');
            if strip_tabs {
                line = line.trim_start_matches('\t');
            }
            self.pos = (line_end + 1).min(self.end);
            if line == delim {
                return;
            }
        }
    }

    /// A word; command substitutions inside it are lexed into `out`.
    fn word(&mut self, out: &mut Vec<SimpleCommand>) -> ShellWord {
        let start = self.pos;
        // the length up to the first delimiter: exact for most words
        let guess = self.bytes[self.pos..self.end]
            .iter()
            .position(|b| {
                matches!(
                    b,
                    b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
                )
            })
            .unwrap_or(self.end - self.pos);
        let mut value = Text::with_capacity(guess);
        while self.pos < self.end {
            let b = self.bytes[self.pos];
            match b {
                b' ' | b'\t' | b'\r' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')' => {
                    break
                }
                b'\\' if self.backslash => {
                    if self.peek(1) == Some(b'\n') {
                        self.pos += 2;
                        continue;
                    }
                    self.pos += 1;
                    self.push_char(&mut value);
                }
                b'\'' => {
                    self.pos += 1;
                    let close = self.bytes[self.pos..self.end]
                        .iter()
                        .position(|&b| b == b'\'')
                        .map_or(self.end, |i| self.pos + i);
                    value.push_str(&self.logical.text[self.pos..close]);
                    self.pos = close;
                    self.pos += usize::from(self.pos < self.end);
                }
                b'"' => {
                    self.pos += 1;
                    while self.pos < self.end && self.bytes[self.pos] != b'"' {
                        match self.bytes[self.pos] {
                            b'\\'
                                if self
                                    .peek(1)
                                    .is_some_and(|n| matches!(n, b'"' | b'\\' | b'$' | b'`')) =>
                            {
                                self.pos += 1;
                                self.push_char(&mut value);
                            }
                            b'$' if self.peek(1) == Some(b'(') => {
                                self.substitution(&mut value, out)
                            }
                            b'`' => self.backticks(&mut value, out),
                            _ => self.push_char(&mut value),
                        }
                    }
                    self.pos += usize::from(self.pos < self.end);
                }
                // `$(( a | b ))`: arithmetic, no commands in it
                b'$' if self.peek(1) == Some(b'(') && self.peek(2) == Some(b'(') => {
                    let s = self.pos;
                    self.pos = self.closing(self.pos + 1, b'(', b')');
                    value.push_str(&self.logical.text[s..self.pos]);
                }
                b'$' if self.peek(1) == Some(b'(') => self.substitution(&mut value, out),
                b'$' if self.peek(1) == Some(b'{') => {
                    let s = self.pos;
                    self.pos = self.closing(self.pos + 1, b'{', b'}');
                    value.push_str(&self.logical.text[s..self.pos]);
                }
                b'`' => self.backticks(&mut value, out),
                _ => {
                    // this character, then the plain ones after it at once
                    self.push_char(&mut value);
                    let plain_end = self.bytes[self.pos..self.end]
                        .iter()
                        .position(|&b| is_special(b))
                        .map_or(self.end, |i| self.pos + i);
                    value.push_str(&self.logical.text[self.pos..plain_end]);
                    self.pos = plain_end;
                }
            }
        }
        ShellWord {
            span: self.logical.span(start, self.pos),
            raw: Text::from(&self.logical.text[start..self.pos]),
            value,
        }
    }

    fn push_char(&mut self, value: &mut Text) {
        if let Some(c) = self.logical.text[self.pos..self.end].chars().next() {
            value.push(c);
            self.pos += c.len_utf8();
        } else {
            self.pos = self.end;
        }
    }

    /// The offset just past the bracket closing the one at `open`.
    fn closing(&self, open: usize, o: u8, c: u8) -> usize {
        let mut depth = 0usize;
        let mut i = open;
        let mut quote = None;
        while i < self.end {
            let b = self.bytes[i];
            match quote {
                Some(q) if b == q => quote = None,
                Some(b'"') if b == b'\\' => i += 1,
                Some(_) => {}
                None if b == b'\\' => i += 1,
                None if b == b'\'' || b == b'"' => quote = Some(b),
                None if b == o => depth += 1,
                None if b == c => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return i + 1;
                    }
                }
                None => {}
            }
            i += 1;
        }
        self.end
    }

    fn substitution(&mut self, value: &mut Text, out: &mut Vec<SimpleCommand>) {
        let start = self.pos;
        let close = self.closing(self.pos + 1, b'(', b')');
        let inner_end = if close > start + 2 && self.bytes.get(close - 1) == Some(&b')') {
            close - 1
        } else {
            close
        };
        self.nested(start + 2, inner_end, out);
        value.push_str(&self.logical.text[start..close]);
        self.pos = close;
    }

    fn backticks(&mut self, value: &mut Text, out: &mut Vec<SimpleCommand>) {
        let start = self.pos;
        let close = self.logical.text[start + 1..self.end]
            .find('`')
            .map_or(self.end, |i| start + 1 + i);
        self.nested(start + 1, close, out);
        self.pos = (close + 1).min(self.end);
        value.push_str(&self.logical.text[start..self.pos]);
    }

    fn nested(&mut self, start: usize, end: usize, out: &mut Vec<SimpleCommand>) {
        if self.depth >= MAX_DEPTH || start >= end {
            return;
        }
        Lexer {
            logical: self.logical,
            bytes: self.bytes,
            pos: start,
            end,
            depth: self.depth + 1,
            backslash: self.backslash,
        }
        .script(out);
    }
}

fn finish(out: &mut Vec<SimpleCommand>, cmd: &mut SimpleCommand, op: &str) {
    if cmd.words.is_empty() && cmd.redirects.is_empty() {
        return;
    }
    cmd.terminator = Some(op.to_string());
    out.push(std::mem::take(cmd));
}

#[cfg(test)]
mod curl_tests {
    use super::curl_lacks_fail;

    #[test]
    fn fail_flags_are_found_in_clusters_but_not_in_arguments() {
        assert!(curl_lacks_fail(["-s", "http://x"]));
        assert!(!curl_lacks_fail(["-f", "http://x"]));
        assert!(!curl_lacks_fail(["-sSf", "http://x"]));
        assert!(!curl_lacks_fail(["--fail-with-body", "http://x"]));
        assert!(curl_lacks_fail(["-o", "-f", "http://x"]));
        assert!(curl_lacks_fail(["-Hf: 1", "http://x"]));
        assert!(curl_lacks_fail(["--", "-f"]));
    }

    #[test]
    fn options_and_their_values() {
        use super::option_value;
        let args = ["-rmu1000", "-g", "app", "--shell=/bin/sh", "app"];
        assert_eq!(
            option_value(args, Some('u'), &["uid"], "ugGdsck"),
            Some("1000")
        );
        assert_eq!(
            option_value(args, Some('s'), &["shell"], "ugGdsck"),
            Some("/bin/sh")
        );
        assert_eq!(
            option_value(args, Some('l'), &["no-log-init"], "ugGdsck"),
            None
        );
        assert_eq!(
            option_value(["-u", "10001"], Some('u'), &["uid"], "u"),
            Some("10001")
        );
        assert_eq!(
            option_value(["-sSLk"], Some('k'), &["insecure"], "o"),
            Some("")
        );
        assert_eq!(
            option_value(["-ok", "x"], Some('k'), &["insecure"], "o"),
            None
        );
    }
}

/// Whether the byte `b` ends a plain run of a word: a delimiter, a quote, an
/// escape or an expansion (all ASCII, so a run ends on a character boundary).
fn is_special(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\r'
            | b'\n'
            | b';'
            | b'&'
            | b'|'
            | b'<'
            | b'>'
            | b'('
            | b')'
            | b'\\'
            | b'\''
            | b'"'
            | b'$'
            | b'`'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(script: &str) -> Vec<Vec<String>> {
        commands(script, Span::new(0, script.len()), b'\\')
            .iter()
            .map(|c| c.words.iter().map(|w| w.value.to_string()).collect())
            .collect()
    }

    #[test]
    fn operators_quotes_and_continuations() {
        let s = "apt-get update && \\\n  apt-get install -y 'curl' \"git\" ; rm -rf /var/lib/apt/lists/* | cat || true";
        assert_eq!(
            names(s),
            [
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "curl", "git"],
                vec!["rm", "-rf", "/var/lib/apt/lists/*"],
                vec!["cat"],
                vec!["true"],
            ]
        );
        let cmds = commands(s, Span::new(0, s.len()), b'\\');
        let curl = &cmds[1].words[3];
        assert_eq!(&s[curl.span.start..curl.span.end], "'curl'");
        assert_eq!(
            cmds[1].span().map(|sp| &s[sp.start..sp.end]),
            Some("apt-get install -y 'curl' \"git\"")
        );
    }

    #[test]
    fn substitutions_redirections_and_reserved_words() {
        let s = "if curl -fsS $(cat /url) > /dev/null 2>&1; then echo `id -u`; fi";
        let cmds = commands(s, Span::new(0, s.len()), b'\\');
        let got: Vec<_> = cmds
            .iter()
            .map(|c| c.name().map(|w| w.value.as_str()))
            .collect();
        assert_eq!(got, [Some("curl"), Some("cat"), Some("echo"), Some("id")]);
        assert_eq!(cmds[0].redirects.len(), 2);
        assert_eq!(cmds[0].redirects[1].op, "2>&");
        assert_eq!(cmds[0].args()[0].value, "-fsS");
    }

    #[test]
    fn case_patterns_tests_and_arithmetic_are_not_pipes() {
        let s = "case \"$arch\" in amd64|x86_64) a=1 ;; (arm64|'aarch|64') b | c ;; *) ;; esac; [[ $x =~ ^(a|b)$ ]] && echo $(( 1 | 2 ))";
        assert_eq!(
            names(s),
            [
                vec!["a=1"],
                vec!["b"],
                vec!["c"],
                vec!["echo", "$(( 1 | 2 ))"]
            ]
        );
        let nested = "case $a in x) case $b in y|z) one ;; esac ; two ;; w|v) three ;; esac";
        assert_eq!(names(nested), [vec!["one"], vec!["two"], vec!["three"]]);
    }

    #[test]
    fn wrappers_and_their_options() {
        let s = "sudo -u app -E env -u X A=1 npm install -g x";
        let cmds = commands(s, Span::new(0, s.len()), b'\\');
        let words: Vec<&str> = cmds[0]
            .unwrapped()
            .iter()
            .map(|w| w.value.as_str())
            .collect();
        assert_eq!(words, ["npm", "install", "-g", "x"]);
    }

    #[test]
    fn heredoc_bodies_in_scripts_are_skipped() {
        let s = "cat <<EOF > /etc/app.conf\nrm -rf /\nEOF\necho done\n";
        assert_eq!(names(s), [vec!["cat"], vec!["echo", "done"]]);
        assert_eq!(
            names("FOO=1 BAR=2 make install"),
            [vec!["FOO=1", "BAR=2", "make", "install"]]
        );
        assert_eq!(
            commands("FOO=1 make", Span::new(0, 10), b'\\')[0]
                .name()
                .unwrap()
                .value,
            "make"
        );
    }
}
