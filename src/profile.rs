//! The profile file: TOML in, one resolved [`Profile`] out.
//!
//! The file is read in two passes. The first keeps every key's position, so that an unknown key
//! is reported with its line and the nearest valid key; the second deserializes the typed values,
//! so that a wrong type is reported by toml with line and column. Then the profile's preset (see
//! `preset.rs`) fills whatever the profile does not set itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Deserializer};
use toml::Spanned;
use url::Url;

use crate::http::target::{host_with_port, is_loopback};
use crate::oauth::TokenRequest;
use crate::oauth::client_auth::{ClientAuth, ClientAuthMethod, ClientCert, Pem, PrivateKey};
use crate::oauth::grant::{Grant, GrantType, PasswordGrant, User};
use crate::paging::PageStyle;
use crate::preset::{self, Preset};
use crate::secret::{SecretFile, SecretKind, SecretSource};
use crate::service_key;

/// Keys every profile may set. These names are public interface: keep them.
const COMMON_KEYS: &[&str] = &[
    "provider",
    "token_url",
    "api_base",
    "client_id",
    "client_auth",
    "scope",
    "extra_params",
    "client_secret_env",
    "client_secret_command",
    "headers",
    "ca_file",
    "min_ttl",
    "grant",
    "username",
    "password_env",
    "client_cert",
    "client_key",
    "allowed_origins",
    "paging",
];

/// Default seconds a cached token must still be valid to be reused (SDKs refresh 60 s early).
pub const DEFAULT_MIN_TTL: u64 = 60;

/// A profile after its preset is applied and every value is checked.
#[derive(Debug, Clone)]
pub struct Profile {
    /// The profile's name in the file.
    pub name: String,
    /// The preset it names, if any.
    pub preset: Option<&'static Preset>,
    /// What its token request sends, secrets as their sources.
    pub token_request: TokenRequest,
    /// Base URL for API calls.
    pub api_base: Option<Url>,
    /// Headers sent with every API call.
    pub headers: BTreeMap<String, String>,
    /// Origins besides `api_base`'s that `call` may send the token to, as `scheme://host[:port]`
    /// URLs: the profile's own `allowed_origins`, and those a preset adds (a service key's
    /// endpoints).
    pub allowed_origins: Vec<Url>,
    /// Extra trusted root certificates (PEM), for TLS-inspecting proxies.
    pub ca_file: Option<PathBuf>,
    /// Seconds a cached token must still be valid to be reused.
    pub min_ttl: u64,
    /// How `call --paginate` pages this profile's lists, when the profile says; else the
    /// preset's choice by path.
    pub paging: Option<PageStyle>,
}

impl Profile {
    /// The token endpoint's host, as used in messages and the keyring account.
    pub fn token_host(&self) -> String {
        self.token_request.host()
    }

    /// Refuses a profile that cannot ask for a token as it is (a password grant without a user);
    /// see `Grant::require_user`.
    pub fn require_user(&self) -> Result<()> {
        self.token_request.grant.require_user(&self.name)
    }
}

/// A string, or a list of strings joined with spaces (`scope`).
#[derive(Debug, Clone)]
enum StringOrList {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for StringOrList {
    // By hand: serde's untagged enum can only say "data did not match any variant".
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wrong = |found: &toml::Value| {
            serde::de::Error::custom(format!(
                "expected a string or a list of strings, found {}",
                found.type_str()
            ))
        };
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(StringOrList::One(s)),
            toml::Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    toml::Value::String(s) => Ok(s),
                    other => Err(wrong(&other)),
                })
                .collect::<Result<_, _>>()
                .map(StringOrList::Many),
            other => Err(wrong(&other)),
        }
    }
}

/// `client_secret_from`: where the secret comes from when the keyring has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SecretFrom {
    Keyring,
    ServiceKey,
}

