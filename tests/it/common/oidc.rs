//! A certified OpenID Provider on loopback: panva's oidc-provider (OpenID Certified), run by
//! `tests/oidc/server.js` with the clients, features and test routes that file describes.
//!
//! [`OidcProvider::start`] runs `node tests/oidc/server.js`, which listens on a free port and
//! prints its issuer once it answers; the provider is killed when the value is dropped (and ends
//! by itself when this process dies, as its stdin closes). Tests that use it are
//! `#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]`; where node or the
//! package is missing they fail, saying how to install them.
//!
//! The scripts that play the user are in `tests/oidc/` too: [`browser_script`] is a `$BROWSER`
//! for the authorization code flow, [`device_approver`] approves (or denies) a device code.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The confidential client that authenticates with HTTP Basic (`client_secret_basic`).
pub const BASIC_CLIENT: &str = "oauthctl-basic";
/// The confidential client that sends its secret as form fields (`client_secret_post`).
pub const POST_CLIENT: &str = "oauthctl-post";
/// The public client (`token_endpoint_auth_method` `none`): authorization code with PKCE,
/// refresh token and device code only.
pub const PUBLIC_CLIENT: &str = "oauthctl-public";
/// The secret of both confidential clients ([`super::SECRET`]: it needs form-urlencoding).
pub const CLIENT_SECRET: &str = super::SECRET;
/// The login name the scripts sign in with unless `OIDC_USER` says otherwise; it is the `sub`.
pub const USER: &str = "alice";
/// The paths of the loopback redirect URIs the clients register (any port, RFC 8252 §7.3), on
/// `127.0.0.1`, `[::1]` and `localhost`, unless `OIDC_REDIRECT_PATHS` says otherwise.
pub const REDIRECT_PATHS: [&str; 2] = ["/", "/callback"];

