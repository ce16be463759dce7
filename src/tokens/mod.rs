//! Getting a token for a profile: from the cache while it is fresh, else from the token endpoint,
//! with one request however many processes ask at once; and dropping one an API refused. `token`,
//! `call` and `exec` all come here. The cache itself is [`cache`].

pub mod cache;

use std::time::Duration;

use anyhow::Result;

use crate::config::Profile;
use crate::oauth::client_auth::BasicMemo;
use crate::oauth::grant::{Grant, device_code};
use crate::oauth::response::TokenResponse;
use crate::oauth::{self, scope};
use crate::secret::Secret;
use cache::{Entry, Identity, TokenCache};

/// How the caller wants the cache used.
#[derive(Debug, Clone)]
pub struct Options {
    /// Fetch a new token whatever the cache holds (and cache it).
    pub refresh: bool,
    /// Neither read nor write the cache.
    pub no_cache: bool,
    /// The whole token request's time limit.
    pub timeout: Duration,
    /// Show the token request and response on stderr, redacted.
    pub verbose: bool,
    /// A two-factor passcode to append to the password, for this request only.
    pub passcode: Option<Secret>,
}

/// A token for `profile`. A fresh cached token is returned without touching the keyring or the
/// network; otherwise the entry's lock is taken, the cache read again, and only then is a token
/// requested. Cache trouble never stops the token: it is said once on stderr, and the token is
/// fetched (and printed) without the cache.
pub fn get(profile: &Profile, opts: &Options) -> Result<Entry> {
    profile.require_user()?;
    let id = Identity::of(profile);
    if opts.no_cache {
        return fetch(profile, id, opts, None);
    }
    let cache = TokenCache::new(cache::default_dir()?);
    if let Err(err) = cache.check(&id) {
        warn(&err, "not using it: the token is fetched without the cache");
        return fetch(profile, id, opts, None);
    }
    if !opts.refresh {
        match cache.load(&id) {
            Ok(Some(entry)) if entry.is_fresh(profile.min_ttl, cache::now()) => return Ok(entry),
            Ok(_) => {}
            Err(err) => warn(&err, "not using it: fetching a new token"),
        }
    }
    let lock = cache.lock(&id);
    // Another process may have fetched while this one waited: its token serves both, also for
    // --refresh (the token it wrote is newer than the request to refresh).
    if let Ok(lock) = &lock
        && (!opts.refresh || lock.waited)
        && let Some(entry) = cache
            .read(&id)
            .filter(|e| e.is_fresh(profile.min_ttl, cache::now()))
    {
        return Ok(entry);
    }
    let request = &profile.token_request;
    let memo = BasicMemo::new(cache.dir(), &request.client_id, &request.url);
    let entry = fetch(profile, id, opts, Some(&memo))?;
    // A folder that cannot be written fails the lock and the write alike: say it once.
    match (cache.write(&entry), &lock) {
        (Err(err), _) => warn(&err, "the token was not cached"),
        (Ok(()), Err(err)) => warn(err, "the token was fetched without the cache lock"),
        (Ok(()), Ok(_)) => {}
    }
    drop(lock);
    Ok(entry)
}

fn warn(err: &anyhow::Error, instead: &str) {
    eprintln!("{}", crate::error::render_warning(err, instead));
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

/// Asks the token endpoint (see `oauth::request_token`, where the secret, the password and the
/// private key are read). `memo`, in a cache folder that passed its checks, says which Basic
/// spelling to send first and learns the one the token endpoint took.
fn fetch(
    profile: &Profile,
    identity: Identity,
    opts: &Options,
    memo: Option<&BasicMemo>,
) -> Result<Entry> {
    let mut obtained_at = cache::now();
    let request = &profile.token_request;
    let options = oauth::Options {
        timeout: opts.timeout,
        verbose: opts.verbose,
        passcode: opts.passcode.as_ref(),
        memo,
    };
    let response = match &request.grant {
        // A person signs in: this takes minutes, and the token's lifetime counts from its answer.
        Grant::DeviceCode(grant) => {
            let response = device_code::sign_in(
                request,
                grant,
                &device_code::DeviceSignIn {
                    profile: &profile.name,
                    ca_file: profile.ca_file.as_deref(),
                    token: &options,
                },
            )?;
            obtained_at = cache::now();
            response
        }
        _ => oauth::request_token(&profile.name, request, profile.ca_file.as_deref(), &options)?,
    };
    warn_missing_scopes(profile, &response);
    Ok(Entry::new(identity, obtained_at, response))
}

/// Some servers (Asgardeo) drop scopes the client may not have without saying so; the granted
/// `scope` tells. No `scope` in the response means all were granted (RFC 6749 §5.1).
fn warn_missing_scopes(profile: &Profile, response: &TokenResponse) {
    let (Some(asked), Some(granted)) = (
        &profile.token_request.scope,
        response.fields.get("scope").and_then(|s| s.as_str()),
    ) else {
        return;
    };
    let missing = scope::missing(asked, granted);
    if !missing.is_empty() {
        // The server's words, on one line and without control characters.
        let granted = crate::error::one_line(&scope::scopes(granted).join(" "), 300);
        eprintln!(
            "oauthctl: warning: {} did not grant {} (granted: {})",
            profile.token_host(),
            missing.join(", "),
            if granted.is_empty() { "none" } else { &granted }
        );
    }
}
