//! The token request: OAuth 2.0 client credentials (RFC 6749 §4.4), its response (§5.1) and its
//! errors (§5.2), with the vendors' deviations from ../shared/providers.md: SCM's JSON body style,
//! `expires_in` as a string, `token_type` in any case, and error bodies that are not JSON at all.

use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use reqwest::blocking::{Client, Request};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde_json::{Map, Value};
use url::{Url, form_urlencoded};

use crate::error::Failure;
use crate::profile::{ClientAuth, Grant, Profile};
use crate::secret::Secret;
use crate::verbose;

/// Form fields whose values are secret; `-v` shows them as REDACTED.
const SECRET_FIELDS: &[&str] = &["client_secret", "password", "refresh_token", "assertion"];
/// Response fields that are credentials; `-v` shows them as REDACTED.
const TOKEN_FIELDS: &[&str] = &["access_token", "refresh_token", "id_token"];

/// A successful token response.
#[derive(Debug)]
pub struct TokenResponse {
    /// Every field as received, `access_token` included.
    pub fields: Map<String, Value>,
    /// `expires_in` in seconds, when the server gave one.
    pub expires_in: Option<u64>,
}

/// What the token request proves itself with. Each is read only when the request needs it.
#[derive(Debug, Default)]
pub struct Credentials {
    /// The client secret (client_auth basic, post, json).
    pub client_secret: Option<Secret>,
    /// The user's password, passcode appended (password grant).
    pub password: Option<Secret>,
    /// Client certificate and private key, PEM (mutual TLS).
    pub tls_identity: Option<Secret>,
}

/// Builds the HTTP client for the token endpoint: no redirects (a redirected token request would
/// hand the client secret to wherever it points), connect timeout 10 s, proxies from the
/// environment, the profile's extra roots, and a client certificate for mutual TLS.
pub fn client(
    profile: &Profile,
    timeout: Duration,
    tls_identity: Option<&Secret>,
) -> Result<Client> {
    let mut builder = base_builder(timeout)?;
    if let Some(path) = &profile.ca_file {
        let name = &profile.name;
        let shown = path.display();
        let pem = std::fs::read(path)
            .with_context(|| format!("profile {name}: cannot read ca_file {shown}"))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).with_context(|| {
            format!("profile {name}: ca_file {shown} holds no PEM certificates")
        })?;
        builder = builder.tls_certs_merge(certs);
    }
    if let Some(pem) = tls_identity {
        // The error from a bad key could quote it; say only what is wrong.
        let identity = reqwest::Identity::from_pem(pem.expose().as_bytes()).map_err(|_| {
            anyhow!(
                "profile {}: the client certificate or its private key is not valid PEM (a certificate chain and a PKCS#8, PKCS#1 or SEC1 key)",
                profile.name
            )
        })?;
        builder = builder.identity(identity);
    }
    builder.build().context("cannot set up the HTTP client")
}

/// [`client`] for requests to `url`, without TLS when nothing on the way to `url` uses it: a
/// plain-http (loopback) URL, no client certificate, no https proxy. Setting up TLS reads and
/// parses every root certificate of the system (rustls-native-certs), which was nine tenths of
/// the instructions of a warm `oauthctl call` to a loopback API (BENCHMARKS.md, row 3); curl does
/// not read them for an http URL either.
pub fn client_for(
    url: &Url,
    profile: &Profile,
    timeout: Duration,
    tls_identity: Option<&Secret>,
) -> Result<Client> {
    if url.scheme() == "https" || tls_identity.is_some() || proxy_uses_tls() {
        return client(profile, timeout, tls_identity);
    }
    // No roots at all: an https connection through this client could not be verified, and
    // none is made through it.
    base_builder(timeout)?
        .tls_certs_only([])
        .build()
        .context("cannot set up the HTTP client")
}

