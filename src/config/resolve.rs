//! A profile as written, and its provider's defaults, made into one checked [`Profile`]: every key
//! the profile sets itself wins over what its provider fills in, every URL is checked (https, or
//! plain http on a loopback host, because secrets and tokens go there), and the grant and client
//! authentication are built with exactly what each needs.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use url::Url;

use super::profile::{DEFAULT_MIN_TTL, MAX_PARALLEL, Profile, Undiscovered};
use super::raw::{RawProfile, StringOrList};
use crate::fsutil::path_in_file;
use crate::http::rate::RateLimit;
use crate::http::target::{host_with_port, is_loopback};
use crate::oauth::TokenRequest;
use crate::oauth::client_auth::{
    Audience, ClientAuth, ClientAuthMethod, ClientCert, Pem, PrivateKey, SecretJwt, SigningKey,
    client_secret_jwt, private_key_jwt,
};
use crate::oauth::discovery::{Discover, Metadata, Need};
use crate::oauth::grant::authorization_code::check_redirect_uri;
use crate::oauth::grant::{
    AuthorizationCode, DeviceCode, Grant, GrantType, PasswordGrant, Redirect, User,
};
use crate::providers::{self, Defaults, Input, KeyTable, MissingKey};
use crate::secret::{
    CLIENT_SECRET_VAR, HandedSecret, PASSWORD_VAR, SecretKind, SecretSource, handed_secret,
};

