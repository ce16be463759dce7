//! One request as the user sees it: sent with the bearer token, sent again on 429 and 502–504
//! per the retry policy, sent once more with a new token after a 401, and along redirects under
//! `-L` (RFC 9110 §15.4, as curl follows them).
//!
//! The token travels only in the Authorization header (RFC 6750 §2.1), only to the origin it was
//! meant for, never across a redirect to another origin, and only over https or to a loopback
//! host: every URL that would carry it is checked, each page's and each redirect's.
//!
//! A DPoP-bound token (RFC 9449 §7) goes as `Authorization: DPoP`, each request (each page, each
//! redirect, each retry) with a proof of its own naming its method, URL and the token's hash; a
//! 401 `use_dpop_nonce` with a new nonce is answered once, with a proof that carries it.

use std::io::Read;
use std::time::{Duration, SystemTime};

use anyhow::{Result, anyhow, bail};
use reqwest::blocking::{Request, Response};
use reqwest::header::{
    AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, HeaderValue, LOCATION,
    RETRY_AFTER,
};
use reqwest::{Method, StatusCode};
use url::Url;

use super::client::Clients;
use super::error_response::{BearerChallenge, error_summary};
use super::no_response::{no_response, no_response_while_reading};
use super::payload::Payload;
use super::rate::Limiter;
use super::retry::{MAX_WAIT, Retry, RetryPolicy, jitter, parse_retry_after};
use super::target::check_cleartext;
use super::verbose::{self, status_text, version_text};
use crate::dpop::{self, DpopKey};
use crate::error::one_line;
use crate::secret::Secret;

/// The most of a response body kept for a message about it.
pub const SUMMARY_LIMIT: usize = 64 << 10;
/// The most of one answer that oauthctl holds in memory to work on it: a page of `--paginate`, a
/// JSON body to indent. Counted in decoded bytes, so that a small compressed answer that decodes
/// to gigabytes (a decompression bomb) stops here like any other.
pub const HELD_LIMIT: usize = 64 << 20;
/// Redirects followed under `-L`.
const MAX_REDIRECTS: usize = 10;

/// The access token a request carries, and how.
#[derive(Clone, Copy)]
pub struct Credential<'a> {
    pub token: &'a Secret,
    /// The key a DPoP-bound token is bound to: it goes as `Authorization: DPoP`, with a proof
    /// signed by this key. `None`: a bearer token.
    pub dpop: Option<&'a DpopKey>,
}

/// What an exchange needs from the command that sends it: the access token, a new one when the
/// API refuses it, and a place for messages (`call` draws a progress line that they must not
/// tear).
pub trait Caller {
    /// The token to send; `None` when the user's own Authorization header goes instead.
    fn token(&self) -> Option<Credential<'_>>;
    /// The API answered 401 to [`Caller::token`]: drop it from the cache, so that the next
    /// token is a new one. It stays in use here until [`Caller::renew_token`].
    fn reject_token(&mut self);
    /// A new token in place of the rejected one.
    fn renew_token(&mut self) -> Result<()>;
    /// Says `message` on stderr (a retry, a refresh).
    fn say(&self, message: &str);
}

/// The request, as it is sent and sent again.
pub struct Sender {
    pub clients: Clients,
    pub method: Method,
    pub url: Url,
    /// Every header but the token's Authorization, which is added per hop.
    pub headers: HeaderMap,
    pub payload: Payload,
    /// `-L`: follow redirects.
    pub follow: bool,
    /// `-v`: heads on stderr.
    pub verbose: bool,
    /// `-i`: keep the heads of redirects for stdout.
    pub include: bool,
    /// The command's pace: every request waits its turn, and a 429 with `Retry-After` pauses all.
    pub limiter: Limiter,
}