/// What every client does: no redirects of its own (`call -L` follows them itself), the time
/// limits, the user agent, and `$OAUTHCTL_RESOLVE`.
fn base_builder(timeout: Duration) -> Result<reqwest::blocking::ClientBuilder> {
    let builder = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(timeout)
        .user_agent(concat!("oauthctl/", env!("CARGO_PKG_VERSION")));
    with_resolve_overrides(builder)
}

/// True when a proxy for plain-http URLs is itself reached over https.
fn proxy_uses_tls() -> bool {
    ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
        .iter()
        .filter_map(std::env::var_os)
        .any(|v| {
            v.to_str()
                .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("https:"))
        })
}

/// `$OAUTHCTL_RESOLVE=HOST=IP:PORT[,HOST=IP:PORT...]` sends connections for HOST to IP:PORT, as
/// curl's `--connect-to` does: for trying a staging address, and for the tests, which check each
/// preset's real host name on the wire against a local server. TLS still verifies HOST.
pub fn with_resolve_overrides(
    mut builder: reqwest::blocking::ClientBuilder,
) -> Result<reqwest::blocking::ClientBuilder> {
    let Some(spec) = std::env::var("OAUTHCTL_RESOLVE")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        return Ok(builder);
    };
    for item in spec.split(',') {
        let (host, addr) = item
            .split_once('=')
            .and_then(|(h, a)| Some((h.trim(), a.trim().parse::<std::net::SocketAddr>().ok()?)))
            .ok_or_else(|| anyhow!("OAUTHCTL_RESOLVE item `{item}` is not HOST=IP:PORT"))?;
        builder = builder.resolve(host, addr);
    }
    Ok(builder)
}

/// Sends the token request and returns the token response, or a [`Failure::TokenRefused`] when
/// the endpoint says no.
pub fn fetch(
    client: &Client,
    profile: &Profile,
    creds: &Credentials,
    verbose: bool,
) -> Result<TokenResponse> {
    let request = build_request(client, profile, creds)?;
    if verbose {
        show_request(&request);
    }
    let host = profile.token_host();
    let response = client.execute(request).map_err(|err| {
        anyhow!(
            "token request to {host} failed: {}",
            describe_reqwest_error(&err)
        )
    })?;
    if verbose {
        verbose::response_head(&response);
    }
    let status = response.status();
    let body = response.bytes().map_err(|err| {
        anyhow!(
            "token request to {host} failed while reading the answer: {}",
            describe_reqwest_error(&err)
        )
    })?;
    if verbose {
        show_body(&body);
    }
    parse_response(&host, status, &body)
}

fn build_request(client: &Client, profile: &Profile, creds: &Credentials) -> Result<Request> {
    let mut fields: Vec<(&str, &str)> = vec![("grant_type", profile.grant.as_str())];
    if profile.grant == Grant::Password {
        let user = profile.username.as_deref().unwrap_or_default();
        let password = creds
            .password
            .as_ref()
            .ok_or_else(|| anyhow!("no password was read"))?;
        fields.push(("username", user));
        fields.push(("password", password.expose()));
    }
    if let Some(scope) = &profile.scope {
        fields.push(("scope", scope));
    }
    for (k, v) in &profile.extra_params {
        fields.push((k, v));
    }
    let secret = || {
        creds
            .client_secret
            .as_ref()
            .ok_or_else(|| anyhow!("no client secret was read"))
    };
    let mut builder = client
        .post(profile.token_url.clone())
        .header(ACCEPT, "application/json");
    builder = match profile.client_auth {
        ClientAuth::Basic => {
            // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined.
            let id: String =
                form_urlencoded::byte_serialize(profile.client_id.as_bytes()).collect();
            let pw: String =
                form_urlencoded::byte_serialize(secret()?.expose().as_bytes()).collect();
            builder
                .basic_auth(id, Some(pw))
                .header(CONTENT_TYPE, FORM)
                .body(form(&fields))
        }
        ClientAuth::Post => {
            fields.push(("client_id", &profile.client_id));
            fields.push(("client_secret", secret()?.expose()));
            builder.header(CONTENT_TYPE, FORM).body(form(&fields))
        }
        ClientAuth::Json => {
            fields.push(("client_id", &profile.client_id));
            fields.push(("client_secret", secret()?.expose()));
            let object: Map<String, Value> = fields
                .iter()
                .map(|(k, v)| (k.to_string(), Value::from(*v)))
                .collect();
            builder
                .header(CONTENT_TYPE, "application/json")
                .body(serde_json::to_vec(&object)?)
        }
        ClientAuth::Tls => {
            // RFC 8705 §2: the certificate authenticates the client; the id goes in the form.
            fields.push(("client_id", &profile.client_id));
            builder.header(CONTENT_TYPE, FORM).body(form(&fields))
        }
    };
    let mut request = builder.build().context("cannot build the token request")?;
    // A preset's headers replace the defaults above (SaaS Security documents its own charset).
    for (name, value) in &profile.token_headers {
        request.headers_mut().insert(
            reqwest::header::HeaderName::from_bytes(name.as_bytes())?,
            HeaderValue::from_str(value)?,
        );
    }
    Ok(request)
}

