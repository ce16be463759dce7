//! Getting a token for a profile: from the cache while it is fresh, else from the token endpoint,
//! with one request however many processes ask at once; and dropping one an API refused. `token`,
//! `call`, `exec` and `batch` all come here. The cache itself is [`cache`].
//!
//! A profile that signs a person in (`grant = "authorization_code"`) gets its token from the
//! cache, then with the refresh token its last sign-in left ([`refresh`]), and only then from a
//! new sign-in, which needs a person at a terminal (or `oauthctl login`). All of it happens under
//! the cache entry's lock: however many processes ask at once, one browser tab opens, and the
//! others use its token.

pub mod cache;
pub mod discovery;
pub mod dpop_key;
pub mod refresh;

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Result;

use crate::config::Profile;
use crate::dpop::DpopKey;
use crate::error::Failure;
use crate::oauth::client_auth::BasicMemo;
use crate::oauth::grant::{SignIn, say_on_stderr};
use crate::oauth::response::TokenResponse;
use crate::oauth::revoke::{Revocation, TokenKind, revoke};
use crate::oauth::{self, scope};
use crate::secret::Secret;
use cache::{Entry, Identity, TokenCache};
use dpop_key::DpopKeyStore;
use refresh::RefreshStore;

/// How a sign-in may go when one is needed.
#[derive(Debug, Clone)]
pub struct SignInChoice {
    /// How long to wait for the person (`--login-timeout`).
    pub login_timeout: Duration,
    /// A browser may be opened (`--no-browser` says no).
    pub open_browser: bool,
    /// Read the redirected address or the code from stdin (`--paste`).
    pub paste: bool,
    /// `login`: sign in now, whatever the cache and the refresh token hold, terminal or not.
    pub now: bool,
}

/// The default time a person has to sign in.
pub const DEFAULT_LOGIN_TIMEOUT: Duration = Duration::from_secs(300);

impl Default for SignInChoice {
    fn default() -> Self {
        SignInChoice {
            login_timeout: DEFAULT_LOGIN_TIMEOUT,
            open_browser: true,
            paste: false,
            now: false,
        }
    }
}

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
    /// How a sign-in goes, for a profile that signs a person in.
    pub sign_in: SignInChoice,
}

/// A token and the DPoP key it goes with: what `call` and `batch` send requests with.
#[derive(Debug)]
pub struct Held {
    pub entry: Entry,
    /// The profile's DPoP key (`dpop = true`), which signs a proof for each request.
    pub dpop: Option<Arc<DpopKey>>,
}

/// A token for `profile` (see [`get_held`]).
pub fn get(profile: &Profile, opts: &Options) -> Result<Entry> {
    get_held(profile, opts).map(|held| held.entry)
}

/// A token for `profile`, and its DPoP key. A fresh cached token is returned without touching the
/// network (nor the keyring, unless the profile uses DPoP: its key is read to check the token's
/// binding); otherwise the entry's lock is taken, the cache read again, and only then is a token
/// requested. Cache trouble never stops the token: it is said once on stderr, and the token is
/// fetched (and printed) without the cache.
pub fn get_held(profile: &Profile, opts: &Options) -> Result<Held> {
    profile.require_user()?;
    let id = Identity::of(profile);
    let dir = cache::default_dir()?;
    let dpop = match DpopKeyStore::of(profile, &TokenCache::new(dir.clone())) {
        Some(store) => Some(store.load_or_create(&TokenCache::new(dir), &profile.name)?),
        None => None,
    };
    let key = dpop.as_deref();
    let entry = if profile.token_request.grant.is_interactive() {
        signed_in(profile, id, opts, key)?
    } else {
        unattended(profile, id, opts, key)?
    };
    Ok(Held { entry, dpop })
}