/// The response that ends a send: the last one, after any redirects.
pub struct Exchange {
    pub response: Response,
    pub method: Method,
    /// The URL that answered.
    pub url: Url,
    /// Whether the request it answers carried the profile's token.
    pub carried_token: bool,
    /// A 401 that asks for a DPoP nonce (RFC 9449 §9) and brought a new one.
    pub wants_nonce: bool,
    /// Under `-i`, the heads of the redirects followed on the way.
    pub redirect_heads: Vec<Vec<u8>>,
}

impl Exchange {
    /// `GET https://...`, for messages.
    pub fn what(&self) -> String {
        format!("{} {}", self.method, self.url)
    }
}

impl Sender {
    /// Sends the request once, with `token` for its own origin, following redirects under `-L`.
    fn send(&mut self, token: Option<Credential>) -> Result<Exchange> {
        let origin = self.url.origin();
        let mut method = self.method.clone();
        let mut url = self.url.clone();
        let mut with_body = true;
        let mut redirect_heads = Vec::new();
        let mut hops = 0;
        loop {
            let same_origin = url.origin() == origin;
            let mut sent_nonce = None;
            let mut request = Request::new(method.clone(), url.clone());
            *request.headers_mut() = self.headers.clone();
            if !same_origin {
                // Credentials belong to the origin they were meant for; curl drops these too.
                request.headers_mut().remove(AUTHORIZATION);
                request.headers_mut().remove(COOKIE);
            } else if let Some(token) = token {
                // A page's nextPath, a --start path or a redirect may lead where the command's
                // own URL did not.
                check_cleartext(self.clients.profile(), &url)?;
                let scheme = if token.dpop.is_some() {
                    "DPoP"
                } else {
                    "Bearer"
                };
                let mut value =
                    HeaderValue::from_str(&format!("{scheme} {}", token.token.expose())).map_err(
                        |_| anyhow!("the access token holds characters that cannot go in a header"),
                    )?;
                value.set_sensitive(true);
                request.headers_mut().insert(AUTHORIZATION, value);
                if let Some(key) = token.dpop {
                    sent_nonce = dpop::nonce_for(&url);
                    let proof = key.proof(
                        method.as_str(),
                        &url,
                        sent_nonce.as_deref(),
                        Some(token.token),
                    )?;
                    let mut value = HeaderValue::from_str(proof.expose())
                        .map_err(|_| anyhow!("a DPoP proof that cannot go in a header"))?;
                    value.set_sensitive(true);
                    request.headers_mut().insert(dpop::DPOP, value);
                }
            } else {
                // The user's own header may be named so; a proof of ours never goes elsewhere.
                request.headers_mut().remove(dpop::DPOP);
            }
            if with_body {
                *request.body_mut() = self.payload.body()?;
            } else {
                request.headers_mut().remove(CONTENT_TYPE);
                request.headers_mut().remove(CONTENT_LENGTH);
            }
            if self.verbose {
                show_request(&request);
            }
            let what = format!("{method} {url}");
            let client = self.clients.for_url(&url)?;
            self.limiter.wait_turn();
            let sent = client.execute(request);
            let mut response = sent.map_err(|err| {
                let options = self.clients.options();
                no_response(&what, &err, &options.profile, options.ca_file.as_deref())
            })?;
            if self.verbose {
                show_response_head(&response);
            }
            if response.status() == StatusCode::TOO_MANY_REQUESTS
                && let Some(wait) = retry_after(&response)
            {
                // The server's limit is the command's, not this request's: every other request
                // waits too, rather than be refused in turn.
                self.limiter.pause(wait.min(MAX_WAIT));
            }
            let carried_token = same_origin && token.is_some();
            let dpop = same_origin && token.is_some_and(|t| t.dpop.is_some());
            // Another thread may have brought the new nonce already: what counts is that the
            // nonce to send is now another than the one this proof carried.
            let new_nonce = dpop && {
                dpop::remember_nonce(&url, response.headers());
                dpop::nonce_for(&url) != sent_nonce
            };
            let wants_nonce = new_nonce
                && response.status() == StatusCode::UNAUTHORIZED
                && BearerChallenge::of_scheme(response.headers(), "dpop")
                    .is_some_and(|c| c.error.as_deref() == Some(dpop::USE_DPOP_NONCE));
            let status = response.status().as_u16();
            // A Location with UTF-8 in it (not ASCII, as RFC 9110 wants) is followed as curl
            // and browsers do: the URL parser percent-encodes it.
            let location = response
                .headers()
                .get(LOCATION)
                .map(|l| String::from_utf8_lossy(l.as_bytes()).trim().to_owned());
            let location = match location {
                Some(l) if self.follow && is_redirect(status) => l,
                _ => {
                    return Ok(Exchange {
                        response,
                        method,
                        url,
                        carried_token,
                        wants_nonce,
                        redirect_heads,
                    });
                }
            };
            hops += 1;
            if hops > MAX_REDIRECTS {
                bail!("{what}: more than {MAX_REDIRECTS} redirects");
            }
            let next = url
                .join(&location)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .ok_or_else(|| {
                    anyhow!(
                        "{what} redirected to `{}`, which is not an http(s) URL",
                        one_line(&location, 200)
                    )
                })?;
            // As curl and browsers do (RFC 9110 §15.4): 303 makes any method but HEAD a GET,
            // 301 and 302 make a POST a GET; 307 and 308 keep the method and the body.
            if (status == 303 && method != Method::HEAD)
                || (matches!(status, 301 | 302) && method == Method::POST)
            {
                method = Method::GET;
                with_body = false;
            }
            if self.include {
                redirect_heads.push(head_bytes(&response));
            }
            drain(&mut response);
            if self.verbose {
                eprintln!("* following the {status} to {next}");
            }
            url = next;
        }
    }
}

