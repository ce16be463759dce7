//! Token revocation (RFC 7009): telling the authorization server that a refresh token or an
//! access token is no longer wanted, as `logout` does. The client authenticates as it does at the
//! token endpoint (§2.1); a server answers 200 whether or not it knew the token (§2.2).

use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};
use reqwest::header::{ACCEPT, ACCEPT_ENCODING};
use url::Url;

use super::TokenRequest;
use super::client_auth::BasicSpelling;
use super::grant::GrantProof;
use super::response::excerpt;
use super::scrub::Scrubber;
use crate::http::client::{ClientOptions, client_for};
use crate::http::no_response::no_response;
use crate::http::target::host_with_port;
use crate::secret::Secret;

/// What a token being revoked is, as `token_type_hint` says (RFC 7009 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    RefreshToken,
    AccessToken,
}

impl TokenKind {
    pub fn hint(self) -> &'static str {
        match self {
            TokenKind::RefreshToken => "refresh_token",
            TokenKind::AccessToken => "access_token",
        }
    }
}

/// The most of a revocation answer that is read: it has no body worth more.
const MAX_ANSWER: u64 = 64 << 10;

/// One token to revoke, and where.
#[derive(Debug)]
pub struct Revocation<'a> {
    /// The revocation endpoint.
    pub url: &'a Url,
    pub token: &'a Secret,
    pub kind: TokenKind,
    /// HTTP Basic's spelling: the one the token endpoint took (its note in the cache folder).
    pub spelling: BasicSpelling,
}

/// Revokes a token with the client's authentication of `request`.
pub fn revoke(
    profile: &str,
    request: &TokenRequest,
    revocation: &Revocation,
    ca_file: Option<&Path>,
    timeout: std::time::Duration,
) -> Result<()> {
    let Revocation {
        url,
        token,
        kind,
        spelling,
    } = *revocation;
    let client_proof = request
        .client_auth
        .read(profile, &request.client_id, &request.url)?;
    let tls_identity = request
        .tls_cert()
        .map(|cert| cert.read(profile))
        .transpose()?;
    let client = client_for(
        url,
        &ClientOptions {
            profile: profile.to_string(),
            ca_file: ca_file.map(Path::to_path_buf),
            timeout,
            compressed: false,
        },
        tls_identity.as_ref(),
    )?;
    let fields = vec![("token", token.expose()), ("token_type_hint", kind.hint())];
    let builder = client
        .post(url.clone())
        .header(ACCEPT, "application/json")
        .header(ACCEPT_ENCODING, "identity");
    let built = client_proof
        .apply(builder, &request.client_id, fields, spelling)?
        .build()
        .context("cannot build the revocation request")?;
    let host = host_with_port(url);
    let response = client.execute(built).map_err(|err| {
        no_response(
            &format!("revocation request to {host}"),
            &err,
            profile,
            ca_file,
        )
    })?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let mut body = Vec::new();
    let _ = response.take(MAX_ANSWER).read_to_end(&mut body);
    let scrubber = Scrubber::of(
        &request.client_id,
        &client_proof,
        &GrantProof::RefreshToken(token.clone()),
    );
    bail!(
        "revocation request to {host} failed: {}{}",
        status.as_u16(),
        excerpt(&scrubber.scrub(&String::from_utf8_lossy(&body)))
    )
}
