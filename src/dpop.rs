//! DPoP (RFC 9449): the profile's key pair (ES256, P-256), the proof that goes with each token
//! request and each API request, and the nonces servers hand out.
//!
//! A proof is a JWT signed with the private key, its public half in the header (`typ`
//! `dpop+jwt`, `alg` ES256, `jwk`), naming the request (`htm`, `htu` without query and fragment),
//! when it was made (`iat`), a unique `jti`, the server's latest `nonce` for the origin, and on a
//! resource request the access token's hash (`ath`). A proof is as good as the token for the one
//! request it names, so it is a [`Secret`]: never printed, logged or cached.
//!
//! Where the key is kept is `tokens::dpop_key`'s business; this module only makes and reads keys.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;

use anyhow::{Context, Result, anyhow};
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, EllipticCurveKeyParameters,
    EllipticCurveKeyType, Jwk, ThumbprintHash,
};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::header::HeaderMap;
use serde::Serialize;
use sha2::{Digest, Sha256};
use url::Url;

use crate::secret::Secret;

/// The request header that carries a proof.
pub const DPOP: &str = "DPoP";
/// The response header with which a server hands out a nonce (RFC 9449 §8).
pub const DPOP_NONCE: &str = "DPoP-Nonce";
/// The error a server answers a proof without its nonce with (§8 for the token endpoint, §9 for
/// a resource server).
pub const USE_DPOP_NONCE: &str = "use_dpop_nonce";
/// The most bytes of a nonce kept; a longer one is not a nonce oauthctl sends back.
const MAX_NONCE: usize = 1024;

/// Where a profile's DPoP key is kept: the value of `dpop_key_store`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyStore {
    /// The OS keyring (the default).
    #[default]
    Keyring,
    /// A 0600 file in the cache folder, for machines without a keyring.
    File,
}

/// A DPoP key pair. Its `Debug` shows only the thumbprint.
pub struct DpopKey {
    /// PKCS#8 DER of the private key.
    pkcs8: Vec<u8>,
    jwk: Jwk,
    thumbprint: String,
}

impl fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DpopKey(jkt {})", self.thumbprint)
    }
}

impl DpopKey {
    /// A new P-256 key pair.
    pub fn generate() -> Result<DpopKey> {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .map_err(|_| anyhow!("cannot generate a DPoP key pair"))?;
        let pkcs8 = pair
            .to_pkcs8v1()
            .map_err(|_| anyhow!("cannot write the DPoP key pair"))?;
        DpopKey::from_pkcs8(pkcs8.as_ref())
    }

    /// The key as kept (see [`DpopKey::stored`]): base64 of its PKCS#8 DER.
    pub fn from_stored(stored: &Secret) -> Result<DpopKey> {
        let der = STANDARD
            .decode(stored.expose().trim())
            .map_err(|_| anyhow!("the kept DPoP key is not base64"))?;
        DpopKey::from_pkcs8(&der)
    }

    fn from_pkcs8(der: &[u8]) -> Result<DpopKey> {
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
            .map_err(|_| anyhow!("the kept DPoP key is not a P-256 private key"))?;
        // The public key is the uncompressed point: 0x04, then x and y of 32 bytes each.
        let point = pair.public_key().as_ref();
        if point.len() != 65 || point[0] != 4 {
            return Err(anyhow!(
                "the DPoP key's public point is not uncompressed P-256"
            ));
        }
        let jwk = Jwk {
            common: CommonParameters::default(),
            algorithm: AlgorithmParameters::EllipticCurve(EllipticCurveKeyParameters {
                key_type: EllipticCurveKeyType::EC,
                curve: EllipticCurve::P256,
                x: URL_SAFE_NO_PAD.encode(&point[1..33]),
                y: URL_SAFE_NO_PAD.encode(&point[33..]),
            }),
        };
        let thumbprint = jwk.thumbprint(ThumbprintHash::SHA256);
        Ok(DpopKey {
            pkcs8: der.to_vec(),
            jwk,
            thumbprint,
        })
    }

    /// What is kept in the keyring or the key file: base64 of the PKCS#8 DER.
    pub fn stored(&self) -> Secret {
        Secret::new(STANDARD.encode(&self.pkcs8))
    }

