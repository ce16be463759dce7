//! Providers: what a profile that names one with `provider = "..."` gets without writing it
//! itself. Each provider is a file: its own profile keys and their checks, and the defaults it
//! works out from them (token endpoint, API base, scope, client authentication, grant, ...).
//! The wire facts behind each are in docs/providers.md.
//!
//! Adding a provider is one file, one line in [`PROVIDERS`], a fixture and a test.
//!
//! A provider knows nothing of the profile file beyond its own keys: `config/` hands it the
//! profile's table ([`Input`]), takes the [`Defaults`] back, and lets every key the profile sets
//! itself win over them.

mod asgardeo;
mod auth0;
mod entra;
mod keycloak;
mod oidc;
mod okta;
mod saas_security;
pub mod sap_btp;
mod scm;
mod template;

use std::path::Path;

use anyhow::Result;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::DeTable;
use url::Url;

use crate::http::rate::Rate;
use crate::oauth::client_auth::ClientAuthMethod;
use crate::oauth::grant::GrantType;
use crate::paging::PageStyle;
use crate::secret::SecretFile;

/// Every provider oauthctl knows, in the order `profiles` and errors list them.
pub static PROVIDERS: &[&Provider] = &[
    &scm::PROVIDER,
    &saas_security::PROVIDER,
    &asgardeo::PROVIDER,
    &sap_btp::PROVIDER,
    &entra::PROVIDER,
    &okta::PROVIDER,
    &keycloak::PROVIDER,
    &auth0::PROVIDER,
    &oidc::PROVIDER,
];

/// One vendor's token endpoint and API, as far as oauthctl knows them.
#[derive(Debug)]
pub struct Provider {
    /// The value of `provider` that selects it.
    pub name: &'static str,
    /// Shown in `profiles` listings and errors.
    pub title: &'static str,
    /// Profile keys that only this provider accepts, with what each is for (for error messages
    /// and the man page).
    pub keys: &'static [(&'static str, &'static str)],
    /// How `call --paginate` pages, by path under `api_base`: the first entry whose prefix starts
    /// the path wins, so a catch-all `""` goes last.
    pub paging: &'static [(&'static str, PageStyle)],
    /// Lists that take smaller pages than their style's largest, by path as `paging`.
    pub page_sizes: &'static [(&'static str, u64)],
    /// How many pages `call --paginate` has in flight at once, by path as `paging`; 1 (one page
    /// after another) where no prefix matches.
    pub parallel: &'static [(&'static str, usize)],
    /// The rate the vendor documents for its API, by path as `paging`; none where no prefix
    /// matches.
    pub rate: &'static [(&'static str, Rate)],
    /// Checks the types of the provider's own keys when the profile file is read, so that a
    /// wrong one is reported as any other key's (toml's words, with line and column).
    pub check_keys: fn(&KeyTable) -> Result<(), toml::de::Error>,
    /// Reads the provider's keys and works out its defaults for a profile.
    pub defaults: fn(&Input) -> Result<Defaults>,
}

impl Provider {
    /// How the list at `path` (under `api_base`) pages, if the provider knows.
    pub fn paging_for(&self, path: &str) -> Option<PageStyle> {
        by_path(self.paging, path)
    }

    /// The page size the list at `path` takes, where it is less than its style's largest.
    pub fn page_size_for(&self, path: &str) -> Option<u64> {
        by_path(self.page_sizes, path)
    }

    /// How many pages of the list at `path` are fetched at once by default.
    pub fn parallel_for(&self, path: &str) -> usize {
        by_path(self.parallel, path).unwrap_or(1)
    }

    /// The rate the vendor documents for requests to `path`.
    pub fn rate_for(&self, path: &str) -> Option<Rate> {
        by_path(self.rate, path)
    }

    /// What the provider's key `key` is for, if it has one.
    pub fn key_help(&self, key: &str) -> Option<&'static str> {
        self.keys
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, why)| *why)
    }
}

