//! The token endpoint's response: a token (RFC 6749 §5.1) or an error (§5.2), with the vendors'
//! deviations (docs/providers.md): `expires_in` as a string, `token_type` in any case, error bodies
//! that are not JSON at all; and the hints that say what to check after each kind of refusal.

use anyhow::{Result, anyhow};
use serde_json::{Map, Value};
use url::form_urlencoded;

use super::scrub::Scrubber;
use crate::error::{Failure, one_line};
use crate::http::error_response::code_and_message;
use crate::secret::Secret;

/// Response fields that are credentials; `-v` shows them as REDACTED.
pub(super) const TOKEN_FIELDS: &[&str] =
    &["access_token", "refresh_token", "id_token", "device_code"];

/// A successful token response.
#[derive(Debug)]
pub struct TokenResponse {
    /// Every field as received, `access_token` included, `refresh_token` taken out.
    pub fields: Map<String, Value>,
    /// `expires_in` in seconds, when the server gave one.
    pub expires_in: Option<u64>,
    /// The refresh token (RFC 6749 §5.1), kept apart so that nothing that prints or caches the
    /// fields can show it; only a profile that signs a person in keeps it (in the keyring).
    pub refresh_token: Option<Secret>,
}

/// The most of a token endpoint's response that oauthctl reads. A token response is a few
/// kilobytes; a bigger one is refused rather than held in memory and cached.
pub const MAX_RESPONSE: u64 = 1 << 20;

/// 400 and 401 are refusals (exit 3).
pub(super) fn is_refusal(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 400 | 401)
}