/// The requests of one command: the command around them, and the rules for sending a request
/// again.
pub struct Session<C: Caller> {
    pub caller: C,
    retry: RetryPolicy,
    /// `-s`: no retry or refresh messages.
    silent: bool,
}

/// The response that ends an exchange, and what it took to get it.
pub struct Outcome {
    pub exchange: Exchange,
    /// A 401 made the session fetch a new token and send again.
    pub refreshed: bool,
    /// Why a status that is retried was not retried (or a 401 not sent again).
    pub note: Option<String>,
}

impl<C: Caller> Session<C> {
    pub fn new(caller: C, retry: RetryPolicy, silent: bool) -> Session<C> {
        Session {
            caller,
            retry,
            silent,
        }
    }

    /// One request as the user sees it: sent, retried on 429 and 502–504 per the retry policy,
    /// and sent once more with a new token after a 401. The response that ends it is returned
    /// unread, whatever its status.
    pub fn exchange(&mut self, sender: &mut Sender) -> Result<Outcome> {
        let mut retries_done = 0;
        let mut refreshed = false;
        let mut nonce_given = false;
        loop {
            let mut exchange = sender.send(self.caller.token())?;
            let status = exchange.response.status();
            let outcome = |exchange, note| Outcome {
                exchange,
                refreshed,
                note,
            };
            // Once per request: a server that asks again for the nonce it just got will not
            // take the next one either.
            if exchange.wants_nonce && !nonce_given && sender.payload.replayable().is_ok() {
                nonce_given = true;
                if sender.verbose {
                    eprintln!(
                        "* {} wants a DPoP nonce; sending again with the one it gave",
                        exchange.what()
                    );
                }
                drain(&mut exchange.response);
                continue;
            }
            if status == StatusCode::UNAUTHORIZED && exchange.carried_token && !refreshed {
                self.caller.reject_token();
                if let Err(why) = sender.payload.replayable() {
                    // The next run starts with a new token at least.
                    let note = format!("not sent again with a new token: {why}");
                    return Ok(outcome(exchange, Some(note)));
                }
                let challenge = BearerChallenge::from_headers(exchange.response.headers())
                    .and_then(|c| c.summary())
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                self.announce(&format!(
                    "{} answered 401 Unauthorized{challenge}; fetching a new token and sending again",
                    exchange.what()
                ));
                drain(&mut exchange.response);
                self.caller.renew_token()?;
                refreshed = true;
                continue;
            }
            let retry_after = retry_after(&exchange.response);
            match self
                .retry
                .decide(&sender.method, status, retry_after, retries_done, jitter())
            {
                Retry::After(wait) => {
                    if let Err(why) = sender.payload.replayable() {
                        return Ok(outcome(exchange, Some(format!("not sent again: {why}"))));
                    }
                    let summary = error_summary(&drain(&mut exchange.response))
                        .map(|s| format!(": {s}"))
                        .unwrap_or_default();
                    retries_done += 1;
                    self.announce(&format!(
                        "{} answered {}{summary}; retry {retries_done} of {} in {}",
                        exchange.what(),
                        status_text(status),
                        self.retry.retries,
                        seconds(wait)
                    ));
                    std::thread::sleep(wait);
                }
                Retry::No(why) => return Ok(outcome(exchange, Some(why))),
                Retry::NotRetryable => return Ok(outcome(exchange, None)),
            }
        }
    }

