//! Discovery (RFC 8414, OpenID Connect Discovery 1.0): a profile with `issuer` and no `token_url`
//! takes its endpoints from the issuer's metadata, checked (the issuer exactly, every URL as a
//! typed one), cached beside the tokens for a day and fetched again by `--refresh`. Against
//! httpmock documents here, and against the certified provider at the end.

use httpmock::prelude::*;
use predicates::prelude::*;
use serde_json::json;

use crate::common::oidc::*;
use crate::common::*;

const OPENID: &str = "/.well-known/openid-configuration";

/// A profile `op` with only the issuer, the client id and where its secret is.
fn issuer_env(issuer: &str, extra: &str) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.op]\nissuer = \"{issuer}\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\n{extra}"
    ))
}

/// Metadata of `server` as its own issuer, with `extra` fields over it.
pub fn metadata(server: &MockServer, extra: serde_json::Value) -> serde_json::Value {
    let mut doc = json!({
        "issuer": server.base_url(),
        "token_endpoint": server.url("/token"),
        "authorization_endpoint": server.url("/authorize"),
        "device_authorization_endpoint": server.url("/device"),
        "revocation_endpoint": server.url("/revoke"),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "jwks_uri": server.url("/jwks")
    });
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    doc
}

pub fn discovery_mock(server: &MockServer, doc: serde_json::Value) -> httpmock::Mock<'_> {
    server.mock(move |when, then| {
        when.method(GET).path(OPENID);
        then.status(200).json_body(doc.clone());
    })
}

pub fn token_mock(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(POST)
            .path("/token")
            .header("authorization", BASIC)
            .body("grant_type=client_credentials");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    })
}

fn token(env: &TestEnv) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.args(["token", "-p", "op"]).env("SCM_SECRET", SECRET);
    cmd
}

/// The value `profiles show` prints for `key`.
fn shown(stdout: &str, key: &str) -> String {
    stdout
        .lines()
        .find_map(|line| {
            let rest = line.strip_prefix(key)?;
            rest.starts_with("  ").then(|| rest.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no {key} line in:\n{stdout}"))
}

#[test]
fn the_issuer_s_token_endpoint_is_used_and_its_document_cached_for_the_next_token() {
    let server = MockServer::start();
    let discovery = discovery_mock(&server, metadata(&server, json!({})));
    let tokens = token_mock(&server);
    let env = issuer_env(&server.base_url(), "");
    token(&env)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr("");
    discovery.assert_calls(1);
    tokens.assert_calls(1);

    // The token's own entry gone, the document still cached: the next token needs the token
    // endpoint, and asks the issuer nothing.
    env.cmd()
        .args(["cache", "clear", "-p", "op"])
        .assert()
        .success();
    token(&env).assert().success().stdout(format!("{TOKEN}\n"));
    tokens.assert_calls(2);
    discovery.assert_calls(1);

    // A warm token touches no network at all.
    token(&env).assert().success().stdout(format!("{TOKEN}\n"));
    tokens.assert_calls(2);
    discovery.assert_calls(1);

    // The cached document is a private file of the cache folder, holding no secret.
    let cached: Vec<_> = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .flatten()
        .filter(|f| f.file_name().to_string_lossy().ends_with(".discovery"))
        .collect();
    assert_eq!(cached.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            cached[0].metadata().unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let text = std::fs::read_to_string(cached[0].path()).unwrap();
    assert!(text.contains(&server.url("/token")), "{text}");
    assert!(
        !text.contains("jwks"),
        "only what oauthctl uses is kept: {text}"
    );
}

#[test]
fn refresh_fetches_the_document_again_too() {
    let server = MockServer::start();
    let discovery = discovery_mock(&server, metadata(&server, json!({})));
    let tokens = token_mock(&server);
    let env = issuer_env(&server.base_url(), "");
    token(&env).assert().success();
    token(&env).arg("--refresh").assert().success();
    discovery.assert_calls(2);
    tokens.assert_calls(2);
}

#[test]
fn a_document_naming_another_issuer_is_refused_naming_both() {
    let server = MockServer::start();
    let discovery = discovery_mock(
        &server,
        metadata(&server, json!({"issuer": "https://evil.example"})),
    );
    let tokens = token_mock(&server);
    let env = issuer_env(&server.base_url(), "");
    token(&env)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "names issuer \"https://evil.example\", and the profile's issuer is \"{}\"",
            server.base_url()
        )));
    discovery.assert_calls(1);
    tokens.assert_calls(0);
    // Nothing cached: the next try asks again.
    token(&env).assert().code(1);
    discovery.assert_calls(2);
}

#[test]
fn without_an_openid_configuration_the_rfc_8414_document_is_asked_with_the_path_after_it() {
    let server = MockServer::start();
    let issuer = server.url("/tenant1");
    let openid = server.mock(|when, then| {
        when.method(GET).path(format!("/tenant1{OPENID}"));
        then.status(404);
    });
    let mut doc = metadata(&server, json!({}));
    doc["issuer"] = json!(issuer);
    let oauth = server.mock(move |when, then| {
        when.method(GET)
            .path("/.well-known/oauth-authorization-server/tenant1");
        then.status(200).json_body(doc.clone());
    });
    let tokens = token_mock(&server);
    let env = issuer_env(&issuer, "");
    token(&env).assert().success().stdout(format!("{TOKEN}\n"));
    openid.assert_calls(1);
    oauth.assert_calls(1);
    tokens.assert_calls(1);
}

#[test]
fn a_discovered_endpoint_that_is_not_https_is_refused_as_a_typed_one_is() {
    let server = MockServer::start();
    discovery_mock(
        &server,
        metadata(
            &server,
            json!({"token_endpoint": "http://auth.example.com/token"}),
        ),
    );
    let tokens = token_mock(&server);
    let env = issuer_env(&server.base_url(), "");
    token(&env)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "token_url (token_endpoint discovered from {}) http://auth.example.com/token is not https",
            server.base_url()
        )));
    tokens.assert_calls(0);
}

