//! The token side of `call`'s requests: the profile's token from the cache (or the token
//! endpoint), dropped from the cache and fetched again when the API refuses it.

use std::sync::Arc;

use anyhow::{Result, anyhow};
use serde_json::Value;

use super::progress::{self, Progress};
use crate::config::Profile;
use crate::error::Failure;
use crate::http::exchange::Caller;
use crate::paging::{Page, Walk};
use crate::secret::Secret;
use crate::tokens;

/// The access token in use, and the scope it was granted (for a 403's explanation).
#[derive(Clone)]
pub struct Token {
    pub secret: Secret,
    pub scope: Option<String>,
}

/// The token side of `call`'s requests: the profile's token from the cache (or the token
/// endpoint), dropped from the cache and fetched again when the API refuses it, and the progress
/// line of `--paginate` (hidden otherwise), which messages must not tear.
///
/// It owns what it needs, profile included, as the threads of `--parallel` share it
/// (`paginate::SharedBearer`) and may outlive the walk that started them.
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
    fn token(&self) -> Option<&Secret> {
        self.token.as_ref().map(|t| &t.secret)
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

/// A token from the cache or the token endpoint. Whatever stops it, the exit code is "no token".
fn fetch_token(profile: &Profile, options: &tokens::Options) -> Result<Token> {
    let entry = tokens::get(profile, options).map_err(|source| Failure::NoToken {
        profile: profile.name.clone(),
        source,
    })?;
    let secret = entry
        .access_token()
        .map(Secret::new)
        .ok_or_else(|| anyhow!("the token cache gave an entry without an access_token"))?;
    let scope = entry
        .response
        .get("scope")
        .and_then(Value::as_str)
        .map(String::from);
    Ok(Token { secret, scope })
}