/// A profile as written in the file.
#[derive(Debug, Clone, Default, Deserialize)]
struct RawProfile {
    provider: Option<String>,
    token_url: Option<String>,
    api_base: Option<String>,
    #[serde(default, deserialize_with = "opt_scalar")]
    client_id: Option<String>,
    client_auth: Option<ClientAuthMethod>,
    grant: Option<GrantType>,
    username: Option<String>,
    password_env: Option<String>,
    scope: Option<StringOrList>,
    extra_params: Option<BTreeMap<String, Scalar>>,
    client_secret_env: Option<String>,
    client_secret_command: Option<String>,
    headers: Option<BTreeMap<String, String>>,
    ca_file: Option<PathBuf>,
    client_cert: Option<PathBuf>,
    client_key: Option<PathBuf>,
    min_ttl: Option<u64>,
    allowed_origins: Option<Vec<String>>,
    paging: Option<PageStyle>,
    // Preset keys, see preset.rs.
    #[serde(default, deserialize_with = "opt_scalar")]
    tsg_id: Option<String>,
    region: Option<String>,
    org: Option<String>,
    service_key: Option<PathBuf>,
    api: Option<String>,
    client_secret_from: Option<SecretFrom>,
}

/// A TOML string, integer, float or boolean, kept as the string it stands for. Ids such as a TSG
/// id are numbers to people, who write them without quotes.
#[derive(Debug, Clone)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(Scalar(s)),
            toml::Value::Integer(i) => Ok(Scalar(i.to_string())),
            toml::Value::Float(f) => Ok(Scalar(f.to_string())),
            toml::Value::Boolean(b) => Ok(Scalar(b.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "expected a string or a number, found {}",
                other.type_str()
            ))),
        }
    }
}

fn opt_scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Some(Scalar::deserialize(d)?.0))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, RawProfile>,
}

/// Pass one: every key with its position.
#[derive(Debug, Deserialize)]
struct FileKeys {
    #[serde(default)]
    profiles: BTreeMap<String, BTreeMap<Spanned<String>, toml::Value>>,
}

/// The profile file, parsed.
#[derive(Debug)]
pub struct ProfileFile {
    pub path: PathBuf,
    doc: FileDoc,
    /// The keys each profile sets itself.
    keys: BTreeMap<String, Vec<String>>,
}

/// Where the profile file is, and why: `--config`/`$OAUTHCTL_CONFIG` (clap reads both), else the
/// platform's config folder.
pub fn default_path() -> Result<PathBuf> {
    let dir = dirs::config_dir().ok_or_else(|| {
        anyhow!("cannot find the config folder (is $HOME set?)\nhint: name the profile file with --config PATH or $OAUTHCTL_CONFIG")
    })?;
    Ok(dir.join("oauthctl").join("profiles.toml"))
}

