//! `oauthctl token`: print a token for `$(...)` and pipes. stdout gets the token and nothing else.

use std::io::Write;
use std::time::{Duration, UNIX_EPOCH};

use anyhow::Result;
use serde_json::Value;

use super::Selection;
use crate::error::Exit;
use crate::tokens;
use crate::tokens::cache::{self, Entry, Identity, TokenCache};

/// What `token` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Raw,
    Header,
    Json,
}

pub fn run(selection: &Selection, format: Format, options: &tokens::Options) -> Result<()> {
    let (_, profile) = selection.resolve()?;
    let entry = tokens::get(&profile, options)
        .map_err(|err| crate::http::no_response::with_timeout_hint(err, options.timeout))?;
    let text = render(&entry, format, &profile.name);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// `token --check`: is a fresh token cached? No network, no keyring, nothing on stdout: the exit
/// code is the answer (1: a fetch would be needed).
pub fn check(selection: &Selection) -> Result<Exit> {
    let (_, profile) = selection.resolve()?;
    let cache = TokenCache::new(cache::default_dir()?);
    let fresh = cache
        .read(&Identity::of(&profile))
        .is_some_and(|e| e.is_fresh(profile.min_ttl, cache::now()));
    Ok(if fresh { Exit::SUCCESS } else { Exit(1) })
}

fn render(entry: &Entry, format: Format, profile: &str) -> String {
    let token = entry.access_token().unwrap_or_default();
    match format {
        Format::Raw => format!("{token}\n"),
        Format::Header => {
            // RFC 6750 names the scheme "Bearer"; servers send it in any case. Another scheme
            // (DPoP, MAC) is the server's, and goes into the header only when it is one: new
            // answers are checked when they arrive, and this keeps an older entry from adding a
            // header of its own.
            let scheme = match entry.response.get("token_type").and_then(Value::as_str) {
                Some(t)
                    if !t.eq_ignore_ascii_case("bearer")
                        && crate::oauth::response::is_auth_scheme(t) =>
                {
                    t
                }
                _ => "Bearer",
            };
            format!("Authorization: {scheme} {token}\n")
        }
        Format::Json => {
            let mut obj = entry.response.clone();
            // Capped as new entries are, for an entry written before the cap.
            let expires_at = entry.expires_at.map(|at| {
                let at = UNIX_EPOCH + Duration::from_secs(at.min(cache::LATEST));
                humantime::format_rfc3339_seconds(at).to_string()
            });
            obj.insert(
                "expires_at".into(),
                expires_at.map(Value::from).unwrap_or(Value::Null),
            );
            obj.insert("profile".into(), Value::from(profile));
            let mut text =
                serde_json::to_string_pretty(&Value::Object(obj)).expect("JSON serializes");
            text.push('\n');
            text
        }
    }
}
