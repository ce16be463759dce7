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

// `batch` sends its requests with these too.
pub(super) mod bearer;
pub(super) mod body;
pub(super) mod failure;
mod fields;
mod jq;
mod pages;
mod paginate;
pub(super) mod progress;
mod write_out;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use reqwest::Method;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::Selection;
use crate::config::Profile;
use crate::error::Failure;
use crate::http::client::{ClientOptions, Clients};
use crate::http::exchange::{Sender, Session, unfollowed_redirect};
use crate::http::items::{HeaderItem, apply_header_items, parse_header_item, parse_query_item};
use crate::http::no_response::with_timeout_hint;
use crate::http::payload::Payload;
use crate::http::rate::{Limiter, RateLimit};
use crate::http::retry::RetryPolicy;
use crate::http::target::{append_query, check_cleartext, parse_method, resolve_target};
use crate::output::{self, ItemLayout};
use crate::paging::PageStyle;
use crate::secret::Secret;
use crate::tokens;
use bearer::Bearer;
use body::write_response;
use failure::failure;
use jq::Jq;
use paginate::{start_walk, walk_pages};
use write_out::{Transfer, WriteOut};

/// What the user asked `call` to do, as plain values (see `cli::CallArgs` for the meanings).
#[derive(Debug)]
pub struct Options {
    /// `--passcode`: appended to the password if a token must be fetched (password grant).
    pub passcode: Option<Secret>,
    /// The HTTP method as typed, in any case; `None`: GET, or POST with a body.
    pub method: Option<String>,
    /// A path under the profile's `api_base`, or an absolute URL.
    pub target: String,
    /// `-q NAME=VALUE` items, as typed.
    pub query: Vec<String>,
    /// `-f` and `-F` items, as typed and in that order: a JSON body, or query items under GET.
    pub fields: Vec<Field>,
    /// `--jq EXPR`: the answer (or each item) through a jq filter.
    pub jq: Option<String>,
    /// `-w FORMAT`: a line about the transfer on stderr after it.
    pub write_out: Option<String>,
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
    /// Longest wait for the response to begin, and for each read of its body.
    pub timeout: Duration,
    pub body_format: BodyFormat,
    /// Ask for compressed answers and decode them (not under `--no-compressed`).
    pub compressed: bool,
    pub retry: RetryPolicy,
    /// `--paginate`: walk the list's pages instead of sending one request.
    pub paginate: Option<Paginate>,
}

