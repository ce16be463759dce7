//! `batch`'s input: one request per line, read as a stream (a line at a time, each line bounded),
//! so that a million lines take no more memory than ten.
//!
//! A line is `METHOD PATH_OR_URL`, or a JSON object with the parts of a request:
//! `{"method": "POST", "path": "/config/objects/v1/addresses", "query": {"folder": "Shared"},
//! "headers": {"X-Request-Id": "a1"}, "json": {"name": "h1"}}`. Blank lines and lines starting
//! with `#` hold no request and are passed over.

use std::io::{self, BufRead};

use reqwest::header::{HeaderName, HeaderValue};
use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::commands::call::Data;
use crate::http::items::HeaderItem;

/// The longest line read: a request with a body that size can still be sent again after a 401
/// or a 503, as `call` keeps a body from stdin up to the same size.
pub const MAX_LINE: usize = 16 << 20;

/// A line that holds a request (not blank, not a comment), as read.
#[derive(Debug)]
pub struct RequestLine {
    /// Counts the lines that hold a request, from 0, bad ones included: the `index` of its answer.
    pub index: u64,
    /// The line's number in the input, from 1, for messages.
    pub number: u64,
    /// The line without its end, or why it cannot be a request.
    pub text: Result<String, String>,
}

/// The lines of the input that hold requests.
pub struct Lines<R> {
    reader: R,
    /// The number of the last line read.
    number: u64,
    /// The index the next request line gets.
    index: u64,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    pub fn new(reader: R) -> Self {
        Lines {
            reader,
            number: 0,
            index: 0,
            buf: Vec::new(),
        }
    }

    /// The next line that holds a request, or `None` at the end of the input.
    pub fn next_request(&mut self) -> io::Result<Option<RequestLine>> {
        loop {
            let Some(whole) = self.read_line()? else {
                return Ok(None);
            };
            self.number += 1;
            let text = if !whole {
                Err(format!(
                    "the line is longer than {} MiB, the most batch reads of one",
                    MAX_LINE >> 20
                ))
            } else {
                match std::str::from_utf8(&self.buf) {
                    Ok(text) => {
                        let text = text.trim();
                        if text.is_empty() || text.starts_with('#') {
                            continue;
                        }
                        Ok(text.to_string())
                    }
                    Err(_) => Err("the line is not UTF-8 text".to_string()),
                }
            };
            let index = self.index;
            self.index += 1;
            return Ok(Some(RequestLine {
                index,
                number: self.number,
                text,
            }));
        }
    }

    /// Reads a line into `buf`, without its `\n`: `Some(true)` when it is whole, `Some(false)`
    /// when it was longer than [`MAX_LINE`] (then read to its end, but not kept), `None` at the
    /// end of the input.
    fn read_line(&mut self) -> io::Result<Option<bool>> {
        self.buf.clear();
        let mut any = false;
        let mut too_long = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(bytes) => bytes,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            };
            if available.is_empty() {
                return Ok(any.then_some(!too_long));
            }
            any = true;
            let newline = available.iter().position(|&b| b == b'\n');
            let part = &available[..newline.unwrap_or(available.len())];
            if !too_long {
                if self.buf.len() + part.len() > MAX_LINE {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(part);
                }
            }
            let used = newline.map_or(available.len(), |i| i + 1);
            self.reader.consume(used);
            if newline.is_some() {
                return Ok(Some(!too_long));
            }
        }
    }
}

/// One request, as a line gives it: the parts `call` takes from its command line.
#[derive(Debug)]
pub struct Spec {
    pub method: String,
    pub target: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<HeaderItem>,
    /// `body` (sent as `-d` sends it) or `json` (as `--json`), as text: never `@FILE`, which a
    /// line generated from data must not be able to read.
    pub data: Option<Data>,
}

/// A line's JSON object. An unknown key is refused, so that a misspelt `heders` is not dropped
/// in silence.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonLine<'a> {
    method: Option<String>,
    path: Option<String>,
    url: Option<String>,
    query: Option<Entries>,
    headers: Option<Entries>,
    #[serde(borrow)]
    json: Option<&'a RawValue>,
    body: Option<String>,
}

