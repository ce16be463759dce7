//! `oauthctl token` against a real HTTP server on loopback (httpmock).

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

/// base64("sa-1%40...com:s3cr%26t%2Fpa%3Ass%2Bword"): RFC 6749 §2.3.1 form-urlencodes both halves.
const BASIC: &str = "Basic c2EtMSU0MDEyMzQ1Njc4OTAuaWFtLnBhbnNlcnZpY2VhY2NvdW50LmNvbTpzM2NyJTI2dCUyRnBhJTNBc3MlMkJ3b3Jk";

fn setup(server: &MockServer, extra: &str) -> TestEnv {
    TestEnv::new(&generic_profile(
        "scm",
        &server.url("/oauth2/access_token"),
        extra,
    ))
}

#[test]
fn basic_client_auth_on_the_wire_and_token_on_stdout() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth2/access_token")
            .header("authorization", BASIC)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body("grant_type=client_credentials&scope=tsg_id%3A1234567890");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr("");
    mock.assert_calls(1);
}

#[test]
fn post_client_auth_sends_credentials_as_form_fields() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth2/access_token")
            .header_missing("authorization")
            .form_urlencoded_tuple("grant_type", "client_credentials")
            .form_urlencoded_tuple("scope", "tsg_id:1234567890")
            .form_urlencoded_tuple("client_id", CLIENT_ID)
            .form_urlencoded_tuple("client_secret", SECRET);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "client_auth = \"post\"");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
}

#[test]
fn json_client_auth_sends_the_scm_seed_body() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth2/access_token")
            .header("content-type", "application/json")
            .header_missing("authorization")
            .json_body(serde_json::json!({
                "client_id": CLIENT_ID,
                "client_secret": SECRET,
                "scope": "tsg_id:1234567890",
                "grant_type": "client_credentials"
            }));
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "client_auth = \"json\"");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
}

#[test]
fn extra_params_are_added_to_the_body() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth2/access_token")
            .body("grant_type=client_credentials&scope=tsg_id%3A1234567890&audience=https%3A%2F%2Fapi&resource=r1");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(
        &server,
        "[profiles.scm.extra_params]\nresource = \"r1\"\naudience = \"https://api\"",
    );
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    mock.assert_calls(1);
}

#[test]
fn scm_invalid_client_exits_3_with_the_error_and_description() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(400)
            .json_body(serde_json::json!({"error_description":"Client authentication failed","error":"invalid_client"}));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "oauthctl: token request to 127.0.0.1:{} failed: 400 invalid_client: Client authentication failed\n\
             hint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status`\n",
            server.port()
        ));
}

#[test]
fn html_502_exits_1_naming_status_and_excerpt() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(502)
            .header("content-type", "text/html")
            .body("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "failed: 502 (body: <html><body><h1>502 Bad Gateway</h1></body></html>)",
        ));
}

#[test]
fn empty_502_and_ok_without_token_are_clear_errors() {
    let server = MockServer::start();
    let mut bad = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(502);
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("failed: 502 (empty body)"));
    bad.delete();
    server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200)
            .json_body(serde_json::json!({"token_type": "Bearer"}));
    });
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "answered 200 without an access_token",
        ));
}

#[test]
fn second_token_call_uses_cache_without_secret_or_keyring() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    // No $SCM_SECRET now, and no reachable keyring: only the cache can answer.
    env.cmd()
        .arg("token")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr("");
    mock.assert_calls(1);
}

#[test]
fn refresh_fetches_again_and_replaces_the_cached_token() {
    let server = MockServer::start();
    let mut first = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200)
            .json_body(scm_token_response("first-token", 899));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("first-token\n");
    first.assert_calls(1);
    first.delete();
    let second = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200)
            .json_body(scm_token_response("second-token", 899));
    });
    env.cmd()
        .args(["token", "--refresh"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("second-token\n");
    env.cmd()
        .arg("token")
        .assert()
        .success()
        .stdout("second-token\n");
    second.assert_calls(1);
}

#[test]
fn token_expiring_within_min_ttl_is_fetched_again() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(scm_token_response(TOKEN, 30));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    mock.assert_calls(2);
    // With min_ttl below the 30 s lifetime the cached token is reused.
    env.write_profiles(&generic_profile(
        "scm",
        &server.url("/oauth2/access_token"),
        "min_ttl = 10",
    ));
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    mock.assert_calls(2);
}