/// `tests/oidc/`.
pub fn oidc_dir() -> PathBuf {
    // Absolute for the test's own folder, which oauthctl, run elsewhere, gets the path from (a
    // Windows build made on Linux and run under Wine knows the project as `/work/...`, which is
    // a path on the drive it runs on).
    std::path::absolute(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc"))
        .expect("the project's folder")
}

/// The `$BROWSER` for the authorization code flow: `browser.sh AUTHORIZATION_URL` logs in,
/// consents (or denies, with `OIDC_CONSENT=deny`) and requests the loopback redirect URI; it
/// returns at once and works in the background unless `OIDC_BROWSER_FOREGROUND=1`, logging to
/// `OIDC_BROWSER_LOG`.
pub fn browser_script() -> PathBuf {
    oidc_dir().join("browser.sh")
}

/// `approve-device.sh VERIFICATION_URI_COMPLETE` (or `VERIFICATION_URI USER_CODE`): submits the
/// code, confirms (or denies, with `OIDC_CONSENT=deny`), logs in and consents; in the foreground.
pub fn device_approver() -> PathBuf {
    oidc_dir().join("approve-device.sh")
}

/// A running oidc-provider and its endpoints, as its discovery document names them.
pub struct OidcProvider {
    child: Child,
    stderr: tempfile::NamedTempFile,
    pub issuer: String,
    pub token_url: String,
    pub authorization_url: String,
    pub device_authorization_url: String,
    pub revocation_url: String,
    pub introspection_url: String,
    pub userinfo_url: String,
}

impl OidcProvider {
    /// The provider with its defaults.
    pub fn start() -> OidcProvider {
        OidcProvider::start_with(&[])
    }

    /// The provider with `env` set: `OIDC_TTL_<NAME>` (seconds), `OIDC_DEVICE_INTERVAL`,
    /// `OIDC_REDIRECT_PATHS` (see `tests/oidc/server.js`).
    pub fn start_with(env: &[(&str, &str)]) -> OidcProvider {
        let install = "run `npm ci --prefix tests/oidc` (Node.js 18 or later and npm; Debian: `apt-get install nodejs npm curl`)";
        let node = Command::new("node")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        assert!(
            node.is_ok_and(|status| status.success()),
            "this test needs `node` on PATH for the OpenID Provider it runs: install Node.js, then {install}"
        );
        assert!(
            oidc_dir().join("node_modules/oidc-provider").is_dir(),
            "this test needs oidc-provider in tests/oidc/node_modules: {install}"
        );

        let stderr = tempfile::NamedTempFile::new().unwrap();
        let mut cmd = Command::new("node");
        cmd.arg("server.js")
            .current_dir(oidc_dir())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr.reopen().unwrap());
        for var in ["OIDC_PORT", "OIDC_DEVICE_INTERVAL", "OIDC_REDIRECT_PATHS"] {
            cmd.env_remove(var);
        }
        for (var, _) in std::env::vars_os() {
            if var.to_string_lossy().starts_with("OIDC_TTL_") {
                cmd.env_remove(var);
            }
        }
        cmd.envs(env.iter().copied());
        let mut child = cmd.spawn().expect("start node tests/oidc/server.js");

        // The first line on stdout is the issuer, printed once the server listens.
        // The rest (oidc-provider's notices) is kept with stderr: a closed pipe would end the
        // server at its next notice.
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut notices = std::fs::OpenOptions::new()
            .append(true)
            .open(stderr.path())
            .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = stdout.read_line(&mut line);
            let _ = tx.send(line);
            let _ = std::io::copy(&mut stdout, &mut notices);
        });
        let line = rx.recv_timeout(Duration::from_secs(30)).unwrap_or_default();
        let issuer = line.trim().to_string();
        if !issuer.starts_with("http://127.0.0.1:") {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "tests/oidc/server.js did not print its issuer within 30 s (stdout: {line:?}); its stderr:\n{}",
                std::fs::read_to_string(stderr.path()).unwrap_or_default()
            );
        }

        let mut provider = OidcProvider {
            child,
            stderr,
            token_url: String::new(),
            authorization_url: String::new(),
            device_authorization_url: String::new(),
            revocation_url: String::new(),
            introspection_url: String::new(),
            userinfo_url: String::new(),
            issuer,
        };
        let discovery = provider.get_json("/.well-known/openid-configuration");
        let endpoint = |name: &str| {
            discovery[name]
                .as_str()
                .unwrap_or_else(|| panic!("no {name} in the discovery document: {discovery}"))
                .to_string()
        };
        provider.token_url = endpoint("token_endpoint");
        provider.authorization_url = endpoint("authorization_endpoint");
        provider.device_authorization_url = endpoint("device_authorization_endpoint");
        provider.revocation_url = endpoint("revocation_endpoint");
        provider.introspection_url = endpoint("introspection_endpoint");
        provider.userinfo_url = endpoint("userinfo_endpoint");
        provider
    }

    /// The base of the tiny API that accepts the provider's access tokens: `GET {api_base}/whoami`
    /// answers `{"client_id", "sub", "scope"}` of a live token, 401 otherwise.
    pub fn api_base(&self) -> String {
        format!("{}/api", self.issuer)
    }

    /// What the provider did, in order: `{"event": "request", "method", "path"}` for every request
    /// and `grant.success`, `grant.error` (with `grant_type`, `client_id`, `error`),
    /// `authorization.success`, `authorization.error`, `device_authorization.success`,
    /// `revocation.success` (with `token_type`), `revocation.error`, `grant.revoked`,
    /// `api.accepted`, `api.refused`. Never a token, code or secret.
    pub fn events(&self) -> Vec<serde_json::Value> {
        serde_json::from_value(self.get_json("/_test/events")).unwrap()
    }

    /// The events named `name`.
    pub fn events_named(&self, name: &str) -> Vec<serde_json::Value> {
        self.events()
            .into_iter()
            .filter(|event| event["event"] == name)
            .collect()
    }

    /// What the provider printed on stderr so far, for a failing test's message.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.stderr.path()).unwrap_or_default()
    }

    fn get_json(&self, path: &str) -> serde_json::Value {
        http()
            .get(format!("{}{path}", self.issuer))
            .send()
            .and_then(|response| response.error_for_status())
            .and_then(|response| response.json())
            .unwrap_or_else(|err| panic!("GET {path} at the provider: {err}"))
    }
}

impl Drop for OidcProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP client for the tests' own requests to the provider: no proxy, no redirects followed.
pub fn http() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}
