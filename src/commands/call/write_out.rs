//! `call -w FORMAT`: a line about the transfer after it, as curl's `--write-out` writes one, with
//! curl's most used variables (https://curl.se/docs/manpage.html#-w).
//!
//! It goes to stderr, not to stdout as curl's does: stdout carries the body and nothing else, so
//! that `oauthctl call ... -w '%{http_code}\n' | jq` still reads JSON alone.

use std::time::Duration;

use url::Url;

use crate::error::Failure;

/// A `-w` format, checked before anything is sent.
#[derive(Debug, Clone)]
pub struct WriteOut(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Var(Var),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Var {
    HttpCode,
    TimeTotal,
    UrlEffective,
    ContentType,
    SizeDownload,
    Method,
}

const VARS: &[(&str, Var)] = &[
    ("http_code", Var::HttpCode),
    ("response_code", Var::HttpCode),
    ("time_total", Var::TimeTotal),
    ("url_effective", Var::UrlEffective),
    ("content_type", Var::ContentType),
    ("size_download", Var::SizeDownload),
    ("method", Var::Method),
];

/// What the variables stand for, once the transfer is over.
pub struct Transfer<'a> {
    /// The final status; `None` when no answer came (curl's `000`).
    pub status: Option<u16>,
    /// From the first request sent to the end of the body, retries and redirects included.
    pub elapsed: Duration,
    /// The URL that answered (the last one of the redirects followed).
    pub url: &'a Url,
    pub content_type: Option<&'a str>,
    /// Bytes of body read (after decompression).
    pub size: u64,
    pub method: &'a str,
}

impl WriteOut {
    /// `%{name}` for a variable, `%%` for `%`, and `\n`, `\r`, `\t`, `\\` as curl reads them.
    pub fn parse(format: &str) -> Result<WriteOut, Failure> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = format.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek()) {
                ('%', Some('%')) => {
                    chars.next();
                    text.push('%');
                }
                ('%', Some('{')) => {
                    chars.next();
                    let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
                    let Some(&(_, var)) = VARS.iter().find(|(known, _)| *known == name) else {
                        let known: Vec<_> = VARS.iter().map(|(name, _)| *name).collect();
                        return Err(Failure::Usage(format!(
                            "-w: no variable %{{{name}}}; oauthctl knows {}",
                            known.join(", ")
                        )));
                    };
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(Piece::Var(var));
                }
                ('\\', Some(&next @ ('n' | 'r' | 't' | '\\'))) => {
                    chars.next();
                    text.push(match next {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        _ => '\\',
                    });
                }
                _ => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(WriteOut(pieces))
    }

    /// The format with the transfer's values in it.
    pub fn render(&self, transfer: &Transfer) -> String {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Var(Var::HttpCode) => match transfer.status {
                    Some(status) => out.push_str(&format!("{status:03}")),
                    None => out.push_str("000"),
                },
                Piece::Var(Var::TimeTotal) => {
                    out.push_str(&format!("{:.6}", transfer.elapsed.as_secs_f64()))
                }
                Piece::Var(Var::UrlEffective) => out.push_str(&shown_url(transfer.url)),
                // The server's text, for a terminal: no control characters.
                Piece::Var(Var::ContentType) => out.extend(
                    transfer
                        .content_type
                        .unwrap_or("")
                        .chars()
                        .filter(|c| !c.is_control()),
                ),
                Piece::Var(Var::SizeDownload) => out.push_str(&transfer.size.to_string()),
                Piece::Var(Var::Method) => out.push_str(transfer.method),
            }
        }
        out
    }
}

/// The URL without a user or password in it. The token never is in a URL (it travels in the
/// Authorization header), but a URL the user typed may carry credentials of its own.
fn shown_url(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_escapes_and_percent_are_read_as_curl_reads_them() {
        let url = Url::parse("https://user:pw@api.example.com/a?b=c").unwrap();
        let transfer = Transfer {
            status: Some(201),
            elapsed: Duration::from_millis(1500),
            url: &url,
            content_type: Some("application/json\x1b[31m"),
            size: 42,
            method: "POST",
        };
        let format = WriteOut::parse(
            "%{http_code} %{response_code} %{time_total} %{url_effective}\\t%{content_type} %{size_download} %{method} 100%% \\\\n %\\n",
        )
        .unwrap();
        assert_eq!(
            format.render(&transfer),
            "201 201 1.500000 https://api.example.com/a?b=c\tapplication/json[31m 42 POST 100% \\n %\n"
        );
        let none = Transfer {
            status: None,
            ..transfer
        };
        assert_eq!(
            WriteOut::parse("%{http_code}").unwrap().render(&none),
            "000"
        );
    }

    #[test]
    fn an_unknown_variable_is_a_usage_error_naming_the_known_ones() {
        let err = WriteOut::parse("%{http_cod}").unwrap_err();
        assert!(err.to_string().contains("%{http_cod}"), "{err}");
        assert!(err.to_string().contains("time_total"), "{err}");
    }
}
