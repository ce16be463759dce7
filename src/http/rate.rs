//! How fast requests may go: `--rate N/s` or `N/min` ([`RateLimit`]), and the [`Limiter`] that
//! holds a command's requests to it across threads, with the pause that a 429 and its
//! `Retry-After` (RFC 6585 §4, RFC 9110 §10.2.3) put on every request, not only the one that got it.
//!
//! The API, for any command that sends many requests (`call --paginate`, a batch):
//!
//! - [`RateLimit::parse`] reads what the user typed (`10/s`, `60/min`, `none`).
//! - [`Limiter::new`] makes one limiter for the command; clone it into every thread (a clone is the
//!   same limiter, not a copy of it).
//! - [`Limiter::wait_turn`] before each request: it returns when the request may go.
//! - [`Limiter::pause`] when a server asks every request to wait: no request of the command goes
//!   before then, whichever thread sends it.
//!
//! `http::exchange::Sender` does both for every request it sends, so a command that sends through
//! a `Sender` only makes the limiter and hands it over.
//!
//! Requests are spaced evenly, one every period / N, the first at once: a limit of 60 a minute sends
//! one a second, never a burst of 60 that a server counting per second would refuse. The limit is
//! this process's: two oauthctl processes at once each keep to it.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// At most `requests` requests every `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    requests: u32,
    per: Duration,
}

impl Rate {
    /// `requests` a second.
    pub const fn per_second(requests: u32) -> Rate {
        Rate {
            requests,
            per: Duration::from_secs(1),
        }
    }

    /// `requests` a minute.
    pub const fn per_minute(requests: u32) -> Rate {
        Rate {
            requests,
            per: Duration::from_secs(60),
        }
    }

    /// The time between two requests.
    pub fn interval(&self) -> Duration {
        self.per / self.requests.max(1)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.per == Duration::from_secs(60) {
            "min"
        } else {
            "s"
        };
        write!(f, "{}/{unit}", self.requests)
    }
}

/// `--rate` or a profile's `rate`: a limit, or `none` (to lift a provider's default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    /// As fast as the server answers.
    Off,
    Max(Rate),
}

/// The most requests a second (or a minute) that can be asked for: past it, the spacing would be
/// under a microsecond, which no network keeps.
const MOST_REQUESTS: u32 = 1_000_000;

impl RateLimit {
    /// `N/s` (also `N/sec`, `N/second`), `N/min` (also `N/m`, `N/minute`), or `none`. The message of
    /// an error says what was expected, for `--rate` and for the profile key alike.
    pub fn parse(text: &str) -> Result<RateLimit, String> {
        let text = text.trim();
        if matches!(text, "none" | "off") {
            return Ok(RateLimit::Off);
        }
        let expected =
            || format!("`{text}` is not a rate: write N/s or N/min (e.g. 10/s, 60/min), or none");
        let (count, unit) = text.split_once('/').ok_or_else(expected)?;
        let per = match unit.trim() {
            "s" | "sec" | "second" => Duration::from_secs(1),
            "m" | "min" | "minute" => Duration::from_secs(60),
            _ => return Err(expected()),
        };
        let requests: u32 = count.trim().parse().map_err(|_| expected())?;
        if requests == 0 || requests > MOST_REQUESTS {
            return Err(format!(
                "`{text}`: the number of requests must be from 1 to {MOST_REQUESTS} (none lifts the limit)"
            ));
        }
        Ok(RateLimit::Max(Rate { requests, per }))
    }
}

impl FromStr for RateLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<RateLimit, String> {
        RateLimit::parse(text)
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateLimit::Off => f.write_str("none"),
            RateLimit::Max(rate) => rate.fmt(f),
        }
    }
}

/// The pace of one command's requests, shared by its threads. Cloning it shares it.
#[derive(Debug, Clone)]
pub struct Limiter {
    state: Arc<Mutex<State>>,
}

#[derive(Debug)]
struct State {
    /// The time between two requests; `None` without a limit.
    interval: Option<Duration>,
    /// The earliest the next request may go, by the rate.
    next: Option<Instant>,
    /// No request goes before this: a server asked for a pause.
    paused_until: Option<Instant>,
}

impl Default for Limiter {
    fn default() -> Limiter {
        Limiter::new(RateLimit::Off)
    }
}

impl Limiter {
    pub fn new(limit: RateLimit) -> Limiter {
        let interval = match limit {
            RateLimit::Off => None,
            RateLimit::Max(rate) => Some(rate.interval()),
        };
        Limiter {
            state: Arc::new(Mutex::new(State {
                interval,
                next: None,
                paused_until: None,
            })),
        }
    }

