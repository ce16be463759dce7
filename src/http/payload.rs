//! A request body that can be sent again: after a 401 with a new token, after a 429 or a 503,
//! and along a 307 or 308 redirect.

use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use reqwest::blocking::Body;

/// A request body from stdin or a pipe is kept in memory up to this size, so that it can be sent
/// again after a 401, a 503 or a 307; a longer one is streamed and can be sent only once.
const REPLAY_LIMIT: usize = 16 << 20;

/// The request body, kept so that it can be sent again (after a 401, a retry, a 307).
pub enum Payload {
    Empty,
    Bytes(Vec<u8>),
    /// A regular file, opened afresh for each send, so a large upload is never held in memory.
    File(PathBuf),
    /// Stdin or a pipe longer than [`REPLAY_LIMIT`]: streamed, and sent only once.
    Stream {
        reader: Option<Box<dyn Read + Send>>,
        source: String,
    },
}

impl Payload {
    /// The data itself, `@FILE` or `@-`. A file is opened now so that a wrong name fails before a
    /// token is fetched.
    pub fn load(data: &str) -> Result<Payload> {
        let Some(name) = data.strip_prefix('@') else {
            return Ok(Payload::Bytes(data.as_bytes().to_vec()));
        };
        if name == "-" {
            return Payload::buffered(Box::new(io::stdin()), "stdin".into());
        }
        let path = PathBuf::from(name);
        let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let is_file = file
            .metadata()
            .with_context(|| format!("cannot read {}", path.display()))?
            .is_file();
        if is_file {
            Ok(Payload::File(path))
        } else {
            // A pipe (`@<(jq ...)`) cannot be opened twice: buffer it as stdin is.
            Payload::buffered(Box::new(file), path.display().to_string())
        }
    }

    fn buffered(mut reader: Box<dyn Read + Send>, source: String) -> Result<Payload> {
        let mut head = Vec::new();
        reader
            .by_ref()
            .take(REPLAY_LIMIT as u64 + 1)
            .read_to_end(&mut head)
            .with_context(|| format!("cannot read the request body from {source}"))?;
        if head.len() <= REPLAY_LIMIT {
            return Ok(Payload::Bytes(head));
        }
        Ok(Payload::Stream {
            reader: Some(Box::new(io::Cursor::new(head).chain(reader))),
            source,
        })
    }

    /// Whether the body can be sent again; `Err` says why not.
    pub fn replayable(&self) -> std::result::Result<(), String> {
        match self {
            Payload::Stream { source, .. } => Err(format!(
                "the request body from {source} is over {} MiB, so it was streamed and not kept",
                REPLAY_LIMIT >> 20
            )),
            _ => Ok(()),
        }
    }

    pub fn body(&mut self) -> Result<Option<Body>> {
        match self {
            Payload::Empty => Ok(None),
            Payload::Bytes(bytes) => Ok(Some(Body::from(bytes.clone()))),
            Payload::File(path) => {
                let file = File::open(&*path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                Ok(Some(Body::from(file)))
            }
            Payload::Stream { reader, .. } => match reader.take() {
                Some(reader) => Ok(Some(Body::new(reader))),
                None => Err(anyhow!(
                    "cannot send the request again: {}",
                    self.replayable().unwrap_err()
                )),
            },
        }
    }
}
