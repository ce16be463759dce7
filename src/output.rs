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

/// Nesting deeper than this is written compact, on the line where it starts. Indenting every
/// level made the output (and the memory that held it) grow with the square of the depth: 40 KB of
/// nested arrays came to 800 MB. With the limit, no token gets more than 64 spaces before it, so
/// the output grows with the input alone, and it is streamed, so memory holds the input only.
/// Thirty-two levels are deeper than any vendor response oauthctl knows, and already 64 columns.
const INDENT_LEVELS: usize = 32;

/// Writes `body` indented by two spaces per level, keys in the server's order and numbers as
/// sent, coloured when `colour` is set; no final newline. It is written as if nested `depth`
/// levels deep (its first line is not indented: it goes where the caller is). Returns false,
/// having written nothing, when `body` is not JSON.
pub fn write_pretty(
    out: &mut impl Write,
    body: &[u8],
    colour: bool,
    depth: usize,
) -> io::Result<bool> {
    // IgnoredAny checks the whole text without a recursion limit and without building anything.
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
        return Ok(false);
    }
    // serde_json accepted it, so it is UTF-8 and well formed: the lexer below can be simple.
    let Ok(text) = std::str::from_utf8(body) else {
        return Ok(false);
    };
    let mut out = Printer { out, colour, depth };
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
                    out.plain(if c == '{' { "{}" } else { "[]" })?;
                    rest = &after[1..];
                } else {
                    out.plain(&rest[..1])?;
                    open.push(c == '{');
                    expect_key = c == '{';
                    out.depth += 1;
                    out.newline()?;
                    rest = &rest[1..];
                }
            }
            '}' | ']' => {
                open.pop();
                let inside = out.indented();
                out.depth = out.depth.saturating_sub(1);
                if inside {
                    out.newline()?;
                }
                out.plain(&rest[..1])?;
                rest = &rest[1..];
            }
            ',' => {
                out.plain(",")?;
                out.newline()?;
                expect_key = open.last() == Some(&true);
                rest = &rest[1..];
            }
            ':' => {
                out.plain(if out.indented() { ": " } else { ":" })?;
                rest = &rest[1..];
            }
            '"' => {
                let end = string_end(rest);
                out.painted(if expect_key { KEY } else { STRING }, &rest[..end])?;
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
                out.painted(paint, word)?;
                rest = &rest[end..];
            }
        }
    }
    Ok(true)
}

/// `json` without whitespace outside its strings, so that an item fits on one line; the text is
/// not otherwise changed. Borrowed when there was nothing to take out.
///
/// It walks bytes, not chars: JSON's whitespace, quotes and backslash are ASCII, and no byte of a
/// multi-byte UTF-8 character is ASCII, so taking out ASCII whitespace keeps the text UTF-8.
/// `call --paginate` runs this over every item it writes (BENCHMARKS.md, its `--paginate` row).
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

/// How each item of a JSON array is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemIndent {
    /// On one line, without whitespace.
    Compact,
    /// Indented as [`write_pretty`] indents a body, coloured when `colour` is set.
    Pretty { colour: bool },
}

/// Writes items one at a time, so that none is held after it is written.
pub struct ItemWriter<W: Write> {
    out: W,
    layout: ItemLayout,
    /// How an item of the array is written (NDJSON's lines are always compact).
    indent: ItemIndent,
    written: u64,
}

impl<W: Write> ItemWriter<W> {
    /// Opens the array at once, so that even a walk that fails on its first page leaves JSON.
    pub fn new(mut out: W, layout: ItemLayout, indent: ItemIndent) -> io::Result<Self> {
        if layout == ItemLayout::Array {
            out.write_all(b"[")?;
        }
        Ok(ItemWriter {
            out,
            layout,
            indent: match layout {
                ItemLayout::Array => indent,
                ItemLayout::Lines => ItemIndent::Compact,
            },
            written: 0,
        })
    }