    /// Waits until a request may go (after any pause, and a rate's interval after the one before),
    /// and counts it as gone.
    pub fn wait_turn(&self) {
        loop {
            let mut state = self.lock();
            let now = Instant::now();
            let at = state.next.max(state.paused_until).filter(|at| *at > now);
            let Some(at) = at else {
                state.next = state.interval.map(|interval| now + interval);
                return;
            };
            drop(state);
            // Not a turn kept for this thread: after the sleep the state is read again, as a pause
            // may have come meanwhile, and another thread may have taken the turn.
            std::thread::sleep(at - now);
        }
    }

    /// No request goes for `wait` from now (or until a longer pause already set ends).
    pub fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut state = self.lock();
        state.paused_until = state.paused_until.max(Some(until));
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A thread that panicked while holding the lock left only times in it, which are sound.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_n_per_second_or_minute_or_none() {
        let max = |requests, secs| {
            Ok(RateLimit::Max(Rate {
                requests,
                per: Duration::from_secs(secs),
            }))
        };
        assert_eq!(RateLimit::parse("10/s"), max(10, 1));
        assert_eq!(RateLimit::parse(" 10 / sec "), max(10, 1));
        assert_eq!(RateLimit::parse("5/second"), max(5, 1));
        assert_eq!(RateLimit::parse("60/min"), max(60, 60));
        assert_eq!(RateLimit::parse("200/m"), max(200, 60));
        assert_eq!(RateLimit::parse("1/minute"), max(1, 60));
        assert_eq!(RateLimit::parse("none"), Ok(RateLimit::Off));
        assert_eq!(RateLimit::parse("off"), Ok(RateLimit::Off));
        for bad in [
            "", "10", "10/h", "ten/s", "-1/s", "1.5/s", "/s", "10/", "10/s/s",
        ] {
            let err = RateLimit::parse(bad).unwrap_err();
            assert!(err.contains("write N/s or N/min"), "{bad}: {err}");
        }
        for bad in ["0/s", "1000001/s"] {
            let err = RateLimit::parse(bad).unwrap_err();
            assert!(err.contains("from 1 to 1000000"), "{bad}: {err}");
        }
        // The bounds themselves are rates.
        assert_eq!(max(1, 1), RateLimit::parse("1/s"));
        assert_eq!(max(1_000_000, 1), RateLimit::parse("1000000/s"));
    }

    #[test]
    fn a_rate_is_written_as_it_is_typed() {
        assert_eq!(RateLimit::parse("60/min").unwrap().to_string(), "60/min");
        assert_eq!(RateLimit::parse("8/sec").unwrap().to_string(), "8/s");
        assert_eq!(RateLimit::Off.to_string(), "none");
        assert_eq!(Rate::per_minute(60).interval(), Duration::from_secs(1));
        assert_eq!(Rate::per_second(4).interval(), Duration::from_millis(250));
    }

    #[test]
    fn requests_are_spaced_by_the_interval_across_threads() {
        let limiter = Limiter::new(RateLimit::Max(Rate::per_second(20)));
        let start = Instant::now();
        let threads: Vec<_> = (0..3)
            .map(|_| {
                let limiter = limiter.clone();
                std::thread::spawn(move || {
                    (0..3)
                        .map(|_| {
                            limiter.wait_turn();
                            Instant::now()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut times: Vec<Instant> = threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect();
        times.sort();
        // Nine requests at 20 a second: the first at once, the last 8 × 50 ms later at the
        // earliest, and no two closer than the interval.
        assert!(times[8] - start >= Duration::from_millis(400));
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(50) - Duration::from_micros(200));
        }
    }

    #[test]
    fn a_pause_holds_every_thread_and_without_a_limit_nothing_waits() {
        let limiter = Limiter::default();
        let start = Instant::now();
        for _ in 0..1000 {
            limiter.wait_turn();
        }
        assert!(start.elapsed() < Duration::from_millis(500));

        limiter.pause(Duration::from_millis(300));
        // A shorter pause does not shorten it.
        limiter.pause(Duration::from_millis(10));
        let other = limiter.clone();
        let waited = std::thread::spawn(move || {
            other.wait_turn();
            start.elapsed()
        });
        limiter.wait_turn();
        assert!(start.elapsed() >= Duration::from_millis(300));
        assert!(waited.join().unwrap() >= Duration::from_millis(300));
    }
}
