//! The `-H` item parser of `oauthctl call`: `http::parse_header_item`, and
//! `http::apply_header_items` over a profile's headers.
//!
//! Input: the whole text is one item, and each line is an item as well (the items of one
//! command line, applied in order).
//!
//! Properties: `Name: value` gives the name (lower case) and the value as typed, trimmed;
//! `Name:` removes; `Name;` sends an empty value; a value never holds a control character other
//! than a tab, so no item can add a header line of its own; an error says which item. Applied,
//! the headers are what curl's rules say: the first item of a name replaces the profile's, later
//! ones add, `Name:` removes.

#![no_main]

use http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use oauthctl::http::{HeaderItem, apply_header_items, parse_header_item};

const PROFILE: &[(&str, &str)] = &[("accept", "application/json"), ("x-profile", "p")];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(text);
    let items: Vec<HeaderItem> = text.lines().filter_map(check).collect();
    apply(items);
});

/// Parses one item and checks it against the text.
fn check(item: &str) -> Option<HeaderItem> {
    let parsed = match parse_header_item(item) {
        Ok(parsed) => parsed,
        Err(err) => {
            let msg = err.to_string();
            assert!(msg.starts_with(&format!("-H `{item}`: ")), "{msg}");
            return None;
        }
    };
    let empty_form = item.strip_suffix(';').filter(|name| !name.contains(':'));
    let (name, value) = match empty_form {
        Some(name) => (name, ""),
        None => item
            .split_once(':')
            .expect("an item that parsed has a colon"),
    };
    match &parsed {
        HeaderItem::Set(n, v) => {
            assert_eq!(n.as_str(), name.trim().to_ascii_lowercase());
            assert_eq!(v.as_bytes(), value.trim().as_bytes());
            assert!(
                v.as_bytes()
                    .iter()
                    .all(|&b| b == b'\t' || !b.is_ascii_control()),
                "{v:?}"
            );
            assert!(empty_form.is_some() || !v.is_empty());
        }
        HeaderItem::Remove(n) => {
            assert_eq!(n.as_str(), name.trim().to_ascii_lowercase());
            assert!(empty_form.is_none() && value.trim().is_empty());
        }
    }
    Some(parsed)
}

/// Applies the items over the profile's headers, and compares with curl's rules written out.
fn apply(items: Vec<HeaderItem>) {
    let mut headers = HeaderMap::new();
    let mut model: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    for (name, value) in PROFILE {
        headers.insert(*name, HeaderValue::from_static(value));
        model.push((name.to_string(), vec![value.as_bytes().to_vec()]));
    }
    let mut seen: Vec<String> = Vec::new();
    for item in &items {
        let (name, value) = match item {
            HeaderItem::Set(n, v) => (n.as_str().to_string(), Some(v.as_bytes().to_vec())),
            HeaderItem::Remove(n) => (n.as_str().to_string(), None),
        };
        let first = !seen.contains(&name);
        seen.push(name.clone());
        let at = model.iter().position(|(n, _)| *n == name);
        match (value, at) {
            (None, Some(i)) => {
                model.remove(i);
            }
            (None, None) => {}
            (Some(v), Some(i)) if !first => model[i].1.push(v),
            (Some(v), Some(i)) => model[i].1 = vec![v],
            (Some(v), None) => model.push((name, vec![v])),
        }
    }
    apply_header_items(&mut headers, items);
    assert_eq!(headers.keys_len(), model.len());
    for (name, values) in &model {
        let got: Vec<&[u8]> = headers.get_all(name).iter().map(|v| v.as_bytes()).collect();
        assert_eq!(got, *values, "{name}");
    }
}
