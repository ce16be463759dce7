//! `oauthctl batch`: many requests in one process, one per line of the input, up to `-P` of them
//! in flight over shared connections, with one token for all; one JSON line per request on
//! stdout, in the input's order (or as they complete, `--unordered`).
//!
//! Each request is checked and sent as `call` sends one: the same target and origin rules
//! (`call::address`), the same exchange with its retries, new token after a 401 and redirects
//! (`http::exchange`), the same line for a 4xx or 5xx (`call::failure`). What is `batch`'s own is
//! the input ([`input`]), the output line ([`answer`]), and the flow between them:
//!
//! - a reader thread reads the input a line at a time, and never more than `2 × -P` request
//!   lines ahead of what has been written, so that memory is bounded whatever the input's length;
//! - `-P` worker threads each send one request at a time, and share the token
//!   ([`SharedBearer`]: after a 401, one new token for all) and the HTTP clients (one pool of
//!   connections, TLS set up once);
//! - this thread hands out the lines, writes the answers (holding early ones back until those
//!   before them are written), the messages on stderr, the progress line and the summary.

mod answer;
mod input;

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, Sender as Channel, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use reqwest::header::CONTENT_TYPE;

use super::Selection;
use super::call::bearer::{Held, SharedBearer};
use super::call::body::Destination;
use super::call::failure::failure;
use super::call::progress::{Progress, count_text};
use super::call::{Address, Data, address};
use crate::config::Profile;
use crate::error::{Exit, render_error};
use crate::http::client::{ClientOptions, Clients};
use crate::http::exchange::{Caller, Credential, SUMMARY_LIMIT, Sender, Session, read_at_most};
use crate::http::no_response::with_timeout_hint;
use crate::http::payload::Payload;
use crate::http::rate::{Limiter, Rate, RateLimit};
use crate::http::retry::RetryPolicy;
use crate::http::target::parse_method;
use crate::providers::Provider;
use crate::secret::Secret;
use crate::tokens;
use answer::{Answer, BODY_LIMIT, Body, Outcome, write_line};
use input::{Lines, RequestLine};

/// What the user asked `batch` to do, as plain values (see `cli::BatchArgs` for the meanings).
#[derive(Debug)]
pub struct Options {
    /// The requests' file; `None` for stdin.
    pub input: Option<PathBuf>,
    /// `-P`: requests in flight at once, at least 1.
    pub parallel: usize,
    /// `--unordered`: write each answer as it comes.
    pub unordered: bool,
    /// `--rate`; `None` leaves it to the profile, then the provider.
    pub rate: Option<RateLimit>,
    /// `-L`: follow redirects.
    pub follow: bool,
    /// `-s`: no 4xx/5xx lines, retry messages or summary on stderr.
    pub silent: bool,
    /// Longest wait for an answer to begin, and for each read of its body.
    pub timeout: Duration,
    pub retry: RetryPolicy,
    /// Ask for compressed answers and decode them (not under `--no-compressed`).
    pub compressed: bool,
    /// `--passcode`: appended to the password if a token must be fetched (password grant).
    pub passcode: Option<Secret>,
}

