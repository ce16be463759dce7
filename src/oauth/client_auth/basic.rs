//! HTTP Basic client authentication (RFC 6749 §2.3.1), in the two spellings token endpoints take,
//! and the note that remembers which one a token endpoint took.
//!
//! RFC 6749 §2.3.1 form-urlencodes the client id and secret inside HTTP Basic; `curl -u`, which
//! the vendors' pages show, sends them as typed, and UAA (SAP's xsuaa) compares them undecoded.
//! When a token endpoint refuses the spelling sent first and takes the other, the note
//! `<hash of client id and token URL>.basic` in the cache folder says which, so that the next
//! fetch sends that one first. It holds one word, `raw` or `encoded`: no secret. It is read only
//! from a cache folder that `TokenCache::check` has passed (ours, private), and only when it is a
//! small regular file of ours.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use reqwest::blocking::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use sha2::{Digest, Sha256};
use url::{Url, form_urlencoded};

use super::{FORM, form};
use crate::fsutil;
use crate::secret::Secret;

/// How HTTP Basic spells the client id and secret. RFC 6749 §2.3.1 form-urlencodes both before
/// Basic joins them; the vendors' pages show `curl -u id:secret`, which sends them as typed, and
/// UAA (the base of SAP's xsuaa) compares them without decoding. The two differ only when the id
/// or the secret holds a character that form-urlencoding changes (`!`, `$`, `=`, `/`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasicSpelling {
    /// Form-urlencoded, as RFC 6749 §2.3.1 asks: the default.
    Encoded,
    /// As typed, as `curl -u` sends them.
    Raw,
}

impl BasicSpelling {
    pub fn other(self) -> BasicSpelling {
        match self {
            BasicSpelling::Encoded => BasicSpelling::Raw,
            BasicSpelling::Raw => BasicSpelling::Encoded,
        }
    }

    /// The word that stands for it in the cache folder's note.
    pub fn word(self) -> &'static str {
        match self {
            BasicSpelling::Encoded => "encoded",
            BasicSpelling::Raw => "raw",
        }
    }

    pub fn from_word(word: &str) -> Option<BasicSpelling> {
        match word {
            "encoded" => Some(BasicSpelling::Encoded),
            "raw" => Some(BasicSpelling::Raw),
            _ => None,
        }
    }

    /// What the spelling is, for `-v`.
    pub fn describe(self) -> &'static str {
        match self {
            BasicSpelling::Encoded => "the client id and secret form-urlencoded (RFC 6749 §2.3.1)",
            BasicSpelling::Raw => "the client id and secret as typed (as `curl -u` sends them)",
        }
    }
}

/// Which Basic spelling to send first, and whether this token endpoint took it before.
#[derive(Debug, Clone, Copy)]
pub struct BasicFirst {
    pub spelling: BasicSpelling,
    /// True when the token endpoint took this spelling before (a note in the cache folder).
    pub remembered: bool,
}

impl Default for BasicFirst {
    fn default() -> Self {
        BasicFirst {
            spelling: BasicSpelling::Encoded,
            remembered: false,
        }
    }
}

/// The client id and secret as HTTP Basic joins them: form-urlencoded (RFC 6749 §2.3.1) or as
/// typed (see [`BasicSpelling`]).
pub fn credentials(client_id: &str, secret: &Secret, spelling: BasicSpelling) -> (String, String) {
    match spelling {
        BasicSpelling::Encoded => (
            form_urlencoded::byte_serialize(client_id.as_bytes()).collect(),
            form_urlencoded::byte_serialize(secret.expose().as_bytes()).collect(),
        ),
        BasicSpelling::Raw => (client_id.to_string(), secret.expose().to_string()),
    }
}

/// True when the two spellings differ, so that there is a second one to try: the id or the secret
/// holds a character that form-urlencoding changes (`!`, `$`, `=`, `/`, ...).
pub fn spellings_differ(client_id: &str, secret: &Secret) -> bool {
    credentials(client_id, secret, BasicSpelling::Encoded)
        != credentials(client_id, secret, BasicSpelling::Raw)
}

/// The id and secret in the Authorization header, the grant's fields in a form.
pub(super) fn apply(
    builder: RequestBuilder,
    client_id: &str,
    secret: &Secret,
    spelling: BasicSpelling,
    fields: &[(&str, &str)],
) -> RequestBuilder {
    let (id, pw) = credentials(client_id, secret, spelling);
    builder
        .basic_auth(id, Some(pw))
        .header(CONTENT_TYPE, FORM)
        .body(form(fields))
}

/// The most of a note that is read: a word and a newline.
const MAX_NOTE: u64 = 64;

/// The note of one client (client id and token URL) in one cache folder.
#[derive(Debug)]
pub struct BasicMemo {
    path: PathBuf,
}

impl BasicMemo {
    /// The note for the client `client_id` at `token_url`, in the cache folder `dir`.
    pub fn new(dir: &Path, client_id: &str, token_url: &Url) -> BasicMemo {
        let canonical = serde_json::to_vec(&("basic", client_id, token_url.as_str()))
            .expect("strings serialize");
        let key: String = Sha256::digest(&canonical)
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        BasicMemo {
            path: dir.join(format!("{key}.basic")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The spelling the token endpoint took last time; `None` when there is no note, or one that
    /// is not a small regular file of ours holding one of the two words. The file is opened
    /// without following a link and checked before it is read (`fsutil::read_private`).
    pub fn read(&self) -> Option<BasicSpelling> {
        let bytes = fsutil::read_private(&self.path, MAX_NOTE).ok()??;
        BasicSpelling::from_word(std::str::from_utf8(&bytes).ok()?.trim())
    }

    /// Writes the note, atomically.
    pub fn write(&self, spelling: BasicSpelling) -> Result<()> {
        fsutil::write_atomic(&self.path, format!("{}\n", spelling.word()).as_bytes())
            .map_err(|err| anyhow!("cannot write {}: {err}", self.path.display()))
    }
}
