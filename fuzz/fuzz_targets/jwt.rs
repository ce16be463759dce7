//! The JWT decoder of `oauthctl inspect`: `jwt::decode` over arbitrary UTF-8.
//!
//! Properties: three dot-separated parts make a JWT or an error that says which part is wrong
//! (`the JWT's header ...`); anything else is opaque, with its length in characters. And when the
//! input is two lines, each a JSON object, the token made of them (base64url, with and without
//! padding, with a signature or none, with whitespace around it) decodes to those two objects:
//! the base64url layer is transparent.

#![no_main]

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use libfuzzer_sys::fuzz_target;
use oauthctl::jwt::{Decoded, decode};
use serde_json::{Map, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check_decode(text);
    if let Some((header, claims)) = text.split_once('\n') {
        round_trip(header, claims);
    }
});

fn check_decode(token: &str) {
    let trimmed = token.trim();
    let jwt_shaped = trimmed.split('.').count() == 3;
    match decode(token) {
        Ok(Decoded::Jwt { .. }) => assert!(jwt_shaped),
        Ok(Decoded::Opaque { length }) => {
            assert!(!jwt_shaped);
            assert_eq!(length, trimmed.chars().count());
        }
        Err(err) => {
            assert!(jwt_shaped);
            let msg = err.to_string();
            assert!(
                msg.starts_with("the JWT's header ") || msg.starts_with("the JWT's claims "),
                "{msg}"
            );
        }
    }
}

fn round_trip(header: &str, claims: &str) {
    let (Ok(h), Ok(c)) = (
        serde_json::from_str::<Map<String, Value>>(header),
        serde_json::from_str::<Map<String, Value>>(claims),
    ) else {
        return;
    };
    let want = Decoded::Jwt {
        header: h,
        claims: c,
    };
    for engine in [&URL_SAFE_NO_PAD, &URL_SAFE] {
        let (h64, c64) = (engine.encode(header), engine.encode(claims));
        for token in [
            format!("{h64}.{c64}.c2lnbmF0dXJl"),
            // An unsecured JWT (RFC 7519 §6) has an empty signature.
            format!("{h64}.{c64}."),
            format!("\n {h64}.{c64}.sig\t\r\n"),
        ] {
            assert_eq!(decode(&token).unwrap(), want, "{token}");
        }
    }
}
