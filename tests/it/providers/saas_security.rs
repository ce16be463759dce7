//! SaaS Security, formerly Aperture (preset `saas-security`, docs/providers.md §3): the region's
//! host, the documented token request, and its 401.

use super::Vendor;
use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

const SAAS_EU: &str = "api.aperture-eu.paloaltonetworks.com";

fn saas_profile() -> String {
    "[profiles.saas]\nprovider = \"saas-security\"\nregion = \"eu\"\nclient_id = \"acme\"\nclient_secret_env = \"SAAS_SECRET\"\nca_file = \"ca.pem\"\n".into()
}

#[test]
fn saas_security_region_host_and_documented_request() {
    let vendor = Vendor::new(SAAS_EU, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("host", SAAS_EU)
            // The vendor page's own example (docs/providers.md §3): acme:acmesecret.
            .header("authorization", "Basic YWNtZTphY21lc2VjcmV0")
            .header("accept", "application/json")
            .header("content-type", "application/x-www-form-urlencoded; charset=ISO-8859-1")
            .body("grant_type=client_credentials&scope=api_access");
        then.status(200).header("content-type", "application/json;charset=ISO-8859-1").body(
            r#"{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJ0ZW5hbnQiOiJ0ZXN0In0.c2ln","token_type":"bearer","expires_in":7199,"scope":"api_access","tenant":"test tenant","jti":"d66abfad-0f2a-4b0e-9b4e-1c2d3e4f5a6b"}"#,
        );
    });
    let env = TestEnv::new(&saas_profile());
    let out = vendor
        .cmd(&env)
        .args(["token", "--format", "json"])
        .env("SAAS_SECRET", "acmesecret")
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(json["tenant"], "test tenant");
    assert_eq!(json["jti"], "d66abfad-0f2a-4b0e-9b4e-1c2d3e4f5a6b");
    assert_eq!(json["token_type"], "bearer");
    mock.assert_calls(1);
}

#[test]
fn saas_security_unauthorized_shows_description_and_resolution() {
    let vendor = Vendor::new(SAAS_EU, false);
    vendor.server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(401).json_body(serde_json::json!({
            "error": "unauthorized", "resolution": "Please submit valid credentials.", "error_description": "Invalid credentials"
        }));
    });
    let env = TestEnv::new(&saas_profile());
    vendor
        .cmd(&env)
        .arg("token")
        .env("SAAS_SECRET", "wrong")
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "oauthctl: token request to {SAAS_EU} failed: 401 unauthorized: Invalid credentials (Please submit valid credentials.)"
        )))
        .stderr(predicate::str::contains("hint: the client id or client secret was wrong"));
}

#[test]
fn saas_security_unknown_region_lists_the_regions() {
    let env = TestEnv::new(&saas_profile().replace("\"eu\"", "\"mars\""));
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown region `mars` for provider saas-security; regions: us, eu, apac, uk, in, au, uk2, jp"));
}
