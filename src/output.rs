//! Response bodies for people: JSON indented, and coloured on a terminal unless `NO_COLOR` is set
//! (https://no-color.org). Scripts never see this; `call` writes bodies unchanged when stdout is
//! not a terminal.
//!
//! The printer works on the JSON text rather than on a `serde_json::Value`, so that keys keep the
//! server's order (SCIM puts `schemas` first, SCM `data` before `total`) and numbers keep their
//! digits; serde_json only checks that the text is JSON. The same goes for [`ItemWriter`], which
//! writes the items of `call --paginate` as a JSON array or one per line (NDJSON), as they come.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Write};

const KEY: &str = "\x1b[1;34m";
const STRING: &str = "\x1b[32m";
const NUMBER: &str = "\x1b[36m";
const LITERAL: &str = "\x1b[35m";
const RESET: &str = "\x1b[0m";

/// True for `application/json` and the `+json` types (`application/scim+json`,
/// `application/problem+json`), whatever their parameters.
pub fn is_json_media_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Colour is for a terminal, and only when `NO_COLOR` is unset or empty.
pub fn colour_on_stdout() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// `body` indented by two spaces per level, with a final newline; `None` when it is not JSON.
pub fn pretty_json(body: &[u8], colour: bool) -> Option<String> {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).ok()?;
    // serde_json accepted it, so it is UTF-8 and well formed: the lexer below can be simple.
    let text = std::str::from_utf8(body).ok()?;
    let mut out = Printer {
        out: String::with_capacity(text.len() * 2),
        colour,
        depth: 0,
    };
    // One flag per open container: true for an object, whose next string is a key.
    let mut open: Vec<bool> = Vec::new();
    let mut expect_key = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match c {
            c if c.is_whitespace() => rest = &rest[c.len_utf8()..],
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                let after = rest[1..].trim_start();
                if after.starts_with(close) {
                    out.plain(if c == '{' { "{}" } else { "[]" });
                    rest = &after[1..];
                } else {
                    out.plain(&rest[..1]);
                    open.push(c == '{');
                    expect_key = c == '{';
                    out.depth += 1;
                    out.newline();
                    rest = &rest[1..];
                }
            }
            '}' | ']' => {
                open.pop();
                out.depth = out.depth.saturating_sub(1);
                out.newline();
                out.plain(&rest[..1]);
                rest = &rest[1..];
            }
            ',' => {
                out.plain(",");
                out.newline();
                expect_key = open.last() == Some(&true);
                rest = &rest[1..];
            }
            ':' => {
                out.plain(": ");
                rest = &rest[1..];
            }
            '"' => {
                let end = string_end(rest);
                out.painted(if expect_key { KEY } else { STRING }, &rest[..end]);
                expect_key = false;
                rest = &rest[end..];
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | ']' | '}'))
                    .unwrap_or(rest.len());
                let word = &rest[..end];
                let paint =
                    if word.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) {
                        NUMBER
                    } else {
                        LITERAL
                    };
                out.painted(paint, word);
                rest = &rest[end..];
            }
        }
    }
    out.out.push('\n');
    Some(out.out)
}

/// `json` without whitespace outside its strings, so that an item fits on one line; the text is
/// not otherwise changed. Borrowed when there was nothing to take out.
///
/// It walks bytes, not chars: JSON's whitespace, quotes and backslash are ASCII, and no byte of a
/// multi-byte UTF-8 character is ASCII, so taking out ASCII whitespace keeps the text UTF-8.
/// `call --paginate` runs this over every item it writes (BENCHMARKS.md, row 5).
pub fn compact_json(json: &str) -> Cow<'_, str> {
    let bytes = json.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    // Once there is whitespace to take out: the copy so far, and where the uncopied text starts.
    let mut out: Option<Vec<u8>> = None;
    let mut from = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 2,
                        b'"' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b if is_space(b) => {
                out.get_or_insert_with(|| Vec::with_capacity(bytes.len()))
                    .extend_from_slice(&bytes[from..i]);
                while i < bytes.len() && is_space(bytes[i]) {
                    i += 1;
                }
                from = i;
            }
            _ => i += 1,
        }
    }
    match out {
        None => Cow::Borrowed(json),
        Some(mut out) => {
            out.extend_from_slice(&bytes[from..]);
            Cow::Owned(String::from_utf8(out).expect("only ASCII whitespace was taken out"))
        }
    }
}

/// How `call --paginate` lays out its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemLayout {
    /// One JSON array, an item per line.
    Array,
    /// NDJSON: one compact item per line, nothing else.
    Lines,
}

/// Writes items one at a time, so that none is held after it is written.
pub struct ItemWriter<W: Write> {
    out: W,
    layout: ItemLayout,
    /// Indent each item (`Some`, with colour when true); else compact.
    pretty: Option<bool>,
    written: u64,
}

impl<W: Write> ItemWriter<W> {
    /// Opens the array at once, so that even a walk that fails on its first page leaves JSON.
    pub fn new(mut out: W, layout: ItemLayout, pretty: Option<bool>) -> io::Result<Self> {
        if layout == ItemLayout::Array {
            out.write_all(b"[")?;
        }
        Ok(ItemWriter {
            out,
            layout,
            pretty: pretty.filter(|_| layout == ItemLayout::Array),
            written: 0,
        })
    }

