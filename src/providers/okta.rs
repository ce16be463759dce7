//! Okta's custom authorization servers (docs/providers.md §7): each under
//! `https://<domain>/oauth2/<authorization server>/v1/`, the one called `default` unless the
//! profile names another, with token, authorization, device authorization and revocation
//! endpoints.

use anyhow::Result;
use serde::Deserialize;

use super::template::{check_host_part, fill_for};
use super::{Defaults, Input, Provider};
use crate::oauth::client_auth::ClientAuthMethod;

pub static PROVIDER: Provider = Provider {
    name: "okta",
    title: "Okta (custom authorization server)",
    keys: &[
        (
            "domain",
            "your Okta domain, e.g. dev-123456.okta.com (or your custom domain)",
        ),
        (
            "authorization_server",
            "the custom authorization server's id (default: default)",
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
    authorization_server: Option<String>,
}

const BASE: &str = "https://{domain}/oauth2/{authorization_server}/v1";

fn defaults(input: &Input) -> Result<Defaults> {
    let keys: Keys = input.keys.read()?;
    if let Some(domain) = &keys.domain {
        check_host_part(input, &PROVIDER, "domain", domain)?;
    }
    let server = keys
        .authorization_server
        .clone()
        .unwrap_or_else(|| "default".into());
    check_host_part(input, &PROVIDER, "authorization_server", &server)?;
    let lookup = |key: &str| match key {
        "domain" => keys.domain.clone(),
        "authorization_server" => Some(server.clone()),
        _ => None,
    };
    let url =
        |what: &str, path: &str| fill_for(input, &PROVIDER, what, &format!("{BASE}{path}"), lookup);
    Ok(Defaults {
        token_url: Some(url("token_url", "/token")),
        authorization_url: Some(url("authorization_url", "/authorize")),
        device_authorization_url: Some(url("device_authorization_url", "/device/authorize")),
        revocation_url: Some(url("revocation_url", "/revoke")),
        client_auth: Some(ClientAuthMethod::Basic),
        ..Defaults::default()
    })
}
