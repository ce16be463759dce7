//! Provider presets: tables of defaults that a profile names with `provider = "..."`.
//!
//! A preset is data, not a branch in the code: its URLs are templates whose `{placeholders}` are
//! filled from the profile's own keys (the preset's `keys`), and a key the profile sets itself
//! always wins over what the preset fills in. Wire facts come from ../shared/providers.md.

use crate::oauth::client_auth::ClientAuthMethod;
use crate::paging::PageStyle;

/// Defaults for one vendor's token endpoint and API.
#[derive(Debug)]
pub struct Preset {
    /// The value of `provider` that selects it.
    pub name: &'static str,
    /// Shown in `profiles` listings and errors.
    pub title: &'static str,
    /// Token endpoint, a template. Empty for presets whose URLs come from a service key.
    pub token_url: &'static str,
    /// API base URL, a template.
    pub api_base: &'static str,
    pub client_auth: ClientAuthMethod,
    /// Default scope, a template; `None` sends no scope.
    pub scope: Option<&'static str>,
    /// Profile keys that only this preset accepts, with what each is for (for error messages).
    pub keys: &'static [(&'static str, &'static str)],
    /// `region` → the `{host}` of the templates; the first entry is the default.
    pub regions: &'static [(&'static str, &'static str)],
    /// Extra headers on the token request (some vendors document a charset or Accept).
    pub token_headers: &'static [(&'static str, &'static str)],
    /// URLs, client id and secret come from an SAP BTP service key file (`service_key`).
    pub service_key: bool,
    /// How `call --paginate` pages, by path under `api_base`: the first entry whose prefix starts
    /// the path wins, so a catch-all `""` goes last.
    pub paging: &'static [(&'static str, PageStyle)],
}

/// Every preset oauthctl knows. A new provider is one entry here, a fixture and a test.
pub static PRESETS: &[Preset] = &[
    Preset {
        name: "scm",
        title: "Palo Alto Networks Strata Cloud Manager and IoT Security",
        token_url: "https://auth.apps.paloaltonetworks.com/oauth2/access_token",
        api_base: "https://api.strata.paloaltonetworks.com",
        client_auth: ClientAuthMethod::Basic,
        scope: Some("tsg_id:{tsg_id}"),
        keys: &[("tsg_id", "your Tenant Service Group id")],
        regions: &[],
        token_headers: &[],
        service_key: false,
        // IoT Security's public API shares the host with SCM's config APIs.
        paging: &[
            ("/iot/", PageStyle::OffsetPagelength),
            ("", PageStyle::OffsetLimit),
        ],
    },
    Preset {
        name: "saas-security",
        title: "Palo Alto Networks SaaS Security API (formerly Aperture)",
        token_url: "https://{host}/oauth/token",
        api_base: "https://{host}",
        client_auth: ClientAuthMethod::Basic,
        scope: Some("api_access"),
        keys: &[("region", "us, eu, apac, uk, in, au, uk2 or jp")],
        regions: &[
            ("us", "api.aperture.paloaltonetworks.com"),
            ("eu", "api.aperture-eu.paloaltonetworks.com"),
            ("apac", "api.aperture-apac.paloaltonetworks.com"),
            ("uk", "api.aperture-uk.paloaltonetworks.com"),
            ("in", "api.in1.prisma-saas.paloaltonetworks.com"),
            ("au", "api.au1.prisma-saas.paloaltonetworks.com"),
            ("uk2", "api.uk2.prisma-saas.paloaltonetworks.com"),
            ("jp", "api.jp1.prisma-saas.paloaltonetworks.com"),
        ],
        // As on the vendor's page (seeds/saas-security-retrieve-token.txt).
        token_headers: &[(
            "content-type",
            "application/x-www-form-urlencoded; charset=ISO-8859-1",
        )],
        service_key: false,
        paging: &[("", PageStyle::NextPath)],
    },
    Preset {
        name: "asgardeo",
        title: "WSO2 Asgardeo management APIs",
        token_url: "https://{host}/t/{org}/oauth2/token",
        api_base: "https://{host}/t/{org}",
        client_auth: ClientAuthMethod::Basic,
        scope: None,
        keys: &[
            (
                "org",
                "your organisation's name, as in https://api.asgardeo.io/t/<org>",
            ),
            ("region", "us (default) or eu"),
        ],
        regions: &[("us", "api.asgardeo.io"), ("eu", "api.eu.asgardeo.io")],
        token_headers: &[],
        service_key: false,
        paging: &[("", PageStyle::Scim)],
    },
    Preset {
        name: "sap-btp",
        title: "SAP BTP (xsuaa service keys, e.g. the Cloud Management service)",
        token_url: "",
        api_base: "",
        client_auth: ClientAuthMethod::Basic,
        scope: None,
        keys: &[
            (
                "service_key",
                "the path of the service key JSON downloaded from SAP BTP",
            ),
            (
                "api",
                "which `endpoints` entry of the service key is the API base (default accounts_service_url)",
            ),
            (
                "client_secret_from",
                "\"service_key\" to read the secret from the key file when the keyring has none",
            ),
        ],
        regions: &[],
        token_headers: &[],
        service_key: true,
        paging: &[("", PageStyle::PageNumber)],
    },
];

