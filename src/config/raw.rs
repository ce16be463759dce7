//! The profile file as written: serde's types for its document and each profile's common keys.
//! A provider's own keys are its own (`providers/`), read from the same table.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::dpop::KeyStore;
use crate::oauth::client_auth::ClientAuthMethod;
use crate::oauth::grant::GrantType;
use crate::paging::PageStyle;
use crate::scalar::{Scalar, opt_scalar};
use crate::secret::RefreshTokenStore;

/// The document: `default_profile` and the `profiles` tables; nothing else.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDoc {
    pub default_profile: Option<String>,
    #[serde(default)]
    pub profiles: BTreeMap<String, RawProfile>,
}

/// The first reading: every profile's keys with their positions, for the unknown-key check.
#[derive(Debug, Deserialize)]
pub struct FileKeys {
    #[serde(default)]
    pub profiles: BTreeMap<String, BTreeMap<Spanned<String>, toml::Value>>,
}

/// A profile's common keys as written (see `keys::COMMON_KEYS`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawProfile {
    /// Read from the keys themselves when the chain is gathered (`layers.rs`); here so that a
    /// value that is not a string is reported as any other key's wrong type.
    #[serde(rename = "extends")]
    pub _extends: Option<String>,
    pub provider: Option<String>,
    pub token_url: Option<String>,
    pub issuer: Option<String>,
    pub device_authorization_url: Option<String>,
    pub api_base: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar")]
    pub client_id: Option<String>,
    pub client_auth: Option<ClientAuthMethod>,
    pub grant: Option<GrantType>,
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub scope: Option<StringOrList>,
    pub extra_params: Option<BTreeMap<String, Scalar>>,
    pub client_secret_env: Option<String>,
    pub client_secret_command: Option<String>,
    pub headers: Option<BTreeMap<String, String>>,
    pub ca_file: Option<PathBuf>,
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    pub client_key_id: Option<String>,
    pub client_assertion_alg: Option<String>,
    pub client_assertion_audience: Option<String>,
    pub min_ttl: Option<u64>,
    pub allowed_origins: Option<Vec<String>>,
    pub paging: Option<PageStyle>,
    pub parallel: Option<u64>,
    pub rate: Option<String>,
    pub authorization_url: Option<String>,
    pub redirect_port: Option<u16>,
    pub redirect_uri: Option<String>,
    pub revocation_url: Option<String>,
    pub refresh_token_store: Option<RefreshTokenStore>,
    pub dpop: Option<bool>,
    pub dpop_key_store: Option<KeyStore>,
}

/// A string, or a list of strings joined with spaces (`scope`).
#[derive(Debug, Clone)]
pub enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for StringOrList {
    // By hand: serde's untagged enum can only say "data did not match any variant".
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wrong = |found: &toml::Value| {
            serde::de::Error::custom(format!(
                "expected a string or a list of strings, found {}",
                found.type_str()
            ))
        };
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(StringOrList::One(s)),
            toml::Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    toml::Value::String(s) => Ok(s),
                    other => Err(wrong(&other)),
                })
                .collect::<Result<_, _>>()
                .map(StringOrList::Many),
            other => Err(wrong(&other)),
        }
    }
}
