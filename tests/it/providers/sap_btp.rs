//! SAP BTP's xsuaa (preset `sap-btp`, docs/providers.md §5): tokens from a service key, the
//! password grant, `profiles import-sap-key`, and X.509 keys over mutual TLS.

use super::Vendor;
use crate::common::tls::{Pki, TlsFront};
use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

const SAP_UAA: &str = "mysub.authentication.eu10.hana.ondemand.com";
const SAP_CERT_UAA: &str = "mysub.authentication.cert.eu10.hana.ondemand.com";
const SAP_SECRET: &str = "sap-secret/=";
const SAP_BASIC: &str =
    "Basic c2ItdXQtMTIzNCUyMWIxJTdDY2lzLWNlbnRyYWwlMjFiMTQ6c2FwLXNlY3JldCUyRiUzRA==";

/// A Cloud Management service key, in the shape SAP's page shows (docs/providers.md §5).
fn sap_key(grant_type: &str) -> serde_json::Value {
    serde_json::json!({
        "endpoints": {
            "accounts_service_url": "https://accounts-service.cfapps.eu10.hana.ondemand.com",
            "entitlements_service_url": "https://entitlements-service.cfapps.eu10.hana.ondemand.com",
            "events_service_url": "https://events-service.cfapps.eu10.hana.ondemand.com"
        },
        "grant_type": grant_type,
        "sap.cloud.service": "com.sap.core.commercial.service.central",
        "uaa": {
            "apiurl": "https://api.authentication.eu10.hana.ondemand.com",
            "clientid": SAP_CLIENT_ID,
            "clientsecret": SAP_SECRET,
            "identityzone": "mysub",
            "tenantmode": "dedicated",
            "url": format!("https://{SAP_UAA}"),
            "xsappname": "ut-1234!b1|cis-central!b14"
        }
    })
}

fn write_key(env: &TestEnv, key: &serde_json::Value) -> std::path::PathBuf {
    let path = env.dir.path().join("downloads-cis-key.json");
    std::fs::write(&path, serde_json::to_vec_pretty(key).unwrap()).unwrap();
    path
}

fn sap_response() -> serde_json::Value {
    serde_json::json!({
        "access_token": "eyJhbGciOiJSUzI1NiJ9.eyJ6aWQiOiJteXN1YiJ9.c2ln",
        "token_type": "bearer",
        "expires_in": 43199,
        "scope": "ut-1234!b1|cis-central!b14.job.read ut-1234!b1|cis-central!b14.event.read",
        "jti": "5e4c1f"
    })
}

