//! `oauthctl call`: one request to the profile's API with a bearer token from the same cache as
//! `oauthctl token`, for people who come from curl and for scripts that pipe into jq. stdout is the
//! response body and nothing else; what oauthctl has to say goes to stderr.
//!
//! The request itself, with its retries, its new token after a 401 and its redirects, is an
//! exchange (`http::exchange`); the origin the profile allows is checked before it is sent
//! (`http::target`). A redirect that is not followed is named on stderr.
//!
//! `--paginate` sends one such exchange per page, as a [`Walk`] (paging.rs) directs, and writes
//! each page's items before it asks for the next.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use reqwest::blocking::Response;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use url::Url;

use super::Selection;
use crate::config::Profile;
use crate::error::Failure;
use crate::http::client::{ClientOptions, Clients};
use crate::http::error_response::{BearerChallenge, error_summary};
use crate::http::exchange::{
    Caller, Exchange, Outcome, SUMMARY_LIMIT, Sender, Session, drain, head_bytes,
    unfollowed_redirect,
};
use crate::http::items::{HeaderItem, apply_header_items, parse_header_item, parse_query_item};
use crate::http::no_response::{no_response_while_reading, with_timeout_hint};
use crate::http::payload::Payload;
use crate::http::retry::RetryPolicy;
use crate::http::target::{
    append_query, check_cleartext, parse_method, query_value, resolve_target, set_query,
};
use crate::http::verbose::status_text;
use crate::output::{self, ItemLayout, ItemWriter};
use crate::paging::{Page, PageStyle, Walk};
use crate::progress::{self, Progress};
use crate::secret::Secret;
use crate::tokens;

/// The most of a JSON body held in memory to pretty-print it; a longer one is written as is.
const PRETTY_LIMIT: usize = 64 << 20;

/// What the user asked `call` to do, as plain values (see `cli::CallArgs` for the meanings).
#[derive(Debug)]
pub struct Options {
    /// `--passcode`: appended to the password if a token must be fetched (password grant).
    pub passcode: Option<Secret>,
    /// The HTTP method as typed, in any case.
    pub method: String,
    /// A path under the profile's `api_base`, or an absolute URL.
    pub target: String,
    /// `-q NAME=VALUE` items, as typed.
    pub query: Vec<String>,
    /// `-H 'Name: value'` items, as typed.
    pub headers: Vec<String>,
    /// `-d` or `--json`.
    pub data: Option<Data>,
    /// `-o FILE`: the body goes there instead of stdout.
    pub output: Option<PathBuf>,
    /// `-i`: status line and headers before the body.
    pub include: bool,
    /// `-L`: follow redirects.
    pub follow: bool,
    /// `-s`: no status line or retry messages on stderr.
    pub silent: bool,
    /// `-v`: request and response heads on stderr, credentials redacted.
    pub verbose: bool,
    /// Longest wait for the answer to begin, and for each read of its body.
    pub timeout: Duration,
    pub body_format: BodyFormat,
    pub retry: RetryPolicy,
    /// `--paginate`: walk the list's pages instead of sending one request.
    pub paginate: Option<Paginate>,
}

/// `--paginate` and the options that go with it.
#[derive(Debug)]
pub struct Paginate {
    /// `--paging`: over the profile's `paging` and the preset's choice.
    pub style: Option<PageStyle>,
    /// `--start`: an offset, startIndex or pageNum; for next-path, a path.
    pub start: Option<String>,
    /// `--max-items`.
    pub max_items: Option<u64>,
    /// A JSON array, or `--ndjson`.
    pub layout: ItemLayout,
}

/// A request body as typed: the data itself, `@FILE` or `@-` (stdin).
#[derive(Debug, Clone)]
pub enum Data {
    /// `-d`: sent as is, `application/x-www-form-urlencoded` unless a header says otherwise.
    Form(String),
    /// `--json`: sent as is, with `Content-Type` and `Accept` set to `application/json`.
    Json(String),
}

/// How the response body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// Pretty JSON on a terminal, the bytes as received anywhere else.
    Auto,
    /// Pretty JSON wherever it goes (`--pretty`).
    Pretty,
    /// The bytes as received (`--raw`).
    Raw,
}

/// The access token in use, and the scope it was granted (for a 403's explanation).
struct Token {
    secret: Secret,
    scope: Option<String>,
}

pub fn run(selection: &Selection, opts: Options) -> Result<()> {
    let timeout = opts.timeout;
    call(selection, opts).map_err(|err| with_timeout_hint(err, timeout))
}

