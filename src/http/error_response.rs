//! What an API's error response says, on one line: a vendor's error envelope (the formats are
//! in docs/providers.md) or a `WWW-Authenticate: Bearer` challenge (RFC 6750 §3).

use reqwest::header::{HeaderMap, WWW_AUTHENTICATE};
use serde_json::{Map, Value};

use crate::error::one_line;

/// The parameters of a `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3), or of a
/// `DPoP ...` one, which has the same (RFC 9449 §7.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BearerChallenge {
    /// `invalid_request`, `invalid_token`, `insufficient_scope`.
    pub error: Option<String>,
    pub description: Option<String>,
    /// The scope the resource needs, space-separated.
    pub scope: Option<String>,
}

impl BearerChallenge {
    /// The first Bearer challenge among the response's `WWW-Authenticate` headers, else the
    /// first DPoP one.
    pub fn from_headers(headers: &HeaderMap) -> Option<BearerChallenge> {
        BearerChallenge::of_scheme(headers, "bearer")
            .or_else(|| BearerChallenge::of_scheme(headers, "dpop"))
    }

    /// The first challenge of `scheme` (lowercase) among the `WWW-Authenticate` headers.
    pub fn of_scheme(headers: &HeaderMap, scheme: &str) -> Option<BearerChallenge> {
        headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| parse_challenge(v, scheme))
    }

    /// `error: description`, or whichever of them there is.
    pub fn summary(&self) -> Option<String> {
        code_and_message(self.error.as_deref(), self.description.as_deref())
    }
}

/// `code: message`, or whichever of the two there is: how an error's code (`invalid_token`,
/// `E016`) and its words go on one line, in a challenge, a vendor's envelope or a token endpoint's
/// error.
pub fn code_and_message(code: Option<&str>, message: Option<&str>) -> Option<String> {
    match (code, message) {
        (Some(c), Some(m)) => Some(format!("{c}: {m}")),
        (Some(c), None) => Some(c.to_string()),
        (None, Some(m)) => Some(m.to_string()),
        (None, None) => None,
    }
}

/// Parses the Bearer challenge in one header value, which may hold several challenges
/// (`Basic realm="x", Bearer error="invalid_token"`).
pub fn parse_bearer_challenge(header: &str) -> Option<BearerChallenge> {
    parse_challenge(header, "bearer")
}

/// Parses the challenge of `scheme` (lowercase ASCII) in one header value.
fn parse_challenge(header: &str, scheme: &str) -> Option<BearerChallenge> {
    let start = scheme_at(header, scheme)?;
    let mut challenge = BearerChallenge::default();
    for (name, value) in params(&header[start + scheme.len()..]) {
        // `error=""` says nothing, and kept it would be an empty summary after a colon.
        if value.trim().is_empty() {
            continue;
        }
        match name.to_ascii_lowercase().as_str() {
            "error" => challenge.error = Some(value),
            "error_description" => challenge.description = Some(value),
            "scope" => challenge.scope = Some(value),
            _ => {}
        }
    }
    Some(challenge)
}

/// Where the word `scheme` (`bearer`, `dpop`) starts a challenge: first in the value or first
/// after a comma, outside quoted strings, and not a parameter name.
fn scheme_at(header: &str, scheme: &str) -> Option<usize> {
    let bytes = header.as_bytes();
    let word = scheme.as_bytes();
    let n = word.len();
    let (mut quoted, mut escaped, mut item_start) = (false, false, true);
    for (i, &b) in bytes.iter().enumerate() {
        if quoted {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => quoted = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => (quoted, item_start) = (true, false),
            b',' => item_start = true,
            b' ' | b'\t' => {}
            _ => {
                if item_start
                    && bytes[i..].len() >= n
                    && bytes[i..i + n].eq_ignore_ascii_case(word)
                    && matches!(bytes.get(i + n), None | Some(b' ' | b'\t' | b','))
                {
                    return Some(i);
                }
                item_start = false;
            }
        }
    }
    None
}