/// True when the response refuses the client's credentials: any 401, and a 400 saying
/// `invalid_client` (SCM) or `unauthorized`. A wrong user password (UAA's "Name or password
/// mismatch") is not: the client got past its check.
pub(super) fn refuses_client(status: reqwest::StatusCode, body: &[u8]) -> bool {
    let json: Option<Map<String, Value>> = serde_json::from_slice(body).ok();
    let field = |name: &str| {
        json.as_ref()
            .and_then(|b| b.get(name))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    if password_refused(json.as_ref()) {
        return false;
    }
    match status.as_u16() {
        401 => true,
        400 => matches!(field("error"), "invalid_client" | "unauthorized"),
        _ => false,
    }
}

/// The `error` of a token endpoint's JSON error response (RFC 6749 §5.2), if it has one.
pub(super) fn error_code(body: &[u8]) -> Option<String> {
    let json: Map<String, Value> = serde_json::from_slice(body).ok()?;
    json.get("error").and_then(Value::as_str).map(String::from)
}

/// SAP UAA's response to a wrong user password.
fn password_refused(body: Option<&Map<String, Value>>) -> bool {
    body.and_then(|b| b.get("error_description"))
        .and_then(Value::as_str)
        .is_some_and(|d| d.to_ascii_lowercase().contains("password mismatch"))
}

/// Reads the token endpoint's response. 400 and 401 are refusals (exit 3); anything else that is not
/// a 2xx with an `access_token` is a plain failure. Nothing of the body reaches a message or the
/// cache before the scrubber has scrubbed it.
pub fn parse_response(
    host: &str,
    profile: &str,
    status: reqwest::StatusCode,
    body: &[u8],
    scrubber: &Scrubber,
) -> Result<TokenResponse> {
    let json: Option<Map<String, Value>> = serde_json::from_slice(body).ok();
    let body_excerpt = || excerpt(&scrubber.scrub(&String::from_utf8_lossy(body)));
    // Scrubbed before it is put on one line: collapsing the whitespace of a secret that has some
    // would hide it from the scrubber.
    let error_detail = |obj| {
        error_detail(obj).map(|detail| format!(" {}", one_line(&scrubber.scrub(&detail), 300)))
    };
    if !status.is_success() {
        let detail = match &json {
            Some(obj) => error_detail(obj).unwrap_or_else(body_excerpt),
            None => body_excerpt(),
        };
        let message = format!(
            "token request to {host} failed: {}{}",
            status.as_u16(),
            detail
        );
        let invalid_grant = json
            .as_ref()
            .and_then(|obj| obj.get("error"))
            .and_then(Value::as_str)
            == Some("invalid_grant");
        return Err(if status.as_u16() == 400 && invalid_grant {
            // The grant itself is no longer good (a refresh token revoked or expired, a code used
            // twice): whoever asked decides what follows.
            Failure::GrantRefused(format!("{message}{}", refusal_hint(json.as_ref(), profile)))
                .into()
        } else if matches!(status.as_u16(), 400 | 401) {
            Failure::TokenRefused(format!("{message}{}", refusal_hint(json.as_ref(), profile)))
                .into()
        } else {
            anyhow!("{message}{}", failure_hint(status))
        });
    }
    let Some(mut fields) = json else {
        let (what, hint) = if body.iter().all(u8::is_ascii_whitespace) {
            ("an empty body".to_string(), NOT_A_TOKEN_ENDPOINT)
        } else if let Some(redacted) = redact_form_tokens(body) {
            // GitHub-style `access_token=...&token_type=bearer`: a token, in the wrong format.
            (
                format!(
                    "a form-encoded body, not JSON{}",
                    excerpt(&scrubber.scrub(&redacted))
                ),
                "\nhint: oauthctl reads token responses as JSON (RFC 6749 §5.1), and asks for it with Accept: application/json; this endpoint answers in another format",
            )
        } else {
            (
                format!("a body that is not JSON{}", body_excerpt()),
                NOT_A_TOKEN_ENDPOINT,
            )
        };
        return Err(anyhow!(
            "token request to {host} answered {} with {what}{hint}",
            status.as_u16(),
        ));
    };
    match fields.get("access_token") {
        Some(Value::String(token)) if !token.is_empty() => {
            if let Some(what) = not_a_token(token) {
                return Err(anyhow!(
                    "token request to {host} answered {} with an access_token that holds {what}; a token is visible ASCII only (RFC 6750 §2.1), so it was not used and is not shown\n\
                     hint: this is for the token endpoint's operator to fix; a token with line breaks or terminal escapes could add headers to a request or take over a terminal",
                    status.as_u16()
                ));
            }
        }
        _ => {
            let detail = error_detail(&fields).unwrap_or_default();
            return Err(anyhow!(
                "token request to {host} answered {} without an access_token{detail}{NOT_A_TOKEN_ENDPOINT}",
                status.as_u16()
            ));
        }
    }
    // Every field but the token may repeat the request (`scope`, `token_type` and `expires_in`
    // too), and is printed by `token --format json`, in a warning or an error, and cached. The
    // token itself is checked above instead: scrubbing it could corrupt it when a secret happens
    // to occur in it.
    let refresh_token = match fields.remove("refresh_token") {
        None | Some(Value::Null) => None,
        Some(Value::String(token)) if is_token(&token) => Some(Secret::new(token)),
        Some(_) => {
            return Err(anyhow!(
                "token request to {host} answered {} with a refresh_token that is not visible ASCII, so it was not used and is not shown\n\
                 hint: this is for the token endpoint's operator to fix",
                status.as_u16()
            ));
        }
    };
    let token_type = fields.get("token_type").cloned();
    scrubber.scrub_fields(&mut fields, &["access_token"]);
    if fields.get("token_type") != token_type.as_ref() {
        return Err(anyhow!(
            "token request to {host} answered {} with a token_type that repeats a credential, so the token was not used\n\
             hint: this is for the token endpoint's operator to fix",
            status.as_u16()
        ));
    }
    match fields.get("token_type") {
        None | Some(Value::Null) => {}
        Some(Value::String(scheme)) if scheme.is_empty() || is_auth_scheme(scheme) => {}
        Some(_) => {
            return Err(anyhow!(
                "token request to {host} answered {} with a token_type that is not an HTTP authentication scheme (such as Bearer), so the token was not used\n\
                 hint: this is for the token endpoint's operator to fix",
                status.as_u16()
            ));
        }
    }
    let expires_in = match fields.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(value) => Some(lifetime(value).ok_or_else(|| {
            anyhow!(
                "token request to {host} answered {} with expires_in {}, which is not a number of seconds\n\
                 hint: expires_in is the token's lifetime in seconds (RFC 6749 §5.1), as 3600 or \"3600\"; this is for the token endpoint's operator to fix",
                status.as_u16(),
                one_line(&value.to_string(), 100)
            )
        })?),
    };
    Ok(TokenResponse {
        fields,
        expires_in,
        refresh_token,
    })
}

