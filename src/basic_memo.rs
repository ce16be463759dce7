//! Which spelling of HTTP Basic credentials a token endpoint took, remembered per client.
//!
//! RFC 6749 §2.3.1 form-urlencodes the client id and secret inside HTTP Basic; `curl -u`, which
//! the vendors' pages show, sends them as typed, and UAA (SAP's xsuaa) compares them undecoded
//! (see `oauth::BasicSpelling`). When a token endpoint refuses the spelling sent first and takes
//! the other, the note `<hash of client id and token URL>.basic` in the cache folder says which,
//! so that the next fetch sends that one first. It holds one word, `raw` or `encoded`: no secret.
//! It is read only from a cache folder that `TokenCache::check` has passed (ours, private), and
//! only when it is a small regular file of ours.

use std::fs::File;
use std::io::Read;
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
    /// is not a small regular file of ours holding one of the two words.
    pub fn read(&self) -> Option<BasicSpelling> {
        let meta = std::fs::symlink_metadata(&self.path).ok()?;
        if !meta.is_file() || meta.len() > MAX_NOTE || !ours(&meta) {
            return None;
        }
        let file = File::open(&self.path).ok()?;
        // The same file that was looked at, not one put in its place meanwhile.
        if !same_file(&meta, &file.metadata().ok()?) {
            return None;
        }
        let mut text = String::new();
        file.take(MAX_NOTE).read_to_string(&mut text).ok()?;
        BasicSpelling::from_word(text.trim())
    }

    /// Writes the note, atomically.
    pub fn write(&self, spelling: BasicSpelling) -> Result<()> {
        fsutil::write_atomic(&self.path, format!("{}\n", spelling.word()).as_bytes())
            .map_err(|err| anyhow!("cannot write {}: {err}", self.path.display()))
    }
}

#[cfg(unix)]
fn ours(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    meta.uid() == crate::cache::euid()
}

#[cfg(not(unix))]
fn ours(_meta: &std::fs::Metadata) -> bool {
    true
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    b.is_file() && a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    b.is_file()
}
