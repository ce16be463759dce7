//! Auth0 (docs/providers.md §9): a tenant's endpoints on its domain, and the `audience`
//! parameter Auth0 wants on a token request for an API (without it, a client credentials request
//! is refused, or answered with a token for no API).

use anyhow::Result;
use serde::Deserialize;

use super::template::{check_host_part, fill_for};
use super::{Defaults, Input, Provider};
use crate::oauth::client_auth::ClientAuthMethod;

pub static PROVIDER: Provider = Provider {
    name: "auth0",
    title: "Auth0",
    keys: &[
        (
            "domain",
            "your tenant's domain, e.g. example.us.auth0.com (or your custom domain)",
        ),
        (
            "audience",
            "the API's identifier, sent as the audience parameter Auth0 requires",
        ),
    ],
    paging: &[],
    page_sizes: &[],
    parallel: &[],
    rate: &[],
    check_keys: |table| table.read::<Keys>().map(drop),
    defaults,
};

#[derive(Debug, Deserialize)]
struct Keys {
    domain: Option<String>,
    audience: Option<String>,
}

fn defaults(input: &Input) -> Result<Defaults> {
    let keys: Keys = input.keys.read()?;
    if let Some(domain) = &keys.domain {
        check_host_part(input, &PROVIDER, "domain", domain)?;
    }
    let lookup = |key: &str| match key {
        "domain" => keys.domain.clone(),
        _ => None,
    };
    let url = |what: &str, template: &str| fill_for(input, &PROVIDER, what, template, lookup);
    Ok(Defaults {
        token_url: Some(url("token_url", "https://{domain}/oauth/token")),
        authorization_url: Some(url("authorization_url", "https://{domain}/authorize")),
        device_authorization_url: Some(url(
            "device_authorization_url",
            "https://{domain}/oauth/device/code",
        )),
        revocation_url: Some(url("revocation_url", "https://{domain}/oauth/revoke")),
        extra_params: keys
            .audience
            .iter()
            .map(|a| ("audience".to_string(), a.clone()))
            .collect(),
        // The form fields, as Auth0's client credentials page sends them.
        client_auth: Some(ClientAuthMethod::Post),
        ..Defaults::default()
    })
}