    /// The JWK thumbprint (RFC 7638, SHA-256), the `jkt` a bound token names in its `cnf`.
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// A proof for one request: `method` to `url` (its query and fragment left out), with
    /// `nonce` (the server's latest for the URL's origin, [`nonce_for`]), and `ath` for
    /// `access_token` on a resource request.
    pub fn proof(
        &self,
        method: &str,
        url: &Url,
        nonce: Option<&str>,
        access_token: Option<&Secret>,
    ) -> Result<Secret> {
        let mut htu = url.clone();
        htu.set_query(None);
        htu.set_fragment(None);
        let mut jti = [0u8; 16];
        getrandom::fill(&mut jti)
            .map_err(|err| anyhow!("no randomness for a DPoP proof: {err}"))?;
        let claims = Claims {
            jti: URL_SAFE_NO_PAD.encode(jti),
            htm: method,
            htu: htu.as_str(),
            iat: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0),
            ath: access_token.map(ath),
            nonce,
        };
        let mut header = Header::new(Algorithm::ES256);
        header.typ = Some("dpop+jwt".into());
        header.jwk = Some(self.jwk.clone());
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ec_der(&self.pkcs8))
            .map(Secret::new)
            .context("cannot sign a DPoP proof")
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    jti: String,
    htm: &'a str,
    htu: &'a str,
    iat: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ath: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<&'a str>,
}

/// `ath`: base64url of the SHA-256 of the access token (RFC 9449 §4.2).
pub fn ath(access_token: &Secret) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(access_token.expose().as_bytes()))
}

/// True for the `token_type` of a DPoP-bound token (case-insensitive, as servers vary).
pub fn is_dpop(token_type: Option<&str>) -> bool {
    token_type.is_some_and(|t| t.eq_ignore_ascii_case("dpop"))
}

/// The latest nonce of each origin, for this process.
static NONCES: Mutex<BTreeMap<String, String>> = Mutex::new(BTreeMap::new());

fn origin_key(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// The latest nonce the origin of `url` handed out, if any.
pub fn nonce_for(url: &Url) -> Option<String> {
    let nonces = NONCES.lock().unwrap_or_else(|e| e.into_inner());
    nonces.get(&origin_key(url)).cloned()
}

/// Keeps the nonce a response from `url` carries in `DPoP-Nonce`, if it is one (RFC 9449 §8:
/// 1*NQCHAR, visible ASCII without `"` and `\`).
pub fn remember_nonce(url: &Url, headers: &HeaderMap) {
    let Some(value) = headers.get(DPOP_NONCE).and_then(|v| v.to_str().ok()) else {
        return;
    };
    let valid = !value.is_empty()
        && value.len() <= MAX_NONCE
        && value
            .bytes()
            .all(|b| matches!(b, 0x21 | 0x23..=0x5b | 0x5d..=0x7e));
    if valid {
        let mut nonces = NONCES.lock().unwrap_or_else(|e| e.into_inner());
        nonces.insert(origin_key(url), value.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_key_reads_back_as_the_same_key() {
        let key = DpopKey::generate().unwrap();
        let again = DpopKey::from_stored(&key.stored()).unwrap();
        assert_eq!(key.thumbprint(), again.thumbprint());
        assert_eq!(
            format!("{again:?}"),
            format!("DpopKey(jkt {})", key.thumbprint())
        );
        assert!(DpopKey::from_stored(&Secret::new("bm90IGEga2V5")).is_err());
    }

    #[test]
    fn a_proof_names_the_request_without_query_and_fragment() {
        let key = DpopKey::generate().unwrap();
        let url = Url::parse("https://proof.example/api/x?secret=1#frag").unwrap();
        let token = Secret::new("tok");
        let proof = key.proof("GET", &url, None, Some(&token)).unwrap();
        let parts: Vec<&str> = proof.expose().split('.').collect();
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["jwk"]["kty"], "EC");
        assert!(header["jwk"].get("d").is_none());
        assert_eq!(claims["htu"], "https://proof.example/api/x");
        assert_eq!(claims["htm"], "GET");
        // RFC 9449 §4.2's example: the hash of this token.
        assert_eq!(
            ath(&Secret::new("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU")),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
        assert_eq!(claims["ath"], ath(&token));
        assert!(claims.get("nonce").is_none());
    }

    #[test]
    fn a_nonce_is_kept_per_origin_when_it_is_one() {
        let url = Url::parse("https://nonce.example/token").unwrap();
        let other = Url::parse("https://nonce.example:8443/token").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(DPOP_NONCE, "bad\"nonce".parse().unwrap());
        remember_nonce(&url, &headers);
        assert_eq!(nonce_for(&url), None);
        headers.insert(DPOP_NONCE, "eyJ7S_zG.eyJH0-Z.HX4w-7v".parse().unwrap());
        remember_nonce(&url, &headers);
        assert_eq!(nonce_for(&url).as_deref(), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        assert_eq!(nonce_for(&other), None);
    }
}
