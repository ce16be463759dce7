//! Whether and when a response is worth sending the request again for: 429 and 502-504, on
//! idempotent methods (RFC 9110 §9.2.2) unless `--retry-all`, after `Retry-After`
//! (RFC 9110 §10.2.3) or an exponential backoff with jitter, never longer than a minute.

use std::time::{Duration, SystemTime};

use reqwest::{Method, StatusCode};

/// The longest oauthctl waits before a retry, whatever the server asks.
pub const MAX_WAIT: Duration = Duration::from_secs(60);

/// When a request whose response failed is sent again.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// How many times a request is sent again (`--retries`).
    pub retries: u32,
    /// Retry methods that are not idempotent too (`--retry-all`).
    pub retry_all: bool,
}

/// What to do about one response.
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
    /// Decides about a response `status` to `method`, when `done` retries have been sent already.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