const FORM: &str = "application/x-www-form-urlencoded";

fn form(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

/// Reads the token endpoint's answer. 400 and 401 are refusals (exit 3); anything else that is not
/// a 2xx with an `access_token` is a plain failure.
pub fn parse_response(
    host: &str,
    status: reqwest::StatusCode,
    body: &[u8],
) -> Result<TokenResponse> {
    let json: Option<Map<String, Value>> = serde_json::from_slice(body).ok();
    if !status.is_success() {
        let detail = match &json {
            Some(obj) => error_detail(obj).unwrap_or_else(|| excerpt(body)),
            None => excerpt(body),
        };
        let message = format!(
            "token request to {host} failed: {}{}",
            status_text(status),
            detail
        );
        return Err(if matches!(status.as_u16(), 400 | 401) {
            Failure::TokenRefused(format!("{message}{}", refusal_hint(json.as_ref()))).into()
        } else {
            anyhow!(message)
        });
    }
    let Some(fields) = json else {
        return Err(anyhow!(
            "token request to {host} answered {} with a body that is not JSON{}",
            status_text(status),
            excerpt(body)
        ));
    };
    match fields.get("access_token") {
        Some(Value::String(token)) if !token.is_empty() => {}
        _ => {
            let detail = error_detail(&fields).unwrap_or_default();
            return Err(anyhow!(
                "token request to {host} answered {} without an access_token{detail}",
                status_text(status)
            ));
        }
    }
    let expires_in = match fields.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        Some(_) => None,
    };
    if fields.contains_key("expires_in")
        && expires_in.is_none()
        && fields.get("expires_in") != Some(&Value::Null)
    {
        // A negative or garbled lifetime: treat the token as already expired, so it is not reused.
        return Ok(TokenResponse {
            fields,
            expires_in: Some(0),
        });
    }
    Ok(TokenResponse { fields, expires_in })
}

/// What to check after a refusal. SAP UAA answers a wrong user password with `unauthorized`
/// "Name or password mismatch" and a wrong client secret with `invalid_client` "Bad credentials"
/// (../shared/providers.md §5): the two need different fixes.
fn refusal_hint(body: Option<&Map<String, Value>>) -> &'static str {
    let field = |name: &str| {
        body.and_then(|b| b.get(name))
            .and_then(Value::as_str)
            .unwrap_or("")
    };
    let description = field("error_description").to_ascii_lowercase();
    if description.contains("password mismatch") {
        "\nhint: the user name or password was wrong: check `username`, store the password again with `oauthctl secret set --password`, and with two-factor authentication add --passcode CODE"
    } else if field("error") == "invalid_client"
        || description.contains("credentials")
        || description.contains("client authentication")
    {
        "\nhint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status`"
    } else if field("error") == "invalid_scope" {
        "\nhint: the client may not ask for that scope: check `scope` (for SCM, `tsg_id`)"
    } else {
        ""
    }
}

