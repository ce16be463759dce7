//! The keys a profile may set: the common ones, listed once here with what each means (the
//! unknown-key check and `oauthctl man` both read this table), and each provider's own (in
//! `providers/`). An unknown key is an error that names its line and the nearest valid key.

use std::collections::BTreeMap;

use toml::Spanned;

use crate::providers::{self, Provider};

/// Keys every profile may set, with what each means. These names are public interface: keep them.
pub const COMMON_KEYS: &[(&str, &str)] = &[
    (
        "provider",
        "a provider that fills in the rest: scm, saas-security, asgardeo, sap-btp, entra, okta, keycloak, auth0 or oidc",
    ),
    (
        "token_url",
        "the token endpoint; https:// (plain http:// only for loopback hosts)",
    ),
    ("api_base", "base URL of the API"),
    ("client_id", "the OAuth client id (service account)"),
    (
        "client_auth",
        "how the client authenticates: \"basic\" (default; HTTP Basic, the id and secret form-urlencoded, or as typed when the server refuses those), \"post\" (form fields), \"json\" (a JSON body), \"tls_client_auth\" (mutual TLS with client_cert and client_key, no secret; RFC 8705), \"private_key_jwt\" (an assertion signed with the client's private key, from the keyring or client_key; RFC 7523), \"client_secret_jwt\" (an assertion signed with the client secret, HS256), \"none\" (a public client: client_id alone, no secret read; for grant = \"authorization_code\")",
    ),
    ("scope", "a string, or a list of strings joined with spaces"),
    (
        "extra_params",
        "a table of fields added to the token request body, e.g. resource, audience",
    ),
    (
        "client_secret_env",
        "read the client secret from this environment variable",
    ),
    (
        "client_secret_command",
        "run this shell command; the first line of its stdout is the client secret",
    ),
    ("headers", "a table of headers sent with every API call"),
    (
        "ca_file",
        "PEM file of extra trusted root certificates (TLS-inspecting proxies)",
    ),
    (
        "min_ttl",
        "seconds a cached token must still be valid to be reused (default 60)",
    ),
    (
        "grant",
        "\"client_credentials\" (default), \"password\" (a user's name and password), \"authorization_code\" (a person signs in in a browser, with PKCE; see oauthctl login) or \"device_code\" (a person signs in in a browser, anywhere, with a code oauthctl shows; RFC 8628)",
    ),
    (
        "device_authorization_url",
        "the device authorization endpoint, for grant = \"device_code\"; https:// as token_url",
    ),
    (
        "username",
        "the user, for grant = \"password\"; tokens are cached per user",
    ),
    (
        "password_env",
        "read the user's password from this environment variable (else the keyring, else a prompt on a terminal)",
    ),
    (
        "client_cert",
        "PEM file of a client certificate, for token endpoints that want mutual TLS; with client_key. With private_key_jwt: the certificate whose SHA-256 thumbprint names the key in the assertion's header (x5t#S256), as Microsoft Entra ID wants",
    ),
    (
        "client_key",
        "PEM file of the client certificate's private key; with private_key_jwt, of the key that signs the assertions (else the keyring holds it: oauthctl secret set --key-file)",
    ),
    (
        "client_key_id",
        "the kid put in the client assertion's header (private_key_jwt, client_secret_jwt), for servers that hold several of the client's keys",
    ),
    (
        "client_assertion_alg",
        "the client assertion's algorithm: RS256 (default for an RSA key), RS384, RS512, PS256, PS384, PS512, ES256 (default for a P-256 key), ES384 (P-384), EdDSA; HS256 (default), HS384 or HS512 with client_secret_jwt",
    ),
    (
        "client_assertion_audience",
        "the client assertion's aud: \"token_endpoint\" (default: token_url), \"issuer\" (the profile's issuer), or the URL the server wants instead",
    ),
    (
        "allowed_origins",
        "a list of origins (\"https://host[:port]\") besides api_base's to which call may send the token",
    ),
    (
        "paging",
        "how call --paginate pages this profile's lists: offset-limit, offset-pagelength, scim, page-number or next-path (default: the provider's)",
    ),
    (
        "parallel",
        "how many pages call --paginate fetches at once, 1 to 32, once the first page tells the list's length (default: the provider's, else 1)",
    ),
    (
        "rate",
        "the most requests call --paginate sends: \"N/s\" or \"N/min\", or \"none\" (default: the provider's for the path, else none)",
    ),
    (
        "authorization_url",
        "the authorization endpoint, for grant = \"authorization_code\"; https:// (plain http:// only for loopback hosts)",
    ),
    (
        "redirect_port",
        "the loopback port the browser is sent back to, http://127.0.0.1:PORT/callback, for servers that register the redirect URI exactly (default: a free port)",
    ),
    (
        "redirect_uri",
        "the whole redirect URI, an http:// URL on 127.0.0.1, localhost or [::1] with a port, when the server registered one exactly; oauthctl listens on its port and path",
    ),
    (
        "revocation_url",
        "the revocation endpoint (RFC 7009), where oauthctl logout revokes the refresh and access tokens",
    ),
    (
        "issuer",
        "the authorization server's issuer (https://...): without token_url, the endpoints come from its metadata (RFC 8414, OpenID Connect Discovery), cached for a day",
    ),
    (
        "refresh_token_store",
        "where a sign-in's refresh token is kept: \"keyring\" (default; the OS keyring) or \"file\" (a 0600 file in the cache folder, for machines without a keyring)",
    ),
    (
        "dpop",
        "true: sender-constrained tokens (DPoP, RFC 9449): a key pair of the client's signs a proof for each token request and each API request, and a DPoP-bound token is sent as Authorization: DPoP",
    ),
    (
        "dpop_key_store",
        "where the DPoP private key is kept: \"keyring\" (default; the OS keyring) or \"file\" (a 0600 file in the cache folder, for machines without a keyring)",
    ),
    (
        "extends",
        "the name of another profile in the file whose keys are this one's base; the profile's own keys replace the base's",
    ),
];

pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The provider a profile's own `provider` key names, if it has one; an unknown one is an error
/// naming its line.
pub fn named_provider(
    text: &str,
    profile: &str,
    table: &BTreeMap<Spanned<String>, toml::Value>,
) -> Result<Option<&'static Provider>, String> {
    let Some((key, value)) = table.iter().find(|(k, _)| k.get_ref() == "provider") else {
        return Ok(None);
    };
    let Some(name) = value.as_str() else {
        // Its type is reported with the other keys' types.
        return Ok(None);
    };
    find_provider(name).map(Some).map_err(|why| {
        format!(
            "line {}: profile {profile} {why}",
            line_of(text, key.span().start)
        )
    })
}

/// The provider called `name`, or what to say about it: "names an unknown provider ...".
pub fn find_provider(name: &str) -> Result<&'static Provider, String> {
    providers::find(name).ok_or_else(|| {
        let known: Vec<String> = providers::PROVIDERS
            .iter()
            .map(|p| format!("{} ({})", p.name, p.title))
            .collect();
        format!(
            "names an unknown provider `{name}`; known providers: {}",
            known.join(", ")
        )
    })
}

/// Rejects keys the profile's provider does not know, naming the line and the nearest valid key.
/// The provider is the one the profile names, else `inherited` (its `extends` chain's). Returns
/// that provider, once the keys are checked.
pub fn check_keys(
    text: &str,
    profile: &str,
    table: &BTreeMap<Spanned<String>, toml::Value>,
    inherited: Option<&'static Provider>,
) -> Result<Option<&'static Provider>, String> {
    let provider = named_provider(text, profile, table)?.or(inherited);
    for key in table.keys() {
        check_key(profile, key.get_ref(), provider)
            .map_err(|why| format!("line {}: {why}", line_of(text, key.span().start)))?;
    }
    Ok(provider)
}

/// Whether a profile of `provider` may set `key`: a common key or the provider's own. Else what to
/// say, with the nearest valid key, as written for the file, `--set` and the environment alike.
pub fn check_key(profile: &str, key: &str, provider: Option<&Provider>) -> Result<(), String> {
    let common = COMMON_KEYS.iter().map(|(k, _)| *k);
    let own: Vec<&str> = provider
        .map(|p| p.keys.iter().map(|(k, _)| *k).collect())
        .unwrap_or_default();
    if common.clone().any(|c| c == key) || own.contains(&key) {
        return Ok(());
    }
    if let Some(owner) = providers::PROVIDERS
        .iter()
        .find(|p| p.keys.iter().any(|(pk, _)| *pk == key))
    {
        return Err(format!(
            "profile {profile} sets `{key}`, which only provider = \"{}\" uses",
            owner.name
        ));
    }
    let valid: Vec<&str> = common.chain(own.iter().copied()).collect();
    let nearest = valid
        .iter()
        .map(|v| (strsim::jaro_winkler(key, v), *v))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let hint = match nearest {
        Some((_, v)) => format!("; did you mean `{v}`?"),
        None => format!(". Valid keys: {}", valid.join(", ")),
    };
    Err(format!(
        "profile {profile} has an unknown key `{key}`{hint}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's table of profile keys lists the same keys as the code, common and providers'.
    #[test]
    fn the_readme_lists_every_profile_key() {
        let readme = include_str!("../../README.md");
        let start = readme
            .find("| key | meaning |")
            .expect("the README has its table of profile keys");
        let listed: Vec<String> = readme[start..]
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .flat_map(|line| {
                let first = line.split('|').nth(1).unwrap_or("");
                first
                    .split(',')
                    .map(|k| k.trim().trim_matches('`').to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        let mut known: Vec<String> = COMMON_KEYS.iter().map(|(k, _)| k.to_string()).collect();
        for provider in providers::PROVIDERS {
            for (key, _) in provider.keys {
                if !known.iter().any(|k| k == key) {
                    known.push(key.to_string());
                }
            }
        }
        let mut listed_sorted = listed.clone();
        listed_sorted.sort();
        known.sort();
        assert_eq!(listed_sorted, known);
    }
}
