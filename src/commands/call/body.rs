//! Where `call` writes the response: stdout or `-o FILE`, with `-i`'s head, JSON indented (and
//! coloured) for a terminal or under `--pretty`, and the bytes as received otherwise.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};
use reqwest::blocking::Response;
use reqwest::header::CONTENT_TYPE;

use super::jq::Jq;
use super::{BodyFormat, Options};
use crate::http::exchange::{Exchange, HELD_LIMIT, SUMMARY_LIMIT, head_bytes};
use crate::http::no_response::no_response_while_reading;
use crate::output;

/// The most of a JSON body held in memory to pretty-print it; a longer one is written as is.
const PRETTY_LIMIT: usize = HELD_LIMIT;

/// Where the body goes: `-o FILE`, else stdout.
pub struct Destination {
    pub writer: Box<dyn Write>,
    /// For messages: the file's path, or `stdout`.
    pub name: String,
    pub on_terminal: bool,
    /// What is written may show on a terminal: stdout is one, or a pipe or socket, whose reader
    /// (`| head`, `| less`) may write to the terminal that stderr is on. A progress line on
    /// stderr would then share a row with that text and tear it.
    pub may_reach_terminal: bool,
}

impl Destination {
    pub fn open(path: Option<&Path>) -> Result<Destination> {
        Ok(match path {
            Some(path) => {
                let file = File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                Destination {
                    writer: Box::new(io::BufWriter::new(file)),
                    name: path.display().to_string(),
                    on_terminal: false,
                    may_reach_terminal: false,
                }
            }
            None => {
                let stdout = io::stdout();
                let on_terminal = stdout.is_terminal();
                Destination {
                    on_terminal,
                    may_reach_terminal: on_terminal || stdout_is_a_pipe(),
                    writer: Box::new(stdout.lock()),
                    name: "stdout".into(),
                }
            }
        })
    }
}

/// Whether stdout is a pipe or a socket, or cannot be told apart from one.
#[cfg(unix)]
fn stdout_is_a_pipe() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    let kind = io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map(File::from)
        .and_then(|file| file.metadata())
        .map(|meta| meta.file_type());
    match kind {
        Ok(kind) => kind.is_fifo() || kind.is_socket(),
        Err(_) => true,
    }
}

#[cfg(not(unix))]
fn stdout_is_a_pipe() -> bool {
    true
}

/// Writes the final response where it goes (through the `--jq` filter when there is one and the
/// status is not an error); returns the start of the body when the status is an error, for the
/// status line. `size` counts the bytes of body read, for `-w`, even when writing fails.
pub fn write_response(
    exchange: &mut Exchange,
    opts: &Options,
    jq: Option<&Jq>,
    size: &mut u64,
) -> Result<Vec<u8>> {
    let keep = if exchange.response.status().as_u16() >= 400 {
        SUMMARY_LIMIT
    } else {
        0
    };
    let Destination {
        writer: mut dest,
        name: where_to,
        on_terminal,
        ..
    } = Destination::open(opts.output.as_deref())?;
    let write_err = || format!("cannot write to {where_to}");
    if opts.include {
        for head in &exchange.redirect_heads {
            dest.write_all(head).with_context(write_err)?;
        }
        dest.write_all(&head_bytes(&exchange.response))
            .with_context(write_err)?;
    }
    let content_type = exchange
        .response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|kind| crate::error::one_line(kind, 100));
    let is_json = content_type
        .as_deref()
        .is_some_and(output::is_json_media_type);
    let pretty = match opts.body_format {
        BodyFormat::Raw => false,
        BodyFormat::Pretty => true,
        BodyFormat::Auto => on_terminal && is_json,
    };
    let what = exchange.what();
    let body = &mut exchange.response;
    if let Some(jq) = jq.filter(|_| keep == 0) {
        let mut held = Vec::new();
        read_body(body.by_ref().take(HELD_LIMIT as u64 + 1), &mut held, &what)?;
        *size += held.len() as u64;
        if held.len() > HELD_LIMIT {
            bail!(
                "{what} answered more than {} MiB, more than --jq holds in memory",
                HELD_LIMIT >> 20
            );
        }
        // No body at all (204, HEAD) is no input, as for jq: nothing is written.
        if held.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let mut out = io::BufWriter::with_capacity(64 << 10, &mut dest);
        // An HTML error page from a proxy is the usual not-JSON answer: say what it said it was.
        let named = match &content_type {
            Some(kind) if !is_json => format!("the answer to {what} (Content-Type: {kind})"),
            _ => format!("the answer to {what}"),
        };
        let halted = jq.run(&held, &mut out, &named);
        out.flush().with_context(write_err)?;
        drop(out);
        return match halted? {
            None | Some(0) => Ok(Vec::new()),
            Some(code) => bail!("--jq: the filter halted with exit code {code}"),
        };
    }
    let kept = if pretty {
        let colour = on_terminal && output::colour_on_stdout();
        let mut head = Vec::new();
        read_body(
            body.by_ref().take(PRETTY_LIMIT as u64 + 1),
            &mut head,
            &what,
        )?;
        *size += head.len() as u64;
        let indented = head.len() <= PRETTY_LIMIT
            && write_indented(&mut dest, &head, colour).with_context(write_err)?;
        if !indented {
            // Not JSON after all, or too long to hold: the bytes as received.
            dest.write_all(&head).with_context(write_err)?;
            copy_body(body, &mut dest, 0, &what, &where_to, size)?;
        }
        head.truncate(keep);
        head
    } else {
        copy_body(body, &mut dest, keep, &what, &where_to, size)?
    };
    dest.flush().with_context(write_err)?;
    Ok(kept)
}

/// `body` indented onto `dest`, with a final newline; false, having written nothing, when it is
/// not JSON. The printer writes token by token, so it goes through a buffer, not a write per line.
fn write_indented(dest: &mut dyn Write, body: &[u8], colour: bool) -> io::Result<bool> {
    let mut out = io::BufWriter::with_capacity(64 << 10, dest);
    if !output::write_pretty(&mut out, body, colour, 0)? {
        return Ok(false);
    }
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(true)
}

/// Streams the body to `dest` as it arrives, keeping its first `keep` bytes.
fn copy_body(
    body: &mut Response,
    dest: &mut dyn Write,
    keep: usize,
    what: &str,
    where_to: &str,
    size: &mut u64,
) -> Result<Vec<u8>> {
    let mut kept = Vec::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(read_error(what, &err)),
        };
        *size += n as u64;
        if kept.len() < keep {
            kept.extend_from_slice(&buf[..n.min(keep - kept.len())]);
        }
        dest.write_all(&buf[..n])
            .with_context(|| format!("cannot write to {where_to}"))?;
    }
    Ok(kept)
}

pub fn read_body(mut body: impl Read, into: &mut Vec<u8>, what: &str) -> Result<()> {
    body.read_to_end(into)
        .map(|_| ())
        .map_err(|err| read_error(what, &err))
}

fn read_error(what: &str, err: &io::Error) -> anyhow::Error {
    no_response_while_reading(what, err)
}
