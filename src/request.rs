//! The parts of an API call that need no network: where it goes (RFC 3986 paths, RFC 6454
//! origins), the `-q` and `-H` items, whether and when to send it again (RFC 9110 §10.2.3
//! `Retry-After`), and one line that sums up an error answer: a vendor's error envelope
//! (../shared/providers.md) or a Bearer challenge (RFC 6750 §3).

use std::time::{Duration, SystemTime};

use anyhow::{Result, bail};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use serde_json::{Map, Value};
use url::{Url, form_urlencoded};

use crate::error::Failure;

/// The longest oauthctl waits before a retry, whatever the server asks.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// An HTTP method as typed, in any case. Methods are case-sensitive on the wire and every
/// registered one is upper case, so that is what is sent.
pub fn parse_method(text: &str) -> Result<Method> {
    Method::from_bytes(text.to_ascii_uppercase().as_bytes())
        .map_err(|_| Failure::Usage(format!("`{text}` is not an HTTP method")).into())
}

/// Where a call goes: a path joined to `api_base`, or an absolute URL whose origin is `api_base`'s
/// or one of `allowed`. Any other origin is refused before anything is sent, so that a typo in a
/// URL never hands the profile's token to a stranger.
pub fn resolve_target(
    profile: &str,
    target: &str,
    api_base: Option<&Url>,
    allowed: &[Url],
) -> Result<Url> {
    if !target.starts_with('/') {
        match Url::parse(target) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {
                check_origin(profile, &url, api_base, allowed)?;
                return Ok(url);
            }
            Ok(_) => {
                return Err(Failure::Usage(format!(
                    "`{target}` is neither a path nor an http(s) URL\nhint: start a path under api_base with /"
                ))
                .into());
            }
            // No scheme: a path without its leading slash.
            Err(_) => {}
        }
    }
    match api_base {
        Some(base) => Ok(join_path(base, target)),
        None => bail!(
            "profile {profile} has no api_base to join `{target}` to\nhint: set api_base in [profiles.{profile}], or give a full URL"
        ),
    }
}

/// `path` (with any query it carries) under `base`, keeping the path prefix `base` has:
/// `https://api.asgardeo.io/t/myorg` + `/scim2/Users` is `https://api.asgardeo.io/t/myorg/scim2/Users`.
/// Only the path and query are set on a copy of `base`, so nothing in `path` (`//host/x`, `..`)
/// can change the host.
pub fn join_path(base: &Url, path: &str) -> Url {
    let path = path.split('#').next().unwrap_or("");
    let (path, query) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let prefix = base.path().trim_end_matches('/');
    let joined = if path.starts_with('/') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    };
    let mut url = base.clone();
    url.set_path(&joined);
    url.set_query(query);
    url.set_fragment(None);
    url
}

fn check_origin(profile: &str, url: &Url, api_base: Option<&Url>, allowed: &[Url]) -> Result<()> {
    let origin = url.origin();
    if api_base
        .into_iter()
        .chain(allowed)
        .any(|u| u.origin() == origin)
    {
        return Ok(());
    }
    let mut known: Vec<String> = api_base
        .into_iter()
        .chain(allowed)
        .map(|u| u.origin().ascii_serialization())
        .collect();
    known.dedup();
    let known = if known.is_empty() {
        "the profile allows none".to_string()
    } else {
        format!("the profile allows {}", known.join(", "))
    };
    let shown = origin.ascii_serialization();
    Err(Failure::Usage(format!(
        "refusing to send profile {profile}'s token to {shown}: {known}\nhint: if {shown} is yours, add it to allowed_origins in [profiles.{profile}]"
    ))
    .into())
}

/// A `-q NAME=VALUE` item, split at the first `=`.
pub fn parse_query_item(item: &str) -> Result<(String, String)> {
    match item.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(Failure::Usage(format!("-q `{item}`: expected NAME=VALUE")).into()),
    }
}

