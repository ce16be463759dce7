//! Authorization server metadata (RFC 8414, OpenID Connect Discovery 1.0): the endpoints of an
//! issuer, read from its discovery document. OpenID Connect's
//! `<issuer>/.well-known/openid-configuration` is asked first (most servers serve it), then
//! RFC 8414's `/.well-known/oauth-authorization-server`, inserted between the host and the
//! issuer's path (RFC 8414 §3.1). The document's `issuer` must be the configured issuer exactly
//! (RFC 8414 §3.3, OpenID Connect Discovery §4.3), or anyone who can serve a document on the way
//! could name endpoints of their own.
//!
//! Nothing here knows where documents are cached (`tokens::discovery`) or how a profile uses
//! them (`config/`): a profile that needs one says so with a [`Need`], and whoever resolves it
//! hands a [`Discover`] that answers.

use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use reqwest::header::ACCEPT;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::http::client::{ClientOptions, client_for};
use crate::http::no_response::{no_response, no_response_while_reading};
use crate::http::target::host_with_port;

/// The most bytes oauthctl reads of a discovery document: real ones are a few kilobytes
/// (oidc-provider's, with every feature on, is under 4 KiB).
pub const MAX_DOCUMENT: u64 = 256 * 1024;

/// What oauthctl takes from an authorization server's metadata; the rest of the document is
/// left out (and out of the cache).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub issuer: String,
    pub token_endpoint: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub device_authorization_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    /// RFC 8414 §2: when absent, `client_secret_basic` is the default.
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
}

impl Metadata {
    /// Whether the server takes the client authentication `method` (RFC 8414 §2's names) at the
    /// token endpoint; a document that lists none takes `client_secret_basic` only.
    pub fn takes_auth_method(&self, method: &str) -> bool {
        match &self.token_endpoint_auth_methods_supported {
            Some(methods) => methods.iter().any(|m| m == method),
            None => method == "client_secret_basic",
        }
    }
}

/// A profile that finds its endpoints from its issuer: what is needed to fetch the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// The profile's name, for messages.
    pub profile: String,
    /// The issuer as the profile writes it: the document must name exactly this.
    pub issuer: String,
    /// The profile's extra trusted roots.
    pub ca_file: Option<PathBuf>,
}

/// Where a profile's resolution gets the metadata it needs: a cache, the network, or nowhere
/// (`None`: the profile resolves without its endpoints, see `config::Undiscovered`).
pub trait Discover {
    fn metadata(&self, need: &Need) -> Result<Option<Metadata>>;
}

/// No metadata from anywhere: resolution that touches neither the cache nor the network.
pub struct Nowhere;

impl Discover for Nowhere {
    fn metadata(&self, _: &Need) -> Result<Option<Metadata>> {
        Ok(None)
    }
}

/// The two places a discovery document may be, in the order they are asked: OpenID Connect
/// Discovery §4's (the issuer's path, then `/.well-known/openid-configuration`) and RFC 8414
/// §3.1's (`/.well-known/oauth-authorization-server`, then the issuer's path). For an issuer
/// without a path both are at the root.
pub fn well_known_urls(issuer: &Url) -> [Url; 2] {
    let path = issuer.path().trim_end_matches('/');
    let mut openid = issuer.clone();
    openid.set_path(&format!("{path}/.well-known/openid-configuration"));
    let mut oauth = issuer.clone();
    oauth.set_path(&format!("/.well-known/oauth-authorization-server{path}"));
    for url in [&mut openid, &mut oauth] {
        url.set_query(None);
        url.set_fragment(None);
    }
    [openid, oauth]
}

