//! Getting a token for a profile: from the cache while it is fresh, else from the token endpoint,
//! with one request however many processes ask at once. `token` and `call` both come here.

use std::time::Duration;

use anyhow::Result;

use crate::cache::{self, Entry, Identity, TokenCache};
use crate::oauth;
use crate::profile::Profile;
use crate::secret::Secret;

/// How the caller wants the cache used.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Fetch a new token whatever the cache holds (and cache it).
    pub refresh: bool,
    /// Neither read nor write the cache.
    pub no_cache: bool,
    /// The whole token request's time limit.
    pub timeout: Duration,
    /// Show the token request and response on stderr, redacted.
    pub verbose: bool,
}

/// A token for `profile`. A fresh cached token is returned without touching the keyring or the
/// network; otherwise the entry's lock is taken, the cache read again, and only then is a token
/// requested.
pub fn get(profile: &Profile, opts: &Options) -> Result<Entry> {
    let id = Identity::of(profile);
    if opts.no_cache {
        return fetch(profile, id, opts);
    }
    let cache = TokenCache::new(cache::default_dir()?);
    if !opts.refresh
        && let Some(entry) = cache
            .read(&id)
            .filter(|e| e.is_fresh(profile.min_ttl, cache::now()))
    {
        return Ok(entry);
    }
    let lock = match cache.lock(&id) {
        Ok(lock) => Some(lock),
        Err(err) => {
            eprintln!("oauthctl: warning: {err:#}; fetching without the cache lock");
            None
        }
    };
    // Another process may have fetched while this one waited: its token serves both, also for
    // --refresh (the token it wrote is newer than the request to refresh).
    if let Some(lock) = &lock
        && (!opts.refresh || lock.waited)
        && let Some(entry) = cache
            .read(&id)
            .filter(|e| e.is_fresh(profile.min_ttl, cache::now()))
    {
        return Ok(entry);
    }
    let entry = fetch(profile, id, opts)?;
    if let Err(err) = cache.write(&entry) {
        eprintln!("oauthctl: warning: {err:#}; the token was not cached");
    }
    drop(lock);
    Ok(entry)
}

/// Drops the cached token for `profile` if it is still `rejected`, the token an API just answered
/// 401 to. Under the entry's lock, so that a token another process fetched meanwhile survives:
/// the next [`get`] then returns that one instead of fetching yet another.
pub fn invalidate(profile: &Profile, rejected: &Secret) -> Result<()> {
    let id = Identity::of(profile);
    let cache = TokenCache::new(cache::default_dir()?);
    let _lock = cache.lock(&id)?;
    if cache
        .read(&id)
        .is_some_and(|e| e.access_token() == Some(rejected.expose()))
    {
        cache.remove(&id)?;
    }
    Ok(())
}

/// Asks the token endpoint. Only here is the secret read.
fn fetch(profile: &Profile, identity: Identity, opts: &Options) -> Result<Entry> {
    let secret = profile.secret.resolve(&profile.name)?;
    let client = oauth::client(profile, opts.timeout)?;
    let obtained_at = cache::now();
    let response = oauth::fetch(&client, profile, &secret, opts.verbose)?;
    Ok(Entry::new(identity, obtained_at, response))
}
