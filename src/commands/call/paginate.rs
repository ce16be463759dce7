//! `call --paginate`: the page loop. Page after page as a [`Walk`] (paging.rs) directs, each an
//! exchange like a single call's, each page's items written before the next is taken, and a
//! progress line counting them on a terminal that the items cannot reach. Where the pages come
//! from, one after another or several at once (`--parallel`), is [`Pages`]'s business.

use std::io::{self, Write};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use url::Url;

use super::bearer::{Bearer, show_progress};
use super::body::Destination;
use super::jq::Jq;
use super::pages::Pages;
use super::progress::Progress;
use super::{BodyFormat, Options, Paginate};
use crate::config::Profile;
use crate::error::Failure;
use crate::http::exchange::Sender;
use crate::http::rate::RateLimit;
use crate::http::target::{check_cleartext, query_value, resolve_target};
use crate::output::{self, ItemIndent, ItemWriter};
use crate::paging::{Page, PageStyle, Walk};

/// How a walk goes: its style and start, how many pages at once, and how fast.
pub struct Plan {
    pub style: PageStyle,
    pub walk: Walk,
    /// Pages in flight at once: `--parallel`, the profile's, the provider's for the path, or 1.
    pub parallel: usize,
    /// `--rate`, the profile's, the provider's for the path, or none.
    pub rate: RateLimit,
}

/// The walk's plan, from the command line, the profile and its provider; everything that can be
/// wrong is found here, before a token is fetched.
pub fn start_walk(
    profile: &Profile,
    url: &Url,
    paginate: &Paginate,
    use_token: bool,
) -> Result<Plan> {
    let path = path_under_base(profile, url);
    let provider = profile.provider;
    let providers_style = provider.and_then(|p| p.paging_for(path));
    let style = match paginate.style.or(profile.paging).or(providers_style) {
        Some(style) => style,
        None => return Err(no_style(profile, path)),
    };
    let start = paginate.start.clone().or_else(|| {
        // `offset=400` in the path or a -q is where the user wants to begin.
        style
            .position_param()
            .and_then(|param| query_value(url, param))
    });
    // The page size is the user's own where one is given: --page-size, or in the command's query,
    // or for a next-path walk resumed at a path, in that path.
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
    let size = match paginate.page_size {
        Some(n) => Some(n.to_string()),
        None => query_value(&sized, style.size_param()),
    };
    // A list the provider knows to take smaller pages, when it is paged the provider's way.
    let documented = provider
        .filter(|_| providers_style == Some(style))
        .and_then(|p| p.page_size_for(path))
        .unwrap_or(style.default_size());
    let walk = Walk::sized(
        style,
        start.as_deref(),
        size.as_deref(),
        documented,
        paginate.max_items,
    )
    .map_err(|err| Failure::Usage(err.to_string()))?;
    let parallel = paginate
        .parallel
        .or(profile.parallel)
        .or_else(|| provider.map(|p| p.parallel_for(path)))
        .unwrap_or(1);
    let rate = paginate
        .rate
        .or(profile.rate)
        .or_else(|| provider.and_then(|p| p.rate_for(path)).map(RateLimit::Max))
        .unwrap_or(RateLimit::Off);
    Ok(Plan {
        style,
        walk,
        parallel,
        rate,
    })
}

/// The path of `url` under the profile's `api_base`, by which a provider tells its lists apart.
fn path_under_base<'u>(profile: &Profile, url: &'u Url) -> &'u str {
    let prefix = profile
        .api_base
        .as_ref()
        .map_or("", |base| base.path().trim_end_matches('/'));
    url.path().strip_prefix(prefix).unwrap_or(url.path())
}

fn no_style(profile: &Profile, path: &str) -> anyhow::Error {
    let name = &profile.name;
    Failure::Usage(format!(
        "how does {path} page? profile {name} does not say, and no provider preset knows\nhint: give --paging STYLE, one of {}, or set paging = \"STYLE\" in [profiles.{name}]",
        PageStyle::names()
    ))
    .into()
}

