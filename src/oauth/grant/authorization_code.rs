//! The authorization code grant with PKCE, for a person at a command line (RFC 6749 §4.1,
//! RFC 7636 with S256, RFC 8252 for native apps): oauthctl listens on a loopback port, sends the
//! browser to the authorization endpoint with a fresh `state` and code challenge, takes the code
//! the browser is redirected back with, and trades it and the code verifier for a token.
//!
//! What reaches the loopback port is not trusted: a request for another path (a favicon) is
//! answered 404 and passed over, one whose `state` is not ours is answered and passed over with a
//! warning (another tab, or another program, cannot push its code into this sign-in), and only
//! the first answer with our `state` counts. The code and the verifier are [`Secret`]s: never in
//! a message, `-v` shows them as REDACTED.

use std::io::{BufRead, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use url::Url;

use super::{GrantProof, SignIn};
use crate::error::{Failure, one_line};
use crate::oauth::response::{TokenResponse, is_token};
use crate::oauth::{Options, TokenRequest, request_with};
use crate::secret::Secret;

/// The path of the redirect URI oauthctl makes up when the profile names none.
pub const CALLBACK_PATH: &str = "/callback";

/// The most of a browser's request that is read: its request line and headers.
const MAX_REQUEST: usize = 16 << 10;

/// The authorization code grant of a profile: where the person signs in, and where the browser
/// is sent back to.
#[derive(Debug, Clone)]
pub struct AuthorizationCode {
    /// The authorization endpoint (`authorization_url`): https, or http on a loopback host.
    pub authorization_url: Url,
    pub redirect: Redirect,
}

/// Where the browser is sent back to (RFC 8252 §7.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// `http://127.0.0.1:PORT/callback`, on a free port or on `redirect_port`.
    Loopback { port: Option<u16> },
    /// `redirect_uri` exactly as the profile gives it (for servers that register one exactly):
    /// an http URL on 127.0.0.1, `localhost` or `[::1]`, whose port and path oauthctl listens on.
    Exact(Url),
}

impl Redirect {
    /// The address to listen on, and the path the browser comes back to. Port 0: any free one.
    pub fn listen_on(&self) -> (SocketAddr, String) {
        match self {
            Redirect::Loopback { port } => (
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port.unwrap_or(0)),
                CALLBACK_PATH.to_string(),
            ),
            Redirect::Exact(url) => {
                let ip = match url.host() {
                    Some(url::Host::Ipv6(_)) => IpAddr::V6(Ipv6Addr::LOCALHOST),
                    _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
                };
                let port = url.port_or_known_default().unwrap_or(80);
                (SocketAddr::new(ip, port), url.path().to_string())
            }
        }
    }

    /// The redirect URI sent, once the port is known.
    fn uri(&self, port: u16) -> String {
        match self {
            Redirect::Loopback { .. } => format!("http://127.0.0.1:{port}{CALLBACK_PATH}"),
            Redirect::Exact(url) => url.to_string(),
        }
    }
}

/// Checks a profile's `redirect_uri`: http on a loopback host, nothing a browser would not send
/// back to oauthctl. The error says what to write instead.
pub fn check_redirect_uri(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|err| format!("`{value}` is not a URL: {err}"))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip == Ipv4Addr::LOCALHOST,
        Some(url::Host::Ipv6(ip)) => ip == Ipv6Addr::LOCALHOST,
        None => false,
    };
    if url.scheme() != "http" || !loopback {
        return Err(format!(
            "`{value}` is not an http URL on 127.0.0.1, localhost or [::1]; oauthctl receives the browser's redirect on a loopback port (RFC 8252 §7.3)"
        ));
    }
    if url.fragment().is_some() || url.query().is_some() {
        return Err(format!(
            "`{value}` has a query or fragment; a redirect URI names a port and a path"
        ));
    }
    Ok(url)
}

