//! The token request: the grant ([`grant`], RFC 6749 §4.3 and §4.4), the client's authentication
//! ([`client_auth`], RFC 6749 §2.3 and RFC 8705), the response and its errors ([`response`],
//! RFC 6749 §5), the credentials cut out of whatever the token endpoint sends back ([`scrub`]),
//! and `-v` for it ([`verbose`]). The vendors' deviations are in docs/providers.md.
//!
//! Nothing here knows a profile file or the token cache: a profile holds a [`TokenRequest`], and
//! `tokens/` asks for a token with it.

pub mod client_auth;
pub mod discovery;
pub mod grant;
pub mod response;
pub mod revoke;
pub mod scope;
pub mod scrub;
mod verbose;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::blocking::{Client, Request};
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, HeaderName, HeaderValue};
use url::Url;

use crate::dpop::{self, DpopKey};
use crate::http::client::{ClientOptions, client_for};
use crate::http::no_response::{no_response, no_response_while_reading};
use crate::http::target::host_with_port;
use crate::secret::Secret;
use client_auth::{BasicFirst, BasicMemo, BasicSpelling, ClientAuth, ClientCert, ClientProof};
use grant::{Grant, GrantProof};
use response::{MAX_RESPONSE, TokenResponse, is_refusal, parse_response, refuses_client};
use scrub::Scrubber;

/// What a profile's token request sends, secrets as their sources: read only when a token is
/// requested ([`request_token`]).
#[derive(Debug, Clone)]
pub struct TokenRequest {
    /// The token endpoint: https, or http on a loopback host.
    pub url: Url,
    pub client_id: String,
    pub client_auth: ClientAuth,
    /// A client certificate presented beside a client secret (`client_cert` and `client_key`
    /// with `client_auth` basic, post or json). With `tls_client_auth` the certificate is the
    /// client's authentication itself, in [`ClientAuth::TlsClientAuth`].
    pub client_cert: Option<ClientCert>,
    pub grant: Grant,
    /// Space-separated scopes, as sent.
    pub scope: Option<String>,
    /// Extra fields of the request body, sorted by name.
    pub extra_params: BTreeMap<String, String>,
    /// Headers a provider adds, over the defaults (SaaS Security documents its own charset).
    pub headers: Vec<(String, String)>,
}

impl TokenRequest {
    /// The token endpoint's host, as used in messages and the keyring account.
    pub fn host(&self) -> String {
        host_with_port(&self.url)
    }

    /// The certificate the TLS handshake presents, if any.
    pub fn tls_cert(&self) -> Option<&ClientCert> {
        self.client_auth.tls_cert().or(self.client_cert.as_ref())
    }
}

/// How one token request goes.
#[derive(Debug)]
pub struct Options<'a> {
    /// The whole request's time limit.
    pub timeout: Duration,
    /// Show the request and response on stderr, redacted.
    pub verbose: bool,
    /// A two-factor passcode to append to the password.
    pub passcode: Option<&'a Secret>,
    /// The note that says which HTTP Basic spelling this token endpoint took, in a cache folder
    /// that passed its checks; it learns the one the endpoint takes. Without it the fallback
    /// still happens, and nothing is remembered.
    pub memo: Option<&'a BasicMemo>,
    /// The profile's DPoP key: a proof goes with the request, and the token comes back bound to
    /// the key (RFC 9449 §5).
    pub dpop: Option<&'a DpopKey>,
}

/// Asks the token endpoint of `request` for a token. Only here are the client secret, the
/// password and the private key read. A refusal is a `Failure::TokenRefused`.
pub fn request_token(
    profile: &str,
    request: &TokenRequest,
    ca_file: Option<&Path>,
    options: &Options,
) -> Result<TokenResponse> {
    let grant_proof = request.grant.read(profile, options.passcode)?;
    request_with(profile, request, &grant_proof, ca_file, options)
}

