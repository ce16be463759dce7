//! `-v` on stderr: request and response heads as curl shows them, with every credential header
//! shown as its scheme and `REDACTED`. `token -v` and `call -v` both print through here, so the
//! redaction rule lives in one place.

use std::io::Write;

use reqwest::blocking::{Request, Response};
use reqwest::header::{AUTHORIZATION, HeaderValue, PROXY_AUTHORIZATION};
use reqwest::{StatusCode, Version};

/// `> METHOD URL` and the request's headers.
pub fn request_head(request: &Request) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "> {} {}", request.method(), request.url());
    for (name, value) in request.headers() {
        let shown = if name == AUTHORIZATION || name == PROXY_AUTHORIZATION {
            redacted(value)
        } else if name.as_str().eq_ignore_ascii_case(crate::dpop::DPOP) {
            // A DPoP proof is as good as the token for the request it names.
            "REDACTED".to_string()
        } else {
            String::from_utf8_lossy(value.as_bytes()).into_owned()
        };
        let _ = writeln!(err, "> {name}: {shown}");
    }
}

/// `< HTTP/1.1 200 OK` and the response's headers.
pub fn response_head(response: &Response) {
    response_head_with(response, str::to_owned);
}

/// The same, each header value through `scrub`: a token endpoint's response may repeat the
/// request's credentials (see `oauth::scrub`).
pub fn response_head_with(response: &Response, scrub: impl Fn(&str) -> String) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "< {} {}",
        version_text(response.version()),
        status_text(response.status())
    );
    for (name, value) in response.headers() {
        let _ = writeln!(
            err,
            "< {name}: {}",
            scrub(&String::from_utf8_lossy(value.as_bytes()))
        );
    }
}

/// `Bearer REDACTED`; a value without a scheme (a bare API key) is all `REDACTED`.
pub fn redacted(value: &HeaderValue) -> String {
    let text = String::from_utf8_lossy(value.as_bytes());
    let mut words = text.split_whitespace();
    match (words.next(), words.next()) {
        (Some(scheme), Some(_)) => format!("{scheme} REDACTED"),
        _ => "REDACTED".to_string(),
    }
}

/// `200 OK`, or the bare code when it has no reason phrase.
pub fn status_text(status: StatusCode) -> String {
    match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    }
}

pub fn version_text(version: Version) -> &'static str {
    match version {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/1.1",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_keep_only_their_scheme() {
        assert_eq!(
            redacted(&HeaderValue::from_static("Bearer abc.def")),
            "Bearer REDACTED"
        );
        assert_eq!(
            redacted(&HeaderValue::from_static("Basic c2E6cw==")),
            "Basic REDACTED"
        );
        assert_eq!(redacted(&HeaderValue::from_static("abc123")), "REDACTED");
    }
}
