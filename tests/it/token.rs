//! `oauthctl token` against a real HTTP server on loopback (httpmock).

use std::process::Stdio;
use std::time::Duration;

use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

#[test]
fn basic_client_auth_on_the_wire_and_token_on_stdout() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header("authorization", BASIC)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body("grant_type=client_credentials&scope=tsg_id%3A1234567890");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = scm_env(&server, "");
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
            .path(TOKEN_PATH)
            .header_missing("authorization")
            .form_urlencoded_tuple("grant_type", "client_credentials")
            .form_urlencoded_tuple("scope", "tsg_id:1234567890")
            .form_urlencoded_tuple("client_id", CLIENT_ID)
            .form_urlencoded_tuple("client_secret", SECRET);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = scm_env(&server, "client_auth = \"post\"");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
}

#[test]
fn json_client_auth_sends_the_body_scm_documents() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
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
    let env = scm_env(&server, "client_auth = \"json\"");
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
            .path(TOKEN_PATH)
            .body("grant_type=client_credentials&scope=tsg_id%3A1234567890&audience=https%3A%2F%2Fapi&resource=r1");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = scm_env(
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
        when.method(POST).path(TOKEN_PATH);
        then.status(400)
            .json_body(serde_json::json!({"error_description":"Client authentication failed","error":"invalid_client"}));
    });
    let env = scm_env(&server, "");
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
        when.method(POST).path(TOKEN_PATH);
        then.status(502)
            .header("content-type", "text/html")
            .body("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    let env = scm_env(&server, "");
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
        when.method(POST).path(TOKEN_PATH);
        then.status(502);
    });
    let env = scm_env(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("failed: 502 (empty body)"));
    bad.delete();
    server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
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
    let mock = token_endpoint(&server);
    let env = scm_env(&server, "");
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
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(scm_token_response("first-token", 899));
    });
    let env = scm_env(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("first-token\n");
    first.assert_calls(1);
    first.delete();
    let second = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
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
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(scm_token_response(TOKEN, 30));
    });
    let env = scm_env(&server, "");
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
        &server.url(TOKEN_PATH),
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
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(
            serde_json::json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": "899"}),
        );
    });
    let env = scm_env(&server, "");
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
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(serde_json::json!({"access_token": "no-expiry", "token_type": "bearer"}));
    });
    let env = scm_env(&server, "");
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
    let mock = token_endpoint(&server);
    let env = scm_env(&server, "");
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
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(serde_json::json!({
            "access_token": TOKEN, "token_type": "bearer", "expires_in": 899, "scope": "api_access", "tenant": "test tenant", "jti": "d66abfad"
        }));
    });
    let env = scm_env(&server, "");
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
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .delay(Duration::from_millis(300))
            .json_body(scm_token_response(TOKEN, 899));
    });
    let env = scm_env(&server, "");
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
        when.method(POST).path(TOKEN_PATH);
        then.status(307)
            .header("location", server.url("/elsewhere"));
    });
    let env = scm_env(&server, "");
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
    token_endpoint(&server);
    for auth in ["basic", "post", "json"] {
        let env = scm_env(&server, &format!("client_auth = \"{auth}\""));
        let out = env
            .cmd()
            .args(["token", "-v"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success();
        let stderr = stderr_of(&out);
        assert_eq!(stdout_of(&out), format!("{TOKEN}\n"));
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

// ---- Basic credentials in both spellings (RFC 6749 §2.3.1 and `curl -u`) ----

/// A secret with `$` and `=`, as SAP issues them, for the xsuaa client [`SAP_CLIENT_ID`].
const XSUAA_SECRET: &str = "8f0c$Kq1=zX/9w==";

/// What `curl -u id:secret` sends.
fn raw_basic() -> String {
    format!("Basic {}", basic_credentials(SAP_CLIENT_ID, XSUAA_SECRET))
}

/// What RFC 6749 §2.3.1 asks for.
fn encoded_basic() -> String {
    format!(
        "Basic {}",
        basic_credentials(
            &form_urlencoded(SAP_CLIENT_ID),
            &form_urlencoded(XSUAA_SECRET)
        )
    )
}

fn xsuaa_env(server: &MockServer) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.btp]\ntoken_url = \"{}\"\nclient_id = \"{SAP_CLIENT_ID}\"\nclient_secret_env = \"SAP_SECRET\"\n",
        server.url("/oauth/token")
    ))
}