/// Asks the token endpoint for a new access token with a refresh token (RFC 6749 §6). A refresh
/// token the server no longer takes is a `Failure::GrantRefused`.
pub fn refresh(
    profile: &str,
    request: &TokenRequest,
    refresh_token: &Secret,
    ca_file: Option<&Path>,
    options: &Options,
) -> Result<TokenResponse> {
    let proof = GrantProof::RefreshToken(refresh_token.clone());
    request_with(profile, request, &proof, ca_file, options)
}

/// The token request of `request` with the grant's secrets already in hand (`grant_proof`): the
/// code a sign-in brought back, a refresh token, or what [`request_token`] read.
pub fn request_with(
    profile: &str,
    request: &TokenRequest,
    grant_proof: &GrantProof,
    ca_file: Option<&Path>,
    options: &Options,
) -> Result<TokenResponse> {
    let client_proof = request
        .client_auth
        .read(profile, &request.client_id, &request.url)?;
    let client = token_client(profile, request, ca_file, options)?;
    let (memo, basic) = basic_first(options, &client_proof);
    let sender = TokenSender {
        client: &client,
        profile,
        request,
        client_proof: &client_proof,
        grant_proof,
        ca_file,
        verbose: options.verbose,
        scrubber: Scrubber::of(&request.client_id, &client_proof, grant_proof),
        dpop: options.dpop,
    };
    let (response, switched_to) = sender.send(basic)?;
    remember(memo, switched_to, options.verbose);
    Ok(response)
}

/// The HTTP client for the token endpoint (and the other endpoints of its authorization server),
/// presenting the client certificate, if any: its private key is read here.
fn token_client(
    profile: &str,
    request: &TokenRequest,
    ca_file: Option<&Path>,
    options: &Options,
) -> Result<Client> {
    let tls_identity = request
        .tls_cert()
        .map(|cert| cert.read(profile))
        .transpose()?;
    client_for(
        &request.url,
        &ClientOptions {
            profile: profile.to_string(),
            ca_file: ca_file.map(Path::to_path_buf),
            timeout: options.timeout,
            // Decodes an answer that comes compressed although none was asked for (see
            // `build`); the 1 MiB bound counts decoded bytes.
            compressed: true,
        },
        tls_identity.as_ref(),
    )
}

/// The note that remembers HTTP Basic's spelling, when the client sends HTTP Basic (the only
/// method with two spellings), and the spelling to send first.
fn basic_first<'a>(
    options: &Options<'a>,
    client_proof: &ClientProof,
) -> (Option<&'a BasicMemo>, BasicFirst) {
    let memo = options
        .memo
        .filter(|_| matches!(client_proof, ClientProof::Basic(_)));
    let basic = match memo.and_then(BasicMemo::read) {
        Some(spelling) => BasicFirst {
            spelling,
            remembered: true,
        },
        None => BasicFirst::default(),
    };
    (memo, basic)
}

/// Notes the spelling the token endpoint took after refusing the other one.
fn remember(memo: Option<&BasicMemo>, switched_to: Option<BasicSpelling>, verbose: bool) {
    if let (Some(memo), Some(spelling)) = (memo, switched_to) {
        // Cache trouble never fails a command; the entry's own write says when the folder is
        // not writable.
        let written = memo.write(spelling);
        if verbose {
            match written {
                Ok(()) => eprintln!(
                    "* remembered in {} that this token endpoint takes {}",
                    memo.path().display(),
                    spelling.describe()
                ),
                Err(err) => eprintln!("* could not remember the spelling: {err:#}"),
            }
        }
    }
}

/// One token request, its secrets read, ready to be sent in either HTTP Basic spelling.
struct TokenSender<'a> {
    client: &'a Client,
    profile: &'a str,
    request: &'a TokenRequest,
    client_proof: &'a ClientProof,
    grant_proof: &'a GrantProof,
    ca_file: Option<&'a Path>,
    verbose: bool,
    scrubber: Scrubber,
    dpop: Option<&'a DpopKey>,
}