#[test]
fn expires_in_as_string_is_honoured_and_missing_means_reuse() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(
            serde_json::json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": "899"}),
        );
    });
    let env = setup(&server, "");
    env.cmd()
        .args(["token", "--format", "json"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    env.cmd()
        .arg("token")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);

    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200)
            .json_body(serde_json::json!({"access_token": "no-expiry", "token_type": "bearer"}));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("no-expiry\n");
    env.cmd()
        .arg("token")
        .assert()
        .success()
        .stdout("no-expiry\n");
    mock.assert_calls(1);
}

#[test]
fn no_cache_neither_reads_nor_writes() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "");
    env.cmd()
        .args(["token", "--no-cache"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    assert!(
        !env.cache_dir().exists(),
        "--no-cache created the cache folder"
    );
    env.cmd()
        .args(["token", "--no-cache"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    mock.assert_calls(2);
}

#[test]
fn formats_header_and_json() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(serde_json::json!({
            "access_token": TOKEN, "token_type": "bearer", "expires_in": 899, "scope": "api_access", "tenant": "test tenant", "jti": "d66abfad"
        }));
    });
    let env = setup(&server, "");
    env.cmd()
        .args(["token", "--format", "header"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("Authorization: Bearer {TOKEN}\n"));
    let out = env
        .cmd()
        .args(["token", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["access_token"], TOKEN);
    assert_eq!(json["tenant"], "test tenant");
    assert_eq!(json["jti"], "d66abfad");
    assert_eq!(json["profile"], "scm");
    let expires_at = json["expires_at"].as_str().unwrap();
    let at = humantime::parse_rfc3339(expires_at).unwrap();
    let left = at
        .duration_since(std::time::SystemTime::now())
        .unwrap()
        .as_secs();
    assert!(
        (880..=900).contains(&left),
        "expires_at {expires_at} is {left}s away"
    );
}

#[test]
fn sixteen_processes_on_a_cold_cache_send_one_request() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200)
            .delay(Duration::from_millis(300))
            .json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "");
    let children: Vec<_> = (0..16)
        .map(|_| {
            env.std_cmd()
                .arg("token")
                .env("SCM_SECRET", SECRET)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{TOKEN}\n"));
    }
    mock.assert_calls(1);
}

#[cfg(unix)]
#[test]
fn cache_folder_is_0700_and_entries_0600_without_the_secret() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let dir_mode = std::fs::metadata(env.cache_dir())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dir_mode, 0o700);
    let files: Vec<_> = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .flatten()
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.path().extension().is_some_and(|e| e == "json"))
    );
    for file in files {
        let mode = file.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.path().display());
    }
    assert!(!env.all_file_contents().contains(SECRET));
}

#[cfg(unix)]
#[test]
fn cache_folder_open_to_others_is_made_private_and_said() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "");
    std::fs::create_dir(env.cache_dir()).unwrap();
    std::fs::set_permissions(env.cache_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr(predicate::str::contains(
            "was open to other users (mode 755); made it 0700",
        ));
    assert_eq!(
        std::fs::metadata(env.cache_dir())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
}

#[test]
fn corrupt_cache_entry_is_replaced() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let entry = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    std::fs::write(&entry, b"{\"version\":1,\"identity\":{\"tok").unwrap();
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(2);
    let repaired: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
    assert_eq!(repaired["response"]["access_token"], TOKEN);
    // And the repaired entry serves the next call.
    env.cmd()
        .arg("token")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(2);
}

#[test]
fn plain_http_token_url_off_loopback_is_refused() {
    let env = TestEnv::new(&generic_profile(
        "scm",
        "http://auth.example.com/oauth2/access_token",
        "",
    ));
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "profile scm: token_url http://auth.example.com/oauth2/access_token is not https",
        ));
}

#[test]
fn redirect_from_the_token_endpoint_is_not_followed() {
    let server = MockServer::start();
    let elsewhere = server.mock(|when, then| {
        when.path("/elsewhere");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(307)
            .header("location", server.url("/elsewhere"));
    });
    let env = setup(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("failed: 307"));
    elsewhere.assert_calls(0);
}

#[test]
fn verbose_shows_the_exchange_without_secret_or_token() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/oauth2/access_token");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    for auth in ["basic", "post", "json"] {
        let env = setup(&server, &format!("client_auth = \"{auth}\""));
        let out = env
            .cmd()
            .args(["token", "-v"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert_eq!(
            String::from_utf8_lossy(&out.get_output().stdout),
            format!("{TOKEN}\n")
        );
        assert!(stderr.contains("> POST http://127.0.0.1:"), "{stderr}");
        assert!(stderr.contains("< HTTP/1.1 200 OK"), "{stderr}");
        assert!(stderr.contains("REDACTED"), "{stderr}");
        for leak in [SECRET, "s3cr%26t", TOKEN, &BASIC[6..]] {
            assert!(
                !stderr.contains(leak),
                "{auth}: stderr holds {leak}:\n{stderr}"
            );
        }
    }
}

