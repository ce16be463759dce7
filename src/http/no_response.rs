//! A request that got no response, in words: what failed (the connection, TLS, the time limit)
//! and what to do about it (`ca_file` for an untrusted issuer, `--timeout` for a slow server).

use std::path::Path;
use std::time::Duration;

/// A request that got no response: no connection, no TLS, or the time limit passed. Its text is
/// the whole message; the type lets the commands that have `--timeout` add a hint about it
/// ([`with_timeout_hint`]).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct NoResponse {
    message: String,
    /// The time limit passed (not the 10 s that connecting may take).
    timed_out: bool,
}

/// `<what> failed: <reqwest's error and its causes>`, with a hint about `ca_file` when the
/// server's certificate was issued by a CA that is not trusted.
pub fn no_response(
    what: &str,
    err: &reqwest::Error,
    profile: &str,
    ca_file: Option<&Path>,
) -> anyhow::Error {
    let mut message = format!("{what} failed: {}", describe_reqwest_error(err));
    if is_unknown_issuer(err) {
        message.push_str(&ca_file_hint(profile, ca_file));
    }
    NoResponse {
        message,
        timed_out: err.is_timeout() && !err.is_connect(),
    }
    .into()
}

/// The same for a response whose body stopped coming: `<what> failed while reading the answer`.
/// Its text only, not the io::Error: a connection reset must not pass for the closed stdout that
/// `main` exits quietly on.
pub fn no_response_while_reading(what: &str, err: &std::io::Error) -> anyhow::Error {
    let inner = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<reqwest::Error>());
    let cause = inner
        .map(describe_reqwest_error)
        .unwrap_or_else(|| err.to_string());
    NoResponse {
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
            .downcast_ref::<NoResponse>()
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
fn ca_file_hint(name: &str, ca_file: Option<&Path>) -> String {
    match ca_file {
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