/// Resolves profile `name` of the file in folder `dir`: its provider's defaults (worked out from
/// `keys`, the profile's table), then the profile's own keys over them. The profile from the
/// environment (`from_env`) takes its secrets from the variables handed to oauthctl at start.
///
/// A profile with an `issuer` and no token endpoint (its own or its provider's) takes its
/// endpoints from the issuer's metadata, which `discover` hands over: from the cache, the
/// network, or not at all. Without it the profile is checked all the same, and the answer is
/// [`Undiscovered`]: resolution itself never touches the network.
pub fn resolve(
    name: &str,
    raw: &RawProfile,
    keys: KeyTable,
    dir: &Path,
    from_env: bool,
    discover: &dyn Discover,
) -> Result<Profile> {
    let provider = raw.provider.as_deref().and_then(providers::find);
    let defaults = match provider {
        Some(p) => (p.defaults)(&Input {
            profile: name,
            dir,
            keys,
        })?,
        None => Defaults::default(),
    };
    let Defaults {
        token_url: default_token_url,
        device_authorization_url: default_device_authorization_url,
        api_base: default_api_base,
        client_id: default_client_id,
        scope: default_scope,
        client_auth: default_client_auth,
        grant: default_grant,
        client_cert: default_client_cert,
        allowed_origins: provider_origins,
        secret_file,
        token_headers,
        authorization_url: default_authorization_url,
        revocation_url: default_revocation_url,
        extra_params: default_extra_params,
    } = defaults;

    let issuer = raw
        .issuer
        .as_deref()
        .map(|value| {
            let url = parse_url(name, "issuer", value)?;
            check_https(name, "issuer", &url)?;
            Ok::<_, anyhow::Error>(url)
        })
        .transpose()?;
    // Discovery only where the token endpoint is known from nowhere else: a profile that writes
    // its endpoints (or whose provider knows them) sends nothing to the issuer.
    let need = match (&issuer, &raw.token_url, &default_token_url) {
        (Some(_), None, None) => Some(Need {
            profile: name.to_string(),
            issuer: raw.issuer.clone().unwrap_or_default(),
            ca_file: raw.ca_file.as_ref().map(|p| path_in_file(dir, p)),
        }),
        _ => None,
    };
    let metadata = match &need {
        Some(need) => discover.metadata(need)?,
        None => None,
    };
    let found = Found {
        profile: name,
        metadata: metadata.as_ref(),
    };
    let mut discovered: Vec<&'static str> = Vec::new();

    let token_url = match (&raw.token_url, default_token_url, &need) {
        (Some(url), _, _) => url.clone(),
        (None, Some(url), _) => url?,
        (None, None, Some(need)) => match &metadata {
            Some(metadata) => {
                discovered.push("token_url");
                found.required("token_endpoint", metadata.token_endpoint.as_deref())?
            }
            // Checked on with the issuer standing in for the endpoint (so that a profile that is
            // wrong otherwise says so now); [`Undiscovered`] is the answer at the end.
            None => need.issuer.clone(),
        },
        (None, None, None) => {
            return Err(MissingKey {
                key: "token_url".into(),
                what: Some("the token endpoint, or a provider that knows it"),
                message: format!(
                    "profile {name} has no token_url\nhint: set token_url, or provider = one of {}",
                    providers::names().join(", ")
                ),
            }
            .into());
        }
    };
    let token_url = found.url("token_url", "token_endpoint", &discovered, &token_url)?;

    let api_base = match (&raw.api_base, default_api_base) {
        (Some(url), _) => Some(url.clone()),
        (None, default) => default.transpose()?,
    };
    let api_base = api_base
        .map(|u| parse_url(name, "api_base", &u))
        .transpose()?;

    let mut allowed_origins = raw
        .allowed_origins
        .iter()
        .flatten()
        .map(|value| parse_origin(name, value))
        .collect::<Result<Vec<_>>>()?;
    // A key's endpoints often share a host (and may repeat the profile's own entries): each
    // origin once, first place kept.
    for origin in provider_origins {
        if !allowed_origins
            .iter()
            .any(|known| known.origin() == origin.origin())
        {
            allowed_origins.push(origin);
        }
    }

    let client_id = raw
        .client_id
        .clone()
        .or(default_client_id)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| MissingKey {
            key: "client_id".into(),
            what: Some("the service account's client id"),
            message: format!("profile {name} has no client_id\nhint: add client_id = \"...\" (the service account's client id) to [profiles.{name}]"),
        })?;

    let scope = match (&raw.scope, default_scope) {
        (Some(StringOrList::One(s)), _) => Some(s.clone()),
        (Some(StringOrList::Many(list)), _) => Some(list.join(" ")),
        (None, default) => default.transpose()?,
    }
    .filter(|s| !s.is_empty());

    let method = match (raw.client_auth.or(default_client_auth), &metadata) {
        (Some(method), _) => method,
        // RFC 8414 §2: a server that lists its methods may not take HTTP Basic; then the form
        // fields, where it takes those.
        (None, Some(metadata))
            if !metadata.takes_auth_method("client_secret_basic")
                && metadata.takes_auth_method("client_secret_post") =>
        {
            discovered.push("client_auth");
            ClientAuthMethod::Post
        }
        (None, _) => ClientAuthMethod::Basic,
    };
    let grant_type = raw
        .grant
        .or(default_grant)
        .unwrap_or(GrantType::ClientCredentials);

    let token_host = host_with_port(&token_url);
    // The client secret, or the X.509 private key of mutual TLS, which is stored as one.
    let (handed, env) = secret_vars(from_env, CLIENT_SECRET_VAR, &raw.client_secret_env);
    let credential = SecretSource {
        kind: SecretKind::ClientCredential,
        handed,
        env,
        command: raw.client_secret_command.clone(),
        keyring_account: format!("{client_id}@{token_host}"),
        file: secret_file,
        given: None,
    };
    let assertion = assertion_keys(name, raw, method)?;
    let client_cert = match (&raw.client_cert, &raw.client_key, default_client_cert) {
        // With private_key_jwt the key signs assertions, and a certificate only names it.
        _ if method == ClientAuthMethod::PrivateKeyJwt => None,
        (Some(cert), Some(key), _) => Some(ClientCert {
            cert: Pem::File(path_in_file(dir, cert)),
            key: PrivateKey::File(path_in_file(dir, key)),
        }),
        (Some(_), None, _) | (None, Some(_), _) => bail!(
            "profile {name}: client_cert and client_key go together (PEM files of the certificate and its private key)"
        ),
        (None, None, Some(pem)) => Some(ClientCert {
            cert: Pem::Inline(pem),
            key: PrivateKey::Stored(credential.clone()),
        }),
        (None, None, None) => None,
    };
    let (client_auth, client_cert) = match (method, client_cert) {
        (ClientAuthMethod::TlsClientAuth, Some(cert)) => (ClientAuth::TlsClientAuth(cert), None),
        (ClientAuthMethod::TlsClientAuth, None) => bail!(
            "profile {name}: client_auth = \"tls_client_auth\" needs client_cert and client_key"
        ),
        (ClientAuthMethod::Basic, cert) => (ClientAuth::Basic(credential), cert),
        (ClientAuthMethod::Post, cert) => (ClientAuth::Post(credential), cert),
        (ClientAuthMethod::Json, cert) => (ClientAuth::Json(credential), cert),
        (ClientAuthMethod::PrivateKeyJwt, _) => {
            let (alg, key_id, audience) = assertion;
            let key = match &raw.client_key {
                Some(path) => PrivateKey::File(path_in_file(dir, path)),
                None => PrivateKey::Stored(SecretSource {
                    kind: SecretKind::ClientKey,
                    handed: None,
                    env: None,
                    command: None,
                    keyring_account: credential.keyring_account.clone(),
                    file: None,
                    given: None,
                }),
            };
            let cert = raw.client_cert.as_ref().map(|p| path_in_file(dir, p));
            (
                ClientAuth::PrivateKeyJwt(SigningKey {
                    key,
                    alg,
                    key_id,
                    cert,
                    audience,
                }),
                None,
            )
        }
        (ClientAuthMethod::ClientSecretJwt, cert) => {
            let (alg, key_id, audience) = assertion;
            (
                ClientAuth::ClientSecretJwt(SecretJwt {
                    secret: credential,
                    alg: alg.unwrap_or(jsonwebtoken::Algorithm::HS256),
                    key_id,
                    audience,
                }),
                cert,
            )
        }
        (ClientAuthMethod::None, _) if grant_type == GrantType::ClientCredentials => bail!(
            "profile {name}: client_auth = \"none\" is for a public client, in which a person signs in (grant = \"authorization_code\"); the client credentials grant needs the client's own credentials (RFC 6749 §4.4)"
        ),
        (ClientAuthMethod::None, cert) => (ClientAuth::None, cert),
    };

    // Without a username the profile still resolves (an imported SAP key before its user is
    // added must list and show); a token request says what is missing (`Grant::require_user`).
    let username = raw.username.clone().filter(|u| !u.is_empty());
    let (password_handed, password_env) = secret_vars(from_env, PASSWORD_VAR, &raw.password_env);
    let grant = match grant_type {
        GrantType::ClientCredentials => Grant::ClientCredentials,
        GrantType::AuthorizationCode => {
            let url = match (&raw.authorization_url, default_authorization_url, &metadata) {
                (Some(url), _, _) => Some(url.clone()),
                (None, Some(url), _) => Some(url?),
                (None, None, Some(metadata)) => {
                    discovered.push("authorization_url");
                    Some(found.required(
                        "authorization_endpoint",
                        metadata.authorization_endpoint.as_deref(),
                    )?)
                }
                (None, None, None) => need.as_ref().map(|need| need.issuer.clone()),
            };
            Grant::AuthorizationCode(authorization_code(name, raw, url, &found, &discovered)?)
        }
        GrantType::DeviceCode => {
            let url = match (
                &raw.device_authorization_url,
                default_device_authorization_url,
                &metadata,
            ) {
                (Some(url), _, _) => url.clone(),
                (None, Some(url), _) => url?,
                (None, None, Some(metadata)) => {
                    discovered.push("device_authorization_url");
                    found.required(
                        "device_authorization_endpoint",
                        metadata.device_authorization_endpoint.as_deref(),
                    )?
                }
                (None, None, None) if need.is_some() => {
                    need.as_ref().map(|n| n.issuer.clone()).unwrap_or_default()
                }
                (None, None, None) => {
                    return Err(MissingKey {
                        key: "device_authorization_url".into(),
                        what: Some("the device authorization endpoint"),
                        message: format!(
                            "profile {name} uses grant = \"device_code\" but has no device_authorization_url\nhint: add device_authorization_url = \"https://...\" (the authorization server's device authorization endpoint, RFC 8628 §3.1) to [profiles.{name}]"
                        ),
                    }
                    .into());
                }
            };
            let url = found.url(
                "device_authorization_url",
                "device_authorization_endpoint",
                &discovered,
                &url,
            )?;
            Grant::DeviceCode(DeviceCode {
                device_authorization_url: url,
            })
        }
        GrantType::Password => Grant::Password(PasswordGrant {
            user: username.map(|user| User {
                password: SecretSource {
                    kind: SecretKind::Password,
                    handed: password_handed,
                    env: password_env,
                    command: None,
                    keyring_account: format!("{user}@{token_host}"),
                    file: None,
                    given: None,
                },
                name: user,
            }),
        }),
    };
    let parallel = match raw.parallel {
        Some(n) if (1..=MAX_PARALLEL as u64).contains(&n) => Some(n as usize),
        Some(n) => bail!(
            "profile {name}: parallel = {n}: give how many pages to fetch at once, from 1 to {MAX_PARALLEL}"
        ),
        None => None,
    };
    let rate = raw
        .rate
        .as_deref()
        .map(|text| RateLimit::parse(text).map_err(|why| anyhow!("profile {name}: rate {why}")))
        .transpose()?;
    let revocation_url = match (&raw.revocation_url, default_revocation_url, &metadata) {
        (Some(url), _, _) => Some(url.clone()),
        (None, Some(url), _) => Some(url?),
        (None, None, Some(metadata)) => {
            let url = metadata.revocation_endpoint.clone();
            if url.is_some() {
                discovered.push("revocation_url");
            }
            url
        }
        (None, None, None) => None,
    };
    let revocation_url = revocation_url
        .map(|value| found.url("revocation_url", "revocation_endpoint", &discovered, &value))
        .transpose()?;
    let dpop = match (raw.dpop, raw.dpop_key_store) {
        (Some(true), store) => Some(store.unwrap_or_default()),
        (_, Some(_)) => bail!(
            "profile {name}: dpop_key_store says where a DPoP key is kept, and the profile does not use DPoP\nhint: set dpop = true, or remove dpop_key_store"
        ),
        _ => None,
    };
    if let (Some(need), None) = (need, &metadata) {
        return Err(Undiscovered { need }.into());
    }
    // The provider's extra parameters (Auth0's audience), each under the profile's own.
    let mut extra_params: std::collections::BTreeMap<String, String> =
        default_extra_params.into_iter().collect();
    extra_params.extend(
        raw.extra_params
            .iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.0.clone())),
    );
    Ok(Profile {
        name: name.to_string(),
        provider,
        token_request: TokenRequest {
            url: token_url,
            client_id,
            client_auth,
            client_cert,
            grant,
            scope,
            extra_params,
            headers: token_headers,
        },
        api_base,
        headers: raw.headers.clone().unwrap_or_default(),
        allowed_origins,
        ca_file: raw.ca_file.as_ref().map(|p| path_in_file(dir, p)),
        min_ttl: raw.min_ttl.unwrap_or(DEFAULT_MIN_TTL),
        paging: raw.paging,
        parallel,
        rate,
        revocation_url,
        refresh_token_store: raw.refresh_token_store.unwrap_or_default(),
        dpop,
        keys: Default::default(),
        issuer: raw.issuer.clone(),
        discovered,
    })
}