pub fn run(selection: &Selection, opts: Options) -> Result<Exit> {
    let input: Box<dyn BufRead + Send> = match &opts.input {
        Some(path) => Box::new(BufReader::with_capacity(
            64 << 10,
            File::open(path).with_context(|| format!("cannot read {}", path.display()))?,
        )),
        None => Box::new(BufReader::with_capacity(64 << 10, io::stdin())),
    };
    let (_, profile) = selection
        .resolve_discovering(&crate::tokens::discovery::Discovery::fetching(opts.timeout))?;
    let dest = Destination::open(None)?;
    let token_options = tokens::Options {
        refresh: false,
        no_cache: false,
        timeout: opts.timeout,
        verbose: false,
        passcode: opts.passcode.clone(),
        sign_in: Default::default(),
    };
    let progress = Progress::where_watched(dest.may_reach_terminal, opts.silent);
    let bearer = SharedBearer::new(profile.clone(), token_options, Arc::new(progress));
    // As `call` does: no token, nothing sent (exit 3). Only a profile whose own headers carry an
    // Authorization needs none (unless a line takes that header away: then it is fetched then).
    let authorized = profile
        .headers
        .keys()
        .any(|name| name.eq_ignore_ascii_case("authorization"));
    if !authorized {
        bearer
            .current()
            .map_err(|err| with_timeout_hint(err, opts.timeout))?;
    }
    let clients = Clients::new(ClientOptions {
        profile: profile.name.clone(),
        ca_file: profile.ca_file.clone(),
        timeout: opts.timeout,
        compressed: opts.compressed,
    });
    let batch = Batch {
        bearer: &bearer,
        clients,
        pace: Pace::new(&profile, opts.rate),
        opts: &opts,
    };
    let code = batch.run(input, dest.writer)?;
    Ok(Exit(code))
}

/// What every request of the batch shares.
struct Batch<'a> {
    bearer: &'a SharedBearer,
    clients: Clients,
    pace: Pace,
    opts: &'a Options,
}

/// The pace of the batch's requests: one limit for all lines where `--rate` or the profile gives
/// one; else the provider's documented limit for the API each request goes to (the lines to one
/// API share it); else none. A 429's `Retry-After` pauses every request that shares the limiter.
struct Pace {
    fixed: Option<Limiter>,
    provider: Option<&'static Provider>,
    /// One limiter per provider rate met so far, and one for the requests under none.
    by_rate: Mutex<Vec<(Option<Rate>, Limiter)>>,
}

impl Pace {
    fn new(profile: &Profile, rate: Option<RateLimit>) -> Pace {
        Pace {
            fixed: rate.or(profile.rate).map(Limiter::new),
            provider: profile.provider,
            by_rate: Mutex::new(Vec::new()),
        }
    }

    fn limiter_for(&self, path: &str) -> Limiter {
        if let Some(fixed) = &self.fixed {
            return fixed.clone();
        }
        let rate = self.provider.and_then(|p| p.rate_for(path));
        let mut by_rate = self.by_rate.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, limiter)) = by_rate.iter().find(|(r, _)| *r == rate) {
            return limiter.clone();
        }
        let limiter = Limiter::new(rate.map_or(RateLimit::Off, RateLimit::Max));
        by_rate.push((rate, limiter.clone()));
        limiter
    }
}

/// What reaches the thread that writes: from the reader, from the workers.
enum Event {
    Line(RequestLine),
    Done(Answer),
    /// The input ended; with an error when it could not be read to its end.
    End(Option<io::Error>),
}

