//! What `batch` writes for each request: one JSON line on stdout,
//! `{"index":0,"line":1,"status":201,"body":{...}}`, with `"error"` when no answer came (or its
//! body could not be kept); and the exit code each request stands for.

use std::io::{self, Write};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::error::code;
use crate::output::{compact_json, is_json_media_type};

/// The most of one answer's body that `batch` holds, decoded: up to `2 × -P` answers are held at
/// once (in flight, and written in the input's order), so the bound is a quarter of `call`'s.
pub const BODY_LIMIT: usize = 16 << 20;

/// What came back for one request line.
#[derive(Debug)]
pub struct Answer {
    /// The request's index (see `input::RequestLine::index`).
    pub index: u64,
    /// Its line number in the input.
    pub line: u64,
    pub outcome: Outcome,
    pub body: Body,
    /// For the `error` field: why there is no answer, or no body; one line.
    pub error: Option<String>,
    /// For stderr: the same with its hints, or the line of a 4xx or 5xx answer; `None` when
    /// there is nothing to say (or `-s` keeps it quiet).
    pub message: Option<String>,
}

/// How a request ended, for the exit code and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// An answer, with its body (or, when `whole` is false, without it: over [`BODY_LIMIT`]).
    Answered { status: u16, whole: bool },
    /// The line holds no request that may be sent: it is not one, or its URL is refused.
    BadLine,
    /// No token could be had for it.
    NoToken,
    /// Sent, but no answer came (the connection, TLS, the time limit).
    NoAnswer,
}

impl Outcome {
    /// The exit code this request stands for: as `call` would exit for it, but that a line
    /// refused before sending is 1, like any bad line.
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Answered { status, .. } if status >= 500 => code::HTTP_SERVER_ERROR,
            Outcome::Answered { status, .. } if status >= 400 => code::HTTP_CLIENT_ERROR,
            Outcome::Answered { whole: true, .. } => code::OK,
            Outcome::Answered { whole: false, .. } => code::FAILURE,
            Outcome::NoToken => code::TOKEN_REFUSED,
            Outcome::BadLine | Outcome::NoAnswer => code::FAILURE,
        }
    }
}

/// An answer's body as its line holds it.
#[derive(Debug, PartialEq, Eq)]
pub enum Body {
    /// No body, or none kept: `null`.
    None,
    /// JSON (the answer said so, and it is), compact, with the server's key order and digits.
    Json(String),
    /// Any other text: a JSON string.
    Text(String),
    /// Bytes that are not UTF-8: `null`, and the bytes in `body_base64`.
    Bytes(Vec<u8>),
}

impl Body {
    /// The body of an answer whose Content-Type is `content_type`.
    pub fn of(bytes: Vec<u8>, content_type: Option<&str>) -> Body {
        if bytes.is_empty() {
            return Body::None;
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => return Body::Bytes(err.into_bytes()),
        };
        if content_type.is_some_and(is_json_media_type)
            && serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok()
        {
            return Body::Json(compact_json(&text).into_owned());
        }
        Body::Text(text)
    }
}

/// Writes `answer` as one line of JSON.
pub fn write_line(out: &mut impl Write, answer: &Answer) -> io::Result<()> {
    write!(out, "{{\"index\":{},\"line\":{}", answer.index, answer.line)?;
    match answer.outcome {
        Outcome::Answered { status, .. } => write!(out, ",\"status\":{status}")?,
        _ => out.write_all(b",\"status\":null")?,
    }
    out.write_all(b",\"body\":")?;
    match &answer.body {
        Body::None | Body::Bytes(_) => out.write_all(b"null")?,
        Body::Json(json) => out.write_all(json.as_bytes())?,
        Body::Text(text) => serde_json::to_writer(&mut *out, text)?,
    }
    if let Body::Bytes(bytes) = &answer.body {
        write!(out, ",\"body_base64\":\"{}\"", STANDARD.encode(bytes))?;
    }
    if let Some(error) = &answer.error {
        out.write_all(b",\"error\":")?;
        serde_json::to_writer(&mut *out, error)?;
    }
    out.write_all(b"}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(outcome: Outcome, body: Body, error: Option<&str>) -> String {
        let answer = Answer {
            index: 3,
            line: 5,
            outcome,
            body,
            error: error.map(String::from),
            message: None,
        };
        let mut out = Vec::new();
        write_line(&mut out, &answer).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn bodies_are_json_text_or_base64_on_one_line() {
        let json = "application/json; charset=utf-8";
        let created = Outcome::Answered {
            status: 201,
            whole: true,
        };
        let pretty = b"{\n  \"name\": \"h1\",\n  \"n\": 1.50\n}\n".to_vec();
        assert_eq!(
            line(created, Body::of(pretty, Some(json)), None),
            "{\"index\":3,\"line\":5,\"status\":201,\"body\":{\"name\":\"h1\",\"n\":1.50}}\n"
        );
        // Not JSON although it says so, and JSON that does not say so: strings.
        for (bytes, kind) in [
            (&b"{oops"[..], Some(json)),
            (b"{}", Some("text/plain")),
            (b"{}", None),
        ] {
            let text = String::from_utf8(bytes.to_vec()).unwrap();
            assert_eq!(Body::of(bytes.to_vec(), kind), Body::Text(text));
        }
        assert_eq!(
            line(created, Body::of(b"line\n\"two\"".to_vec(), None), None),
            "{\"index\":3,\"line\":5,\"status\":201,\"body\":\"line\\n\\\"two\\\"\"}\n"
        );
        assert_eq!(
            line(created, Body::of(vec![0xff, 0], None), None),
            "{\"index\":3,\"line\":5,\"status\":201,\"body\":null,\"body_base64\":\"/wA=\"}\n"
        );
        assert_eq!(Body::of(Vec::new(), Some(json)), Body::None);
        assert_eq!(
            line(
                Outcome::NoAnswer,
                Body::None,
                Some("GET x failed: \"timed out\"")
            ),
            "{\"index\":3,\"line\":5,\"status\":null,\"body\":null,\"error\":\"GET x failed: \\\"timed out\\\"\"}\n"
        );
    }

    #[test]
    fn exit_codes_per_request() {
        let answered = |status, whole| Outcome::Answered { status, whole };
        assert_eq!(answered(204, true).exit_code(), 0);
        assert_eq!(answered(302, true).exit_code(), 0);
        assert_eq!(answered(200, false).exit_code(), 1);
        assert_eq!(answered(404, true).exit_code(), 4);
        assert_eq!(answered(503, false).exit_code(), 5);
        assert_eq!(Outcome::BadLine.exit_code(), 1);
        assert_eq!(Outcome::NoAnswer.exit_code(), 1);
        assert_eq!(Outcome::NoToken.exit_code(), 3);
    }
}