/// The value of the first entry whose prefix starts `path`.
fn by_path<T: Copy>(table: &[(&str, T)], path: &str) -> Option<T> {
    table
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map(|(_, value)| *value)
}

pub fn find(name: &str) -> Option<&'static Provider> {
    PROVIDERS.iter().copied().find(|p| p.name == name)
}

pub fn names() -> Vec<&'static str> {
    PROVIDERS.iter().map(|p| p.name).collect()
}

/// A profile's table in the profile file, from which a provider reads its own keys with serde:
/// the keys its type has fields for (other keys are checked elsewhere).
pub enum KeyTable<'a> {
    /// The table as parsed, with the position of every value, while the file is read: a wrong type
    /// gets toml's message with its line and column, as every other key's does.
    Parsed {
        table: Spanned<DeTable<'a>>,
        /// The whole profile file, which toml quotes in its messages.
        text: &'a str,
    },
    /// The table's values, once the file has been read (and its types checked).
    Values(&'a toml::Table),
}

impl KeyTable<'_> {
    pub fn read<K: DeserializeOwned>(&self) -> Result<K, toml::de::Error> {
        match self {
            KeyTable::Parsed { table, text } => {
                K::deserialize(toml::de::Deserializer::from(table.clone())).map_err(|mut err| {
                    err.set_input(Some(text));
                    err
                })
            }
            KeyTable::Values(table) => K::deserialize(toml::Value::Table((*table).clone())),
        }
    }
}

/// A key the profile must set and does not (a template's `tsg_id`, a service key's path, the
/// client id). Its message speaks of the profile file; the profile read from `OAUTHCTL_*`
/// variables names the variable instead, which is why it is a type.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct MissingKey {
    /// The key, as written in a profile.
    pub key: String,
    /// What the key is, for a hint: `your Tenant Service Group id`.
    pub what: Option<&'static str>,
    pub message: String,
}

/// What a provider gets to work out its defaults for one profile.
pub struct Input<'a> {
    /// The profile's name, for messages.
    pub profile: &'a str,
    /// The profile file's folder: a relative path in the file is relative to it.
    pub dir: &'a Path,
    /// The profile's table, for the provider's own keys.
    pub keys: KeyTable<'a>,
}

/// What a provider fills in for a profile. A key the profile sets itself always wins, so a
/// default that could not be worked out (a template's missing key, a service key's missing
/// endpoint) is an error only when the profile does not set that key: those are `Result`s.
#[derive(Debug, Default)]
pub struct Defaults {
    /// The token endpoint.
    pub token_url: Option<Result<String>>,
    /// The device authorization endpoint (RFC 8628 §3.1), for `grant = "device_code"`.
    pub device_authorization_url: Option<Result<String>>,
    /// The API's base URL; `None` when the provider has none (a key for tokens only).
    pub api_base: Option<Result<String>>,
    pub client_id: Option<String>,
    pub scope: Option<Result<String>>,
    pub client_auth: Option<ClientAuthMethod>,
    pub grant: Option<GrantType>,
    /// A client certificate (PEM) whose private key is the client credential: an SAP BTP X.509
    /// service key's, used when the profile names no certificate files.
    pub client_cert: Option<String>,
    /// Origins `call` may send the token to besides `api_base`'s (a service key's endpoints).
    pub allowed_origins: Vec<Url>,
    /// A file to read the client credential from when the keyring has none.
    pub secret_file: Option<SecretFile>,
    /// Headers on the token request, over the defaults (some vendors document a charset).
    pub token_headers: Vec<(String, String)>,
    /// The authorization endpoint, for `grant = "authorization_code"`.
    pub authorization_url: Option<Result<String>>,
    /// The revocation endpoint (RFC 7009), for `logout`.
    pub revocation_url: Option<Result<String>>,
    /// Fields of the token request body, under the profile's own `extra_params` (Auth0's
    /// `audience`).
    pub extra_params: Vec<(String, String)>,
}
