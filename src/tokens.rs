//! Getting a token for a profile: from the cache while it is fresh, else from the token endpoint,
//! with one request however many processes ask at once. `token` and `call` both come here.

use std::time::Duration;

use anyhow::{Context, Result};

use crate::basic_memo::BasicMemo;
use crate::cache::{self, Entry, Identity, TokenCache};
use crate::http::client::{ClientOptions, client_for};
use crate::oauth::{self, BasicFirst, Credentials};
use crate::profile::{ClientAuth, Pem, Profile};
use crate::secret::Secret;

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
    profile.require_username()?;
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
    let memo = BasicMemo::new(cache.dir(), profile);
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

/// Asks the token endpoint. Only here are the secret, password and private key read. `memo`, in
/// a cache folder that passed its checks, says which Basic spelling to send first and learns the
/// one the token endpoint took; without it the fallback still happens, and nothing is remembered.
fn fetch(
    profile: &Profile,
    identity: Identity,
    opts: &Options,
    memo: Option<&BasicMemo>,
) -> Result<Entry> {
    let name = &profile.name;
    let mut creds = Credentials::default();
    if profile.sends_client_secret() {
        creds.client_secret = Some(profile.secret.resolve(name)?);
    }
    if let Some(cert) = &profile.client_cert {
        let cert_pem = match &cert.cert {
            Pem::File(path) => read_pem(name, "client_cert", path)?,
            Pem::Inline(pem) => pem.clone(),
        };
        let key = match &cert.key_file {
            Some(path) => Secret::new(read_pem(name, "client_key", path)?),
            None => profile.secret.resolve(name)?,
        };
        creds.tls_identity = Some(Secret::new(format!(
            "{}\n{}\n",
            cert_pem.trim_end(),
            key.expose().trim_end()
        )));
    }
    if let Some(source) = &profile.password {
        let password = source.resolve(name)?;
        // With two-factor authentication SAP wants the one-time passcode appended to the password.
        creds.password = Some(match &opts.passcode {
            Some(code) => Secret::new(format!("{}{}", password.expose(), code.expose())),
            None => password,
        });
    }
    let client = client_for(
        &profile.token_url,
        &ClientOptions {
            profile: profile.name.clone(),
            ca_file: profile.ca_file.clone(),
            timeout: opts.timeout,
        },
        creds.tls_identity.as_ref(),
    )?;
    // Only HTTP Basic has two spellings to choose from.
    let memo = memo.filter(|_| profile.client_auth == ClientAuth::Basic);
    let basic = match memo.and_then(BasicMemo::read) {
        Some(spelling) => BasicFirst {
            spelling,
            remembered: true,
        },
        None => BasicFirst::default(),
    };
    let obtained_at = cache::now();
    let fetched = oauth::fetch(&client, profile, &creds, opts.verbose, basic)?;
    if let (Some(memo), Some(spelling)) = (memo, fetched.basic_switched_to) {
        // Cache trouble never fails a command; the entry's own write says when the folder is
        // not writable.
        let written = memo.write(spelling);
        if opts.verbose {
            match written {
                Ok(()) => eprintln!(
                    "* remembered in {} that this token endpoint takes {}",
                    memo.path().display(),
                    spelling.describe()
                ),
                Err(err) => eprintln!("* could not remember the spelling: {err:#}"),
            }
        }
    }
    warn_missing_scopes(profile, &fetched.response);
    Ok(Entry::new(identity, obtained_at, fetched.response))
}

fn read_pem(profile: &str, key: &str, path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("profile {profile}: cannot read {key} {}", path.display()))
}

/// Some servers (Asgardeo) drop scopes the client may not have without saying so; the granted
/// `scope` tells. No `scope` in the answer means all were granted (RFC 6749 §5.1).
fn warn_missing_scopes(profile: &Profile, response: &oauth::TokenResponse) {
    let (Some(asked), Some(granted)) = (
        &profile.scope,
        response.fields.get("scope").and_then(|s| s.as_str()),
    ) else {
        return;
    };
    let granted = scopes(granted);
    let missing: Vec<String> = scopes(asked)
        .into_iter()
        .filter(|s| !granted.contains(s))
        .collect();
    if !missing.is_empty() {
        // The server's words, on one line and without control characters.
        let granted = crate::error::one_line(&granted.join(" "), 300);
        eprintln!(
            "oauthctl: warning: {} did not grant {} (granted: {})",
            profile.token_host(),
            missing.join(", "),
            if granted.is_empty() { "none" } else { &granted }
        );
    }
}

/// The scopes of a space-separated `scope`. A scope that ends in `:` takes the word after it:
/// SCM's token service writes the granted TSG as `tsg_id: 0123456789` (the IoT Security page),
/// the same grant as the `tsg_id:0123456789` asked for.
fn scopes(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut words = text.split_whitespace();
    while let Some(word) = words.next() {
        let mut scope = word.to_string();
        if scope.ends_with(':')
            && let Some(value) = words.next()
        {
            scope.push_str(value);
        }
        out.push(scope);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_space_after_a_colon_is_the_same_scope() {
        assert_eq!(
            scopes("profile tsg_id: 0123456789 email"),
            ["profile", "tsg_id:0123456789", "email"]
        );
        assert_eq!(scopes("tsg_id:1  a:"), ["tsg_id:1", "a:"]);
        assert_eq!(scopes(""), Vec::<String>::new());
    }
}