/// Appends the items to the URL's query, after any query it already has. Both halves are
/// percent-encoded, a space as `%20` rather than the form encoding's `+`, which not every API
/// reads as a space (SCIM filters are full of spaces).
pub fn append_query(url: &mut Url, items: &[(String, String)]) {
    if items.is_empty() {
        return;
    }
    let added: Vec<String> = items
        .iter()
        .map(|(n, v)| format!("{}={}", encode_component(n), encode_component(v)))
        .collect();
    let query = match url.query().filter(|q| !q.is_empty()) {
        Some(existing) => format!("{existing}&{}", added.join("&")),
        None => added.join("&"),
    };
    url.set_query(Some(&query));
}

/// The value of the query parameter `name`, decoded; the last one when it is there twice.
pub fn query_value(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .filter(|(n, _)| n == name)
        .last()
        .map(|(_, v)| v.into_owned())
}

/// Sets the query parameters `items`: any already there of those names go, the rest of the query
/// stays as it was, byte for byte, and the items are appended as [`append_query`] does.
pub fn set_query(url: &mut Url, items: &[(String, String)]) {
    let replaced = |piece: &str| {
        let name = piece.split('=').next().unwrap_or("");
        let name: String = form_urlencoded::parse(name.as_bytes())
            .map(|(n, _)| n.into_owned())
            .collect();
        items.iter().any(|(n, _)| *n == name)
    };
    let kept: Vec<&str> = url
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|piece| !piece.is_empty() && !replaced(piece))
        .collect();
    let kept = kept.join("&");
    url.set_query((!kept.is_empty()).then_some(kept.as_str()));
    append_query(url, items);
}

fn encode_component(text: &str) -> String {
    // byte_serialize writes a literal '+' as %2B, so every '+' it leaves stands for a space.
    form_urlencoded::byte_serialize(text.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

/// A `-H` item, with curl's meanings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderItem {
    /// `Name: value`
    Set(HeaderName, HeaderValue),
    /// `Name:` with nothing after it: do not send that header (the profile's, or a default).
    Remove(HeaderName),
}

pub fn parse_header_item(item: &str) -> Result<HeaderItem> {
    let usage =
        |why: &str| -> anyhow::Error { Failure::Usage(format!("-H `{item}`: {why}")).into() };
    // curl: `Name;` sends the header with an empty value, which `Name:` cannot say.
    if let Some(name) = item.strip_suffix(';')
        && !name.contains(':')
    {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| usage("not a valid header name"))?;
        return Ok(HeaderItem::Set(name, HeaderValue::from_static("")));
    }
    let Some((name, value)) = item.split_once(':') else {
        return Err(usage("expected 'Name: value'"));
    };
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| usage("not a valid header name"))?;
    let value = value.trim();
    if value.is_empty() {
        return Ok(HeaderItem::Remove(name));
    }
    let value = HeaderValue::from_str(value).map_err(|_| usage("not a valid header value"))?;
    Ok(HeaderItem::Set(name, value))
}

/// Applies `-H` items over `headers` as curl does: the first item with a name replaces what the
/// profile or a default put there, later items with that name add to it.
pub fn apply_header_items(headers: &mut HeaderMap, items: Vec<HeaderItem>) {
    let mut seen: Vec<HeaderName> = Vec::new();
    for item in items {
        match item {
            HeaderItem::Set(name, value) => {
                if seen.contains(&name) {
                    headers.append(name, value);
                } else {
                    headers.insert(name.clone(), value);
                    seen.push(name);
                }
            }
            HeaderItem::Remove(name) => {
                headers.remove(&name);
                seen.push(name);
            }
        }
    }
}

/// When a failed answer is sent again.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// How many times an answer is retried (`--retries`).
    pub retries: u32,
    /// Retry methods that are not idempotent too (`--retry-all`).
    pub retry_all: bool,
}

/// What to do about one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retry {
    /// Send the request again after this long.
    After(Duration),
    /// The status is one that is retried, but not this time; the reason goes in the status line.
    No(String),
    /// Not a status that is retried.
    NotRetryable,
}

