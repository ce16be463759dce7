//! The `-q NAME=VALUE` and `-H 'Name: value'` items of `call`, with curl's meanings.

use anyhow::Result;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Failure;

/// A `-q NAME=VALUE` item, split at the first `=`.
pub fn parse_query_item(item: &str) -> Result<(String, String)> {
    match item.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_string(), value.to_string())),
        _ => Err(Failure::Usage(format!("-q `{item}`: expected NAME=VALUE")).into()),
    }
}

/// A `-H` item, with curl's meanings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderItem {
    /// `Name: value`
    Set(HeaderName, HeaderValue),
    /// `Name:` with nothing after it: do not send that header (the profile's, or a default).
    Remove(HeaderName),
}

pub fn parse_header_item(item: &str) -> Result<HeaderItem> {
    let usage =
        |why: &str| -> anyhow::Error { Failure::Usage(format!("-H `{item}`: {why}")).into() };
    // curl: `Name;` sends the header with an empty value, which `Name:` cannot say.
    if let Some(name) = item.strip_suffix(';')
        && !name.contains(':')
    {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| usage("not a valid header name"))?;
        return Ok(HeaderItem::Set(name, HeaderValue::from_static("")));
    }
    let Some((name, value)) = item.split_once(':') else {
        return Err(usage("expected 'Name: value'"));
    };
    let name = HeaderName::from_bytes(name.trim().as_bytes())
        .map_err(|_| usage("not a valid header name"))?;
    let value = value.trim();
    if value.is_empty() {
        return Ok(HeaderItem::Remove(name));
    }
    let value = HeaderValue::from_str(value).map_err(|_| usage("not a valid header value"))?;
    Ok(HeaderItem::Set(name, value))
}

/// Applies `-H` items over `headers` as curl does: the first item with a name replaces what the
/// profile or a default put there, later items with that name add to it.
pub fn apply_header_items(headers: &mut HeaderMap, items: Vec<HeaderItem>) {
    let mut seen: Vec<HeaderName> = Vec::new();
    for item in items {
        match item {
            HeaderItem::Set(name, value) => {
                if seen.contains(&name) {
                    headers.append(name, value);
                } else {
                    headers.insert(name.clone(), value);
                    seen.push(name);
                }
            }
            HeaderItem::Remove(name) => {
                headers.remove(&name);
                seen.push(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::target::append_query;
    use url::Url;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn query_items_are_percent_encoded_after_the_existing_query() {
        let mut u = url("https://api.example.com/x?folder=Shared");
        let items: Vec<(String, String)> = [
            "position=pre",
            "filter=userName sw ki",
            "tsg=tsg_id:1",
            "a+b=c&d=e",
            "empty=",
        ]
        .iter()
        .map(|i| parse_query_item(i).unwrap())
        .collect();
        append_query(&mut u, &items);
        assert_eq!(
            u.query(),
            Some(
                "folder=Shared&position=pre&filter=userName%20sw%20ki&tsg=tsg_id%3A1&a%2Bb=c%26d%3De&empty="
            )
        );
        assert!(parse_query_item("novalue").is_err());
        assert!(parse_query_item("=v").is_err());
    }

    #[test]
    fn header_items_follow_curl() {
        let set = |n: &'static str, v: &'static str| {
            HeaderItem::Set(HeaderName::from_static(n), HeaderValue::from_static(v))
        };
        assert_eq!(
            parse_header_item("Accept:  application/scim+json ").unwrap(),
            set("accept", "application/scim+json")
        );
        assert_eq!(parse_header_item("X-Empty;").unwrap(), set("x-empty", ""));
        assert_eq!(
            parse_header_item("Accept:").unwrap(),
            HeaderItem::Remove(HeaderName::from_static("accept"))
        );
        assert!(parse_header_item("no colon").is_err());
        assert!(parse_header_item("Bad Name: x").is_err());

        let mut headers = HeaderMap::new();
        headers.insert("x-profile", HeaderValue::from_static("p"));
        headers.insert("accept", HeaderValue::from_static("application/json"));
        apply_header_items(
            &mut headers,
            vec![
                set("x-profile", "one"),
                set("x-profile", "two"),
                HeaderItem::Remove(HeaderName::from_static("accept")),
            ],
        );
        let values: Vec<_> = headers.get_all("x-profile").iter().collect();
        assert_eq!(values, ["one", "two"]);
        assert!(!headers.contains_key("accept"));
    }
}
