//! Palo Alto Networks SaaS Security API, formerly Aperture (docs/providers.md §3): one host per
//! region, the scope `api_access`, and a token request with the charset the vendor's page shows.

use anyhow::Result;
use serde::Deserialize;

use super::template::region_host;
use super::{Defaults, Input, Provider};
use crate::oauth::client_auth::ClientAuthMethod;
use crate::paging::PageStyle;

pub static PROVIDER: Provider = Provider {
    name: "saas-security",
    title: "Palo Alto Networks SaaS Security API (formerly Aperture)",
    keys: &[("region", "us, eu, apac, uk, in, au, uk2 or jp")],
    paging: &[("", PageStyle::NextPath)],
    page_sizes: &[],
    // Each page names the next: one at a time whatever is asked. No rate is documented.
    parallel: &[],
    rate: &[],
    check_keys: |table| table.read::<Keys>().map(drop),
    defaults,
};

/// `region` → the API's host; the first is the default.
const REGIONS: &[(&str, &str)] = &[
    ("us", "api.aperture.paloaltonetworks.com"),
    ("eu", "api.aperture-eu.paloaltonetworks.com"),
    ("apac", "api.aperture-apac.paloaltonetworks.com"),
    ("uk", "api.aperture-uk.paloaltonetworks.com"),
    ("in", "api.in1.prisma-saas.paloaltonetworks.com"),
    ("au", "api.au1.prisma-saas.paloaltonetworks.com"),
    ("uk2", "api.uk2.prisma-saas.paloaltonetworks.com"),
    ("jp", "api.jp1.prisma-saas.paloaltonetworks.com"),
];

#[derive(Debug, Deserialize)]
struct Keys {
    region: Option<String>,
}

fn defaults(input: &Input) -> Result<Defaults> {
    let keys: Keys = input.keys.read()?;
    let host = region_host(input, &PROVIDER, REGIONS, keys.region.as_deref())?;
    Ok(Defaults {
        token_url: Some(Ok(format!("https://{host}/oauth/token"))),
        api_base: Some(Ok(format!("https://{host}"))),
        scope: Some(Ok("api_access".into())),
        client_auth: Some(ClientAuthMethod::Basic),
        // As on the vendor's page (docs/providers.md §3).
        token_headers: vec![(
            "content-type".into(),
            "application/x-www-form-urlencoded; charset=ISO-8859-1".into(),
        )],
        ..Defaults::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_page_by_next_path() {
        assert_eq!(
            PROVIDER.paging_for("/incident/api/incidents/delta"),
            Some(PageStyle::NextPath)
        );
    }
}
