//! `client_auth = "json"`: the grant's fields, the client id and the secret as one JSON object,
//! as Strata Cloud Manager's getting-started page sends them (docs/providers.md §1).

use anyhow::Result;
use reqwest::blocking::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Map, Value};

use crate::secret::Secret;

pub(super) fn apply<'a>(
    builder: RequestBuilder,
    client_id: &'a str,
    secret: &'a Secret,
    mut fields: Vec<(&'a str, &'a str)>,
) -> Result<RequestBuilder> {
    fields.push(("client_id", client_id));
    fields.push(("client_secret", secret.expose()));
    let object: Map<String, Value> = fields
        .iter()
        .map(|(k, v)| (k.to_string(), Value::from(*v)))
        .collect();
    Ok(builder
        .header(CONTENT_TYPE, "application/json")
        .body(serde_json::to_vec(&object)?))
}
