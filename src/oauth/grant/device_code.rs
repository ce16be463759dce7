//! The device authorization grant (RFC 8628): a person signs in in a browser, on this machine or
//! any other, with a short code oauthctl shows, while oauthctl asks the token endpoint whether
//! they have.
//!
//! [`sign_in`] sends the device authorization request (§3.1: the client's authentication, the
//! scope and the extra parameters), shows the verification URI and the user code on stderr
//! (§3.3), then polls the token endpoint with the device code (§3.4) at the server's `interval`,
//! 5 s longer after each `slow_down` (§3.5), until a token comes, the person declines
//! (`access_denied`), or the code expires (`expired_token`, or `expires_in` passing here).
//!
//! The device code is a credential: it is never shown, and `-v` and every message cut it out.
//! The user code and the URIs go to a terminal, so they are checked first: visible ASCII, and
//! http(s) URLs.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use serde_json::{Map, Value};
use url::Url;

use super::GrantProof;
use crate::error::{Failure, one_line};
use crate::http::target::host_with_port;
use crate::oauth::response::{
    TokenResponse, error_detail, excerpt, lifetime, parse_response, redact_form_tokens,
};
use crate::oauth::scrub::Scrubber;
use crate::oauth::{ClientProof, Options, TokenRequest, TokenSender, basic_first, token_client};
use crate::secret::Secret;

/// The `grant_type` of a device code's poll (RFC 8628 §3.4).
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// Seconds between polls when the server names none: "clients MUST use 5 as the default" (§3.2).
const DEFAULT_INTERVAL: u64 = 5;
/// Seconds a `slow_down` adds to the interval, for that poll and every later one (§3.5).
const SLOW_DOWN: u64 = 5;
/// How long a code is waited for when the server leaves out `expires_in`, which §3.2 requires.
const DEFAULT_EXPIRY: u64 = 30 * 60;
/// The longest a code is waited for, whatever the server says: a day.
const MAX_EXPIRY: u64 = 24 * 60 * 60;
/// The longest user code shown; the RFC's examples have 8 characters (§6.1).
const MAX_USER_CODE: usize = 64;

/// The device flow's profile keys: where the device authorization request goes.
#[derive(Debug, Clone)]
pub struct DeviceCode {
    /// The device authorization endpoint (`device_authorization_url`): https, or http on a
    /// loopback host, as the token endpoint.
    pub device_authorization_url: Url,
}

/// How one device sign-in goes: the profile's name for messages, its `ca_file`, and the token
/// request's options (time limit of each request, `-v`, the HTTP Basic note).
#[derive(Debug)]
pub struct DeviceSignIn<'a> {
    pub profile: &'a str,
    pub ca_file: Option<&'a Path>,
    pub token: &'a Options<'a>,
}

pub(super) fn fields(device_code: &Secret) -> Vec<(&str, &str)> {
    vec![
        ("grant_type", GRANT_TYPE),
        ("device_code", device_code.expose()),
    ]
}