/// The `.basic` notes in the cache folder.
fn basic_notes(env: &TestEnv) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(env.cache_dir())
        .map(|d| d.flatten().map(|e| e.path()).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "basic"))
        .collect()
}

/// A UAA that compares Basic credentials undecoded: the encoded header is refused as UAA refuses
/// a wrong secret, the raw one takes. The first fetch sends both and remembers; the next sends
/// the raw one first and only.
#[test]
fn a_server_that_takes_only_the_raw_basic_spelling_gets_it_first_after_one_fallback() {
    let server = MockServer::start();
    let encoded = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", encoded_basic());
        then.status(401).json_body(
            serde_json::json!({"error": "unauthorized", "error_description": "Bad credentials"}),
        );
    });
    let raw = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", raw_basic())
            .body("grant_type=client_credentials");
        then.status(200).json_body(serde_json::json!({
            "access_token": TOKEN, "token_type": "bearer", "expires_in": 43199, "jti": "5e4c1f"
        }));
    });
    let env = xsuaa_env(&server);
    let out = env
        .cmd()
        .args(["token", "-v"])
        .env("SAP_SECRET", XSUAA_SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    encoded.assert_calls(1);
    raw.assert_calls(1);
    let stderr = stderr_of(&out);
    for says in [
        "* HTTP Basic with the client id and secret form-urlencoded (RFC 6749 §2.3.1) (the default)",
        "< HTTP/1.1 401 Unauthorized",
        "* the token endpoint refused the client (401); sending HTTP Basic once more, with the client id and secret as typed (as `curl -u` sends them)",
        "< HTTP/1.1 200 OK",
        "* remembered in ",
    ] {
        assert!(stderr.contains(says), "stderr lacks {says:?}:\n{stderr}");
    }
    let notes = basic_notes(&env);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(std::fs::read_to_string(&notes[0]).unwrap(), "raw\n");

    let out = env
        .cmd()
        .args(["token", "--refresh", "-v"])
        .env("SAP_SECRET", XSUAA_SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    encoded.assert_calls(1);
    raw.assert_calls(2);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("* HTTP Basic with the client id and secret as typed (as `curl -u` sends them) (this token endpoint took them so before)"),
        "{stderr}"
    );
    assert!(!stderr.contains("once more"), "{stderr}");
    for leak in [XSUAA_SECRET, &raw_basic()[6..], &encoded_basic()[6..]] {
        assert!(!stderr.contains(leak), "stderr holds {leak}:\n{stderr}");
        assert!(
            !env.all_file_contents().contains(leak),
            "a file holds {leak}"
        );
    }
    // `cache clear` forgets it with the tokens.
    env.cmd().args(["cache", "clear"]).assert().success();
    assert!(basic_notes(&env).is_empty());
}

/// A server that follows RFC 6749 gets the encoded spelling first and only, every time.
#[test]
fn a_server_that_takes_the_encoded_basic_spelling_gets_one_request() {
    let server = MockServer::start();
    let raw = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", raw_basic());
        then.status(401).json_body(
            serde_json::json!({"error": "invalid_client", "error_description": "Bad credentials"}),
        );
    });
    let encoded = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", encoded_basic());
        then.status(200).json_body(
            serde_json::json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 43199}),
        );
    });
    let env = xsuaa_env(&server);
    for args in [&["token"][..], &["token", "--refresh"]] {
        env.cmd()
            .args(args)
            .env("SAP_SECRET", XSUAA_SECRET)
            .assert()
            .success()
            .stdout(format!("{TOKEN}\n"));
    }
    encoded.assert_calls(2);
    raw.assert_calls(0);
    assert!(basic_notes(&env).is_empty());
}

