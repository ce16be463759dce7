//! `client_auth = "private_key_jwt"` (RFC 7523 §2.2, OpenID Connect Core §9): the client signs a
//! short-lived assertion with its private key, and sends it instead of a secret. The key is
//! the client's own: from the keyring (`oauthctl secret set --key-file`) or a PEM file
//! (`client_key`), never from the profile file. The header names the key by `kid`
//! (`client_key_id`) or by the SHA-256 thumbprint of its certificate, `x5t#S256` (`client_cert`),
//! which Microsoft Entra ID's certificate credentials use.

use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use sha2::{Digest, Sha256};
use url::Url;

use super::assertion::{self, Audience};
use super::tls_client_auth::PrivateKey;
use crate::secret::Secret;

/// The most of a key or certificate file that is read: a PEM private key is a few kilobytes.
const MAX_PEM: u64 = 64 * 1024;

/// A client's signing key and what its assertions say about it.
#[derive(Debug, Clone)]
pub struct SigningKey {
    pub key: PrivateKey,
    /// `client_assertion_alg`; by default the key's type says (RS256, ES256 or ES384, EdDSA).
    pub alg: Option<Algorithm>,
    /// `client_key_id`: the header's `kid`.
    pub key_id: Option<String>,
    /// `client_cert`: the certificate whose SHA-256 thumbprint goes in the header, `x5t#S256`.
    pub cert: Option<PathBuf>,
    pub audience: Audience,
}

/// What kind of private key a PEM text holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    Rsa,
    Ec,
    Ed,
}

impl KeyType {
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Rsa => "RSA",
            KeyType::Ec => "EC",
            KeyType::Ed => "Ed25519",
        }
    }

    /// The algorithms this key signs with, the default first.
    fn algorithms(self) -> &'static [Algorithm] {
        match self {
            KeyType::Rsa => &[
                Algorithm::RS256,
                Algorithm::RS384,
                Algorithm::RS512,
                Algorithm::PS256,
                Algorithm::PS384,
                Algorithm::PS512,
            ],
            // P-256 signs ES256, P-384 ES384; which curve it is shows when one signs.
            KeyType::Ec => &[Algorithm::ES256, Algorithm::ES384],
            KeyType::Ed => &[Algorithm::EdDSA],
        }
    }
}

/// The algorithms `client_assertion_alg` takes with private_key_jwt, for messages.
pub const ALGORITHMS: &str = "RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or EdDSA";

/// Reads `client_assertion_alg`.
pub fn parse_alg(value: &str) -> Option<Algorithm> {
    value.parse::<Algorithm>().ok()
}

/// The private key in a PEM text, and its type. The error says what the text is instead, and
/// how to make it one oauthctl reads; it never quotes the text.
pub fn parse_key(pem: &str) -> Result<(EncodingKey, KeyType)> {
    let bytes = pem.as_bytes();
    // jsonwebtoken takes a certificate for an RSA key too, and fails only when it signs.
    let private = pem.contains("-----BEGIN PRIVATE KEY-----")
        || pem.contains("-----BEGIN RSA PRIVATE KEY-----");
    if private {
        if let Ok(key) = EncodingKey::from_rsa_pem(bytes) {
            return Ok((key, KeyType::Rsa));
        }
        if let Ok(key) = EncodingKey::from_ec_pem(bytes) {
            return Ok((key, KeyType::Ec));
        }
        if let Ok(key) = EncodingKey::from_ed_pem(bytes) {
            return Ok((key, KeyType::Ed));
        }
    }
    let hint = if pem.contains("-----BEGIN EC PRIVATE KEY-----") {
        "an EC key in SEC 1 form (BEGIN EC PRIVATE KEY); convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem"
    } else if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
        "an encrypted key; decrypt it first: openssl pkcs8 -in key.pem -out key-plain.pem (and keep the result in the keyring with oauthctl secret set --key-file, not on disk)"
    } else if pem.contains("-----BEGIN CERTIFICATE-----") || pem.contains("PUBLIC KEY-----") {
        "a certificate or public key; give the private key (the certificate goes in client_cert)"
    } else {
        "give a PEM private key: PKCS#8 (BEGIN PRIVATE KEY) of an RSA, EC (P-256, P-384) or Ed25519 key, or PKCS#1 (BEGIN RSA PRIVATE KEY)"
    };
    bail!("not a private key oauthctl can sign with\nhint: {hint}")
}

