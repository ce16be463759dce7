//! What `private_key_jwt` and `client_secret_jwt` share: the client assertion's claims
//! (RFC 7523 §3, OpenID Connect Core §9) and how the token request carries it (RFC 7523 §2.2,
//! RFC 7521 §4.2).

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use jsonwebtoken::{EncodingKey, Header};
use reqwest::blocking::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;
use url::Url;

use super::{FORM, form};
use crate::secret::Secret;

/// `client_assertion_type` of a JWT client assertion (RFC 7523 §2.2).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long an assertion is good for. Short, since one is signed for each request and a stolen
/// one can be replayed until it expires (where the server does not remember `jti`), and long
/// enough for a clock a minute or two behind the server's.
pub const LIFETIME_SECS: u64 = 300;

/// Who the assertion is for: its `aud` (RFC 7523 §3, point 3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// The token endpoint's URL, as OpenID Connect Core §9 asks: the default.
    TokenEndpoint,
    /// A URL given in `client_assertion_audience`, as written (an issuer such as
    /// `https://host/realms/x` has no trailing slash, which a parsed URL would add).
    Url(String),
}

impl Audience {
    fn value(&self, token_url: &Url) -> String {
        match self {
            Audience::TokenEndpoint => token_url.as_str().to_string(),
            Audience::Url(url) => url.clone(),
        }
    }
}

/// The claims of a client assertion: the client is its issuer and its subject.
#[derive(Debug, Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: String,
    jti: String,
    iat: u64,
    exp: u64,
}

/// A new assertion of `client_id` for `audience`, signed with `key` as `header` says: a fresh
/// `jti` every time, so that a server that remembers them never sees one twice.
pub(super) fn sign(
    header: &Header,
    key: &EncodingKey,
    client_id: &str,
    audience: &Audience,
    token_url: &Url,
) -> Result<Secret> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let claims = Claims {
        iss: client_id,
        sub: client_id,
        aud: audience.value(token_url),
        jti: jti()?,
        iat: now,
        exp: now + LIFETIME_SECS,
    };
    jsonwebtoken::encode(header, &claims, key)
        .map(Secret::new)
        .context("cannot sign the client assertion")
}

/// 128 random bits, in hex.
fn jti() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|err| {
        anyhow::anyhow!("no random numbers for the client assertion's jti: {err}")
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The grant's fields, the client id (RFC 7521 §4.2 allows it, and Microsoft Entra ID wants it),
/// and the assertion, in a form.
pub(super) fn apply<'a>(
    builder: RequestBuilder,
    client_id: &'a str,
    assertion: &'a Secret,
    mut fields: Vec<(&'a str, &'a str)>,
) -> RequestBuilder {
    fields.push(("client_id", client_id));
    fields.push(("client_assertion_type", JWT_BEARER));
    fields.push(("client_assertion", assertion.expose()));
    builder.header(CONTENT_TYPE, FORM).body(form(&fields))
}