impl Batch<'_> {
    /// Reads, sends and writes everything; the exit code.
    fn run(&self, input: Box<dyn BufRead + Send>, out: Box<dyn Write>) -> Result<u8> {
        let parallel = self.opts.parallel.max(1);
        let window = Arc::new(Window::new(2 * parallel));
        let (events, received) = mpsc::channel();
        spawn_reader(input, window.clone(), events.clone());
        let started = Instant::now();
        let (jobs, queue) = mpsc::channel::<RequestLine>();
        let queue = Mutex::new(queue);
        std::thread::scope(|scope| {
            for _ in 0..parallel {
                let events = events.clone();
                let queue = &queue;
                scope.spawn(move || {
                    // One request at a time, until the writer stops handing them out.
                    while let Ok(line) = next_job(queue) {
                        if events.send(Event::Done(self.answer_surely(line))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(events);
            let mut writer = Writer {
                out: io::BufWriter::with_capacity(64 << 10, out),
                tally: Tally::default(),
                progress: &self.bearer.progress,
                last_drawn: None,
                window: &window,
            };
            let written = self.coordinate(&received, jobs, &mut writer);
            // The reader may wait for room, or on a terminal; it is not waited for.
            window.close();
            self.bearer.progress.clear();
            let flushed = writer.out.flush().context("cannot write to stdout");
            written?;
            flushed?;
            if !self.opts.silent {
                eprintln!("oauthctl: {}", writer.tally.summary(started.elapsed()));
            }
            Ok(writer.tally.exit_code())
        })
    }

    /// Hands the lines to the workers, `-P` at a time, and writes what comes back.
    fn coordinate(
        &self,
        events: &Receiver<Event>,
        jobs: Channel<RequestLine>,
        writer: &mut Writer,
    ) -> Result<()> {
        let parallel = self.opts.parallel.max(1);
        let mut waiting: VecDeque<RequestLine> = VecDeque::new();
        let mut in_flight = 0;
        // Answers that came before those above them, by index.
        let mut early: BTreeMap<u64, Answer> = BTreeMap::new();
        let mut next = 0;
        let mut input_done = false;
        loop {
            while in_flight < parallel
                && let Some(line) = waiting.pop_front()
            {
                jobs.send(line)
                    .map_err(|_| anyhow!("the requests' threads stopped"))?;
                in_flight += 1;
            }
            if input_done && in_flight == 0 && waiting.is_empty() {
                return Ok(());
            }
            let event = match events.try_recv() {
                Ok(event) => event,
                Err(TryRecvError::Empty) => {
                    // Nothing to write for now: what was written reaches its reader.
                    writer.out.flush().context("cannot write to stdout")?;
                    events
                        .recv()
                        .map_err(|_| anyhow!("the requests' threads stopped"))?
                }
                Err(TryRecvError::Disconnected) => {
                    return Err(anyhow!("the requests' threads stopped"));
                }
            };
            match event {
                Event::Line(line) => waiting.push_back(line),
                Event::Done(answer) => {
                    in_flight -= 1;
                    if self.opts.unordered {
                        writer.write(answer)?;
                    } else {
                        early.insert(answer.index, answer);
                        while let Some(answer) = early.remove(&next) {
                            writer.write(answer)?;
                            next += 1;
                        }
                    }
                }
                Event::End(None) => input_done = true,
                Event::End(Some(err)) => {
                    input_done = true;
                    let name = self
                        .opts
                        .input
                        .as_ref()
                        .map_or("stdin".to_string(), |p| p.display().to_string());
                    writer.input_failed(&format!("cannot read {name}: {err}"));
                }
            }
        }
    }

    /// [`Batch::answer`], with an answer even if it panics: the writer waits for one per line,
    /// and would wait for ever.
    fn answer_surely(&self, line: RequestLine) -> Answer {
        let (index, number) = (line.index, line.number);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.answer(line))).unwrap_or_else(
            |_| {
                let why = "oauthctl failed on this request (a bug: the message above says where)";
                Answer {
                    index,
                    line: number,
                    outcome: Outcome::NoAnswer,
                    body: Body::None,
                    error: Some(why.to_string()),
                    message: Some(format!("line {number}: {why}")),
                }
            },
        )
    }

    /// One request line, checked, sent and answered.
    fn answer(&self, line: RequestLine) -> Answer {
        let (index, number) = (line.index, line.number);
        let done = |outcome, body, error: Option<String>, message| Answer {
            index,
            line: number,
            outcome,
            body,
            error,
            message,
        };
        let bad = |why: String| {
            let message = format!("line {number}: {why}");
            done(Outcome::BadLine, Body::None, Some(why), Some(message))
        };
        let spec = match line.text.and_then(|text| input::parse(&text)) {
            Ok(spec) => spec,
            Err(why) => return bad(why),
        };
        let profile = &self.bearer.profile;
        // What `call` checks before it sends: the method, the URL and its origin, the headers,
        // and that the token would not travel in the clear.
        let checked = parse_method(&spec.method).and_then(|method| {
            let address = address(
                profile,
                &spec.target,
                &spec.query,
                spec.data.as_ref(),
                spec.headers,
            )?;
            Ok((method, address))
        });
        let (method, address) = match checked {
            Ok(checked) => checked,
            Err(err) => {
                // With its hint, such as the profile key that would allow an origin.
                let (error, message) = self.texts(number, err);
                return done(Outcome::BadLine, Body::None, Some(error), Some(message));
            }
        };
        let Address {
            url,
            headers,
            use_token,
        } = address;
        let token = if use_token {
            match self.bearer.current() {
                Ok(token) => Some(token),
                Err(err) => {
                    let (error, message) = self.texts(number, err);
                    return done(Outcome::NoToken, Body::None, Some(error), Some(message));
                }
            }
        } else {
            None
        };
        let limiter = self.pace.limiter_for(url.path());
        let payload = match spec.data {
            Some(Data::Form(text) | Data::Json(text)) => Payload::Bytes(text.into_bytes()),
            None => Payload::Empty,
        };
        let caller = LineCaller {
            bearer: self.bearer,
            token: Held(token),
            line: number,
        };
        let mut session = Session::new(caller, self.opts.retry, self.opts.silent);
        let mut sender = Sender {
            clients: self.clients.clone(),
            method,
            url,
            headers,
            payload,
            follow: self.opts.follow,
            verbose: false,
            include: false,
            limiter,
        };
        let mut outcome = match session.exchange(&mut sender) {
            Ok(outcome) => outcome,
            Err(err) => {
                let no_token = crate::error::exit_code(&err) == crate::error::code::TOKEN_REFUSED;
                let (error, message) = self.texts(number, err);
                let outcome = if no_token {
                    Outcome::NoToken
                } else {
                    Outcome::NoAnswer
                };
                return done(outcome, Body::None, Some(error), Some(message));
            }
        };
        let what = outcome.exchange.what();
        let response = &mut outcome.exchange.response;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let read = read_at_most(response, BODY_LIMIT, &what);
        let kept = match read {
            Ok(kept) => kept,
            Err(err) => {
                let (error, message) = self.texts(number, err);
                return done(Outcome::NoAnswer, Body::None, Some(error), Some(message));
            }
        };
        let Some(bytes) = kept else {
            let why = format!(
                "{what} answered {status} with more than {} MiB (decoded), more than batch holds for one line; the body is left out",
                BODY_LIMIT >> 20
            );
            let message = format!(
                "line {number}: {why}\nhint: fetch it with oauthctl call -o FILE, which writes a body of any size"
            );
            return done(
                Outcome::Answered {
                    status,
                    whole: false,
                },
                Body::None,
                Some(why),
                Some(message),
            );
        };
        let message = (status >= 400 && !self.opts.silent).then(|| {
            let head = &bytes[..bytes.len().min(SUMMARY_LIMIT)];
            let failure = failure(session.caller.token.0.as_deref(), &outcome, head, false);
            format!("line {number}: {failure}")
        });
        done(
            Outcome::Answered {
                status,
                whole: true,
            },
            Body::of(bytes, content_type.as_deref()),
            None,
            message,
        )
    }

    /// An error as the `error` field says it (its first line), and as stderr does (with hints).
    fn texts(&self, number: u64, err: anyhow::Error) -> (String, String) {
        let err = with_timeout_hint(err, self.opts.timeout);
        let rendered = render_error(&err);
        let rendered = rendered.strip_prefix("oauthctl: ").unwrap_or(&rendered);
        (first_line(&err), format!("line {number}: {rendered}"))
    }
}

/// `text` with every control character but the line breaks shown as �: a line made from data
/// (a method, a header's name, a JSON key quoted in a message) cannot write escape sequences on
/// the terminal.
fn terminal_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// An error's messages on one line, without its hints.
fn first_line(err: &anyhow::Error) -> String {
    let rendered = render_error(err);
    let first = rendered.lines().next().unwrap_or("");
    first
        .strip_prefix("oauthctl: ")
        .unwrap_or(first)
        .to_string()
}

fn next_job(queue: &Mutex<Receiver<RequestLine>>) -> Result<RequestLine, mpsc::RecvError> {
    queue.lock().unwrap_or_else(|e| e.into_inner()).recv()
}

/// The token side of one line's request: the batch's shared token, and messages that name the
/// line.
struct LineCaller<'a> {
    bearer: &'a SharedBearer,
    token: Held,
    line: u64,
}

impl Caller for LineCaller<'_> {
    fn token(&self) -> Option<Credential<'_>> {
        self.token.credential()
    }

    fn reject_token(&mut self) {
        self.token.reject(self.bearer);
    }

    fn renew_token(&mut self) -> Result<()> {
        self.token.renew(self.bearer)
    }

    fn say(&self, message: &str) {
        let message = message.strip_prefix("oauthctl: ").unwrap_or(message);
        self.bearer
            .progress
            .suspend(|| eprintln!("oauthctl: line {}: {message}", self.line));
    }
}