/// The token of a profile that needs no person: the cache, else the token endpoint.
fn unattended(
    profile: &Profile,
    id: Identity,
    opts: &Options,
    key: Option<&DpopKey>,
) -> Result<Entry> {
    if opts.no_cache {
        return fetch(profile, id, opts, None, key);
    }
    let cache = TokenCache::new(cache::default_dir()?);
    if let Err(err) = cache.check(&id) {
        warn(&err, "not using it: the token is fetched without the cache");
        return fetch(profile, id, opts, None, key);
    }
    let usable = |e: &Entry| e.is_fresh(profile.min_ttl, cache::now()) && e.bound_to(key);
    if !opts.refresh {
        match cache.load(&id) {
            Ok(Some(entry)) if usable(&entry) => return Ok(entry),
            Ok(_) => {}
            Err(err) => warn(&err, "not using it: fetching a new token"),
        }
    }
    let lock = cache.lock(&id);
    // Another process may have fetched while this one waited: its token serves both, also for
    // --refresh (the token it wrote is newer than the request to refresh).
    if let Ok(lock) = &lock
        && (!opts.refresh || lock.waited)
        && let Some(entry) = cache.read(&id).filter(usable)
    {
        return Ok(entry);
    }
    let request = &profile.token_request;
    let memo = BasicMemo::new(cache.dir(), &request.client_id, &request.url);
    let entry = fetch(profile, id, opts, Some(&memo), key)?;
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
    dpop: Option<&DpopKey>,
) -> Result<Entry> {
    let obtained_at = cache::now();
    let response = oauth::request_token(
        &profile.name,
        &profile.token_request,
        profile.ca_file.as_deref(),
        &oauth::Options {
            timeout: opts.timeout,
            verbose: opts.verbose,
            passcode: opts.passcode.as_ref(),
            memo,
            dpop,
        },
    )?;
    warn_missing_scopes(profile, &response);
    Ok(Entry::new(identity, obtained_at, response, dpop))
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

/// The token of a profile that signs a person in: the cache, the refresh token, a sign-in; all
/// but the first under the entry's lock.
fn signed_in(
    profile: &Profile,
    id: Identity,
    opts: &Options,
    key: Option<&DpopKey>,
) -> Result<Entry> {
    let started = cache::now();
    let cache = TokenCache::new(cache::default_dir()?);
    let usable = match cache.check(&id) {
        Ok(()) => true,
        Err(err) => {
            warn(&err, "not using it: the token is not cached");
            false
        }
    };
    let fresh = |e: &Entry| e.is_fresh(profile.min_ttl, cache::now()) && e.bound_to(key);
    let reuse = usable && !opts.no_cache;
    if reuse && !opts.refresh && !opts.sign_in.now {
        match cache.load(&id) {
            Ok(Some(entry)) if fresh(&entry) => return Ok(entry),
            Ok(_) => {}
            Err(err) => warn(&err, "not using it"),
        }
    }
    let lock = if usable {
        cache.lock(&id)
    } else {
        Err(anyhow::anyhow!("the cache folder is not used"))
    };
    if let Ok(lock) = &lock
        && reuse
        && let Some(entry) = cache.read(&id).filter(fresh)
    {
        // Another process signed in (or refreshed) while this one waited: one sign-in serves
        // all. `login` and `--refresh` take only a token obtained after they asked.
        let asked_for_new = opts.refresh || opts.sign_in.now;
        if !asked_for_new || (lock.waited && entry.obtained_at >= started) {
            return Ok(entry);
        }
    }
    let request = &profile.token_request;
    let memo = usable.then(|| BasicMemo::new(cache.dir(), &request.client_id, &request.url));
    let store = RefreshStore::of(profile, &cache, &id);
    let mut refused = None;
    if !opts.sign_in.now {
        match store.load() {
            Ok(Some(token)) => {
                let obtained_at = cache::now();
                let answer = oauth::refresh(
                    &profile.name,
                    request,
                    &token,
                    profile.ca_file.as_deref(),
                    &oauth::Options {
                        timeout: opts.timeout,
                        verbose: opts.verbose,
                        passcode: None,
                        memo: memo.as_ref(),
                        dpop: key,
                    },
                );
                match answer {
                    Ok(response) => {
                        let got = Got {
                            obtained_at,
                            response,
                            dpop: key,
                        };
                        return keep(profile, &cache, reuse, &store, id, got);
                    }
                    Err(err) if grant_refused(&err) => {
                        // Revoked, expired or used up: it will never work again.
                        if let Err(err) = store.remove() {
                            warn(&err, "it stays, and is tried again next time");
                        }
                        eprintln!(
                            "oauthctl: the refresh token of profile {} was refused, and is forgotten: {}",
                            profile.name,
                            err.to_string().lines().next().unwrap_or("")
                        );
                        refused = Some(err);
                    }
                    Err(err) => return Err(err),
                }
            }
            Ok(None) => {}
            Err(err) => warn(&err, "signing in instead"),
        }
    }
    if !may_sign_in(&opts.sign_in) {
        let why = match refused {
            Some(_) => "its refresh token was refused",
            None => "no token is cached and no refresh token is kept",
        };
        return Err(Failure::SignIn(format!(
            "profile {} needs a person to sign in ({why}), and this is no terminal to do it on, so no browser was opened\nhint: run oauthctl login -p {}",
            profile.name, profile.name
        ))
        .into());
    }
    let response = request.grant.sign_in(
        request,
        &SignIn {
            login_timeout: opts.sign_in.login_timeout,
            open_browser: opts.sign_in.open_browser,
            paste: opts.sign_in.paste,
            say: say_on_stderr,
            profile: profile.name.clone(),
            ca_file: profile.ca_file.clone(),
            timeout: opts.timeout,
            verbose: opts.verbose,
            dpop: key,
        },
    )?;
    // A person took minutes to sign in: the token's lifetime counts from the token endpoint's
    // answer, not from when the sign-in began.
    let got = Got {
        obtained_at: cache::now(),
        response,
        dpop: key,
    };
    keep(profile, &cache, reuse, &store, id, got)
}

/// A sign-in may start: `login` asked for it, or a person is at the terminal (stderr, where the
/// URL goes, and stdin too for `--paste`).
fn may_sign_in(choice: &SignInChoice) -> bool {
    choice.now
        || (std::io::stderr().is_terminal() && (!choice.paste || std::io::stdin().is_terminal()))
}

/// True when the token endpoint refused the grant itself (`invalid_grant`).
fn grant_refused(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|c| matches!(c.downcast_ref::<Failure>(), Some(Failure::GrantRefused(_))))
}