/// `: <error>: <error_description>` (plus a vendor's `resolution`), from an RFC 6749 §5.2 body.
fn error_detail(obj: &Map<String, Value>) -> Option<String> {
    let code = obj.get("error").and_then(Value::as_str);
    let description = obj.get("error_description").and_then(Value::as_str);
    let mut out = String::new();
    match (code, description) {
        (Some(c), Some(d)) => out.push_str(&format!(" {c}: {d}")),
        (Some(c), None) => out.push_str(&format!(" {c}")),
        (None, Some(d)) => out.push_str(&format!(" {d}")),
        (None, None) => return None,
    }
    if let Some(resolution) = obj.get("resolution").and_then(Value::as_str) {
        out.push_str(&format!(" ({resolution})"));
    }
    Some(out)
}

fn status_text(status: reqwest::StatusCode) -> String {
    status.as_u16().to_string()
}

/// A short, single-line excerpt of a body that is not what we expected.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.is_empty() {
        return " (empty body)".into();
    }
    let cut: String = flat.chars().take(120).collect();
    let more = if flat.chars().count() > 120 {
        "…"
    } else {
        ""
    };
    format!(" (body: {cut}{more})")
}

/// reqwest's error with its causes, without the URL it repeats.
pub fn describe_reqwest_error(err: &reqwest::Error) -> String {
    let mut parts = Vec::new();
    if err.is_timeout() {
        parts.push("timed out".to_string());
    } else if err.is_connect() {
        parts.push("cannot connect".to_string());
    }
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = cause.source();
    }
    if parts.is_empty() {
        // reqwest's own text ends with the URL, which the caller's message already names.
        let text = err.to_string();
        parts.push(match err.url() {
            Some(url) => text.replace(&format!(" ({url})"), ""),
            None => text,
        });
    }
    parts.join(": ")
}

fn show_request(request: &Request) {
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

fn show_body(body: &[u8]) {
    let shown = match serde_json::from_slice::<Map<String, Value>>(body) {
        Ok(mut obj) => {
            for field in TOKEN_FIELDS {
                if let Some(v) = obj.get_mut(*field) {
                    *v = Value::from("REDACTED");
                }
            }
            Value::Object(obj).to_string()
        }
        Err(_) => excerpt(body).trim_start().to_string(),
    };
    eprintln!("<\n< {shown}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    #[test]
    fn scm_invalid_client_is_a_refusal_with_its_description() {
        let body =
            br#"{"error_description":"Client authentication failed","error":"invalid_client"}"#;
        let err = parse_response(
            "auth.apps.paloaltonetworks.com",
            StatusCode::BAD_REQUEST,
            body,
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
        let r = parse_response(
            "h",
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":"899"}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(899));
        let r = parse_response(
            "h",
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":899}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(899));
        let r = parse_response("h", StatusCode::OK, br#"{"access_token":"t"}"#).unwrap();
        assert_eq!(r.expires_in, None);
        let r = parse_response(
            "h",
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":-5}"#,
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(0));
    }

    #[test]
    fn html_502_names_status_and_excerpt() {
        let err = parse_response(
            "h",
            StatusCode::BAD_GATEWAY,
            b"<html><body>\n<h1>502 Bad Gateway</h1></body></html>",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "token request to h failed: 502 (body: <html><body> <h1>502 Bad Gateway</h1></body></html>)"
        );
        assert!(err.downcast_ref::<Failure>().is_none());
    }

    #[test]
    fn ok_without_access_token_is_an_error() {
        let err = parse_response("h", StatusCode::OK, br#"{"token_type":"bearer"}"#).unwrap_err();
        assert!(err.to_string().contains("without an access_token"), "{err}");
    }

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