/// Reads the input on a thread of its own, so that a slow input never holds back the answers,
/// taking room in `window` for each request line.
fn spawn_reader(input: Box<dyn BufRead + Send>, window: Arc<Window>, events: Channel<Event>) {
    std::thread::spawn(move || {
        let mut lines = Lines::new(input);
        loop {
            if !window.take() {
                return;
            }
            let event = match lines.next_request() {
                Ok(Some(line)) => Event::Line(line),
                Ok(None) => Event::End(None),
                Err(err) => Event::End(Some(err)),
            };
            let end = matches!(event, Event::End(_));
            if events.send(event).is_err() || end {
                return;
            }
        }
    });
}

/// How many request lines may be read and not yet written: the bound on the lines and answers
/// held in memory.
struct Window {
    room: Mutex<Option<usize>>,
    freed: Condvar,
}

impl Window {
    fn new(size: usize) -> Window {
        Window {
            room: Mutex::new(Some(size)),
            freed: Condvar::new(),
        }
    }

    /// Waits for room for one more line; false once the window is closed.
    fn take(&self) -> bool {
        let mut room = self.room.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match *room {
                None => return false,
                Some(0) => room = self.freed.wait(room).unwrap_or_else(|e| e.into_inner()),
                Some(n) => {
                    *room = Some(n - 1);
                    return true;
                }
            }
        }
    }

    /// A line was written: room for another.
    fn give(&self) {
        let mut room = self.room.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = room.as_mut() {
            *n += 1;
            self.freed.notify_one();
        }
    }

    fn close(&self) {
        *self.room.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.freed.notify_all();
    }
}