#[test]
fn sap_client_credentials_from_the_service_key() {
    let vendor = Vendor::new(SAP_UAA, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("host", SAP_UAA)
            .header("authorization", SAP_BASIC)
            .header("content-type", "application/x-www-form-urlencoded")
            .body("grant_type=client_credentials");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::new("");
    let key = write_key(&env, &sap_key("client_credentials"));
    env.write_profiles(&format!(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = {:?}\nclient_secret_from = \"service_key\"\nca_file = \"ca.pem\"\n",
        key.display().to_string()
    ));
    vendor
        .cmd(&env)
        .arg("token")
        .assert()
        .success()
        .stdout("eyJhbGciOiJSUzI1NiJ9.eyJ6aWQiOiJteXN1YiJ9.c2ln\n");
    mock.assert_calls(1);
}

fn sap_password_profile(env: &TestEnv) -> String {
    let key = write_key(env, &sap_key("user_token"));
    format!(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = {:?}\nclient_secret_from = \"service_key\"\nusername = \"jane.doe@example.com\"\npassword_env = \"SAP_PASSWORD\"\nca_file = \"ca.pem\"\n",
        key.display().to_string()
    )
}

#[test]
fn sap_password_grant_with_passcode_appended() {
    let vendor = Vendor::new(SAP_UAA, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", SAP_BASIC)
            .body("grant_type=password&username=jane.doe%40example.com&password=Abcd1234");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::new("");
    env.write_profiles(&sap_password_profile(&env));
    // The key's grant_type "user_token" selects the password grant; SAP's example: the password
    // Abcd and the passcode 1234, appended.
    let out = vendor
        .cmd(&env)
        .args(["token", "--passcode", "1234", "-v"])
        .env("SAP_PASSWORD", "Abcd")
        .assert()
        .success();
    let stderr = stderr_of(&out);
    assert!(stderr.contains("password=REDACTED"), "{stderr}");
    for leak in ["Abcd", SAP_SECRET, "sap-secret"] {
        assert!(!stderr.contains(leak), "stderr holds {leak}:\n{stderr}");
    }
    mock.assert_calls(1);
}

#[test]
fn sap_wrong_password_and_wrong_client_secret_are_told_apart() {
    let vendor = Vendor::new(SAP_UAA, false);
    let mut wrong_user = vendor.server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(401).json_body(serde_json::json!({"error": "unauthorized", "error_description": "Name or password mismatch"}));
    });
    let env = TestEnv::new("");
    env.write_profiles(&sap_password_profile(&env));
    vendor
        .cmd(&env)
        .arg("token")
        .env("SAP_PASSWORD", "wrong")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "token request to {SAP_UAA} failed: 401 unauthorized: Name or password mismatch"
        )))
        .stderr(predicate::str::contains(
            "hint: the user name or password was wrong",
        ));
    wrong_user.delete();
    vendor.server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(401).json_body(
            serde_json::json!({"error": "invalid_client", "error_description": "Bad credentials"}),
        );
    });
    vendor
        .cmd(&env)
        .arg("token")
        .env("SAP_PASSWORD", "Abcd")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "failed: 401 invalid_client: Bad credentials",
        ))
        .stderr(predicate::str::contains(
            "hint: the client id or client secret was wrong",
        ));
}

#[test]
fn sap_tokens_are_cached_per_user() {
    let vendor = Vendor::new(SAP_UAA, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::new("");
    let profile = sap_password_profile(&env);
    env.write_profiles(&profile);
    vendor
        .cmd(&env)
        .arg("token")
        .env("SAP_PASSWORD", "Abcd")
        .assert()
        .success();
    vendor.cmd(&env).arg("token").assert().success();
    mock.assert_calls(1);
    env.write_profiles(&profile.replace("jane.doe@example.com", "john.roe@example.com"));
    vendor
        .cmd(&env)
        .arg("token")
        .env("SAP_PASSWORD", "Efgh")
        .assert()
        .success();
    mock.assert_calls(2);
}

#[test]
fn sap_api_base_comes_from_the_named_endpoint_and_missing_fields_are_named() {
    let env = TestEnv::new("");
    let mut key = sap_key("client_credentials");
    let path = write_key(&env, &key);
    env.write_profiles(&format!(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = {:?}\napi = \"nope_url\"\n",
        path.display().to_string()
    ));
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the service key has no endpoints.nope_url; set `api` to one of: accounts_service_url, entitlements_service_url, events_service_url",
        ));
    key["uaa"].as_object_mut().unwrap().remove("url");
    write_key(&env, &key);
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has no uaa.url"));
}

