//! `token -v`: the token request and response on stderr, with the secrets of the request and the
//! tokens of the response replaced by `REDACTED`.

use reqwest::blocking::Request;
use serde_json::{Map, Value};
use url::form_urlencoded;

use super::response::{TOKEN_FIELDS, excerpt, redact_form_tokens};
use super::scrub::Scrubber;
use crate::http::verbose;

/// Form fields whose values are secret; `-v` shows them as REDACTED.
const SECRET_FIELDS: &[&str] = &[
    "client_secret",
    "password",
    "refresh_token",
    "assertion",
    "client_assertion",
    "code",
    "code_verifier",
    "token",
    "device_code",
];

/// `-v`: the token request's head and body, with its secret fields replaced.
pub(super) fn show_request(request: &Request) {
    verbose::request_head(request);
    if let Some(body) = request.body().and_then(|b| b.as_bytes()) {
        eprintln!(">\n> {}", redact_request_body(body));
    }
}

/// The request body with secret fields replaced, form or JSON.
fn redact_request_body(body: &[u8]) -> String {
    if let Ok(mut obj) = serde_json::from_slice::<Map<String, Value>>(body) {
        for field in SECRET_FIELDS {
            if let Some(v) = obj.get_mut(*field) {
                *v = Value::from("REDACTED");
            }
        }
        return Value::Object(obj).to_string();
    }
    let pairs = form_urlencoded::parse(body).map(|(k, v)| {
        let v = if SECRET_FIELDS.contains(&k.as_ref()) {
            "REDACTED".into()
        } else {
            v
        };
        (k, v)
    });
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// `-v`: the token response's body, with its tokens replaced and the request's credentials cut
/// out.
pub(super) fn show_body(body: &[u8], scrubber: &Scrubber) {
    let shown = match serde_json::from_slice::<Map<String, Value>>(body) {
        Ok(mut obj) => {
            for field in TOKEN_FIELDS {
                if let Some(v) = obj.get_mut(*field) {
                    *v = Value::from("REDACTED");
                }
            }
            // Field by field first, so that a short secret hides one field, not the whole body.
            scrubber.scrub_fields(&mut obj, &[]);
            scrubber.scrub(&Value::Object(obj).to_string())
        }
        Err(_) => match redact_form_tokens(body) {
            Some(redacted) => excerpt(&scrubber.scrub(&redacted)),
            None => excerpt(&scrubber.scrub(&String::from_utf8_lossy(body))),
        }
        .trim_start()
        .to_string(),
    };
    eprintln!("<\n< {shown}");
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn request_bodies_are_redacted() {
        assert_eq!(
            redact_request_body(
                b"grant_type=client_credentials&client_id=a&client_secret=s3cr%26t"
            ),
            "grant_type=client_credentials&client_id=a&client_secret=REDACTED"
        );
        let json = redact_request_body(br#"{"client_id":"a","client_secret":"s3cr"}"#);
        assert!(!json.contains("s3cr"), "{json}");
    }
}