/// Writes the answers' lines on stdout, their messages on stderr, and counts them.
struct Writer<'a> {
    out: io::BufWriter<Box<dyn Write>>,
    tally: Tally,
    progress: &'a Progress,
    last_drawn: Option<Instant>,
    window: &'a Window,
}

impl Writer<'_> {
    fn write(&mut self, answer: Answer) -> Result<()> {
        write_line(&mut self.out, &answer).context("cannot write to stdout")?;
        if let Some(message) = &answer.message {
            let message = terminal_safe(message);
            self.progress.suspend(|| eprintln!("oauthctl: {message}"));
        }
        self.tally.count(answer.outcome);
        self.window.give();
        // Often enough to follow, not a write to the terminal per answer.
        if self
            .last_drawn
            .is_none_or(|at| at.elapsed() >= Duration::from_millis(100))
        {
            self.progress.show(self.tally.progress());
            self.last_drawn = Some(Instant::now());
        }
        Ok(())
    }

    fn input_failed(&mut self, message: &str) {
        self.progress.suspend(|| eprintln!("oauthctl: {message}"));
        self.tally.input_failed = true;
    }
}

/// The answers so far, by status class and by what went wrong.
#[derive(Default)]
struct Tally {
    /// Answers by status class: 1xx to 5xx (index 0 to 4).
    classes: [u64; 5],
    /// Answers whose body was over the bound, and so left out.
    too_long: u64,
    bad_lines: u64,
    no_answer: u64,
    worst: u8,
    input_failed: bool,
}

