//! Where the DPoP key pair of a profile with `dpop = true` is kept: the OS keyring (the default),
//! or with `dpop_key_store = "file"` a 0600 file in the cache folder, written as the cache's
//! entries are (exclusively created, renamed into place, never through a link). There is no silent
//! fallback from one to the other: without a keyring the error says so and names the file.
//!
//! The key belongs to the client (its id and token host), as a client secret does: profiles that
//! share a client share its key, and so the tokens bound to it. The keyring account is
//! `<client_id>@<token host>` under a keyring service of its own (`oauthctl-dpop-key`); the file is
//! `<hash of the account>.dpop-key` beside the cache's entries. The key pair is made on first use.
//! A key that cannot be read as one (a corrupt entry) is replaced by a new one, which the tokens
//! bound to the old one do not survive (see `cache::Entry::bound_to`).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use sha2::{Digest, Sha256};

use super::cache::TokenCache;
use crate::config::Profile;
use crate::dpop::{DpopKey, KeyStore};
use crate::fsutil;
use crate::secret::{Secret, SecretKind, keyring_get, keyring_name, keyring_set};

/// The most bytes a key file may have: a P-256 PKCS#8 key is about 200 in base64.
const MAX_FILE: u64 = 4 << 10;

/// The place of one client's DPoP key.
#[derive(Debug, Clone)]
pub enum DpopKeyStore {
    Keyring { account: String },
    File { path: PathBuf },
}

impl DpopKeyStore {
    /// Where the DPoP key of `profile` is kept; `None` when the profile does not use DPoP.
    pub fn of(profile: &Profile, cache: &TokenCache) -> Option<DpopKeyStore> {
        let account = format!(
            "{}@{}",
            profile.token_request.client_id,
            profile.token_host()
        );
        Some(match profile.dpop? {
            KeyStore::Keyring => DpopKeyStore::Keyring { account },
            KeyStore::File => {
                let hash: String = Sha256::digest(account.as_bytes())
                    .iter()
                    .take(16)
                    .map(|b| format!("{b:02x}"))
                    .collect();
                DpopKeyStore::File {
                    path: cache.dir().join(format!("{hash}.dpop-key")),
                }
            }
        })
    }

    /// Where it is, in words (never the key).
    pub fn describe(&self) -> String {
        match self {
            DpopKeyStore::Keyring { account } => format!("{} ({account})", keyring_name()),
            DpopKeyStore::File { path } => format!("file {}", path.display()),
        }
    }

    /// The key kept here, made and kept first when there is none (or none that can be read).
    pub fn load_or_create(&self, cache: &TokenCache, profile: &str) -> Result<Arc<DpopKey>> {
        match self.load() {
            Ok(Some(key)) => return Ok(Arc::new(key)),
            Ok(None) => {}
            Err(err) if err.is::<Unusable>() => eprintln!(
                "oauthctl: warning: the DPoP key of profile {profile} in {} cannot be used ({err}); a new one replaces it",
                self.describe()
            ),
            Err(err) => return Err(self.cannot(err, profile)),
        }
        let key = DpopKey::generate()?;
        self.save(cache, &key.stored())
            .map_err(|err| self.cannot(err, profile))?;
        // Two processes may make a key at once: the one kept last is the one both go on with
        // (a token bound to the other one is not used again, and is simply fetched anew).
        match self.load() {
            Ok(Some(kept)) => Ok(Arc::new(kept)),
            _ => Ok(Arc::new(key)),
        }
    }

    fn cannot(&self, err: anyhow::Error, profile: &str) -> anyhow::Error {
        let hint = match self {
            DpopKeyStore::Keyring { .. } => format!(
                "\nhint: on a machine without a keyring, set dpop_key_store = \"file\" in [profiles.{profile}] to keep the key in a 0600 file in the cache folder"
            ),
            DpopKeyStore::File { .. } => String::new(),
        };
        err.context(format!(
            "cannot keep the DPoP key of profile {profile} in {}{hint}",
            self.describe()
        ))
    }

    /// The key kept here, if any; a value that is no key is an [`Unusable`] error.
    fn load(&self) -> Result<Option<DpopKey>> {
        let stored = match self {
            DpopKeyStore::Keyring { account } => keyring_get(SecretKind::DpopKey, account)?,
            DpopKeyStore::File { path } => fsutil::read_private(path, MAX_FILE)
                .map_err(|err| anyhow!(err).context(format!("cannot read {}", path.display())))?
                .map(|bytes| Secret::new(String::from_utf8_lossy(&bytes).trim())),
        };
        stored
            .map(|s| DpopKey::from_stored(&s).map_err(|err| Unusable(err.to_string()).into()))
            .transpose()
    }

    fn save(&self, cache: &TokenCache, stored: &Secret) -> Result<()> {
        match self {
            DpopKeyStore::Keyring { account } => keyring_set(SecretKind::DpopKey, account, stored),
            DpopKeyStore::File { path } => {
                cache.ensure_dir()?;
                fsutil::write_atomic(path, stored.expose().as_bytes())
                    .map_err(|err| anyhow!("cannot write {}: {err}", path.display()))
            }
        }
    }
}

/// A kept value that is not a DPoP key.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Unusable(String);
