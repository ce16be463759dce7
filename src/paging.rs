//! `call --paginate`: how each vendor pages its lists, and when a walk through the pages ends.
//!
//! The styles are those of "The paging styles side by side" in docs/providers.md (SCIM 2's is
//! RFC 7644 §3.4.2.4). Nothing here touches the network: `call` sends the request a [`Walk`] asks
//! for, hands the response back as a [`Page`], and writes the items the walk says to take. Items stay
//! the server's own bytes (`RawValue`), so keys keep their order and numbers their digits, and a
//! page is dropped once its items are written: memory holds one page, however long the list.
//!
//! Once a page tells how long the list is, the walk also knows where the next pages will start if
//! they are as full as this one ([`Walk::ahead`]), so that `call --parallel` can ask for them
//! before they are needed; the walk itself still takes the pages one by one, in order, and decides
//! alone where the list goes on and where it ends.

use std::collections::BTreeMap;
use std::fmt;
use std::hash::{DefaultHasher, Hasher};

use anyhow::{Result, anyhow, bail};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

/// How a vendor's list API pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageStyle {
    /// Strata Cloud Manager config: `offset`, `limit`; `{"data":[...],"total":N}`.
    OffsetLimit,
    /// IoT Security: `offset`, `pagelength`; `{"devices":[...],"total":N}` or `items`.
    OffsetPagelength,
    /// SCIM 2 (Asgardeo): 1-based `startIndex`, `count`; `{"Resources":[...],"totalResults":N}`.
    Scim,
    /// SAP BTP events: 0-based `pageNum`, `pageSize`; `{"events":[...],"morePages":bool}`.
    PageNumber,
    /// SaaS Security: `limit`; `{"resources":[...],"nextPath":"/..."}`, the next page's path.
    NextPath,
}

impl PageStyle {
    pub const ALL: [PageStyle; 5] = [
        PageStyle::OffsetLimit,
        PageStyle::OffsetPagelength,
        PageStyle::Scim,
        PageStyle::PageNumber,
        PageStyle::NextPath,
    ];

    /// The name used by `--paging` and the profile's `paging` key.
    pub fn name(self) -> &'static str {
        match self {
            PageStyle::OffsetLimit => "offset-limit",
            PageStyle::OffsetPagelength => "offset-pagelength",
            PageStyle::Scim => "scim",
            PageStyle::PageNumber => "page-number",
            PageStyle::NextPath => "next-path",
        }
    }

    /// `offset-limit, offset-pagelength, ...`, for messages.
    pub fn names() -> String {
        let names: Vec<&str> = Self::ALL.iter().map(|s| s.name()).collect();
        names.join(", ")
    }

    /// The query parameter that says where a page starts; next-path has none.
    pub fn position_param(self) -> Option<&'static str> {
        match self {
            PageStyle::OffsetLimit | PageStyle::OffsetPagelength => Some("offset"),
            PageStyle::Scim => Some("startIndex"),
            PageStyle::PageNumber => Some("pageNum"),
            PageStyle::NextPath => None,
        }
    }

    /// The query parameter that sets the page size.
    pub fn size_param(self) -> &'static str {
        match self {
            PageStyle::OffsetLimit | PageStyle::NextPath => "limit",
            PageStyle::OffsetPagelength => "pagelength",
            PageStyle::Scim => "count",
            PageStyle::PageNumber => "pageSize",
        }
    }

    /// The largest page the vendor documents (docs/providers.md, "Page sizes"): the largest SCM's
    /// config lists take (5,000, as pan-scm-sdk has it; a provider names the lists that take less),
    /// IoT Security's (1,000), Asgardeo's SCIM cap (100) and SAP events' (150). SaaS Security
    /// documents none: its own example's 100, as a larger `limit` that the server capped would
    /// look like the last page.
    pub fn default_size(self) -> u64 {
        match self {
            PageStyle::OffsetLimit => 5000,
            PageStyle::OffsetPagelength => 1000,
            PageStyle::Scim => 100,
            PageStyle::PageNumber => 150,
            PageStyle::NextPath => 100,
        }
    }

    /// The position of the first page: SCIM counts from 1.
    fn first_position(self) -> u64 {
        match self {
            PageStyle::Scim => 1,
            _ => 0,
        }
    }

    /// Where the envelope keeps its items, in the order they are looked for.
    fn item_keys(self) -> &'static [&'static str] {
        match self {
            PageStyle::OffsetLimit => &["data"],
            PageStyle::OffsetPagelength => &["devices", "items"],
            PageStyle::Scim => &["Resources"],
            PageStyle::PageNumber => &["events"],
            PageStyle::NextPath => &["resources"],
        }
    }

    /// Where the envelope says how many items the whole list holds.
    fn total_key(self) -> Option<&'static str> {
        match self {
            PageStyle::OffsetLimit | PageStyle::OffsetPagelength => Some("total"),
            PageStyle::Scim => Some("totalResults"),
            PageStyle::PageNumber => Some("total"),
            PageStyle::NextPath => None,
        }
    }
}