fn call(selection: &Selection, opts: Options) -> Result<()> {
    // Everything that can be wrong on the command line is found before anything is sent.
    let method = parse_method(&opts.method)?;
    if opts.paginate.is_some() && method != Method::GET {
        return Err(Failure::Usage(format!(
            "--paginate reads a list, with GET; it cannot send {method}"
        ))
        .into());
    }
    let query = opts
        .query
        .iter()
        .map(|q| parse_query_item(q))
        .collect::<Result<Vec<_>>>()?;
    let header_items = opts
        .headers
        .iter()
        .map(|h| parse_header_item(h))
        .collect::<Result<Vec<_>>>()?;
    let (_, profile) = selection.resolve()?;
    let mut url = resolve_target(
        &profile.name,
        &opts.target,
        profile.api_base.as_ref(),
        &profile.allowed_origins,
    )?;
    append_query(&mut url, &query);
    let headers = build_headers(&profile, opts.data.as_ref(), header_items)?;
    // An Authorization header of the user's own is sent as given, and no token is fetched.
    let use_token = !headers.contains_key(AUTHORIZATION);
    if use_token {
        check_cleartext(&profile.name, &url)?;
    }
    let payload = match &opts.data {
        // Only `@FILE` and `@-` can fail, so the context never quotes a body.
        Some(Data::Form(data)) => Payload::load(data).with_context(|| format!("-d {data}"))?,
        Some(Data::Json(data)) => Payload::load(data).with_context(|| format!("--json {data}"))?,
        None => Payload::Empty,
    };

    let walk = match &opts.paginate {
        Some(paginate) => Some(start_walk(&profile, &url, paginate, use_token)?),
        None => None,
    };

    let token_options = tokens::Options {
        refresh: false,
        no_cache: false,
        timeout: opts.timeout,
        verbose: opts.verbose,
        passcode: opts.passcode.clone(),
    };
    let bearer = Bearer::start(&profile, token_options, use_token)?;
    let mut session = Session::new(bearer, opts.retry, opts.silent);
    let mut sender = Sender {
        clients: Clients::new(ClientOptions {
            profile: profile.name.clone(),
            ca_file: profile.ca_file.clone(),
            timeout: opts.timeout,
        }),
        method,
        url,
        headers,
        payload,
        follow: opts.follow,
        verbose: opts.verbose,
        include: opts.include,
    };

    if let Some((style, walk)) = walk {
        return walk_pages(&mut session, &mut sender, style, walk, &opts);
    }
    let mut outcome = session.exchange(&mut sender)?;
    let kept = write_response(&mut outcome.exchange, &opts)?;
    if outcome.exchange.response.status().as_u16() < 400 {
        // Exit 0 as curl does, for the answer was written; but a redirect that was not followed
        // is easy to mistake for the answer itself.
        if !opts.follow
            && !opts.silent
            && let Some(note) = unfollowed_redirect(&outcome.exchange)
        {
            eprintln!("oauthctl: {note}");
        }
        return Ok(());
    }
    Err(failure(&session.caller, &outcome, &kept, opts.silent).into())
}

/// The paging style and the walk's start, from the command line, the profile and the preset;
/// everything that can be wrong is found here, before a token is fetched.
fn start_walk(
    profile: &Profile,
    url: &Url,
    paginate: &Paginate,
    use_token: bool,
) -> Result<(PageStyle, Walk)> {
    let style = match paginate.style.or(profile.paging) {
        Some(style) => style,
        None => page_style_by_path(profile, url)?,
    };
    let start = paginate.start.clone().or_else(|| {
        // `offset=400` in the path or a -q is where the user wants to begin.
        style
            .position_param()
            .and_then(|param| query_value(url, param))
    });
    // The page size is the user's own where one is given: in the command's query, or for a
    // next-path walk resumed at a path, in that path.
    let sized = match (style.position_param(), &start) {
        (None, Some(path)) => resolve_target(
            &profile.name,
            path,
            profile.api_base.as_ref(),
            &profile.allowed_origins,
        )?,
        _ => url.clone(),
    };
    if use_token {
        check_cleartext(&profile.name, &sized)?;
    }
    let size = query_value(&sized, style.size_param());
    let walk = Walk::new(style, start.as_deref(), size.as_deref(), paginate.max_items)
        .map_err(|err| Failure::Usage(err.to_string()))?;
    Ok((style, walk))
}

