//! SAP BTP service keys: the JSON file a user downloads for a service instance (docs/providers.md
//! §5).
//!
//! The xsuaa credentials sit under `uaa` (Cloud Management service keys) or at the top level
//! (keys of an xsuaa instance itself); both are read. An X.509 key has
//! `credential-type = "x509"`, a `certificate` and a `key` in PEM with literal `\n` escapes, and
//! a `certurl` for the mutual-TLS token endpoint.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use crate::http::target::is_loopback;
use crate::secret::Secret;

/// The parts of a service key oauthctl uses. The secret parts are not kept here: they are read
/// with [`read_secret`] only when a token is fetched, or moved to the keyring on import.
#[derive(Debug, Clone)]
pub struct ServiceKey {
    pub clientid: String,
    /// `uaa.url`: the token endpoint is `<url>/oauth/token`.
    pub url: String,
    /// X.509 keys only: the mutual-TLS host, `<certurl>/oauth/token`.
    pub certurl: Option<String>,
    /// X.509 keys only: the client certificate chain, PEM.
    pub certificate: Option<String>,
    /// `endpoints`: name → URL of each API the token is for.
    pub endpoints: BTreeMap<String, String>,
    /// The key's `grant_type` (`user_token` means the password grant).
    pub grant_type: Option<String>,
}

impl ServiceKey {
    pub fn is_x509(&self) -> bool {
        self.certificate.is_some()
    }

    /// The token endpoint: `<certurl>/oauth/token` for X.509 keys, else `<url>/oauth/token`.
    pub fn token_url(&self) -> String {
        let base = if self.is_x509() {
            self.certurl.as_deref().unwrap_or(&self.url)
        } else {
            &self.url
        };
        format!("{}/oauth/token", base.trim_end_matches('/'))
    }

    /// True when the key is for the password grant: `grant_type` `user_token` (SAP's default)
    /// or `password`.
    pub fn uses_password_grant(&self) -> bool {
        matches!(self.grant_type.as_deref(), Some("user_token" | "password"))
    }

    /// What the key's client credential is, for messages.
    pub fn credential_noun(&self) -> &'static str {
        if self.is_x509() {
            "X.509 private key"
        } else {
            "client secret"
        }
    }

    /// The field that holds this key's client credential.
    pub fn secret_field(&self) -> &'static str {
        if self.is_x509() {
            "key"
        } else {
            "clientsecret"
        }
    }
}

/// Where a good key comes from, for every message about a bad one.
const DOWNLOAD_HINT: &str = "hint: download the key again from the SAP BTP cockpit (Instances and Subscriptions → the instance → Service Keys)";

fn read_json(path: &Path) -> Result<Map<String, Value>> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read service key {shown}"))?;
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => bail!(
            "service key {shown} holds a JSON {}, not an object with uaa and endpoints\n{DOWNLOAD_HINT}",
            json_type(&other)
        ),
        Err(err) => bail!("service key {shown} is not valid JSON: {err}\n{DOWNLOAD_HINT}"),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The object holding `clientid`, `url` and the credentials.
fn uaa(json: &Map<String, Value>) -> &Map<String, Value> {
    json.get("uaa").and_then(Value::as_object).unwrap_or(json)
}

fn field<'a>(uaa: &'a Map<String, Value>, name: &str, path: &Path) -> Result<&'a str> {
    let shown = path.display();
    match uaa.get(name) {
        Some(Value::String(v)) if !v.is_empty() => Ok(v),
        None | Some(Value::Null) => bail!("service key {shown} has no uaa.{name}\n{DOWNLOAD_HINT}"),
        Some(Value::String(_)) => {
            bail!("service key {shown} has an empty uaa.{name}\n{DOWNLOAD_HINT}")
        }
        Some(other) => bail!(
            "service key {shown}: uaa.{name} is a {}, not a string\n{DOWNLOAD_HINT}",
            json_type(other)
        ),
    }
}

/// PEM in service keys carries literal `\n` escapes in place of line breaks.
fn unescape_pem(pem: &str) -> String {
    pem.replace("\\n", "\n")
}

pub fn load(path: &Path) -> Result<ServiceKey> {
    let json = read_json(path)?;
    let uaa = uaa(&json);
    let x509 = uaa.get("credential-type").and_then(Value::as_str) == Some("x509");
    let key = ServiceKey {
        clientid: field(uaa, "clientid", path)?.to_string(),
        url: field(uaa, "url", path)?.to_string(),
        certurl: if x509 {
            Some(field(uaa, "certurl", path)?.to_string())
        } else {
            None
        },
        certificate: if x509 {
            Some(unescape_pem(field(uaa, "certificate", path)?))
        } else {
            None
        },
        endpoints: endpoints(&json, path)?,
        grant_type: json
            .get("grant_type")
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    Ok(key)
}

/// `endpoints`: each URL the token may be sent to, so each must be https (plain http only for a
/// loopback host, as for every other URL oauthctl sends a credential to). SAP's keys hold https
/// URLs only; another scheme means an edited or forged key, refused with the entry's name.
fn endpoints(json: &Map<String, Value>, path: &Path) -> Result<BTreeMap<String, String>> {
    let shown = path.display();
    let Some(entries) = json.get("endpoints").and_then(Value::as_object) else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for (name, value) in entries {
        let Some(text) = value.as_str() else {
            continue;
        };
        // Text that is not a URL is no origin (and an error only if `api` names it).
        if let Ok(url) = url::Url::parse(text)
            && url.scheme() != "https"
            && !(url.scheme() == "http" && is_loopback(&url))
        {
            bail!(
                "service key {shown}: endpoints.{name} `{url}` is not https; oauthctl sends tokens over TLS only (plain http is allowed for loopback hosts)\n{DOWNLOAD_HINT}"
            );
        }
        out.insert(name.clone(), text.to_string());
    }
    Ok(out)
}

/// Reads `uaa.<field>` (`clientsecret`, or the X.509 `key`) from the key file.
pub fn read_secret(path: &Path, name: &str) -> Result<Secret> {
    let json = read_json(path)?;
    let value = field(uaa(&json), name, path)?;
    Ok(Secret::new(if name == "key" {
        unescape_pem(value)
    } else {
        value.to_string()
    }))
}

/// The key file without its secrets, for keeping beside the profiles after an import.
pub fn without_secrets(path: &Path) -> Result<Value> {
    let mut json = read_json(path)?;
    let target = match json.get_mut("uaa").and_then(Value::as_object_mut) {
        Some(uaa) => uaa,
        None => &mut json,
    };
    target.remove("clientsecret");
    target.remove("key");
    Ok(Value::Object(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_newline_escapes_become_line_breaks() {
        assert_eq!(
            unescape_pem("-----BEGIN X-----\\nabc\\n-----END X-----"),
            "-----BEGIN X-----\nabc\n-----END X-----"
        );
    }
}
