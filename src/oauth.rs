//! The token request: OAuth 2.0 client credentials (RFC 6749 §4.4), its response (§5.1) and its
//! errors (§5.2), with the vendors' deviations from ../shared/providers.md: SCM's JSON body style,
//! `expires_in` as a string, `token_type` in any case, and error bodies that are not JSON at all.

use std::io::Read;

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use reqwest::blocking::{Client, Request};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde_json::{Map, Value};
use url::form_urlencoded;

use crate::error::{Failure, one_line};
use crate::http::no_response::{describe_reqwest_error, no_response};
use crate::http::verbose;
use crate::profile::{ClientAuth, Grant, Profile};
use crate::secret::Secret;

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

/// How HTTP Basic spells the client id and secret. RFC 6749 §2.3.1 form-urlencodes both before
/// Basic joins them; the vendors' pages show `curl -u id:secret`, which sends them as typed, and
/// UAA (the base of SAP's xsuaa) compares them without decoding. The two differ only when the id
/// or the secret holds a character that form-urlencoding changes (`!`, `$`, `=`, `/`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasicSpelling {
    /// Form-urlencoded, as RFC 6749 §2.3.1 asks: the default.
    Encoded,
    /// As typed, as `curl -u` sends them.
    Raw,
}

impl BasicSpelling {
    pub fn other(self) -> BasicSpelling {
        match self {
            BasicSpelling::Encoded => BasicSpelling::Raw,
            BasicSpelling::Raw => BasicSpelling::Encoded,
        }
    }

    /// The word that stands for it in the cache folder's note.
    pub fn word(self) -> &'static str {
        match self {
            BasicSpelling::Encoded => "encoded",
            BasicSpelling::Raw => "raw",
        }
    }

    pub fn from_word(word: &str) -> Option<BasicSpelling> {
        match word {
            "encoded" => Some(BasicSpelling::Encoded),
            "raw" => Some(BasicSpelling::Raw),
            _ => None,
        }
    }

    /// What the spelling is, for `-v`.
    pub fn describe(self) -> &'static str {
        match self {
            BasicSpelling::Encoded => "the client id and secret form-urlencoded (RFC 6749 §2.3.1)",
            BasicSpelling::Raw => "the client id and secret as typed (as `curl -u` sends them)",
        }
    }
}

/// Which Basic spelling to send first, and whether this token endpoint took it before.
#[derive(Debug, Clone, Copy)]
pub struct BasicFirst {
    pub spelling: BasicSpelling,
    /// True when the token endpoint took this spelling before (a note in the cache folder).
    pub remembered: bool,
}

impl Default for BasicFirst {
    fn default() -> Self {
        BasicFirst {
            spelling: BasicSpelling::Encoded,
            remembered: false,
        }
    }
}

/// A token response, and the Basic spelling the token endpoint took when it refused the first
/// one sent (the one to send first next time).
#[derive(Debug)]
pub struct Fetched {
    pub response: TokenResponse,
    pub basic_switched_to: Option<BasicSpelling>,
}

/// The most of a token endpoint's answer that oauthctl reads. A token response is a few
/// kilobytes; a bigger one is refused rather than held in memory and cached.
pub const MAX_ANSWER: u64 = 1 << 20;