/// The client assertion's keys (`client_assertion_alg`, `client_key_id`,
/// `client_assertion_audience`), for private_key_jwt and client_secret_jwt; an error for any
/// other `client_auth`, which sends no assertion.
fn assertion_keys(
    name: &str,
    raw: &RawProfile,
    method: ClientAuthMethod,
) -> Result<(Option<jsonwebtoken::Algorithm>, Option<String>, Audience)> {
    use jsonwebtoken::Algorithm;
    let signs = matches!(
        method,
        ClientAuthMethod::PrivateKeyJwt | ClientAuthMethod::ClientSecretJwt
    );
    if !signs {
        let set = [
            ("client_assertion_alg", raw.client_assertion_alg.is_some()),
            ("client_key_id", raw.client_key_id.is_some()),
            (
                "client_assertion_audience",
                raw.client_assertion_audience.is_some(),
            ),
        ];
        if let Some((key, _)) = set.iter().find(|(_, set)| *set) {
            bail!(
                "profile {name}: {key} is for a client that signs assertions, and client_auth is \"{method}\"\nhint: set client_auth = \"private_key_jwt\" (or \"client_secret_jwt\"), or remove {key}"
            );
        }
        return Ok((None, None, Audience::TokenEndpoint));
    }
    let alg = match raw.client_assertion_alg.as_deref() {
        None => None,
        Some(value) => {
            let (hmac, list) = match method {
                ClientAuthMethod::ClientSecretJwt => (true, client_secret_jwt::ALGORITHMS),
                _ => (false, private_key_jwt::ALGORITHMS),
            };
            match private_key_jwt::parse_alg(value) {
                Some(alg)
                    if hmac
                        == matches!(
                            alg,
                            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512
                        ) =>
                {
                    Some(alg)
                }
                _ => bail!(
                    "profile {name}: client_assertion_alg = \"{value}\" is not one client_auth = \"{method}\" signs with\nhint: give one of {list}"
                ),
            }
        }
    };
    let audience = match raw.client_assertion_audience.as_deref() {
        None | Some("token_endpoint") => Audience::TokenEndpoint,
        // The issuer, as draft-ietf-oauth-rfc7523bis wants the audience to be.
        Some("issuer") => match raw.issuer.as_deref() {
            Some(issuer) => Audience::Url(issuer.to_string()),
            None => bail!(
                "profile {name}: client_assertion_audience = \"issuer\" and the profile names no issuer\nhint: add issuer = \"https://...\", or give the audience's URL"
            ),
        },
        Some(value) => {
            parse_url(name, "client_assertion_audience", value).map_err(|err| {
                anyhow!("{err:#}\nhint: give \"token_endpoint\" (the default), \"issuer\", or the URL the server wants as the assertion's aud")
            })?;
            Audience::Url(value.to_string())
        }
    };
    let key_id = raw.client_key_id.clone().filter(|id| !id.is_empty());
    Ok((alg, key_id, audience))
}

