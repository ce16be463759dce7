//! Provider presets: tables of defaults that a profile names with `provider = "..."`.
//!
//! A preset is data, not a branch in the code: its URLs are templates whose `{placeholders}` are
//! filled from the profile's own keys (the preset's `keys`), and a key the profile sets itself
//! always wins over what the preset fills in. Wire facts come from ../shared/providers.md.

use crate::profile::ClientAuth;

/// Defaults for one vendor's token endpoint and API.
#[derive(Debug)]
pub struct Preset {
    /// The value of `provider` that selects it.
    pub name: &'static str,
    /// Shown in `profiles` listings and errors.
    pub title: &'static str,
    /// Token endpoint, a template.
    pub token_url: &'static str,
    /// API base URL, a template.
    pub api_base: &'static str,
    pub client_auth: ClientAuth,
    /// Default scope, a template; `None` sends no scope.
    pub scope: Option<&'static str>,
    /// Profile keys that only this preset accepts, with what each is for (for error messages).
    pub keys: &'static [(&'static str, &'static str)],
    /// Extra headers on the token request (some vendors document a charset or Accept).
    pub token_headers: &'static [(&'static str, &'static str)],
}

/// Every preset oauthctl knows.
pub static PRESETS: &[Preset] = &[Preset {
    name: "scm",
    title: "Palo Alto Networks Strata Cloud Manager and IoT Security",
    token_url: "https://auth.apps.paloaltonetworks.com/oauth2/access_token",
    api_base: "https://api.strata.paloaltonetworks.com",
    client_auth: ClientAuth::Basic,
    scope: Some("tsg_id:{tsg_id}"),
    keys: &[("tsg_id", "your Tenant Service Group id")],
    token_headers: &[],
}];

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
    fn fill_names_the_missing_key() {
        assert_eq!(fill("a{tsg_id}", |_| None).unwrap_err(), "tsg_id");
    }
}
