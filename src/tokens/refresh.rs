//! Where the refresh token of a profile that signs a person in is kept: the OS keyring (split over
//! several entries where one is too small, see `secret::refresh`), or with
//! `refresh_token_store = "file"` a 0600 file in the cache folder, written as the cache's entries
//! are (exclusively created, renamed into place, never through a link). Never in a cache entry,
//! never printed.
//!
//! A refresh token belongs to a token identity (the token endpoint, the client, the scope, ...),
//! as a cached access token does: the keyring account is `<client_id>@<token host>/<identity>`,
//! under a keyring service of its own (`oauthctl-refresh-token`), and the file is
//! `<identity>.refresh` beside the entry.

use std::path::PathBuf;

use anyhow::{Result, anyhow};

use super::cache::{Identity, TokenCache};
use crate::config::Profile;
use crate::fsutil;
use crate::oauth::response::is_token;
use crate::secret::refresh::{self, KEYRING_LIMIT};
use crate::secret::{KeyringEntries, RefreshTokenStore, Secret, SecretKind, keyring_name};

/// The most bytes a refresh-token file may have.
const MAX_FILE: u64 = 64 << 10;

/// The place of one identity's refresh token.
#[derive(Debug, Clone)]
pub enum RefreshStore {
    Keyring { account: String },
    File { path: PathBuf },
}

impl RefreshStore {
    /// Where `profile`'s refresh token for `id` is kept, in the cache folder `cache` for a file.
    pub fn of(profile: &Profile, cache: &TokenCache, id: &Identity) -> RefreshStore {
        match profile.refresh_token_store {
            RefreshTokenStore::Keyring => RefreshStore::Keyring {
                account: format!(
                    "{}@{}/{}",
                    profile.token_request.client_id,
                    profile.token_host(),
                    id.key()
                ),
            },
            RefreshTokenStore::File => RefreshStore::File {
                path: cache.dir().join(format!("{}.refresh", id.key())),
            },
        }
    }

    /// Where it is, in words (never the token).
    pub fn describe(&self) -> String {
        match self {
            RefreshStore::Keyring { account } => format!("{} ({account})", keyring_name()),
            RefreshStore::File { path } => format!("file {}", path.display()),
        }
    }

    /// The refresh token kept here, if any.
    pub fn load(&self) -> Result<Option<Secret>> {
        let token = match self {
            RefreshStore::Keyring { account } => {
                refresh::join(&mut KeyringEntries(SecretKind::RefreshToken), account)
                    .map_err(|err| err.context("cannot read the refresh token"))?
            }
            RefreshStore::File { path } => match fsutil::read_private(path, MAX_FILE) {
                Ok(Some(bytes)) => Some(Secret::new(String::from_utf8_lossy(&bytes).trim())),
                Ok(None) => None,
                Err(err) => {
                    return Err(anyhow!(err).context(format!(
                        "cannot read the refresh token file {}",
                        path.display()
                    )));
                }
            },
        };
        // What is not a token (a corrupt or planted file) is no refresh token to send.
        Ok(token.filter(|t| is_token(t.expose())))
    }

    /// Keeps `token`, replacing the one kept before in one step.
    pub fn save(&self, token: &Secret) -> Result<()> {
        match self {
            RefreshStore::Keyring { account } => refresh::split(
                &mut KeyringEntries(SecretKind::RefreshToken),
                account,
                token,
                KEYRING_LIMIT,
            ),
            RefreshStore::File { path } => fsutil::write_atomic(path, token.expose().as_bytes())
                .map_err(|err| {
                    anyhow!(
                        "cannot write the refresh token file {}: {err}",
                        path.display()
                    )
                }),
        }
    }

    /// Forgets the refresh token; `Ok(false)` when there was none.
    pub fn remove(&self) -> Result<bool> {
        match self {
            RefreshStore::Keyring { account } => {
                refresh::remove(&mut KeyringEntries(SecretKind::RefreshToken), account)
            }
            RefreshStore::File { path } => match std::fs::remove_file(path) {
                Ok(()) => Ok(true),
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(err) => Err(anyhow!(
                    "cannot remove the refresh token file {}: {err}",
                    path.display()
                )),
            },
        }
    }
}
