//! Keycloak (docs/providers.md §8): a realm's OpenID Connect endpoints under
//! `<base_url>/realms/<realm>/protocol/openid-connect/`. `base_url` is where the server answers,
//! with `/auth` for Keycloak before version 17.

use anyhow::Result;
use serde::Deserialize;

use super::template::{check_host_part, fill_for};
use super::{Defaults, Input, Provider};
use crate::oauth::client_auth::ClientAuthMethod;

pub static PROVIDER: Provider = Provider {
    name: "keycloak",
    title: "Keycloak",
    keys: &[
        (
            "base_url",
            "where your Keycloak answers, e.g. https://sso.example.com (with /auth before Keycloak 17)",
        ),
        ("realm", "the realm's name"),
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
    base_url: Option<String>,
    realm: Option<String>,
}

const BASE: &str = "{base_url}/realms/{realm}/protocol/openid-connect";

fn defaults(input: &Input) -> Result<Defaults> {
    let keys: Keys = input.keys.read()?;
    if let Some(realm) = &keys.realm {
        check_host_part(input, &PROVIDER, "realm", realm)?;
    }
    let lookup = |key: &str| match key {
        "base_url" => keys
            .base_url
            .as_deref()
            .map(|b| b.trim_end_matches('/').to_string()),
        "realm" => keys.realm.clone(),
        _ => None,
    };
    let url =
        |what: &str, path: &str| fill_for(input, &PROVIDER, what, &format!("{BASE}{path}"), lookup);
    Ok(Defaults {
        token_url: Some(url("token_url", "/token")),
        authorization_url: Some(url("authorization_url", "/auth")),
        device_authorization_url: Some(url("device_authorization_url", "/auth/device")),
        revocation_url: Some(url("revocation_url", "/revoke")),
        client_auth: Some(ClientAuthMethod::Basic),
        ..Defaults::default()
    })
}
