//! Palo Alto Networks Strata Cloud Manager, and IoT Security's public API on the same host
//! (docs/providers.md §1 and §2): one token endpoint for every tenant, the tenant named in the
//! scope as `tsg_id:<Tenant Service Group id>`.

use anyhow::{Result, bail};
use serde::Deserialize;

use super::template::fill_for;
use super::{Defaults, Input, Provider};
use crate::http::rate::Rate;
use crate::oauth::client_auth::ClientAuthMethod;
use crate::paging::PageStyle;
use crate::scalar::opt_scalar;

pub static PROVIDER: Provider = Provider {
    name: "scm",
    title: "Palo Alto Networks Strata Cloud Manager and IoT Security",
    keys: &[("tsg_id", "your Tenant Service Group id")],
    // IoT Security's public API shares the host with SCM's config APIs.
    paging: &[
        ("/iot/", PageStyle::OffsetPagelength),
        ("", PageStyle::OffsetLimit),
    ],
    // The config lists take 5,000 a page (the style's size); these few, 1,000 (docs/providers.md
    // §1, as pan-scm-sdk has them).
    page_sizes: &[
        ("/config/deployment/v1/bandwidth-allocations", 1000),
        ("/config/deployment/v1/locations", 1000),
        ("/config/deployment/v1/service-connections", 1000),
        ("/config/mobile-agent/v1/agent-versions", 1000),
        ("/config/setup/v1/devices", 1000),
    ],
    // IoT Security's lists allow 60 requests a minute: one page a second, however many are in
    // flight, so one at a time. SCM's gateway documents no rate.
    parallel: &[("/iot/", 1), ("", 4)],
    rate: &[("/iot/", Rate::per_minute(60))],
    check_keys: |table| table.read::<Keys>().map(drop),
    defaults,
};

#[derive(Debug, Deserialize)]
struct Keys {
    #[serde(default, deserialize_with = "opt_scalar")]
    tsg_id: Option<String>,
}

fn defaults(input: &Input) -> Result<Defaults> {
    let keys: Keys = input.keys.read()?;
    if let Some(tsg_id) = &keys.tsg_id {
        check_tsg_id(input.profile, tsg_id)?;
    }
    let scope = fill_for(
        input,
        &PROVIDER,
        "scope",
        "tsg_id:{tsg_id}",
        |key| match key {
            "tsg_id" => keys.tsg_id.clone(),
            _ => None,
        },
    );
    Ok(Defaults {
        token_url: Some(Ok(
            "https://auth.apps.paloaltonetworks.com/oauth2/access_token".into(),
        )),
        api_base: Some(Ok("https://api.strata.paloaltonetworks.com".into())),
        scope: Some(scope),
        client_auth: Some(ClientAuthMethod::Basic),
        ..Defaults::default()
    })
}

/// `tsg_id` goes into the scope as is, so a value that is not one (an unexpanded `"${TSG}"`, a
/// typo) would be sent and refused with a puzzling `invalid_scope`: a Tenant Service Group id is
/// digits only.
fn check_tsg_id(profile: &str, value: &str) -> Result<()> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let problem = if value.is_empty() {
        "is empty".to_string()
    } else if value.contains('$') {
        "is not a number: a TSG id is digits only, and the profile file does not expand variables"
            .to_string()
    } else {
        "is not a number: a TSG id is digits only".to_string()
    };
    bail!(
        "profile {profile}: tsg_id {} {problem}\nhint: write your Tenant Service Group id, e.g. tsg_id = 1234567890",
        toml::Value::String(value.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_by_path_where_one_host_serves_several_apis() {
        assert_eq!(
            PROVIDER.paging_for("/iot/pub/v1/device/list"),
            Some(PageStyle::OffsetPagelength)
        );
        assert_eq!(
            PROVIDER.paging_for("/config/security/v1/security-rules"),
            Some(PageStyle::OffsetLimit)
        );
    }

    #[test]
    fn iot_lists_go_one_at_a_time_at_sixty_a_minute_and_config_lists_four_at_once() {
        let devices = "/iot/pub/v1/device/list";
        assert_eq!(PROVIDER.rate_for(devices), Some(Rate::per_minute(60)));
        assert_eq!(PROVIDER.parallel_for(devices), 1);
        let rules = "/config/security/v1/security-rules";
        assert_eq!(PROVIDER.rate_for(rules), None);
        assert_eq!(PROVIDER.parallel_for(rules), 4);
        assert_eq!(PROVIDER.page_size_for(rules), None);
        assert_eq!(
            PROVIDER.page_size_for("/config/setup/v1/devices"),
            Some(1000)
        );
    }
}