/// A token (RFC 9110 §5.6.2) and what follows it.
fn split_token(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| c.is_whitespace() || c == ',' || c == '=')
        .unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// `name=value` and `name="quoted \" value"` pairs, up to the next challenge's scheme.
fn params(mut rest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        let (name, after) = split_token(rest);
        let after = after.trim_start();
        let Some(after) = after.strip_prefix('=') else {
            // A word without '=' is the next challenge's scheme (or the end).
            return out;
        };
        let after = after.trim_start();
        let (value, after) = match after.strip_prefix('"') {
            Some(quoted) => read_quoted(quoted),
            None => {
                let end = after.find([',', ' ', '\t']).unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            }
        };
        out.push((name.to_string(), value));
        rest = after;
    }
}

/// The content of a quoted string whose opening quote is gone, and the text after its close.
fn read_quoted(text: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, next)) = chars.next() {
                    value.push(next);
                }
            }
            '"' => return (value, &text[i + 1..]),
            c => value.push(c),
        }
    }
    (value, "")
}

/// One line from a vendor's error body, or `None` when the body is not an envelope oauthctl knows:
/// - Strata Cloud Manager: `{"_errors":[{"code","message","details"}],"_request_id"}`
/// - IoT Security: `{"code":403,"msg":"..."}`
/// - SCIM 2 (Asgardeo): `{"schemas":[...],"detail":"...","status":"401","scimType"?}`
/// - SAP BTP: `{"error":{"code":11006,"message":"..."}}`
/// - RFC 6749 §5.2 style: `{"error":"...","error_description":"..."}`, and a bare `message`.
pub fn error_summary(body: &[u8]) -> Option<String> {
    let obj: Map<String, Value> = serde_json::from_slice(body).ok()?;
    let text = |v: Option<&Value>| -> Option<String> {
        match v? {
            Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    };
    let coded = |code: Option<String>, message: Option<String>| {
        code_and_message(code.as_deref(), message.as_deref())
    };
    let summary = if let Some(Value::Array(errors)) = obj.get("_errors") {
        let first = errors.first().and_then(Value::as_object);
        let mut line = first.and_then(|e| {
            coded(
                text(e.get("code")),
                text(e.get("message")).or_else(|| text(e.get("msg"))),
            )
        })?;
        if errors.len() > 1 {
            line.push_str(&format!(" (and {} more)", errors.len() - 1));
        }
        if let Some(id) = text(obj.get("_request_id")) {
            line.push_str(&format!(" [request id {id}]"));
        }
        Some(line)
    } else if let Some(Value::Object(error)) = obj.get("error") {
        coded(text(error.get("code")), text(error.get("message")))
    } else if let Some(msg) = text(obj.get("msg")) {
        // IoT's `code` repeats the HTTP status, which the line already has.
        Some(msg)
    } else if let Some(detail) = text(obj.get("detail")) {
        coded(text(obj.get("scimType")), Some(detail))
    } else if let Some(Value::String(_)) = obj.get("error") {
        coded(text(obj.get("error")), text(obj.get("error_description")))
    } else {
        coded(
            text(obj.get("code").filter(|code| code.is_string())),
            text(obj.get("message")),
        )
    }?;
    Some(one_line(&summary, 300))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_challenges() {
        let c = parse_bearer_challenge(
            r#"Bearer realm="example", error="invalid_token", error_description="The access token expired""#,
        )
        .unwrap();
        assert_eq!(c.error.as_deref(), Some("invalid_token"));
        assert_eq!(
            c.summary().as_deref(),
            Some("invalid_token: The access token expired")
        );
        let c = parse_bearer_challenge(
            r#"Basic realm="a, b", Bearer error="insufficient_scope", scope="internal_user_mgt_list internal_user_mgt_view""#,
        )
        .unwrap();
        assert_eq!(c.error.as_deref(), Some("insufficient_scope"));
        assert_eq!(
            c.scope.as_deref(),
            Some("internal_user_mgt_list internal_user_mgt_view")
        );
        let c =
            parse_bearer_challenge(r#"bearer error=invalid_token, error_description="say \"hi\"""#)
                .unwrap();
        assert_eq!(c.description.as_deref(), Some(r#"say "hi""#));
        assert_eq!(parse_bearer_challenge(r#"Basic realm="x""#), None);
        assert_eq!(
            parse_bearer_challenge("Negotiate abc==, Bearer").unwrap(),
            BearerChallenge::default()
        );
    }

    #[test]
    fn bearer_parameters_without_a_value_are_not_there() {
        // Found by fuzz/ (answer): `bearer error=` gave the summary "", printed as ` ()`.
        for header in [
            "bearer error=",
            r#"Bearer error="", error_description=" ", scope="""#,
        ] {
            let c = parse_bearer_challenge(header).unwrap();
            assert_eq!(c, BearerChallenge::default(), "{header}");
            assert_eq!(c.summary(), None, "{header}");
        }
        let c = parse_bearer_challenge(r#"Bearer error="", error_description="expired""#).unwrap();
        assert_eq!(c.summary().as_deref(), Some("expired"));
    }

    #[test]
    fn an_error_summary_is_never_blank() {
        // Found by fuzz/ (error_response): a blank code or error gave an empty summary, printed as
        // `answered 400 Bad Request: ` with nothing after the colon.
        assert_eq!(error_summary(br#"{"code":"    "}"#), None);
        assert_eq!(error_summary(br#"{"error":""}"#), None);
        assert_eq!(
            error_summary(br#"{"error":" ","error_description":"Bad credentials"}"#).as_deref(),
            Some("Bad credentials")
        );
    }

    #[test]
    fn an_error_summary_shows_control_characters_as_replacements() {
        // Found by fuzz/ (error_response): a DEL in an IoT `msg` went to stderr as sent; so would an
        // escape sequence that clears the screen or retitles the terminal.
        assert_eq!(
            error_summary(br#"{"code":403,"msg":"\u001b[2J\u001b]0;pwned\u0007Forbidden\u007f"}"#)
                .as_deref(),
            Some("\u{FFFD}[2J\u{FFFD}]0;pwned\u{FFFD}Forbidden\u{FFFD}")
        );
    }

    #[test]
    fn vendor_error_envelopes() {
        let cases: &[(&str, &str)] = &[
            (
                r#"{"_errors":[{"code":"API_I00013","message":"Your configuration is not valid. Please review the error message for more details.","details":{"errorType":"Object Not Present"}}],"_request_id":"8b3c-1"}"#,
                "API_I00013: Your configuration is not valid. Please review the error message for more details. [request id 8b3c-1]",
            ),
            (
                r#"{"_errors":[{"code":"E016","message":"Not Authenticated","details":{}},{"code":"E017","message":"x"}],"_request_id":"r"}"#,
                "E016: Not Authenticated (and 1 more) [request id r]",
            ),
            (
                r#"{"code":403,"msg":"Forbidden access. The tsg_id is not valid."}"#,
                "Forbidden access. The tsg_id is not valid.",
            ),
            (
                r#"{"schemas":"urn:ietf:params:scim:api:messages:2.0:Error","detail":"Authorization failure. Authorization information was invalid or missing from your request.","status":"401"}"#,
                "Authorization failure. Authorization information was invalid or missing from your request.",
            ),
            (
                r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"invalidFilter","detail":"Filter is not valid","status":"400"}"#,
                "invalidFilter: Filter is not valid",
            ),
            (
                r#"{"error":{"code":11006,"message":"Request rate limit exceeded.","target":"/accounts/v1"}}"#,
                "11006: Request rate limit exceeded.",
            ),
            (
                r#"{"error":"invalid_token","error_description":"Invalid access token"}"#,
                "invalid_token: Invalid access token",
            ),
            (r#"{"message":"Too many\n requests"}"#, "Too many requests"),
        ];
        for (body, want) in cases {
            assert_eq!(
                error_summary(body.as_bytes()).as_deref(),
                Some(*want),
                "{body}"
            );
        }
        assert_eq!(error_summary(b"<html>502</html>"), None);
        assert_eq!(error_summary(br#"{"data":[]}"#), None);
        assert_eq!(error_summary(b""), None);
    }
}
