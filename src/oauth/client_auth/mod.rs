//! How the client proves itself at the token endpoint (the profile's `client_auth`), one file per
//! method: HTTP Basic ([`basic`], with its two spellings), form fields (`post`), a JSON body
//! (`json`), mutual TLS (`tls_client_auth`), a JWT assertion signed with the client's private key
//! (`private_key_jwt`) or keyed by its secret (`client_secret_jwt`), with what the two share in
//! [`assertion`], and none at all for a public client (`none`). Adding a method is a variant of
//! [`ClientAuth`] and of [`ClientAuthMethod`], and a file.

pub mod assertion;
pub mod basic;
pub mod client_secret_jwt;
mod json;
mod none;
mod post;
pub mod private_key_jwt;
mod tls_client_auth;

use std::fmt;

use anyhow::Result;
use reqwest::blocking::RequestBuilder;
use serde::Deserialize;
use url::{Url, form_urlencoded};

pub use assertion::Audience;
pub use basic::{BasicFirst, BasicMemo, BasicSpelling};
pub use client_secret_jwt::SecretJwt;
pub use private_key_jwt::SigningKey;
pub use tls_client_auth::{ClientCert, Pem, PrivateKey};

use crate::secret::{Secret, SecretSource};

/// How the client authenticates, with where its credential comes from.
// `TlsClientAuth` is RFC 8705's name for the method, as the profile file spells it.
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone)]
pub enum ClientAuth {
    /// HTTP Basic with the client id and secret (RFC 6749 §2.3.1), in either spelling.
    Basic(SecretSource),
    /// `client_id` and `client_secret` as form fields.
    Post(SecretSource),
    /// A JSON body holding the client credentials, as on SCM's getting-started page.
    Json(SecretSource),
    /// Mutual TLS with a client certificate, and `client_id` in the form (RFC 8705 §2); no secret.
    TlsClientAuth(ClientCert),
    /// A JWT assertion signed with the client's private key (RFC 7523 §2.2); no secret.
    PrivateKeyJwt(SigningKey),
    /// A JWT assertion keyed by the client secret with HMAC (OpenID Connect Core §9).
    ClientSecretJwt(SecretJwt),
    /// A public client (RFC 6749 §2.1, RFC 8252 §8.4): `client_id` in the form, no secret. For
    /// the grants in which a person signs in, whose code PKCE protects.
    None,
}

/// The values of `client_auth`, as the profile file and the providers name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    Basic,
    Post,
    Json,
    TlsClientAuth,
    PrivateKeyJwt,
    ClientSecretJwt,
    None,
}

impl fmt::Display for ClientAuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ClientAuthMethod::Basic => "basic",
            ClientAuthMethod::Post => "post",
            ClientAuthMethod::Json => "json",
            ClientAuthMethod::TlsClientAuth => "tls_client_auth",
            ClientAuthMethod::PrivateKeyJwt => "private_key_jwt",
            ClientAuthMethod::ClientSecretJwt => "client_secret_jwt",
            ClientAuthMethod::None => "none",
        })
    }
}

/// A client authentication with its credential read, for one token request.
#[derive(Debug)]
pub enum ClientProof {
    Basic(Secret),
    Post(Secret),
    Json(Secret),
    /// The certificate goes in the TLS handshake, not in the request.
    TlsClientAuth,
    /// A signed client assertion, and with client_secret_jwt the secret that keyed it (never
    /// sent; kept so that an answer repeating it is scrubbed all the same).
    Assertion {
        assertion: Secret,
        secret: Option<Secret>,
    },
    /// A public client: its id alone.
    None,
}

impl ClientAuth {
    pub fn method(&self) -> ClientAuthMethod {
        match self {
            ClientAuth::Basic(_) => ClientAuthMethod::Basic,
            ClientAuth::Post(_) => ClientAuthMethod::Post,
            ClientAuth::Json(_) => ClientAuthMethod::Json,
            ClientAuth::TlsClientAuth(_) => ClientAuthMethod::TlsClientAuth,
            ClientAuth::PrivateKeyJwt(_) => ClientAuthMethod::PrivateKeyJwt,
            ClientAuth::ClientSecretJwt(_) => ClientAuthMethod::ClientSecretJwt,
            ClientAuth::None => ClientAuthMethod::None,
        }
    }

