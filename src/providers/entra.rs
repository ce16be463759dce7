//! Microsoft Entra ID (formerly Azure AD), the Microsoft identity platform's v2.0 endpoints
//! (docs/providers.md §6): a tenant's own token, authorization and device endpoints under
//! `https://login.microsoftonline.com/<tenant>/oauth2/v2.0/`, and the client credentials grant's
//! scope `<resource>/.default` (every application permission granted to the app for that
//! resource). Entra has no RFC 7009 revocation endpoint. Microsoft recommends certificate
//! credentials over secrets: those are `client_auth = "private_key_jwt"` with the certificate's
//! thumbprint in the assertion's header.

use anyhow::Result;
use serde::Deserialize;

use super::template::{check_host_part, fill_for};
use super::{Defaults, Input, Provider};
use crate::oauth::client_auth::ClientAuthMethod;

pub static PROVIDER: Provider = Provider {
    name: "entra",
    title: "Microsoft Entra ID (Microsoft identity platform v2.0)",
    keys: &[
        (
            "tenant",
            "your tenant's id (a GUID) or one of its domains, e.g. contoso.onmicrosoft.com",
        ),
        (
            "resource",
            "the API the token is for, e.g. https://graph.microsoft.com: the scope is <resource>/.default",
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
    tenant: Option<String>,
    resource: Option<String>,
}

const BASE: &str = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0";

fn defaults(input: &Input) -> Result<Defaults> {
    let keys: Keys = input.keys.read()?;
    if let Some(tenant) = &keys.tenant {
        check_host_part(input, &PROVIDER, "tenant", tenant)?;
    }
    let lookup = |key: &str| match key {
        "tenant" => keys.tenant.clone(),
        "resource" => keys.resource.clone(),
        _ => None,
    };
    let url =
        |what: &str, path: &str| fill_for(input, &PROVIDER, what, &format!("{BASE}{path}"), lookup);
    Ok(Defaults {
        token_url: Some(url("token_url", "/token")),
        authorization_url: Some(url("authorization_url", "/authorize")),
        device_authorization_url: Some(url("device_authorization_url", "/devicecode")),
        scope: Some(fill_for(
            input,
            &PROVIDER,
            "scope",
            "{resource}/.default",
            lookup,
        )),
        // An API on the web (Microsoft Graph, Azure Resource Manager) is called at the resource's
        // own URL; an `api://` application id is no URL to call.
        api_base: keys
            .resource
            .as_ref()
            .filter(|r| r.starts_with("https://"))
            .map(|r| Ok(r.clone())),
        // The form fields, as the v2.0 token endpoint's page shows them.
        client_auth: Some(ClientAuthMethod::Post),
        ..Defaults::default()
    })
}