impl fmt::Display for PageStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One page as the server sent it, parsed just enough to walk on.
#[derive(Debug)]
pub struct Page<'a> {
    /// The items, each the server's own JSON text.
    pub items: Vec<&'a RawValue>,
    /// The key the items were under (`devices`, `Resources`...).
    key: &'static str,
    /// The items array as sent, to recognise a page served twice.
    items_text: &'a str,
    /// How many items the whole list holds (`total`, `totalResults`).
    total: Option<u64>,
    /// SAP: `morePages`, and `totalPages` for a response without it.
    more_pages: Option<bool>,
    total_pages: Option<u64>,
    /// SaaS Security: `nextPath`.
    next_path: Option<String>,
}

impl<'a> Page<'a> {
    /// Parses a response's body as a page of `style`.
    pub fn parse(style: PageStyle, body: &'a [u8]) -> Result<Page<'a>> {
        let fields: BTreeMap<String, &'a RawValue> = serde_json::from_slice(body)
            .map_err(|err| anyhow!("the answer is not a JSON object ({err})"))?;
        let keys = style.item_keys();
        let (key, raw) = keys
            .iter()
            .find_map(|k| fields.get(*k).map(|raw| (*k, *raw)))
            .ok_or_else(|| {
                let wanted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                anyhow!(
                    "the answer has no {} array, which {style} paging reads\nhint: if this list pages another way, say so with --paging STYLE ({})",
                    wanted.join(" or "),
                    PageStyle::names()
                )
            })?;
        let items: Vec<&'a RawValue> = match raw.get() {
            "null" => Vec::new(),
            text => serde_json::from_str(text)
                .map_err(|_| anyhow!("`{key}` in the answer is not an array"))?,
        };
        let number = |name: &str| -> Option<u64> {
            match serde_json::from_str::<Value>(fields.get(name)?.get()).ok()? {
                Value::Number(n) => n.as_u64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        };
        let text = |name: &str| -> Option<String> {
            serde_json::from_str::<Option<String>>(fields.get(name)?.get())
                .ok()
                .flatten()
                .filter(|s| !s.is_empty())
        };
        Ok(Page {
            key,
            items_text: raw.get(),
            total: style.total_key().and_then(number),
            more_pages: fields
                .get("morePages")
                .and_then(|raw| serde_json::from_str(raw.get()).ok()),
            total_pages: number("totalPages"),
            next_path: text("nextPath"),
            items,
        })
    }

    /// A response without a body (204 No Content): no more items.
    pub fn empty(style: PageStyle) -> Page<'static> {
        Page {
            items: Vec::new(),
            key: style.item_keys()[0],
            items_text: "[]",
            total: None,
            more_pages: None,
            total_pages: None,
            next_path: None,
        }
    }

    /// What the items are, for the progress line: `devices`, `events`; SCM's `data` are `items`.
    pub fn noun(&self) -> String {
        match self.key {
            "data" => "items".to_string(),
            key => key.to_lowercase(),
        }
    }

    /// How many items the whole list holds, when the server says.
    pub fn total(&self) -> Option<u64> {
        self.total
    }
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    /// An offset, a 1-based start index or a 0-based page number, as the style counts.
    Number(u64),
    /// next-path: the first page, at the command's own URL.
    First,
    /// next-path: a path (or URL) the server gave as `nextPath`, or `--start`.
    Path(String),
}

/// What to do with a page's items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Take {
    /// How many of the page's items to write, from its start.
    pub count: usize,
    /// The walk is over.
    pub done: bool,
    /// The walk is over because the server cannot be walked on: this error, once the page's
    /// items (new ones) are written.
    pub broken: Option<String>,
}

/// A walk through one list's pages.
#[derive(Debug)]
pub struct Walk {
    style: PageStyle,
    size: u64,
    max_items: Option<u64>,
    at: Position,
    /// Items taken so far.
    taken: u64,
    /// The last page's items (a 64-bit hash) and where it started, to stop a server that ignores
    /// the page parameters and would be walked forever.
    previous: Option<(u64, String)>,
    /// How many items the last page held.
    last_count: u64,
    /// Where the list ends, as the last page tells: the first position past it (an offset or
    /// startIndex past `total`, a pageNum past `totalPages`).
    end: Option<u64>,
}

