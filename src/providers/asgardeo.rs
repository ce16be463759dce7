//! WSO2 Asgardeo's management APIs (docs/providers.md §4): an organisation's own token endpoint
//! and API under `/t/<org>`, in the US or the EU, and SCIM 2 lists.

use anyhow::Result;
use serde::Deserialize;

use super::template::{fill_for, region_host};
use super::{Defaults, Input, Provider};
use crate::http::rate::Rate;
use crate::oauth::client_auth::ClientAuthMethod;
use crate::paging::PageStyle;

pub static PROVIDER: Provider = Provider {
    name: "asgardeo",
    title: "WSO2 Asgardeo management APIs",
    keys: &[
        (
            "org",
            "your organisation's name, as in https://api.asgardeo.io/t/<org>",
        ),
        ("region", "us (default) or eu"),
    ],
    paging: &[("", PageStyle::Scim)],
    page_sizes: &[],
    // 200 requests a minute per IP address on every management API (docs/providers.md §4): one
    // every 300 ms, and two pages in flight to keep to that pace over a slow link.
    parallel: &[("", 2)],
    rate: &[("", Rate::per_minute(200))],
    check_keys: |table| table.read::<Keys>().map(drop),
    defaults,
};

/// `region` → the host; the first is the default.
const REGIONS: &[(&str, &str)] = &[("us", "api.asgardeo.io"), ("eu", "api.eu.asgardeo.io")];

#[derive(Debug, Deserialize)]
struct Keys {
    org: Option<String>,
    region: Option<String>,
}

fn defaults(input: &Input) -> Result<Defaults> {
    let keys: Keys = input.keys.read()?;
    let host = region_host(input, &PROVIDER, REGIONS, keys.region.as_deref())?;
    let lookup = |key: &str| match key {
        "org" => keys.org.clone(),
        "host" => Some(host.to_string()),
        _ => None,
    };
    Ok(Defaults {
        token_url: Some(fill_for(
            input,
            &PROVIDER,
            "token_url",
            "https://{host}/t/{org}/oauth2/token",
            lookup,
        )),
        device_authorization_url: Some(fill_for(
            input,
            &PROVIDER,
            "device_authorization_url",
            "https://{host}/t/{org}/oauth2/device_authorize",
            lookup,
        )),
        api_base: Some(fill_for(
            input,
            &PROVIDER,
            "api_base",
            "https://{host}/t/{org}",
            lookup,
        )),
        client_auth: Some(ClientAuthMethod::Basic),
        ..Defaults::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_page_as_scim() {
        assert_eq!(PROVIDER.paging_for("/scim2/Users"), Some(PageStyle::Scim));
    }
}