#[test]
fn secret_from_command_is_used_and_env_comes_first() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth2/access_token")
            .header("authorization", BASIC);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = TestEnv::new(&format!(
        "[profiles.scm]\ntoken_url = \"{}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\nclient_secret_command = \"printf '%s\\\\n' \\\"$FROM_CMD\\\"\"\nclient_secret_env = \"SCM_SECRET\"\n",
        server.url("/oauth2/access_token")
    ));
    env.cmd()
        .args(["token", "--no-cache"])
        .env("FROM_CMD", SECRET)
        .assert()
        .success();
    env.cmd()
        .args(["token", "--no-cache"])
        .env("FROM_CMD", "wrong")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    mock.assert_calls(2);
}

#[test]
fn unreachable_keyring_names_the_cause_and_the_alternatives() {
    let env = TestEnv::new(
        "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"sa-1@1.iam.panserviceaccount.com\"\ntsg_id = 1\n",
    );
    if keyring_tests_enabled() {
        return; // A keyring is reachable in this run; the message below is for machines without one.
    }
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("profile scm: cannot read the client secret: the Secret Service is not reachable"))
        .stderr(predicate::str::contains("hint: where no keyring can be used, set `client_secret_env` or `client_secret_command`"));
}

#[test]
fn secret_set_then_token_through_the_real_keyring() {
    require_keyring!();
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth2/access_token")
            .header("authorization", BASIC);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let url = server.url("/oauth2/access_token");
    let env = TestEnv::new(&format!(
        "[profiles.scm]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\n\
         [profiles.iot]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\n"
    ));
    env.cmd()
        .args(["secret", "set", "-p", "scm"])
        .write_stdin(format!("{SECRET}\n"))
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("used by profiles iot, scm"));
    env.cmd()
        .args(["token", "-p", "scm"])
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    // The iot profile shares the service account, so it finds the same secret.
    env.cmd()
        .args(["token", "-p", "iot", "--no-cache"])
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(2);
    let status = env
        .cmd()
        .args(["secret", "status", "-p", "iot"])
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&status.get_output().stdout).to_string();
    assert!(stdout.contains("in use: keyring"), "{stdout}");
    assert!(!stdout.contains(SECRET));
    env.cmd()
        .args(["secret", "delete", "-p", "scm"])
        .assert()
        .success();
    env.cmd()
        .args(["secret", "status", "-p", "iot"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("in use: none"));
    assert!(
        !env.all_file_contents().contains(SECRET),
        "the secret reached a file under the test folder"
    );
}

// ---------------------------------------------------------------------------------------------
// `secret set` and `secret delete` drop the tokens fetched with the secret (issue 11, row 6)
// ---------------------------------------------------------------------------------------------

/// A token endpoint answering `token` to client-secret-in-the-form requests with this scope and
/// secret (client_auth = "post", so the secret on the wire is plain to match).
fn token_for<'a>(
    server: &'a MockServer,
    scope: &str,
    secret: &str,
    token: &str,
) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path("/oauth2/access_token")
            .form_urlencoded_tuple("scope", scope)
            .form_urlencoded_tuple("client_secret", secret);
        then.status(200).json_body(scm_token_response(token, 899));
    })
}

