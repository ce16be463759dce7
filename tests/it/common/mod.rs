//! Shared test support: a private config and cache folder per test, the real binary, and the
//! helpers more than one module needs.
//!
//! Every command runs with its own HOME, config file and cache folder, no proxy variables, and a
//! D-Bus address that leads nowhere, so a developer's own profiles, keyring and proxies never
//! change a result. Only the tests marked `#[ignore = "needs a real Secret Service"]` reach a
//! keyring, through [`TestEnv::with_keyring`]: the throwaway one of `.ci/with-keyring`.

pub mod compress;
pub mod oidc;
// The sign-in fixtures and the pseudo-terminal run sh scripts and script(1).
#[cfg(unix)]
pub mod signin;
#[cfg(unix)]
pub mod terminal;
pub mod tls;

use std::collections::BTreeMap;
#[cfg(unix)]
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use tempfile::TempDir;

/// A client secret with characters that need form-urlencoding.
pub const SECRET: &str = "s3cr&t/pa:ss+word";
/// A service-account id in SCM's shape.
pub const CLIENT_ID: &str = "sa-1@1234567890.iam.panserviceaccount.com";
/// A token in the shape SCM issues (an RS256 JWT; the content does not matter here).
pub const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYS0xIn0.c2lnbmF0dXJl";
/// The Basic header for [`CLIENT_ID`] and [`SECRET`]: base64 of
/// `sa-1%40...com:s3cr%26t%2Fpa%3Ass%2Bword`, as RFC 6749 §2.3.1 form-urlencodes both halves.
pub const BASIC: &str = "Basic c2EtMSU0MDEyMzQ1Njc4OTAuaWFtLnBhbnNlcnZpY2VhY2NvdW50LmNvbTpzM2NyJTI2dCUyRnBhJTNBc3MlMkJ3b3Jk";
/// SCM's token endpoint path (docs/providers.md §1).
pub const TOKEN_PATH: &str = "/oauth2/access_token";
/// An xsuaa client id as SAP issues them: `!` and `|` make the two Basic spellings differ.
pub const SAP_CLIENT_ID: &str = "sb-ut-1234!b1|cis-central!b14";
/// What oauthctl calls this platform's keyring in its messages.
pub const KEYRING_NAME: &str = if cfg!(target_os = "macos") {
    "the macOS Keychain"
} else if cfg!(windows) {
    "the Windows Credential Manager"
} else {
    "the Secret Service"
};
/// The uid tests hand files to, and run as, when they run as root: `nobody`.
#[cfg(unix)]
pub const NOBODY: u32 = 65534;

pub struct TestEnv {
    pub dir: TempDir,
    /// Commands reach the session's Secret Service; otherwise D-Bus leads nowhere.
    keyring: bool,
}