/// Signs a person in: the browser (or the URL on stderr, or a pasted answer), the code, and the
/// token request that trades it.
pub fn sign_in(
    request: &TokenRequest,
    grant: &AuthorizationCode,
    opts: &SignIn,
) -> Result<TokenResponse> {
    let verifier = Secret::new(random_text(32)?);
    let state = random_text(16)?;
    let (addr, path) = grant.redirect.listen_on();
    let host = crate::http::target::host_with_port(&grant.authorization_url);
    let deadline = Instant::now() + opts.login_timeout;
    let (code, redirect_uri) = if opts.paste {
        // The browser is elsewhere: its redirect to this machine's loopback port fails there,
        // and the person copies the address it shows. Nothing listens; a free port only makes
        // the redirect URI.
        let port = match addr.port() {
            0 => listen(addr)?.local_addr()?.port(),
            port => port,
        };
        let redirect_uri = grant.redirect.uri(port);
        let url = authorization_request(grant, request, &redirect_uri, &state, &verifier);
        (opts.say)(&format!(
            "oauthctl: to sign in for profile {}, open this URL in a browser (on any machine):\n\n  {url}\n\nthen paste the address the browser was sent to at the end (it starts with {redirect_uri}), or the code, and press Enter:",
            opts.profile
        ));
        let line = read_pasted_line(deadline).map_err(|err| timed_out(err, opts))?;
        (pasted_code(&line, &state)?, redirect_uri)
    } else {
        let listener = listen(addr)?;
        let redirect_uri = grant.redirect.uri(listener.local_addr()?.port());
        let url = authorization_request(grant, request, &redirect_uri, &state, &verifier);
        show_url(&url, &host, opts);
        let code = wait_for_code(&listener, &path, &state, deadline, opts)?;
        (code, redirect_uri)
    };
    let proof = GrantProof::AuthorizationCode {
        code,
        redirect_uri,
        code_verifier: verifier,
    };
    request_with(
        &opts.profile,
        request,
        &proof,
        opts.ca_file.as_deref(),
        &Options {
            timeout: opts.timeout,
            verbose: opts.verbose,
            passcode: None,
            memo: None,
            dpop: opts.dpop,
        },
    )
}

/// The loopback listener for the browser's redirect.
fn listen(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr).map_err(|err| {
        if addr.port() == 0 {
            anyhow!(
                "cannot listen on a free port of {} for the browser's redirect: {err}\nhint: is the loopback interface up?",
                addr.ip()
            )
        } else {
            anyhow!(
                "cannot listen on port {} of {} for the browser's redirect: {err}\nhint: another program uses the port; close it, or change redirect_port / redirect_uri (and what the server registered)",
                addr.port(),
                addr.ip()
            )
        }
    })
}

/// The grant's fields of the token request (RFC 6749 §4.1.3, RFC 7636 §4.5).
pub(super) fn fields<'a>(
    code: &'a Secret,
    redirect_uri: &'a str,
    code_verifier: &'a Secret,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code.expose()),
        ("redirect_uri", redirect_uri),
        ("code_verifier", code_verifier.expose()),
    ]
}

/// `len` random bytes from the operating system, base64url without padding: 32 bytes make the
/// 43-character verifier RFC 7636 §4.1 recommends.
fn random_text(len: usize) -> Result<String> {
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes)
        .map_err(|err| anyhow!("the operating system gave no random bytes: {err}"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The S256 code challenge of a verifier (RFC 7636 §4.2).
fn challenge(verifier: &Secret) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose().as_bytes()))
}

/// The authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3): the endpoint's own query kept.
fn authorization_request(
    grant: &AuthorizationCode,
    request: &TokenRequest,
    redirect_uri: &str,
    state: &str,
    verifier: &Secret,
) -> Url {
    let mut url = grant.authorization_url.clone();
    {
        let mut query = url.query_pairs_mut();
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &request.client_id)
            .append_pair("redirect_uri", redirect_uri);
        if let Some(scope) = &request.scope {
            query.append_pair("scope", scope);
        }
        query
            .append_pair("state", state)
            .append_pair("code_challenge", &challenge(verifier))
            .append_pair("code_challenge_method", "S256");
    }
    url
}

/// True when a browser can be expected to open: `$BROWSER` names one, or (on Linux and the BSDs)
/// there is a display to open it on. Over SSH without one, the URL is printed instead of
/// starting a text browser in the terminal.
pub fn browser_can_open() -> bool {
    let set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
    if set("BROWSER") {
        return true;
    }
    if cfg!(all(unix, not(target_os = "macos"))) {
        return set("DISPLAY") || set("WAYLAND_DISPLAY") || set("WSL_DISTRO_NAME");
    }
    true
}

/// Opens the browser at `url`, or says where to go when it cannot or may not.
fn show_url(url: &Url, host: &str, opts: &SignIn) {
    let profile = &opts.profile;
    if !opts.open_browser {
        (opts.say)(&format!(
            "oauthctl: to sign in for profile {profile}, open this URL in a browser on this machine:\n\n  {url}\n"
        ));
        return;
    }
    if !browser_can_open() {
        (opts.say)(&format!(
            "oauthctl: no browser can be opened here (no $BROWSER, no display); to sign in for profile {profile}, open this URL in a browser on this machine:\n\n  {url}\n\nhint: with the browser on another machine, run `oauthctl login -p {profile} --paste`"
        ));
        return;
    }
    match webbrowser::open(url.as_str()) {
        Ok(()) => (opts.say)(&format!(
            "oauthctl: signing in for profile {profile} at {host} in your browser; if it did not open, open this URL:\n\n  {url}\n"
        )),
        Err(err) => (opts.say)(&format!(
            "oauthctl: cannot open a browser ({err}); to sign in for profile {profile}, open this URL in a browser on this machine:\n\n  {url}\n"
        )),
    }
}