#[test]
fn sap_call_may_reach_every_service_key_endpoint_and_nothing_else() {
    const EVENTS: &str = "events-service.cfapps.eu10.hana.ondemand.com";
    let server = MockServer::start();
    let pki = Pki::new();
    let cert = pki.issue(&[SAP_UAA, EVENTS], false);
    let front = TlsFront::start(&pki, &cert, false, server.port());
    let token = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("host", SAP_UAA);
        then.status(200).json_body(sap_response());
    });
    let events = server.mock(|when, then| {
        when.method(GET)
            .path("/cloud-management/v1/events")
            .header("host", EVENTS)
            .query_param("pageNum", "0")
            .header(
                "authorization",
                "Bearer eyJhbGciOiJSUzI1NiJ9.eyJ6aWQiOiJteXN1YiJ9.c2ln",
            );
        then.status(200)
            .body(r#"{"total":0,"totalPages":0,"pageNum":0,"morePages":false,"events":[]}"#);
    });
    let env = TestEnv::new("");
    std::fs::write(env.dir.path().join("ca.pem"), &pki.ca_pem).unwrap();
    let key = write_key(&env, &sap_key("client_credentials"));
    env.write_profiles(&format!(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = {:?}\nclient_secret_from = \"service_key\"\nca_file = \"ca.pem\"\n",
        key.display().to_string()
    ));
    let resolve = format!("{},{}", front.resolve(SAP_UAA), front.resolve(EVENTS));
    env.cmd()
        .args([
            "call",
            "GET",
            &format!("https://{EVENTS}/cloud-management/v1/events"),
            "-q",
            "pageNum=0",
        ])
        .env("OAUTHCTL_RESOLVE", &resolve)
        .assert()
        .success()
        .stdout(r#"{"total":0,"totalPages":0,"pageNum":0,"morePages":false,"events":[]}"#);
    events.assert_calls(1);
    env.cmd()
        .args([
            "call",
            "GET",
            "https://evil.example.com/cloud-management/v1/events",
        ])
        .env("OAUTHCTL_RESOLVE", &resolve)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "refusing to send profile btp's token to https://evil.example.com",
        ));
    token.assert_calls(1);
}

#[test]
#[ignore = "needs a real Secret Service"]
fn password_from_the_keyring_for_the_password_grant() {
    let vendor = Vendor::new(SAP_UAA, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .body("grant_type=password&username=jane.doe%40example.com&password=K3yr1ng%21");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::with_keyring("");
    env.write_profiles(&sap_password_profile(&env));
    env.cmd()
        .args(["secret", "set", "-p", "btp", "--password"])
        .write_stdin("K3yr1ng!\n")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "stored the password for jane.doe@example.com@",
        ));
    vendor.cmd(&env).arg("token").assert().success();
    mock.assert_calls(1);
    let status = env
        .cmd()
        .args(["secret", "status", "-p", "btp"])
        .assert()
        .success();
    let stdout = stdout_of(&status);
    assert!(stdout.contains("user: jane.doe@example.com@"), "{stdout}");
    assert!(!stdout.contains("K3yr1ng"), "{stdout}");
    env.cmd()
        .args(["secret", "delete", "-p", "btp", "--password"])
        .assert()
        .success();
}

// ---- Importing a service key ----

// Only there is the keyring (the Secret Service) out of reach in a test.
#[cfg(target_os = "linux")]
#[test]
fn import_sap_key_without_a_keyring_writes_nothing() {
    let env = TestEnv::new("default_profile = \"x\"\n");
    let key = write_key(&env, &sap_key("client_credentials"));
    let before = std::fs::read_to_string(env.config()).unwrap();
    env.cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&key)
        .args(["--name", "btp"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "profile btp was not added, nothing was written: cannot store the client secret for",
        ))
        .stderr(predicate::str::contains(
            "client_secret_from = \"service_key\"",
        ));
    assert_eq!(std::fs::read_to_string(env.config()).unwrap(), before);
    assert!(!env.dir.path().join("sap-keys").exists());
}

#[test]
#[ignore = "needs a real Secret Service"]
fn import_sap_key_puts_the_secret_in_the_keyring_not_the_profile() {
    let vendor = Vendor::new(SAP_UAA, false);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", SAP_BASIC)
            .body("grant_type=client_credentials");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::with_keyring("# my profiles\ndefault_profile = \"btp\"\n");
    let key = write_key(&env, &sap_key("client_credentials"));
    env.cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&key)
        .args(["--name", "btp"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("added profile btp"));
    // The download can go: the profile reads a copy without the secret.
    std::fs::remove_file(&key).unwrap();
    let text = std::fs::read_to_string(env.config()).unwrap();
    assert!(
        text.starts_with("# my profiles\ndefault_profile = \"btp\"\n"),
        "{text}"
    );
    assert!(text.contains("provider = \"sap-btp\""), "{text}");
    std::fs::write(env.config(), format!("{text}ca_file = \"ca.pem\"\n")).unwrap();
    assert!(
        !env.all_file_contents().contains(SAP_SECRET),
        "the secret stayed on disk"
    );
    vendor.cmd(&env).arg("token").assert().success();
    mock.assert_calls(1);
    env.cmd()
        .args(["secret", "delete", "-p", "btp"])
        .assert()
        .success();
}