impl Preset {
    /// The host for `region` (the default region when `None`), or an error listing the regions.
    pub fn host(&self, region: Option<&str>) -> Result<Option<&'static str>, String> {
        let Some(first) = self.regions.first() else {
            return Ok(None);
        };
        match region {
            None => Ok(Some(first.1)),
            Some(r) => self
                .regions
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(r))
                .map(|(_, host)| Some(*host))
                .ok_or_else(|| {
                    let names: Vec<&str> = self.regions.iter().map(|(n, _)| *n).collect();
                    format!(
                        "unknown region `{r}` for provider {}; regions: {}",
                        self.name,
                        names.join(", ")
                    )
                }),
        }
    }
}

impl Preset {
    /// How the list at `path` (under `api_base`) pages, if the preset knows.
    pub fn paging_for(&self, path: &str) -> Option<PageStyle> {
        self.paging
            .iter()
            .find(|(prefix, _)| path.starts_with(prefix))
            .map(|(_, style)| *style)
    }
}

pub fn find(name: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name)
}

pub fn names() -> Vec<&'static str> {
    PRESETS.iter().map(|p| p.name).collect()
}

/// Fills `{key}` placeholders from `lookup`; the first key it cannot fill is the error.
pub fn fill(template: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map(|e| start + e)
            .unwrap_or(rest.len());
        let key = &rest[start + 1..end];
        out.push_str(&lookup(key).ok_or_else(|| key.to_string())?);
        rest = rest.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_placeholder() {
        let got = fill("tsg_id:{tsg_id}/{x}", |k| Some(k.to_uppercase()));
        assert_eq!(got.unwrap(), "tsg_id:TSG_ID/X");
    }

    #[test]
    fn paging_by_path_where_one_host_serves_several_apis() {
        let scm = find("scm").unwrap();
        assert_eq!(
            scm.paging_for("/iot/pub/v1/device/list"),
            Some(PageStyle::OffsetPagelength)
        );
        assert_eq!(
            scm.paging_for("/config/security/v1/security-rules"),
            Some(PageStyle::OffsetLimit)
        );
        assert_eq!(
            find("asgardeo").unwrap().paging_for("/scim2/Users"),
            Some(PageStyle::Scim)
        );
        assert_eq!(
            find("sap-btp")
                .unwrap()
                .paging_for("/cloud-management/v1/events"),
            Some(PageStyle::PageNumber)
        );
        assert_eq!(
            find("saas-security")
                .unwrap()
                .paging_for("/incident/api/incidents/delta"),
            Some(PageStyle::NextPath)
        );
    }

    #[test]
    fn fill_names_the_missing_key() {
        assert_eq!(fill("a{tsg_id}", |_| None).unwrap_err(), "tsg_id");
    }
}
