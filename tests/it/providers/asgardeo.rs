//! WSO2 Asgardeo (preset `asgardeo`, docs/providers.md §4): the organisation's token path, an
//! opaque token with a scope dropped, and `invalid_client`.

use super::Vendor;
use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

const ASGARDEO: &str = "api.asgardeo.io";

fn asgardeo_profile() -> String {
    "[profiles.asg]\nprovider = \"asgardeo\"\norg = \"myorg\"\nclient_id = \"asg-client\"\nclient_secret_env = \"ASG_SECRET\"\nca_file = \"ca.pem\"\nscope = [\"internal_user_mgt_list\", \"internal_user_mgt_view\"]\n".into()
}

#[test]
fn asgardeo_opaque_token_and_dropped_scope_warned() {
    let vendor = Vendor::new(ASGARDEO, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/t/myorg/oauth2/token")
            .header("host", ASGARDEO)
            .header("authorization", "Basic YXNnLWNsaWVudDphc2ctc2VjcmV0")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                "grant_type=client_credentials&scope=internal_user_mgt_list+internal_user_mgt_view",
            );
        then.status(200).json_body(serde_json::json!({
            "access_token": "decc891e-4bee-3831-a321-38b1db1fece0",
            "scope": "internal_user_mgt_list",
            "token_type": "Bearer",
            "expires_in": 3600
        }));
    });
    let env = TestEnv::new(&asgardeo_profile());
    vendor
        .cmd(&env)
        .arg("token")
        .env("ASG_SECRET", "asg-secret")
        .assert()
        .success()
        .stdout("decc891e-4bee-3831-a321-38b1db1fece0\n")
        .stderr(format!(
            "oauthctl: warning: {ASGARDEO} did not grant internal_user_mgt_view (granted: internal_user_mgt_list)\n"
        ));
    // From the cache: no second warning, no second request.
    vendor.cmd(&env).arg("token").assert().success().stderr("");
    mock.assert_calls(1);
}

#[test]
fn asgardeo_invalid_client_exits_3() {
    let vendor = Vendor::new(ASGARDEO, false);
    vendor.server.mock(|when, then| {
        when.method(POST).path("/t/myorg/oauth2/token");
        then.status(401)
            .header("www-authenticate", "Basic realm=\"api.asgardeo.io\"")
            .json_body(serde_json::json!({"error_description": "Client credentials are invalid.", "error": "invalid_client"}));
    });
    let env = TestEnv::new(&asgardeo_profile());
    vendor
        .cmd(&env)
        .arg("token")
        .env("ASG_SECRET", "nope")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "failed: 401 invalid_client: Client credentials are invalid.",
        ));
}

#[test]
fn asgardeo_needs_org() {
    let env = TestEnv::new("[profiles.asg]\nprovider = \"asgardeo\"\nclient_id = \"a\"\n");
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "provider asgardeo needs `org` (your organisation's name",
        ));
}
