//! The `-q` item parser of `oauthctl call` and the URL it builds: `http::parse_query_item`,
//! `http::resolve_target`, `http::append_query`, `http::query_value` and
//! `http::set_query` (which `--paginate` uses to set `offset`, `startIndex`...).
//!
//! Input: the first line is the path or URL given to `call`, each further line a `-q` item.
//!
//! Properties: the target never leaves the allowed origins (a typo must not hand the token to a
//! stranger); a parsed item is `NAME=VALUE` split at the first `=`, with a name; the items come
//! back from the URL's query unchanged, after the query that was there (the percent-encoding
//! round-trips); `query_value` finds the last of a name; `set_query` replaces the parameters it
//! sets and keeps every other one, in order.

#![no_main]

use libfuzzer_sys::fuzz_target;
use oauthctl::http::{append_query, parse_query_item, query_value, resolve_target, set_query};
use url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut lines = text.split('\n');
    let target = lines.next().unwrap_or("");
    // Asgardeo's base, which has a path the target is joined under.
    let base = Url::parse("https://api.asgardeo.io/t/myorg").unwrap();
    let allowed = [Url::parse("https://accounts.example.com").unwrap()];
    let mut url = match resolve_target("fuzz", target, Some(&base), &allowed) {
        Ok(url) => {
            let origin = url.origin();
            assert!(
                origin == base.origin() || origin == allowed[0].origin(),
                "`{target}` went to {url}"
            );
            url
        }
        Err(_) => base.clone(),
    };
    let items: Vec<(String, String)> = lines.filter_map(check_item).collect();

    let before = pairs(&url);
    append_query(&mut url, &items);
    let after = pairs(&url);
    assert_eq!(after[..before.len()], before[..], "{url}");
    assert_eq!(after[before.len()..], items[..], "{url}");
    for (name, _) in &items {
        let last = items.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v);
        assert_eq!(query_value(&url, name).as_ref(), last, "{url}");
    }

    // What --paginate sets over the command's query: a position and a page size, and here also
    // the user's own last item, so that the names vary.
    let mut set: Vec<(String, String)> = vec![
        ("offset".to_string(), "400".to_string()),
        ("limit".to_string(), "200".to_string()),
    ];
    set.extend(items.last().cloned());
    let before = pairs(&url);
    set_query(&mut url, &set);
    let kept: Vec<(String, String)> = before
        .into_iter()
        .filter(|(n, _)| !set.iter().any(|(s, _)| s == n))
        .collect();
    let after = pairs(&url);
    assert_eq!(after[..kept.len()], kept[..], "{url}");
    assert_eq!(after[kept.len()..], set[..], "{url}");
});

fn check_item(item: &str) -> Option<(String, String)> {
    match parse_query_item(item) {
        Ok((name, value)) => {
            assert!(!name.is_empty() && !name.contains('='));
            assert_eq!(format!("{name}={value}"), item);
            Some((name, value))
        }
        Err(err) => {
            assert!(item.starts_with('=') || !item.contains('='));
            let msg = err.to_string();
            assert!(msg.starts_with(&format!("-q `{item}`: ")), "{msg}");
            None
        }
    }
}

fn pairs(url: &Url) -> Vec<(String, String)> {
    url.query_pairs().into_owned().collect()
}