fn token_of(env: &TestEnv, profile: &str) -> String {
    let out = env
        .cmd()
        .args(["token", "-p", profile])
        .env("OTHER_SECRET", "other-secret")
        .assert()
        .success();
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

#[test]
#[ignore = "needs a real Secret Service"]
fn secret_set_and_delete_drop_the_tokens_fetched_with_the_old_secret() {
    let server = MockServer::start();
    let url = server.url("/oauth2/access_token");
    // Two tenants of one service account, whose secret is in the keyring, and another client.
    let env = TestEnv::new(&format!(
        "[profiles.one]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nclient_auth = \"post\"\nscope = \"tsg_id:1\"\n\
         [profiles.two]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nclient_auth = \"post\"\nscope = \"tsg_id:2\"\n\
         [profiles.other]\ntoken_url = \"{url}\"\nclient_id = \"sa-2@1234567890.iam.panserviceaccount.com\"\nclient_auth = \"post\"\nscope = \"tsg_id:1\"\nclient_secret_env = \"OTHER_SECRET\"\n"
    ));
    let old_one = token_for(&server, "tsg_id:1", "old-secret", "old-token-1");
    let old_two = token_for(&server, "tsg_id:2", "old-secret", "old-token-2");
    let new_one = token_for(&server, "tsg_id:1", "new-secret", "new-token-1");
    let new_two = token_for(&server, "tsg_id:2", "new-secret", "new-token-2");
    let other = token_for(&server, "tsg_id:1", "other-secret", "other-token");
    let account = format!("{CLIENT_ID}@127.0.0.1:{}", server.port());
    let set = |secret: &str| {
        env.cmd()
            .args(["secret", "set", "-p", "one"])
            .write_stdin(format!("{secret}\n"))
            .assert()
            .success()
            .stdout("")
    };

    set("old-secret").stderr(predicate::str::contains("dropped").not());
    assert_eq!(token_of(&env, "one"), "old-token-1\n");
    assert_eq!(token_of(&env, "two"), "old-token-2\n");
    assert_eq!(token_of(&env, "other"), "other-token\n");

    // Rotated: both tenants' tokens go, the other client's stays.
    set("new-secret").stderr(predicate::str::contains(format!(
        "oauthctl: dropped 2 cached tokens of {account} (fetched with the old one)\n"
    )));
    assert_eq!(token_of(&env, "one"), "new-token-1\n");
    assert_eq!(token_of(&env, "two"), "new-token-2\n");
    assert_eq!(token_of(&env, "other"), "other-token\n");
    old_one.assert_calls(1);
    old_two.assert_calls(1);
    new_one.assert_calls(1);
    new_two.assert_calls(1);
    other.assert_calls(1);

    // Deleted: no token of that client is served any more, the other client's still is.
    env.cmd()
        .args(["secret", "delete", "-p", "two"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "oauthctl: dropped 2 cached tokens of {account} (fetched with it)\n"
        )));
    env.cmd()
        .args(["token", "--check", "-p", "one"])
        .assert()
        .code(1);
    env.cmd()
        .args(["token", "-p", "two"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("profile two: "));
    assert_eq!(token_of(&env, "other"), "other-token\n");
    new_one.assert_calls(1);
    new_two.assert_calls(1);
    other.assert_calls(1);
}

#[test]
#[ignore = "needs a real Secret Service"]
fn secret_set_password_drops_the_tokens_of_that_user_only() {
    let server = MockServer::start();
    let url = server.url("/oauth2/access_token");
    let profile = |name: &str, user: &str| {
        format!(
            "[profiles.{name}]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\ngrant = \"password\"\nusername = \"{user}\"\n"
        )
    };
    let env =
        TestEnv::new(&(profile("jane", "jane@example.com") + &profile("joe", "joe@example.com")));
    let user = |name: &str, password: &str, token: &str| {
        let (name, password) = (name.to_string(), password.to_string());
        server.mock(move |when, then| {
            when.method(POST)
                .path("/oauth2/access_token")
                .form_urlencoded_tuple("username", name)
                .form_urlencoded_tuple("password", password);
            then.status(200).json_body(scm_token_response(token, 899));
        })
    };
    let jane_old = user("jane@example.com", "Old-Pass1", "jane-old");
    let jane_new = user("jane@example.com", "New-Pass2", "jane-new");
    let joe = user("joe@example.com", "Joe-Pass", "joe-token");
    let set = |profile: &str, password: &str| {
        env.cmd()
            .args(["secret", "set", "--password", "-p", profile])
            .write_stdin(format!("{password}\n"))
            .assert()
            .success()
    };
    let token = |profile: &str| {
        let out = env
            .cmd()
            .args(["token", "-p", profile])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    set("jane", "Old-Pass1");
    set("joe", "Joe-Pass");
    assert_eq!(token("jane"), "jane-old\n");
    assert_eq!(token("joe"), "joe-token\n");
    set("jane", "New-Pass2").stderr(predicate::str::contains(format!(
        "oauthctl: dropped 1 cached token of jane@example.com@127.0.0.1:{} (fetched with the old one)\n",
        server.port()
    )));
    assert_eq!(token("jane"), "jane-new\n");
    assert_eq!(token("joe"), "joe-token\n");
    jane_old.assert_calls(1);
    jane_new.assert_calls(1);
    joe.assert_calls(1);
    for profile in ["jane", "joe"] {
        env.cmd()
            .args(["secret", "delete", "--password", "-p", profile])
            .assert()
            .success()
            .stderr(predicate::str::contains("dropped 1 cached token of "));
    }
}
