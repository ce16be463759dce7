//! `call --paginate`: the page loop. Page after page as a [`Walk`] (paging.rs) directs, each an
//! exchange like a single call's, each page's items written before the next is asked for, and a
//! progress line counting them on a terminal that the items cannot reach.

use std::io::{self, Write};

use anyhow::{Context, Result, bail};
use reqwest::StatusCode;
use url::Url;

use super::bearer::Bearer;
use super::body::Destination;
use super::failure::failure;
use super::progress::Progress;
use super::{BodyFormat, Options, Paginate};
use crate::config::Profile;
use crate::error::Failure;
use crate::http::exchange::{
    HELD_LIMIT, Sender, Session, drain, read_at_most, unfollowed_redirect,
};
use crate::http::target::{check_cleartext, query_value, resolve_target, set_query};
use crate::output::{self, ItemIndent, ItemWriter};
use crate::paging::{Page, PageStyle, Walk};

/// The paging style and the walk's start, from the command line, the profile and its provider;
/// everything that can be wrong is found here, before a token is fetched.
pub fn start_walk(
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

/// The provider's style for the list at `url`, by its path under `api_base`.
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
pub fn walk_pages(
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
    let indent = match opts.body_format {
        BodyFormat::Raw => ItemIndent::Compact,
        BodyFormat::Pretty => ItemIndent::Pretty { colour },
        BodyFormat::Auto if dest.on_terminal => ItemIndent::Pretty { colour },
        BodyFormat::Auto => ItemIndent::Compact,
    };
    let write_err = || format!("cannot write to {}", dest.name);
    // Rust's stdout writes at every newline, which made one write(2) per item (BENCHMARKS.md,
    // `--paginate` row); a page's items go out together, when walk_all flushes after the page.
    let writer: Box<dyn Write> = Box::new(io::BufWriter::with_capacity(64 << 10, dest.writer));
    let mut items = ItemWriter::new(writer, paginate.layout, indent).with_context(write_err)?;
    session.caller.progress =
        Progress::where_watched(dest.may_reach_terminal, opts.silent || opts.verbose);
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

/// One page: the body of a 2xx response, `None` for 204 No Content. An error response is a failure
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
    let what = outcome.exchange.what();
    match read_at_most(&mut outcome.exchange.response, HELD_LIMIT, &what)? {
        Some(body) => Ok(Some(body)),
        None => bail!(
            "{what} answered a page of more than {} MiB (decoded), more than oauthctl holds in memory for one page\nhint: ask for smaller pages, with the list's page size in a -q (limit, pagelength, count or pageSize)",
            HELD_LIMIT >> 20
        ),
    }
}