    /// `item` is one JSON value as the server sent it.
    pub fn write(&mut self, item: &str) -> io::Result<()> {
        match self.layout {
            ItemLayout::Lines => {
                self.out.write_all(compact_json(item).as_bytes())?;
                self.out.write_all(b"\n")?;
            }
            ItemLayout::Array => {
                self.out
                    .write_all(if self.written == 0 { b"\n  " } else { b",\n  " })?;
                // Indented one level in: the array is the level above.
                let indented = match self.indent {
                    ItemIndent::Pretty { colour } => {
                        write_pretty(&mut self.out, item.as_bytes(), colour, 1)?
                    }
                    ItemIndent::Compact => false,
                };
                if !indented {
                    self.out.write_all(compact_json(item).as_bytes())?;
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

struct Printer<'a, W: Write> {
    out: &'a mut W,
    colour: bool,
    /// How many containers are open around what comes next.
    depth: usize,
}

impl<W: Write> Printer<'_, W> {
    fn plain(&mut self, text: &str) -> io::Result<()> {
        self.out.write_all(text.as_bytes())
    }

    fn painted(&mut self, colour: &str, text: &str) -> io::Result<()> {
        if self.colour {
            self.out.write_all(colour.as_bytes())?;
            self.out.write_all(text.as_bytes())?;
            self.out.write_all(RESET.as_bytes())
        } else {
            self.out.write_all(text.as_bytes())
        }
    }

    /// Whether the current level is laid out on lines of its own, or compact.
    fn indented(&self) -> bool {
        self.depth <= INDENT_LEVELS
    }

    /// A new line at the current level's indentation; nothing past [`INDENT_LEVELS`].
    fn newline(&mut self) -> io::Result<()> {
        if !self.indented() {
            return Ok(());
        }
        const SPACES: &[u8; 2 * INDENT_LEVELS] = &[b' '; 2 * INDENT_LEVELS];
        self.out.write_all(b"\n")?;
        self.out.write_all(&SPACES[..2 * self.depth])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `body` indented, with a final newline; `None` when it is not JSON.
    fn pretty_json(body: &[u8], colour: bool) -> Option<String> {
        let mut out = Vec::new();
        match write_pretty(&mut out, body, colour, 0) {
            Ok(true) => {
                out.push(b'\n');
                Some(String::from_utf8(out).unwrap())
            }
            _ => None,
        }
    }

    /// The text without whitespace: JSON equal to `text`, for bodies without spaces in strings.
    fn squeezed(text: &str) -> String {
        text.split_whitespace().collect()
    }

    #[test]
    fn nesting_past_32_levels_is_written_compact_where_it_starts() {
        let depth = 40;
        let body = format!(
            "{}{{\"k\": [1, 2]}}{}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        let got = pretty_json(body.as_bytes(), false).unwrap();
        assert_eq!(squeezed(&got), squeezed(&body));
        let lines: Vec<&str> = got.lines().collect();
        // 32 opening lines, each one level deeper, then the rest on the 33rd line.
        for (level, line) in lines.iter().take(32).enumerate() {
            assert_eq!(*line, format!("{}[", "  ".repeat(level)));
        }
        assert_eq!(
            lines[32],
            format!(
                "{}{}{{\"k\":[1,2]}}{}",
                "  ".repeat(32),
                "[".repeat(depth - 32),
                "]".repeat(depth - 32)
            )
        );
        assert_eq!(lines[33], format!("{}]", "  ".repeat(31)));
        assert_eq!(lines.len(), 32 + 1 + 32);
    }

    #[test]
    fn deep_nesting_costs_output_in_proportion_to_the_input() {
        // 40 KB of nested arrays once came out as 800 MB.
        let body = format!("{}{}", "[".repeat(20_000), "]".repeat(20_000));
        let got = pretty_json(body.as_bytes(), false).unwrap();
        assert!(got.len() < 3 * body.len(), "{} bytes", got.len());
        assert_eq!(squeezed(&got), body);
    }

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
        let write = |layout, indent, items: &[&str]| {
            let mut out = Vec::new();
            let mut w = ItemWriter::new(&mut out, layout, indent).unwrap();
            for item in items {
                w.write(item).unwrap();
            }
            w.finish().unwrap();
            String::from_utf8(out).unwrap()
        };
        let items = [r#"{"id": 1}"#, r#"{"id":2,"tags":["a b"]}"#];
        assert_eq!(
            write(ItemLayout::Array, ItemIndent::Compact, &items),
            "[\n  {\"id\":1},\n  {\"id\":2,\"tags\":[\"a b\"]}\n]\n"
        );
        assert_eq!(write(ItemLayout::Array, ItemIndent::Compact, &[]), "[]\n");
        assert_eq!(
            write(
                ItemLayout::Lines,
                ItemIndent::Pretty { colour: false },
                &items
            ),
            "{\"id\":1}\n{\"id\":2,\"tags\":[\"a b\"]}\n"
        );
        assert_eq!(write(ItemLayout::Lines, ItemIndent::Compact, &[]), "");
        assert_eq!(
            write(
                ItemLayout::Array,
                ItemIndent::Pretty { colour: false },
                &items[..1]
            ),
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