/// `expires_in` as seconds: a number or a string of one, as SAP and some other servers send it.
/// A fraction is cut to whole seconds and a lifetime too long for a `u64` saturates (the cache
/// caps it further). Negative, non-numeric or non-finite values are `None`: a lifetime that
/// cannot be read cannot be trusted to say when to fetch again.
pub(super) fn lifetime(value: &Value) -> Option<u64> {
    let seconds = match value {
        Value::Number(n) => return n.as_u64().or_else(|| n.as_f64().and_then(whole_seconds)),
        Value::String(s) => s.trim(),
        _ => return None,
    };
    seconds
        .parse::<u64>()
        .ok()
        .or_else(|| seconds.parse::<f64>().ok().and_then(whole_seconds))
}

fn whole_seconds(f: f64) -> Option<u64> {
    // `as` saturates at u64::MAX; NaN and the infinities are not lifetimes.
    (f.is_finite() && f >= 0.0).then_some(f as u64)
}

/// True when `text` can be an access token: one or more visible ASCII characters (RFC 6750
/// §2.1's b64token, and the opaque tokens vendors issue, fit). Nothing else goes into a header,
/// an environment variable, the terminal or the cache: a line break would add a header to
/// `curl -H "$(oauthctl token --format header)"`, an escape would drive the terminal.
pub fn is_token(text: &str) -> bool {
    not_a_token(text).is_none()
}

/// What in `text` keeps it from being a token, in words that do not quote it.
pub(super) fn not_a_token(text: &str) -> Option<String> {
    if text.is_empty() {
        return Some("nothing".into());
    }
    let (at, c) = text
        .chars()
        .enumerate()
        .find(|(_, c)| !matches!(c, '\x21'..='\x7e'))?;
    let what = match c {
        '\r' | '\n' => "a line break",
        ' ' => "a space",
        '\0' => "a NUL byte",
        '\x1b' => "a terminal escape",
        c if c.is_control() => "a control character",
        c if c.is_whitespace() => "white space",
        _ => "a character that is not ASCII",
    };
    Some(format!(
        "{what} (character {} of {})",
        at + 1,
        text.chars().count()
    ))
}

/// True when `text` is an HTTP authentication scheme (RFC 9110 §11.1, a `token`): what
/// `token --format header` may put before the token.
pub fn is_auth_scheme(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A 2xx that is not a token response: most often `token_url` names a web page, not the endpoint.
const NOT_A_TOKEN_ENDPOINT: &str = "\nhint: check token_url: a token endpoint answers with a JSON object holding access_token (RFC 6749 §5.1)";

/// What to do about a failure that is not a refusal.
fn failure_hint(status: reqwest::StatusCode) -> &'static str {
    match status.as_u16() {
        404 | 405 => "\nhint: check token_url: this is not where the token endpoint is",
        500..=599 => {
            "\nhint: the token endpoint, or a proxy on the way to it, is failing; try again later"
        }
        _ => "",
    }
}

