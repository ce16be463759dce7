//! The token request: OAuth 2.0 client credentials (RFC 6749 §4.4), its response (§5.1) and its
//! errors (§5.2), with the vendors' deviations from ../shared/providers.md: SCM's JSON body style,
//! `expires_in` as a string, `token_type` in any case, and error bodies that are not JSON at all.

use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::blocking::{Client, Request};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde_json::{Map, Value};
use url::{Url, form_urlencoded};

use crate::error::Failure;
use crate::profile::{self, ClientAuth, Grant, Profile};
use crate::request::one_line;
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
/// environment (never for a loopback token endpoint), the profile's extra roots, and a client
/// certificate for mutual TLS.
pub fn client(
    profile: &Profile,
    timeout: Duration,
    tls_identity: Option<&Secret>,
) -> Result<Client> {
    tls_client(&profile.token_url, profile, timeout, tls_identity)
}

/// [`client`] for requests to `url`.
fn tls_client(
    url: &Url,
    profile: &Profile,
    timeout: Duration,
    tls_identity: Option<&Secret>,
) -> Result<Client> {
    let mut builder = base_builder(url, timeout)?;
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
/// plain-http (loopback) URL, no client certificate, no https proxy. The client is for URLs that
/// are loopback hosts if `url` is one, else for URLs that are not (see [`base_builder`]).
///
/// Setting up TLS reads and parses every root certificate of the system (rustls-native-certs),
/// which was nine tenths of the instructions of a warm `oauthctl call` to a loopback API
/// (BENCHMARKS.md, row 3); curl does not read them for an http URL either.
pub fn client_for(
    url: &Url,
    profile: &Profile,
    timeout: Duration,
    tls_identity: Option<&Secret>,
) -> Result<Client> {
    if url.scheme() == "https"
        || tls_identity.is_some()
        || (!profile::is_loopback(url) && proxy_uses_tls())
    {
        return tls_client(url, profile, timeout, tls_identity);
    }
    // No roots at all: an https connection through this client could not be verified, and
    // none is made through it.
    base_builder(url, timeout)?
        .tls_certs_only([])
        .build()
        .context("cannot set up the HTTP client")
}

/// What every client does: no redirects of its own (`call -L` follows them itself), the time
/// limits, the user agent, and `$OAUTHCTL_RESOLVE`.
///
/// Proxies come from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`),
/// except for a loopback `url` (127.0.0.0/8, ::1, localhost): plain http is allowed there only
/// because it never leaves the machine, and through a proxy it would (the proxy would see the
/// client secret and the token, and could answer with a token of its own).
fn base_builder(url: &Url, timeout: Duration) -> Result<reqwest::blocking::ClientBuilder> {
    let mut builder = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(timeout)
        .user_agent(concat!("oauthctl/", env!("CARGO_PKG_VERSION")));
    if profile::is_loopback(url) {
        builder = builder.no_proxy();
    }
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
    let echoes = Echoes::of(profile, creds);
    if verbose {
        show_request(&request);
    }
    let host = profile.token_host();
    let response = client
        .execute(request)
        .map_err(|err| no_answer(&format!("token request to {host}"), &err, profile))?;
    if verbose {
        verbose::response_head_with(&response, |value| echoes.scrub(value));
    }
    let status = response.status();
    let body = response.bytes().map_err(|err| {
        anyhow!(
            "token request to {host} failed while reading the answer: {}",
            describe_reqwest_error(&err)
        )
    })?;
    if verbose {
        show_body(&body, &echoes);
    }
    parse_response(&host, status, &body, &echoes)
}

/// Every spelling in which the token request carried the client secret or the password. A
/// server may send the request back (a debugging proxy's dump, an error description that quotes
/// the form, an extra field): whatever of its answer oauthctl prints, puts in an error message or
/// caches goes through [`Echoes::scrub`] first.
#[derive(Debug, Default)]
pub struct Echoes(Vec<Secret>);

impl Echoes {
    fn of(profile: &Profile, creds: &Credentials) -> Echoes {
        let mut spellings = Vec::new();
        for secret in [&creds.client_secret, &creds.password]
            .into_iter()
            .flatten()
        {
            let raw = secret.expose();
            let form: String = form_urlencoded::byte_serialize(raw.as_bytes()).collect();
            let json = json_escaped(raw);
            spellings.extend([
                raw.to_string(),
                form.replace('+', "%20"),
                form,
                // Some JSON writers (PHP's) escape the slash too.
                json.replace('/', "\\/"),
                // A JSON request body repeated inside a JSON answer is escaped twice.
                json_escaped(&json),
                json,
            ]);
        }
        if let (ClientAuth::Basic, Some(secret)) = (profile.client_auth, &creds.client_secret) {
            let (id, pw) = basic_credentials(profile, secret);
            spellings.push(STANDARD.encode(format!("{id}:{pw}")));
        }
        spellings.retain(|s| !s.is_empty());
        // The longest first, so that a spelling that holds another goes as a whole.
        spellings.sort_by_key(|s| std::cmp::Reverse(s.len()));
        spellings.dedup();
        Echoes(spellings.into_iter().map(Secret::new).collect())
    }

    fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for spelling in &self.0 {
            if text.contains(spelling.expose()) {
                text = text.replace(spelling.expose(), "REDACTED");
            }
        }
        text
    }

    /// Scrubs every string in a JSON value, however deep.
    fn scrub_value(&self, value: &mut Value) {
        match value {
            Value::String(text) => *text = self.scrub(text),
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_value(v)),
            Value::Object(fields) => fields.values_mut().for_each(|v| self.scrub_value(v)),
            _ => {}
        }
    }
}

