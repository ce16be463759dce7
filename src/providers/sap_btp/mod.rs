//! SAP BTP, xsuaa (docs/providers.md §5): everything comes from a service key, the JSON file a user
//! downloads for a service instance ([`service_key`]): the token endpoint, the client id, the
//! APIs' URLs (`endpoints`), the grant (`user_token`, SAP's default, is the password grant) and,
//! for an X.509 key, mutual TLS with the key's certificate.

pub mod service_key;

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use serde::Deserialize;
use url::Url;

use super::{Defaults, Input, MissingKey, Provider};
use crate::fsutil;
use crate::oauth::client_auth::ClientAuthMethod;
use crate::oauth::grant::GrantType;
use crate::paging::PageStyle;
use crate::secret::SecretFile;

pub static PROVIDER: Provider = Provider {
    name: "sap-btp",
    title: "SAP BTP (xsuaa service keys, e.g. the Cloud Management service)",
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
    paging: &[("", PageStyle::PageNumber)],
    page_sizes: &[],
    // Events come 150 a page, so a long list is many pages; SAP documents a 429 but no rate.
    parallel: &[("", 4)],
    rate: &[],
    check_keys: |table| table.read::<Keys>().map(drop),
    defaults,
};

#[derive(Debug, Deserialize)]
struct Keys {
    service_key: Option<PathBuf>,
    api: Option<String>,
    client_secret_from: Option<SecretFrom>,
}

/// `client_secret_from`: where the secret comes from when the keyring has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum SecretFrom {
    Keyring,
    ServiceKey,
}

fn defaults(input: &Input) -> Result<Defaults> {
    let name = input.profile;
    let keys: Keys = input.keys.read()?;
    let Some(path) = &keys.service_key else {
        return Err(MissingKey {
            key: "service_key".into(),
            what: PROVIDER.key_help("service_key"),
            message: format!(
                "profile {name}: provider {} needs `service_key` (the path of the service key JSON)\nhint: or run `oauthctl profiles import-sap-key FILE --name {name}`",
                PROVIDER.name
            ),
        }
        .into());
    };
    let path = fsutil::path_in_file(input.dir, path);
    let key = service_key::load(&path).with_context(|| format!("profile {name}"))?;

    let api_base = if key.endpoints.is_empty() && keys.api.is_none() {
        // A key without endpoints (the key of an xsuaa instance itself) is for tokens only.
        None
    } else {
        let entry = keys.api.as_deref().unwrap_or("accounts_service_url");
        Some(key.endpoints.get(entry).cloned().ok_or_else(|| {
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
        }))
    };
    let x509 = key.is_x509();
    Ok(Defaults {
        token_url: Some(Ok(key.token_url())),
        api_base,
        client_id: Some(key.clientid.clone()),
        client_auth: Some(if x509 {
            ClientAuthMethod::TlsClientAuth
        } else {
            ClientAuthMethod::Basic
        }),
        // A service key of grant_type "user_token" is for the password grant.
        grant: key.uses_password_grant().then_some(GrantType::Password),
        client_cert: key.certificate.clone(),
        allowed_origins: key
            .endpoints
            .values()
            .filter_map(|u| Url::parse(u).ok())
            .collect(),
        secret_file: (keys.client_secret_from == Some(SecretFrom::ServiceKey)).then(|| {
            SecretFile {
                what: "service key",
                field: key.secret_field(),
                path,
                read: service_key::read_secret,
            }
        }),
        ..Defaults::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_lists_page_by_page_number() {
        assert_eq!(
            PROVIDER.paging_for("/cloud-management/v1/events"),
            Some(PageStyle::PageNumber)
        );
    }
}