/// With --no-cache nothing is remembered: each fetch falls back again, and the cache folder is
/// not even created.
#[test]
fn no_cache_falls_back_to_the_raw_spelling_without_remembering() {
    let server = MockServer::start();
    let encoded = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", encoded_basic());
        then.status(400)
            .json_body(serde_json::json!({"error": "invalid_client", "error_description": "Client authentication failed"}));
    });
    let raw = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", raw_basic());
        then.status(200)
            .json_body(serde_json::json!({"access_token": TOKEN, "expires_in": 899}));
    });
    let env = xsuaa_env(&server);
    for _ in 0..2 {
        env.cmd()
            .args(["token", "--no-cache"])
            .env("SAP_SECRET", XSUAA_SECRET)
            .assert()
            .success()
            .stdout(format!("{TOKEN}\n"))
            .stderr("");
    }
    encoded.assert_calls(2);
    raw.assert_calls(2);
    assert!(!env.cache_dir().exists());
}

/// Both spellings refused: the refusal as before (exit 3, the first answer's words), two
/// requests, and nothing remembered. A refused password is not a refused client: one request.
#[test]
fn both_spellings_refused_is_exit_3_and_remembers_nothing() {
    let server = MockServer::start();
    let mut refused = server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(401).json_body(
            serde_json::json!({"error": "invalid_client", "error_description": "Bad credentials"}),
        );
    });
    let env = xsuaa_env(&server);
    env.cmd()
        .arg("token")
        .env("SAP_SECRET", XSUAA_SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "oauthctl: token request to 127.0.0.1:{} failed: 401 invalid_client: Bad credentials\n\
             hint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status`\n",
            server.port()
        ));
    refused.assert_calls(2);
    assert!(basic_notes(&env).is_empty());
    refused.delete();

    let password = server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(401).json_body(
            serde_json::json!({"error": "unauthorized", "error_description": "Name or password mismatch"}),
        );
    });
    env.write_profiles(&format!(
        "[profiles.btp]\ntoken_url = \"{}\"\nclient_id = \"{SAP_CLIENT_ID}\"\nclient_secret_env = \"SAP_SECRET\"\ngrant = \"password\"\nusername = \"jane@example.com\"\npassword_env = \"SAP_PASSWORD\"\n",
        server.url("/oauth/token")
    ));
    env.cmd()
        .arg("token")
        .env("SAP_SECRET", XSUAA_SECRET)
        .env("SAP_PASSWORD", "wrong-password")
        .assert()
        .code(3)
        .stderr(predicate::str::contains("Name or password mismatch"));
    password.assert_calls(1);
}

/// The note is read only when it is a regular file of ours: a symlink in its place, even to a
/// file that says `raw`, is not followed, and the default spelling goes first.
#[test]
#[cfg(unix)]
fn a_basic_note_that_is_a_symlink_is_not_read() {
    let server = MockServer::start();
    let encoded = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", encoded_basic());
        then.status(401)
            .json_body(serde_json::json!({"error": "unauthorized"}));
    });
    let raw = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", raw_basic());
        then.status(200)
            .json_body(serde_json::json!({"access_token": TOKEN, "expires_in": 899}));
    });
    let env = xsuaa_env(&server);
    let token = |env: &TestEnv| {
        env.cmd()
            .args(["token", "--refresh"])
            .env("SAP_SECRET", XSUAA_SECRET)
            .assert()
            .success();
    };
    token(&env);
    encoded.assert_calls(1);
    let note = basic_notes(&env).pop().unwrap();
    let elsewhere = env.dir.path().join("elsewhere");
    std::fs::write(&elsewhere, "raw\n").unwrap();
    std::fs::remove_file(&note).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &note).unwrap();
    token(&env);
    encoded.assert_calls(2);
    raw.assert_calls(2);
}

// ---- Granted scopes ----