/// Signs a person in with the device flow and returns the token endpoint's answer. Prompts on
/// stderr and sleeps between polls; a refusal, a denial and an expired code are
/// `Failure::TokenRefused` (exit 3).
pub fn sign_in(
    request: &TokenRequest,
    grant: &DeviceCode,
    opts: &DeviceSignIn,
) -> Result<TokenResponse> {
    let profile = opts.profile;
    // A client assertion is good for one request (its `jti` may not come again): each poll signs
    // a new one. A secret is read once.
    let read_proof = || {
        request
            .client_auth
            .read(profile, &request.client_id, &request.url)
    };
    let mut client_proof = read_proof()?;
    let client = token_client(profile, request, opts.ca_file, opts.token)?;
    // The spelling the token endpoint took before, else the RFC's: the device flow does not try
    // the other one.
    let (_, basic) = basic_first(opts.token, &client_proof);

    let asking = token_sender(
        &client,
        profile,
        request,
        opts,
        &client_proof,
        &GrantProof::DeviceAuthorization,
    );
    let url = &grant.device_authorization_url;
    let started = Instant::now();
    let (status, body) = asking.send_to(url, basic.spelling)?;
    let device = Authorization::read(
        &host_with_port(url),
        profile,
        status,
        &body,
        &asking.scrubber,
    )?;
    eprintln!("{}", device.prompt(profile));

    let proof = GrantProof::DeviceCode {
        device_code: device.device_code,
    };
    let host = request.host();
    let deadline = started + Duration::from_secs(device.expires_in);
    let mut interval = device.interval;
    loop {
        let now = Instant::now();
        let wait = Duration::from_secs(interval);
        if now + wait >= deadline {
            std::thread::sleep(deadline.saturating_duration_since(now));
            return Err(expired(
                profile,
                &format!(
                    "the code expired after {} without a sign-in",
                    humantime::format_duration(Duration::from_secs(device.expires_in))
                ),
            ));
        }
        std::thread::sleep(wait);
        if matches!(client_proof, ClientProof::Assertion { .. }) {
            client_proof = read_proof()?;
        }
        let polling = token_sender(&client, profile, request, opts, &client_proof, &proof);
        let (status, body) = polling.send_once(basic.spelling)?;
        if status.is_success() {
            let token = parse_response(&host, profile, status, &body, &polling.scrubber)?;
            return Ok(token);
        }
        let answer: Option<Map<String, Value>> = serde_json::from_slice(&body).ok();
        let code = answer
            .as_ref()
            .and_then(|a| a.get("error"))
            .and_then(Value::as_str);
        let detail = || {
            let detail = answer.as_ref().and_then(error_detail).unwrap_or_default();
            one_line(&polling.scrubber.scrub(&detail), 300)
        };
        match (status.is_client_error(), code) {
            (true, Some("authorization_pending")) => {}
            (true, Some("slow_down")) => {
                interval = interval.saturating_add(SLOW_DOWN);
                if opts.token.verbose {
                    eprintln!(
                        "* the server asked to poll more slowly: every {interval} s from now"
                    );
                }
            }
            (true, Some("access_denied")) => {
                return Err(Failure::TokenRefused(format!(
                    "sign-in for profile {profile} was denied at {host}: {}\n\
                     hint: whoever entered the code declined, or may not use this client; run the command again for a new code",
                    detail()
                ))
                .into());
            }
            (true, Some("expired_token")) => {
                return Err(expired(profile, &format!("{host} answered {}", detail())));
            }
            // Any other answer is the token endpoint's refusal or failure, said as for any grant.
            _ => {
                return Err(
                    match parse_response(&host, profile, status, &body, &polling.scrubber) {
                        Err(err) => err,
                        Ok(_) => anyhow!("token request to {host} answered {}", status.as_u16()),
                    },
                );
            }
        }
    }
}

/// The code expired before anyone signed in with it.
fn expired(profile: &str, why: &str) -> anyhow::Error {
    Failure::TokenRefused(format!(
        "sign-in for profile {profile} did not finish in time: {why}\n\
         hint: run the command again for a new code, and sign in before it expires"
    ))
    .into()
}

/// The device authorization response (§3.2), checked.
#[derive(Debug)]
struct Authorization {
    device_code: Secret,
    user_code: String,
    verification_uri: Url,
    verification_uri_complete: Option<Url>,
    /// Seconds the codes live, as far as oauthctl waits.
    expires_in: u64,
    /// Seconds between polls.
    interval: u64,
}

