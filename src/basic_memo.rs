//! Which spelling of HTTP Basic credentials a token endpoint took, remembered per client.
//!
//! RFC 6749 §2.3.1 form-urlencodes the client id and secret inside HTTP Basic; `curl -u`, which
//! the vendors' pages show, sends them as typed, and UAA (SAP's xsuaa) compares them undecoded
//! (see `oauth::BasicSpelling`). When a token endpoint refuses the spelling sent first and takes
//! the other, the note `<hash of client id and token URL>.basic` in the cache folder says which,
//! so that the next fetch sends that one first. It holds one word, `raw` or `encoded`: no secret.
//! It is read only from a cache folder that `TokenCache::check` has passed (ours, private), and
//! only when it is a small regular file of ours.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use sha2::{Digest, Sha256};

use crate::fsutil;
use crate::oauth::BasicSpelling;
use crate::profile::Profile;

/// The most of a note that is read: a word and a newline.
const MAX_NOTE: u64 = 64;

/// The note of one client (client id and token URL) in one cache folder.
#[derive(Debug)]
pub struct BasicMemo {
    path: PathBuf,
}

impl BasicMemo {
    /// The note for `profile`'s client in the cache folder `dir`.
    pub fn new(dir: &Path, profile: &Profile) -> BasicMemo {
        let canonical = serde_json::to_vec(&(
            "basic",
            profile.client_id.as_str(),
            profile.token_url.as_str(),
        ))
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
