//! A profile, resolved: its provider's defaults applied and every value checked.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use url::Url;

use super::layers::Keys;
use crate::dpop::KeyStore;
use crate::http::rate::RateLimit;
use crate::oauth::TokenRequest;
use crate::oauth::discovery::Need;
use crate::paging::PageStyle;
use crate::providers::Provider;
use crate::secret::RefreshTokenStore;

/// Default seconds a cached token must still be valid to be reused (SDKs refresh 60 s early).
pub const DEFAULT_MIN_TTL: u64 = 60;

/// The most pages `call --paginate` may have in flight at once (`--parallel`, `parallel`): more
/// would only queue at the server, and each page in flight is held in memory until its turn.
pub const MAX_PARALLEL: usize = 32;

/// A profile after its provider's defaults are applied and every value is checked.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile's name in the file.
    pub name: String,
    /// The provider it names, if any.
    pub provider: Option<&'static Provider>,
    /// What its token request sends, secrets as their sources.
    pub token_request: TokenRequest,
    /// Base URL for API calls.
    pub api_base: Option<Url>,
    /// Headers sent with every API call.
    pub headers: BTreeMap<String, String>,
    /// Origins besides `api_base`'s that `call` may send the token to, as `scheme://host[:port]`
    /// URLs: the profile's own `allowed_origins`, and those its provider adds (a service key's
    /// endpoints).
    pub allowed_origins: Vec<Url>,
    /// Extra trusted root certificates (PEM), for TLS-inspecting proxies.
    pub ca_file: Option<PathBuf>,
    /// Seconds a cached token must still be valid to be reused.
    pub min_ttl: u64,
    /// How `call --paginate` pages this profile's lists, when the profile says; else the
    /// provider's choice by path.
    pub paging: Option<PageStyle>,
    /// How many pages `call --paginate` fetches at once, when the profile says.
    pub parallel: Option<usize>,
    /// The most requests to send, when the profile says.
    pub rate: Option<RateLimit>,
    /// The revocation endpoint (RFC 7009), for `logout`.
    pub revocation_url: Option<Url>,
    /// Where a sign-in's refresh token is kept.
    pub refresh_token_store: RefreshTokenStore,
    /// `dpop = true`: tokens bound to a DPoP key pair kept here (RFC 9449); `None` for bearer
    /// tokens.
    pub dpop: Option<KeyStore>,
    /// The keys as written, each with where it came from (the profile, one it extends, `--set`,
    /// the environment); a key not here is its provider's or oauthctl's default, or
    /// discovered.
    pub keys: Keys,
    /// The issuer whose metadata the profile's endpoints come from, as written.
    pub issuer: Option<String>,
    /// The keys whose values came from the issuer's metadata (`token_url`, `client_auth`, ...).
    pub discovered: Vec<&'static str>,
}

/// A profile whose endpoints come from its issuer's metadata, resolved where that metadata was
/// not to be had (nothing cached, and the command does not fetch): everything else about the
/// profile has been checked.
#[derive(Debug, thiserror::Error)]
#[error(
    "profile {}: its endpoints are not discovered yet from issuer {}\nhint: `oauthctl token` or `oauthctl profiles show` fetches the issuer's metadata (and caches it for a day)",
    need.profile,
    need.issuer
)]
pub struct Undiscovered {
    pub need: Need,
}

impl Profile {
    /// The token endpoint's host, as used in messages and the keyring account.
    pub fn token_host(&self) -> String {
        self.token_request.host()
    }

    /// Refuses a profile that cannot ask for a token as it is (a password grant without a user);
    /// see `Grant::require_user`.
    pub fn require_user(&self) -> Result<()> {
        self.token_request.grant.require_user(&self.name)
    }
}