impl Authorization {
    fn read(
        host: &str,
        profile: &str,
        status: reqwest::StatusCode,
        body: &[u8],
        scrubber: &Scrubber,
    ) -> Result<Authorization> {
        let json: Option<Map<String, Value>> = serde_json::from_slice(body).ok();
        let body_excerpt = || excerpt(&scrubber.scrub(&String::from_utf8_lossy(body)));
        let what = format!("device authorization request to {host}");
        let status_code = status.as_u16();
        if !status.is_success() {
            let detail = json
                .as_ref()
                .and_then(error_detail)
                .map(|d| format!(" {}", one_line(&scrubber.scrub(&d), 300)))
                .unwrap_or_else(body_excerpt);
            let message = format!("{what} failed: {status_code}{detail}");
            let code = json
                .as_ref()
                .and_then(|b| b.get("error"))
                .and_then(Value::as_str);
            return Err(match (status_code, code) {
                (400 | 401, Some("unauthorized_client")) => Failure::TokenRefused(format!(
                    "{message}\nhint: the client may not use the device flow: allow the device authorization grant for it at the authorization server"
                )).into(),
                (400 | 401, Some("invalid_client")) | (401, _) => Failure::TokenRefused(format!(
                    "{message}\nhint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status -p {profile}`"
                )).into(),
                (400, Some("invalid_scope")) => Failure::TokenRefused(format!(
                    "{message}\nhint: the client may not ask for that scope: check `scope`"
                )).into(),
                (400, _) => Failure::TokenRefused(message).into(),
                (404 | 405, _) => anyhow!(
                    "{message}\nhint: check device_authorization_url: this is not where the device authorization endpoint is"
                ),
                (500..=599, _) => anyhow!(
                    "{message}\nhint: the authorization server, or a proxy on the way to it, is failing; try again later"
                ),
                _ => anyhow!("{message}"),
            });
        }
        let operator = "\nhint: this is for the authorization server's operator to fix";
        let endpoint = "\nhint: check device_authorization_url: a device authorization endpoint answers with a JSON object holding device_code, user_code and verification_uri (RFC 8628 §3.2)";
        let Some(fields) = json else {
            // A form-encoded answer holds the device code in plain sight: it is not quoted.
            let shown = match redact_form_tokens(body) {
                Some(redacted) => excerpt(&scrubber.scrub(&redacted)),
                None => body_excerpt(),
            };
            return Err(anyhow!(
                "{what} answered {status_code} with a body that is not JSON{shown}{endpoint}"
            ));
        };
        let text = |name: &str| match fields.get(name) {
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.as_str())),
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(anyhow!(
                "{what} answered {status_code} with a {name} that is not a string{operator}"
            )),
        };
        let required = |name: &str| {
            text(name)?
                .ok_or_else(|| anyhow!("{what} answered {status_code} without a {name}{endpoint}"))
        };
        let device_code = Secret::new(required("device_code")?);
        let user_code = required("user_code")?;
        if user_code.chars().count() > MAX_USER_CODE
            || !user_code.chars().all(|c| matches!(c, ' '..='~'))
            || user_code.trim() != user_code
        {
            return Err(anyhow!(
                "{what} answered {status_code} with a user_code that is not up to {MAX_USER_CODE} visible ASCII characters, so it was not shown{operator}"
            ));
        }
        // Google's device endpoint says verification_url.
        let verification_uri = match text("verification_uri")? {
            Some(uri) => uri,
            None => text("verification_url")?.ok_or_else(|| {
                anyhow!("{what} answered {status_code} without a verification_uri{endpoint}")
            })?,
        };
        let uri = |name: &str, value: &str| -> Result<Url> {
            let parsed = Url::parse(value)
                .ok()
                .filter(|url| matches!(url.scheme(), "https" | "http") && url.host_str().is_some());
            match parsed {
                Some(url) if !value.chars().any(|c| c.is_control() || c.is_whitespace()) => Ok(url),
                _ => Err(anyhow!(
                    "{what} answered {status_code} with a {name} that is not an http(s) URL, so it was not shown{operator}"
                )),
            }
        };
        let verification_uri = uri("verification_uri", verification_uri)?;
        let verification_uri_complete = text("verification_uri_complete")?
            .map(|value| uri("verification_uri_complete", value))
            .transpose()?;
        // What goes on the screen must not repeat a credential of the request.
        for shown in [
            user_code,
            verification_uri.as_str(),
            verification_uri_complete.as_ref().map_or("", Url::as_str),
        ] {
            if scrubber.scrub(shown) != shown {
                return Err(anyhow!(
                    "{what} answered {status_code} with a user code or URI that repeats a credential, so it was not shown{operator}"
                ));
            }
        }
        let seconds = |name: &str| {
            match fields.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => lifetime(value).map(Some).ok_or_else(|| {
                anyhow!(
                    "{what} answered {status_code} with {name} {}, which is not a number of seconds{operator}",
                    one_line(&scrubber.scrub(&value.to_string()), 100)
                )
            }),
        }
        };
        let expires_in = seconds("expires_in")?
            .unwrap_or(DEFAULT_EXPIRY)
            .min(MAX_EXPIRY);
        let interval = poll_interval(seconds("interval")?, expires_in);
        Ok(Authorization {
            device_code,
            user_code: user_code.to_string(),
            verification_uri,
            verification_uri_complete,
            expires_in,
            interval,
        })
    }

    /// What the person is asked to do, for stderr.
    fn prompt(&self, profile: &str) -> String {
        let mut out = format!(
            "oauthctl: to sign in for profile {profile}, open {} and enter the code {}",
            self.verification_uri, self.user_code
        );
        if let Some(complete) = &self.verification_uri_complete {
            out.push_str(&format!(
                "\noauthctl: or open {complete}, which enters the code for you"
            ));
        }
        out.push_str(&format!(
            "\noauthctl: waiting for the sign-in; the code expires in {}",
            humantime::format_duration(Duration::from_secs(self.expires_in))
        ));
        out
    }
}