/// The issuer's metadata, when the profile has it, and how its URLs are checked: as the keys
/// they stand for, with messages that say where they came from.
struct Found<'a> {
    profile: &'a str,
    metadata: Option<&'a Metadata>,
}

impl Found<'_> {
    /// The metadata's `field`, which the profile needs: missing, it is an error that says which
    /// key to write instead.
    fn required(&self, field: &str, value: Option<&str>) -> Result<String> {
        let issuer = self.metadata.map(|m| m.issuer.as_str()).unwrap_or("");
        value.map(str::to_string).ok_or_else(|| {
            anyhow!(
                "profile {}: the metadata of issuer {issuer} has no {field}\nhint: write the endpoint in the profile yourself",
                self.profile
            )
        })
    }

    /// `value` as the URL of `key`, checked as a typed one is (https, or http on a loopback
    /// host); one discovered (`key` in `discovered`) is named by its metadata `field`.
    fn url(&self, key: &str, field: &str, discovered: &[&str], value: &str) -> Result<Url> {
        let shown = match self.metadata {
            Some(metadata) if discovered.contains(&key) => {
                format!("{key} ({field} discovered from {})", metadata.issuer)
            }
            _ => key.to_string(),
        };
        let url = parse_url(self.profile, &shown, value)?;
        check_https(self.profile, &shown, &url)?;
        Ok(url)
    }
}

