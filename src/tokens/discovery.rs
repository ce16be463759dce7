//! Issuers' metadata (`oauth::discovery`), cached beside the tokens for a day: a warm `token` of a
//! profile that finds its endpoints from its issuer touches no network, as one that writes them
//! does not.
//!
//! Where discovery happens: profile resolution stays synchronous and network-free (`profiles
//! list`, completions, `doctor`, `token --check` resolve profiles and must not wait on a server),
//! and the commands that use endpoints (`token`, `call`, `exec`, `batch`, `login`, `logout`,
//! `secret`, `profiles show`) resolve with a [`Discovery`] that may fetch. The others read the
//! cache at most ([`Discovery::cached`]), and a profile whose metadata is not cached is
//! `config::Undiscovered` to them.
//!
//! A document is a file `<sha256 of the issuer>.discovery` in the token cache's folder, under
//! the token cache's rules: the folder checked, the file read only when it is a regular file of
//! ours of at most [`MAX_FILE`] bytes (not followed, not blocking), written to an exclusive
//! temporary file and renamed. Cache trouble is never fatal: the document is fetched, and used
//! without being kept.

use std::time::Duration;

use anyhow::{Result, anyhow};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::cache::{self, TokenCache};
use crate::fsutil;
use crate::oauth::discovery::{self, Discover, Metadata, Need};

/// How long a document is used before it is fetched again.
pub const MAX_AGE: u64 = 24 * 60 * 60;

/// The most bytes a cached document's file may have: what oauthctl keeps of a document is a few
/// URLs, and a larger file is corrupt or planted.
pub const MAX_FILE: u64 = 64 * 1024;

/// File format version; a file of another version is fetched again.
const VERSION: u32 = 1;

/// A cached document: for which issuer, when it was fetched, and what oauthctl keeps of it.
#[derive(Debug, Serialize, Deserialize)]
struct Cached {
    version: u32,
    /// The issuer as the profile wrote it; a file of another issuer under this name is ignored.
    issuer: String,
    /// Unix seconds when the document was fetched.
    fetched_at: u64,
    metadata: Metadata,
}

/// Where a command's profile gets its issuer's metadata.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// Fetch when the cache has no fresh document (false: the cache only, whatever its age).
    fetch: bool,
    /// Fetch whatever the cache holds (`token --refresh`).
    refresh: bool,
    /// Use and keep no cached document (`--no-cache`).
    no_cache: bool,
    timeout: Duration,
    verbose: bool,
}

impl Discovery {
    /// The cache only, a document of any age: for commands that never touch the network.
    pub fn cached() -> Discovery {
        Discovery {
            fetch: false,
            refresh: false,
            no_cache: false,
            timeout: Duration::ZERO,
            verbose: false,
        }
    }

    /// The cache while its document is fresh, else the network.
    pub fn fetching(timeout: Duration) -> Discovery {
        Discovery {
            fetch: true,
            timeout,
            ..Discovery::cached()
        }
    }

    /// As the token options say: `--refresh` fetches the document again too, `--no-cache`
    /// neither reads nor writes it, `-v` shows the requests.
    pub fn for_token(options: &super::Options) -> Discovery {
        Discovery {
            fetch: true,
            refresh: options.refresh,
            no_cache: options.no_cache,
            timeout: options.timeout,
            verbose: options.verbose,
        }
    }
}

impl Discover for Discovery {
    fn metadata(&self, need: &Need) -> Result<Option<Metadata>> {
        let cache = (!self.no_cache)
            .then(|| cache::default_dir().map(TokenCache::new))
            .transpose();
        let cache = match cache {
            Ok(cache) => cache,
            Err(err) if self.fetch => {
                warn(&err, "fetching the issuer's metadata without the cache");
                None
            }
            Err(err) => return Err(err),
        };
        if let Some(cache) = &cache
            && !self.refresh
        {
            match read(cache, &need.issuer) {
                Ok(Some(cached)) if !self.fetch || is_fresh(&cached, cache::now()) => {
                    return Ok(Some(cached.metadata));
                }
                Ok(_) => {}
                Err(err) if self.fetch => warn(&err, "fetching the issuer's metadata again"),
                Err(_) => {}
            }
        }
        if !self.fetch {
            return Ok(None);
        }
        let fetched_at = cache::now();
        let metadata = discovery::fetch(need, self.timeout, self.verbose)?;
        if let Some(cache) = &cache {
            let cached = Cached {
                version: VERSION,
                issuer: need.issuer.clone(),
                fetched_at,
                metadata: metadata.clone(),
            };
            if let Err(err) = write(cache, &cached) {
                warn(&err, "the issuer's metadata was not cached");
            }
        }
        Ok(Some(metadata))
    }
}

fn is_fresh(cached: &Cached, now: u64) -> bool {
    now < cached.fetched_at.saturating_add(MAX_AGE) && cached.fetched_at <= now
}

fn warn(err: &anyhow::Error, instead: &str) {
    eprintln!("{}", crate::error::render_warning(err, instead));
}

/// The file name of `issuer`'s document: a hash, so that a URL does not become a file name.
pub fn file_name(issuer: &str) -> String {
    let hash: String = Sha256::digest(issuer.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{hash}.discovery")
}

/// The cached document of `issuer`: `None` when there is none, or one of another version or
/// issuer; an error for a file that may not be read or is corrupt.
fn read(cache: &TokenCache, issuer: &str) -> Result<Option<Cached>> {
    if cache.inspect_dir()?.is_none() {
        return Ok(None);
    }
    let path = cache.dir().join(file_name(issuer));
    let shown = path.display();
    let bytes = match fsutil::read_private(&path, MAX_FILE) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(err) => {
            return Err(match fsutil::refusal(&err) {
                Some(refused) => anyhow!("cached metadata {shown} {refused}"),
                None => anyhow!(err).context(format!("cannot read cached metadata {shown}")),
            });
        }
    };
    let value: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|err| anyhow!("cached metadata {shown} is corrupt ({err})"))?;
    if value.get("version").and_then(serde_json::Value::as_u64) != Some(VERSION.into()) {
        return Ok(None);
    }
    let cached: Cached = serde_json::from_value(value)
        .map_err(|err| anyhow!("cached metadata {shown} is corrupt ({err})"))?;
    Ok((cached.issuer == issuer && cached.metadata.issuer == issuer).then_some(cached))
}

fn write(cache: &TokenCache, cached: &Cached) -> Result<()> {
    cache.write_file(&file_name(&cached.issuer), &serde_json::to_vec(cached)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_is_fresh_for_a_day_and_never_from_the_future() {
        let cached = Cached {
            version: VERSION,
            issuer: "https://a".into(),
            fetched_at: 1000,
            metadata: serde_json::from_str(r#"{"issuer":"https://a"}"#).unwrap(),
        };
        assert!(is_fresh(&cached, 1000));
        assert!(is_fresh(&cached, 1000 + MAX_AGE - 1));
        assert!(!is_fresh(&cached, 1000 + MAX_AGE));
        assert!(!is_fresh(&cached, 999));
    }
}
