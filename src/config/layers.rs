//! A profile's keys gathered from where they are written, each remembering where: the profiles it
//! extends (the furthest first), the profile itself, `--set` (or the environment, for the profile
//! read from `OAUTHCTL_*` variables). A later layer's key replaces an earlier one's whole value,
//! as a key written twice in TOML would. Every value from the command line or the environment is
//! checked as the file's are: its key, then its type.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, anyhow};
use serde::Deserialize;

use super::file::plain_words;
use super::keys::{check_key, find_provider};
use super::profile::Profile;
use super::raw::RawProfile;
use super::resolve::resolve;
use crate::error::Failure;
use crate::oauth::discovery::Discover;
use crate::providers::{KeyTable, Provider};

/// Where a profile key's value came from, for `profiles show`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The profile's own table in the file.
    Profile,
    /// A profile it extends (directly or further up the chain), by name.
    Extended(String),
    /// `--set KEY=VALUE`, or a shorthand for one (`--tsg-id`).
    Set,
    /// An `OAUTHCTL_*` variable: the profile from the environment.
    Env(String),
}

/// A key's value as written, and where.
#[derive(Debug, Clone)]
pub struct Written {
    pub value: toml::Value,
    pub from: Origin,
}

/// The keys of one profile, by name.
pub type Keys = BTreeMap<String, Written>;

/// A key given on the command line for one run: `--set KEY=VALUE`, or `--tsg-id ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub key: String,
    /// As typed; typed as the key wants when applied ([`typed_value`]).
    pub value: String,
    /// How it was given, for messages: `--set tsg_id=1`, `--tsg-id 1`.
    pub flag: String,
}

/// Applies `--set` over a profile's keys, each checked as a key written in the profile: a key
/// the profile's provider knows, of the type it wants. A mistake is a usage error.
pub fn apply_overrides(profile: &str, keys: &mut Keys, overrides: &[Override]) -> Result<()> {
    let usage =
        |flag: &str, why: String| anyhow::Error::new(Failure::Usage(format!("{flag}: {why}")));
    // A provider given with --set decides which keys the others may be.
    let mut provider = provider_of(keys);
    for o in overrides.iter().filter(|o| o.key == "provider") {
        provider = Some(
            find_provider(&o.value)
                .map_err(|why| usage(&o.flag, format!("profile {profile} {why}")))?,
        );
    }
    for o in overrides {
        if o.key == "extends" {
            return Err(usage(
                &o.flag,
                "extends is read from the profile file only\nhint: choose the base profile with -p NAME and --set the keys that differ".into(),
            ));
        }
        check_key(profile, &o.key, provider).map_err(|why| usage(&o.flag, why))?;
        let value = typed_value(provider, &o.key, &o.value).map_err(|why| usage(&o.flag, why))?;
        keys.insert(
            o.key.clone(),
            Written {
                value,
                from: Origin::Set,
            },
        );
    }
    Ok(())
}

/// The provider the keys name (already checked when they were read).
pub fn provider_of(keys: &Keys) -> Option<&'static Provider> {
    keys.get("provider")
        .and_then(|w| w.value.as_str())
        .and_then(crate::providers::find)
}

/// A value typed on the command line or held by a variable, as the key wants it: a string, or
/// the number or boolean the key takes when it refuses a string (`min_ttl=30`); a list or table
/// in TOML's syntax when it starts with `[` or `{` (`scope=["a","b"]`), and a quoted TOML string
/// for a string that would read as one of those.
pub fn typed_value(
    provider: Option<&Provider>,
    key: &str,
    text: &str,
) -> Result<toml::Value, String> {
    let as_toml = || {
        format!("v = {text}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
    };
    if text.trim_start().starts_with(['[', '{', '"', '\'']) {
        let value = as_toml().ok_or_else(|| {
            format!("`{key}`: `{text}` is not a TOML value (a list is [\"a\", \"b\"], a table {{ name = \"value\" }})")
        })?;
        check_value(provider, key, &value)?;
        return Ok(value);
    }
    let string = toml::Value::String(text.to_string());
    match check_value(provider, key, &string) {
        Ok(()) => Ok(string),
        Err(why) => match as_toml() {
            Some(value) if check_value(provider, key, &value).is_ok() => Ok(value),
            _ => Err(why),
        },
    }
}

/// Checks one key's value as the profile file's reading would: the common keys' types, then the
/// provider's own.
fn check_value(provider: Option<&Provider>, key: &str, value: &toml::Value) -> Result<(), String> {
    let mut table = toml::Table::new();
    table.insert(key.to_string(), value.clone());
    let why = |err: toml::de::Error| plain_words(err.message().trim_end());
    RawProfile::deserialize(toml::Value::Table(table.clone())).map_err(why)?;
    if let Some(provider) = provider {
        (provider.check_keys)(&KeyTable::Values(&table)).map_err(why)?;
    }
    Ok(())
}

/// Resolves profile `name` from its gathered keys; relative paths are relative to `dir`, and an
/// issuer's metadata comes from `discover`.
pub fn resolve_keys(
    name: &str,
    keys: Keys,
    dir: &Path,
    from_env: bool,
    discover: &dyn Discover,
) -> Result<Profile> {
    let table: toml::Table = keys
        .iter()
        .map(|(k, w)| (k.clone(), w.value.clone()))
        .collect();
    let raw = RawProfile::deserialize(toml::Value::Table(table.clone()))
        .map_err(|err| anyhow!("profile {name}: {}", plain_words(err.message())))?;
    let mut profile = resolve(
        name,
        &raw,
        KeyTable::Values(&table),
        dir,
        from_env,
        discover,
    )?;
    profile.keys = keys;
    Ok(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_takes_the_type_its_key_wants() {
        let scm = crate::providers::find("scm");
        let typed = |key: &str, text: &str| typed_value(scm, key, text);
        assert_eq!(
            typed("tsg_id", "0012"),
            Ok(toml::Value::String("0012".into()))
        );
        assert_eq!(typed("min_ttl", "30"), Ok(toml::Value::Integer(30)));
        assert_eq!(
            typed("client_id", "1e5"),
            Ok(toml::Value::String("1e5".into()))
        );
        assert_eq!(typed("scope", "a b"), Ok(toml::Value::String("a b".into())));
        assert_eq!(
            typed("scope", r#"["a", "b"]"#),
            Ok(toml::Value::Array(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            typed("scope", r#""[a]""#),
            Ok(toml::Value::String("[a]".into()))
        );
        assert!(
            typed("scope", "[a")
                .unwrap_err()
                .contains("is not a TOML value")
        );
        assert!(typed("min_ttl", "-1").is_err());
    }
}
