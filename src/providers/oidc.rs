//! Any OpenID Provider or OAuth authorization server that publishes its metadata (OpenID Connect
//! Discovery 1.0, RFC 8414): the profile names its `issuer`, and the endpoints come from there
//! (`oauth::discovery`). The preset only insists on the issuer.

use anyhow::Result;
use serde::Deserialize;

use super::{Defaults, Input, MissingKey, Provider};

pub static PROVIDER: Provider = Provider {
    name: "oidc",
    title: "any OpenID Provider, by discovery from its issuer",
    // Asked by `profiles add` on a terminal (a common key, listed here for that).
    keys: &[(
        "issuer",
        "the URL the server names itself by, e.g. https://login.example.com/realms/main",
    )],
    paging: &[],
    page_sizes: &[],
    parallel: &[],
    rate: &[],
    check_keys: |_| Ok(()),
    defaults,
};

#[derive(Debug, Deserialize)]
struct Keys {
    issuer: Option<String>,
}

fn defaults(input: &Input) -> Result<Defaults> {
    let keys: Keys = input.keys.read()?;
    // With an issuer, no token endpoint here: discovery finds it. Without, the profile must
    // write its endpoints itself.
    let token_url = match keys.issuer {
        Some(_) => None,
        None => Some(Err(MissingKey {
            key: "issuer".into(),
            what: Some("the authorization server's issuer URL"),
            message: format!(
                "profile {}: provider oidc needs `issuer` (the URL the server names itself by, e.g. https://login.example.com/realms/main), or set `token_url` yourself",
                input.profile
            ),
        }
        .into())),
    };
    Ok(Defaults {
        token_url,
        ..Defaults::default()
    })
}
