//! What `oauthctl call` reads from an API's error response, all of it from the server:
//! `http::error_summary` (the vendor error envelopes of docs/providers.md),
//! `http::parse_bearer_challenge` (`WWW-Authenticate`, RFC 6750 §3) and
//! `http::parse_retry_after` (RFC 9110 §10.2.3) with the retry decision it feeds.
//!
//! Input: the bytes are the body, and the text is also the header value.
//!
//! Properties: a summary is one line of text for stderr (no line breaks, no control characters
//! that would move a terminal's cursor or change its colours, at most 300 characters and an
//! ellipsis) and never empty, since it follows `answered 400 Bad Request: `; a challenge is only
//! found where the word Bearer is; a number of seconds is that many seconds; and whatever
//! `Retry-After` says, oauthctl never waits more than a minute.

#![no_main]

use std::time::{Duration, SystemTime};

use http::{Method, StatusCode};
use libfuzzer_sys::fuzz_target;
use oauthctl::http::{
    MAX_WAIT, Retry, RetryPolicy, error_summary, parse_bearer_challenge, parse_retry_after,
};

fuzz_target!(|data: &[u8]| {
    if let Some(summary) = error_summary(data) {
        check_line(&summary, 301);
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(challenge) = parse_bearer_challenge(text) {
        assert!(text.to_ascii_lowercase().contains("bearer"));
        if let Some(summary) = challenge.summary() {
            assert!(!summary.trim().is_empty(), "{challenge:?}");
        }
    }
    // 1994-11-06 08:49:37 UTC, RFC 9110's example date.
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    let wait = parse_retry_after(text, now);
    if let Ok(secs) = text.trim().parse::<u64>() {
        assert_eq!(wait, Some(Duration::from_secs(secs)));
    }
    let policy = RetryPolicy {
        retries: 3,
        retry_all: false,
    };
    let status = StatusCode::TOO_MANY_REQUESTS;
    if let Retry::After(w) = policy.decide(&Method::GET, status, wait, 0, 0.99) {
        assert!(w <= MAX_WAIT, "{text:?} waits {w:?}");
    }
});

fn check_line(line: &str, max: usize) {
    assert!(!line.trim().is_empty(), "an empty summary");
    assert!(line.chars().count() <= max, "{line}");
    assert!(
        !line.chars().any(|c| c.is_control()),
        "a control character in {line:?}"
    );
}