/// What one request to the loopback port brought.
enum Arrival {
    /// Our state and a code.
    Code(Secret),
    /// Our state and an error from the authorization server (RFC 6749 §4.1.2.1).
    Refused(String),
    /// A redirect with another state (or none): not ours.
    WrongState,
}

/// Waits for the browser's redirect until `deadline`; each connection is answered on a thread of
/// its own, so that a browser's idle spare connection holds nothing up.
fn wait_for_code(
    listener: &TcpListener,
    path: &str,
    state: &str,
    deadline: Instant,
    opts: &SignIn,
) -> Result<Secret> {
    listener
        .set_nonblocking(true)
        .context("cannot wait for the browser's redirect")?;
    let (tx, rx) = mpsc::channel();
    loop {
        let mut busy = false;
        match listener.accept() {
            Ok((stream, _)) => {
                busy = true;
                let (tx, path, state) = (tx.clone(), path.to_string(), state.to_string());
                std::thread::spawn(move || {
                    if let Some(arrival) = answer(stream, &path, &state) {
                        let _ = tx.send(arrival);
                    }
                });
            }
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err).context("cannot wait for the browser's redirect"),
        }
        match rx.try_recv() {
            Ok(Arrival::Code(code)) => return Ok(code),
            Ok(Arrival::Refused(why)) => {
                return Err(Failure::SignIn(format!(
                    "the sign-in for profile {} was refused: {why}\nhint: run `oauthctl login -p {}` to try again",
                    opts.profile, opts.profile
                ))
                .into());
            }
            Ok(Arrival::WrongState) => {
                busy = true;
                (opts.say)(
                    "oauthctl: warning: ignored a redirect whose state is not this sign-in's (an old tab, or another program); still waiting",
                );
            }
            Err(_) => {}
        }
        if Instant::now() >= deadline {
            return Err(timed_out(anyhow!("timed out"), opts));
        }
        if !busy {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn timed_out(err: anyhow::Error, opts: &SignIn) -> anyhow::Error {
    if err.to_string() != "timed out" {
        return err;
    }
    let profile = &opts.profile;
    Failure::SignIn(format!(
        "the sign-in for profile {profile} timed out after {}: nobody finished signing in\nhint: run `oauthctl login -p {profile}` again (--login-timeout SECS waits longer); with the browser on another machine, add --paste",
        humantime::format_duration(opts.login_timeout)
    ))
    .into()
}

/// Reads one request from the browser and answers it: the page for a redirect, 404 for anything
/// else. Returns what a redirect to `path` brought.
fn answer(mut stream: TcpStream, path: &str, state: &str) -> Option<Arrival> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(10)));
    let head = read_head(&mut stream)?;
    let line = head.lines().next().unwrap_or("");
    let mut parts = line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let Ok(url) = Url::parse("http://127.0.0.1").and_then(|base| base.join(target)) else {
        respond(
            &mut stream,
            400,
            "Bad request",
            "oauthctl could not read this request.",
        );
        return None;
    };
    if method != "GET" || url.path() != path {
        respond(
            &mut stream,
            404,
            "Not found",
            "oauthctl is waiting for a sign-in here; there is nothing else.",
        );
        return None;
    }
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    if param("state").as_deref() != Some(state) {
        respond(
            &mut stream,
            400,
            "Not this sign-in",
            "This answer is not for the sign-in oauthctl is waiting for (its state does not match). Close this tab and use the one oauthctl opened.",
        );
        return Some(Arrival::WrongState);
    }
    if let Some(error) = param("error") {
        let why = refusal(&error, param("error_description").as_deref());
        respond(
            &mut stream,
            200,
            "Sign-in refused",
            &format!(
                "The sign-in was refused: {}. You may close this tab.",
                html_escape(&why)
            ),
        );
        return Some(Arrival::Refused(why));
    }
    match param("code").filter(|code| is_token(code)) {
        Some(code) => {
            respond(
                &mut stream,
                200,
                "Signed in",
                "oauthctl has the sign-in. You may close this tab and go back to the terminal.",
            );
            Some(Arrival::Code(Secret::new(code)))
        }
        None => {
            respond(
                &mut stream,
                400,
                "No code",
                "This redirect carries no authorization code.",
            );
            Some(Arrival::Refused(
                "the redirect carried neither a code nor an error".into(),
            ))
        }
    }
}

/// The server's `error` and `error_description`, on one line without control characters.
fn refusal(error: &str, description: Option<&str>) -> String {
    let text = match description {
        Some(d) if !d.is_empty() => format!("{error}: {d}"),
        _ => error.to_string(),
    };
    one_line(&text, 300)
}

