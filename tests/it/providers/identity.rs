//! The identity providers' presets (`entra`, `okta`, `keycloak`, `auth0`; docs/providers.md
//! §6–§9): each one's token request at the vendor's real host name (through a local TLS front
//! and `OAUTHCTL_RESOLVE`), and the endpoints `profiles show` says it fills in.

use super::Vendor;
use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

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

/// `profiles show` of `profile` with `--set` pairs.
fn show(env: &TestEnv, sets: &[&str]) -> String {
    let mut cmd = env.cmd();
    cmd.args(["profiles", "show"]);
    for set in sets {
        cmd.args(["--set", set]);
    }
    stdout_of(&cmd.assert().success())
}

/// The preset's authorization and device endpoints (and its revocation endpoint, if it has one),
/// as `profiles show` gives them.
fn assert_endpoints(env: &TestEnv, authorize: &str, device: &str, revoke: Option<&str>) {
    let out = show(env, &["grant=authorization_code", "client_auth=none"]);
    assert_eq!(
        shown(&out, "authorization_url"),
        format!("{authorize}  (preset)")
    );
    match revoke {
        Some(url) => assert_eq!(shown(&out, "revocation_url"), format!("{url}  (preset)")),
        None => assert!(!out.contains("revocation_url"), "{out}"),
    }
    let out = show(env, &["grant=device_code"]);
    assert_eq!(
        shown(&out, "device_authorization_url"),
        format!("{device}  (preset)")
    );
}

#[test]
fn entra_asks_the_tenant_s_v2_endpoint_for_the_resource_s_default_scope() {
    let host = "login.microsoftonline.com";
    let tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    let vendor = Vendor::new(host, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path(format!("/{tenant}/oauth2/v2.0/token"))
            .header("host", host)
            .header_missing("authorization")
            .body("grant_type=client_credentials&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&client_id=app-1&client_secret=entra-secret");
        then.status(200).json_body(serde_json::json!({
            "token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": TOKEN
        }));
    });
    let env = TestEnv::new(&format!(
        "[profiles.ms]\nprovider = \"entra\"\ntenant = \"{tenant}\"\nresource = \"https://graph.microsoft.com\"\nclient_id = \"app-1\"\nclient_secret_env = \"ENTRA_SECRET\"\nca_file = \"ca.pem\"\n"
    ));
    vendor
        .cmd(&env)
        .arg("token")
        .env("ENTRA_SECRET", "entra-secret")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
    let out = show(&env, &[]);
    assert_eq!(
        shown(&out, "scope"),
        "https://graph.microsoft.com/.default  (preset)"
    );
    assert_eq!(
        shown(&out, "api_base"),
        "https://graph.microsoft.com/  (preset)"
    );
    let base = format!("https://{host}/{tenant}/oauth2/v2.0");
    assert_endpoints(
        &env,
        &format!("{base}/authorize"),
        &format!("{base}/devicecode"),
        None,
    );
}

#[test]
fn entra_refuses_a_tenant_that_would_change_the_url() {
    let env = TestEnv::new(
        "[profiles.ms]\nprovider = \"entra\"\ntenant = \"evil.example/x\"\nresource = \"https://graph.microsoft.com\"\nclient_id = \"app\"\n",
    );
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "profile ms: tenant \"evil.example/x\" is not one",
        ));
}

#[test]
fn okta_asks_the_default_authorization_server_unless_told_another() {
    let host = "dev-123456.okta.com";
    let vendor = Vendor::new(host, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth2/default/v1/token")
            .header("host", host)
            .header("authorization", "Basic b2t0YS1hcHA6b2t0YS1zZWNyZXQ=")
            .body("grant_type=client_credentials&scope=api%3Aread");
        then.status(200).json_body(serde_json::json!({
            "token_type": "Bearer", "expires_in": 3600, "access_token": TOKEN, "scope": "api:read"
        }));
    });
    let env = TestEnv::new(&format!(
        "[profiles.okta]\nprovider = \"okta\"\ndomain = \"{host}\"\nclient_id = \"okta-app\"\nscope = \"api:read\"\nclient_secret_env = \"OKTA_SECRET\"\nca_file = \"ca.pem\"\n"
    ));
    vendor
        .cmd(&env)
        .arg("token")
        .env("OKTA_SECRET", "okta-secret")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
    let base = format!("https://{host}/oauth2/default/v1");
    assert_endpoints(
        &env,
        &format!("{base}/authorize"),
        &format!("{base}/device/authorize"),
        Some(&format!("{base}/revoke")),
    );
    let out = show(&env, &["authorization_server=aus1a2b3c"]);
    assert_eq!(
        shown(&out, "token_url"),
        format!("https://{host}/oauth2/aus1a2b3c/v1/token  (preset)")
    );
}

#[test]
fn keycloak_asks_the_realm_s_openid_connect_endpoints() {
    let host = "sso.example.com";
    let vendor = Vendor::new(host, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/realms/main/protocol/openid-connect/token")
            .header("host", host)
            .header("authorization", "Basic a2MtYXBwOmtjLXNlY3JldA==")
            .body("grant_type=client_credentials");
        then.status(200).json_body(serde_json::json!({
            "access_token": TOKEN, "expires_in": 300, "refresh_expires_in": 0,
            "token_type": "Bearer", "not-before-policy": 0, "scope": "profile email"
        }));
    });
    // A trailing slash on base_url is not doubled.
    let env = TestEnv::new(&format!(
        "[profiles.kc]\nprovider = \"keycloak\"\nbase_url = \"https://{host}/\"\nrealm = \"main\"\nclient_id = \"kc-app\"\nclient_secret_env = \"KC_SECRET\"\nca_file = \"ca.pem\"\n"
    ));
    vendor
        .cmd(&env)
        .arg("token")
        .env("KC_SECRET", "kc-secret")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
    let base = format!("https://{host}/realms/main/protocol/openid-connect");
    assert_endpoints(
        &env,
        &format!("{base}/auth"),
        &format!("{base}/auth/device"),
        Some(&format!("{base}/revoke")),
    );
}

#[test]
fn auth0_sends_the_audience_it_requires() {
    let host = "example.us.auth0.com";
    let vendor = Vendor::new(host, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("host", host)
            .header_missing("authorization")
            .body("grant_type=client_credentials&audience=https%3A%2F%2Fapi.example.com%2F&client_id=a0-app&client_secret=a0-secret");
        then.status(200).json_body(serde_json::json!({
            "access_token": TOKEN, "token_type": "Bearer", "expires_in": 86400
        }));
    });
    let env = TestEnv::new(&format!(
        "[profiles.a0]\nprovider = \"auth0\"\ndomain = \"{host}\"\naudience = \"https://api.example.com/\"\nclient_id = \"a0-app\"\nclient_secret_env = \"A0_SECRET\"\nca_file = \"ca.pem\"\n"
    ));
    vendor
        .cmd(&env)
        .arg("token")
        .env("A0_SECRET", "a0-secret")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
    let out = show(&env, &[]);
    assert_eq!(
        shown(&out, "extra_params.audience"),
        "https://api.example.com/  (preset)"
    );
    assert_endpoints(
        &env,
        &format!("https://{host}/authorize"),
        &format!("https://{host}/oauth/device/code"),
        Some(&format!("https://{host}/oauth/revoke")),
    );
}
