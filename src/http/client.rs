//! Building HTTP clients: TLS with the system's roots and the profile's `ca_file`, a client
//! certificate for mutual TLS, proxies from the environment (never for a loopback host), the time
//! limits, and `$OAUTHCTL_RESOLVE`. The token request and `call` both build theirs here.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use reqwest::blocking::Client;
use url::Url;

use super::target::is_loopback;
use crate::secret::Secret;

/// Seconds a request may take (`--timeout`) unless the command line says otherwise: the token
/// request's whole exchange, and for `call` each wait for a response or a part of its body.
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;

/// What a profile says about the clients of one command: its name (for messages), its extra
/// trusted roots, and the time limit the command was given.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// The profile's name, for messages.
    pub profile: String,
    /// Extra trusted root certificates (PEM), for TLS-inspecting proxies.
    pub ca_file: Option<PathBuf>,
    /// How long a response may take to begin, and each read of its body.
    pub timeout: Duration,
    /// Ask for compressed answers (`Accept-Encoding: zstd,gzip,br`) and decode any answer that
    /// comes compressed in one of those; false (`--no-compressed`) asks for none and leaves an
    /// answer as it came, as curl does without `--compressed`.
    pub compressed: bool,
}

/// A client for requests to `url`, which never follows a redirect of its own (a redirected token
/// request would hand the client secret to wherever it points; `call -L` follows redirects
/// itself), connects within 10 s, takes proxies from the environment (never for a loopback host),
/// trusts the profile's extra roots, and presents `tls_identity` (a certificate and its private
/// key, PEM) for mutual TLS.
///
/// Without TLS when nothing on the way to `url` uses it: a plain-http (loopback) URL, no client
/// certificate, no https proxy. The client is for URLs that are loopback hosts if `url` is one,
/// else for URLs that are not (see [`base_builder`]). Setting up TLS reads and parses every root
/// certificate of the system (rustls-native-certs), which was nine tenths of the instructions of
/// a warm `oauthctl call` to a loopback API (BENCHMARKS.md, its `call GET` row); curl does not read them for an
/// http URL either.
pub fn client_for(
    url: &Url,
    options: &ClientOptions,
    tls_identity: Option<&Secret>,
) -> Result<Client> {
    if url.scheme() == "https" || tls_identity.is_some() || (!is_loopback(url) && proxy_uses_tls())
    {
        return tls_client(url, options, tls_identity);
    }
    // No roots at all: an https connection through this client could not be verified, and
    // none is made through it.
    base_builder(url, options)?
        .tls_certs_only([])
        .build()
        .context("cannot set up the HTTP client")
}

/// [`client_for`] with TLS set up whatever the URL: `doctor --network` checks the profile's
/// `ca_file` with it.
pub fn tls_client(
    url: &Url,
    options: &ClientOptions,
    tls_identity: Option<&Secret>,
) -> Result<Client> {
    let mut builder = base_builder(url, options)?;
    let name = &options.profile;
    if let Some(path) = &options.ca_file {
        let shown = path.display();
        let pem = std::fs::read(path)
            .with_context(|| format!("profile {name}: cannot read ca_file {shown}"))?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).with_context(|| {
            format!("profile {name}: ca_file {shown} holds no PEM certificates")
        })?;
        builder = builder.tls_certs_merge(certs);
    }
    if let Some(pem) = tls_identity {
        // The error from a bad key could quote it; say only what is wrong.
        let identity = reqwest::Identity::from_pem(pem.expose().as_bytes()).map_err(|_| {
            anyhow!(
                "profile {name}: the client certificate or its private key is not valid PEM (a certificate chain and a PKCS#8, PKCS#1 or SEC1 key)"
            )
        })?;
        builder = builder.identity(identity);
    }
    builder.build().context("cannot set up the HTTP client")
}

