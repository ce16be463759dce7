//! A whole `call --paginate` walk without the network: `paging::Walk` from the command line's
//! `--start`, page size and `--max-items`, fed page after page as `call` feeds it.
//!
//! The input is structured (`arbitrary`): the walk's arguments as numbers or text, and per page
//! what its envelope says (how many items, whether they repeat the last page's, `total`,
//! `morePages`, `totalPages`, `nextPath`, or a 204). Structured, the fuzzer reaches what raw text
//! rarely does: positions near the end of u64, totals the page contradicts, a server that ignores
//! its cursor. The envelopes themselves are fuzzed as raw bytes by `paging_envelope`.
//!
//! Properties, from the README's paging table: each request asks for a page size above 0 at the
//! position right after the items taken (an offset moves by the page's items, a page number by
//! one); a walk takes all of a page's items but never more than `--max-items`, and counts them;
//! it ends where the table says (the total, `morePages`, `totalPages`, a short page, no
//! `nextPath`, an empty page); a page with the same items as the last one is an error and takes
//! nothing; a `nextPath` naming its own page, or a position past u64::MAX, ends the walk with an
//! error after its items; and what `stopped`
//! says to resume with is where the walk is.

#![no_main]

use std::num::NonZeroU64;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use oauthctl::paging::{Page, PageStyle, Walk};
use serde_json::{Value, json};

#[derive(Debug, Arbitrary)]
struct Input {
    style: u8,
    start: Option<Arg>,
    size: Option<Arg>,
    /// clap takes 1.. for --max-items.
    max_items: Option<NonZeroU64>,
    pages: Vec<PageSpec>,
}

/// A command-line value: mostly a number, sometimes any text.
#[derive(Debug, Arbitrary)]
enum Arg {
    Number(u64),
    Text(String),
}

impl Arg {
    fn text(&self) -> String {
        match self {
            Arg::Number(n) => n.to_string(),
            Arg::Text(t) => t.clone(),
        }
    }
}

#[derive(Debug, Arbitrary)]
struct PageSpec {
    /// 204 No Content.
    no_content: bool,
    items: u8,
    /// The same items as the page before.
    repeat: bool,
    total: Option<u64>,
    total_as_text: bool,
    more_pages: Option<bool>,
    total_pages: Option<u64>,
    next_path: Option<Next>,
}

#[derive(Debug, Arbitrary)]
enum Next {
    /// The path the page was asked for: a server stuck on one page.
    Itself,
    Cursor(u16),
    Text(String),
}