// ---- SAP's default keys (grant_type user_token), https-only endpoints ----

/// The Cloud Management key of [`sap_key`] (grant_type user_token, SAP's default) for an xsuaa on
/// loopback, with its own client id so that keyring tests running at once never share an entry.
fn loopback_sap_key(server: &MockServer, clientid: &str) -> serde_json::Value {
    let mut key = sap_key("user_token");
    key["uaa"]["url"] = server.base_url().into();
    key["uaa"]["clientid"] = clientid.into();
    key
}

/// The table `import-sap-key` appends for a user_token key imported as `btp`.
fn imported_table(env: &TestEnv, key: &std::path::Path, extra: &str) -> String {
    format!(
        "\n# Imported from {} by `oauthctl profiles import-sap-key`; the client secret is in the OS keyring.\n[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = {:?}\n{extra}",
        key.display(),
        env.dir
            .path()
            .join("sap-keys/btp.json")
            .display()
            .to_string()
    )
}

#[test]
#[ignore = "needs a real Secret Service"]
fn import_user_token_key_with_username_and_password_env_gets_a_password_grant_token() {
    const CLIENT: &str = "sb-import-user!b1|cis-central!b14";
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header_exists("authorization")
            .header("content-type", "application/x-www-form-urlencoded")
            .form_urlencoded_tuple("grant_type", "password")
            .form_urlencoded_tuple("username", "jane.doe@example.com")
            .form_urlencoded_tuple("password", "P4ss w&rd!")
            .body("grant_type=password&username=jane.doe%40example.com&password=P4ss+w%26rd%21");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::with_keyring("# my profiles\n");
    let key = write_key(&env, &loopback_sap_key(&server, CLIENT));
    env.cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&key)
        .args(["--name", "btp", "--username", "jane.doe@example.com"])
        .args(["--password-env", "SAP_PASSWORD"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("added profile btp"))
        .stderr(predicate::str::ends_with(
            "oauthctl: profile btp uses the password grant as jane.doe@example.com, with the password from $SAP_PASSWORD\n",
        ));
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        format!(
            "# my profiles\n{}",
            imported_table(
                &env,
                &key,
                "username = \"jane.doe@example.com\"\npassword_env = \"SAP_PASSWORD\"\n"
            )
        )
    );
    std::fs::remove_file(&key).unwrap();
    assert!(!env.all_file_contents().contains(SAP_SECRET));
    env.cmd()
        .arg("token")
        .env("SAP_PASSWORD", "P4ss w&rd!")
        .assert()
        .success()
        .stdout("eyJhbGciOiJSUzI1NiJ9.eyJ6aWQiOiJteXN1YiJ9.c2ln\n");
    mock.assert_calls(1);
    env.cmd()
        .args(["secret", "delete", "-p", "btp"])
        .assert()
        .success();
}