/// `--paginate` and the options that go with it.
#[derive(Debug)]
pub struct Paginate {
    /// `--paging`: over the profile's `paging` and the provider's choice.
    pub style: Option<PageStyle>,
    /// `--start`: an offset, startIndex or pageNum; for next-path, a path.
    pub start: Option<String>,
    /// `--max-items`.
    pub max_items: Option<u64>,
    /// `--page-size`: over a size in the query and the vendor's.
    pub page_size: Option<u64>,
    /// `--parallel`: over the profile's `parallel` and the provider's.
    pub parallel: Option<usize>,
    /// `--rate`: over the profile's `rate` and the provider's.
    pub rate: Option<RateLimit>,
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

/// A field of a JSON body, as typed (`KEY=VALUE`).
#[derive(Debug, Clone)]
pub enum Field {
    /// `-f`: the value is a string.
    Raw(String),
    /// `-F`: `true`, `false`, `null` and integers are JSON's own, `@FILE` a file's text.
    Typed(String),
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

pub fn run(selection: &Selection, opts: Options) -> Result<()> {
    let timeout = opts.timeout;
    call(selection, opts).map_err(|err| with_timeout_hint(err, timeout))
}

fn call(selection: &Selection, opts: Options) -> Result<()> {
    // Everything that can be wrong on the command line is found before anything is sent.
    let write_out = opts.write_out.as_deref().map(WriteOut::parse).transpose()?;
    // Built only when asked for: jq's standard library is parsed and compiled here.
    let jq = match &opts.jq {
        Some(expr) => {
            let jq = Jq::compile(expr)?;
            jq::hear_debug();
            Some(match opts.body_format {
                BodyFormat::Pretty => {
                    jq.indented(opts.output.is_none() && output::colour_on_stdout())
                }
                _ => jq,
            })
        }
        None => None,
    };
    // --paginate reads a list, so its fields go in the query, as GET's do.
    let sends_body = opts.data.is_some() || (!opts.fields.is_empty() && opts.paginate.is_none());
    let method = match &opts.method {
        Some(method) => parse_method(method)?,
        None => {
            no_method_as_path(&opts.target)?;
            if sends_body {
                Method::POST
            } else {
                Method::GET
            }
        }
    };
    if opts.paginate.is_some() && method != Method::GET {
        return Err(Failure::Usage(format!(
            "--paginate reads a list, with GET; it cannot send {method}"
        ))
        .into());
    }
    let mut query = opts
        .query
        .iter()
        .map(|q| parse_query_item(q))
        .collect::<Result<Vec<_>>>()?;
    let fields = fields::parse(&opts.fields)?;
    let field_body = if fields.is_empty() {
        None
    } else if method == Method::GET {
        query.extend(fields::query(fields));
        None
    } else {
        Some(fields::body(fields)?)
    };
    // A body of fields is JSON, sent as --json sends its data.
    let data = match field_body {
        Some(body) => Some(Data::Json(
            String::from_utf8(body).expect("serde_json writes UTF-8"),
        )),
        None => opts.data.clone(),
    };
    let header_items = opts
        .headers
        .iter()
        .map(|h| parse_header_item(h))
        .collect::<Result<Vec<_>>>()?;
    let (_, profile) = selection
        .resolve_discovering(&crate::tokens::discovery::Discovery::fetching(opts.timeout))?;
    let Address {
        url,
        headers,
        use_token,
    } = address(&profile, &opts.target, &query, data.as_ref(), header_items)?;
    let payload = match (&data, opts.data.is_some()) {
        // Only `@FILE` and `@-` can fail, so the context never quotes a body.
        (Some(Data::Form(data)), _) => Payload::load(data).with_context(|| format!("-d {data}"))?,
        (Some(Data::Json(data)), true) => {
            Payload::load(data).with_context(|| format!("--json {data}"))?
        }
        // Built from -f and -F: the JSON itself, never a file name.
        (Some(Data::Json(built)), false) => Payload::Bytes(built.clone().into_bytes()),
        (None, _) => Payload::Empty,
    };

    let plan = match &opts.paginate {
        Some(paginate) => Some(start_walk(&profile, &url, paginate, use_token)?),
        None => None,
    };

    let token_options = tokens::Options {
        refresh: false,
        no_cache: false,
        timeout: opts.timeout,
        verbose: opts.verbose,
        passcode: opts.passcode.clone(),
        sign_in: Default::default(),
    };
    let asked = Instant::now();
    let bearer = match Bearer::start(profile.clone(), token_options, use_token) {
        Ok(bearer) => bearer,
        Err(err) => {
            no_answer(write_out.as_ref(), &method, &url, asked.elapsed());
            return Err(err);
        }
    };
    let mut sender = Sender {
        clients: Clients::new(ClientOptions {
            profile: profile.name.clone(),
            ca_file: profile.ca_file.clone(),
            timeout: opts.timeout,
            compressed: opts.compressed,
        }),
        method,
        url,
        headers,
        payload,
        follow: opts.follow,
        verbose: opts.verbose,
        include: opts.include,
        limiter: Limiter::new(plan.as_ref().map_or(RateLimit::Off, |plan| plan.rate)),
    };

    if let Some(plan) = plan {
        return walk_pages(bearer, sender, plan, &opts, jq.as_ref());
    }
    let mut session = Session::new(bearer, opts.retry, opts.silent);
    let started = Instant::now();
    let mut outcome = match session.exchange(&mut sender) {
        Ok(outcome) => outcome,
        Err(err) => {
            no_answer(
                write_out.as_ref(),
                &sender.method,
                &sender.url,
                started.elapsed(),
            );
            return Err(err);
        }
    };
    let mut size = 0;
    let written = write_response(&mut outcome.exchange, &opts, jq.as_ref(), &mut size);
    if let Some(format) = &write_out {
        let exchange = &outcome.exchange;
        eprint!(
            "{}",
            format.render(&Transfer {
                status: Some(exchange.response.status().as_u16()),
                elapsed: started.elapsed(),
                url: &exchange.url,
                content_type: exchange
                    .response
                    .headers()
                    .get(CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok()),
                size,
                method: exchange.method.as_str(),
            })
        );
    }
    let kept = written?;
    if outcome.exchange.response.status().as_u16() < 400 {
        // Exit 0 as curl does, for the response was written; but a redirect that was not
        // followed is easy to mistake for the response itself.
        if !opts.follow
            && !opts.silent
            && let Some(note) = unfollowed_redirect(&outcome.exchange)
        {
            eprintln!("oauthctl: {note}");
        }
        return Ok(());
    }
    Err(failure(session.caller.token.as_ref(), &outcome, &kept, opts.silent).into())
}

/// `-w` for a request that got no answer (no token, no connection): curl's `000`, as a script that
/// reads the code expects, before the error says why.
fn no_answer(write_out: Option<&WriteOut>, method: &Method, url: &Url, elapsed: Duration) {
    if let Some(format) = write_out {
        eprint!(
            "{}",
            format.render(&Transfer {
                status: None,
                elapsed,
                url,
                content_type: None,
                size: 0,
                method: method.as_str(),
            })
        );
    }
}

/// `oauthctl call GET` without a path: a method name alone is not taken for a path (which would
/// ask for `/GET`), as `gh api` users may type it.
fn no_method_as_path(target: &str) -> Result<()> {
    const METHODS: &[&str] = &[
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE",
    ];
    if METHODS.iter().any(|m| m.eq_ignore_ascii_case(target)) {
        return Err(Failure::Usage(format!(
            "`{target}` is a method; the path or URL comes after it\nhint: oauthctl call {target} /PATH (a path begins with /)"
        ))
        .into());
    }
    Ok(())
}

/// Where one request goes and what goes with it, checked as `call` checks its request before
/// anything is sent; `batch` checks each of its requests here too.
pub struct Address {
    pub url: Url,
    /// Every header but the token's.
    pub headers: HeaderMap,
    /// Whether the profile's token goes with the request: no Authorization header was given.
    pub use_token: bool,
}

/// The target under the profile's `api_base`, or a URL on an origin the profile allows, with the
/// query items appended; the profile's headers under the request's own; and, when the profile's
/// token is to go with it, a URL that keeps the token off the network in the clear.
pub fn address(
    profile: &Profile,
    target: &str,
    query: &[(String, String)],
    data: Option<&Data>,
    header_items: Vec<HeaderItem>,
) -> Result<Address> {
    let mut url = resolve_target(
        &profile.name,
        target,
        profile.api_base.as_ref(),
        &profile.allowed_origins,
    )?;
    append_query(&mut url, query);
    let headers = build_headers(profile, data, header_items)?;
    // An Authorization header of the user's own is sent as given, and no token is fetched.
    let use_token = !headers.contains_key(AUTHORIZATION);
    if use_token {
        check_cleartext(&profile.name, &url)?;
    }
    Ok(Address {
        url,
        headers,
        use_token,
    })
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
