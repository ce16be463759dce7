//! `client_auth = "tls_client_auth"`: mutual TLS (RFC 8705 §2). The client certificate
//! authenticates the client during the TLS handshake, and the client id goes in the form; no
//! secret is sent. A certificate is also presented beside a client secret when the profile names
//! one with another `client_auth`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use reqwest::blocking::RequestBuilder;
use reqwest::header::CONTENT_TYPE;

use super::{FORM, form};
use crate::secret::{Secret, SecretSource};

/// A client certificate and its private key, for token endpoints that want mutual TLS.
#[derive(Debug, Clone)]
pub struct ClientCert {
    pub cert: Pem,
    pub key: PrivateKey,
}

/// Where a certificate comes from: a PEM file (`client_cert`), or the text itself (an SAP BTP
/// X.509 service key's `certificate`).
#[derive(Debug, Clone)]
pub enum Pem {
    File(PathBuf),
    Inline(String),
}

/// Where the certificate's private key comes from.
#[derive(Debug, Clone)]
pub enum PrivateKey {
    /// A PEM file (`client_key`).
    File(PathBuf),
    /// The client credential's sources (the keyring, or an SAP BTP X.509 service key), where it is
    /// kept as a client secret is.
    Stored(SecretSource),
}

impl ClientCert {
    /// The certificate and its private key as one PEM text, for the TLS client. Read only when a
    /// token is requested.
    pub fn read(&self, profile: &str) -> Result<Secret> {
        let cert = match &self.cert {
            Pem::File(path) => read_pem(profile, "client_cert", path)?,
            Pem::Inline(pem) => pem.clone(),
        };
        let key = match &self.key {
            PrivateKey::File(path) => Secret::new(read_pem(profile, "client_key", path)?),
            PrivateKey::Stored(source) => source.resolve(profile)?,
        };
        Ok(Secret::new(format!(
            "{}\n{}\n",
            cert.trim_end(),
            key.expose().trim_end()
        )))
    }
}

fn read_pem(profile: &str, key: &str, path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .with_context(|| format!("profile {profile}: cannot read {key} {}", path.display()))
}

/// The client id beside the grant's fields, in a form: the certificate did the rest.
pub(super) fn apply<'a>(
    builder: RequestBuilder,
    client_id: &'a str,
    mut fields: Vec<(&'a str, &'a str)>,
) -> RequestBuilder {
    fields.push(("client_id", client_id));
    builder.header(CONTENT_TYPE, FORM).body(form(&fields))
}
