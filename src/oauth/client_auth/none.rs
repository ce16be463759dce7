//! `client_auth = "none"`: a public client, which has no secret (RFC 6749 §2.1; a native app,
//! RFC 8252 §8.4). It names itself with `client_id` in the form (§3.2.1, §4.1.3); PKCE, not a
//! secret, binds the code to the client that asked for it.

use reqwest::blocking::RequestBuilder;
use reqwest::header::CONTENT_TYPE;

use super::{FORM, form};

pub(super) fn apply<'a>(
    builder: RequestBuilder,
    client_id: &'a str,
    mut fields: Vec<(&'a str, &'a str)>,
) -> RequestBuilder {
    fields.push(("client_id", client_id));
    builder.header(CONTENT_TYPE, FORM).body(form(&fields))
}
