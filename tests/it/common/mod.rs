//! Shared test support: a private config and cache folder per test, and the real binary.
//!
//! Every command runs with its own HOME, config file and cache folder, no proxy variables, and a
//! D-Bus address that leads nowhere, so a developer's own profiles, keyring and proxies never
//! change a result. Keyring tests opt in to the session bus of `.ci/with-keyring`.
#![allow(dead_code)]

pub mod tls;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A client secret with characters that need form-urlencoding.
pub const SECRET: &str = "s3cr&t/pa:ss+word";
/// A service-account id in SCM's shape.
pub const CLIENT_ID: &str = "sa-1@1234567890.iam.panserviceaccount.com";
/// A token in the shape SCM issues (an RS256 JWT; the content does not matter here).
pub const TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYS0xIn0.c2lnbmF0dXJl";

pub struct TestEnv {
    pub dir: TempDir,
}

impl TestEnv {
    /// A folder holding `profiles.toml` with `profiles` as its text.
    pub fn new(profiles: &str) -> TestEnv {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("profiles.toml"), profiles).unwrap();
        std::fs::create_dir(dir.path().join("home")).unwrap();
        TestEnv { dir }
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
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("oauthctl"));
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
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", self.dir.path().join("home"))
            .env("XDG_CONFIG_HOME", self.dir.path().join("home/.config"))
            .env("XDG_CACHE_HOME", self.dir.path().join("home/.cache"))
            .env("OAUTHCTL_CONFIG", self.config())
            .env("OAUTHCTL_CACHE_DIR", self.cache_dir());
        if keyring_tests_enabled() {
            // The private session of .ci/with-keyring: its bus and HOME are already isolated.
        } else {
            cmd.env(
                "DBUS_SESSION_BUS_ADDRESS",
                format!("unix:path={}", self.dir.path().join("no-bus").display()),
            );
        }
        cmd
    }

    /// Every file under the test's folder, for leak checks.
    pub fn all_file_contents(&self) -> String {
        let mut out = String::new();
        collect(self.dir.path(), &mut out);
        out
    }
}

fn collect(dir: &Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
}

/// True when the suite runs inside `.ci/with-keyring` with `OAUTHCTL_TEST_KEYRING=1`.
pub fn keyring_tests_enabled() -> bool {
    std::env::var("OAUTHCTL_TEST_KEYRING").is_ok_and(|v| v == "1")
}

/// Skips a keyring test, saying why, unless keyring tests are enabled.
#[macro_export]
macro_rules! require_keyring {
    () => {
        if !$crate::common::keyring_tests_enabled() {
            eprintln!(
                "skipped: needs a real Secret Service; run `OAUTHCTL_TEST_KEYRING=1 .ci/with-keyring cargo test` (CI does)"
            );
            return;
        }
    };
}

/// A generic profile against a mock server, with the secret from `$SCM_SECRET`.
pub fn generic_profile(name: &str, token_url: &str, extra: &str) -> String {
    format!(
        "[profiles.{name}]\ntoken_url = \"{token_url}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\nclient_secret_env = \"SCM_SECRET\"\n{extra}\n"
    )
}

/// SCM's token response (../shared/providers.md §1).
pub fn scm_token_response(token: &str, expires_in: u64) -> serde_json::Value {
    serde_json::json!({
        "access_token": token,
        "scope": "profile tsg_id:1234567890 email",
        "token_type": "Bearer",
        "expires_in": expires_in
    })
}