/// The preset's style for the list at `url`, by its path under `api_base`.
fn page_style_by_path(profile: &Profile, url: &Url) -> Result<PageStyle> {
    let prefix = profile
        .api_base
        .as_ref()
        .map_or("", |base| base.path().trim_end_matches('/'));
    let path = url.path().strip_prefix(prefix).unwrap_or(url.path());
    if let Some(style) = profile.provider.and_then(|p| p.paging_for(path)) {
        return Ok(style);
    }
    let name = &profile.name;
    Err(Failure::Usage(format!(
        "how does {path} page? profile {name} does not say, and no provider preset knows\nhint: give --paging STYLE, one of {}, or set paging = \"STYLE\" in [profiles.{name}]",
        PageStyle::names()
    ))
    .into())
}

/// `--paginate`: page after page as the walk says, each an exchange like a single call's, each
/// page's items written before the next is asked for. Whatever ends the walk, the array is
/// closed, so what was written is JSON.
fn walk_pages(
    session: &mut Session<Bearer>,
    sender: &mut Sender,
    style: PageStyle,
    mut walk: Walk,
    opts: &Options,
) -> Result<()> {
    let paginate = opts
        .paginate
        .as_ref()
        .expect("walk_pages runs under --paginate");
    let dest = Destination::open(opts.output.as_deref())?;
    let colour = dest.on_terminal && output::colour_on_stdout();
    let pretty = match opts.body_format {
        BodyFormat::Raw => None,
        BodyFormat::Pretty => Some(colour),
        BodyFormat::Auto => dest.on_terminal.then_some(colour),
    };
    let write_err = || format!("cannot write to {}", dest.name);
    // Rust's stdout writes at every newline, which made one write(2) per item (BENCHMARKS.md,
    // row 5); a page's items go out together, when walk_all flushes after the page.
    let writer: Box<dyn Write> = Box::new(io::BufWriter::with_capacity(64 << 10, dest.writer));
    let mut items = ItemWriter::new(writer, paginate.layout, pretty).with_context(write_err)?;
    // The progress line is for people watching: not in logs, not under -s or -v, and only
    // where the items cannot meet it on the screen (see `Destination::may_reach_terminal`).
    if io::stderr().is_terminal() && !opts.silent && !opts.verbose && !dest.may_reach_terminal {
        session.caller.progress = Progress::on_stderr();
    }
    let walked = walk_all(session, sender, style, &mut walk, &mut items, &dest.name);
    // Before any error is printed.
    session.caller.progress.clear();
    let closed = items.finish().with_context(write_err);
    walked.and(closed)
}

/// The walk itself: request the page the walk is at, write the items it takes, until it is done.
fn walk_all(
    session: &mut Session<Bearer>,
    sender: &mut Sender,
    style: PageStyle,
    walk: &mut Walk,
    items: &mut ItemWriter<Box<dyn Write>>,
    where_to: &str,
) -> Result<()> {
    let write_err = || format!("cannot write to {where_to}");
    let first = sender.url.clone();
    loop {
        sender.url = match walk.next_path() {
            Some(path) => {
                let profile = session.caller.profile;
                resolve_target(
                    &profile.name,
                    path,
                    profile.api_base.as_ref(),
                    &profile.allowed_origins,
                )?
            }
            None => {
                let mut url = first.clone();
                set_query(&mut url, &walk.query());
                url
            }
        };
        let what = format!("GET {}", sender.url);
        let body = fetch_page(session, sender).with_context(|| walk.stopped())?;
        let page = match &body {
            Some(body) => Page::parse(style, body)
                .with_context(|| what.clone())
                .with_context(|| walk.stopped())?,
            None => Page::empty(style),
        };
        let take = walk.take(&page).with_context(|| what.clone())?;
        for item in &page.items[..take.count] {
            items.write(item.get()).with_context(write_err)?;
        }
        items.flush().with_context(write_err)?;
        session.caller.show_progress(walk, &page);
        if let Some(why) = take.broken {
            bail!("{what}: {why}");
        }
        if take.done {
            return Ok(());
        }
    }
}