    fn announce(&self, message: &str) {
        if !self.silent {
            self.caller.say(&format!("oauthctl: {message}"));
        }
    }
}

/// The response's `Retry-After` as a wait from now, when it has a valid one.
fn retry_after(response: &Response) -> Option<Duration> {
    response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, SystemTime::now()))
}

/// The statuses that `-L` follows (RFC 9110 §15.4): 300 and 304 are not redirects to follow.
fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// For a redirect that was not followed: what it was and where to, with the hint to follow it.
/// The target is shown resolved and serialized as a URL (percent-encoded), or else with control
/// characters replaced: a Location header cannot write on the terminal.
pub fn unfollowed_redirect(exchange: &Exchange) -> Option<String> {
    let status = exchange.response.status();
    if !is_redirect(status.as_u16()) {
        return None;
    }
    let location = exchange.response.headers().get(LOCATION)?;
    let location = String::from_utf8_lossy(location.as_bytes());
    let target = match exchange.url.join(location.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url.to_string(),
        _ => format!("`{}`", one_line(&location, 200)),
    };
    Some(format!(
        "{} answered {}, a redirect to {target}, which was not followed\nhint: add -L to follow redirects (the token goes only to the same origin)",
        exchange.what(),
        status_text(status)
    ))
}

/// Reads and drops a response that will not be shown, keeping its start for a message.
pub fn drain(response: &mut Response) -> Vec<u8> {
    let mut kept = Vec::new();
    let _ = response
        .by_ref()
        .take(SUMMARY_LIMIT as u64)
        .read_to_end(&mut kept);
    kept
}

/// The whole body of `response`, when it is at most `limit` bytes once decoded; `None`, having
/// read no more than `limit + 1` bytes of it, when it is longer.
pub fn read_at_most(response: &mut Response, limit: usize, what: &str) -> Result<Option<Vec<u8>>> {
    let mut body = Vec::new();
    response
        .by_ref()
        .take(limit as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|err| no_response_while_reading(what, &err))?;
    Ok((body.len() <= limit).then_some(body))
}

fn seconds(wait: Duration) -> String {
    if wait.subsec_millis() == 0 {
        format!("{} s", wait.as_secs())
    } else {
        format!("{:.1} s", wait.as_secs_f64())
    }
}

/// The status line and headers, as `-i` writes them (curl's layout, CRLF line ends).
pub fn head_bytes(response: &Response) -> Vec<u8> {
    let mut out = format!(
        "{} {}\r\n",
        version_text(response.version()),
        status_text(response.status())
    )
    .into_bytes();
    for (name, value) in response.headers() {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// `-v`: the request head, credentials redacted.
fn show_request(request: &Request) {
    verbose::request_head(request);
    eprintln!(">");
}

fn show_response_head(response: &Response) {
    verbose::response_head(response);
    eprintln!("<");
}