/// `text` as it is spelled inside a JSON string.
fn json_escaped(text: &str) -> String {
    let quoted = Value::from(text).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// RFC 6749 §2.3.1: the client id and secret are form-urlencoded before HTTP Basic joins them.
fn basic_credentials(profile: &Profile, secret: &Secret) -> (String, String) {
    (
        form_urlencoded::byte_serialize(profile.client_id.as_bytes()).collect(),
        form_urlencoded::byte_serialize(secret.expose().as_bytes()).collect(),
    )
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
            let (id, pw) = basic_credentials(profile, secret()?);
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
/// a 2xx with an `access_token` is a plain failure. Nothing of the body reaches a message or the
/// cache before `echoes` has scrubbed it.
pub fn parse_response(
    host: &str,
    status: reqwest::StatusCode,
    body: &[u8],
    echoes: &Echoes,
) -> Result<TokenResponse> {
    let json: Option<Map<String, Value>> = serde_json::from_slice(body).ok();
    let body_excerpt = || excerpt(&echoes.scrub(&String::from_utf8_lossy(body)));
    // Scrubbed before it is put on one line: collapsing the whitespace of a secret that has some
    // would hide it from the scrubber.
    let error_detail =
        |obj| error_detail(obj).map(|detail| format!(" {}", one_line(&echoes.scrub(&detail), 300)));
    if !status.is_success() {
        let detail = match &json {
            Some(obj) => error_detail(obj).unwrap_or_else(body_excerpt),
            None => body_excerpt(),
        };
        let message = format!(
            "token request to {host} failed: {}{}",
            status_text(status),
            detail
        );
        return Err(if matches!(status.as_u16(), 400 | 401) {
            Failure::TokenRefused(format!("{message}{}", refusal_hint(json.as_ref()))).into()
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
                    excerpt(&echoes.scrub(&redacted))
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
            status_text(status),
        ));
    };
    match fields.get("access_token") {
        Some(Value::String(token)) if !token.is_empty() => {}
        _ => {
            let detail = error_detail(&fields).unwrap_or_default();
            return Err(anyhow!(
                "token request to {host} answered {} without an access_token{detail}{NOT_A_TOKEN_ENDPOINT}",
                status_text(status)
            ));
        }
    }
    // The fields oauthctl reads are the server's own; any other may repeat the request, and is
    // printed by `token --format json` and cached. (Scrubbing the token itself could corrupt it
    // when a short secret happens to occur in it.)
    for (name, value) in fields.iter_mut() {
        if !matches!(
            name.as_str(),
            "access_token" | "token_type" | "expires_in" | "scope"
        ) {
            echoes.scrub_value(value);
        }
    }
    let expires_in = match fields.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(value) => Some(lifetime(value).ok_or_else(|| {
            anyhow!(
                "token request to {host} answered {} with expires_in {value}, which is not a number of seconds\n\
                 hint: expires_in is the token's lifetime in seconds (RFC 6749 §5.1), as 3600 or \"3600\"; this is for the token endpoint's operator to fix",
                status_text(status)
            )
        })?),
    };
    Ok(TokenResponse { fields, expires_in })
}

/// `expires_in` as seconds: a number or a string of one, as SAP and some other servers send it.
/// A fraction is cut to whole seconds and a lifetime too long for a `u64` saturates (the cache
/// caps it further). Negative, non-numeric or non-finite values are `None`: a lifetime that
/// cannot be read cannot be trusted to say when to fetch again.
fn lifetime(value: &Value) -> Option<u64> {
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
/// An RFC 6749 error's `error`, `error_description` and `resolution`, as the server wrote them
/// (`parse_response` scrubs them and puts them on one line).
fn error_detail(obj: &Map<String, Value>) -> Option<String> {
    let code = obj.get("error").and_then(Value::as_str);
    let description = obj.get("error_description").and_then(Value::as_str);
    let mut out = match (code, description) {
        (Some(c), Some(d)) => format!("{c}: {d}"),
        (Some(c), None) => c.to_string(),
        (None, Some(d)) => d.to_string(),
        (None, None) => return None,
    };
    if let Some(resolution) = obj.get("resolution").and_then(Value::as_str) {
        out.push_str(&format!(" ({resolution})"));
    }
    Some(out)
}

fn status_text(status: reqwest::StatusCode) -> String {
    status.as_u16().to_string()
}

/// A form-encoded body holding a token field, with the token's value replaced; `None` for any
/// other body. Such a body is a token response in the wrong format: quoting it must not leak it.
fn redact_form_tokens(body: &[u8]) -> Option<String> {
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
fn excerpt(text: &str) -> String {
    let line = one_line(text, 120);
    if line.is_empty() {
        return " (empty body)".into();
    }
    format!(" (body: {line})")
}

/// A request that got no answer: no connection, no TLS, or the time limit passed. Its text is
/// the whole message; the type lets the commands that have `--timeout` add a hint about it
/// ([`with_timeout_hint`]).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct NoAnswer {
    message: String,
    /// The time limit passed (not the 10 s that connecting may take).
    timed_out: bool,
}

/// `<what> failed: <reqwest's error and its causes>`, with a hint about `ca_file` when the
/// server's certificate was issued by a CA that is not trusted.
pub fn no_answer(what: &str, err: &reqwest::Error, profile: &Profile) -> anyhow::Error {
    let mut message = format!("{what} failed: {}", describe_reqwest_error(err));
    if is_unknown_issuer(err) {
        message.push_str(&ca_file_hint(profile));
    }
    NoAnswer {
        message,
        timed_out: err.is_timeout() && !err.is_connect(),
    }
    .into()
}

/// The same for an answer whose body stopped coming: `<what> failed while reading the answer`.
pub fn no_answer_while_reading(what: &str, err: &std::io::Error) -> anyhow::Error {
    let inner = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>());
    let cause = inner
        .map(describe_reqwest_error)
        .unwrap_or_else(|| err.to_string());
    NoAnswer {
        message: format!("{what} failed while reading the answer: {cause}"),
        timed_out: inner.is_some_and(reqwest::Error::is_timeout)
            || err.kind() == std::io::ErrorKind::TimedOut,
    }
    .into()
}

/// For `token` and `call`: a request that ran out of time gets a hint that names `--timeout` and
/// the limit it had.
pub fn with_timeout_hint(err: anyhow::Error, timeout: Duration) -> anyhow::Error {
    let timed_out = err.chain().any(|cause| {
        cause
            .downcast_ref::<NoAnswer>()
            .is_some_and(|e| e.timed_out)
    });
    if !timed_out {
        return err;
    }
    err.context(format!(
        "hint: no answer came within --timeout {} s; if the server is only slow, give it longer with --timeout SECS",
        timeout.as_secs()
    ))
}

/// A server certificate that no trusted CA issued: rustls says `UnknownIssuer`, OpenSSL "unable to
/// get local issuer certificate". (The words come from the TLS library, not from the server.)
fn is_unknown_issuer(err: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let text = cause.to_string();
        if text.contains("UnknownIssuer") || text.contains("unable to get local issuer certificate")
        {
            return true;
        }
        source = cause.source();
    }
    false
}