    /// Where a token request reads the client credential from: the client secret's sources, or,
    /// with mutual TLS or private_key_jwt, the sources of a private key that is not in a
    /// `client_key` file. `None`
    /// when the request reads no stored credential.
    pub fn credential_source(&self) -> Option<&SecretSource> {
        match self {
            ClientAuth::Basic(source)
            | ClientAuth::Post(source)
            | ClientAuth::Json(source)
            | ClientAuth::ClientSecretJwt(SecretJwt { secret: source, .. }) => Some(source),
            ClientAuth::TlsClientAuth(ClientCert {
                key: PrivateKey::Stored(source),
                ..
            })
            | ClientAuth::PrivateKeyJwt(SigningKey {
                key: PrivateKey::Stored(source),
                ..
            }) => Some(source),
            ClientAuth::TlsClientAuth(_) | ClientAuth::PrivateKeyJwt(_) | ClientAuth::None => None,
        }
    }

    /// [`ClientAuth::credential_source`], to hand it a secret already in hand.
    pub fn credential_source_mut(&mut self) -> Option<&mut SecretSource> {
        match self {
            ClientAuth::Basic(source)
            | ClientAuth::Post(source)
            | ClientAuth::Json(source)
            | ClientAuth::ClientSecretJwt(SecretJwt { secret: source, .. }) => Some(source),
            ClientAuth::TlsClientAuth(ClientCert {
                key: PrivateKey::Stored(source),
                ..
            })
            | ClientAuth::PrivateKeyJwt(SigningKey {
                key: PrivateKey::Stored(source),
                ..
            }) => Some(source),
            ClientAuth::TlsClientAuth(_) | ClientAuth::PrivateKeyJwt(_) | ClientAuth::None => None,
        }
    }

    /// The certificate of mutual TLS.
    pub fn tls_cert(&self) -> Option<&ClientCert> {
        match self {
            ClientAuth::TlsClientAuth(cert) => Some(cert),
            _ => None,
        }
    }

    /// Reads the client secret, where the method sends one, or signs a new client assertion of
    /// `client_id` for the token endpoint `token_url`.
    pub fn read(&self, profile: &str, client_id: &str, token_url: &Url) -> Result<ClientProof> {
        Ok(match self {
            ClientAuth::Basic(source) => ClientProof::Basic(source.resolve(profile)?),
            ClientAuth::Post(source) => ClientProof::Post(source.resolve(profile)?),
            ClientAuth::Json(source) => ClientProof::Json(source.resolve(profile)?),
            ClientAuth::TlsClientAuth(_) => ClientProof::TlsClientAuth,
            ClientAuth::PrivateKeyJwt(key) => ClientProof::Assertion {
                assertion: key.assertion(profile, client_id, token_url)?,
                secret: None,
            },
            ClientAuth::ClientSecretJwt(jwt) => {
                let (secret, assertion) = jwt.assertion(profile, client_id, token_url)?;
                ClientProof::Assertion {
                    assertion,
                    secret: Some(secret),
                }
            }
            ClientAuth::None => ClientProof::None,
        })
    }
}

impl ClientProof {
    /// The credentials the request carries (a client secret, a client assertion) or that keyed
    /// them: what a server's answer must never repeat.
    pub fn secrets(&self) -> Vec<&Secret> {
        match self {
            ClientProof::Basic(secret) | ClientProof::Post(secret) | ClientProof::Json(secret) => {
                vec![secret]
            }
            ClientProof::Assertion { assertion, secret } => {
                std::iter::once(assertion).chain(secret).collect()
            }
            ClientProof::TlsClientAuth | ClientProof::None => Vec::new(),
        }
    }

    /// The token request's body and credentials: the grant's `fields`, and the client's proof
    /// the way its method sends it (`spelling` is HTTP Basic's).
    pub fn apply<'a>(
        &'a self,
        builder: RequestBuilder,
        client_id: &'a str,
        fields: Vec<(&'a str, &'a str)>,
        spelling: BasicSpelling,
    ) -> Result<RequestBuilder> {
        Ok(match self {
            ClientProof::Basic(secret) => {
                basic::apply(builder, client_id, secret, spelling, &fields)
            }
            ClientProof::Post(secret) => post::apply(builder, client_id, secret, fields),
            ClientProof::Json(secret) => json::apply(builder, client_id, secret, fields)?,
            ClientProof::TlsClientAuth => tls_client_auth::apply(builder, client_id, fields),
            ClientProof::Assertion { assertion, .. } => {
                assertion::apply(builder, client_id, assertion, fields)
            }
            ClientProof::None => none::apply(builder, client_id, fields),
        })
    }
}

const FORM: &str = "application/x-www-form-urlencoded";

fn form(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}
