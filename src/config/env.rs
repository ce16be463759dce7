//! The profile from the environment, for CI jobs that have variables and no profile file: each
//! key from `OAUTHCTL_<KEY>` (`OAUTHCTL_PROVIDER`, `OAUTHCTL_CLIENT_ID`, `OAUTHCTL_TSG_ID`, ...),
//! checked as a key written in a profile, the client secret from `OAUTHCTL_CLIENT_SECRET` (taken
//! out of the environment when oauthctl started, `secret::take_handed_secrets`).

use std::path::Path;

use anyhow::{Result, anyhow, bail};

use super::keys::{COMMON_KEYS, check_key, find_provider};
use super::layers::{Keys, Origin, Override, Written, apply_overrides, resolve_keys, typed_value};
use super::profile::Profile;
use crate::oauth::discovery::Discover;
use crate::providers::{MissingKey, PROVIDERS};

/// The name `-p` takes for the profile from the environment, and the one it is shown under.
pub const ENV_PROFILE: &str = "env";

/// The variable that holds `key`.
pub fn var_of(key: &str) -> String {
    format!("OAUTHCTL_{}", key.to_ascii_uppercase())
}

/// Every key a profile may set: the common ones, then each provider's.
fn all_keys() -> impl Iterator<Item = &'static str> {
    COMMON_KEYS.iter().map(|(k, _)| *k).chain(
        PROVIDERS
            .iter()
            .flat_map(|p| p.keys.iter().map(|(k, _)| *k)),
    )
}

/// Whether any `OAUTHCTL_<KEY>` variable is set (even empty).
pub fn any_set() -> bool {
    all_keys().any(|key| std::env::var_os(var_of(key)).is_some())
}

/// Reads the profile from the environment, with `--set` over it; an issuer's metadata comes from
/// `discover`.
pub fn profile(overrides: &[Override], discover: &dyn Discover) -> Result<Profile> {
    let name = ENV_PROFILE;
    let read = |var: &str| -> Result<Option<String>> {
        match std::env::var_os(var) {
            None => Ok(None),
            Some(v) if v.is_empty() => bail!(
                "${var} is set but empty\nhint: give it a value, or unset it; in CI, check that the job receives the variable (jobs started from forks often get secrets and variables as empty)"
            ),
            Some(v) => v
                .into_string()
                .map(Some)
                .map_err(|_| anyhow!("${var} is not valid UTF-8")),
        }
    };
    if let Some(base) = read(&var_of("extends"))? {
        bail!(
            "$OAUTHCTL_EXTENDS = {base}: the profile from the environment cannot extend another\nhint: set the keys themselves as OAUTHCTL_* variables"
        );
    }
    let provider = read(&var_of("provider"))?
        .map(|p| find_provider(&p).map_err(|why| anyhow!("$OAUTHCTL_PROVIDER {why}")))
        .transpose()?;
    let mut keys = Keys::new();
    let mut seen = Vec::new();
    for key in all_keys().filter(|k| *k != "extends") {
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let var = var_of(key);
        let Some(text) = read(&var)? else { continue };
        check_key(name, key, provider).map_err(|why| anyhow!("${var}: {why}"))?;
        let value = typed_value(provider, key, &text).map_err(|why| anyhow!("${var}: {why}"))?;
        keys.insert(
            key.to_string(),
            Written {
                value,
                from: Origin::Env(var),
            },
        );
    }
    apply_overrides(name, &mut keys, overrides)?;
    // Relative paths (ca_file, service_key) are relative to where the job runs.
    resolve_keys(name, keys, Path::new("."), true, discover).map_err(|err| match err.downcast::<MissingKey>() {
        Ok(missing) => {
            let var = var_of(&missing.key);
            let what = missing.what.map(|w| format!(" ({w})")).unwrap_or_default();
            anyhow!(
                "the profile from the environment has no {}: ${var} is not set{what}\nhint: set ${var}, or give it with --set {}=VALUE; README \"CI\" lists the variables",
                missing.key,
                missing.key
            )
        }
        Err(err) => err,
    })
}