impl ProfileFile {
    pub fn load(path: &Path) -> Result<ProfileFile> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => bail!(
                "no profile file at {}\nhint: copy profiles.example.toml there and edit it, or name another file with --config PATH",
                path.display()
            ),
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot read profile file {}", path.display()));
            }
        };
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<ProfileFile> {
        let shown = path.display();
        let keys: FileKeys = toml::from_str(text)
            .map_err(|err| anyhow!("{shown}: {}", plain_words(err.to_string().trim_end())))?;
        for (name, table) in &keys.profiles {
            check_keys(text, name, table).map_err(|msg| anyhow!("{shown}: {msg}"))?;
        }
        let doc: FileDoc = toml::from_str(text)
            .map_err(|err| anyhow!("{shown}: {}", plain_words(err.to_string().trim_end())))?;
        let keys = keys
            .profiles
            .iter()
            .map(|(name, table)| {
                let set = table.keys().map(|k| k.get_ref().clone()).collect();
                (name.clone(), set)
            })
            .collect();
        Ok(ProfileFile {
            path: path.to_path_buf(),
            doc,
            keys,
        })
    }

    /// Profile names in file order is lost by TOML tables; they are listed sorted.
    pub fn names(&self) -> Vec<&str> {
        self.doc.profiles.keys().map(String::as_str).collect()
    }

    /// Picks the profile: the one asked for, else `default_profile`, else the only one.
    pub fn select(&self, asked: Option<&str>) -> Result<Profile> {
        let name = match asked.or(self.doc.default_profile.as_deref()) {
            Some(name) => name.to_string(),
            None => match self.names().as_slice() {
                [only] => only.to_string(),
                [] => bail!(
                    "{} holds no profiles\nhint: add a [profiles.NAME] table; profiles.example.toml has one for each provider",
                    self.path.display()
                ),
                names => bail!(
                    "{} holds {} profiles and no default_profile; choose one with -p NAME: {}\nhint: or set default_profile = \"NAME\" at the top of the file",
                    self.path.display(),
                    names.len(),
                    names.join(", ")
                ),
            },
        };
        let raw = self.doc.profiles.get(&name).ok_or_else(|| {
            let known = self.names();
            let from = if asked.is_some() {
                ""
            } else {
                " (named by default_profile)"
            };
            let hint = if asked.is_some() {
                format!("choose one with -p NAME (or $OAUTHCTL_PROFILE), or add a [profiles.{name}] table")
            } else {
                "set default_profile to one of them".to_string()
            };
            anyhow!(
                "no profile named {name}{from} in {}; known profiles: {}\nhint: {hint}",
                self.path.display(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )
        })?;
        resolve(&name, raw, self.path.parent().unwrap_or(Path::new(".")))
    }

    /// The keys profile `name` sets itself (the rest come from its preset or the defaults).
    pub fn keys_set(&self, name: &str) -> Vec<String> {
        self.keys.get(name).cloned().unwrap_or_default()
    }

    /// `default_profile`, as written.
    pub fn default_profile(&self) -> Option<&str> {
        self.doc.default_profile.as_deref()
    }

    /// Every profile that resolves, for finding the ones sharing a secret or a cache entry.
    pub fn resolve_all(&self) -> Vec<Profile> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        self.doc
            .profiles
            .iter()
            .filter_map(|(name, raw)| resolve(name, raw, dir).ok())
            .collect()
    }
}