/// Keeps what a sign-in or a refresh brought: a new refresh token replaces the old one (a server
/// that sends none keeps the old one good, RFC 6749 §6), the access token goes to the cache.
fn keep(
    profile: &Profile,
    cache: &TokenCache,
    cached: bool,
    store: &RefreshStore,
    id: Identity,
    got: Got,
) -> Result<Entry> {
    let Got {
        obtained_at,
        mut response,
        dpop,
    } = got;
    warn_missing_scopes(profile, &response);
    if let Some(token) = response.refresh_token.take()
        && let Err(err) = store.save(&token)
    {
        let hint = format!(
            "\nhint: the next sign-in is needed when the access token expires; on a machine without a keyring, set refresh_token_store = \"file\" in [profiles.{}] to keep it in a 0600 file in the cache folder",
            profile.name
        );
        warn(
            &err.context(format!("cannot keep the refresh token{hint}")),
            "the access token is used without it",
        );
    }
    let entry = Entry::new(id, obtained_at, response, dpop);
    if cached && let Err(err) = cache.write(&entry) {
        warn(&err, "the token was not cached");
    }
    Ok(entry)
}

/// A token response, when it was asked for, and the DPoP key that asked.
struct Got<'a> {
    obtained_at: u64,
    response: TokenResponse,
    dpop: Option<&'a DpopKey>,
}

/// What `logout` did.
#[derive(Debug, Default)]
pub struct LoggedOut {
    /// Tokens revoked at the revocation endpoint: "refresh token", "access token".
    pub revoked: Vec<&'static str>,
    /// Where the refresh token was forgotten, if one was kept.
    pub refresh_token_removed: Option<String>,
    /// A cached access token was removed.
    pub access_token_removed: bool,
}

/// Signs out: revokes the refresh token and the cached access token at the profile's revocation
/// endpoint (RFC 7009) unless `revoke_at_server` is false, then forgets both. A revocation that
/// fails keeps both, so that logging out can be tried again.
pub fn logout(profile: &Profile, timeout: Duration, revoke_at_server: bool) -> Result<LoggedOut> {
    let id = Identity::of(profile);
    let cache = TokenCache::new(cache::default_dir()?);
    cache.check(&id)?;
    let _lock = cache.lock(&id);
    let store = RefreshStore::of(profile, &cache, &id);
    let refresh_token = store.load()?;
    let access_token = cache
        .read(&id)
        .and_then(|e| e.access_token().map(Secret::new));
    let mut done = LoggedOut::default();
    if let (Some(url), true) = (&profile.revocation_url, revoke_at_server) {
        let request = &profile.token_request;
        let spelling = BasicMemo::new(cache.dir(), &request.client_id, &request.url)
            .read()
            .unwrap_or(oauth::client_auth::BasicSpelling::Encoded);
        let tokens = [
            (
                refresh_token.as_ref(),
                TokenKind::RefreshToken,
                "refresh token",
            ),
            (
                access_token.as_ref(),
                TokenKind::AccessToken,
                "access token",
            ),
        ];
        for (token, kind, noun) in tokens {
            let Some(token) = token else { continue };
            revoke(
                &profile.name,
                request,
                &Revocation {
                    url,
                    token,
                    kind,
                    spelling,
                },
                profile.ca_file.as_deref(),
                timeout,
            )
            .map_err(|err| {
                err.context(format!(
                    "cannot revoke the {noun} of profile {}; nothing was removed\nhint: try again later, or `oauthctl logout -p {} --no-revoke` forgets the tokens here without telling the server",
                    profile.name, profile.name
                ))
            })?;
            done.revoked.push(noun);
        }
    }
    if store.remove()? {
        done.refresh_token_removed = Some(store.describe());
    }
    if access_token.is_some() {
        cache.remove(&id)?;
        done.access_token_removed = true;
    }
    Ok(done)
}
