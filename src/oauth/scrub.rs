//! Cutting the token request's credentials out of what the token endpoint sends back.
//!
//! A token endpoint (or a proxy in front of it) may repeat the request: a debugging dump, an error
//! description that quotes the form, an HTML page. Whatever of its response oauthctl prints, puts
//! in an error message or caches goes through a [`Scrubber`] first, which knows every spelling of
//! the client secret and the password the request carried them in or a server may repeat them in.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use url::form_urlencoded;

use super::client_auth::{BasicSpelling, ClientProof, basic};
use super::grant::GrantProof;
use crate::secret::Secret;

/// What a text of the token endpoint's response becomes when it repeats a credential that cannot
/// be cut out of it: one shorter than [`SHORT`], or one in a spelling no list foresees.
pub const WITHHELD: &str = "(not shown: the answer repeats a credential)";

/// A credential shorter than this many characters is not cut out of a text: replacing every
/// `abc` would garble the message around it. A text that holds one is not shown at all.
const SHORT: usize = 8;

/// Every spelling in which the token request carried the client secret or the password, and the
/// spellings a server that repeats them may use. A server may send the request back (a debugging
/// proxy's dump, an error description that quotes the form, an extra field, an HTML page): whatever
/// of its response oauthctl prints, puts in an error message or caches goes through
/// [`Scrubber::scrub`] first.
#[derive(Debug, Default)]
pub struct Scrubber {
    /// Spellings of credentials of [`SHORT`] characters or more, longest first, so that a spelling
    /// that holds another goes as a whole: each is replaced by `REDACTED`.
    cut: Vec<Secret>,
    /// Spellings of shorter credentials: a text holding one becomes [`WITHHELD`].
    whole: Vec<Secret>,
    /// The credentials as typed, sought in the text with its escapes undone (HTML entities, JSON
    /// and percent escapes, two layers deep) once the spellings are cut: an echo in a spelling not
    /// listed makes the text [`WITHHELD`] rather than getting through.
    typed: Vec<Secret>,
}

impl Scrubber {
    /// The scrubber for a token request of `client_id` that carries `client` and `grant`.
    pub fn of(client_id: &str, client: &ClientProof, grant: &GrantProof) -> Scrubber {
        let mut scrubber = Scrubber::default();
        for secret in client.secrets().into_iter().chain(grant.secrets()) {
            let raw = secret.expose();
            if raw.is_empty() {
                continue;
            }
            let list = if raw.chars().count() < SHORT {
                &mut scrubber.whole
            } else {
                &mut scrubber.cut
            };
            list.extend(spellings(raw).into_iter().map(Secret::new));
            scrubber.typed.push(secret.clone());
        }
        if let ClientProof::Basic(secret) = client {
            // Both spellings: the second is sent when the server refuses the first.
            for spelling in [BasicSpelling::Encoded, BasicSpelling::Raw] {
                let (id, pw) = basic::credentials(client_id, secret, spelling);
                scrubber
                    .cut
                    .push(Secret::new(STANDARD.encode(format!("{id}:{pw}"))));
            }
        }
        for list in [&mut scrubber.cut, &mut scrubber.whole] {
            list.retain(|s| !s.expose().is_empty());
            list.sort_by(|a, b| {
                let (a, b) = (a.expose(), b.expose());
                b.len().cmp(&a.len()).then_with(|| a.cmp(b))
            });
            list.dedup();
        }
        scrubber
    }

    /// `text` with every credential cut out, or [`WITHHELD`] when one cannot be.
    pub fn scrub(&self, text: &str) -> String {
        let mut text = text.to_string();
        for spelling in &self.cut {
            if text.contains(spelling.expose()) {
                text = text.replace(spelling.expose(), "REDACTED");
            }
        }
        if self.whole.iter().any(|s| text.contains(s.expose())) || self.hidden_in(&text) {
            return WITHHELD.to_string();
        }
        text
    }