fuzz_target!(|input: Input| {
    let style = PageStyle::ALL[usize::from(input.style) % PageStyle::ALL.len()];
    let start = input.start.as_ref().map(Arg::text);
    let size = input.size.as_ref().map(Arg::text);
    let max = input.max_items.map(NonZeroU64::get);
    let Ok(mut walk) = Walk::new(style, start.as_deref(), size.as_deref(), max) else {
        return;
    };
    let (default_size, first) = match style {
        PageStyle::OffsetLimit => (200, 0),
        PageStyle::OffsetPagelength => (1000, 0),
        PageStyle::Scim => (100, 1),
        PageStyle::PageNumber => (150, 0),
        PageStyle::NextPath => (100, 0),
    };
    let size = match &size {
        Some(text) => text.trim().parse::<u64>().expect("Walk::new took it"),
        None => max.map_or(default_size, |m| m.clamp(1, default_size)),
    };
    assert!(size > 0);
    let mut next_id: u64 = 0;
    let mut last_items: Option<String> = None;

    for spec in &input.pages {
        let query = walk.query();
        let position = style.position_param().map(|p| {
            let at = value(&query, p).expect("a position in every request");
            assert!(at >= first);
            at
        });
        let here = walk.next_path().map(str::to_string);
        match &here {
            Some(_) => assert!(query.is_empty()),
            None => assert_eq!(value(&query, style.size_param()), Some(size)),
        }

        let (body, items_text) = envelope(style, spec, here.as_deref(), &mut next_id, &last_items);
        let page = match &body {
            None => Page::empty(style),
            Some(body) => Page::parse(style, body.as_bytes()).expect("a well-formed envelope"),
        };
        let n = page.items.len() as u64;
        let before = walk.taken();
        let take = match walk.take(&page) {
            Ok(take) => take,
            Err(err) => {
                assert!(
                    n > 0 && last_items.as_deref() == Some(items_text.as_str()),
                    "{err}"
                );
                assert!(err.to_string().contains("holds the same"), "{err}");
                assert_eq!(walk.taken(), before);
                return;
            }
        };
        assert!(
            n == 0 || last_items.as_deref() != Some(items_text.as_str()),
            "the same items twice, taken"
        );
        last_items = Some(items_text);

        let want = max.map_or(n, |m| (m - before).min(n));
        assert_eq!(take.count as u64, want);
        assert_eq!(walk.taken(), before + want);
        let full = max.is_some_and(|m| walk.taken() >= m);

        // Where the walk is now, and whether the README's table says the list is over.
        let short = n < size;
        let moved =
            position.map(|at| at.checked_add(if style == PageStyle::PageNumber { 1 } else { n }));
        let total = spec.total;
        let last = n == 0
            || match style {
                PageStyle::PageNumber => match (spec.more_pages, spec.total_pages) {
                    (Some(more), _) => !more,
                    (None, Some(pages)) => moved.flatten().is_none_or(|p| p >= pages),
                    (None, None) => short,
                },
                PageStyle::NextPath => {
                    short
                        || next_path(spec, here.as_deref())
                            .is_none_or(|p| Some(&p) == here.as_ref())
                }
                _ => match total {
                    Some(total) => moved.flatten().is_none_or(|p| p - first >= total),
                    None => short,
                },
            };
        // A list that goes on past u64::MAX cannot be walked on: an error, after the items.
        let stuck = moved.is_some_and(|m| m.is_none()) && !last;
        assert_eq!(
            take.done,
            last || stuck || full,
            "{spec:?} at {position:?}/{here:?}"
        );
        let self_named = style == PageStyle::NextPath
            && n > 0
            && !short
            && next_path(spec, here.as_deref()).is_some_and(|p| Some(&p) == here.as_ref());
        assert_eq!(
            take.broken.is_some(),
            (self_named || stuck) && !full,
            "{take:?}"
        );
        if take.done {
            return;
        }

        let stopped = walk.stopped();
        if let Some(moved) = moved {
            let next = moved.expect("a walk on has a next position");
            let now = style.position_param().and_then(|p| value(&walk.query(), p));
            assert_eq!(now, Some(next));
            assert!(stopped.ends_with(&format!("--start {next}")), "{stopped}");
        } else {
            let next = next_path(spec, here.as_deref()).expect("a walk on has a nextPath");
            assert_eq!(walk.next_path(), Some(next.as_str()));
        }
    }
});

/// The page a server in `style` would send for `spec`, and its items array as text.
fn envelope(
    style: PageStyle,
    spec: &PageSpec,
    here: Option<&str>,
    next_id: &mut u64,
    last_items: &Option<String>,
) -> (Option<String>, String) {
    if spec.no_content {
        return (None, "[]".to_string());
    }
    let items = match last_items {
        Some(last) if spec.repeat => last.clone(),
        _ => {
            let ids: Vec<Value> = (0..spec.items)
                .map(|_| {
                    *next_id += 1;
                    json!({ "id": *next_id })
                })
                .collect();
            Value::Array(ids).to_string()
        }
    };
    let parsed: Value = serde_json::from_str(&items).unwrap();
    let mut body = serde_json::Map::new();
    let key = match style {
        PageStyle::OffsetLimit => "data",
        PageStyle::OffsetPagelength => "devices",
        PageStyle::Scim => "Resources",
        PageStyle::PageNumber => "events",
        PageStyle::NextPath => "resources",
    };
    body.insert(key.into(), parsed);
    let total_key = if style == PageStyle::Scim {
        "totalResults"
    } else {
        "total"
    };
    if let Some(total) = spec.total {
        let total = match spec.total_as_text {
            true => Value::String(total.to_string()),
            false => Value::from(total),
        };
        body.insert(total_key.into(), total);
    }
    if let Some(more) = spec.more_pages {
        body.insert("morePages".into(), more.into());
    }
    if let Some(pages) = spec.total_pages {
        body.insert("totalPages".into(), pages.into());
    }
    if let Some(path) = next_path(spec, here) {
        body.insert("nextPath".into(), path.into());
    }
    (Some(Value::Object(body).to_string()), items)
}

/// The `nextPath` the page names, as the walk reads it (an empty one is none).
fn next_path(spec: &PageSpec, here: Option<&str>) -> Option<String> {
    let path = match spec.next_path.as_ref()? {
        Next::Itself => here.unwrap_or("/incident/api/incidents/delta").to_string(),
        Next::Cursor(n) => format!("/incident/api/incidents/delta?cursor={n}"),
        Next::Text(text) => text.clone(),
    };
    (!path.is_empty()).then_some(path)
}

fn value(query: &[(String, String)], name: &str) -> Option<u64> {
    query.iter().find(|(n, _)| n == name)?.1.parse().ok()
}