impl Tally {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Answered { status, whole } => {
                let class = usize::from(status / 100).clamp(1, 5) - 1;
                self.classes[class] += 1;
                if !whole {
                    self.too_long += 1;
                }
            }
            Outcome::BadLine => self.bad_lines += 1,
            Outcome::NoToken | Outcome::NoAnswer => self.no_answer += 1,
        }
        self.worst = self.worst.max(outcome.exit_code());
    }

    fn requests(&self) -> u64 {
        self.classes.iter().sum::<u64>() + self.bad_lines + self.no_answer
    }

    /// 0 when every answer was 1xx–3xx, else the highest code a request stands for (5 over 4
    /// over 3 over 1); 1 too when the input could not be read to its end.
    fn exit_code(&self) -> u8 {
        if self.input_failed {
            self.worst.max(crate::error::code::FAILURE)
        } else {
            self.worst
        }
    }

    /// `120 requests: 118 2xx, 2 4xx`.
    fn progress(&self) -> String {
        let requests = self.requests();
        let noun = if requests == 1 { "request" } else { "requests" };
        let mut text = count_text(requests, None, noun);
        let parts = self.parts();
        if !parts.is_empty() {
            text.push_str(": ");
            text.push_str(&parts.join(", "));
        }
        text
    }

    /// `500 requests in 3.2 s: 480 2xx, 12 4xx, 3 5xx, 4 without an answer, 1 bad line`.
    fn summary(&self, took: Duration) -> String {
        let requests = self.requests();
        let noun = if requests == 1 { "request" } else { "requests" };
        let mut text = format!(
            "{} in {:.1} s",
            count_text(requests, None, noun),
            took.as_secs_f64()
        );
        let parts = self.parts();
        if !parts.is_empty() {
            text.push_str(": ");
            text.push_str(&parts.join(", "));
        }
        text
    }

    fn parts(&self) -> Vec<String> {
        let mut parts: Vec<String> = self
            .classes
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(class, n)| count_text(*n, None, &format!("{}xx", class + 1)))
            .collect();
        if self.too_long > 0 {
            let noun = format!("with a body over {} MiB left out", BODY_LIMIT >> 20);
            parts.push(count_text(self.too_long, None, &noun));
        }
        if self.no_answer > 0 {
            parts.push(count_text(self.no_answer, None, "without an answer"));
        }
        match self.bad_lines {
            0 => {}
            1 => parts.push("1 bad line".to_string()),
            n => parts.push(count_text(n, None, "bad lines")),
        }
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_status_classes_and_failures() {
        let mut tally = Tally::default();
        for status in [200, 201, 204, 404, 503] {
            tally.count(Outcome::Answered {
                status,
                whole: true,
            });
        }
        tally.count(Outcome::NoAnswer);
        tally.count(Outcome::BadLine);
        assert_eq!(
            tally.summary(Duration::from_millis(3240)),
            "7 requests in 3.2 s: 3 2xx, 1 4xx, 1 5xx, 1 without an answer, 1 bad line"
        );
        assert_eq!(tally.exit_code(), 5);
        let mut tally = Tally::default();
        assert_eq!(tally.summary(Duration::ZERO), "0 requests in 0.0 s");
        assert_eq!(tally.exit_code(), 0);
        tally.count(Outcome::Answered {
            status: 200,
            whole: false,
        });
        assert_eq!(
            tally.progress(),
            "1 request: 1 2xx, 1 with a body over 16 MiB left out"
        );
        assert_eq!(tally.exit_code(), 1);
        for _ in 0..1233 {
            tally.count(Outcome::NoAnswer);
        }
        assert_eq!(
            tally.summary(Duration::from_secs(75)),
            "1,234 requests in 75.0 s: 1 2xx, 1 with a body over 16 MiB left out, 1,233 without an answer"
        );
    }
}
