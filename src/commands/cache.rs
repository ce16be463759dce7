//! `oauthctl cache list|clear`: what the token cache holds, without ever showing a token.

use std::io::Write;
use std::time::Duration;

use anyhow::Result;

use super::Selection;
use crate::tokens::cache::{self, Identity, TokenCache};
use crate::tokens::discovery::Discovery;

pub fn list(selection: &Selection) -> Result<()> {
    let cache = TokenCache::new(cache::default_dir()?);
    // Profiles that map to an entry, when the profile file can be read; a cache without one is
    // still worth listing.
    let profiles = selection
        .load_file()
        .map(|f| f.resolve_all(&Discovery::cached()))
        .unwrap_or_default();
    let now = cache::now();
    let mut rows = vec![[
        "PROFILES".to_string(),
        "CLIENT".into(),
        "SCOPE".into(),
        "EXPIRES IN".into(),
    ]];
    let entries = cache.entries().unwrap_or_else(|err| {
        eprintln!(
            "{}",
            crate::error::render_warning(&err, "not listing what is in it")
        );
        Vec::new()
    });
    for entry in entries {
        let names: Vec<&str> = profiles
            .iter()
            .filter(|p| Identity::of(p) == entry.identity)
            .map(|p| p.name.as_str())
            .collect();
        let host = url::Url::parse(&entry.identity.token_url)
            .map(|u| crate::http::target::host_with_port(&u))
            .unwrap_or_else(|_| entry.identity.token_url.clone());
        let who = match &entry.identity.username {
            Some(user) => format!("{user} via {}@{host}", entry.identity.client_id),
            None => format!("{}@{host}", entry.identity.client_id),
        };
        let expires = match entry.expires_at {
            None => "no expiry given".to_string(),
            Some(at) if at <= now => "expired".to_string(),
            Some(at) => humantime::format_duration(Duration::from_secs(at - now)).to_string(),
        };
        rows.push([
            if names.is_empty() {
                "-".into()
            } else {
                names.join(",")
            },
            who,
            entry.identity.scope.clone().unwrap_or_else(|| "-".into()),
            expires,
        ]);
    }
    let mut out = std::io::stdout().lock();
    if rows.len() == 1 {
        eprintln!(
            "oauthctl: the token cache in {} is empty",
            cache.dir().display()
        );
        return Ok(());
    }
    let widths: Vec<usize> = (0..4)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
    }
    out.flush()?;
    Ok(())
}

pub fn clear(selection: &Selection) -> Result<()> {
    let cache = TokenCache::new(cache::default_dir()?);
    if selection.profile.is_some() {
        let (_, profile) = selection.resolve_discovering(&Discovery::cached())?;
        cache.remove(&Identity::of(&profile))?;
        eprintln!(
            "oauthctl: removed the cached token of profile {}",
            profile.name
        );
    } else {
        let removed = cache.clear()?;
        eprintln!(
            "oauthctl: removed {removed} cached token{}",
            if removed == 1 { "" } else { "s" }
        );
    }
    Ok(())
}