/// What every client does: no redirects of its own, the time limits, the user agent, compressed
/// answers unless the options say otherwise, and `$OAUTHCTL_RESOLVE`.
///
/// A compressed answer is decoded as it is read, so every bound on what oauthctl reads of one
/// (a token answer's 1 MiB, a page's, an error summary's) counts decoded bytes: a small answer
/// that decodes to gigabytes stops at the bound like any other.
///
/// Proxies come from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`),
/// except for a loopback `url` (127.0.0.0/8, ::1, localhost): plain http is allowed there only
/// because it never leaves the machine, and through a proxy it would (the proxy would see the
/// client secret and the token, and could answer with a token of its own).
fn base_builder(url: &Url, options: &ClientOptions) -> Result<reqwest::blocking::ClientBuilder> {
    let mut builder = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .timeout(options.timeout)
        .user_agent(concat!("oauthctl/", env!("CARGO_PKG_VERSION")))
        .gzip(options.compressed)
        .brotli(options.compressed)
        .zstd(options.compressed);
    if is_loopback(url) {
        builder = builder.no_proxy();
    }
    with_resolve_overrides(builder)
}

/// True when a proxy for plain-http URLs is itself reached over https.
fn proxy_uses_tls() -> bool {
    ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"]
        .iter()
        .filter_map(std::env::var_os)
        .any(|v| {
            v.to_str()
                .is_some_and(|v| v.trim().to_ascii_lowercase().starts_with("https:"))
        })
}

/// `$OAUTHCTL_RESOLVE=HOST=IP:PORT[,HOST=IP:PORT...]` sends connections for HOST to IP:PORT, as
/// curl's `--connect-to` does: for trying a staging address, and for the tests, which check each
/// provider's real host name on the wire against a local server. TLS still verifies HOST.
fn with_resolve_overrides(
    mut builder: reqwest::blocking::ClientBuilder,
) -> Result<reqwest::blocking::ClientBuilder> {
    let Some(spec) = std::env::var("OAUTHCTL_RESOLVE")
        .ok()
        .filter(|s| !s.is_empty())
    else {
        return Ok(builder);
    };
    for item in spec.split(',') {
        let (host, addr) = item
            .split_once('=')
            .and_then(|(h, a)| Some((h.trim(), a.trim().parse::<std::net::SocketAddr>().ok()?)))
            .ok_or_else(|| anyhow!("OAUTHCTL_RESOLVE item `{item}` is not HOST=IP:PORT"))?;
        builder = builder.resolve(host, addr);
    }
    Ok(builder)
}

/// The HTTP clients of one command, each built when a request first needs it, so that TLS is set
/// up only for https URLs, and a loopback URL never goes through a proxy (see [`client_for`]): one
/// client per scheme, for loopback hosts and for the others.
///
/// A clone shares the clients, and with them their pools of open connections: the threads of
/// `batch` send over the same connections and set up TLS once.
#[derive(Debug, Clone)]
pub struct Clients {
    options: Arc<ClientOptions>,
    /// By [`Clients::slot`].
    built: Arc<Mutex<[Option<Client>; 4]>>,
}

impl Clients {
    pub fn new(options: ClientOptions) -> Clients {
        Clients {
            options: Arc::new(options),
            built: Default::default(),
        }
    }

    /// The profile's name, for messages.
    pub fn profile(&self) -> &str {
        &self.options.profile
    }

    /// The options the clients are built with.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The client for `url` (a handle on it: clients are shared, not copied).
    pub fn for_url(&self, url: &Url) -> Result<Client> {
        // A thread that waits here waits for the one that builds the client, rather than
        // setting up TLS a second time.
        let mut built = self.built.lock().unwrap_or_else(|e| e.into_inner());
        let slot = &mut built[Clients::slot(url)];
        if slot.is_none() {
            *slot = Some(client_for(url, &self.options, None)?);
        }
        Ok(slot.clone().expect("the client was just built"))
    }

    fn slot(url: &Url) -> usize {
        usize::from(url.scheme() == "https") * 2 + usize::from(is_loopback(url))
    }
}