    /// True when a credential shows once the text's escapes are undone.
    fn hidden_in(&self, text: &str) -> bool {
        if self.typed.is_empty() {
            return false;
        }
        let decoders: [fn(&str) -> Option<String>; 3] =
            [html_unescaped, json_unescaped, percent_decoded];
        let mut views = vec![text.to_string()];
        let mut layer = vec![text.to_string()];
        for _ in 0..2 {
            layer = layer
                .iter()
                .flat_map(|view| decoders.iter().filter_map(|decode| decode(view)))
                .collect();
            views.extend(layer.iter().cloned());
        }
        views
            .iter()
            .any(|view| self.typed.iter().any(|t| view.contains(t.expose())))
    }

    /// Scrubs every string, number and key in a JSON value, however deep.
    fn scrub_value(&self, value: &mut Value) {
        match value {
            Value::String(text) => *text = self.scrub(text),
            Value::Number(number) => {
                let text = number.to_string();
                let scrubbed = self.scrub(&text);
                if scrubbed != text {
                    *value = Value::String(scrubbed);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.scrub_value(v)),
            Value::Object(fields) => self.scrub_fields(fields, &[]),
            _ => {}
        }
    }

    /// Scrubs every field of an object but those named in `keep`, keys included.
    pub fn scrub_fields(&self, fields: &mut Map<String, Value>, keep: &[&str]) {
        let old = std::mem::take(fields);
        for (name, mut value) in old {
            if keep.contains(&name.as_str()) {
                fields.insert(name, value);
                continue;
            }
            self.scrub_value(&mut value);
            fields.insert(self.scrub(&name), value);
        }
    }
}

/// The spellings of a credential a request carries it in or a server repeats it in: as typed,
/// form-urlencoded (`+` or `%20` for a space), JSON-escaped (also as PHP writes it, with `\/` and
/// `\u00fc`, and twice over: a JSON request quoted inside a JSON response), and HTML-escaped.
fn spellings(raw: &str) -> Vec<String> {
    let form: String = form_urlencoded::byte_serialize(raw.as_bytes()).collect();
    let json = json_escaped(raw);
    let mut out = vec![
        raw.to_string(),
        form.replace('+', "%20"),
        form,
        json_escaped(&json),
    ];
    for json in [
        json.clone(),
        json_ascii(&json, false),
        json_ascii(&json, true),
    ] {
        out.push(json.replace('/', "\\/"));
        out.push(json);
    }
    let html = raw
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    for quote in ["&quot;", "&#34;", "\""] {
        for apostrophe in ["&#39;", "&#039;", "&#x27;", "&apos;", "'"] {
            out.push(html.replace('"', quote).replace('\'', apostrophe));
        }
    }
    out
}

/// `text` as it is spelled inside a JSON string.
fn json_escaped(text: &str) -> String {
    let quoted = Value::from(text).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// A JSON-escaped text with every non-ASCII character escaped too, as `\u00fc` (PHP's
/// `json_encode`) or `\u00FC`, in UTF-16 units.
fn json_ascii(json: &str, upper: bool) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            if upper {
                out.push_str(&format!("\\u{unit:04X}"));
            } else {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

/// `text` with HTML's character references undone (`&amp;`, `&#39;`, `&#x27;`, ...); `None` when
/// it has none.
fn html_unescaped(text: &str) -> Option<String> {
    if !text.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => number.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            }?;
            Some((c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// `text` with JSON's backslash escapes undone wherever they are; `None` when it has none.
fn json_unescaped(text: &str) -> Option<String> {
    if !text.contains('\\') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut pending_high: Option<u16> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&next) = chars.peek() else {
            out.push(c);
            break;
        };
        let simple = match next {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            _ => None,
        };
        if let Some(s) = simple {
            chars.next();
            out.push(s);
            continue;
        }
        if next == 'u' {
            let hex: String = chars.clone().skip(1).take(4).collect();
            if hex.len() == 4
                && hex.chars().all(|h| h.is_ascii_hexdigit())
                && let Ok(unit) = u16::from_str_radix(&hex, 16)
            {
                chars.nth(4);
                match (pending_high.take(), unit) {
                    (Some(high), 0xDC00..=0xDFFF) => {
                        let code = 0x10000
                            + ((u32::from(high) - 0xD800) << 10)
                            + (u32::from(unit) - 0xDC00);
                        out.extend(char::from_u32(code));
                    }
                    (_, 0xD800..=0xDBFF) => pending_high = Some(unit),
                    (_, unit) => out.extend(char::from_u32(u32::from(unit))),
                }
                continue;
            }
        }
        out.push(c);
    }
    Some(out)
}

/// `text` with percent escapes undone and `+` as a space, as a form is decoded; `None` when it
/// has neither.
fn percent_decoded(text: &str) -> Option<String> {
    if !text.contains(['%', '+']) {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::response::parse_response;
    use reqwest::StatusCode;

    fn password(text: &str) -> GrantProof {
        GrantProof::Password {
            username: "u".into(),
            password: Secret::new(text),
        }
    }

    /// A server that sends the request back gets none of the secret's or the password's
    /// spellings onto the screen, into an error or into the cache; the token is left as issued.
    #[test]
    fn echoed_credentials_are_scrubbed_in_every_spelling() {
        let client = ClientProof::Basic(Secret::new(r#"s3 cr&t/"q""#));
        let scrubber = Scrubber::of("id@x", &client, &password("pw+d/long"));
        let basic = STANDARD.encode("id%40x:s3+cr%26t%2F%22q%22");
        let raw_basic = STANDARD.encode(r#"id@x:s3 cr&t/"q""#);
        for spelling in [
            r#"s3 cr&t/"q""#,
            "s3+cr%26t%2F%22q%22",
            "s3%20cr%26t%2F%22q%22",
            r#"s3 cr&t/\"q\""#,
            r#"s3 cr&t\/\"q\""#,
            r#"s3 cr&t/\\\"q\\\""#,
            &basic,
            &raw_basic,
            "pw+d/long",
            "pw%2Bd%2Flong",
            r"pw+d\/long",
            "s3 cr&amp;t/&quot;q&quot;",
            "s3 cr&amp;t/&#34;q&#34;",
        ] {
            assert_eq!(scrubber.scrub(&format!("<{spelling}>")), "<REDACTED>");
        }

        let described =
            br#"{"error":"invalid_client","error_description":"bad secret s3 cr&t/\"q\""}"#;
        let err =
            parse_response("h", "p", StatusCode::UNAUTHORIZED, described, &scrubber).unwrap_err();
        assert!(
            err.to_string().starts_with(
                "token request to h failed: 401 invalid_client: bad secret REDACTED\n"
            ),
            "{err}"
        );
        let dump = b"POST /t HTTP/1.1\r\n\r\ngrant_type=password&username=u&password=pw%2Bd%2Flong";
        let err = parse_response("h", "p", StatusCode::BAD_GATEWAY, dump, &scrubber).unwrap_err();
        assert_eq!(
            err.to_string().lines().next().unwrap(),
            "token request to h failed: 502 (body: POST /t HTTP/1.1 grant_type=password&username=u&password=REDACTED)"
        );
        let response = format!(
            r#"{{"access_token":"tok.{basic}","debug":[{{"request":"{{\"client_secret\":\"s3 cr&t/\\\"q\\\"\"}}"}}]}}"#
        );
        let ok = parse_response("h", "p", StatusCode::OK, response.as_bytes(), &scrubber).unwrap();
        assert_eq!(ok.fields["access_token"], format!("tok.{basic}"));
        assert_eq!(
            ok.fields["debug"].to_string(),
            r#"[{"request":"{\"client_secret\":\"REDACTED\"}"}]"#
        );
    }

    fn scrubber_of(secret: &str, password: Option<&str>) -> Scrubber {
        let client = ClientProof::Basic(Secret::new(secret));
        let grant = match password {
            Some(text) => self::password(text),
            None => GrantProof::ClientCredentials,
        };
        Scrubber::of("sb-x!b1", &client, &grant)
    }

    /// PHP's `json_encode` (`\/`, `\u00fc`), Java's (`\u00FC`) and HTML's escapes are cut out as
    /// the others are; an escape no list foresees hides the whole text.
    #[test]
    fn php_json_and_html_echoes_are_scrubbed() {
        let scrubber = scrubber_of("sec-ret-value-1", Some("Jürgen/Pass<&>\"'"));
        for spelling in [
            r#"J\u00fcrgen\/Pass<&>\"'"#,
            r#"J\u00FCrgen\/Pass<&>\"'"#,
            r#"J\u00fcrgen/Pass<&>\"'"#,
            "Jürgen/Pass&lt;&amp;&gt;&quot;&#39;",
            "Jürgen/Pass&lt;&amp;&gt;&quot;&#x27;",
            "Jürgen/Pass&lt;&amp;&gt;&#34;&#039;",
            "Jürgen/Pass&lt;&amp;&gt;\"'",
        ] {
            assert_eq!(
                scrubber.scrub(&format!("user jane, password {spelling}.")),
                "user jane, password REDACTED.",
                "{spelling}"
            );
        }
        // Every character as a numeric reference, and JSON inside HTML: not listed, still caught.
        for hidden in [
            "&#74;&#252;&#114;&#103;&#101;&#110;&#47;&#80;&#97;&#115;&#115;&#60;&#38;&#62;&#34;&#39;",
            r#"J\u00fcrgen\/Pass&lt;&amp;&gt;\&quot;'"#,
            "J%c3%bcrgen%2fPass%3c%26%3e%22%27",
        ] {
            assert_eq!(
                scrubber.scrub(&format!("password {hidden}")),
                WITHHELD,
                "{hidden}"
            );
        }
        assert_eq!(scrubber.scrub("nothing to see"), "nothing to see");
    }

    /// A short credential is not cut out of a text (every `abc` would go): the text is not shown.
    #[test]
    fn a_short_secret_hides_the_whole_text_without_garbling_it() {
        let scrubber = scrubber_of("s3", None);
        assert_eq!(scrubber.scrub("the client secret s3 is wrong"), WITHHELD);
        assert_eq!(
            scrubber.scrub("Client authentication failed"),
            "Client authentication failed"
        );
        let body = br#"{"error":"invalid_client","error_description":"secret s3 rejected"}"#;
        let err = parse_response("h", "p", StatusCode::UNAUTHORIZED, body, &scrubber)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err.lines().next().unwrap(),
            format!("token request to h failed: 401 {WITHHELD}")
        );
    }

    /// `scope`, `token_type`, `expires_in`, keys and numbers: every field but the token.
    #[test]
    fn every_field_of_a_response_is_scrubbed() {
        let scrubber = scrubber_of("Sup3r$ecret=Value", None);
        let body = br#"{"access_token":"t","token_type":"bearer","scope":"a Sup3r$ecret=Value","x":{"Sup3r$ecret=Value":1}}"#;
        let ok = parse_response("h", "p", StatusCode::OK, body, &scrubber).unwrap();
        assert_eq!(ok.fields["token_type"], "bearer");
        assert_eq!(ok.fields["scope"], "a REDACTED");
        assert_eq!(ok.fields["x"].to_string(), r#"{"REDACTED":1}"#);
        let body = br#"{"access_token":"t","expires_in":"Sup3r$ecret=Value"}"#;
        let err = parse_response("h", "p", StatusCode::OK, body, &scrubber)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(r#"token request to h answered 200 with expires_in "REDACTED", which"#),
            "{err}"
        );
        // A token_type that repeats a credential is no scheme to put in a header.
        let body = br#"{"access_token":"t","token_type":"Sup3r$ecret=Value"}"#;
        let err = parse_response("h", "p", StatusCode::OK, body, &scrubber)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "token request to h answered 200 with a token_type that repeats a credential"
            ),
            "{err}"
        );
        let scrubber = scrubber_of("12345678901", None);
        let body = br#"{"access_token":"t","n":12345678901}"#;
        let ok = parse_response("h", "p", StatusCode::OK, body, &scrubber).unwrap();
        assert_eq!(ok.fields["n"], "REDACTED");
    }
}
