//! `client_auth = "client_secret_jwt"` (RFC 7523 §2.2, OpenID Connect Core §9): an assertion
//! signed with HMAC keyed by the client secret, so that the secret itself never crosses the wire.
//! The secret comes from its usual sources (`client_secret_env`, `client_secret_command`, the
//! keyring).

use anyhow::{Result, anyhow};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use url::Url;

use super::assertion::{self, Audience};
use crate::secret::{Secret, SecretSource};

/// The client secret's sources and what its assertions say.
#[derive(Debug, Clone)]
pub struct SecretJwt {
    pub secret: SecretSource,
    /// HS256 (the default), HS384 or HS512 (`client_assertion_alg`).
    pub alg: Algorithm,
    /// `client_key_id`: the header's `kid`, for servers that keep several secrets.
    pub key_id: Option<String>,
    pub audience: Audience,
}

/// The algorithms `client_assertion_alg` takes with client_secret_jwt, for messages.
pub const ALGORITHMS: &str = "HS256, HS384 or HS512";

impl SecretJwt {
    /// The client secret, and a new assertion of `client_id` signed with it.
    pub fn assertion(
        &self,
        profile: &str,
        client_id: &str,
        token_url: &Url,
    ) -> Result<(Secret, Secret)> {
        let secret = self.secret.resolve(profile)?;
        let mut header = Header::new(self.alg);
        header.kid = self.key_id.clone();
        let key = EncodingKey::from_secret(secret.expose().as_bytes());
        let signed = assertion::sign(&header, &key, client_id, &self.audience, token_url)
            .map_err(|err| anyhow!("profile {profile}: {err:#}"))?;
        Ok((secret, signed))
    }
}