impl RetryPolicy {
    /// Decides about an answer `status` to `method`, when `done` retries have been sent already.
    /// `retry_after` is the server's `Retry-After`, `jitter` a number in [0, 1).
    pub fn decide(
        &self,
        method: &Method,
        status: StatusCode,
        retry_after: Option<Duration>,
        done: u32,
        jitter: f64,
    ) -> Retry {
        // Overload and gateway trouble pass; other errors would only repeat.
        if !matches!(status.as_u16(), 429 | 502 | 503 | 504) {
            return Retry::NotRetryable;
        }
        if !self.retry_all && !is_idempotent(method) {
            return Retry::No(format!(
                "a {method} is not sent again without --retry-all, as the server may have acted on it"
            ));
        }
        if done >= self.retries {
            return Retry::No(match done {
                0 => "--retries is 0".to_string(),
                1 => "after 1 retry".to_string(),
                n => format!("after {n} retries"),
            });
        }
        match retry_after {
            Some(wait) if wait > MAX_WAIT => Retry::No(format!(
                "Retry-After asks for {} s, longer than the {} s oauthctl waits",
                wait.as_secs(),
                MAX_WAIT.as_secs()
            )),
            Some(wait) => Retry::After(wait),
            None => Retry::After(backoff(done, jitter)),
        }
    }
}

/// Methods that mean the same when sent twice (RFC 9110 §9.2.2), so a retry is safe.
pub fn is_idempotent(method: &Method) -> bool {
    [
        Method::GET,
        Method::HEAD,
        Method::PUT,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .contains(method)
}

/// Exponential backoff with "equal jitter": retry n waits between 2^n/2 and 2^n seconds, at most
/// [`MAX_WAIT`], so that clients that failed together do not come back together.
pub fn backoff(done: u32, jitter: f64) -> Duration {
    let full = Duration::from_secs(1u64 << done.min(6)).min(MAX_WAIT);
    full / 2 + full.mul_f64(jitter.clamp(0.0, 1.0) / 2.0)
}

/// A number in [0, 1) from the clock's nanoseconds and the process id: enough to spread out
/// retries, without a random number generator for one line.
pub fn jitter() -> f64 {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mixed = (u64::from(nanos) ^ (u64::from(std::process::id()) << 17))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> 11) as f64 / (1u64 << 53) as f64
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP date (RFC 9110 §10.2.3). A date in the past
/// is no wait; a value that is neither is ignored.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The parameters of a `WWW-Authenticate: Bearer ...` challenge (RFC 6750 §3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BearerChallenge {
    /// `invalid_request`, `invalid_token`, `insufficient_scope`.
    pub error: Option<String>,
    pub description: Option<String>,
    /// The scope the resource needs, space-separated.
    pub scope: Option<String>,
}

impl BearerChallenge {
    /// The first Bearer challenge among the response's `WWW-Authenticate` headers.
    pub fn from_headers(headers: &HeaderMap) -> Option<BearerChallenge> {
        headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(parse_bearer_challenge)
    }

    /// `error: description`, or whichever of them there is.
    pub fn summary(&self) -> Option<String> {
        match (&self.error, &self.description) {
            (Some(e), Some(d)) => Some(format!("{e}: {d}")),
            (Some(e), None) => Some(e.clone()),
            (None, Some(d)) => Some(d.clone()),
            (None, None) => None,
        }
    }
}

