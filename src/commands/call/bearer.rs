//! The token side of `call`'s requests: the profile's token from the cache (or the token
//! endpoint), dropped from the cache and fetched again when the API refuses it.

use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::{Result, anyhow};
use serde_json::Value;

use super::progress::{self, Progress};
use crate::config::Profile;
use crate::dpop::DpopKey;
use crate::error::Failure;
use crate::http::exchange::{Caller, Credential};
use crate::paging::{Page, Walk};
use crate::secret::Secret;
use crate::tokens;

/// The access token in use, and the scope it was granted (for a 403's explanation).
#[derive(Clone)]
pub struct Token {
    pub secret: Secret,
    pub scope: Option<String>,
    /// The key a DPoP-bound token is bound to; `None` for a bearer token.
    pub dpop: Option<Arc<DpopKey>>,
}

impl Token {
    /// How requests carry it.
    pub fn credential(&self) -> Credential<'_> {
        Credential {
            token: &self.secret,
            dpop: self.dpop.as_deref(),
        }
    }
}

/// The token side of `call`'s requests: the profile's token from the cache (or the token
/// endpoint), dropped from the cache and fetched again when the API refuses it, and the progress
/// line of `--paginate` (hidden otherwise), which messages must not tear.
///
/// It owns what it needs, profile included, as the threads of `--parallel` share it (as a
/// [`SharedBearer`]) and may outlive the walk that started them.
pub struct Bearer {
    pub profile: Profile,
    token_options: tokens::Options,
    /// `None` when the user's own Authorization header is sent instead.
    pub token: Option<Token>,
    pub progress: Arc<Progress>,
}

impl Bearer {
    /// Fetches the token first when one is needed, so that "no token" fails before anything is
    /// sent.
    pub fn start(
        profile: Profile,
        token_options: tokens::Options,
        use_token: bool,
    ) -> Result<Bearer> {
        let token = if use_token {
            Some(fetch_token(&profile, &token_options)?)
        } else {
            None
        };
        Ok(Bearer {
            profile,
            token_options,
            token,
            progress: Arc::new(Progress::hidden()),
        })
    }
}

/// `1,200 / 5,000 devices` after each page, or `1,200 devices` without a total.
pub fn show_progress(progress: &Progress, walk: &Walk, page: &Page) {
    progress.show(progress::count_text(
        walk.taken(),
        page.total(),
        &page.noun(),
    ));
}

impl Caller for Bearer {
    fn token(&self) -> Option<Credential<'_>> {
        self.token.as_ref().map(Token::credential)
    }

    fn reject_token(&mut self) {
        let Some(rejected) = &self.token else {
            return;
        };
        if let Err(err) = tokens::invalidate(&self.profile, &rejected.secret) {
            self.progress
                .suspend(|| eprintln!("oauthctl: warning: {err:#}; fetching a new token anyway"));
            self.token_options.refresh = true;
        }
    }

    fn renew_token(&mut self) -> Result<()> {
        // The token request may warn about the cache, on stderr.
        let token = self
            .progress
            .suspend(|| fetch_token(&self.profile, &self.token_options))?;
        self.token = Some(token);
        Ok(())
    }

    fn say(&self, message: &str) {
        self.progress.suspend(|| eprintln!("{message}"));
    }
}

/// The token of requests sent from several threads at once (`batch`, `call --paginate
/// --parallel`): fetched once for all, and after a 401 fetched again once for all. The threads
/// whose requests carried the refused token all come to [`SharedBearer::renew`]; the first
/// fetches a new one, and the others, waiting meanwhile, take it, as they do a token that the
/// next request needs. Each thread keeps the token its requests carry in a [`Held`].
pub struct SharedBearer {
    pub profile: Profile,
    state: Mutex<Shared>,
    /// The line that messages must not tear, drawn or hidden.
    pub progress: Arc<Progress>,
}

struct Shared {
    options: tokens::Options,
    token: Option<Arc<Token>>,
    /// The API refused `token`, which is no longer in the cache.
    rejected: bool,
    /// Why fetching a token failed: the requests that need one fail the same way, without
    /// asking the token endpoint again.
    failed: Option<String>,
}

impl SharedBearer {
    /// Nothing is fetched until [`SharedBearer::current`] is first asked.
    pub fn new(profile: Profile, options: tokens::Options, progress: Arc<Progress>) -> Self {
        SharedBearer {
            profile,
            state: Mutex::new(Shared {
                options,
                token: None,
                rejected: false,
                failed: None,
            }),
            progress,
        }
    }

