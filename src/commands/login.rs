//! `oauthctl login` and `oauthctl logout`: a person signs in now and the token is cached (its
//! refresh token kept, see `tokens::refresh`); or the profile's tokens are revoked at the server
//! (RFC 7009) and forgotten here.
//!
//! `login` needs no terminal: it was asked for, so it opens `$BROWSER` (or prints the URL with
//! `--no-browser`, or reads a pasted answer with `--paste`) wherever it runs. It takes the cache
//! entry's lock as every token request does, so a `token` that needs the same token meanwhile
//! waits for this sign-in instead of starting its own.

use std::time::Duration;

use anyhow::Result;

use super::Selection;
use crate::error::Failure;
use crate::tokens::discovery::Discovery;
use crate::tokens::{self, cache};

pub fn login(selection: &Selection, options: &tokens::Options) -> Result<()> {
    let (_, profile) = selection.resolve_discovering(&Discovery::for_token(options))?;
    let grant = &profile.token_request.grant;
    if !grant.is_interactive() {
        return Err(Failure::Usage(format!(
            "profile {} uses grant = \"{}\", in which nobody signs in\nhint: `oauthctl token -p {}` fetches its tokens; login is for grant = \"authorization_code\" or \"device_code\"",
            profile.name,
            grant.grant_type().as_str(),
            profile.name
        ))
        .into());
    }
    let entry = tokens::get(&profile, options)
        .map_err(|err| crate::http::no_response::with_timeout_hint(err, options.timeout))?;
    let left = match entry.expires_at {
        Some(at) => format!(
            ", for {}",
            humantime::format_duration(Duration::from_secs(at.saturating_sub(cache::now())))
        ),
        None => String::new(),
    };
    eprintln!(
        "oauthctl: signed in for profile {}; the access token is cached{left}",
        profile.name
    );
    Ok(())
}

pub fn logout(selection: &Selection, revoke: bool, timeout: Duration) -> Result<()> {
    let (_, profile) = selection.resolve_discovering(&Discovery::fetching(timeout))?;
    let done = tokens::logout(&profile, timeout, revoke)?;
    let name = &profile.name;
    if !done.revoked.is_empty() {
        eprintln!(
            "oauthctl: revoked the {} of profile {name} at {}",
            done.revoked.join(" and the "),
            profile
                .revocation_url
                .as_ref()
                .map(crate::http::target::host_with_port)
                .unwrap_or_default()
        );
    } else if revoke && profile.revocation_url.is_none() && done.refresh_token_removed.is_some() {
        eprintln!(
            "oauthctl: note: profile {name} has no revocation_url, so the server was not told; its refresh token stays good there until it expires"
        );
    }
    match &done.refresh_token_removed {
        Some(place) => eprintln!("oauthctl: removed the refresh token from {place}"),
        None => eprintln!("oauthctl: profile {name} had no refresh token kept"),
    }
    if done.access_token_removed {
        eprintln!("oauthctl: removed the cached access token");
    }
    Ok(())
}
