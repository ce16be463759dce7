//! `oauthctl inspect`: what a token says, decoded without verification.

use std::io::{Read, Write};
use std::time::{Duration, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use super::Selection;
use crate::jwt::{self, Decoded};
use crate::tokens::cache::{self, Identity, TokenCache};

pub fn run(selection: &Selection, token_arg: Option<&str>) -> Result<()> {
    let token = match token_arg {
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the token from stdin")?;
            text.trim().to_string()
        }
        Some(token) => token.to_string(),
        None => cached_token(selection)?,
    };
    if token.trim().is_empty() {
        let from = if token_arg == Some("-") {
            "stdin was empty"
        } else {
            "the argument is empty"
        };
        bail!(
            "no token to inspect: {from}\nhint: pass the token itself, - to read it from stdin, or -p NAME for a profile's cached token"
        );
    }
    let out = describe(&jwt::decode(&token)?, cache::now());
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::to_string_pretty(&out)?)?;
    stdout.flush()?;
    Ok(())
}

/// The profile's cached token, without the network or the keyring.
fn cached_token(selection: &Selection) -> Result<String> {
    let (_, profile) =
        selection.resolve_discovering(&crate::tokens::discovery::Discovery::cached())?;
    let cache = TokenCache::new(cache::default_dir()?);
    let hint = format!(
        "hint: `oauthctl token -p {} >/dev/null` fetches one, or pass a token (or - for stdin)",
        profile.name
    );
    let entry = match cache.load(&Identity::of(&profile)) {
        Ok(Some(entry)) => entry,
        Ok(None) => bail!("no cached token for profile {}\n{hint}", profile.name),
        // Say why the file there is not used: a planted FIFO, another user's file, ...
        Err(err) => {
            return Err(err.context(format!(
                "no usable cached token for profile {}\n{hint}",
                profile.name
            )));
        }
    };
    Ok(entry.access_token().unwrap_or_default().to_string())
}

/// The JSON `inspect` prints: header and claims, and for `exp`, `iat` and `nbf` the time in
/// RFC 3339 with how far it is from now.
fn describe(decoded: &Decoded, now: u64) -> Value {
    let mut out = Map::new();
    match decoded {
        Decoded::Opaque { length } => {
            out.insert("type".into(), "opaque".into());
            out.insert("length".into(), (*length).into());
            out.insert(
                "note".into(),
                "not a JWT: the token carries no readable claims".into(),
            );
        }
        Decoded::Jwt { header, claims } => {
            out.insert("type".into(), "jwt".into());
            out.insert("header".into(), Value::Object(header.clone()));
            out.insert("claims".into(), Value::Object(claims.clone()));
            let mut times = Map::new();
            for claim in ["exp", "iat", "nbf"] {
                if let Some(at) = claims.get(claim).and_then(Value::as_u64) {
                    times.insert(claim.into(), time(at, now));
                }
            }
            out.insert("times".into(), Value::Object(times));
            if let Some(exp) = claims.get("exp").and_then(Value::as_u64) {
                out.insert("expired".into(), (exp <= now).into());
            }
        }
    }
    Value::Object(out)
}

fn time(at: u64, now: u64) -> Value {
    let rfc3339 = UNIX_EPOCH
        .checked_add(Duration::from_secs(at))
        .filter(|_| at <= cache::LATEST)
        .map(|t| humantime::format_rfc3339_seconds(t).to_string())
        .unwrap_or_else(|| "out of range".into());
    let relative = if at >= now {
        format!(
            "in {}",
            humantime::format_duration(Duration::from_secs(at - now))
        )
    } else {
        format!(
            "{} ago",
            humantime::format_duration(Duration::from_secs(now - at))
        )
    };
    serde_json::json!({ "unix": at, "time": rfc3339, "relative": relative })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_and_relative() {
        let mut claims = Map::new();
        claims.insert("exp".into(), 1_000_900.into());
        claims.insert("iat".into(), 1_000_000.into());
        let out = describe(
            &Decoded::Jwt {
                header: Map::new(),
                claims,
            },
            1_000_060,
        );
        assert_eq!(out["times"]["exp"]["time"], "1970-01-12T14:01:40Z");
        assert_eq!(out["times"]["exp"]["relative"], "in 14m");
        assert_eq!(out["times"]["iat"]["relative"], "1m ago");
        assert_eq!(out["expired"], false);
    }
}