/// Parses the Bearer challenge in one header value, which may hold several challenges
/// (`Basic realm="x", Bearer error="invalid_token"`).
pub fn parse_bearer_challenge(header: &str) -> Option<BearerChallenge> {
    let start = bearer_scheme_at(header)?;
    let mut challenge = BearerChallenge::default();
    for (name, value) in params(&header[start + "bearer".len()..]) {
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

/// Where the word `Bearer` starts a challenge: first in the value or first after a comma, outside
/// quoted strings, and not a parameter name.
fn bearer_scheme_at(header: &str) -> Option<usize> {
    let bytes = header.as_bytes();
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
                    && bytes[i..].len() >= 6
                    && bytes[i..i + 6].eq_ignore_ascii_case(b"bearer")
                    && matches!(bytes.get(i + 6), None | Some(b' ' | b'\t' | b','))
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
    let coded = |code: Option<String>, message: Option<String>| match (code, message) {
        (Some(c), Some(m)) => Some(format!("{c}: {m}")),
        (None, Some(m)) => Some(m),
        (Some(c), None) => Some(c),
        (None, None) => None,
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

/// Whitespace collapsed, cut at `max` characters. The text is the server's and goes to a terminal:
/// a control character (an escape sequence would recolour or rewrite the screen) is shown as �.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn paths_join_under_the_base_keeping_its_prefix() {
        let scm = url("https://api.strata.paloaltonetworks.com");
        assert_eq!(
            join_path(&scm, "/config/security/v1/security-rules?folder=Shared").as_str(),
            "https://api.strata.paloaltonetworks.com/config/security/v1/security-rules?folder=Shared"
        );
        for base in [
            "https://api.asgardeo.io/t/myorg",
            "https://api.asgardeo.io/t/myorg/",
        ] {
            for path in ["/scim2/Users", "scim2/Users"] {
                assert_eq!(
                    join_path(&url(base), path).as_str(),
                    "https://api.asgardeo.io/t/myorg/scim2/Users",
                    "{base} + {path}"
                );
            }
        }
    }

    #[test]
    fn a_path_cannot_change_the_host() {
        let base = url("https://api.example.com/t/org");
        let joined = join_path(&base, "//evil.example/x");
        assert_eq!(joined.host_str(), Some("api.example.com"));
        let joined = join_path(&base, "/../../x#frag");
        assert_eq!(joined.host_str(), Some("api.example.com"));
        assert_eq!(joined.fragment(), None);
    }

    #[test]
    fn absolute_urls_need_an_allowed_origin() {
        let base = url("https://api.strata.paloaltonetworks.com");
        let allowed = [url("https://accounts.example.com")];
        let ok = |t: &str| resolve_target("p", t, Some(&base), &allowed);
        assert!(ok("https://api.strata.paloaltonetworks.com/x").is_ok());
        assert!(ok("https://api.strata.paloaltonetworks.com:443/x").is_ok());
        assert!(ok("https://accounts.example.com/v1/x").is_ok());
        for foreign in [
            "https://api.strata.paloaltonetworks.com.evil.example/x",
            "http://api.strata.paloaltonetworks.com/x",
            "https://api.strata.paloaltonetworks.com:8443/x",
            "https://accounts.example.com.evil/x",
        ] {
            let err = ok(foreign).unwrap_err();
            assert!(
                matches!(err.downcast_ref::<Failure>(), Some(Failure::Usage(_))),
                "{foreign}"
            );
            assert!(err.to_string().starts_with("refusing to send"), "{err}");
        }
        let err = ok("ftp://api.strata.paloaltonetworks.com/x").unwrap_err();
        assert!(err.to_string().contains("neither a path nor"), "{err}");
        let err = resolve_target("p", "/x", None, &[]).unwrap_err();
        assert!(err.to_string().contains("has no api_base"), "{err}");
    }

    #[test]
    fn set_query_replaces_parameters_and_keeps_the_rest_as_it_was() {
        let mut u =
            url("https://api.example.com/x?filter=userName%20sw%20ki&offset=5&limit=2&offset=9");
        assert_eq!(query_value(&u, "offset").as_deref(), Some("9"));
        assert_eq!(query_value(&u, "filter").as_deref(), Some("userName sw ki"));
        assert_eq!(query_value(&u, "count"), None);
        let items = [("offset".to_string(), "200".to_string())];
        set_query(&mut u, &items);
        assert_eq!(
            u.query(),
            Some("filter=userName%20sw%20ki&limit=2&offset=200")
        );
        let mut u = url("https://api.example.com/x?offset=1");
        set_query(&mut u, &items);
        assert_eq!(u.query(), Some("offset=200"));
    }

    #[test]
    fn query_items_are_percent_encoded_after_the_existing_query() {
        let mut u = url("https://api.example.com/x?folder=Shared");
        let items: Vec<(String, String)> = [
            "position=pre",
            "filter=userName sw ki",
            "tsg=tsg_id:1",
            "a+b=c&d=e",
            "empty=",
        ]
        .iter()
        .map(|i| parse_query_item(i).unwrap())
        .collect();
        append_query(&mut u, &items);
        assert_eq!(
            u.query(),
            Some(
                "folder=Shared&position=pre&filter=userName%20sw%20ki&tsg=tsg_id%3A1&a%2Bb=c%26d%3De&empty="
            )
        );
        assert!(parse_query_item("novalue").is_err());
        assert!(parse_query_item("=v").is_err());
    }

    #[test]
    fn header_items_follow_curl() {
        let set = |n: &'static str, v: &'static str| {
            HeaderItem::Set(HeaderName::from_static(n), HeaderValue::from_static(v))
        };
        assert_eq!(
            parse_header_item("Accept:  application/scim+json ").unwrap(),
            set("accept", "application/scim+json")
        );
        assert_eq!(parse_header_item("X-Empty;").unwrap(), set("x-empty", ""));
        assert_eq!(
            parse_header_item("Accept:").unwrap(),
            HeaderItem::Remove(HeaderName::from_static("accept"))
        );
        assert!(parse_header_item("no colon").is_err());
        assert!(parse_header_item("Bad Name: x").is_err());

        let mut headers = HeaderMap::new();
        headers.insert("x-profile", HeaderValue::from_static("p"));
        headers.insert("accept", HeaderValue::from_static("application/json"));
        apply_header_items(
            &mut headers,
            vec![
                set("x-profile", "one"),
                set("x-profile", "two"),
                HeaderItem::Remove(HeaderName::from_static("accept")),
            ],
        );
        let values: Vec<_> = headers.get_all("x-profile").iter().collect();
        assert_eq!(values, ["one", "two"]);
        assert!(!headers.contains_key("accept"));
    }

    #[test]
    fn methods_in_any_case() {
        assert_eq!(parse_method("get").unwrap(), Method::GET);
        assert_eq!(parse_method("Patch").unwrap(), Method::PATCH);
        assert_eq!(parse_method("propfind").unwrap().as_str(), "PROPFIND");
        assert!(parse_method("GE T").is_err());
    }

    #[test]
    fn retry_policy() {
        let policy = RetryPolicy {
            retries: 2,
            retry_all: false,
        };
        let s = |c: u16| StatusCode::from_u16(c).unwrap();
        let wait = Some(Duration::from_secs(1));
        assert_eq!(
            policy.decide(&Method::GET, s(429), wait, 0, 0.5),
            Retry::After(Duration::from_secs(1))
        );
        for code in [502, 503, 504] {
            assert!(matches!(
                policy.decide(&Method::DELETE, s(code), None, 1, 0.0),
                Retry::After(_)
            ));
        }
        for code in [400, 401, 403, 404, 500, 501] {
            assert_eq!(
                policy.decide(&Method::GET, s(code), None, 0, 0.0),
                Retry::NotRetryable
            );
        }
        assert!(matches!(
            policy.decide(&Method::POST, s(503), None, 0, 0.0),
            Retry::No(why) if why.contains("--retry-all")
        ));
        assert!(matches!(
            policy.decide(&Method::PATCH, s(429), None, 0, 0.0),
            Retry::No(_)
        ));
        assert_eq!(
            policy.decide(&Method::GET, s(503), None, 2, 0.0),
            Retry::No("after 2 retries".into())
        );
        assert!(matches!(
            policy.decide(&Method::GET, s(429), Some(Duration::from_secs(3600)), 0, 0.0),
            Retry::No(why) if why.contains("3600 s")
        ));
        let all = RetryPolicy {
            retries: 2,
            retry_all: true,
        };
        assert!(matches!(
            all.decide(&Method::POST, s(503), None, 0, 0.0),
            Retry::After(_)
        ));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        assert_eq!(backoff(0, 0.0), Duration::from_millis(500));
        assert_eq!(backoff(0, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(3, 0.0), Duration::from_secs(4));
        assert_eq!(backoff(3, 1.0), Duration::from_secs(8));
        assert_eq!(backoff(40, 1.0), MAX_WAIT);
        for _ in 0..100 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j), "{j}");
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

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
        // Found by fuzz/ (answer): a blank code or error gave an empty summary, printed as
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
        // Found by fuzz/ (answer): a DEL in an IoT `msg` went to stderr as sent; so would an
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