/// Sends the token request and returns the token response, or a [`Failure::TokenRefused`] when
/// the endpoint says no. With HTTP Basic, a refusal of the client (`invalid_client`,
/// `unauthorized`, any 401) is answered by sending the other spelling of the credentials once,
/// when the two differ (see [`BasicSpelling`]).
pub fn fetch(
    client: &Client,
    profile: &Profile,
    creds: &Credentials,
    verbose: bool,
    basic: BasicFirst,
) -> Result<Fetched> {
    let echoes = Echoes::of(profile, creds);
    let host = profile.token_host();
    let first = basic.spelling;
    // Only when the spellings differ is there a second one to try.
    let second = (profile.client_auth == ClientAuth::Basic)
        .then_some(creds.client_secret.as_ref())
        .flatten()
        .filter(|secret| {
            basic_credentials(profile, secret, BasicSpelling::Encoded)
                != basic_credentials(profile, secret, BasicSpelling::Raw)
        })
        .map(|_| first.other());
    if verbose && second.is_some() {
        let why = if basic.remembered {
            "this token endpoint took them so before"
        } else {
            "the default"
        };
        eprintln!("* HTTP Basic with {} ({why})", first.describe());
    }
    let (status, body) = exchange(client, profile, creds, first, verbose, &echoes)?;
    let refused = parse_response(&host, &profile.name, status, &body, &echoes);
    let Some(second) = second else {
        return refused.map(|response| Fetched {
            response,
            basic_switched_to: None,
        });
    };
    if status.is_success() || !refuses_client(status, &body) {
        return refused.map(|response| Fetched {
            response,
            basic_switched_to: None,
        });
    }
    if verbose {
        eprintln!(
            "* the token endpoint refused the client ({}); sending HTTP Basic once more, with {}",
            status.as_u16(),
            second.describe()
        );
    }
    let (status2, body2) = exchange(client, profile, creds, second, verbose, &echoes)?;
    let answer = parse_response(&host, &profile.name, status2, &body2, &echoes);
    match answer {
        Ok(response) => Ok(Fetched {
            response,
            basic_switched_to: Some(second),
        }),
        // Both spellings refused: the first refusal says what is wrong, unless the second got
        // past the client's credentials (a raw-only server that then refuses the user's
        // password) or failed otherwise.
        Err(err) if is_refusal(status2) && refuses_client(status2, &body2) => {
            Err(refused.err().unwrap_or(err))
        }
        Err(err) => Err(err),
    }
}

/// One token request with `spelling` for HTTP Basic, and the status and body of its answer,
/// read up to [`MAX_ANSWER`].
fn exchange(
    client: &Client,
    profile: &Profile,
    creds: &Credentials,
    spelling: BasicSpelling,
    verbose: bool,
    echoes: &Echoes,
) -> Result<(reqwest::StatusCode, Vec<u8>)> {
    let request = build_request(client, profile, creds, spelling)?;
    if verbose {
        show_request(&request);
    }
    let host = profile.token_host();
    let response = client.execute(request).map_err(|err| {
        let what = format!("token request to {host}");
        no_response(&what, &err, &profile.name, profile.ca_file.as_deref())
    })?;
    if verbose {
        verbose::response_head_with(&response, |value| echoes.scrub(value));
    }
    let status = response.status();
    let mut body = Vec::new();
    response
        .take(MAX_ANSWER + 1)
        .read_to_end(&mut body)
        .map_err(|err| {
            let cause = match err
                .get_ref()
                .and_then(|e| e.downcast_ref::<reqwest::Error>())
            {
                Some(err) => describe_reqwest_error(err),
                None => err.to_string(),
            };
            anyhow!("token request to {host} failed while reading the answer: {cause}")
        })?;
    if body.len() as u64 > MAX_ANSWER {
        bail!(
            "token request to {host} answered {} with more than 1 MiB, the most oauthctl reads of a token response\n\
             hint: a token response is a few kilobytes; check token_url, or ask the token endpoint's operator",
            status_text(status)
        );
    }
    if verbose {
        show_body(&body, echoes);
    }
    Ok((status, body))
}

/// 400 and 401 are refusals (exit 3).
fn is_refusal(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 400 | 401)
}

