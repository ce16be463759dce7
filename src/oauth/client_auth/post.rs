//! `client_auth = "post"`: the client id and secret as form fields beside the grant's
//! (RFC 6749 §2.3.1, which allows it for clients that cannot send HTTP Basic).

use reqwest::blocking::RequestBuilder;
use reqwest::header::CONTENT_TYPE;

use super::{FORM, form};
use crate::secret::Secret;

pub(super) fn apply<'a>(
    builder: RequestBuilder,
    client_id: &'a str,
    secret: &'a Secret,
    mut fields: Vec<(&'a str, &'a str)>,
) -> RequestBuilder {
    fields.push(("client_id", client_id));
    fields.push(("client_secret", secret.expose()));
    builder.header(CONTENT_TYPE, FORM).body(form(&fields))
}