impl Walk {
    /// A walk from `start` (`--start`, or the position the command's query gives), with pages of
    /// `size` (the one the command's query gives), writing at most `max_items`.
    ///
    /// Without a size of the user's, the style's documented size is asked for, or `max_items`
    /// when that is less, so `--max-items 5` does not fetch a thousand devices.
    pub fn new(
        style: PageStyle,
        start: Option<&str>,
        size: Option<&str>,
        max_items: Option<u64>,
    ) -> Result<Walk> {
        Walk::sized(style, start, size, style.default_size(), max_items)
    }

    /// [`Walk::new`], with `documented` as the size to ask for without one of the user's: the
    /// list's own, where its provider knows that it takes less than the style's.
    pub fn sized(
        style: PageStyle,
        start: Option<&str>,
        size: Option<&str>,
        documented: u64,
        max_items: Option<u64>,
    ) -> Result<Walk> {
        let documented = documented.max(1);
        let size = match size {
            Some(text) => match text.trim().parse::<u64>() {
                Ok(n) if n > 0 => n,
                _ => bail!(
                    "`{}={text}`: the page size must be a whole number above 0",
                    style.size_param()
                ),
            },
            None => max_items.map_or(documented, |max| max.clamp(1, documented)),
        };
        let at = match (style.position_param(), start) {
            (Some(_), None) => Position::Number(style.first_position()),
            (Some(param), Some(text)) => match text.trim().parse::<u64>() {
                Ok(n) if n >= style.first_position() => Position::Number(n),
                _ => bail!(
                    "--start `{text}`: {style} paging starts at `{param}`, a whole number from {}",
                    style.first_position()
                ),
            },
            (None, None) => Position::First,
            (None, Some(path)) => Position::Path(path.to_string()),
        };
        Ok(Walk {
            style,
            size,
            max_items,
            at,
            taken: 0,
            previous: None,
            last_count: 0,
            end: None,
        })
    }

    /// The query parameters of the next page, set over the command's own query. Empty when the
    /// next page is a path of the server's ([`Walk::next_path`]).
    pub fn query(&self) -> Vec<(String, String)> {
        let size = (self.style.size_param().to_string(), self.size.to_string());
        match (&self.at, self.style.position_param()) {
            (Position::Number(n), Some(param)) => vec![(param.to_string(), n.to_string()), size],
            (Position::First, _) => vec![size],
            _ => Vec::new(),
        }
    }

    /// The query parameters of the page at `position` (an offset, startIndex or pageNum).
    pub fn query_at(&self, position: u64) -> Vec<(String, String)> {
        let param = self.style.position_param().unwrap_or_default();
        vec![
            (param.to_string(), position.to_string()),
            (self.style.size_param().to_string(), self.size.to_string()),
        ]
    }