#[test]
#[ignore = "needs a real Secret Service"]
fn import_user_token_key_without_username_writes_the_profile_and_names_what_is_missing() {
    const CLIENT: &str = "sb-import-nouser!b1|cis-central!b14";
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .form_urlencoded_tuple("grant_type", "password")
            .form_urlencoded_tuple("username", "jane.doe@example.com")
            .form_urlencoded_tuple("password", "Abcd");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::with_keyring("");
    let key = write_key(&env, &loopback_sap_key(&server, CLIENT));
    let out = env
        .cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&key)
        .args(["--name", "btp"])
        .assert()
        .success()
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("oauthctl: added profile btp"), "{stderr}");
    assert!(
        stderr.contains(
            "oauthctl: profile btp has no username yet: the key's grant_type is user_token, the password grant, which needs a user\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "hint: add username = \"you@example.com\" to [profiles.btp] in {}, or remove that table and import again with --username USER\n",
            env.config().display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "hint: then store the user's password with `oauthctl secret set -p btp --password`, or name an environment variable holding it with password_env = \"VAR\"\n"
        ),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        imported_table(&env, &key, "")
    );
    assert!(env.dir.path().join("sap-keys/btp.json").exists());
    // The profile is there to list, show and fix; a token says what is missing and asks nothing.
    env.cmd()
        .args(["profiles", "list"])
        .assert()
        .success()
        .stdout(format!(
            "btp  sap-btp  127.0.0.1:{}\n",
            server.address().port()
        ));
    env.cmd()
        .args(["profiles", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("grant           password  (preset)\n"))
        .stdout(predicate::str::contains(
            "username        none: the password grant needs one (add username = \"...\" to [profiles.btp])\n",
        ));
    env.cmd()
        .arg("token")
        .env("SAP_PASSWORD", "Abcd")
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "oauthctl: profile btp uses the password grant but has no username\n\
             hint: add username = \"you@example.com\" to [profiles.btp]\n\
             hint: then store the user's password with `oauthctl secret set -p btp --password`, or name an environment variable holding it with password_env = \"VAR\"\n",
        );
    mock.assert_calls(0);
    // Doing what the hint says is enough.
    let text = std::fs::read_to_string(env.config()).unwrap();
    std::fs::write(
        env.config(),
        format!("{text}username = \"jane.doe@example.com\"\npassword_env = \"SAP_PASSWORD\"\n"),
    )
    .unwrap();
    env.cmd()
        .arg("token")
        .env("SAP_PASSWORD", "Abcd")
        .assert()
        .success();
    mock.assert_calls(1);
    env.cmd()
        .args(["secret", "delete", "-p", "btp"])
        .assert()
        .success();
}

#[test]
fn import_refuses_a_service_key_with_a_plain_http_endpoint() {
    let env = TestEnv::new("# my profiles\n");
    let mut key = sap_key("client_credentials");
    key["endpoints"]["events_service_url"] = "http://events-service.example.com/v1".into();
    let path = write_key(&env, &key);
    env.cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&path)
        .args(["--name", "btp"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "oauthctl: service key {}: endpoints.events_service_url `http://events-service.example.com/v1` is not https; oauthctl sends tokens over TLS only (plain http is allowed for loopback hosts)\n\
             hint: download the key again from the SAP BTP cockpit (Instances and Subscriptions → the instance → Service Keys)\n",
            path.display()
        ));
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        "# my profiles\n"
    );
    assert!(!env.dir.path().join("sap-keys").exists());
}

#[test]
fn import_refuses_username_for_a_client_credentials_key() {
    let env = TestEnv::new("# my profiles\n");
    let key = write_key(&env, &sap_key("client_credentials"));
    env.cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&key)
        .args(["--name", "btp", "--username", "jane.doe@example.com"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(format!(
            "oauthctl: --username and --password-env are for the password grant, and {} is a key of grant_type client_credentials\n",
            key.display()
        )));
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        "# my profiles\n"
    );
    assert!(!env.dir.path().join("sap-keys").exists());
}

#[test]
fn a_service_key_endpoint_over_plain_http_is_a_config_error_unless_on_loopback() {
    let server = MockServer::start();
    let token = server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(200).json_body(sap_response());
    });
    let events = server.mock(|when, then| {
        when.method(GET).path("/cloud-management/v1/events");
        then.status(200).body("[]");
    });
    let env = TestEnv::new("");
    let mut key = sap_key("client_credentials");
    key["uaa"]["url"] = server.base_url().into();
    key["endpoints"]["events_service_url"] = "http://events-service.example.com".into();
    let path = write_key(&env, &key);
    env.write_profiles(&format!(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = {:?}\nclient_secret_from = \"service_key\"\n",
        path.display().to_string()
    ));
    for args in [
        vec!["token"],
        vec![
            "call",
            "GET",
            "http://events-service.example.com/cloud-management/v1/events",
        ],
    ] {
        env.cmd()
            .args(&args)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::starts_with(format!(
                "oauthctl: profile btp: service key {}: endpoints.events_service_url `http://events-service.example.com/` is not https",
                path.display()
            )));
    }
    token.assert_calls(0);
    // A loopback endpoint is allowed over plain http, as every other loopback URL is.
    key["endpoints"]["events_service_url"] = server.base_url().into();
    write_key(&env, &key);
    env.cmd()
        .args(["call", "GET", &server.url("/cloud-management/v1/events")])
        .assert()
        .success()
        .stdout("[]");
    token.assert_calls(1);
    events.assert_calls(1);
}

