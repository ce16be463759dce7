//! The profile file: `ProfileFile::parse` over arbitrary UTF-8, then every profile resolved (its
//! preset applied, its values checked), as `oauthctl` does for `-p NAME`, `profiles list` and the
//! cache's sharing of tokens.
//!
//! Properties: a parse error names the file; a profile that resolves has a client id, a token
//! endpoint over https (or on loopback), a user with a name for the password grant or else a
//! `require_user` that refuses it, a single certificate for mutual TLS, and
//! allowed origins over https (or on loopback), each once; `resolve_all` holds exactly the
//! profiles `select` accepts.
//!
//! Paths in the file are real paths: a `service_key` is read from disk. So that no input makes
//! the fuzzer read a device (`/dev/zero` never ends) or a stranger's file, the profile file sits in
//! `fuzz/fixtures/` with `$HOME` at `fuzz/fixtures/home`, and an input whose `service_key` names an
//! existing file outside `fuzz/fixtures/` is skipped. The fixtures are SAP BTP service keys in
//! the shapes of docs/providers.md §5.

#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use oauthctl::http::target::is_loopback;
use oauthctl::oauth::client_auth::ClientAuth;
use oauthctl::oauth::grant::Grant;
use oauthctl::config::{Profile, ProfileFile};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");

fuzz_target!(
    init: {
        // SAFETY: init runs once, before the fuzzer starts, on the only thread there is.
        unsafe { std::env::set_var("HOME", Path::new(FIXTURES).join("home")) };
    },
    |data: &[u8]| {
        let Ok(text) = std::str::from_utf8(data) else {
            return;
        };
        if !reads_only_fixtures(text) {
            return;
        }
        let path = Path::new(FIXTURES).join("profiles.toml");
        let file = match ProfileFile::parse(&path, text) {
            Ok(file) => file,
            Err(err) => {
                let msg = err.to_string();
                assert!(msg.starts_with(&format!("{}: ", path.display())), "{msg}");
                return;
            }
        };
        let mut resolved = 0;
        for name in file.names() {
            let _ = file.keys_set(name);
            if let Ok(profile) = file.select(Some(name)) {
                assert_eq!(profile.name, name);
                check(&profile);
                resolved += 1;
            }
        }
        assert_eq!(file.resolve_all().len(), resolved);
        if let Ok(profile) = file.select(None) {
            let expected = file.default_profile().map(str::to_string).or_else(|| {
                let names = file.names();
                (names.len() == 1).then(|| names[0].to_string())
            });
            assert_eq!(Some(profile.name.clone()), expected);
            check(&profile);
        }
    }
);

/// What the rest of oauthctl relies on once a profile resolved.
fn check(profile: &Profile) {
    let request = &profile.token_request;
    let url = &request.url;
    assert!(
        url.scheme() == "https" || is_loopback(url),
        "the client secret would go to {url} without TLS"
    );
    assert!(!request.client_id.is_empty());
    assert!(!profile.token_host().is_empty());
    match &request.grant {
        // A password-grant profile without a user resolves (to be listed and fixed), but nothing
        // may ask for a token with it.
        Grant::Password(grant) => {
            assert_eq!(grant.user.is_some(), profile.require_user().is_ok());
            if let Some(user) = &grant.user {
                assert!(!user.name.is_empty());
            }
        }
        Grant::ClientCredentials => assert!(profile.require_user().is_ok()),
    }
    for (i, origin) in profile.allowed_origins.iter().enumerate() {
        assert!(
            origin.scheme() == "https" || is_loopback(origin),
            "the token could go to {origin} without TLS"
        );
        assert!(
            !profile.allowed_origins[..i]
                .iter()
                .any(|o| o.origin() == origin.origin()),
            "{origin} is listed twice"
        );
    }
    // Mutual TLS carries its certificate; a second one beside it would be ambiguous.
    if let ClientAuth::TlsClientAuth(_) = request.client_auth {
        assert!(request.client_cert.is_none());
    }
}

/// False when a profile's `service_key` names an existing file outside the fixtures (where the
/// profile file would look for it: `~/` is `$HOME`, relative paths are relative to the fixtures).
fn reads_only_fixtures(text: &str) -> bool {
    let Ok(doc) = toml::from_str::<toml::Table>(text) else {
        return true;
    };
    let Some(profiles) = doc.get("profiles").and_then(toml::Value::as_table) else {
        return true;
    };
    let fixtures = Path::new(FIXTURES)
        .canonicalize()
        .expect("fuzz/fixtures exists");
    profiles
        .values()
        .filter_map(|p| p.get("service_key")?.as_str())
        .all(|key| {
            let key = Path::new(key);
            let path: PathBuf = match key.strip_prefix("~") {
                Ok(rest) => fixtures.join("home").join(rest),
                Err(_) => fixtures.join(key),
            };
            match path.canonicalize() {
                Ok(real) => real.starts_with(&fixtures),
                Err(_) => !path.exists(),
            }
        })
}