/// The IoT Security page shows the granted TSG as `tsg_id: 0123456789`: the same grant.
#[test]
fn a_granted_scope_with_a_space_after_the_colon_is_no_warning() {
    let server = MockServer::start();
    let mut iot = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(serde_json::json!({
            "access_token": TOKEN,
            "scope": "profile tsg_id: 1234567890 email",
            "token_type": "Bearer",
            "expires_in": 899
        }));
    });
    let env = scm_env(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr("");
    iot.delete();
    server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(serde_json::json!({
            "access_token": TOKEN,
            "scope": "profile tsg_id: 999 email",
            "token_type": "Bearer",
            "expires_in": 899
        }));
    });
    env.cmd()
        .args(["token", "--refresh"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stderr(format!(
            "oauthctl: warning: 127.0.0.1:{} did not grant tsg_id:1234567890 (granted: profile tsg_id:999 email)\n",
            server.port()
        ));
}

// ---- Hints ----

/// The wrong-password hint names the profile, so that it can be pasted as it is.
#[test]
fn the_wrong_password_hint_names_the_profile() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(401).json_body(
            serde_json::json!({"error": "unauthorized", "error_description": "Name or password mismatch"}),
        );
    });
    let env = TestEnv::new(&format!(
        "[profiles.btp-prod]\ntoken_url = \"{}\"\nclient_id = \"c\"\nclient_secret_env = \"SAP_SECRET\"\ngrant = \"password\"\nusername = \"jane@example.com\"\npassword_env = \"SAP_PASSWORD\"\n",
        server.url("/oauth/token")
    ));
    env.cmd()
        .arg("token")
        .env("SAP_SECRET", SECRET)
        .env("SAP_PASSWORD", "wrong-password")
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "\nhint: the user name or password was wrong: check `username`, store the password again with `oauthctl secret set -p btp-prod --password`, and with two-factor authentication add --passcode CODE\n",
        ));
}

// --- Hints for a slow server and an untrusted CA --------------------------------------------