impl TestEnv {
    /// A folder holding `profiles.toml` with `profiles` as its text. Its commands find no
    /// keyring, as on a server or in a container.
    pub fn new(profiles: &str) -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("profiles.toml"), profiles).unwrap();
        std::fs::create_dir(dir.path().join("home")).unwrap();
        TestEnv {
            dir,
            keyring: false,
        }
    }

    /// The same, but its commands reach the Secret Service of the D-Bus session that
    /// `.ci/with-keyring` starts, for tests marked `#[ignore = "needs a real Secret Service"]`.
    /// Anywhere else it fails the test rather than write to the keyring of whoever runs it.
    pub fn with_keyring(profiles: &str) -> TestEnv {
        assert!(
            std::env::var("OAUTHCTL_PRIVATE_KEYRING").is_ok_and(|v| v == "1"),
            "this test needs a real Secret Service: run it inside .ci/with-keyring, which starts a throwaway one (`.ci/with-keyring cargo test -- --include-ignored`)"
        );
        TestEnv {
            keyring: true,
            ..TestEnv::new(profiles)
        }
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("profiles.toml")
    }

    pub fn cache_dir(&self) -> PathBuf {
        self.dir.path().join("cache")
    }

    pub fn write_profiles(&self, text: &str) {
        std::fs::write(self.config(), text).unwrap();
    }

    /// `oauthctl` with a clean environment around this test's folders.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a std `Command`, for tests that spawn several at once.
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(oauthctl_bin());
        for var in [
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
            "NO_PROXY",
            "no_proxy",
            "OAUTHCTL_PROFILE",
            "SCM_SECRET",
            "NO_COLOR",
            // A developer's own browser never opens in a test: sign-in tests name their own.
            "BROWSER",
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "WSL_DISTRO_NAME",
        ] {
            cmd.env_remove(var);
        }
        // A profile key or a secret in the developer's environment would make one for the test.
        for (var, _) in std::env::vars_os() {
            if var.to_string_lossy().starts_with("OAUTHCTL_") {
                cmd.env_remove(var);
            }
        }
        cmd.env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("home/.config"))
            .env("XDG_CACHE_HOME", self.dir.path().join("home/.cache"))
            .env("OAUTHCTL_CONFIG", self.config())
            .env("OAUTHCTL_CACHE_DIR", self.cache_dir());
        if !self.keyring {
            cmd.env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", self.dir.path().join("no-bus").display()),
            );
        }
        cmd
    }

    /// `wrapper` (script, setpriv, GNU time) with this test's environment, for a test that runs
    /// oauthctl through another program; name oauthctl in its arguments with [`oauthctl_bin`].
    #[cfg(unix)]
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    pub fn wrapped(&self, wrapper: impl AsRef<OsStr>) -> std::process::Command {
        let template = self.std_cmd();
        let mut cmd = std::process::Command::new(wrapper);
        for (name, value) in template.get_envs() {
            match value {
                Some(value) => cmd.env(name, value),
                None => cmd.env_remove(name),
            };
        }
        cmd
    }

    /// `program` as nobody, through `setpriv` (util-linux), with this test's environment: how a
    /// test run as root meets file permissions, which root itself ignores.
    #[cfg(unix)]
    pub fn as_nobody(&self, program: &Path) -> std::process::Command {
        let mut cmd = self.wrapped("setpriv");
        cmd.arg(format!("--reuid={NOBODY}"))
            .arg(format!("--regid={NOBODY}"))
            .arg("--clear-groups")
            .arg(program);
        cmd
    }

    /// `oauthctl ARGS` with this test's environment in a new pseudo-terminal, for answering its
    /// questions as a user does; every expectation fails after 20 s.
    #[cfg(unix)]
    pub fn pty(&self, args: &[&str]) -> rexpect::session::PtySession {
        let mut cmd = self.std_cmd();
        cmd.args(args).env("TERM", "xterm");
        rexpect::session::spawn_command(cmd, Some(20_000)).unwrap()
    }

    /// Every file under the test's folder, for leak checks.
    pub fn all_file_contents(&self) -> String {
        files_under(self.dir.path())
            .values()
            .map(|bytes| String::from_utf8_lossy(bytes))
            .collect()
    }
}

/// The binary under test.
pub fn oauthctl_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("oauthctl")
}

/// Every file under `dir`, with its bytes; folders that cannot be read are passed over.
pub fn files_under(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                out.insert(path, bytes);
            }
        }
    }
    out
}

/// True when the tests run as root.
#[cfg(unix)]
pub fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A generic profile against a mock server, with the secret from `$SCM_SECRET`.
pub fn generic_profile(name: &str, token_url: &str, extra: &str) -> String {
    format!(
        "[profiles.{name}]\ntoken_url = \"{token_url}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\nclient_secret_env = \"SCM_SECRET\"\n{extra}\n"
    )
}

/// A test folder whose generic profile `scm` gets its tokens from `server` at [`TOKEN_PATH`],
/// with `extra` keys appended.
pub fn scm_env(server: &MockServer, extra: &str) -> TestEnv {
    TestEnv::new(&generic_profile("scm", &server.url(TOKEN_PATH), extra))
}