/// The authorization code grant's keys: the authorization endpoint, and where the browser comes
/// back to (`redirect_port` or `redirect_uri`, not both).
fn authorization_code(
    name: &str,
    raw: &RawProfile,
    url: Option<String>,
    found: &Found,
    discovered: &[&str],
) -> Result<AuthorizationCode> {
    let Some(value) = &url else {
        return Err(MissingKey {
            key: "authorization_url".into(),
            what: Some("the authorization endpoint, where the person signs in"),
            message: format!(
                "profile {name} uses grant = \"authorization_code\" but has no authorization_url\nhint: add authorization_url = \"https://.../authorize\" (the server's authorization endpoint) to [profiles.{name}]"
            ),
        }
        .into());
    };
    let authorization_url = found.url(
        "authorization_url",
        "authorization_endpoint",
        discovered,
        value,
    )?;
    let redirect = match (raw.redirect_port, &raw.redirect_uri) {
        (Some(_), Some(_)) => bail!(
            "profile {name}: redirect_port and redirect_uri both say where the browser comes back to; keep one"
        ),
        (Some(0), None) => bail!(
            "profile {name}: redirect_port = 0: give the port the server registered, or leave redirect_port out for a free one"
        ),
        (port, None) => Redirect::Loopback { port },
        (None, Some(uri)) => Redirect::Exact(
            check_redirect_uri(uri).map_err(|why| anyhow!("profile {name}: redirect_uri {why}"))?,
        ),
    };
    Ok(AuthorizationCode {
        authorization_url,
        redirect,
    })
}