    /// `bearer`'s token, fetched already, shared from now on; without one (the user's own
    /// Authorization header goes instead), none is ever fetched.
    pub fn from_bearer(bearer: Bearer) -> Self {
        let shared = SharedBearer::new(bearer.profile, bearer.token_options, bearer.progress);
        shared.lock().token = bearer.token.map(Arc::new);
        shared
    }

    /// The token in use, if there is one, without fetching.
    pub fn held(&self) -> Held {
        Held(self.lock().token.clone())
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The token in use, fetched when there is none yet.
    pub fn current(&self) -> Result<Arc<Token>> {
        let mut state = self.lock();
        match &state.token {
            Some(token) => Ok(token.clone()),
            None => self.fetch(&mut state),
        }
    }

    /// The API answered 401 to `rejected`: drop it from the cache, once, if it is still the token
    /// in use (else another thread has fetched a new one already).
    pub fn reject(&self, rejected: &Arc<Token>) {
        let mut state = self.lock();
        let current = state
            .token
            .as_ref()
            .is_some_and(|t| Arc::ptr_eq(t, rejected));
        if !current || state.rejected {
            return;
        }
        state.rejected = true;
        if let Err(err) = tokens::invalidate(&self.profile, &rejected.secret) {
            self.progress
                .suspend(|| eprintln!("oauthctl: warning: {err:#}; fetching a new token anyway"));
            state.options.refresh = true;
        }
    }

    /// A token in place of `rejected`: the one another thread fetched already, or a new one.
    pub fn renew(&self, rejected: &Arc<Token>) -> Result<Arc<Token>> {
        let mut state = self.lock();
        match &state.token {
            Some(token) if !Arc::ptr_eq(token, rejected) => Ok(token.clone()),
            _ => self.fetch(&mut state),
        }
    }

    /// A token from the cache or the token endpoint, unless an earlier fetch failed.
    fn fetch(&self, state: &mut Shared) -> Result<Arc<Token>> {
        if let Some(why) = &state.failed {
            return Err(Failure::NoToken {
                profile: self.profile.name.clone(),
                source: anyhow!("{why}"),
            }
            .into());
        }
        // The token request may warn about the cache, on stderr.
        match self
            .progress
            .suspend(|| fetch_token(&self.profile, &state.options))
        {
            Ok(token) => {
                let token = Arc::new(token);
                state.token = Some(token.clone());
                state.rejected = false;
                Ok(token)
            }
            Err(err) => {
                // Its cause, without the "no access token" that `Failure::NoToken` adds again.
                let causes: Vec<String> = err.chain().skip(1).map(|c| c.to_string()).collect();
                state.failed = Some(causes.join(": "));
                Err(err)
            }
        }
    }
}

/// The token one thread's requests carry, taken from a [`SharedBearer`]: its side of
/// [`Caller`], for the `Caller` of each command that shares one.
pub struct Held(pub Option<Arc<Token>>);

impl Held {
    pub fn credential(&self) -> Option<Credential<'_>> {
        self.0.as_ref().map(|t| t.credential())
    }

    /// The API refused the token carried (see [`SharedBearer::reject`]).
    pub fn reject(&self, bearer: &SharedBearer) {
        if let Some(token) = &self.0 {
            bearer.reject(token);
        }
    }

    /// The token in place of the refused one (see [`SharedBearer::renew`]).
    pub fn renew(&mut self, bearer: &SharedBearer) -> Result<()> {
        if let Some(token) = &self.0 {
            self.0 = Some(bearer.renew(token)?);
        }
        Ok(())
    }
}

/// A token from the cache or the token endpoint. Whatever stops it, the exit code is "no token".
fn fetch_token(profile: &Profile, options: &tokens::Options) -> Result<Token> {
    let held = tokens::get_held(profile, options).map_err(|source| Failure::NoToken {
        profile: profile.name.clone(),
        source,
    })?;
    let entry = held.entry;
    // A DPoP-bound token is never sent as a bearer token: without the key it is no use.
    let dpop = match (entry.is_dpop(), held.dpop) {
        (false, _) => None,
        (true, Some(key)) => Some(key),
        (true, None) => {
            return Err(Failure::NoToken {
                profile: profile.name.clone(),
                source: anyhow!(
                    "the token endpoint sent a DPoP-bound token (token_type DPoP), which goes only with a proof of the client's key\nhint: set dpop = true in [profiles.{}]",
                    profile.name
                ),
            }
            .into());
        }
    };
    let secret = entry
        .access_token()
        .map(Secret::new)
        .ok_or_else(|| anyhow!("the token cache gave an entry without an access_token"))?;
    let scope = entry
        .response
        .get("scope")
        .and_then(Value::as_str)
        .map(String::from);
    Ok(Token {
        secret,
        scope,
        dpop,
    })
}