#[test]
fn a_token_request_that_times_out_names_timeout_and_its_value() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .delay(Duration::from_secs(3))
            .json_body(scm_token_response(TOKEN, 899));
    });
    let env = scm_env(&server, "");
    let out = env
        .cmd()
        .args(["token", "--timeout", "1"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(&format!(
            "oauthctl: token request to 127.0.0.1:{} failed: timed out",
            server.port()
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "\nhint: no answer came within --timeout 1 s; if the server is only slow, give it longer with --timeout SECS\n"
        ),
        "{stderr}"
    );
}

#[test]
fn a_certificate_from_an_unknown_ca_points_at_ca_file() {
    use crate::common::tls::{Pki, TlsFront};
    const HOST: &str = "auth.example.com";
    let server = MockServer::start();
    let token = server.mock(|when, then| {
        when.method(POST).path("/oauth2/token");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let pki = Pki::new();
    let front = TlsFront::start(&pki, &pki.issue(&[HOST], false), false, server.port());
    let profile = generic_profile("x", &format!("https://{HOST}/oauth2/token"), "");
    let env = TestEnv::new(&profile);
    let run = |env: &TestEnv| {
        let out = env
            .cmd()
            .args(["token", "--no-cache"])
            .env("SCM_SECRET", SECRET)
            .env("OAUTHCTL_RESOLVE", front.resolve(HOST))
            .assert()
            .code(1)
            .stdout("");
        stderr_of(&out)
    };

    // No ca_file: say what to set, and where.
    let stderr = run(&env);
    assert!(
        stderr.starts_with(&format!("oauthctl: token request to {HOST} failed: "))
            && stderr.contains("UnknownIssuer"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "\nhint: the server's certificate was issued by a CA this machine does not trust; if it is a TLS-inspecting proxy's or your organisation's CA, set ca_file = \"/path/to/ca.pem\" (that CA's certificate, PEM) in [profiles.x]\n"
        ),
        "{stderr}"
    );

    // A ca_file with another certificate: say that file does not hold the CA.
    let other = Pki::new().issue(&["other.example"], false);
    std::fs::write(env.dir.path().join("ca.pem"), &other.cert_pem).unwrap();
    env.write_profiles(&format!("{profile}ca_file = \"ca.pem\"\n"));
    let stderr = run(&env);
    assert!(
        stderr.ends_with(&format!(
            "\nhint: the server's certificate was issued by a CA that neither this machine nor ca_file {} trusts; put the certificate of the CA that issued it (PEM) in that file\n",
            env.dir.path().join("ca.pem").display()
        )),
        "{stderr}"
    );

    // The right CA: the token comes.
    std::fs::write(env.dir.path().join("ca.pem"), &pki.ca_pem).unwrap();
    env.cmd()
        .args(["token", "--no-cache"])
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_RESOLVE", front.resolve(HOST))
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    token.assert_calls(1);
}

#[test]
fn token_check_answers_without_any_request() {
    let server = MockServer::start();
    let mock = token_endpoint(&server);
    let env = TestEnv::new(&generic_profile("scm", &server.url(TOKEN_PATH), ""));
    env.cmd()
        .args(["token", "--check"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("")
        .stderr("");
    mock.assert_calls(0);
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    env.cmd()
        .args(["token", "--check"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    mock.assert_calls(1);
}

// --- --format env: a line a shell runs ------------------------------------------------------

/// A token with every character a shell would act on outside single quotes, and the quote
/// itself: visible ASCII, which oauthctl accepts from a token endpoint.
const HOSTILE_TOKEN: &str = r#"a'b"c$(touch${IFS}pwned)`id`\d;e|f&g*h$HOME'\''i"#;

/// `oauthctl token --format env ARGS` against a server issuing [`HOSTILE_TOKEN`]: its stdout.
fn env_line(args: &[&str]) -> (TestEnv, Vec<u8>) {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(scm_token_response(HOSTILE_TOKEN, 899));
    });
    let env = scm_env(&server, "");
    let out = env
        .cmd()
        .args(["token", "--format", "env"])
        .args(args)
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stderr("");
    let stdout = out.get_output().stdout.clone();
    (env, stdout)
}

/// Runs `shell` with `args`, `script` on its stdin (never in its arguments, where `ps` would
/// show a token), in `dir`; its stdout.
fn run_shell(shell: &str, args: &[&str], script: &[u8], dir: &std::path::Path) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new(shell)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap())
        .env("HOME", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("{shell} runs: {err}"));
    child.stdin.take().unwrap().write_all(script).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

// sh evaluates what it prints.
#[cfg(unix)]
#[test]
fn format_env_sets_the_token_in_sh_whatever_it_holds() {
    let (env, line) = env_line(&[]);
    assert_eq!(
        String::from_utf8_lossy(&line),
        format!(
            "export OAUTHCTL_TOKEN='{}'\n",
            HOSTILE_TOKEN.replace('\'', r"'\''")
        )
    );
    // sh reads the line from stdin, evaluates it, and prints the variable back.
    let got = run_shell(
        "sh",
        &["-c", r#"eval "$(cat)"; printf '%s' "$OAUTHCTL_TOKEN""#],
        &line,
        env.dir.path(),
    );
    assert_eq!(got, HOSTILE_TOKEN);
    assert!(
        !env.dir.path().join("pwned").exists(),
        "the token ran a command"
    );
}

// sh evaluates what it prints.
#[cfg(unix)]
#[test]
fn format_env_names_the_variable_given_with_env() {
    let (env, line) = env_line(&["--env", "SCM_TOKEN"]);
    assert!(line.starts_with(b"export SCM_TOKEN='"));
    let got = run_shell(
        "sh",
        &[
            "-c",
            r#"eval "$(cat)"; printf '%s|%s' "$SCM_TOKEN" "${OAUTHCTL_TOKEN-unset}""#,
        ],
        &line,
        env.dir.path(),
    );
    assert_eq!(got, format!("{HOSTILE_TOKEN}|unset"));
}

#[test]
#[ignore = "needs fish"]
fn format_env_for_fish_is_sourced_as_is() {
    let (env, line) = env_line(&["--shell", "fish", "--env", "T"]);
    assert!(line.starts_with(b"set -gx T '"));
    let got = run_shell(
        "fish",
        &["--no-config", "-c", "source; printf '%s' $T"],
        &line,
        env.dir.path(),
    );
    assert_eq!(got, HOSTILE_TOKEN);
    assert!(!env.dir.path().join("pwned").exists());
}

#[test]
fn format_env_refuses_a_variable_that_is_no_shell_name_and_env_without_it() {
    let env = TestEnv::new(&generic_profile("p", "https://auth.example/t", ""));
    for var in ["A-B", "1A", "A=B", "X;rm", ""] {
        env.cmd()
            .args(["token", "--format", "env", "--env", var])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(format!(
                "invalid value '{var}' for '--env <VAR>': a variable name is a letter or _, then letters, digits and _"
            )));
    }
    for args in [
        &["token", "--env", "T"][..],
        &["token", "--format", "json", "--shell", "fish"],
    ] {
        env.cmd()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with(
                "error: --env and --shell go with --format env\n\nUsage: oauthctl token",
            ));
    }
}