/// One page: the body of a 2xx answer, `None` for 204 No Content. An error answer is a failure
/// with the exit code a single call would have, and is always reported (even under `-s`): the
/// items written so far are not the whole list, and only stderr says where to resume.
fn fetch_page(session: &mut Session<Bearer>, sender: &mut Sender) -> Result<Option<Vec<u8>>> {
    let mut outcome = session.exchange(sender)?;
    let status = outcome.exchange.response.status();
    if status.as_u16() >= 400 {
        let body = drain(&mut outcome.exchange.response);
        return Err(failure(&session.caller, &outcome, &body, false).into());
    }
    if !sender.follow
        && let Some(note) = unfollowed_redirect(&outcome.exchange)
    {
        bail!(note);
    }
    if status == StatusCode::NO_CONTENT {
        return Ok(None);
    }
    let mut body = Vec::new();
    let what = outcome.exchange.what();
    read_body(&mut outcome.exchange.response, &mut body, &what)?;
    Ok(Some(body))
}

/// The token side of `call`'s requests: the profile's token from the cache (or the token
/// endpoint), dropped from the cache and fetched again when the API refuses it, and the progress
/// line of `--paginate` (hidden otherwise), which messages must not tear.
struct Bearer<'a> {
    profile: &'a Profile,
    token_options: tokens::Options,
    /// `None` when the user's own Authorization header is sent instead.
    token: Option<Token>,
    progress: Progress,
}

impl<'a> Bearer<'a> {
    /// Fetches the token first when one is needed, so that "no token" fails before anything is
    /// sent.
    fn start(
        profile: &'a Profile,
        token_options: tokens::Options,
        use_token: bool,
    ) -> Result<Bearer<'a>> {
        let token = if use_token {
            Some(fetch_token(profile, &token_options)?)
        } else {
            None
        };
        Ok(Bearer {
            profile,
            token_options,
            token,
            progress: Progress::hidden(),
        })
    }

    /// `1,200 / 5,000 devices` after each page, or `1,200 devices` without a total.
    fn show_progress(&self, walk: &Walk, page: &Page) {
        self.progress.show(progress::count_text(
            walk.taken(),
            page.total(),
            &page.noun(),
        ));
    }
}

impl Caller for Bearer<'_> {
    fn token(&self) -> Option<&Secret> {
        self.token.as_ref().map(|t| &t.secret)
    }

    fn reject_token(&mut self) {
        let Some(rejected) = &self.token else {
            return;
        };
        if let Err(err) = tokens::invalidate(self.profile, &rejected.secret) {
            self.progress
                .suspend(|| eprintln!("oauthctl: warning: {err:#}; fetching a new token anyway"));
            self.token_options.refresh = true;
        }
    }

    fn renew_token(&mut self) -> Result<()> {
        // The token request may warn about the cache, on stderr.
        let token = self
            .progress
            .suspend(|| fetch_token(self.profile, &self.token_options))?;
        self.token = Some(token);
        Ok(())
    }

    fn say(&self, message: &str) {
        self.progress.suspend(|| eprintln!("{message}"));
    }
}

/// The failure for a 4xx or 5xx response, whose start is `body`; `quiet` leaves it unprinted.
fn failure(bearer: &Bearer, outcome: &Outcome, body: &[u8], quiet: bool) -> Failure {
    let exchange = &outcome.exchange;
    let summary = status_summary(
        exchange,
        body,
        bearer.token.as_ref(),
        outcome.refreshed,
        outcome.note.clone(),
    );
    if exchange.response.status().is_client_error() {
        Failure::HttpClientError { summary, quiet }
    } else {
        Failure::HttpServerError { summary, quiet }
    }
}

/// A token from the cache or the token endpoint. Whatever stops it, the exit code is "no token".
fn fetch_token(profile: &Profile, options: &tokens::Options) -> Result<Token> {
    let entry = tokens::get(profile, options).map_err(|source| Failure::NoToken {
        profile: profile.name.clone(),
        source,
    })?;
    let secret = entry
        .access_token()
        .map(Secret::new)
        .ok_or_else(|| anyhow!("the token cache gave an entry without an access_token"))?;
    let scope = entry
        .response
        .get("scope")
        .and_then(Value::as_str)
        .map(String::from);
    Ok(Token { secret, scope })
}