    /// `item` is one JSON value as the server sent it.
    pub fn write(&mut self, item: &str) -> io::Result<()> {
        let pretty = self
            .pretty
            .and_then(|colour| pretty_json(item.as_bytes(), colour));
        match self.layout {
            ItemLayout::Lines => {
                self.out.write_all(compact_json(item).as_bytes())?;
                self.out.write_all(b"\n")?;
            }
            ItemLayout::Array => {
                self.out
                    .write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
                match pretty {
                    Some(text) => {
                        for (i, line) in text.trim_end().lines().enumerate() {
                            if i > 0 {
                                self.out.write_all(b"\n")?;
                            }
                            self.out.write_all(b"  ")?;
                            self.out.write_all(line.as_bytes())?;
                        }
                    }
                    None => {
                        self.out.write_all(b"  ")?;
                        self.out.write_all(compact_json(item).as_bytes())?;
                    }
                }
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Hands what is written so far to the reader: a page's items, as soon as they are in.
    pub fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    /// Closes the array.
    pub fn finish(mut self) -> io::Result<()> {
        if self.layout == ItemLayout::Array {
            self.out
                .write_all(if self.written == 0 { b"]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()
    }
}

/// The length of the string literal at the start of `text`, both quotes included.
fn string_end(text: &str) -> usize {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return i + 1,
            _ => {}
        }
    }
    text.len()
}

struct Printer {
    out: String,
    colour: bool,
    depth: usize,
}

impl Printer {
    fn plain(&mut self, text: &str) {
        self.out.push_str(text);
    }

    fn painted(&mut self, colour: &str, text: &str) {
        if self.colour {
            self.out.push_str(colour);
            self.out.push_str(text);
            self.out.push_str(RESET);
        } else {
            self.out.push_str(text);
        }
    }

    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_keeping_key_order_and_number_digits() {
        let body = br#"{"total":2,"devices":[{"deviceid":"34:02:86:44:65:36","risk_score":0,"ratio":1.50,"tags":[],"meta":{},"ok":true,"note":null,"q":"a \"b\" , {c}"}],"offset":0}"#;
        let want = r#"{
  "total": 2,
  "devices": [
    {
      "deviceid": "34:02:86:44:65:36",
      "risk_score": 0,
      "ratio": 1.50,
      "tags": [],
      "meta": {},
      "ok": true,
      "note": null,
      "q": "a \"b\" , {c}"
    }
  ],
  "offset": 0
}
"#;
        assert_eq!(pretty_json(body, false).as_deref(), Some(want));
    }

    #[test]
    fn colours_keys_strings_numbers_and_literals() {
        let got = pretty_json(br#"{"a":["x",-1e3,false]}"#, true).unwrap();
        assert_eq!(
            got,
            "{\n  \x1b[1;34m\"a\"\x1b[0m: [\n    \x1b[32m\"x\"\x1b[0m,\n    \x1b[36m-1e3\x1b[0m,\n    \x1b[35mfalse\x1b[0m\n  ]\n}\n"
        );
    }

    #[test]
    fn scalars_and_non_json() {
        assert_eq!(pretty_json(b" 42 ", false).as_deref(), Some("42\n"));
        assert_eq!(
            pretty_json(b"\"\\u00e9\"", false).as_deref(),
            Some("\"\\u00e9\"\n")
        );
        assert_eq!(pretty_json(b"<html>", false), None);
        assert_eq!(pretty_json(b"{\"a\":1} trailing", false), None);
        assert_eq!(pretty_json(b"", false), None);
    }

    #[test]
    fn compact_json_takes_out_whitespace_between_tokens_only() {
        assert!(matches!(
            compact_json(r#"{"a":"x y","b":[1,2]}"#),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            compact_json("{\n  \"a b\" : \"c\\\" d\",\r\n  \"n\": 1.50, \"é\": [ ]\n}"),
            "{\"a b\":\"c\\\" d\",\"n\":1.50,\"é\":[]}"
        );
        // An escaped backslash ends before the quote; whitespace at either end goes too.
        assert_eq!(
            compact_json(" [\"a\\\\\", \"\\\\ b\" ,\t\"ü ü\"] \n"),
            "[\"a\\\\\",\"\\\\ b\",\"ü ü\"]"
        );
    }

    #[test]
    fn items_as_an_array_or_one_per_line() {
        let write = |layout, pretty, items: &[&str]| {
            let mut out = Vec::new();
            let mut w = ItemWriter::new(&mut out, layout, pretty).unwrap();
            for item in items {
                w.write(item).unwrap();
            }
            w.finish().unwrap();
            String::from_utf8(out).unwrap()
        };
        let items = [r#"{"id": 1}"#, r#"{"id":2,"tags":["a b"]}"#];
        assert_eq!(
            write(ItemLayout::Array, None, &items),
            "[\n  {\"id\":1},\n  {\"id\":2,\"tags\":[\"a b\"]}\n]\n"
        );
        assert_eq!(write(ItemLayout::Array, None, &[]), "[]\n");
        assert_eq!(
            write(ItemLayout::Lines, Some(false), &items),
            "{\"id\":1}\n{\"id\":2,\"tags\":[\"a b\"]}\n"
        );
        assert_eq!(write(ItemLayout::Lines, None, &[]), "");
        assert_eq!(
            write(ItemLayout::Array, Some(false), &items[..1]),
            "[\n  {\n    \"id\": 1\n  }\n]\n"
        );
    }

    #[test]
    fn json_media_types() {
        assert!(is_json_media_type("application/json"));
        assert!(is_json_media_type("application/json; charset=utf-8"));
        assert!(is_json_media_type("application/scim+json"));
        assert!(is_json_media_type("Application/Problem+JSON"));
        assert!(!is_json_media_type("text/html"));
        assert!(!is_json_media_type("application/jsonl"));
    }
}