#[test]
fn a_password_grant_profile_without_username_is_explained_everywhere_it_matters() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::new("");
    let key = write_key(&env, &loopback_sap_key(&server, SAP_CLIENT_ID));
    env.write_profiles(&format!(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = {:?}\nclient_secret_from = \"service_key\"\n",
        key.display().to_string()
    ));
    let missing = "profile btp uses the password grant but has no username";
    env.cmd()
        .arg("doctor")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("✗ {missing}\n")))
        .stdout(predicate::str::contains(
            "  fix: add username = \"...\" to [profiles.btp], then `oauthctl secret set -p btp --password` (or set password_env)\n",
        ));
    env.cmd()
        .args(["secret", "set", "--password"])
        .write_stdin("Abcd\n")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(format!(
            "oauthctl: {missing}\n"
        )));
    env.cmd()
        .args(["secret", "status"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(format!(
            "oauthctl: {missing}\n"
        )));
    env.cmd()
        .args(["call", "GET", "/accounts/v1/globalAccount"])
        .env("SAP_PASSWORD", "Abcd")
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::contains(missing));
    mock.assert_calls(0);
}

// ---- X.509 service keys: mutual TLS ----

fn x509_key(cert_pem: &str, key_pem: &str) -> serde_json::Value {
    // Service keys carry PEM with literal "\n" escapes.
    let escape = |pem: &str| pem.trim_end().replace('\n', "\\n");
    let mut key = sap_key("client_credentials");
    let uaa = key["uaa"].as_object_mut().unwrap();
    uaa.remove("clientsecret");
    uaa.insert("credential-type".into(), "x509".into());
    uaa.insert("certificate".into(), escape(cert_pem).into());
    uaa.insert("key".into(), escape(key_pem).into());
    uaa.insert("certurl".into(), format!("https://{SAP_CERT_UAA}").into());
    key
}

#[test]
fn x509_service_key_gets_a_token_over_mutual_tls() {
    let vendor = Vendor::new(SAP_CERT_UAA, true);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("host", SAP_CERT_UAA)
            .header_missing("authorization")
            .body("grant_type=client_credentials&client_id=sb-ut-1234%21b1%7Ccis-central%21b14");
        then.status(200).json_body(sap_response());
    });
    let client = vendor.pki.issue(&["sb-ut-1234"], true);
    let env = TestEnv::new("");
    let key = write_key(&env, &x509_key(&client.cert_pem, &client.key_pem));
    env.write_profiles(&format!(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = {:?}\nclient_secret_from = \"service_key\"\nca_file = \"ca.pem\"\n",
        key.display().to_string()
    ));
    let out = vendor.cmd(&env).args(["token", "-v"]).assert().success();
    let stderr = stderr_of(&out);
    assert!(!stderr.contains("PRIVATE KEY"), "{stderr}");
    mock.assert_calls(1);
    assert!(
        !std::fs::read_dir(env.cache_dir())
            .unwrap()
            .flatten()
            .any(|f| std::fs::read_to_string(f.path())
                .unwrap_or_default()
                .contains("PRIVATE KEY"))
    );
}

#[test]
fn mutual_tls_server_refuses_a_client_without_certificate() {
    let vendor = Vendor::new(SAP_CERT_UAA, true);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(200).json_body(sap_response());
    });
    let env = TestEnv::new(&format!(
        "[profiles.x]\ntoken_url = \"https://{SAP_CERT_UAA}/oauth/token\"\nclient_id = \"c\"\nclient_secret_env = \"X_SECRET\"\nca_file = \"ca.pem\"\n"
    ));
    vendor
        .cmd(&env)
        .arg("token")
        .env("X_SECRET", "s")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "token request to {SAP_CERT_UAA} failed"
        )));
    mock.assert_calls(0);
}