/// Reads a PEM file of at most [`MAX_PEM`] bytes.
pub fn read_pem_file(path: &Path) -> Result<String> {
    use std::io::Read;
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(MAX_PEM + 1).read_to_string(&mut text))
        .map_err(|err| anyhow!("cannot read {}: {err}", path.display()))?;
    if text.len() as u64 > MAX_PEM {
        bail!(
            "{} is larger than {} KiB, more than a PEM key or certificate is",
            path.display(),
            MAX_PEM / 1024
        );
    }
    Ok(text)
}

/// `x5t#S256`: the base64url SHA-256 of the DER of the first certificate in a PEM text.
pub fn thumbprint(pem: &str) -> Result<String> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let body = pem
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(body, _)| body)
        .ok_or_else(|| anyhow!("no PEM certificate (BEGIN CERTIFICATE) in it"))?;
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = STANDARD
        .decode(b64)
        .map_err(|_| anyhow!("its certificate is not valid base64"))?;
    Ok(URL_SAFE_NO_PAD.encode(Sha256::digest(der)))
}

impl SigningKey {
    /// A new assertion of `client_id`, signed with the key, for the token endpoint `token_url`.
    pub fn assertion(&self, profile: &str, client_id: &str, token_url: &Url) -> Result<Secret> {
        let pem = match &self.key {
            PrivateKey::File(path) => Secret::new(
                read_pem_file(path)
                    .map_err(|err| anyhow!("profile {profile}: client_key: {err:#}"))?,
            ),
            PrivateKey::Stored(source) => source.resolve(profile)?,
        };
        let (key, kind) = parse_key(pem.expose()).map_err(|err| {
            let from = match &self.key {
                PrivateKey::File(path) => format!("client_key {}", path.display()),
                PrivateKey::Stored(source) => {
                    format!("the key stored for {}", source.keyring_account)
                }
            };
            anyhow!("profile {profile}: {from}: {err:#}")
        })?;
        let thumbprint = self
            .cert
            .as_ref()
            .map(|path| {
                read_pem_file(path)
                    .and_then(|pem| thumbprint(&pem))
                    .map_err(|err| {
                        anyhow!("profile {profile}: client_cert {}: {err:#}", path.display())
                    })
            })
            .transpose()?;
        let header = |alg| {
            let mut header = Header::new(alg);
            header.kid = self.key_id.clone();
            header.x5t_s256 = thumbprint.clone();
            header
        };
        let sign = |alg| assertion::sign(&header(alg), &key, client_id, &self.audience, token_url);
        match self.alg {
            Some(alg) if !kind.algorithms().contains(&alg) => bail!(
                "profile {profile}: client_assertion_alg = \"{alg:?}\" does not sign with an {} key\nhint: for this key, client_assertion_alg is one of {}",
                kind.name(),
                kind.algorithms()
                    .iter()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Some(alg) => sign(alg).map_err(|err| {
                anyhow!(
                    "profile {profile}: {err:#} with {alg:?}: does the key's curve or size fit it?"
                )
            }),
            // An EC key's curve shows when it signs: P-256 signs ES256, P-384 ES384.
            None if kind == KeyType::Ec => sign(Algorithm::ES256)
                .or_else(|_| sign(Algorithm::ES384))
                .map_err(|err| {
                    anyhow!("profile {profile}: {err:#} (only P-256 and P-384 EC keys sign)")
                }),
            None => sign(kind.algorithms()[0]).map_err(|err| anyhow!("profile {profile}: {err:#}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_of_a_pem_certificate() {
        // Not a real certificate: the thumbprint is of whatever DER the PEM holds.
        let pem = "junk\n-----BEGIN CERTIFICATE-----\nAAEC\nAw==\n-----END CERTIFICATE-----\n";
        assert_eq!(
            thumbprint(pem).unwrap(),
            URL_SAFE_NO_PAD.encode(Sha256::digest([0u8, 1, 2, 3]))
        );
        assert!(thumbprint("-----BEGIN PRIVATE KEY-----").is_err());
    }

    #[test]
    fn a_sec1_ec_key_gets_a_hint_to_convert_it() {
        let err = parse_key("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n")
            .unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("openssl pkcs8 -topk8"), "{text}");
        assert!(!text.contains("AAAA"), "{text}");
    }

    #[test]
    fn algorithms_parse_by_their_jose_names() {
        assert_eq!(parse_alg("PS256"), Some(Algorithm::PS256));
        assert_eq!(parse_alg("ES256"), Some(Algorithm::ES256));
        assert_eq!(parse_alg("es256"), None);
        assert_eq!(parse_alg("none"), None);
    }
}
