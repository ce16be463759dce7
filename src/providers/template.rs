//! URL and scope templates: `https://{host}/t/{org}/oauth2/token`, `tsg_id:{tsg_id}`. A provider
//! fills the `{placeholders}` from the profile's own keys, and a region name picks the `{host}`.

use anyhow::{Result, anyhow};

use super::{Input, MissingKey, Provider};

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

/// [`fill`] for the profile's `what` (`token_url`, `scope`...), with an error that names the key
/// the template needs, what that key is, and that setting `what` yourself does without it.
pub fn fill_for(
    input: &Input,
    provider: &Provider,
    what: &str,
    template: &str,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<String> {
    fill(template, lookup).map_err(|missing| {
        let help = provider.key_help(&missing);
        let why = help.map(|why| format!(" ({why})")).unwrap_or_default();
        anyhow::Error::new(MissingKey {
            message: format!(
                "profile {}: provider {} needs `{missing}`{why} to build {what}, or set `{what}` yourself",
                input.profile, provider.name
            ),
            key: missing,
            what: help,
        })
    })
}

/// Refuses a value that goes into a URL's host or path as one piece (`domain`, `tenant`, `realm`)
/// and could change which host or path the URL names: empty, or with `/`, `@`, `?`, `#`, `\`,
/// `%`, a space or a control character.
pub fn check_host_part(input: &Input, provider: &Provider, key: &str, value: &str) -> Result<()> {
    let bad = value.is_empty()
        || value.chars().any(|c| {
            matches!(c, '/' | '@' | '?' | '#' | '\\' | '%') || c.is_whitespace() || c.is_control()
        });
    if bad {
        let why = provider.key_help(key).unwrap_or("");
        return Err(anyhow!(
            "profile {}: {key} {} is not one (provider {}: {why})",
            input.profile,
            toml::Value::String(value.to_string()),
            provider.name
        ));
    }
    Ok(())
}

/// The host for `region` in `regions` (the first entry when `None`), or an error listing the
/// regions.
pub fn region_host(
    input: &Input,
    provider: &Provider,
    regions: &[(&str, &'static str)],
    region: Option<&str>,
) -> Result<&'static str> {
    let Some(region) = region else {
        return Ok(regions[0].1);
    };
    regions
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(region))
        .map(|(_, host)| *host)
        .ok_or_else(|| {
            let names: Vec<&str> = regions.iter().map(|(n, _)| *n).collect();
            anyhow!(
                "profile {}: unknown region `{region}` for provider {}; regions: {}",
                input.profile,
                provider.name,
                names.join(", ")
            )
        })
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