/// What to check after a refusal. SAP UAA answers a wrong user password with `unauthorized`
/// "Name or password mismatch" and a wrong client secret with `invalid_client` "Bad credentials"
/// (docs/providers.md §5): the two need different fixes.
fn refusal_hint(body: Option<&Map<String, Value>>, profile: &str) -> String {
    let field = |name: &str| {
        body.and_then(|b| b.get(name))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    let description = field("error_description").to_ascii_lowercase();
    if password_refused(body) {
        format!(
            "\nhint: the user name or password was wrong: check `username`, store the password again with `oauthctl secret set -p {profile} --password`, and with two-factor authentication add --passcode CODE"
        )
    } else if field("error") == "invalid_client"
        || description.contains("credentials")
        || description.contains("client authentication")
    {
        "\nhint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status`".into()
    } else if field("error") == "invalid_scope" {
        "\nhint: the client may not ask for that scope: check `scope` (for SCM, `tsg_id`)".into()
    } else {
        String::new()
    }
}

/// An RFC 6749 §5.2 error's `error` and `error_description` (plus a vendor's `resolution`), as
/// `<error>: <error_description> (<resolution>)` in the server's words (`parse_response` scrubs them
/// and puts them on one line).
pub(super) fn error_detail(obj: &Map<String, Value>) -> Option<String> {
    let code = obj.get("error").and_then(Value::as_str);
    let description = obj.get("error_description").and_then(Value::as_str);
    let mut out = code_and_message(code, description)?;
    if let Some(resolution) = obj.get("resolution").and_then(Value::as_str) {
        out.push_str(&format!(" ({resolution})"));
    }
    Some(out)
}

/// A form-encoded body holding a token field, with the token's value replaced; `None` for any
/// other body. Such a body is a token response in the wrong format: quoting it must not leak it.
pub(super) fn redact_form_tokens(body: &[u8]) -> Option<String> {
    let pairs: Vec<_> = form_urlencoded::parse(body).collect();
    if !pairs
        .iter()
        .any(|(k, _)| TOKEN_FIELDS.contains(&k.as_ref()))
    {
        return None;
    }
    let redacted = pairs.iter().map(|(k, v)| {
        let v = if TOKEN_FIELDS.contains(&k.as_ref()) {
            "REDACTED"
        } else {
            v.as_ref()
        };
        (k.as_ref(), v)
    });
    Some(
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(redacted)
            .finish(),
    )
}

/// A short, single-line excerpt of a body that is not what we expected.
pub(super) fn excerpt(text: &str) -> String {
    let line = one_line(text, 120);
    if line.is_empty() {
        return " (empty body)".into();
    }
    format!(" (body: {line})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::client_auth::ClientProof;
    use crate::oauth::grant::GrantProof;
    use crate::secret::Secret;
    use reqwest::StatusCode;

    /// The response of host `h` for profile `p`, to a request that carried no credential.
    fn parse_plain(status: StatusCode, body: &[u8]) -> Result<TokenResponse> {
        parse_response("h", "p", status, body, &Scrubber::default())
    }
    #[test]
    fn scm_invalid_client_is_a_refusal_with_its_description() {
        let body =
            br#"{"error_description":"Client authentication failed","error":"invalid_client"}"#;
        let err = parse_response(
            "auth.apps.paloaltonetworks.com",
            "p",
            StatusCode::BAD_REQUEST,
            body,
            &Scrubber::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "token request to auth.apps.paloaltonetworks.com failed: 400 invalid_client: Client authentication failed\n\
             hint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status`"
        );
        assert!(matches!(
            err.downcast_ref::<Failure>(),
            Some(Failure::TokenRefused(_))
        ));
    }

    #[test]
    fn expires_in_as_string_or_number() {
        let r = parse_plain(
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":"899"}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(899));
        let r = parse_plain(StatusCode::OK, br#"{"access_token":"t","expires_in":899}"#).unwrap();
        assert_eq!(r.expires_in, Some(899));
        let r = parse_plain(StatusCode::OK, br#"{"access_token":"t"}"#).unwrap();
        assert_eq!(r.expires_in, None);
        let r = parse_plain(
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":" 3600 "}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(3600));
    }

    #[test]
    fn expires_in_fractions_and_huge_values_are_whole_seconds() {
        for (value, seconds) in [
            ("899.7", 899),
            ("\"899.7\"", 899),
            ("1e30", u64::MAX),
            ("18446744073709551615", u64::MAX),
            ("\"1e30\"", u64::MAX),
            ("0", 0),
        ] {
            let body = format!(r#"{{"access_token":"t","expires_in":{value}}}"#);
            let r = parse_plain(StatusCode::OK, body.as_bytes()).unwrap();
            assert_eq!(r.expires_in, Some(seconds), "{value}");
        }
    }

    #[test]
    fn expires_in_that_is_no_lifetime_is_refused_naming_the_value() {
        for value in [
            "-5", "-0.5", "\"soon\"", "\"NaN\"", "\"inf\"", "\"\"", "true", "[3600]",
        ] {
            let body = format!(r#"{{"access_token":"t","expires_in":{value}}}"#);
            let err = parse_plain(StatusCode::OK, body.as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string().lines().next().unwrap(),
                format!(
                    "token request to h answered 200 with expires_in {value}, which is not a number of seconds"
                ),
            );
            assert!(
                err.downcast_ref::<Failure>().is_none(),
                "{value}: exit 1, not 3"
            );
        }
    }

    #[test]
    fn html_502_names_status_and_excerpt() {
        let err = parse_plain(
            StatusCode::BAD_GATEWAY,
            b"<html><body>\n<h1>502 Bad Gateway</h1></body></html>",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "token request to h failed: 502 (body: <html><body> <h1>502 Bad Gateway</h1></body></html>)\n\
             hint: the token endpoint, or a proxy on the way to it, is failing; try again later"
        );
        assert!(err.downcast_ref::<Failure>().is_none());
    }

    #[test]
    fn a_form_encoded_token_response_is_refused_without_quoting_the_token() {
        let err = parse_plain(
            StatusCode::OK,
            b"access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=&token_type=bearer",
        )
        .unwrap_err()
        .to_string();
        assert!(!err.contains("gho_"), "{err}");
        assert!(
            err.starts_with(
                "token request to h answered 200 with a form-encoded body, not JSON (body: access_token=REDACTED&scope=&token_type=bearer)"
            ),
            "{err}"
        );
    }

    #[test]
    fn the_servers_words_reach_the_terminal_on_one_line_without_control_characters() {
        let body = br#"{"error":"invalid_client","error_description":"bad\u001b]0;pwned\u0007\nhint: run rm -rf"}"#;
        let err = parse_plain(StatusCode::UNAUTHORIZED, body)
            .unwrap_err()
            .to_string();
        let first = err.lines().next().unwrap();
        assert_eq!(
            first,
            "token request to h failed: 401 invalid_client: bad\u{FFFD}]0;pwned\u{FFFD} hint: run rm -rf"
        );
        assert!(!err.contains('\u{1b}'), "{err:?}");
        let err = parse_plain(StatusCode::BAD_GATEWAY, b"oops\x1b[2J")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("token request to h failed: 502 (body: oops\u{FFFD}[2J)"),
            "{err:?}"
        );
    }

    #[test]
    fn a_secret_with_odd_whitespace_is_scrubbed_before_the_line_is_flattened() {
        let scrubber = Scrubber::of(
            "id",
            &ClientProof::Post(Secret::new("tab\there  two")),
            &GrantProof::ClientCredentials,
        );
        let body =
            br#"{"error":"invalid_client","error_description":"secret tab\there  two is wrong"}"#;
        let err = parse_response("h", "p", StatusCode::UNAUTHORIZED, body, &scrubber)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "token request to h failed: 401 invalid_client: secret REDACTED is wrong"
            ),
            "{err:?}"
        );
        assert!(!err.contains("there two"), "{err:?}");
    }

    #[test]
    fn ok_without_access_token_is_an_error() {
        let err = parse_plain(StatusCode::OK, br#"{"token_type":"bearer"}"#).unwrap_err();
        assert!(err.to_string().contains("without an access_token"), "{err}");
    }

    #[test]
    fn a_token_is_visible_ascii() {
        assert!(is_token("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
        assert!(is_token("decc891e-4bee-3831-a321-38b1db1fece0"));
        assert!(is_token("a~b+c/d=!#$%&'()*,:;<>?@[]^`{|}\"\\"));
        for (token, what) in [
            ("", "nothing"),
            ("abc\r\nX-Injected: yes", "a line break (character 4 of 20)"),
            ("ab c", "a space (character 3 of 4)"),
            ("ab\0", "a NUL byte (character 3 of 3)"),
            ("\x1b]0;x\x07", "a terminal escape (character 1 of 6)"),
            ("a\x7f", "a control character (character 2 of 2)"),
            ("tök", "a character that is not ASCII (character 2 of 3)"),
        ] {
            assert_eq!(not_a_token(token).as_deref(), Some(what), "{token:?}");
        }
        assert!(is_auth_scheme("Bearer") && is_auth_scheme("DPoP") && is_auth_scheme("N_A"));
        assert!(!is_auth_scheme("Bearer x") && !is_auth_scheme("B\r\nX: y") && !is_auth_scheme(""));
    }
}