/// True when the answer refuses the client's credentials: any 401, and a 400 saying
/// `invalid_client` (SCM) or `unauthorized`. A wrong user password (UAA's "Name or password
/// mismatch") is not: the client got past its check.
fn refuses_client(status: reqwest::StatusCode, body: &[u8]) -> bool {
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

/// SAP UAA's answer to a wrong user password.
fn password_refused(body: Option<&Map<String, Value>>) -> bool {
    body.and_then(|b| b.get("error_description"))
        .and_then(Value::as_str)
        .is_some_and(|d| d.to_ascii_lowercase().contains("password mismatch"))
}

/// What a text of the token endpoint's answer becomes when it repeats a credential that cannot be
/// cut out of it: one shorter than [`SHORT`], or one in a spelling no list foresees.
pub const ECHO_NOTICE: &str = "(not shown: the answer repeats a credential)";

/// A credential shorter than this many characters is not cut out of a text: replacing every
/// `abc` would garble the message around it. A text that holds one is not shown at all.
const SHORT: usize = 8;

/// Every spelling in which the token request carried the client secret or the password, and the
/// spellings a server that repeats them may use. A server may send the request back (a debugging
/// proxy's dump, an error description that quotes the form, an extra field, an HTML page): whatever
/// of its answer oauthctl prints, puts in an error message or caches goes through
/// [`Echoes::scrub`] first.
#[derive(Debug, Default)]
pub struct Echoes {
    /// Spellings of credentials of [`SHORT`] characters or more, longest first, so that a spelling
    /// that holds another goes as a whole: each is replaced by `REDACTED`.
    cut: Vec<Secret>,
    /// Spellings of shorter credentials: a text holding one becomes [`ECHO_NOTICE`].
    whole: Vec<Secret>,
    /// The credentials as typed, sought in the text with its escapes undone (HTML entities, JSON
    /// and percent escapes, two layers deep) once the spellings are cut: an echo in a spelling not
    /// listed makes the text [`ECHO_NOTICE`] rather than getting through.
    typed: Vec<Secret>,
}

impl Echoes {
    fn of(profile: &Profile, creds: &Credentials) -> Echoes {
        let mut echoes = Echoes::default();
        for secret in [&creds.client_secret, &creds.password]
            .into_iter()
            .flatten()
        {
            let raw = secret.expose();
            if raw.is_empty() {
                continue;
            }
            let list = if raw.chars().count() < SHORT {
                &mut echoes.whole
            } else {
                &mut echoes.cut
            };
            list.extend(spellings(raw).into_iter().map(Secret::new));
            echoes.typed.push(secret.clone());
        }
        if let (ClientAuth::Basic, Some(secret)) = (profile.client_auth, &creds.client_secret) {
            // Both spellings: the second is sent when the server refuses the first.
            for spelling in [BasicSpelling::Encoded, BasicSpelling::Raw] {
                let (id, pw) = basic_credentials(profile, secret, spelling);
                echoes
                    .cut
                    .push(Secret::new(STANDARD.encode(format!("{id}:{pw}"))));
            }
        }
        for list in [&mut echoes.cut, &mut echoes.whole] {
            list.retain(|s| !s.expose().is_empty());
            list.sort_by(|a, b| {
                let (a, b) = (a.expose(), b.expose());
                b.len().cmp(&a.len()).then_with(|| a.cmp(b))
            });
            list.dedup();
        }
        echoes
    }

    /// `text` with every credential cut out, or [`ECHO_NOTICE`] when one cannot be.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for spelling in &self.cut {
            if text.contains(spelling.expose()) {
                text = text.replace(spelling.expose(), "REDACTED");
            }
        }
        if self.whole.iter().any(|s| text.contains(s.expose())) || self.hidden_in(&text) {
            return ECHO_NOTICE.to_string();
        }
        text
    }

    /// True when a credential shows once the text's escapes are undone.
    fn hidden_in(&self, text: &str) -> bool {
        if self.typed.is_empty() {
            return false;
        }
        let decoders: [fn(&str) -> Option<String>; 3] =
            [html_unescaped, json_unescaped, percent_decoded];
        let mut views = vec![text.to_string()];
        let mut layer = vec![text.to_string()];
        for _ in 0..2 {
            layer = layer
                .iter()
                .flat_map(|view| decoders.iter().filter_map(|decode| decode(view)))
                .collect();
            views.extend(layer.iter().cloned());
        }
        views
            .iter()
            .any(|view| self.typed.iter().any(|t| view.contains(t.expose())))
    }

    /// Scrubs every string, number and key in a JSON value, however deep.
    fn scrub_value(&self, value: &mut Value) {
        match value {
            Value::String(text) => *text = self.scrub(text),
            Value::Number(number) => {
                let text = number.to_string();
                let scrubbed = self.scrub(&text);
                if scrubbed != text {
                    *value = Value::String(scrubbed);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_value(v)),
            Value::Object(fields) => self.scrub_fields(fields, &[]),
            _ => {}
        }
    }

    /// Scrubs every field of an object but those named in `keep`, keys included.
    fn scrub_fields(&self, fields: &mut Map<String, Value>, keep: &[&str]) {
        let old = std::mem::take(fields);
        for (name, mut value) in old {
            if keep.contains(&name.as_str()) {
                fields.insert(name, value);
                continue;
            }
            self.scrub_value(&mut value);
            fields.insert(self.scrub(&name), value);
        }
    }
}