#[test]
#[ignore = "needs a real Secret Service"]
fn import_x509_key_puts_the_private_key_in_the_keyring() {
    let vendor = Vendor::new(SAP_CERT_UAA, true);
    let mock = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header_missing("authorization");
        then.status(200).json_body(sap_response());
    });
    let client = vendor.pki.issue(&["sb-ut-1234"], true);
    let env = TestEnv::with_keyring("");
    let key = write_key(&env, &x509_key(&client.cert_pem, &client.key_pem));
    env.cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&key)
        .args(["--name", "btp"])
        .assert()
        .success();
    std::fs::remove_file(&key).unwrap();
    let text = std::fs::read_to_string(env.config()).unwrap();
    std::fs::write(env.config(), format!("{text}ca_file = \"ca.pem\"\n")).unwrap();
    assert!(
        !env.all_file_contents().contains("PRIVATE KEY"),
        "the private key stayed on disk"
    );
    vendor.cmd(&env).arg("token").assert().success();
    mock.assert_calls(1);
    env.cmd()
        .args(["secret", "delete", "-p", "btp"])
        .assert()
        .success();
}

// Only there is the keyring (the Secret Service) out of reach in a test.
#[cfg(target_os = "linux")]
#[test]
fn x509_credential_is_called_a_private_key_by_show_and_import() {
    let env = TestEnv::new("");
    let pki = Pki::new();
    let client = pki.issue(&["sb-ut-1234"], true);
    let key = write_key(&env, &x509_key(&client.cert_pem, &client.key_pem));
    env.write_profiles(&format!(
        "[profiles.cert]\nprovider = \"sap-btp\"\nservice_key = {:?}\nclient_secret_from = \"service_key\"\n",
        key.display().to_string()
    ));
    let out = env
        .cmd()
        .args(["profiles", "show", "-p", "cert"])
        .assert()
        .success();
    let shown = stdout_of(&out);
    // Aligned under the longest key shown: client_secret_from.
    assert!(
        shown.contains(&format!(
            "\nX.509 private key   the Secret Service ({SAP_CLIENT_ID}@{SAP_CERT_UAA}), then {} (key)\n",
            key.display()
        )) || cfg!(not(target_os = "linux")),
        "{shown}"
    );
    assert!(!shown.contains("client secret"), "{shown}");
    assert!(!shown.contains("PRIVATE KEY-----"), "{shown}");
    // With no keyring to store it in, the import says what it could not store.
    let out = env
        .cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&key)
        .args(["--name", "btp"])
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(&format!(
            "oauthctl: profile btp was not added, nothing was written: cannot store the X.509 private key for {SAP_CLIENT_ID}@{SAP_CERT_UAA}: "
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("client secret"), "{stderr}");
}

#[test]
#[ignore = "needs a real Secret Service"]
fn import_x509_key_says_private_key_not_client_secret() {
    let env = TestEnv::with_keyring("");
    let pki = Pki::new();
    let client = pki.issue(&["sb-x509-words"], true);
    let mut key = x509_key(&client.cert_pem, &client.key_pem);
    key["uaa"]["clientid"] = "sb-x509-words!b1".into();
    let path = write_key(&env, &key);
    let out = env
        .cmd()
        .args(["profiles", "import-sap-key"])
        .arg(&path)
        .args(["--name", "btp"])
        .assert()
        .success()
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!(
            "; its X.509 private key is in the Secret Service for sb-x509-words!b1@{SAP_CERT_UAA}\n"
        )) || cfg!(not(target_os = "linux")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{} still holds the X.509 private key and can be deleted\n",
            path.display()
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("client secret"), "{stderr}");
    assert!(
        std::fs::read_to_string(env.config())
            .unwrap()
            .contains("the X.509 private key is in the OS keyring")
    );
    env.cmd()
        .args(["secret", "delete", "-p", "btp"])
        .assert()
        .success();
}