/// serde's names for TOML's types, in TOML's words: `min_ttl = "soon"` is told it wants "a whole
/// number", not "u64".
fn plain_words(message: &str) -> String {
    [
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected a table"),
        ("invalid type: sequence", "invalid type: list"),
        ("invalid type: map", "invalid type: table"),
    ]
    .iter()
    .fold(message.to_string(), |text, (serde, toml)| {
        text.replace(serde, toml)
    })
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Rejects keys the profile's preset does not know, naming the line and the nearest valid key.
fn check_keys(
    text: &str,
    profile: &str,
    table: &BTreeMap<Spanned<String>, toml::Value>,
) -> Result<(), String> {
    let provider = table
        .iter()
        .find(|(k, _)| k.get_ref() == "provider")
        .and_then(|(_, v)| v.as_str());
    let preset = match provider {
        Some(name) => Some(preset::find(name).ok_or_else(|| {
            let line = table.keys().find(|k| k.get_ref() == "provider").map(|k| line_of(text, k.span().start));
            let known: Vec<String> = preset::PRESETS.iter().map(|p| format!("{} ({})", p.name, p.title)).collect();
            format!(
                "line {}: profile {profile} names an unknown provider `{name}`; known providers: {}",
                line.unwrap_or(0),
                known.join(", ")
            )
        })?),
        None => None,
    };
    let preset_keys: Vec<&str> = preset
        .map(|p| p.keys.iter().map(|(k, _)| *k).collect())
        .unwrap_or_default();
    for key in table.keys() {
        let k = key.get_ref().as_str();
        if COMMON_KEYS.contains(&k) || preset_keys.contains(&k) {
            continue;
        }
        let line = line_of(text, key.span().start);
        if let Some(owner) = preset::PRESETS
            .iter()
            .find(|p| p.keys.iter().any(|(pk, _)| *pk == k))
        {
            return Err(format!(
                "line {line}: profile {profile} sets `{k}`, which only provider = \"{}\" uses",
                owner.name
            ));
        }
        let valid = COMMON_KEYS.iter().chain(preset_keys.iter());
        let nearest = valid
            .map(|v| (strsim::jaro_winkler(k, v), *v))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let hint = match nearest {
            Some((_, v)) => format!("; did you mean `{v}`?"),
            None => format!(
                ". Valid keys: {}",
                COMMON_KEYS
                    .iter()
                    .chain(preset_keys.iter())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        return Err(format!(
            "line {line}: profile {profile} has an unknown key `{k}`{hint}"
        ));
    }
    Ok(())
}

/// Applies the preset, then checks every value.
fn resolve(name: &str, raw: &RawProfile, dir: &Path) -> Result<Profile> {
    let preset = raw.provider.as_deref().and_then(preset::find);
    let host = match preset {
        Some(p) => p
            .host(raw.region.as_deref())
            .map_err(|e| anyhow!("profile {name}: {e}"))?,
        None => None,
    };
    if let Some(tsg_id) = &raw.tsg_id {
        check_tsg_id(name, tsg_id)?;
    }
    let lookup = |key: &str| -> Option<String> {
        match key {
            "tsg_id" => raw.tsg_id.clone(),
            "org" => raw.org.clone(),
            "host" => host.map(str::to_string),
            _ => None,
        }
    };
    let fill = |what: &str, template: &str| -> Result<String> {
        preset::fill(template, lookup).map_err(|missing| {
            let why = preset
                .and_then(|p| p.keys.iter().find(|(k, _)| *k == missing))
                .map(|(_, why)| format!(" ({why})"))
                .unwrap_or_default();
            anyhow!(
                "profile {name}: provider {} needs `{missing}`{why} to build {what}, or set `{what}` yourself",
                raw.provider.as_deref().unwrap_or("")
            )
        })
    };

    // An SAP BTP service key supplies what a template supplies for other presets.
    let service_key = match (preset, &raw.service_key) {
        (Some(p), Some(path)) if p.service_key => {
            let path = file_path(dir, path);
            let key = service_key::load(&path).with_context(|| format!("profile {name}"))?;
            Some((key, path))
        }
        (Some(p), None) if p.service_key => bail!(
            "profile {name}: provider {} needs `service_key` (the path of the service key JSON)\nhint: or run `oauthctl profiles import-sap-key FILE --name {name}`",
            p.name
        ),
        _ => None,
    };
    let key = service_key.as_ref().map(|(k, _)| k);

    let token_url = match (&raw.token_url, preset, key) {
        (Some(url), _, _) => url.clone(),
        (None, _, Some(key)) => key.token_url(),
        (None, Some(p), None) => fill("token_url", p.token_url)?,
        (None, None, _) => bail!(
            "profile {name} has no token_url\nhint: set token_url, or provider = one of {}",
            preset::names().join(", ")
        ),
    };
    let token_url = parse_url(name, "token_url", &token_url)?;
    check_https(name, "token_url", &token_url)?;

    let api_base = match (&raw.api_base, preset, key) {
        (Some(url), _, _) => Some(url.clone()),
        // A key without endpoints (the key of an xsuaa instance itself) is for tokens only.
        (None, _, Some(key)) if key.endpoints.is_empty() && raw.api.is_none() => None,
        (None, _, Some(key)) => {
            let entry = raw.api.as_deref().unwrap_or("accounts_service_url");
            let url = key.endpoints.get(entry).ok_or_else(|| {
                let known: Vec<&str> = key.endpoints.keys().map(String::as_str).collect();
                if known.is_empty() {
                    anyhow!(
                        "profile {name}: `api` names endpoints.{entry}, but the service key has no endpoints\nhint: set api_base to the API's URL instead"
                    )
                } else {
                    anyhow!(
                        "profile {name}: the service key has no endpoints.{entry}; set `api` to one of: {}",
                        known.join(", ")
                    )
                }
            })?;
            Some(url.clone())
        }
        (None, Some(p), None) => Some(fill("api_base", p.api_base)?),
        (None, None, _) => None,
    };
    let api_base = api_base
        .map(|u| parse_url(name, "api_base", &u))
        .transpose()?;
    let preset_origins: Vec<Url> = key
        .map(|k| {
            k.endpoints
                .values()
                .filter_map(|u| Url::parse(u).ok())
                .collect()
        })
        .unwrap_or_default();

    let mut allowed_origins = raw
        .allowed_origins
        .iter()
        .flatten()
        .map(|value| parse_origin(name, value))
        .collect::<Result<Vec<_>>>()?;
    // A key's endpoints often share a host (and may repeat the profile's own entries): each
    // origin once, first place kept.
    for origin in preset_origins {
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
        .or_else(|| key.map(|k| k.clientid.clone()))
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            anyhow!("profile {name} has no client_id\nhint: add client_id = \"...\" (the service account's client id) to [profiles.{name}]")
        })?;

    let scope = match (&raw.scope, preset.and_then(|p| p.scope)) {
        (Some(StringOrList::One(s)), _) => Some(s.clone()),
        (Some(StringOrList::Many(list)), _) => Some(list.join(" ")),
        (None, Some(template)) => Some(fill("scope", template)?),
        (None, None) => None,
    }
    .filter(|s| !s.is_empty());

    let x509 = key.is_some_and(|k| k.is_x509());
    let method = raw
        .client_auth
        .or(x509.then_some(ClientAuthMethod::TlsClientAuth))
        .or(preset.map(|p| p.client_auth))
        .unwrap_or(ClientAuthMethod::Basic);
    // A service key of grant_type "user_token" is for the password grant.
    let key_grant = key
        .filter(|k| k.uses_password_grant())
        .map(|_| GrantType::Password);
    let grant_type = raw
        .grant
        .or(key_grant)
        .unwrap_or(GrantType::ClientCredentials);

    let token_host = host_with_port(&token_url);
    let from_key = match (raw.client_secret_from, &service_key) {
        (Some(SecretFrom::ServiceKey), Some((k, path))) => Some(SecretFile {
            what: "service key",
            path: path.clone(),
            field: k.secret_field(),
            read: service_key::read_secret,
        }),
        (Some(SecretFrom::ServiceKey), None) => {
            bail!("profile {name}: client_secret_from = \"service_key\" needs a service_key")
        }
        _ => None,
    };
    // The client secret, or the X.509 private key of mutual TLS, which is stored as one.
    let credential = SecretSource {
        kind: SecretKind::ClientCredential,
        env: raw.client_secret_env.clone(),
        command: raw.client_secret_command.clone(),
        keyring_account: format!("{client_id}@{token_host}"),
        file: from_key,
    };
    let client_cert = match (&raw.client_cert, &raw.client_key, key) {
        (Some(cert), Some(k), _) => Some(ClientCert {
            cert: Pem::File(file_path(dir, cert)),
            key: PrivateKey::File(file_path(dir, k)),
        }),
        (Some(_), None, _) | (None, Some(_), _) => bail!(
            "profile {name}: client_cert and client_key go together (PEM files of the certificate and its private key)"
        ),
        (None, None, Some(k)) if x509 => Some(ClientCert {
            cert: Pem::Inline(k.certificate.clone().unwrap_or_default()),
            key: PrivateKey::Stored(credential.clone()),
        }),
        (None, None, _) => None,
    };
    let (client_auth, client_cert) = match (method, client_cert) {
        (ClientAuthMethod::TlsClientAuth, Some(cert)) => (ClientAuth::TlsClientAuth(cert), None),
        (ClientAuthMethod::TlsClientAuth, None) => bail!(
            "profile {name}: client_auth = \"tls_client_auth\" needs client_cert and client_key"
        ),
        (ClientAuthMethod::Basic, cert) => (ClientAuth::Basic(credential), cert),
        (ClientAuthMethod::Post, cert) => (ClientAuth::Post(credential), cert),
        (ClientAuthMethod::Json, cert) => (ClientAuth::Json(credential), cert),
    };

    // Without a username the profile still resolves (an imported SAP key before its user is
    // added must list and show); a token request says what is missing (`Grant::require_user`).
    let username = raw.username.clone().filter(|u| !u.is_empty());
    let grant = match grant_type {
        GrantType::ClientCredentials => Grant::ClientCredentials,
        GrantType::Password => Grant::Password(PasswordGrant {
            user: username.map(|user| User {
                password: SecretSource {
                    kind: SecretKind::Password,
                    env: raw.password_env.clone(),
                    command: None,
                    keyring_account: format!("{user}@{token_host}"),
                    file: None,
                },
                name: user,
            }),
        }),
    };
    let ca_file = raw.ca_file.as_ref().map(|p| file_path(dir, p));
    Ok(Profile {
        name: name.to_string(),
        preset,
        token_request: TokenRequest {
            url: token_url,
            client_id,
            client_auth,
            client_cert,
            grant,
            scope,
            extra_params: raw
                .extra_params
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.0.clone()))
                .collect(),
            headers: preset
                .map(|p| {
                    p.token_headers
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                })
                .unwrap_or_default(),
        },
        api_base,
        headers: raw.headers.clone().unwrap_or_default(),
        allowed_origins,
        ca_file,
        min_ttl: raw.min_ttl.unwrap_or(DEFAULT_MIN_TTL),
        paging: raw.paging,
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

/// A path from the profile file: `~/` is the home folder, and a relative path is relative to the
/// profile file's folder (not to wherever the command runs).
fn file_path(dir: &Path, path: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = dirs::home_dir()
    {
        return home.join(rest);
    }
    dir.join(path)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ProfileFile> {
        ProfileFile::parse(Path::new("/x/profiles.toml"), text)
    }

    #[test]
    fn scm_preset_fills_urls_and_scope() {
        let f = parse(
            "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"sa@1.iam\"\ntsg_id = 1234567890\n",
        )
        .unwrap();
        let p = f.select(None).unwrap();
        assert_eq!(
            p.token_request.url.as_str(),
            "https://auth.apps.paloaltonetworks.com/oauth2/access_token"
        );
        assert_eq!(
            p.api_base.unwrap().as_str(),
            "https://api.strata.paloaltonetworks.com/"
        );
        assert_eq!(p.token_request.scope.as_deref(), Some("tsg_id:1234567890"));
        assert_eq!(
            p.token_request.client_auth.method(),
            ClientAuthMethod::Basic
        );
        assert_eq!(
            p.token_request
                .client_auth
                .credential_source()
                .unwrap()
                .keyring_account,
            "sa@1.iam@auth.apps.paloaltonetworks.com"
        );
    }

    #[test]
    fn profile_keys_override_the_preset() {
        let f = parse(
            "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"a\"\ntsg_id = \"1\"\nscope = [\"x\", \"y\"]\nclient_auth = \"json\"\ntoken_url = \"https://auth.example/t\"\n",
        )
        .unwrap();
        let p = f.select(Some("scm")).unwrap();
        assert_eq!(p.token_request.scope.as_deref(), Some("x y"));
        assert_eq!(p.token_request.client_auth.method(), ClientAuthMethod::Json);
        assert_eq!(p.token_request.url.as_str(), "https://auth.example/t");
    }

    #[test]
    fn unknown_key_names_line_profile_and_nearest_key() {
        let err = parse("[profiles.scm]\nprovider = \"scm\"\nclient_id = \"a\"\ntsgid = \"1\"\n")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "/x/profiles.toml: line 4: profile scm has an unknown key `tsgid`; did you mean `tsg_id`?"
        );
    }

    #[test]
    fn preset_key_without_its_preset_is_explained() {
        let err =
            parse("[profiles.x]\ntoken_url = \"https://a/t\"\nclient_id = \"a\"\ntsg_id = \"1\"\n")
                .unwrap_err();
        assert!(
            err.to_string()
                .contains("line 4: profile x sets `tsg_id`, which only provider = \"scm\" uses"),
            "{err}"
        );
    }

    #[test]
    fn broken_toml_reports_line_and_column() {
        let err = parse("[profiles.scm]\nclient_id = \"a\nx=1\n").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("/x/profiles.toml: TOML parse error at line 2, column"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_type_reports_line() {
        let err = parse(
            "[profiles.a]\ntoken_url = \"https://a/t\"\nclient_id = \"a\"\nmin_ttl = \"soon\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line 4"), "{msg}");
        assert!(msg.contains("expected a whole number (0 or more)"), "{msg}");
        for (value, found) in [
            ("5", "integer"),
            ("[\"a\", 1]", "integer"),
            ("{ a = \"b\" }", "table"),
        ] {
            let err = parse(&format!(
                "[profiles.a]\ntoken_url = \"https://a/t\"\nclient_id = \"a\"\nscope = {value}\n"
            ))
            .unwrap_err();
            assert!(
                err.to_string().contains(&format!(
                    "expected a string or a list of strings, found {found}"
                )),
                "{value}: {err}"
            );
        }
    }

    #[test]
    fn several_profiles_without_default_lists_them() {
        let f = parse("[profiles.a]\nclient_id=\"1\"\ntoken_url=\"https://a/t\"\n[profiles.b]\nclient_id=\"1\"\ntoken_url=\"https://a/t\"\n").unwrap();
        let err = f.select(None).unwrap_err().to_string();
        assert!(err.contains("choose one with -p NAME: a, b"), "{err}");
        let err = f.select(Some("c")).unwrap_err().to_string();
        assert!(
            err.contains("no profile named c in /x/profiles.toml; known profiles: a, b"),
            "{err}"
        );
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        let f = parse("[profiles.a]\nclient_id=\"1\"\ntoken_url=\"http://auth.example.com/t\"\n")
            .unwrap();
        let err = f.select(None).unwrap_err().to_string();
        assert!(err.contains("is not https"), "{err}");
        for host in ["127.0.0.1:8080", "localhost", "[::1]:99", "127.9.9.9"] {
            let f = parse(&format!(
                "[profiles.a]\nclient_id=\"1\"\ntoken_url=\"http://{host}/t\"\n"
            ))
            .unwrap();
            f.select(None).unwrap();
        }
    }

    #[test]
    fn allowed_origins_are_origins_over_tls() {
        let text = |origins: &str| {
            format!(
                "[profiles.a]\nclient_id=\"1\"\ntoken_url=\"https://a/t\"\nallowed_origins = {origins}\n"
            )
        };
        let p = parse(&text(
            r#"["https://accounts.example.com", "http://127.0.0.1:8080/"]"#,
        ))
        .unwrap()
        .select(None)
        .unwrap();
        let shown: Vec<String> = p
            .allowed_origins
            .iter()
            .map(|u| u.origin().ascii_serialization())
            .collect();
        assert_eq!(
            shown,
            ["https://accounts.example.com", "http://127.0.0.1:8080"]
        );
        let err = parse(&text(r#"["https://accounts.example.com/v1"]"#))
            .unwrap()
            .select(None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`https://accounts.example.com/v1` is not an origin"),
            "{err}"
        );
        let err = parse(&text(r#"["http://accounts.example.com"]"#))
            .unwrap()
            .select(None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not https"), "{err}");
    }

    #[test]
    fn paging_names_a_style() {
        let text = |style: &str| {
            format!(
                "[profiles.a]\nclient_id=\"1\"\ntoken_url=\"https://a/t\"\npaging = \"{style}\"\n"
            )
        };
        let p = parse(&text("offset-pagelength"))
            .unwrap()
            .select(None)
            .unwrap();
        assert_eq!(p.paging, Some(PageStyle::OffsetPagelength));
        let err = parse(&text("cursor")).unwrap_err().to_string();
        assert!(
            err.contains("line 4") && err.contains("offset-limit"),
            "{err}"
        );
    }

    #[test]
    fn scm_without_tsg_id_says_what_is_missing() {
        let f = parse("[profiles.scm]\nprovider = \"scm\"\nclient_id = \"a\"\n").unwrap();
        let err = f.select(None).unwrap_err().to_string();
        assert!(
            err.contains("provider scm needs `tsg_id` (your Tenant Service Group id)"),
            "{err}"
        );
    }
}