/// `--paginate`: page after page as the walk says, each an exchange like a single call's, each
/// page's items written before the next is taken. Whatever ends the walk, the array is closed, so
/// what was written is JSON.
pub fn walk_pages(
    mut bearer: Bearer,
    sender: Sender,
    plan: Plan,
    opts: &Options,
    jq: Option<&Jq>,
) -> Result<()> {
    let paginate = opts
        .paginate
        .as_ref()
        .expect("walk_pages runs under --paginate");
    let Plan {
        style,
        mut walk,
        parallel,
        ..
    } = plan;
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
    let mut items = match jq {
        Some(jq) => Sink::Filtered { jq, out: writer },
        None => {
            Sink::Items(ItemWriter::new(writer, paginate.layout, indent).with_context(write_err)?)
        }
    };
    // The progress line is for people watching: not under -s or -v.
    bearer.progress = Arc::new(Progress::where_watched(
        dest.may_reach_terminal,
        opts.silent || opts.verbose,
    ));
    let progress = bearer.progress.clone();
    // Under -v each request's head and its answer's are written in turn; pages in flight at once
    // would interleave them. A next-path page is known only from the one before it.
    let parallel = if opts.verbose || style.position_param().is_none() {
        1
    } else {
        parallel
    };
    let walked = match Pages::new(bearer, sender, opts.retry, opts.silent, parallel) {
        Ok(mut pages) => {
            let walked = walk_all(
                &mut pages, style, &mut walk, &mut items, &dest.name, &progress,
            );
            // Pages still in flight say nothing more once the walk is over.
            drop(pages);
            walked
        }
        Err(err) => Err(err.context(walk.stopped())),
    };
    // Before any error is printed.
    progress.clear();
    let closed = items.finish().with_context(write_err);
    walked.and(closed)
}

/// The walk itself: take the page the walk is at, write the items it takes, until it is done.
fn walk_all(
    pages: &mut Pages,
    style: PageStyle,
    walk: &mut Walk,
    items: &mut Sink,
    where_to: &str,
    progress: &Progress,
) -> Result<()> {
    let write_err = || format!("cannot write to {where_to}");
    loop {
        let fetched = pages.next(walk)?;
        let what = format!("GET {}", fetched.url);
        let body = fetched.body.with_context(|| walk.stopped())?;
        let page = match &body {
            Some(body) => Page::parse(style, body)
                .with_context(|| what.clone())
                .with_context(|| walk.stopped())?,
            None => Page::empty(style),
        };
        let take = walk.take(&page).with_context(|| what.clone())?;
        let mut halted = None;
        for (n, item) in page.items[..take.count].iter().enumerate() {
            halted = items.write(item.get(), n, &what, &write_err)?;
            if halted.is_some() {
                break;
            }
        }
        items.flush().with_context(write_err)?;
        match halted {
            None => {}
            Some(0) => return Ok(()),
            Some(code) => bail!("--jq: the filter halted with exit code {code}"),
        }
        show_progress(progress, walk, &page);
        if let Some(why) = take.broken {
            bail!("{what}: {why}");
        }
        if take.done {
            return Ok(());
        }
    }
}

/// Where the items go: written as they are (a JSON array, or NDJSON), or through `--jq`, each
/// item the filter's input in turn, as `--ndjson | jq EXPR` would run it. Each item rather than
/// the whole list, so that the items still stream out page by page and no list is held in memory;
/// and each item rather than each page (as `gh api --paginate --jq` runs it), because oauthctl
/// writes a list's items, not its vendor's page envelopes, and `.name` then reads as it does on
/// the items it writes without --jq.
enum Sink<'j> {
    Items(ItemWriter<Box<dyn Write>>),
    Filtered { jq: &'j Jq, out: Box<dyn Write> },
}

impl Sink<'_> {
    /// Writes item `n` of the page `what` answered; `Some(code)` when the filter halted.
    fn write(
        &mut self,
        item: &str,
        n: usize,
        what: &str,
        write_err: &dyn Fn() -> String,
    ) -> Result<Option<i32>> {
        match self {
            Sink::Items(items) => {
                items.write(item).with_context(write_err)?;
                Ok(None)
            }
            Sink::Filtered { jq, out } => jq.run(
                item.as_bytes(),
                out,
                &format!("item {n} of the answer to {what}"),
            ),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Items(items) => items.flush(),
            Sink::Filtered { out, .. } => out.flush(),
        }
    }

    /// Closes the array, if there is one.
    fn finish(self) -> io::Result<()> {
        match self {
            Sink::Items(items) => items.finish(),
            Sink::Filtered { mut out, .. } => out.flush(),
        }
    }
}