/// Fetches the issuer's metadata: the OpenID Connect document, else (when that is not there) the
/// RFC 8414 one; its `issuer` checked against `need.issuer`.
pub fn fetch(need: &Need, timeout: Duration, verbose: bool) -> Result<Metadata> {
    let issuer = Url::parse(&need.issuer).map_err(|err| {
        anyhow!(
            "profile {}: issuer `{}` is not a URL: {err}",
            need.profile,
            need.issuer
        )
    })?;
    let client = client_for(
        &issuer,
        &ClientOptions {
            profile: need.profile.clone(),
            ca_file: need.ca_file.clone(),
            timeout,
            compressed: true,
        },
        None,
    )?;
    let mut missing = Vec::new();
    for url in well_known_urls(&issuer) {
        if verbose {
            eprintln!("* discovery: GET {url}");
        }
        let what = format!("discovery request to {}", host_with_port(&url));
        let response = client
            .get(url.clone())
            .header(ACCEPT, "application/json")
            .send()
            .map_err(|err| no_response(&what, &err, &need.profile, need.ca_file.as_deref()))?;
        let status = response.status();
        if verbose {
            eprintln!("* discovery: {} {url}", status.as_u16());
        }
        if !status.is_success() {
            missing.push(format!("{url} answered {}", status.as_u16()));
            continue;
        }
        let mut body = Vec::new();
        response
            .take(MAX_DOCUMENT + 1)
            .read_to_end(&mut body)
            .map_err(|err| no_response_while_reading(&what, &err))?;
        if body.len() as u64 > MAX_DOCUMENT {
            bail!(
                "profile {}: the discovery document at {url} has more than {} KiB, the most oauthctl reads of one\nhint: check issuer; or set token_url (and the other endpoints) yourself",
                need.profile,
                MAX_DOCUMENT / 1024
            );
        }
        return parse(need, &url, &body);
    }
    bail!(
        "profile {}: issuer {} has no discovery document: {}\nhint: check issuer (it is the URL the server names itself by, e.g. https://login.example.com/realms/main), or set token_url yourself",
        need.profile,
        need.issuer,
        missing.join("; ")
    )
}

/// The metadata in `body`, fetched from `url`, when it names the profile's issuer.
pub fn parse(need: &Need, url: &Url, body: &[u8]) -> Result<Metadata> {
    let metadata: Metadata = serde_json::from_slice(body).map_err(|err| {
        anyhow!(
            "profile {}: the discovery document at {url} is not authorization server metadata ({err})",
            need.profile
        )
    })?;
    if metadata.issuer != need.issuer {
        bail!(
            "profile {}: the discovery document at {url} names issuer {}, and the profile's issuer is {}; they must be equal, character for character (RFC 8414 §3.3)\nhint: if the server is the one you mean, write its issuer exactly as the document does",
            need.profile,
            shown(&metadata.issuer),
            shown(&need.issuer)
        );
    }
    Ok(metadata)
}

/// A value from the server, quoted so that control characters and the like are visible as
/// escapes rather than acted on by the terminal.
fn shown(value: &str) -> String {
    format!("\"{}\"", value.escape_debug())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(issuer: &str) -> [String; 2] {
        well_known_urls(&Url::parse(issuer).unwrap()).map(|u| u.to_string())
    }

    /// RFC 8414 §3.1's example, and OpenID Connect Discovery §4.1's.
    #[test]
    fn an_issuer_with_a_path_keeps_it_after_or_before_the_well_known_name() {
        assert_eq!(
            urls("https://example.com/issuer1"),
            [
                "https://example.com/issuer1/.well-known/openid-configuration",
                "https://example.com/.well-known/oauth-authorization-server/issuer1",
            ]
        );
        assert_eq!(
            urls("https://example.com/issuer1/"),
            [
                "https://example.com/issuer1/.well-known/openid-configuration",
                "https://example.com/.well-known/oauth-authorization-server/issuer1",
            ]
        );
    }

    #[test]
    fn an_issuer_without_a_path_has_both_at_the_root() {
        assert_eq!(
            urls("https://example.com"),
            [
                "https://example.com/.well-known/openid-configuration",
                "https://example.com/.well-known/oauth-authorization-server",
            ]
        );
    }

    #[test]
    fn a_document_of_another_issuer_is_refused_naming_both() {
        let need = Need {
            profile: "p".into(),
            issuer: "https://a.example".into(),
            ca_file: None,
        };
        let url = Url::parse("https://a.example/.well-known/openid-configuration").unwrap();
        let err = parse(&need, &url, br#"{"issuer":"https://b.example"}"#).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("\"https://b.example\""), "{text}");
        assert!(text.contains("\"https://a.example\""), "{text}");
        // A trailing slash is a different issuer.
        assert!(parse(&need, &url, br#"{"issuer":"https://a.example/"}"#).is_err());
        assert!(parse(&need, &url, br#"{"issuer":"https://a.example"}"#).is_ok());
    }

    #[test]
    fn without_a_list_only_client_secret_basic_is_taken() {
        let mut m: Metadata = serde_json::from_str(r#"{"issuer":"x"}"#).unwrap();
        assert!(m.takes_auth_method("client_secret_basic"));
        assert!(!m.takes_auth_method("client_secret_post"));
        m.token_endpoint_auth_methods_supported = Some(vec!["client_secret_post".into()]);
        assert!(!m.takes_auth_method("client_secret_basic"));
        assert!(m.takes_auth_method("client_secret_post"));
    }
}