    /// The position the next page starts at, for the styles that number their pages.
    pub fn position(&self) -> Option<u64> {
        match self.at {
            Position::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The positions of the next page and of those after it, at most `pages` in all: the next
    /// page's always (when the style numbers its pages), and after it those that the last page
    /// says the list holds, if each page is as full as the last one, and no more than
    /// `--max-items` needs. Before a page has told the list's length, only the next page's.
    ///
    /// These are guesses to ask for ahead of time: a page that comes back less full than the last
    /// one moves the walk elsewhere ([`Walk::position`] says where), and the pages asked for
    /// after it are then not the ones the walk needs.
    pub fn ahead(&self, pages: usize) -> Vec<u64> {
        let Position::Number(at) = self.at else {
            return Vec::new();
        };
        let mut positions = vec![at];
        let stride = match self.style {
            PageStyle::PageNumber => 1,
            _ => self.last_count,
        };
        let (Some(end), true) = (self.end, stride > 0) else {
            return positions;
        };
        let wanted = self.max_items.map(|max| max.saturating_sub(self.taken));
        for k in 1..pages as u64 {
            let Some(position) = k.checked_mul(stride).and_then(|d| at.checked_add(d)) else {
                break;
            };
            // The k-th page after the next one is needed only if the items before it are not
            // already all that --max-items asks for.
            let before = k.saturating_mul(self.last_count);
            if position >= end || wanted.is_some_and(|wanted| before >= wanted) {
                break;
            }
            positions.push(position);
        }
        positions
    }

    /// next-path: the path (or URL) of the next page, requested as given.
    pub fn next_path(&self) -> Option<&str> {
        match &self.at {
            Position::Path(path) => Some(path),
            _ => None,
        }
    }

    /// Items taken so far.
    pub fn taken(&self) -> u64 {
        self.taken
    }

    /// Decides about the page that answered the request at the walk's position, and moves on.
    /// An error means the server is not paging: it sent the same items again, which are not to
    /// be written. (A page that names itself as the next one has new items: see [`Take::broken`].)
    pub fn take(&mut self, page: &Page) -> Result<Take> {
        let n = page.items.len() as u64;
        if n == 0 {
            return Ok(Take {
                count: 0,
                done: true,
                broken: None,
            });
        }
        let here = self.position_text();
        // SipHash, not SHA-256: telling a page served twice from the next one needs no
        // cryptographic strength (a server that wants the walk to stop can answer an error), and
        // SHA-256 over every page was the largest cost of a long walk (BENCHMARKS.md, its
        // `--paginate` row).
        let mut hasher = DefaultHasher::new();
        hasher.write(page.items_text.as_bytes());
        let digest = hasher.finish();
        if let Some((before, there)) = &self.previous
            && *before == digest
        {
            let ignored = match self.style.position_param() {
                Some(param) => format!("`{param}`"),
                None => "the cursor in nextPath".to_string(),
            };
            bail!(
                "the page at {here} holds the same {n} items as the page at {there}: the server seems to ignore {ignored}, so the walk stopped rather than loop"
            );
        }
        self.previous = Some((digest, here));

        self.last_count = n;
        self.end = match self.style {
            PageStyle::PageNumber => page.total_pages,
            style => page
                .total
                .and_then(|total| total.checked_add(style.first_position())),
        };
        let room = self.max_items.map_or(n, |max| (max - self.taken).min(n));
        self.taken += room;
        let full = self.max_items.is_some_and(|max| self.taken >= max);
        let short = n < self.size;
        let mut broken = None;
        let last = match (&mut self.at, self.style) {
            (Position::Number(page_num), PageStyle::PageNumber) => {
                let next = page_num.checked_add(1);
                let last = match (page.more_pages, page.total_pages) {
                    (Some(more), _) => !more,
                    (None, Some(pages)) => next.is_none_or(|p| p >= pages),
                    (None, None) => short,
                };
                move_to(page_num, next, last, "pageNum", &mut broken)
            }
            (Position::Number(start), style) => {
                let next = start.checked_add(n);
                // With a total, the total decides: a server may cap the page size below the one
                // asked for (IoT at 1000, Asgardeo's SCIM at 100), and a short page then is not
                // the last. Without one, a short page is.
                let last = match page.total {
                    Some(total) => next.is_none_or(|p| p - style.first_position() >= total),
                    None => short,
                };
                let param = style.position_param().unwrap_or_default();
                move_to(start, next, last, param, &mut broken)
            }
            (at, _) => match &page.next_path {
                _ if short => true,
                None => true,
                Some(next) if *at == Position::Path(next.clone()) => {
                    broken = Some(format!(
                        "the page at nextPath {next} names itself as the next page: the server would be asked for it forever, so the walk stopped"
                    ));
                    true
                }
                Some(next) => {
                    *at = Position::Path(next.clone());
                    false
                }
            },
        };
        Ok(Take {
            count: room as usize,
            done: last || full,
            broken: broken.filter(|_| !full),
        })
    }

    /// Where the walk is, in the style's words: `offset 400`, `startIndex 401`, `pageNum 2`,
    /// `nextPath /incident/...`, `the first page`.
    fn position_text(&self) -> String {
        match (&self.at, self.style.position_param()) {
            (Position::Number(n), Some(param)) => format!("{param} {n}"),
            (Position::Path(path), _) => format!("nextPath {path}"),
            _ => "the first page".to_string(),
        }
    }

    /// What to say when the page at the walk's position could not be had: where it stopped, and
    /// (a `hint:` line) how to go on from there.
    pub fn stopped(&self) -> String {
        let items = match self.taken {
            1 => "1 item".to_string(),
            n => format!("{n} items"),
        };
        let resume = match &self.at {
            Position::Number(n) => format!("resume with --start {n}"),
            Position::Path(path) => format!("resume with --start '{path}'"),
            Position::First => "nothing was written yet: run the command again".to_string(),
        };
        format!(
            "stopped at {} after {items}\nhint: {resume}",
            self.position_text()
        )
    }
}

/// Moves a numbered walk to `next` and says whether the walk is over. `None` is past u64::MAX,
/// where only a `--start` near it leads: no list is that long, but the walk must neither overflow
/// nor wrap around to the first page, so unless the list ended anyway it stops with an error.
fn move_to(
    at: &mut u64,
    next: Option<u64>,
    last: bool,
    param: &str,
    broken: &mut Option<String>,
) -> bool {
    match next {
        Some(next) => *at = next,
        None if !last => {
            *broken = Some(format!(
                "the next page would start past {param} {}, which cannot be asked for, so the walk stopped",
                u64::MAX
            ))
        }
        None => {}
    }
    last || broken.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(style: PageStyle, body: &str) -> Page<'_> {
        Page::parse(style, body.as_bytes()).unwrap()
    }

    fn ids<'a>(page: &Page<'a>) -> Vec<&'a str> {
        page.items.iter().map(|i| i.get()).collect()
    }

    fn query(walk: &Walk) -> Vec<(String, String)> {
        walk.query()
    }

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn envelopes_give_their_items_as_sent() {
        let p = page(
            PageStyle::OffsetLimit,
            r#"{"data":[{"name":"b","id":1.50}, {"name":"a"}],"limit":2,"offset":0,"total":"5"}"#,
        );
        assert_eq!(ids(&p), [r#"{"name":"b","id":1.50}"#, r#"{"name":"a"}"#]);
        assert_eq!(p.total(), Some(5));
        assert_eq!(p.noun(), "items");

        let p = page(
            PageStyle::OffsetPagelength,
            r#"{"ver":"v4.0","items":[1],"total":1}"#,
        );
        assert_eq!((ids(&p), p.noun().as_str()), (vec!["1"], "items"));
        let p = page(PageStyle::OffsetPagelength, r#"{"total":0,"devices":null}"#);
        assert_eq!((p.items.len(), p.noun().as_str()), (0, "devices"));

        let p = page(
            PageStyle::Scim,
            r#"{"totalResults":7,"startIndex":1,"itemsPerPage":1,"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"Resources":[{"id":"u1"}]}"#,
        );
        assert_eq!((p.total(), p.noun().as_str()), (Some(7), "resources"));

        let p = page(
            PageStyle::PageNumber,
            r#"{"total":3,"totalPages":1,"pageNum":0,"morePages":false,"events":[]}"#,
        );
        assert_eq!(
            (p.more_pages, p.total_pages, p.noun().as_str()),
            (Some(false), Some(1), "events")
        );

        let p = page(
            PageStyle::NextPath,
            r#"{"resources":[{}],"nextPath":"/incident/api/incidents/delta?cursor=2"}"#,
        );
        assert_eq!(
            p.next_path.as_deref(),
            Some("/incident/api/incidents/delta?cursor=2")
        );
    }

    #[test]
    fn a_response_without_the_styles_array_names_what_was_looked_for() {
        let err = Page::parse(PageStyle::OffsetPagelength, br#"{"data":[]}"#).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "the answer has no `devices` or `items` array, which offset-pagelength paging reads\nhint: "
            ),
            "{err}"
        );
        assert!(Page::parse(PageStyle::Scim, b"[1,2]").is_err());
        assert!(Page::parse(PageStyle::OffsetLimit, br#"{"data":{}}"#).is_err());
    }

    #[test]
    fn sizes_are_the_users_or_the_documented_ones() {
        let size = |style, given, max| Walk::new(style, None, given, max).unwrap().size;
        assert_eq!(size(PageStyle::OffsetLimit, None, None), 5000);
        assert_eq!(size(PageStyle::OffsetPagelength, None, None), 1000);
        assert_eq!(size(PageStyle::Scim, None, None), 100);
        assert_eq!(size(PageStyle::PageNumber, None, None), 150);
        assert_eq!(size(PageStyle::NextPath, None, None), 100);
        assert_eq!(size(PageStyle::OffsetLimit, Some("50"), None), 50);
        assert_eq!(size(PageStyle::OffsetLimit, None, Some(5)), 5);
        assert_eq!(size(PageStyle::OffsetLimit, None, Some(9000)), 5000);
        assert_eq!(size(PageStyle::OffsetLimit, Some("50"), Some(5)), 50);
        // A list's own documented size, where its provider knows one.
        let sized = |given, max| {
            Walk::sized(PageStyle::OffsetLimit, None, given, 1000, max)
                .unwrap()
                .size
        };
        assert_eq!(sized(None, None), 1000);
        assert_eq!(sized(None, Some(10)), 10);
        assert_eq!(sized(Some("3000"), None), 3000);
        assert!(Walk::new(PageStyle::OffsetLimit, None, Some("0"), None).is_err());
        assert!(Walk::new(PageStyle::OffsetLimit, None, Some("ten"), None).is_err());
        assert!(Walk::new(PageStyle::Scim, Some("0"), None, None).is_err());
        assert!(Walk::new(PageStyle::OffsetLimit, Some("-1"), None, None).is_err());
    }

    #[test]
    fn offset_limit_walks_until_the_total() {
        let mut walk = Walk::new(PageStyle::OffsetLimit, None, Some("2"), None).unwrap();
        assert_eq!(query(&walk), q(&[("offset", "0"), ("limit", "2")]));
        let t = walk
            .take(&page(PageStyle::OffsetLimit, r#"{"data":[1,2],"total":3}"#))
            .unwrap();
        assert_eq!(
            t,
            Take {
                count: 2,
                done: false,
                broken: None
            }
        );
        assert_eq!(query(&walk), q(&[("offset", "2"), ("limit", "2")]));
        let t = walk
            .take(&page(PageStyle::OffsetLimit, r#"{"data":[3],"total":3}"#))
            .unwrap();
        assert_eq!(
            t,
            Take {
                count: 1,
                done: true,
                broken: None
            }
        );
        assert_eq!(walk.taken(), 3);
    }

    #[test]
    fn a_short_page_ends_a_list_without_a_total_and_an_empty_page_any() {
        let mut walk = Walk::new(PageStyle::OffsetPagelength, None, Some("2"), None).unwrap();
        let full = r#"{"items":[1,2]}"#;
        assert!(
            !walk
                .take(&page(PageStyle::OffsetPagelength, full))
                .unwrap()
                .done
        );
        let short = r#"{"items":[3]}"#;
        assert!(
            walk.take(&page(PageStyle::OffsetPagelength, short))
                .unwrap()
                .done
        );

        let mut walk = Walk::new(PageStyle::Scim, None, Some("2"), None).unwrap();
        let empty = r#"{"totalResults":9,"Resources":[]}"#;
        assert!(walk.take(&page(PageStyle::Scim, empty)).unwrap().done);
    }

    #[test]
    fn with_a_total_a_capped_page_is_not_the_last() {
        // Asgardeo caps count at 100: asked for 500, a page of 100 of 250 is not the end.
        let mut walk = Walk::new(PageStyle::Scim, None, Some("500"), None).unwrap();
        let hundred: Vec<String> = (0..100).map(|i| i.to_string()).collect();
        let body = format!(
            r#"{{"totalResults":250,"Resources":[{}]}}"#,
            hundred.join(",")
        );
        assert!(!walk.take(&page(PageStyle::Scim, &body)).unwrap().done);
        assert_eq!(query(&walk), q(&[("startIndex", "101"), ("count", "500")]));
    }

    #[test]
    fn scim_counts_from_one() {
        let mut walk = Walk::new(PageStyle::Scim, None, Some("2"), None).unwrap();
        assert_eq!(query(&walk), q(&[("startIndex", "1"), ("count", "2")]));
        let first = r#"{"totalResults":4,"Resources":[{"id":"a"},{"id":"b"}]}"#;
        assert!(!walk.take(&page(PageStyle::Scim, first)).unwrap().done);
        assert_eq!(query(&walk), q(&[("startIndex", "3"), ("count", "2")]));
        let second = r#"{"totalResults":4,"Resources":[{"id":"c"},{"id":"d"}]}"#;
        assert!(walk.take(&page(PageStyle::Scim, second)).unwrap().done);
    }

    #[test]
    fn page_number_follows_more_pages() {
        let mut walk = Walk::new(PageStyle::PageNumber, None, None, None).unwrap();
        assert_eq!(query(&walk), q(&[("pageNum", "0"), ("pageSize", "150")]));
        let more = r#"{"total":3,"totalPages":2,"pageNum":0,"morePages":true,"events":[1,2]}"#;
        assert!(!walk.take(&page(PageStyle::PageNumber, more)).unwrap().done);
        assert_eq!(query(&walk), q(&[("pageNum", "1"), ("pageSize", "150")]));
        let last = r#"{"total":3,"totalPages":2,"pageNum":1,"morePages":false,"events":[3]}"#;
        assert!(walk.take(&page(PageStyle::PageNumber, last)).unwrap().done);

        // Without morePages, totalPages decides.
        let mut walk = Walk::new(PageStyle::PageNumber, Some("1"), Some("2"), None).unwrap();
        let body = r#"{"totalPages":2,"events":[1,2]}"#;
        assert!(walk.take(&page(PageStyle::PageNumber, body)).unwrap().done);
    }

    #[test]
    fn next_path_follows_the_server_until_a_short_page() {
        let mut walk = Walk::new(PageStyle::NextPath, None, Some("2"), None).unwrap();
        assert_eq!(query(&walk), q(&[("limit", "2")]));
        assert_eq!(walk.next_path(), None);
        let first = r#"{"resources":[1,2],"nextPath":"/incident/api/incidents/delta?page=2"}"#;
        assert!(!walk.take(&page(PageStyle::NextPath, first)).unwrap().done);
        assert_eq!(
            walk.next_path(),
            Some("/incident/api/incidents/delta?page=2")
        );
        assert!(query(&walk).is_empty());
        let short = r#"{"resources":[3],"nextPath":"/incident/api/incidents/delta?page=3"}"#;
        assert!(walk.take(&page(PageStyle::NextPath, short)).unwrap().done);

        let mut walk = Walk::new(PageStyle::NextPath, None, Some("1"), None).unwrap();
        let without = r#"{"resources":[1]}"#;
        assert!(walk.take(&page(PageStyle::NextPath, without)).unwrap().done);
    }

    #[test]
    fn a_next_path_naming_itself_ends_with_an_error_after_its_items() {
        let mut walk = Walk::new(PageStyle::NextPath, Some("/x?c=1"), Some("1"), None).unwrap();
        let take = walk
            .take(&page(
                PageStyle::NextPath,
                r#"{"resources":[1],"nextPath":"/x?c=1"}"#,
            ))
            .unwrap();
        assert_eq!((take.count, take.done), (1, true));
        let broken = take.broken.unwrap();
        assert!(
            broken.starts_with("the page at nextPath /x?c=1 names itself as the next page"),
            "{broken}"
        );
    }

    #[test]
    fn the_same_items_twice_end_with_an_error_naming_the_ignored_parameter() {
        let mut walk = Walk::new(PageStyle::OffsetLimit, None, Some("2"), None).unwrap();
        let body = r#"{"data":[1,2],"offset":0,"total":10}"#;
        walk.take(&page(PageStyle::OffsetLimit, body)).unwrap();
        let err = walk.take(&page(PageStyle::OffsetLimit, body)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the page at offset 2 holds the same 2 items as the page at offset 0: the server seems to ignore `offset`, so the walk stopped rather than loop"
        );
        assert_eq!(walk.taken(), 2);

        let mut walk = Walk::new(PageStyle::NextPath, None, Some("1"), None).unwrap();
        walk.take(&page(
            PageStyle::NextPath,
            r#"{"resources":[1],"nextPath":"/a"}"#,
        ))
        .unwrap();
        let err = walk
            .take(&page(
                PageStyle::NextPath,
                r#"{"resources":[1],"nextPath":"/b"}"#,
            ))
            .unwrap_err();
        assert!(
            err.to_string().contains("ignore the cursor in nextPath"),
            "{err}"
        );
    }

    #[test]
    fn max_items_cuts_the_page_and_ends_the_walk() {
        let mut walk = Walk::new(PageStyle::OffsetLimit, None, Some("2"), Some(3)).unwrap();
        let t = walk
            .take(&page(PageStyle::OffsetLimit, r#"{"data":[1,2]}"#))
            .unwrap();
        assert_eq!(
            t,
            Take {
                count: 2,
                done: false,
                broken: None
            }
        );
        let t = walk
            .take(&page(PageStyle::OffsetLimit, r#"{"data":[3,4]}"#))
            .unwrap();
        assert_eq!(
            t,
            Take {
                count: 1,
                done: true,
                broken: None
            }
        );
        assert_eq!(walk.taken(), 3);
    }

    #[test]
    fn a_walk_near_the_end_of_u64_stops_rather_than_overflow() {
        // Found by fuzz/ (paging_walk): `--start 18446744073709551615` and a page that says
        // there are more panicked on the overflow (debug) or went back to page 0 (release).
        let max = u64::MAX.to_string();
        let mut walk = Walk::new(PageStyle::PageNumber, Some(&max), Some("2"), None).unwrap();
        let take = walk
            .take(&page(
                PageStyle::PageNumber,
                r#"{"morePages":true,"events":[1,2]}"#,
            ))
            .unwrap();
        assert_eq!((take.count, take.done), (2, true));
        assert_eq!(
            take.broken.as_deref(),
            Some(
                "the next page would start past pageNum 18446744073709551615, which cannot be asked for, so the walk stopped"
            )
        );
        let start = (u64::MAX - 1).to_string();
        let mut walk = Walk::new(PageStyle::OffsetLimit, Some(&start), Some("2"), None).unwrap();
        let take = walk
            .take(&page(PageStyle::OffsetLimit, r#"{"data":[1,2]}"#))
            .unwrap();
        assert_eq!((take.count, take.done), (2, true));
        assert!(
            take.broken
                .unwrap()
                .contains("past offset 18446744073709551615")
        );
        // A list whose total is reached ends as usual, without an error.
        let mut walk = Walk::new(PageStyle::OffsetLimit, Some(&start), Some("2"), None).unwrap();
        let take = walk
            .take(&page(PageStyle::OffsetLimit, r#"{"data":[1,2],"total":3}"#))
            .unwrap();
        assert_eq!(
            take,
            Take {
                count: 2,
                done: true,
                broken: None
            }
        );
    }

    fn numbers(n: std::ops::Range<u64>) -> String {
        let items: Vec<String> = n.map(|i| i.to_string()).collect();
        items.join(",")
    }

    #[test]
    fn ahead_are_the_next_pages_the_total_says_exist() {
        // Before the first page, only the first page.
        let mut walk = Walk::new(PageStyle::OffsetLimit, None, Some("10"), None).unwrap();
        assert_eq!(walk.ahead(4), [0]);
        let body = format!(r#"{{"data":[{}],"total":45}}"#, numbers(0..10));
        walk.take(&page(PageStyle::OffsetLimit, &body)).unwrap();
        assert_eq!(walk.ahead(4), [10, 20, 30, 40]);
        assert_eq!(walk.ahead(8), [10, 20, 30, 40]);
        assert_eq!(walk.ahead(1), [10]);
        assert_eq!(walk.query_at(30), q(&[("offset", "30"), ("limit", "10")]));

        // A server that caps the page below the size asked for: the stride is what came.
        let mut walk = Walk::new(PageStyle::Scim, None, Some("500"), None).unwrap();
        let body = format!(
            r#"{{"totalResults":250,"Resources":[{}]}}"#,
            numbers(0..100)
        );
        walk.take(&page(PageStyle::Scim, &body)).unwrap();
        assert_eq!(walk.ahead(4), [101, 201]);

        // Page numbers count to totalPages.
        let mut walk = Walk::new(PageStyle::PageNumber, None, Some("2"), None).unwrap();
        let body = r#"{"totalPages":3,"morePages":true,"events":[1,2]}"#;
        walk.take(&page(PageStyle::PageNumber, body)).unwrap();
        assert_eq!(walk.ahead(4), [1, 2]);

        // Without a total, only the next page; next-path has no positions at all.
        let mut walk = Walk::new(PageStyle::OffsetPagelength, None, Some("2"), None).unwrap();
        walk.take(&page(PageStyle::OffsetPagelength, r#"{"items":[1,2]}"#))
            .unwrap();
        assert_eq!(walk.ahead(4), [2]);
        let walk = Walk::new(PageStyle::NextPath, None, None, None).unwrap();
        assert!(walk.ahead(4).is_empty());
    }

    #[test]
    fn ahead_asks_for_no_more_than_max_items_needs() {
        let mut walk = Walk::new(PageStyle::OffsetLimit, None, Some("10"), Some(25)).unwrap();
        let body = format!(r#"{{"data":[{}],"total":1000}}"#, numbers(0..10));
        walk.take(&page(PageStyle::OffsetLimit, &body)).unwrap();
        // 15 more items are wanted: the pages at 10 and 20.
        assert_eq!(walk.ahead(8), [10, 20]);
    }

    #[test]
    fn stopped_says_where_to_resume() {
        let mut walk = Walk::new(PageStyle::OffsetLimit, Some("200"), Some("2"), None).unwrap();
        walk.take(&page(PageStyle::OffsetLimit, r#"{"data":[1,2]}"#))
            .unwrap();
        assert_eq!(
            walk.stopped(),
            "stopped at offset 202 after 2 items\nhint: resume with --start 202"
        );
        let walk = Walk::new(PageStyle::NextPath, None, None, None).unwrap();
        assert_eq!(
            walk.stopped(),
            "stopped at the first page after 0 items\nhint: nothing was written yet: run the command again"
        );
        let walk = Walk::new(PageStyle::NextPath, Some("/p?c=9"), None, None).unwrap();
        assert!(
            walk.stopped()
                .ends_with("hint: resume with --start '/p?c=9'")
        );
    }
}