#[test]
fn an_issuer_that_is_not_https_is_refused_before_anything_is_sent() {
    let env = issuer_env("http://auth.example.com", "");
    token(&env)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "issuer http://auth.example.com/ is not https",
        ));
}

#[test]
fn keys_the_profile_writes_win_over_discovered_ones_and_show_marks_the_rest() {
    let server = MockServer::start();
    let discovery = discovery_mock(
        &server,
        metadata(
            &server,
            json!({"token_endpoint_auth_methods_supported": ["client_secret_post"]}),
        ),
    );
    let env = issuer_env(
        &server.base_url(),
        "grant = \"device_code\"\nrevocation_url = \"https://revoke.example.com/r\"\n",
    );
    let out = stdout_of(
        &env.cmd()
            .args(["profiles", "show", "-p", "op"])
            .assert()
            .success(),
    );
    assert_eq!(shown(&out, "issuer"), server.base_url());
    assert_eq!(
        shown(&out, "token_url"),
        format!("{}  (discovered)", server.url("/token"))
    );
    assert_eq!(
        shown(&out, "device_authorization_url"),
        format!("{}  (discovered)", server.url("/device"))
    );
    assert_eq!(
        shown(&out, "revocation_url"),
        "https://revoke.example.com/r"
    );
    // The server lists no HTTP Basic: the form fields.
    assert_eq!(shown(&out, "client_auth"), "post  (discovered)");
    discovery.assert_calls(1);
}

#[test]
fn commands_that_need_no_endpoints_do_not_ask_the_issuer() {
    let server = MockServer::start();
    let discovery = discovery_mock(&server, metadata(&server, json!({})));
    let env = issuer_env(&server.base_url(), "");
    env.cmd()
        .args(["profiles", "list"])
        .assert()
        .success()
        .stdout(format!(
            "op  generic  endpoints from {} (not discovered yet)\n",
            server.base_url()
        ));
    // No metadata cached means no token cached: a fetch would be needed.
    env.cmd()
        .args(["token", "--check", "-p", "op"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("");
    env.cmd().args(["profiles", "use", "op"]).assert().success();
    env.cmd()
        .arg("doctor")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "not discovered yet (`oauthctl doctor --network` fetches them)",
        ));
    discovery.assert_calls(0);
}

// ---- The certified provider ----

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn a_profile_with_only_the_issuer_gets_a_token_from_the_certified_provider() {
    let op = OidcProvider::start();
    let env = TestEnv::new(&format!(
        "[profiles.op]\nprovider = \"oidc\"\nissuer = \"{}\"\nclient_id = \"{BASIC_CLIENT}\"\nclient_secret_env = \"SCM_SECRET\"\n",
        op.issuer
    ));
    let out = stdout_of(
        &env.cmd()
            .args(["profiles", "show", "-p", "op"])
            .assert()
            .success(),
    );
    assert_eq!(shown(&out, "issuer"), op.issuer);
    assert_eq!(
        shown(&out, "token_url"),
        format!("{}  (discovered)", op.token_url)
    );
    assert_eq!(
        shown(&out, "revocation_url"),
        format!("{}  (discovered)", op.revocation_url)
    );
    let token = stdout_of(
        &env.cmd()
            .args(["token", "-p", "op"])
            .env("SCM_SECRET", CLIENT_SECRET)
            .assert()
            .success()
            .stderr(""),
    );
    let token = token.trim_end();
    let grants: Vec<_> = op
        .events_named("grant.success")
        .into_iter()
        .filter(|e| e["grant_type"] == "client_credentials")
        .collect();
    assert_eq!(grants.len(), 1, "{grants:?}");
    assert_eq!(grants[0]["client_id"], BASIC_CLIENT);
    assert!(token.len() >= 32, "{token:?}");
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn a_login_profile_finds_its_authorization_endpoint_at_the_certified_provider() {
    let op = OidcProvider::start();
    let env = TestEnv::new(&format!(
        "[profiles.op]\nprovider = \"oidc\"\nissuer = \"{}\"\nclient_id = \"{PUBLIC_CLIENT}\"\nclient_auth = \"none\"\ngrant = \"authorization_code\"\n",
        op.issuer
    ));
    let out = stdout_of(
        &env.cmd()
            .args(["profiles", "show", "-p", "op"])
            .assert()
            .success(),
    );
    assert_eq!(
        shown(&out, "authorization_url"),
        format!("{}  (discovered)", op.authorization_url)
    );
    assert_eq!(shown(&out, "client_auth"), "none");
}

#[test]
fn provider_oidc_needs_an_issuer() {
    let env = TestEnv::new("[profiles.op]\nprovider = \"oidc\"\nclient_id = \"c\"\n");
    env.cmd()
        .args(["token", "-p", "op"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("provider oidc needs `issuer`"));
}