/// The profile's headers, then `--json`'s, then the `-H` items over them; `-d`'s default
/// Content-Type only where no header gave one.
fn build_headers(
    profile: &Profile,
    data: Option<&Data>,
    items: Vec<HeaderItem>,
) -> Result<HeaderMap> {
    let mut headers = HeaderMap::new();
    for (name, value) in &profile.headers {
        let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
            anyhow!(
                "profile {}: `{name}` in headers is not a valid header name",
                profile.name
            )
        })?;
        let value = HeaderValue::from_str(value).map_err(|_| {
            anyhow!(
                "profile {}: the value of header `{name}` is not a valid header value",
                profile.name
            )
        })?;
        headers.insert(name, value);
    }
    if let Some(Data::Json(_)) = data {
        let json = HeaderValue::from_static("application/json");
        headers.insert(CONTENT_TYPE, json.clone());
        headers.insert(ACCEPT, json);
    }
    apply_header_items(&mut headers, items);
    if let Some(Data::Form(_)) = data
        && !headers.contains_key(CONTENT_TYPE)
    {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
    }
    if let Some(value) = headers.get_mut(AUTHORIZATION) {
        value.set_sensitive(true);
    }
    Ok(headers)
}

/// Where the body goes: `-o FILE`, else stdout.
struct Destination {
    writer: Box<dyn Write>,
    /// For messages: the file's path, or `stdout`.
    name: String,
    on_terminal: bool,
    /// What is written may show on a terminal: stdout is one, or a pipe or socket, whose reader
    /// (`| head`, `| less`) may write to the terminal that stderr is on. A progress line on
    /// stderr would then share a row with that text and tear it.
    may_reach_terminal: bool,
}

impl Destination {
    fn open(path: Option<&Path>) -> Result<Destination> {
        Ok(match path {
            Some(path) => {
                let file = File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                Destination {
                    writer: Box::new(io::BufWriter::new(file)),
                    name: path.display().to_string(),
                    on_terminal: false,
                    may_reach_terminal: false,
                }
            }
            None => {
                let stdout = io::stdout();
                let on_terminal = stdout.is_terminal();
                Destination {
                    on_terminal,
                    may_reach_terminal: on_terminal || stdout_is_a_pipe(),
                    writer: Box::new(stdout.lock()),
                    name: "stdout".into(),
                }
            }
        })
    }
}

/// Whether stdout is a pipe or a socket, or cannot be told apart from one.
#[cfg(unix)]
fn stdout_is_a_pipe() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    let kind = io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map(File::from)
        .and_then(|file| file.metadata())
        .map(|meta| meta.file_type());
    match kind {
        Ok(kind) => kind.is_fifo() || kind.is_socket(),
        Err(_) => true,
    }
}

#[cfg(not(unix))]
fn stdout_is_a_pipe() -> bool {
    true
}

/// Writes the final answer where it goes; returns the start of the body when the status is an
/// error, for the status line.
fn write_response(exchange: &mut Exchange, opts: &Options) -> Result<Vec<u8>> {
    let keep = if exchange.response.status().as_u16() >= 400 {
        SUMMARY_LIMIT
    } else {
        0
    };
    let Destination {
        writer: mut dest,
        name: where_to,
        on_terminal,
        ..
    } = Destination::open(opts.output.as_deref())?;
    let write_err = || format!("cannot write to {where_to}");
    if opts.include {
        for head in &exchange.redirect_heads {
            dest.write_all(head).with_context(write_err)?;
        }
        dest.write_all(&head_bytes(&exchange.response))
            .with_context(write_err)?;
    }
    let is_json = exchange
        .response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(output::is_json_media_type);
    let pretty = match opts.body_format {
        BodyFormat::Raw => false,
        BodyFormat::Pretty => true,
        BodyFormat::Auto => on_terminal && is_json,
    };
    let what = exchange.what();
    let body = &mut exchange.response;
    let kept = if pretty {
        let colour = on_terminal && output::colour_on_stdout();
        let mut head = Vec::new();
        read_body(
            body.by_ref().take(PRETTY_LIMIT as u64 + 1),
            &mut head,
            &what,
        )?;
        let indented = head.len() <= PRETTY_LIMIT
            && write_indented(&mut dest, &head, colour).with_context(write_err)?;
        if !indented {
            // Not JSON after all, or too long to hold: the bytes as received.
            dest.write_all(&head).with_context(write_err)?;
            copy_body(body, &mut dest, 0, &what, &where_to)?;
        }
        head.truncate(keep);
        head
    } else {
        copy_body(body, &mut dest, keep, &what, &where_to)?
    };
    dest.flush().with_context(write_err)?;
    Ok(kept)
}

/// `body` indented onto `dest`, with a final newline; false, having written nothing, when it is
/// not JSON. The printer writes token by token, so it goes through a buffer, not a write per line.
fn write_indented(dest: &mut dyn Write, body: &[u8], colour: bool) -> io::Result<bool> {
    let mut out = io::BufWriter::with_capacity(64 << 10, dest);
    if !output::write_pretty(&mut out, body, colour, 0)? {
        return Ok(false);
    }
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(true)
}