impl TokenSender<'_> {
    /// Sends the token request and returns the token response, with the Basic spelling the token
    /// endpoint took when it refused the first one sent (the one to send first next time). With
    /// HTTP Basic, a refusal of the client (`invalid_client`, `unauthorized`, any 401) is answered
    /// by sending the other spelling of the credentials once, when the two differ (see
    /// [`BasicSpelling`]).
    fn send(&self, basic: BasicFirst) -> Result<(TokenResponse, Option<BasicSpelling>)> {
        let host = self.request.host();
        let first = basic.spelling;
        // Only when the spellings differ is there a second one to try.
        let second = match self.client_proof {
            ClientProof::Basic(secret)
                if client_auth::basic::spellings_differ(&self.request.client_id, secret) =>
            {
                Some(first.other())
            }
            _ => None,
        };
        if self.verbose && second.is_some() {
            let why = if basic.remembered {
                "this token endpoint took them so before"
            } else {
                "the default"
            };
            eprintln!("* HTTP Basic with {} ({why})", first.describe());
        }
        let (status, body) = self.send_once(first)?;
        let refused = parse_response(&host, self.profile, status, &body, &self.scrubber);
        let Some(second) = second else {
            return refused.map(|response| (response, None));
        };
        if status.is_success() || !refuses_client(status, &body) {
            return refused.map(|response| (response, None));
        }
        if self.verbose {
            eprintln!(
                "* the token endpoint refused the client ({}); sending HTTP Basic once more, with {}",
                status.as_u16(),
                second.describe()
            );
        }
        let (status2, body2) = self.send_once(second)?;
        match parse_response(&host, self.profile, status2, &body2, &self.scrubber) {
            Ok(response) => Ok((response, Some(second))),
            // Both spellings refused: the first refusal says what is wrong, unless the second got
            // past the client's credentials (a raw-only server that then refuses the user's
            // password) or failed otherwise.
            Err(err) if is_refusal(status2) && refuses_client(status2, &body2) => {
                Err(refused.err().unwrap_or(err))
            }
            Err(err) => Err(err),
        }
    }

    /// One token request with `spelling` for HTTP Basic, and the status and body of its
    /// response. With DPoP, a 400 `use_dpop_nonce` that brings a new nonce is answered once, with
    /// a proof that carries it (RFC 9449 §8).
    fn send_once(&self, spelling: BasicSpelling) -> Result<(reqwest::StatusCode, Vec<u8>)> {
        self.send_to(&self.request.url, spelling)
    }

    /// The same request sent to `url`: the token endpoint, or another endpoint of its
    /// authorization server that takes the client's authentication (the device authorization
    /// endpoint, RFC 8628 §3.1). A 400 `use_dpop_nonce` that brings a new DPoP nonce is answered
    /// once, with it.
    fn send_to(
        &self,
        url: &Url,
        spelling: BasicSpelling,
    ) -> Result<(reqwest::StatusCode, Vec<u8>)> {
        let (status, body, new_nonce) = self.send_one(url, spelling)?;
        if new_nonce
            && status == reqwest::StatusCode::BAD_REQUEST
            && response::error_code(&body).as_deref() == Some(dpop::USE_DPOP_NONCE)
        {
            if self.verbose {
                eprintln!(
                    "* the token endpoint wants a DPoP nonce; sending again with the one it gave"
                );
            }
            // A client assertion is good for one request (its `jti` may not come again): the
            // request sent again carries a new one.
            if matches!(self.client_proof, ClientProof::Assertion { .. }) {
                let fresh = self.request.client_auth.read(
                    self.profile,
                    &self.request.client_id,
                    &self.request.url,
                )?;
                let again = TokenSender {
                    client_proof: &fresh,
                    scrubber: Scrubber::of(&self.request.client_id, &fresh, self.grant_proof),
                    ..*self
                };
                let (status, body, _) = again.send_one(url, spelling)?;
                // The caller scrubs what it shows with the scrubber of the first assertion: this
                // one is cut out here.
                let body = match String::from_utf8(body) {
                    Ok(text) => again.scrubber.scrub(&text).into_bytes(),
                    Err(raw) => raw.into_bytes(),
                };
                return Ok((status, body));
            }
            let (status, body, _) = self.send_one(url, spelling)?;
            return Ok((status, body));
        }
        Ok((status, body))
    }

    /// One request to `url`, the status and body of its response, read up to [`MAX_RESPONSE`],
    /// and whether the DPoP nonce to send is now another than the one it sent.
    fn send_one(
        &self,
        url: &Url,
        spelling: BasicSpelling,
    ) -> Result<(reqwest::StatusCode, Vec<u8>, bool)> {
        let sent_nonce = self.dpop.and_then(|_| dpop::nonce_for(url));
        let request = self.build(url, spelling, sent_nonce.as_deref())?;
        if self.verbose {
            verbose::show_request(&request);
        }
        let host = host_with_port(url);
        let what = self.what();
        let response = self.client.execute(request).map_err(|err| {
            let what = format!("{what} to {host}");
            no_response(&what, &err, self.profile, self.ca_file)
        })?;
        if self.verbose {
            crate::http::verbose::response_head_with(&response, |value| self.scrubber.scrub(value));
        }
        let status = response.status();
        let new_nonce = self.dpop.is_some() && {
            dpop::remember_nonce(url, response.headers());
            dpop::nonce_for(url) != sent_nonce
        };
        let mut body = Vec::new();
        response
            .take(MAX_RESPONSE + 1)
            .read_to_end(&mut body)
            .map_err(|err| no_response_while_reading(&format!("{what} to {host}"), &err))?;
        if body.len() as u64 > MAX_RESPONSE {
            bail!(
                "{what} to {host} answered {} with more than 1 MiB, the most oauthctl reads of a token response\n\
                 hint: a token response is a few kilobytes; check token_url, or ask the token endpoint's operator",
                status.as_u16()
            );
        }
        if self.verbose {
            verbose::show_body(&body, &self.scrubber);
        }
        Ok((status, body, new_nonce))
    }

    /// What the request is called in messages.
    fn what(&self) -> &'static str {
        match self.grant_proof {
            GrantProof::DeviceAuthorization => "device authorization request",
            _ => "token request",
        }
    }

    /// The request to `url`: the grant's fields, the scope and the extra parameters, with the
    /// client's proof as its method sends it, and the provider's headers over the defaults.
    fn build(&self, url: &Url, spelling: BasicSpelling, nonce: Option<&str>) -> Result<Request> {
        let request = self.request;
        let mut fields = self.grant_proof.fields();
        if let Some(scope) = request
            .scope
            .as_ref()
            .filter(|_| self.grant_proof.sends_scope())
        {
            fields.push(("scope", scope));
        }
        if self.grant_proof.sends_extra_params() {
            for (k, v) in &request.extra_params {
                fields.push((k, v));
            }
        }
        let builder = self
            .client
            .post(url.clone())
            .header(ACCEPT, "application/json")
            // A token answer is a few hundred bytes: compressing it saves nothing, and an answer
            // that carries a credential is better not compressed (the compressed length can
            // tell what it holds, as BREACH showed for HTTPS pages).
            .header(ACCEPT_ENCODING, "identity");
        let builder = self
            .client_proof
            .apply(builder, &request.client_id, fields, spelling)?;
        let mut built = builder.build().context("cannot build the token request")?;
        for (name, value) in &request.headers {
            built.headers_mut().insert(
                HeaderName::from_bytes(name.as_bytes())?,
                HeaderValue::from_str(value)?,
            );
        }
        if let Some(key) = self.dpop {
            // A proof per request, so that each carries a new jti and the latest nonce.
            let proof = key.proof("POST", url, nonce, None)?;
            let mut value = HeaderValue::from_str(proof.expose())
                .context("a DPoP proof that cannot go in a header")?;
            value.set_sensitive(true);
            built.headers_mut().insert(dpop::DPOP, value);
        }
        Ok(built)
    }
}
