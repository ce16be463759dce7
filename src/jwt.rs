//! Reading a JWT (RFC 7519) without verifying it: for `oauthctl inspect`, which shows a person
//! what a token says (scopes, tenant, expiry). Nothing here decides whether to trust a token.

use anyhow::{Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// What a token turned out to be.
#[derive(Debug, PartialEq)]
pub enum Decoded {
    /// A JWS compact serialization: its header and claims.
    Jwt {
        header: Map<String, Value>,
        claims: Map<String, Value>,
    },
    /// Anything else (Asgardeo's UUIDs, reference tokens): only its length is known.
    Opaque { length: usize },
}

/// Decodes `token`. Three dot-separated parts make a JWT, and then each part must be base64url
/// JSON; a token without two dots is opaque, which is not an error.
pub fn decode(token: &str) -> Result<Decoded> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Ok(Decoded::Opaque {
            length: token.chars().count(),
        });
    }
    let header = part(parts[0], "header")?;
    let claims = part(parts[1], "claims")?;
    Ok(Decoded::Jwt { header, claims })
}

/// Most broken JWTs were cut or wrapped on the way from wherever they were copied.
const COPY_HINT: &str = "\nhint: a JWT is three base64url parts joined by dots (header.claims.signature); check that the whole token was copied, without line breaks or quotes";

fn part(text: &str, name: &str) -> Result<Map<String, Value>> {
    decode_part(text, name).map_err(|err| anyhow!("{err}{COPY_HINT}"))
}

fn decode_part(text: &str, name: &str) -> Result<Map<String, Value>> {
    // Some issuers pad; base64url without padding is the rule (RFC 7515 §2).
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|err| {
            let why = match err {
                base64::DecodeError::InvalidByte(at, byte) => format!(
                    "{:?} at position {} is not a base64url character",
                    char::from(byte),
                    at + 1
                ),
                base64::DecodeError::InvalidLastSymbol { .. }
                | base64::DecodeError::InvalidLength(_) => {
                    "its length is impossible for base64url (cut short, or a character too many)"
                        .to_string()
                }
                other => other.to_string(),
            };
            anyhow!("the JWT's {name} is not base64url: {why}")
        })?;
    let value: Value = serde_json::from_slice(&bytes)
        .map_err(|err| anyhow!("the JWT's {name} is not JSON: {err}"))?;
    match value {
        Value::Object(map) => Ok(map),
        _ => bail!("the JWT's {name} is JSON but not an object"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn decodes_header_and_claims() {
        let token = format!(
            "{}.{}.sig",
            b64(r#"{"alg":"RS256"}"#),
            b64(r#"{"sub":"sa","exp":1}"#)
        );
        let Decoded::Jwt { header, claims } = decode(&token).unwrap() else {
            panic!("not a JWT")
        };
        assert_eq!(header["alg"], "RS256");
        assert_eq!(claims["exp"], 1);
    }

    #[test]
    fn opaque_token_is_not_an_error() {
        assert_eq!(
            decode("decc891e-4bee-3831-a321-38b1db1fece0").unwrap(),
            Decoded::Opaque { length: 36 }
        );
    }

    #[test]
    fn garbage_is_a_clear_error_never_a_panic() {
        for bad in [
            "a.b.c",
            "!!!.e30.x",
            "e30.!!!.x",
            "bnVsbA.e30.x",
            "..",
            "e30..",
            "\u{1F600}.\u{1F600}.x",
        ] {
            let err = decode(bad).unwrap_err().to_string();
            assert!(err.starts_with("the JWT's "), "{bad}: {err}");
        }
    }
}