/// Where a secret's variable is read: the variable oauthctl took at start (`var`), for the profile
/// from the environment or a profile that names it in `client_secret_env` / `password_env` (it is
/// gone from the environment by then); else the variable the profile names, read when needed.
fn secret_vars(
    from_env: bool,
    var: &'static str,
    named: &Option<String>,
) -> (Option<&'static HandedSecret>, Option<String>) {
    if from_env || named.as_deref() == Some(var) {
        let env = named.clone().filter(|n| n != var);
        (Some(handed_secret(var)), env)
    } else {
        (None, named.clone())
    }
}

fn parse_url(profile: &str, key: &str, value: &str) -> Result<Url> {
    let url = Url::parse(value)
        .map_err(|err| anyhow!("profile {profile}: {key} `{value}` is not a URL: {err}"))?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        bail!("profile {profile}: {key} `{value}` must be an https:// URL");
    }
    Ok(url)
}

/// An `allowed_origins` entry: `scheme://host[:port]` and nothing more, so that nobody reads
/// `https://host/api` as allowing only a path (origins are what a browser would compare), and
/// https unless the host is loopback, because the token goes there.
fn parse_origin(profile: &str, value: &str) -> Result<Url> {
    let url = parse_url(profile, "allowed_origins entry", value)?;
    if !matches!(url.path(), "" | "/")
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        bail!(
            "profile {profile}: allowed_origins entry `{value}` is not an origin\nhint: write scheme://host[:port], e.g. \"{}\"",
            url.origin().ascii_serialization()
        );
    }
    check_https(profile, "allowed_origins entry", &url)?;
    Ok(url)
}

/// Tokens and secrets travel over TLS only; plain http is allowed for loopback test servers.
fn check_https(profile: &str, key: &str, url: &Url) -> Result<()> {
    if url.scheme() == "https" || is_loopback(url) {
        return Ok(());
    }
    bail!(
        "profile {profile}: {key} {url} is not https; oauthctl sends client secrets over TLS only (plain http is allowed for loopback hosts)"
    )
}