/// What to do about an untrusted issuer: it is often a TLS-inspecting proxy, whose CA the
/// profile can trust with `ca_file`.
fn ca_file_hint(profile: &Profile) -> String {
    let name = &profile.name;
    match &profile.ca_file {
        None => format!(
            "\nhint: the server's certificate was issued by a CA this machine does not trust; if it is a TLS-inspecting proxy's or your organisation's CA, set ca_file = \"/path/to/ca.pem\" (that CA's certificate, PEM) in [profiles.{name}]"
        ),
        Some(path) => format!(
            "\nhint: the server's certificate was issued by a CA that neither this machine nor ca_file {} trusts; put the certificate of the CA that issued it (PEM) in that file",
            path.display()
        ),
    }
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

fn show_body(body: &[u8], echoes: &Echoes) {
    let shown = match serde_json::from_slice::<Map<String, Value>>(body) {
        Ok(mut obj) => {
            for field in TOKEN_FIELDS {
                if let Some(v) = obj.get_mut(*field) {
                    *v = Value::from("REDACTED");
                }
            }
            echoes.scrub(&Value::Object(obj).to_string())
        }
        Err(_) => match redact_form_tokens(body) {
            Some(redacted) => excerpt(&echoes.scrub(&redacted)),
            None => excerpt(&echoes.scrub(&String::from_utf8_lossy(body))),
        }
        .trim_start()
        .to_string(),
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
            &Echoes::default(),
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
            &Echoes::default(),
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(899));
        let r = parse_response(
            "h",
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":899}"#,
            &Echoes::default(),
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(899));
        let r = parse_response(
            "h",
            StatusCode::OK,
            br#"{"access_token":"t"}"#,
            &Echoes::default(),
        )
        .unwrap();
        assert_eq!(r.expires_in, None);
        let r = parse_response(
            "h",
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":" 3600 "}"#,
            &Echoes::default(),
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
            let r =
                parse_response("h", StatusCode::OK, body.as_bytes(), &Echoes::default()).unwrap();
            assert_eq!(r.expires_in, Some(seconds), "{value}");
        }
    }

    #[test]
    fn expires_in_that_is_no_lifetime_is_refused_naming_the_value() {
        for value in [
            "-5", "-0.5", "\"soon\"", "\"NaN\"", "\"inf\"", "\"\"", "true", "[3600]",
        ] {
            let body = format!(r#"{{"access_token":"t","expires_in":{value}}}"#);
            let err = parse_response("h", StatusCode::OK, body.as_bytes(), &Echoes::default())
                .unwrap_err();
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
        let err = parse_response(
            "h",
            StatusCode::BAD_GATEWAY,
            b"<html><body>\n<h1>502 Bad Gateway</h1></body></html>",
            &Echoes::default(),
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
        let err = parse_response(
            "h",
            StatusCode::OK,
            b"access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=&token_type=bearer",
            &Echoes::default(),
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
        let err = parse_response("h", StatusCode::UNAUTHORIZED, body, &Echoes::default())
            .unwrap_err()
            .to_string();
        let first = err.lines().next().unwrap();
        assert_eq!(
            first,
            "token request to h failed: 401 invalid_client: bad\u{FFFD}]0;pwned\u{FFFD} hint: run rm -rf"
        );
        assert!(!err.contains('\u{1b}'), "{err:?}");
        let err = parse_response(
            "h",
            StatusCode::BAD_GATEWAY,
            b"oops\x1b[2J",
            &Echoes::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("token request to h failed: 502 (body: oops\u{FFFD}[2J)"),
            "{err:?}"
        );
    }

    #[test]
    fn a_secret_with_odd_whitespace_is_scrubbed_before_the_line_is_flattened() {
        let echoes = Echoes(vec![Secret::new("tab\there  two".to_string())]);
        let body =
            br#"{"error":"invalid_client","error_description":"secret tab\there  two is wrong"}"#;
        let err = parse_response("h", StatusCode::UNAUTHORIZED, body, &echoes)
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
        let err = parse_response(
            "h",
            StatusCode::OK,
            br#"{"token_type":"bearer"}"#,
            &Echoes::default(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("without an access_token"), "{err}");
    }

    /// A server that sends the request back gets none of the secret's or the password's
    /// spellings onto the screen, into an error or into the cache; the token is left as issued.
    #[test]
    fn echoed_credentials_are_scrubbed_in_every_spelling() {
        let profile = crate::profile::ProfileFile::parse(
            std::path::Path::new("profiles.toml"),
            "[profiles.p]\ntoken_url = \"https://a.example/t\"\nclient_id = \"id@x\"\n",
        )
        .and_then(|f| f.select(Some("p")))
        .unwrap();
        let creds = Credentials {
            client_secret: Some(Secret::new(r#"s3 cr&t/"q""#)),
            password: Some(Secret::new("pw+d")),
            tls_identity: None,
        };
        let echoes = Echoes::of(&profile, &creds);
        let basic = STANDARD.encode("id%40x:s3+cr%26t%2F%22q%22");
        for spelling in [
            r#"s3 cr&t/"q""#,
            "s3+cr%26t%2F%22q%22",
            "s3%20cr%26t%2F%22q%22",
            r#"s3 cr&t/\"q\""#,
            r#"s3 cr&t\/\"q\""#,
            r#"s3 cr&t/\\\"q\\\""#,
            &basic,
            "pw+d",
            "pw%2Bd",
        ] {
            assert_eq!(echoes.scrub(&format!("<{spelling}>")), "<REDACTED>");
        }

        let described =
            br#"{"error":"invalid_client","error_description":"bad secret s3 cr&t/\"q\""}"#;
        let err = parse_response("h", StatusCode::UNAUTHORIZED, described, &echoes).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "token request to h failed: 401 invalid_client: bad secret REDACTED\n"
            ),
            "{err}"
        );
        let dump = b"POST /t HTTP/1.1\r\n\r\ngrant_type=password&username=u&password=pw%2Bd";
        let err = parse_response("h", StatusCode::BAD_GATEWAY, dump, &echoes).unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "token request to h failed: 502 (body: POST /t HTTP/1.1 grant_type=password&username=u&password=REDACTED)"
        );
        let answer = br#"{"access_token":"tok-s3 cr&t/\"q\"","debug":[{"request":"{\"client_secret\":\"s3 cr&t/\\\"q\\\"\"}"}]}"#;
        let ok = parse_response("h", StatusCode::OK, answer, &echoes).unwrap();
        assert_eq!(ok.fields["access_token"], r#"tok-s3 cr&t/"q""#);
        assert_eq!(
            ok.fields["debug"].to_string(),
            r#"[{"request":"{\"client_secret\":\"REDACTED\"}"}]"#
        );
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