/// The request line and headers, up to [`MAX_REQUEST`] bytes.
fn read_head(stream: &mut TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

fn respond(stream: &mut TcpStream, status: u16, title: &str, text: &str) {
    let body = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>oauthctl: {title}</title></head>\n<body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p></body></html>\n"
    );
    let reason = match status {
        200 => "OK",
        404 => "Not Found",
        _ => "Bad Request",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
    let _ = stream.flush();
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One line from stdin, before `deadline`.
fn read_pasted_line(deadline: Instant) -> Result<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = Vec::new();
        let stdin = std::io::stdin();
        let result = stdin
            .lock()
            .take(MAX_REQUEST as u64)
            .read_until(b'\n', &mut line)
            .map(|_| String::from_utf8_lossy(&line).trim().to_string());
        let _ = tx.send(result);
    });
    let wait = deadline.saturating_duration_since(Instant::now());
    match rx.recv_timeout(wait) {
        Ok(Ok(line)) if !line.is_empty() => Ok(line),
        Ok(Ok(_)) => Err(Failure::SignIn(
            "nothing was pasted: stdin ended before an address or a code came".into(),
        )
        .into()),
        Ok(Err(err)) => Err(anyhow!(err).context("cannot read the pasted answer from stdin")),
        Err(_) => Err(anyhow!("timed out")),
    }
}

/// The code from what was pasted: the whole address the browser was sent to (whose `state` must
/// be ours), its query, or the code alone.
fn pasted_code(line: &str, state: &str) -> Result<Secret> {
    let query = if let Ok(url) = Url::parse(line)
        && url.has_host()
    {
        Some(url.query().unwrap_or("").to_string())
    } else if line.contains("code=") || line.contains("error=") {
        Some(line.trim_start_matches('?').to_string())
    } else {
        None
    };
    let Some(query) = query else {
        if is_token(line) {
            return Ok(Secret::new(line));
        }
        bail!(Failure::SignIn(
            "what was pasted is neither the address the browser was sent to nor a code".into()
        ));
    };
    let param = |name: &str| {
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    if param("state").as_deref() != Some(state) {
        bail!(Failure::SignIn(
            "the pasted address is not this sign-in's (its state does not match): paste the address of the sign-in this oauthctl started".into()
        ));
    }
    if let Some(error) = param("error") {
        bail!(Failure::SignIn(format!(
            "the sign-in was refused: {}",
            refusal(&error, param("error_description").as_deref())
        )));
    }
    match param("code").filter(|c| is_token(c)) {
        Some(code) => Ok(Secret::new(code)),
        None => bail!(Failure::SignIn("the pasted address carries no code".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B: the verifier and the S256 challenge of the example.
    #[test]
    fn the_challenge_is_rfc_7636s_example() {
        let verifier = Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            challenge(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_43_characters_and_differ() {
        let (a, b) = (random_text(32).unwrap(), random_text(32).unwrap());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
    }

    #[test]
    fn a_pasted_address_query_or_code_gives_the_code() {
        let addr = "http://127.0.0.1:8400/callback?code=abc123&state=s1";
        assert_eq!(pasted_code(addr, "s1").unwrap().expose(), "abc123");
        assert_eq!(
            pasted_code("?code=abc123&state=s1", "s1").unwrap().expose(),
            "abc123"
        );
        assert_eq!(pasted_code("abc123", "s1").unwrap().expose(), "abc123");
        let err = pasted_code(addr, "other").unwrap_err().to_string();
        assert!(err.contains("state does not match"), "{err}");
        let err = pasted_code(
            "http://127.0.0.1:1/callback?error=access_denied&error_description=no%1b[2J&state=s1",
            "s1",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("the sign-in was refused: access_denied: no"),
            "{err}"
        );
        assert!(!err.contains('\x1b'), "{err:?}");
        assert!(pasted_code("two words", "s1").is_err());
    }

    #[test]
    fn redirect_uris_are_loopback_http() {
        assert!(check_redirect_uri("http://localhost:8400/callback").is_ok());
        assert!(check_redirect_uri("http://127.0.0.1:8400/").is_ok());
        assert!(check_redirect_uri("http://[::1]:8400/cb").is_ok());
        assert!(check_redirect_uri("https://localhost:8400/cb").is_err());
        assert!(check_redirect_uri("http://example.com:8400/cb").is_err());
        assert!(check_redirect_uri("http://localhost:8400/cb?x=1").is_err());
        let exact = Redirect::Exact(Url::parse("http://localhost:8400/cb").unwrap());
        assert_eq!(
            exact.listen_on(),
            ("127.0.0.1:8400".parse().unwrap(), "/cb".to_string())
        );
        assert_eq!(exact.uri(8400), "http://localhost:8400/cb");
        let free = Redirect::Loopback { port: None };
        assert_eq!(free.listen_on().0.port(), 0);
        assert_eq!(free.uri(5000), "http://127.0.0.1:5000/callback");
    }
}