/// A JSON object's entries in the order they were written (serde_json's `Map` sorts them):
/// query parameters go out in the line's order, and a header named twice is sent twice.
#[derive(Default)]
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

/// The request a line holds; `Err` says what is wrong with it.
pub fn parse(line: &str) -> Result<Spec, String> {
    if line.starts_with('{') {
        return parse_json(line);
    }
    let mut words = line.split_whitespace();
    match (words.next(), words.next(), words.next()) {
        (Some(method), Some(target), None) => Ok(Spec {
            method: method.to_string(),
            target: target.to_string(),
            query: Vec::new(),
            headers: Vec::new(),
            data: None,
        }),
        _ => Err(
            "expected `METHOD PATH_OR_URL` or a JSON object (a space in a path is %20)".to_string(),
        ),
    }
}

fn parse_json(line: &str) -> Result<Spec, String> {
    let object: JsonLine =
        serde_json::from_str(line).map_err(|err| format!("not a request object: {err}"))?;
    let target = match (object.path, object.url) {
        (Some(target), None) | (None, Some(target)) => target,
        (Some(_), Some(_)) => return Err("give `path` or `url`, not both".to_string()),
        (None, None) => return Err("no `path` (or `url`)".to_string()),
    };
    let mut query = Vec::new();
    for (name, value) in object.query.unwrap_or_default().0 {
        match value {
            Value::Array(values) => {
                for value in values {
                    query.push((name.clone(), query_value(&name, value)?));
                }
            }
            value => query.push((name.clone(), query_value(&name, value)?)),
        }
    }
    let mut headers = Vec::new();
    for (name, value) in object.headers.unwrap_or_default().0 {
        let header = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("header `{name}`: not a valid header name"))?;
        headers.push(match value {
            // curl's `-H 'Name:'`: the profile's header of that name is not sent.
            Value::Null => HeaderItem::Remove(header),
            Value::String(value) => HeaderItem::Set(
                header,
                HeaderValue::from_str(&value)
                    .map_err(|_| format!("header `{name}`: not a valid header value"))?,
            ),
            _ => {
                return Err(format!(
                    "header `{name}`: the value must be a string or null"
                ));
            }
        });
    }
    let data = match (object.json, object.body) {
        (Some(json), None) => Some(Data::Json(json.get().to_string())),
        (None, Some(body)) => Some(Data::Form(body)),
        (None, None) => None,
        (Some(_), Some(_)) => return Err("give `json` or `body`, not both".to_string()),
    };
    Ok(Spec {
        method: object.method.unwrap_or_else(|| "GET".to_string()),
        target,
        query,
        headers,
        data,
    })
}

