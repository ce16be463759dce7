//! Palo Alto Networks Strata Cloud Manager, and IoT Security's public API on the same host
//! (docs/providers.md §1 and §2): one token endpoint for every tenant, the tenant named in the
//! scope as `tsg_id:<Tenant Service Group id>`.

use anyhow::{Result, bail};
use serde::Deserialize;

use super::template::fill_for;
use super::{Defaults, Input, Provider};
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
}