/// Seconds between polls: the server's `interval`, at least 1. An interval as long as the code's
/// life leaves no time to poll, so 1000 or more of them are read as milliseconds: Asgardeo's
/// documentation shows `"interval": 5000` for its 5 s (docs/providers.md §4).
fn poll_interval(interval: Option<u64>, expires_in: u64) -> u64 {
    match interval {
        None => DEFAULT_INTERVAL,
        Some(ms) if ms >= 1000 && ms >= expires_in => ms.div_ceil(1000),
        Some(seconds) => seconds,
    }
    .max(1)
}

/// The request of a device authorization (with `GrantProof::DeviceAuthorization`) or of a poll.
fn token_sender<'a>(
    client: &'a reqwest::blocking::Client,
    profile: &'a str,
    request: &'a TokenRequest,
    opts: &'a DeviceSignIn,
    client_proof: &'a ClientProof,
    grant_proof: &'a GrantProof,
) -> TokenSender<'a> {
    TokenSender {
        client,
        profile,
        request,
        client_proof,
        grant_proof,
        ca_file: opts.ca_file,
        verbose: opts.token.verbose,
        scrubber: Scrubber::of(&request.client_id, client_proof, grant_proof),
        // A DPoP proof goes to the token endpoint only (RFC 9449 §5), not with the request for
        // a device code.
        dpop: opts
            .token
            .dpop
            .filter(|_| !matches!(grant_proof, GrantProof::DeviceAuthorization)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    fn read(body: &str) -> Result<Authorization> {
        Authorization::read(
            "h",
            "p",
            StatusCode::OK,
            body.as_bytes(),
            &Scrubber::default(),
        )
    }

    #[test]
    fn the_interval_is_the_servers_or_five_seconds_and_asgardeos_milliseconds_are_read_as_such() {
        assert_eq!(poll_interval(None, 600), 5);
        assert_eq!(poll_interval(Some(7), 600), 7);
        assert_eq!(poll_interval(Some(0), 600), 1);
        assert_eq!(poll_interval(Some(5000), 600), 5);
        assert_eq!(poll_interval(Some(5000), 3600), 5);
        assert_eq!(poll_interval(Some(1200), 86400), 1200);
    }

    #[test]
    fn a_device_authorization_response_is_read_with_its_defaults() {
        let a = read(
            r#"{"device_code":"dc","user_code":"WDJB-MJHT","verification_uri":"https://example.com/device"}"#,
        )
        .unwrap();
        assert_eq!(a.user_code, "WDJB-MJHT");
        assert_eq!(a.verification_uri.as_str(), "https://example.com/device");
        assert_eq!((a.interval, a.expires_in), (5, DEFAULT_EXPIRY));
        let a = read(
            r#"{"device_code":"dc","user_code":"s2DqSN","verification_url":"https://www.google.com/device","expires_in":"1e12","interval":"3"}"#,
        )
        .unwrap();
        assert_eq!(a.verification_uri.as_str(), "https://www.google.com/device");
        assert_eq!((a.interval, a.expires_in), (3, MAX_EXPIRY));
    }

    #[test]
    fn what_would_reach_the_terminal_is_checked() {
        for (body, what) in [
            (
                r#"{"device_code":"dc","user_code":"AB\u001b]0;x\u0007","verification_uri":"https://e.com/d"}"#,
                "with a user_code that is not up to 64 visible ASCII characters, so it was not shown",
            ),
            (
                r#"{"device_code":"dc","user_code":"AB","verification_uri":"javascript:alert(1)"}"#,
                "with a verification_uri that is not an http(s) URL, so it was not shown",
            ),
            (
                r#"{"device_code":"dc","user_code":"AB","verification_uri":"https://e.com/d","verification_uri_complete":"https://e.com/d?c=AB\nhint: x"}"#,
                "with a verification_uri_complete that is not an http(s) URL, so it was not shown",
            ),
            (
                r#"{"user_code":"AB","verification_uri":"https://e.com/d"}"#,
                "without a device_code",
            ),
            (
                "device_code=dc-secret&user_code=AB&verification_uri=https%3A%2F%2Fe.com%2Fd",
                "with a body that is not JSON (body: device_code=REDACTED&user_code=AB&verification_uri=https%3A%2F%2Fe.com%2Fd)",
            ),
            (
                r#"{"device_code":"dc","user_code":"AB","verification_uri":"https://e.com/d","interval":"soon"}"#,
                "with interval \"soon\", which is not a number of seconds",
            ),
        ] {
            let err = read(body).unwrap_err().to_string();
            assert_eq!(
                err.lines().next().unwrap(),
                format!("device authorization request to h answered 200 {what}"),
                "{body}"
            );
        }
    }
}