/// A query value as it goes in the URL: a string as is, a number or a boolean as written.
fn query_value(name: &str, value: Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(format!(
            "query `{name}`: a value must be a string, a number, a boolean, or a list of those"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<RequestLine> {
        let mut lines = Lines::new(input);
        std::iter::from_fn(|| lines.next_request().unwrap()).collect()
    }

    #[test]
    fn blank_lines_and_comments_hold_no_request_and_take_no_index() {
        let got = lines(b"# a comment\nGET /a\n\n   \n\tPOST /b\r\n  # indented comment\nGET /c");
        let got: Vec<_> = got
            .iter()
            .map(|l| (l.index, l.number, l.text.clone().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (0, 2, "GET /a".to_string()),
                (1, 5, "POST /b".to_string()),
                (2, 7, "GET /c".to_string())
            ]
        );
    }

    #[test]
    fn a_line_too_long_or_not_text_is_a_bad_request_line_and_the_next_is_read() {
        let mut input = b"GET /a\n".to_vec();
        input.extend(std::iter::repeat_n(b'x', MAX_LINE + 1));
        input.extend_from_slice(b"\n\xff\xfe\nGET /b\n");
        let got = lines(&input);
        assert_eq!(got.len(), 4);
        assert!(
            got[1]
                .text
                .as_ref()
                .unwrap_err()
                .contains("longer than 16 MiB")
        );
        assert_eq!(got[2].number, 3);
        assert!(got[2].text.as_ref().unwrap_err().contains("not UTF-8"));
        assert_eq!((got[3].index, got[3].number), (3, 4));
        assert_eq!(got[3].text.as_deref(), Ok("GET /b"));
    }

    #[test]
    fn a_line_of_exactly_the_longest_length_is_kept() {
        let mut input = vec![b'x'; MAX_LINE];
        input.push(b'\n');
        let got = lines(&input);
        assert_eq!(got[0].text.as_ref().map(String::len), Ok(MAX_LINE));
    }

    #[test]
    fn plain_and_json_lines() {
        let spec = parse("get /config/v1/x?a=1").unwrap();
        assert_eq!(
            (spec.method.as_str(), spec.target.as_str()),
            ("get", "/config/v1/x?a=1")
        );
        assert!(
            parse("GET /a b")
                .unwrap_err()
                .contains("METHOD PATH_OR_URL")
        );
        assert!(parse("GET").is_err());

        let spec = parse(
            r#"{"method": "POST", "path": "/addresses", "query": {"folder": "Shared", "tag": ["a", "b"], "n": 5}, "headers": {"X-Id": "1", "Accept": null}, "json": {"name": "h1", "ip_netmask": "10.0.0.1/32"}}"#,
        )
        .unwrap();
        assert_eq!(spec.method, "POST");
        assert_eq!(spec.target, "/addresses");
        let query: Vec<_> = spec.query.iter().map(|(n, v)| format!("{n}={v}")).collect();
        assert_eq!(query, ["folder=Shared", "tag=a", "tag=b", "n=5"]);
        let booleans = parse(r#"{"path": "/a", "query": {"all": true, "x": [false]}}"#).unwrap();
        let query: Vec<_> = booleans
            .query
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        assert_eq!(query, ["all=true", "x=false"]);
        // What is no object where one belongs says so.
        let err = parse(r#"{"path": "/a", "query": 5}"#).unwrap_err();
        assert!(err.contains("expected an object"), "{err}");
        assert_eq!(
            spec.headers,
            [
                HeaderItem::Set(
                    HeaderName::from_static("x-id"),
                    HeaderValue::from_static("1")
                ),
                HeaderItem::Remove(HeaderName::from_static("accept")),
            ]
        );
        // The JSON as it was written on the line.
        assert!(
            matches!(&spec.data, Some(Data::Json(j)) if j == r#"{"name": "h1", "ip_netmask": "10.0.0.1/32"}"#)
        );
        let spec = parse(r#"{"url": "https://api.example.com/x", "body": "a=1&b=2"}"#).unwrap();
        assert_eq!(spec.method, "GET");
        assert!(matches!(&spec.data, Some(Data::Form(b)) if b == "a=1&b=2"));

        for (line, why) in [
            (r#"{"path": "/a", "heders": {}}"#, "unknown field `heders`"),
            (r#"{"method": "GET"}"#, "no `path`"),
            (r#"{"path": "/a", "url": "/b"}"#, "not both"),
            (r#"{"path": "/a", "json": {}, "body": ""}"#, "not both"),
            (
                r#"{"path": "/a", "headers": {"Bad Name": "x"}}"#,
                "not a valid header name",
            ),
            (
                r#"{"path": "/a", "headers": {"X": "a\nb"}}"#,
                "not a valid header value",
            ),
            (r#"{"path": "/a", "headers": {"X": 1}}"#, "a string or null"),
            (r#"{"path": "/a", "query": {"q": {}}}"#, "query `q`"),
            (r#"{"path": "/a""#, "not a request object"),
        ] {
            let err = parse(line).unwrap_err();
            assert!(err.contains(why), "{line}: {err}");
        }
    }
}