/// An `scm`-like profile whose token endpoint and API are `server`, with `extra` keys appended.
pub fn api_env(server: &MockServer, extra: &str) -> TestEnv {
    api_env_at(server, &server.base_url(), extra)
}

/// The same with the API at `api_base`.
pub fn api_env_at(server: &MockServer, api_base: &str, extra: &str) -> TestEnv {
    TestEnv::new(&generic_profile(
        "scm",
        &server.url(TOKEN_PATH),
        &format!("api_base = \"{api_base}\"\n{extra}"),
    ))
}

/// SCM's token response (docs/providers.md §1).
pub fn scm_token_response(token: &str, expires_in: u64) -> serde_json::Value {
    serde_json::json!({
        "access_token": token,
        "scope": "profile tsg_id:1234567890 email",
        "token_type": "Bearer",
        "expires_in": expires_in
    })
}

/// A token endpoint at [`TOKEN_PATH`] that issues [`TOKEN`] to any POST, as SCM answers.
pub fn token_endpoint(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    })
}

/// A server issuing `token`, and a test folder whose profiles `scm` and `iot` (one service
/// account, one scope) get their tokens from it.
pub fn token_server(token: &str) -> (MockServer, TestEnv) {
    let server = MockServer::start();
    let token = token.to_string();
    server.mock(move |when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(scm_token_response(&token, 899));
    });
    let env = TestEnv::new(
        &(generic_profile("scm", &server.url(TOKEN_PATH), "")
            + &generic_profile("iot", &server.url(TOKEN_PATH), "")),
    );
    (server, env)
}

/// A JWT whose claims are `claims`, in SCM's RS256 shape (key id `k1`, a dummy signature).
pub fn jwt(claims: serde_json::Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT","kid":"k1"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{body}.c2lnbmF0dXJl")
}

/// The time now, in seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// `text` form-urlencoded (`application/x-www-form-urlencoded`, a space as `+`).
pub fn form_urlencoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The base64 of `id:secret`, as an HTTP Basic header carries it (after `Basic `).
pub fn basic_credentials(id: &str, secret: &str) -> String {
    STANDARD.encode(format!("{id}:{secret}"))
}

/// `text` as one word for sh: in single quotes, each `'` written as `'\''`.
#[cfg(unix)]
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// What a command printed on stdout, as text.
pub fn stdout_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// What a command printed on stderr, as text.
pub fn stderr_of(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// When a server answered which request, by the server's clock, for tests of how requests are
/// spaced in time: a mock answers through [`Arrivals::answer`] (`then.respond_with`), which notes
/// the request's query and the time. The time is that of the answer, after any `then.delay`.
#[derive(Clone, Default)]
pub struct Arrivals(Arc<Mutex<Vec<(String, Instant)>>>);

impl Arrivals {
    /// A responder that notes the request and answers `status` with the JSON `body` and `headers`.
    pub fn answer(
        &self,
        status: u16,
        body: serde_json::Value,
        headers: &[(&str, &str)],
    ) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
        let noted = self.0.clone();
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let body = body.to_string();
        move |request: &HttpMockRequest| {
            let query = request.uri().query().unwrap_or("").to_string();
            noted.lock().unwrap().push((query, Instant::now()));
            let mut response = HttpMockResponse::builder()
                .status(status)
                .header("content-type", "application/json");
            for (name, value) in &headers {
                response = response.header(name.as_str(), value.as_str());
            }
            response.body(body.clone()).build()
        }
    }

    /// Every request answered so far, in the order of the answers.
    pub fn all(&self) -> Vec<(String, Instant)> {
        self.0.lock().unwrap().clone()
    }

    /// When the request whose query holds `part` was answered (the first such).
    pub fn at(&self, part: &str) -> Instant {
        self.all()
            .into_iter()
            .find(|(query, _)| query.contains(part))
            .unwrap_or_else(|| panic!("no request with `{part}` was answered: {:?}", self.all()))
            .1
    }
}