/// Streams the body to `dest` as it arrives, keeping its first `keep` bytes.
fn copy_body(
    body: &mut Response,
    dest: &mut dyn Write,
    keep: usize,
    what: &str,
    where_to: &str,
) -> Result<Vec<u8>> {
    let mut kept = Vec::new();
    let mut buf = vec![0u8; 64 << 10];
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(read_error(what, &err)),
        };
        if kept.len() < keep {
            kept.extend_from_slice(&buf[..n.min(keep - kept.len())]);
        }
        dest.write_all(&buf[..n])
            .with_context(|| format!("cannot write to {where_to}"))?;
    }
    Ok(kept)
}

fn read_body(mut body: impl Read, into: &mut Vec<u8>, what: &str) -> Result<()> {
    body.read_to_end(into)
        .map(|_| ())
        .map_err(|err| read_error(what, &err))
}

fn read_error(what: &str, err: &io::Error) -> anyhow::Error {
    no_response_while_reading(what, err)
}

/// The line on stderr for a 4xx or 5xx: what was sent, the status, what the body or the
/// challenge says, and why it was not retried or refreshed.
fn status_summary(
    exchange: &Exchange,
    body: &[u8],
    token: Option<&Token>,
    refreshed: bool,
    note: Option<String>,
) -> String {
    let status = exchange.response.status();
    let challenge = BearerChallenge::from_headers(exchange.response.headers());
    let mut details = Vec::new();
    let mut notes = Vec::new();
    let mut hint = None;
    if matches!(status.as_u16(), 401 | 403)
        && let Some(text) = challenge.as_ref().and_then(BearerChallenge::summary)
    {
        details.push(text);
    }
    if let Some(text) = error_summary(body)
        && !details.contains(&text)
    {
        details.push(text);
    }
    if status == StatusCode::UNAUTHORIZED && refreshed {
        notes.push("a new token was refused too".to_string());
        hint = Some(
            "hint: the API refuses this profile's tokens: check that the client has a role for this API and that the profile's scope names the right tenant",
        );
    }
    if status == StatusCode::FORBIDDEN
        && let Some(challenge) = &challenge
        && challenge.error.as_deref() == Some("insufficient_scope")
    {
        let has = token.and_then(|t| t.scope.as_deref());
        details.push(missing_scope(challenge.scope.as_deref(), has));
        hint = Some(
            "hint: a new token will not help: the client needs that scope granted at the provider, and the profile's scope must ask for it",
        );
    }
    notes.extend(note);
    let mut line = format!("{} answered {}", exchange.what(), status_text(status));
    if !details.is_empty() {
        line.push_str(": ");
        line.push_str(&details.join("; "));
    }
    if !notes.is_empty() {
        line.push_str(&format!(" ({})", notes.join("; ")));
    }
    if let Some(hint) = hint {
        line.push('\n');
        line.push_str(hint);
    }
    line
}

/// Which scope a 403 `insufficient_scope` is about: what the challenge asks for, less what the
/// token has.
fn missing_scope(needed: Option<&str>, has: Option<&str>) -> String {
    let has_text = has.map(|h| format!(" (it has `{h}`)")).unwrap_or_default();
    let Some(needed) = needed else {
        return format!("the API did not say which scope the token lacks{has_text}");
    };
    let granted: Vec<&str> = has
        .map(|h| h.split_whitespace().collect())
        .unwrap_or_default();
    let missing: Vec<&str> = needed
        .split_whitespace()
        .filter(|s| !granted.contains(s))
        .collect();
    let missing = if missing.is_empty() {
        needed.to_string()
    } else {
        missing.join(" ")
    };
    format!("the token lacks the scope `{missing}`{has_text}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_scope_is_what_the_challenge_asks_less_what_the_token_has() {
        assert_eq!(
            missing_scope(
                Some("internal_user_mgt_list internal_user_mgt_view"),
                Some("internal_user_mgt_list")
            ),
            "the token lacks the scope `internal_user_mgt_view` (it has `internal_user_mgt_list`)"
        );
        assert_eq!(
            missing_scope(Some("a"), None),
            "the token lacks the scope `a`"
        );
        assert_eq!(
            missing_scope(None, Some("api_access")),
            "the API did not say which scope the token lacks (it has `api_access`)"
        );
    }
}
