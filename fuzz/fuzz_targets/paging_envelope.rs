//! The paging envelope reader of `call --paginate`: `paging::Page::parse` over arbitrary bytes,
//! read as a page of each of the five styles.
//!
//! Properties, checked against serde_json's own reading of the body (when it has one: a number
//! too large for f64 makes serde_json give up where `Page` keeps the text): a page is read when
//! the style's items key (docs/providers.md, "The paging styles side by side") holds an array or null, and refused
//! otherwise; it has as many items as that array, no more, each the JSON the array holds; the
//! total is the envelope's number (or numeric string).

#![no_main]

use libfuzzer_sys::fuzz_target;
use oauthctl::paging::{Page, PageStyle};
use serde_json::{Map, Value};

fuzz_target!(|data: &[u8]| {
    let json: Option<Map<String, Value>> = serde_json::from_slice(data).ok();
    for style in PageStyle::ALL {
        let page = Page::parse(style, data);
        if let Ok(page) = &page {
            assert!(!page.noun().is_empty());
            for item in &page.items {
                // Each item is written as sent, inside `[...]` or on a line of its own: it must
                // be one JSON value.
                serde_json::from_str::<&serde_json::value::RawValue>(item.get()).unwrap();
            }
        }
        let Some(obj) = &json else {
            continue;
        };
        let (items_keys, total_key) = spec(style);
        let found = items_keys.iter().find_map(|k| obj.get(*k));
        match (page, found) {
            (Ok(page), Some(Value::Array(array))) => {
                assert_eq!(page.items.len(), array.len());
                for (item, value) in page.items.iter().zip(array) {
                    assert_eq!(&serde_json::from_str::<Value>(item.get()).unwrap(), value);
                }
                let total = total_key.and_then(|k| match obj.get(k)? {
                    Value::Number(n) => n.as_u64(),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                });
                assert_eq!(page.total(), total);
            }
            (Ok(page), Some(Value::Null)) => assert!(page.items.is_empty()),
            (Ok(_), other) => panic!("{style}: a page from {other:?}"),
            (Err(err), Some(Value::Array(_) | Value::Null)) => panic!("{style}: {err}"),
            (Err(_), _) => {}
        }
    }
});

/// Where each style's envelope keeps its items (the first found) and its total: providers.md.
fn spec(style: PageStyle) -> (&'static [&'static str], Option<&'static str>) {
    match style {
        PageStyle::OffsetLimit => (&["data"], Some("total")),
        PageStyle::OffsetPagelength => (&["devices", "items"], Some("total")),
        PageStyle::Scim => (&["Resources"], Some("totalResults")),
        PageStyle::PageNumber => (&["events"], Some("total")),
        PageStyle::NextPath => (&["resources"], None),
    }
}