/// The spellings of a credential a request carries it in or a server repeats it in: as typed,
/// form-urlencoded (`+` or `%20` for a space), JSON-escaped (also as PHP writes it, with `\/` and
/// `\u00fc`, and twice over: a JSON request quoted inside a JSON answer), and HTML-escaped.
fn spellings(raw: &str) -> Vec<String> {
    let form: String = form_urlencoded::byte_serialize(raw.as_bytes()).collect();
    let json = json_escaped(raw);
    let mut out = vec![
        raw.to_string(),
        form.replace('+', "%20"),
        form,
        json_escaped(&json),
    ];
    for json in [
        json.clone(),
        json_ascii(&json, false),
        json_ascii(&json, true),
    ] {
        out.push(json.replace('/', "\\/"));
        out.push(json);
    }
    let html = raw
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    for quote in ["&quot;", "&#34;", "\""] {
        for apostrophe in ["&#39;", "&#039;", "&#x27;", "&apos;", "'"] {
            out.push(html.replace('"', quote).replace('\'', apostrophe));
        }
    }
    out
}

/// `text` as it is spelled inside a JSON string.
fn json_escaped(text: &str) -> String {
    let quoted = Value::from(text).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// A JSON-escaped text with every non-ASCII character escaped too, as `\u00fc` (PHP's
/// `json_encode`) or `\u00FC`, in UTF-16 units.
fn json_ascii(json: &str, upper: bool) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            if upper {
                out.push_str(&format!("\\u{unit:04X}"));
            } else {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// `text` with HTML's character references undone (`&amp;`, `&#39;`, `&#x27;`, ...); `None` when
/// it has none.
fn html_unescaped(text: &str) -> Option<String> {
    if !text.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// `text` with JSON's backslash escapes undone wherever they are; `None` when it has none.
fn json_unescaped(text: &str) -> Option<String> {
    if !text.contains('\\') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_high: Option<u16> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&next) = chars.peek() else {
            out.push(c);
            break;
        };
        let simple = match next {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            _ => None,
        };
        if let Some(s) = simple {
            chars.next();
            out.push(s);
            continue;
        }
        if next == 'u' {
            let hex: String = chars.clone().skip(1).take(4).collect();
            if hex.len() == 4
                && hex.chars().all(|h| h.is_ascii_hexdigit())
                && let Ok(unit) = u16::from_str_radix(&hex, 16)
            {
                chars.nth(4);
                match (pending_high.take(), unit) {
                    (Some(high), 0xDC00..=0xDFFF) => {
                        let code = 0x10000
                            + ((u32::from(high) - 0xD800) << 10)
                            + (u32::from(unit) - 0xDC00);
                        out.extend(char::from_u32(code));
                    }
                    (_, 0xD800..=0xDBFF) => pending_high = Some(unit),
                    (_, unit) => out.extend(char::from_u32(u32::from(unit))),
                }
                continue;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// `text` with percent escapes undone and `+` as a space, as a form is decoded; `None` when it
/// has neither.
fn percent_decoded(text: &str) -> Option<String> {
    if !text.contains(['%', '+']) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// The client id and secret as HTTP Basic joins them: form-urlencoded (RFC 6749 §2.3.1) or as
/// typed (see [`BasicSpelling`]).
fn basic_credentials(
    profile: &Profile,
    secret: &Secret,
    spelling: BasicSpelling,
) -> (String, String) {
    match spelling {
        BasicSpelling::Encoded => (
            form_urlencoded::byte_serialize(profile.client_id.as_bytes()).collect(),
            form_urlencoded::byte_serialize(secret.expose().as_bytes()).collect(),
        ),
        BasicSpelling::Raw => (profile.client_id.clone(), secret.expose().to_string()),
    }
}

fn build_request(
    client: &Client,
    profile: &Profile,
    creds: &Credentials,
    spelling: BasicSpelling,
) -> Result<Request> {
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
            let (id, pw) = basic_credentials(profile, secret()?, spelling);
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
    profile: &str,
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
        Some(Value::String(token)) if !token.is_empty() => {
            if let Some(what) = not_a_token(token) {
                return Err(anyhow!(
                    "token request to {host} answered {} with an access_token that holds {what}; a token is visible ASCII only (RFC 6750 §2.1), so it was not used and is not shown\n\
                     hint: this is for the token endpoint's operator to fix; a token with line breaks or terminal escapes could add headers to a request or take over a terminal",
                    status_text(status)
                ));
            }
        }
        _ => {
            let detail = error_detail(&fields).unwrap_or_default();
            return Err(anyhow!(
                "token request to {host} answered {} without an access_token{detail}{NOT_A_TOKEN_ENDPOINT}",
                status_text(status)
            ));
        }
    }
    // Every field but the token may repeat the request (`scope`, `token_type` and `expires_in`
    // too), and is printed by `token --format json`, in a warning or an error, and cached. The
    // token itself is checked above instead: scrubbing it could corrupt it when a secret happens
    // to occur in it.
    let token_type = fields.get("token_type").cloned();
    echoes.scrub_fields(&mut fields, &["access_token"]);
    if fields.get("token_type") != token_type.as_ref() {
        return Err(anyhow!(
            "token request to {host} answered {} with a token_type that repeats a credential, so the token was not used\n\
             hint: this is for the token endpoint's operator to fix",
            status_text(status)
        ));
    }
    match fields.get("token_type") {
        None | Some(Value::Null) => {}
        Some(Value::String(scheme)) if scheme.is_empty() || is_auth_scheme(scheme) => {}
        Some(_) => {
            return Err(anyhow!(
                "token request to {host} answered {} with a token_type that is not an HTTP authentication scheme (such as Bearer), so the token was not used\n\
                 hint: this is for the token endpoint's operator to fix",
                status_text(status)
            ));
        }
    }
    let expires_in = match fields.get("expires_in") {
        None | Some(Value::Null) => None,
        Some(value) => Some(lifetime(value).ok_or_else(|| {
            anyhow!(
                "token request to {host} answered {} with expires_in {}, which is not a number of seconds\n\
                 hint: expires_in is the token's lifetime in seconds (RFC 6749 §5.1), as 3600 or \"3600\"; this is for the token endpoint's operator to fix",
                status_text(status),
                one_line(&value.to_string(), 100)
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

/// True when `text` can be an access token: one or more visible ASCII characters (RFC 6750
/// §2.1's b64token, and the opaque tokens vendors issue, fit). Nothing else goes into a header,
/// an environment variable, the terminal or the cache: a line break would add a header to
/// `curl -H "$(oauthctl token --format header)"`, an escape would drive the terminal.
pub fn is_token(text: &str) -> bool {
    not_a_token(text).is_none()
}

/// What in `text` keeps it from being a token, in words that do not quote it.
fn not_a_token(text: &str) -> Option<String> {
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
/// (../shared/providers.md §5): the two need different fixes.
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
            // Field by field first, so that a short secret hides one field, not the whole body.
            echoes.scrub_fields(&mut obj, &[]);
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
            "p",
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
            "p",
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":"899"}"#,
            &Echoes::default(),
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(899));
        let r = parse_response(
            "h",
            "p",
            StatusCode::OK,
            br#"{"access_token":"t","expires_in":899}"#,
            &Echoes::default(),
        )
        .unwrap();
        assert_eq!(r.expires_in, Some(899));
        let r = parse_response(
            "h",
            "p",
            StatusCode::OK,
            br#"{"access_token":"t"}"#,
            &Echoes::default(),
        )
        .unwrap();
        assert_eq!(r.expires_in, None);
        let r = parse_response(
            "h",
            "p",
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
            let r = parse_response(
                "h",
                "p",
                StatusCode::OK,
                body.as_bytes(),
                &Echoes::default(),
            )
            .unwrap();
            assert_eq!(r.expires_in, Some(seconds), "{value}");
        }
    }

    #[test]
    fn expires_in_that_is_no_lifetime_is_refused_naming_the_value() {
        for value in [
            "-5", "-0.5", "\"soon\"", "\"NaN\"", "\"inf\"", "\"\"", "true", "[3600]",
        ] {
            let body = format!(r#"{{"access_token":"t","expires_in":{value}}}"#);
            let err = parse_response(
                "h",
                "p",
                StatusCode::OK,
                body.as_bytes(),
                &Echoes::default(),
            )
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
            "p",
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
            "p",
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
        let err = parse_response("h", "p", StatusCode::UNAUTHORIZED, body, &Echoes::default())
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
            "p",
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
        let echoes = Echoes {
            cut: vec![Secret::new("tab\there  two".to_string())],
            ..Echoes::default()
        };
        let body =
            br#"{"error":"invalid_client","error_description":"secret tab\there  two is wrong"}"#;
        let err = parse_response("h", "p", StatusCode::UNAUTHORIZED, body, &echoes)
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
            "p",
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
            password: Some(Secret::new("pw+d/long")),
            tls_identity: None,
        };
        let echoes = Echoes::of(&profile, &creds);
        let basic = STANDARD.encode("id%40x:s3+cr%26t%2F%22q%22");
        let raw_basic = STANDARD.encode(r#"id@x:s3 cr&t/"q""#);
        for spelling in [
            r#"s3 cr&t/"q""#,
            "s3+cr%26t%2F%22q%22",
            "s3%20cr%26t%2F%22q%22",
            r#"s3 cr&t/\"q\""#,
            r#"s3 cr&t\/\"q\""#,
            r#"s3 cr&t/\\\"q\\\""#,
            &basic,
            &raw_basic,
            "pw+d/long",
            "pw%2Bd%2Flong",
            r"pw+d\/long",
            "s3 cr&amp;t/&quot;q&quot;",
            "s3 cr&amp;t/&#34;q&#34;",
        ] {
            assert_eq!(echoes.scrub(&format!("<{spelling}>")), "<REDACTED>");
        }

        let described =
            br#"{"error":"invalid_client","error_description":"bad secret s3 cr&t/\"q\""}"#;
        let err =
            parse_response("h", "p", StatusCode::UNAUTHORIZED, described, &echoes).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "token request to h failed: 401 invalid_client: bad secret REDACTED\n"
            ),
            "{err}"
        );
        let dump = b"POST /t HTTP/1.1\r\n\r\ngrant_type=password&username=u&password=pw%2Bd%2Flong";
        let err = parse_response("h", "p", StatusCode::BAD_GATEWAY, dump, &echoes).unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "token request to h failed: 502 (body: POST /t HTTP/1.1 grant_type=password&username=u&password=REDACTED)"
        );
        let answer = format!(
            r#"{{"access_token":"tok.{basic}","debug":[{{"request":"{{\"client_secret\":\"s3 cr&t/\\\"q\\\"\"}}"}}]}}"#
        );
        let ok = parse_response("h", "p", StatusCode::OK, answer.as_bytes(), &echoes).unwrap();
        assert_eq!(ok.fields["access_token"], format!("tok.{basic}"));
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

    fn echoes_of(secret: &str, password: Option<&str>) -> Echoes {
        let profile = crate::profile::ProfileFile::parse(
            std::path::Path::new("profiles.toml"),
            "[profiles.p]\ntoken_url = \"https://a.example/t\"\nclient_id = \"sb-x!b1\"\n",
        )
        .and_then(|f| f.select(Some("p")))
        .unwrap();
        Echoes::of(
            &profile,
            &Credentials {
                client_secret: Some(Secret::new(secret)),
                password: password.map(Secret::new),
                tls_identity: None,
            },
        )
    }

    /// PHP's `json_encode` (`\/`, `\u00fc`), Java's (`\u00FC`) and HTML's escapes are cut out as
    /// the others are; an escape no list foresees hides the whole text.
    #[test]
    fn php_json_and_html_echoes_are_scrubbed() {
        let echoes = echoes_of("sec-ret-value-1", Some("Jürgen/Pass<&>\"'"));
        for spelling in [
            r#"J\u00fcrgen\/Pass<&>\"'"#,
            r#"J\u00FCrgen\/Pass<&>\"'"#,
            r#"J\u00fcrgen/Pass<&>\"'"#,
            "Jürgen/Pass&lt;&amp;&gt;&quot;&#39;",
            "Jürgen/Pass&lt;&amp;&gt;&quot;&#x27;",
            "Jürgen/Pass&lt;&amp;&gt;&#34;&#039;",
            "Jürgen/Pass&lt;&amp;&gt;\"'",
        ] {
            assert_eq!(
                echoes.scrub(&format!("user jane, password {spelling}.")),
                "user jane, password REDACTED.",
                "{spelling}"
            );
        }
        // Every character as a numeric reference, and JSON inside HTML: not listed, still caught.
        for hidden in [
            "&#74;&#252;&#114;&#103;&#101;&#110;&#47;&#80;&#97;&#115;&#115;&#60;&#38;&#62;&#34;&#39;",
            r#"J\u00fcrgen\/Pass&lt;&amp;&gt;\&quot;'"#,
            "J%c3%bcrgen%2fPass%3c%26%3e%22%27",
        ] {
            assert_eq!(
                echoes.scrub(&format!("password {hidden}")),
                ECHO_NOTICE,
                "{hidden}"
            );
        }
        assert_eq!(echoes.scrub("nothing to see"), "nothing to see");
    }

    /// A short credential is not cut out of a text (every `abc` would go): the text is not shown.
    #[test]
    fn a_short_secret_hides_the_whole_text_without_garbling_it() {
        let echoes = echoes_of("s3", None);
        assert_eq!(echoes.scrub("the client secret s3 is wrong"), ECHO_NOTICE);
        assert_eq!(
            echoes.scrub("Client authentication failed"),
            "Client authentication failed"
        );
        let body = br#"{"error":"invalid_client","error_description":"secret s3 rejected"}"#;
        let err = parse_response("h", "p", StatusCode::UNAUTHORIZED, body, &echoes)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err.lines().next().unwrap(),
            format!("token request to h failed: 401 {ECHO_NOTICE}")
        );
    }

    /// `scope`, `token_type`, `expires_in`, keys and numbers: every field but the token.
    #[test]
    fn every_field_of_an_answer_is_scrubbed() {
        let echoes = echoes_of("Sup3r$ecret=Value", None);
        let body = br#"{"access_token":"t","token_type":"bearer","scope":"a Sup3r$ecret=Value","x":{"Sup3r$ecret=Value":1}}"#;
        let ok = parse_response("h", "p", StatusCode::OK, body, &echoes).unwrap();
        assert_eq!(ok.fields["token_type"], "bearer");
        assert_eq!(ok.fields["scope"], "a REDACTED");
        assert_eq!(ok.fields["x"].to_string(), r#"{"REDACTED":1}"#);
        let body = br#"{"access_token":"t","expires_in":"Sup3r$ecret=Value"}"#;
        let err = parse_response("h", "p", StatusCode::OK, body, &echoes)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(r#"token request to h answered 200 with expires_in "REDACTED", which"#),
            "{err}"
        );
        // A token_type that repeats a credential is no scheme to put in a header.
        let body = br#"{"access_token":"t","token_type":"Sup3r$ecret=Value"}"#;
        let err = parse_response("h", "p", StatusCode::OK, body, &echoes)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "token request to h answered 200 with a token_type that repeats a credential"
            ),
            "{err}"
        );
        let echoes = echoes_of("12345678901", None);
        let body = br#"{"access_token":"t","n":12345678901}"#;
        let ok = parse_response("h", "p", StatusCode::OK, body, &echoes).unwrap();
        assert_eq!(ok.fields["n"], "REDACTED");
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
