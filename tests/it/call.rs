//! `oauthctl call` against real HTTP servers on loopback (httpmock). Error bodies and challenges
//! are the vendors' own, from docs/providers.md.

use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;
use serde_json::json;

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// SCM's list envelope (docs/providers.md §1).
fn scm_rules() -> serde_json::Value {
    json!({"data": [{"name": "allow-dns", "folder": "Shared", "position": "pre"}], "limit": 200, "offset": 0, "total": 1})
}

#[test]
fn path_is_joined_under_a_base_with_a_path_prefix() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let body = json!({"totalResults": 1, "startIndex": 1, "itemsPerPage": 1,
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "Resources": [{"userName": "kim"}]})
    .to_string();
    let users = server.mock(|when, then| {
        when.method(GET)
            .path("/t/myorg/scim2/Users")
            .query_param("filter", "userName sw ki")
            .header("authorization", bearer());
        then.status(200)
            .header("content-type", "application/scim+json")
            .body(&body);
    });
    let env = api_env_at(&server, &server.url("/t/myorg"), "");
    env.cmd()
        .args(["call", "get", "/scim2/Users", "-q", "filter=userName sw ki"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(body.clone())
        .stderr("");
    users.assert_calls(1);
    tokens.assert_calls(1);
}

#[test]
fn path_without_a_base_path_and_an_absolute_url_on_the_same_origin() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let rules = server.mock(|when, then| {
        when.method(GET)
            .path("/config/security/v1/security-rules")
            .is_true(|req| req.uri().query() == Some("folder=Shared&position=pre"))
            .header("authorization", bearer());
        then.status(200).json_body(scm_rules());
    });
    let env = api_env(&server, "");
    for target in [
        "/config/security/v1/security-rules?folder=Shared".to_string(),
        server.url("/config/security/v1/security-rules?folder=Shared"),
    ] {
        env.cmd()
            .args(["call", "GET", &target, "-q", "position=pre"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success()
            .stdout(scm_rules().to_string());
    }
    rules.assert_calls(2);
    // The second call found the token in the cache.
    tokens.assert_calls(1);
}

#[test]
fn query_items_are_percent_encoded_and_headers_layer_over_the_profile() {
    let server = MockServer::start();
    token_endpoint(&server);
    let devices = server.mock(|when, then| {
        when.method(GET)
            .path("/iot/pub/v1/device/list")
            .is_true(|req| {
                req.uri().query()
                    == Some("detail=true&pagelength=100&stime=2024-01-01T00%3A00%3A00Z&q=a%20b%26c")
            })
            .header("authorization", bearer())
            .header("x-request-id", "abc")
            .header("accept", "application/json")
            .header("x-profile", "from-profile")
            .header_missing("x-dropped")
            .is_true(|req| {
                let h = req.headers();
                let multi: Vec<_> = h.get_all("x-multi").iter().collect();
                multi == ["1", "2"]
            });
        then.status(200)
            .json_body(json!({"total": 0, "devices": []}));
    });
    let env = api_env(
        &server,
        "[profiles.scm.headers]\nAccept = \"application/scim+json\"\nX-Profile = \"from-profile\"\nX-Dropped = \"x\"",
    );
    env.cmd()
        .args([
            "call",
            "GET",
            "/iot/pub/v1/device/list",
            "-q",
            "detail=true",
            "-q",
            "pagelength=100",
            "-q",
            "stime=2024-01-01T00:00:00Z",
            "-q",
            "q=a b&c",
            "-H",
            "X-Request-Id: abc",
            "-H",
            "Accept: application/json",
            "-H",
            "X-Dropped:",
            "-H",
            "X-Multi: 1",
            "-H",
            "X-Multi: 2",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    devices.assert_calls(1);
}

#[test]
fn data_from_a_string_a_file_and_stdin_is_sent_as_is() {
    let server = MockServer::start();
    token_endpoint(&server);
    let form = server.mock(|when, then| {
        when.method(POST)
            .path("/form")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("name=a b&x=1");
        then.status(201);
    });
    let file_body = "{\"name\": \"rule-1\",\r\n  \"action\": \"allow\"}\n\n";
    let from_file = server.mock(|when, then| {
        when.method(PUT)
            .path("/file")
            .header("content-type", "application/json")
            .body(file_body);
        then.status(200);
    });
    let stdin_body = "line one\nline two\n";
    let from_stdin = server.mock(|when, then| {
        when.method("PATCH")
            .path("/stdin")
            .header("content-type", "text/plain")
            .body(stdin_body);
        then.status(200);
    });
    let env = api_env(&server, "");
    let path = env.dir.path().join("rule.json");
    std::fs::write(&path, file_body).unwrap();
    env.cmd()
        .args(["call", "post", "/form", "-d", "name=a b&x=1"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("");
    env.cmd()
        .args([
            "call",
            "PUT",
            "/file",
            "-H",
            "Content-Type: application/json",
        ])
        .arg("-d")
        .arg(format!("@{}", path.display()))
        .assert()
        .success();
    env.cmd()
        .args([
            "call",
            "Patch",
            "/stdin",
            "-d",
            "@-",
            "-H",
            "content-type: text/plain",
        ])
        .write_stdin(stdin_body)
        .assert()
        .success();
    form.assert_calls(1);
    from_file.assert_calls(1);
    from_stdin.assert_calls(1);
}

#[test]
fn json_sets_content_type_and_accept_like_curl() {
    let server = MockServer::start();
    token_endpoint(&server);
    let user =
        json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "kim"});
    let create = server.mock(|when, then| {
        when.method(POST)
            .path("/scim2/Users")
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(user.to_string());
        then.status(201).json_body(json!({"id": "42"}));
    });
    let env = api_env(&server, "");
    env.cmd()
        .args(["call", "POST", "/scim2/Users", "--json", &user.to_string()])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(r#"{"id":"42"}"#);
    env.cmd()
        .args(["call", "POST", "/scim2/Users", "--json", "@-"])
        .write_stdin(user.to_string())
        .assert()
        .success();
    create.assert_calls(2);
}

#[test]
fn exit_code_follows_the_status_and_the_body_still_goes_to_stdout() {
    let server = MockServer::start();
    token_endpoint(&server);
    server.mock(|when, then| {
        when.method(DELETE).path("/config/objects/v1/addresses/1");
        then.status(204);
    });
    let not_found = json!({"_errors": [{"code": "API_I00013", "message": "Object not found", "details": {"errorType": "Object Not Present"}}], "_request_id": "5b1e-77"}).to_string();
    server.mock(|when, then| {
        when.method(GET).path("/config/objects/v1/addresses/2");
        then.status(404)
            .header("content-type", "application/json")
            .body(&not_found);
    });
    let server_error =
        json!({"code": 500, "msg": "Internal error. Please try again later."}).to_string();
    server.mock(|when, then| {
        when.method(GET).path("/iot/pub/v1/alert/list");
        then.status(500)
            .header("content-type", "application/json")
            .body(&server_error);
    });
    let env = api_env(&server, "");
    env.cmd()
        .args(["call", "DELETE", "/config/objects/v1/addresses/1"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    env.cmd()
        .args(["call", "GET", "/config/objects/v1/addresses/2"])
        .assert()
        .code(4)
        .stdout(not_found.clone())
        .stderr(format!(
            "oauthctl: GET {} answered 404 Not Found: API_I00013: Object not found [request id 5b1e-77]\n",
            server.url("/config/objects/v1/addresses/2")
        ));
    env.cmd()
        .args(["call", "GET", "/iot/pub/v1/alert/list"])
        .assert()
        .code(5)
        .stdout(server_error.clone())
        .stderr(predicate::str::ends_with(
            "answered 500 Internal Server Error: Internal error. Please try again later.\n",
        ));
    // -s keeps the exit code and drops the line.
    env.cmd()
        .args(["call", "-s", "GET", "/iot/pub/v1/alert/list"])
        .assert()
        .code(5)
        .stdout(server_error)
        .stderr("");
}

#[test]
fn stdout_is_the_body_byte_for_byte_when_piped() {
    let server = MockServer::start();
    token_endpoint(&server);
    // Odd spacing, no final newline, and bytes that are not UTF-8: nothing may touch them.
    let mut odd: Vec<u8> = b"{ \"a\" :1,\"b\":[ ]}  \n\t ".to_vec();
    odd.extend_from_slice(&[0xff, 0xfe, 0x00, b'x']);
    server.mock(|when, then| {
        when.method(GET).path("/odd");
        then.status(200)
            .header("content-type", "application/json")
            .body(&odd);
    });
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    server.mock(|when, then| {
        when.method(GET).path("/big");
        then.status(200)
            .header("content-type", "application/octet-stream")
            .body(&big);
    });
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["call", "GET", "/odd"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    assert_eq!(out.get_output().stdout, odd);
    let out = env.cmd().args(["call", "GET", "/big"]).assert().success();
    assert!(out.get_output().stdout == big, "the large body changed");
}

#[test]
fn pretty_indents_json_keeping_key_order_and_raw_does_not() {
    let server = MockServer::start();
    token_endpoint(&server);
    server.mock(|when, then| {
        when.method(GET).path("/iot/pub/v1/device/list");
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"total":1,"devices":[{"hostname":"InfusionPump-20","risk_score":0}]}"#);
    });
    let env = api_env(&server, "");
    env.cmd()
        .args(["call", "GET", "/iot/pub/v1/device/list", "--pretty"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("{\n  \"total\": 1,\n  \"devices\": [\n    {\n      \"hostname\": \"InfusionPump-20\",\n      \"risk_score\": 0\n    }\n  ]\n}\n");
    env.cmd()
        .args(["call", "GET", "/iot/pub/v1/device/list", "--raw"])
        .assert()
        .success()
        .stdout(r#"{"total":1,"devices":[{"hostname":"InfusionPump-20","risk_score":0}]}"#);
}

#[test]
fn unauthorized_cached_token_is_dropped_refreshed_once_and_sent_again() {
    let server = MockServer::start();
    let first = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(scm_token_response("revoked-token", 899))
            .up_to_n_times(1);
    });
    let second = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(scm_token_response("fresh-token", 899));
    });
    let rejected = server.mock(|when, then| {
        when.method(GET)
            .path("/config/setup/v1/devices")
            .header("authorization", "Bearer revoked-token");
        then.status(401)
            .header(
                "www-authenticate",
                r#"Bearer realm="api", error="invalid_token", error_description="The access token was revoked""#,
            )
            .json_body(json!({"_errors": [{"code": "E016", "message": "Not Authenticated", "details": {}}], "_request_id": "r-1"}));
    });
    let accepted = server.mock(|when, then| {
        when.method(GET)
            .path("/config/setup/v1/devices")
            .header("authorization", "Bearer fresh-token");
        then.status(200)
            .json_body(json!({"data": [], "limit": 200, "offset": 0, "total": 0}));
    });
    let env = api_env(&server, "");
    // The cache holds the token the API will reject.
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("revoked-token\n");
    let out = env
        .cmd()
        .args(["call", "GET", "/config/setup/v1/devices"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(json!({"data": [], "limit": 200, "offset": 0, "total": 0}).to_string());
    let stderr = stderr_of(&out);
    assert_eq!(
        stderr,
        format!(
            "oauthctl: GET {} answered 401 Unauthorized (invalid_token: The access token was revoked); fetching a new token and sending again\n",
            server.url("/config/setup/v1/devices")
        )
    );
    first.assert_calls(1);
    second.assert_calls(1);
    rejected.assert_calls(1);
    accepted.assert_calls(1);
    // The new token replaced the rejected one in the cache.
    env.cmd()
        .arg("token")
        .assert()
        .success()
        .stdout("fresh-token\n");
    second.assert_calls(1);
}

#[test]
fn second_unauthorized_ends_with_exit_4_and_the_challenge() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let api = server.mock(|when, then| {
        when.method(GET).path("/config/setup/v1/devices");
        then.status(401)
            .header(
                "www-authenticate",
                r#"Bearer error="invalid_token", error_description="The access token expired""#,
            )
            .json_body(json!({"_errors": [{"code": "E016", "message": "Not Authenticated", "details": {}}], "_request_id": "r-2"}));
    });
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["call", "GET", "/config/setup/v1/devices"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(4);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(
            "answered 401 Unauthorized: invalid_token: The access token expired; E016: Not Authenticated [request id r-2] (a new token was refused too)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("\nhint: the API refuses this profile's tokens"),
        "{stderr}"
    );
    assert!(
        !stderr.contains(TOKEN) && !stderr.contains(SECRET),
        "{stderr}"
    );
    tokens.assert_calls(2);
    api.assert_calls(2);
}

#[test]
fn forbidden_insufficient_scope_names_the_missing_scope_and_does_not_refresh() {
    let server = MockServer::start();
    let tokens = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(json!({
            "access_token": "decc891e-4bee-3831-a321-38b1db1fece0",
            "scope": "internal_user_mgt_list", "token_type": "Bearer", "expires_in": 3600
        }));
    });
    let api = server.mock(|when, then| {
        when.method(DELETE).path("/t/myorg/scim2/Users/1");
        then.status(403)
            .header(
                "www-authenticate",
                r#"Bearer error="insufficient_scope", error_description="The request requires higher privileges", scope="internal_user_mgt_delete""#,
            )
            .header("content-type", "application/scim+json")
            .body(r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"detail":"Operation is not permitted.","status":"403"}"#);
    });
    let env = api_env_at(&server, &server.url("/t/myorg"), "");
    let out = env
        .cmd()
        .args(["call", "DELETE", "/scim2/Users/1"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(4);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(
            "answered 403 Forbidden: insufficient_scope: The request requires higher privileges; Operation is not permitted.; the token lacks the scope `internal_user_mgt_delete` (it has `internal_user_mgt_list`)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: a new token will not help"),
        "{stderr}"
    );
    tokens.assert_calls(1);
    api.assert_calls(1);
}

#[test]
fn rate_limited_get_waits_for_retry_after_then_succeeds() {
    let server = MockServer::start();
    token_endpoint(&server);
    let limited = server.mock(|when, then| {
        when.method(GET).path("/iot/pub/v1/device/list");
        then.status(429)
            .header("retry-after", "1")
            .json_body(json!({"code": 429, "msg": "Too many requests. Please retry later."}))
            .up_to_n_times(1);
    });
    let ok = server.mock(|when, then| {
        when.method(GET).path("/iot/pub/v1/device/list");
        then.status(200)
            .json_body(json!({"total": 0, "devices": []}));
    });
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["call", "GET", "/iot/pub/v1/device/list"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(json!({"total": 0, "devices": []}).to_string());
    assert_eq!(
        stderr_of(&out),
        format!(
            "oauthctl: GET {} answered 429 Too Many Requests: Too many requests. Please retry later.; retry 1 of 2 in 1 s\n",
            server.url("/iot/pub/v1/device/list")
        )
    );
    limited.assert_calls(1);
    ok.assert_calls(1);
}

#[test]
fn idempotent_503_is_retried_as_often_as_asked_and_post_only_with_retry_all() {
    let server = MockServer::start();
    token_endpoint(&server);
    let unavailable = |method: httpmock::Method, path: &'static str| {
        server.mock(move |when, then| {
            when.method(method).path(path);
            then.status(503)
                .header("retry-after", "0")
                .body("<html><body>503 Service Unavailable</body></html>");
        })
    };
    let get = unavailable(GET, "/get");
    let post = unavailable(POST, "/post");
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["call", "GET", "/get", "--retries", "1"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(5)
        .stdout("<html><body>503 Service Unavailable</body></html>");
    let stderr = stderr_of(&out);
    assert!(stderr.contains("retry 1 of 1 in 0 s"), "{stderr}");
    assert!(
        stderr.ends_with("answered 503 Service Unavailable (after 1 retry)\n"),
        "{stderr}"
    );
    get.assert_calls(2);

    let out = env
        .cmd()
        .args(["call", "POST", "/post", "-d", "x=1"])
        .assert()
        .code(5);
    assert!(
        stderr_of(&out).ends_with(
            "answered 503 Service Unavailable (a POST is not sent again without --retry-all, as the server may have acted on it)\n"
        ),
        "{}",
        stderr_of(&out)
    );
    post.assert_calls(1);
    env.cmd()
        .args(["call", "POST", "/post", "-d", "x=1", "--retry-all", "-s"])
        .assert()
        .code(5)
        .stderr("");
    post.assert_calls(4);
}

#[test]
fn absolute_url_to_another_origin_is_refused_before_anything_is_sent() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let stranger = MockServer::start();
    let mut stolen = stranger.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let env = api_env(&server, "");
    env.cmd()
        .args(["call", "GET", &stranger.url("/config/setup/v1/devices")])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "oauthctl: refusing to send profile scm's token to {}: the profile allows {}\nhint: if {} is yours, add it to allowed_origins in [profiles.scm]\n",
            stranger.base_url(),
            server.base_url(),
            stranger.base_url()
        ));
    assert_eq!(stolen.calls(), 0);
    assert_eq!(tokens.calls(), 0);

    // Listed in allowed_origins, the same origin gets the token.
    stolen.delete();
    let allowed = stranger.mock(|when, then| {
        when.method(GET)
            .path("/accounts/v1/globalAccount")
            .header("authorization", bearer());
        then.status(200).json_body(json!({"guid": "g"}));
    });
    let env = api_env(
        &server,
        &format!("allowed_origins = [\"{}\"]", stranger.base_url()),
    );
    env.cmd()
        .args(["call", "GET", &stranger.url("/accounts/v1/globalAccount")])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    allowed.assert_calls(1);
}

#[test]
fn location_follows_redirects_and_authorization_stays_with_its_origin() {
    let server = MockServer::start();
    token_endpoint(&server);
    let storage = MockServer::start();
    let download = storage.mock(|when, then| {
        when.method(GET)
            .path("/bucket/export.json")
            .header_missing("authorization")
            .header("x-trace", "t1");
        then.status(200).body("exported");
    });
    server.mock(|when, then| {
        when.method(GET).path("/export");
        then.status(302)
            .header("location", storage.url("/bucket/export.json"));
    });
    let moved = server.mock(|when, then| {
        when.method(GET).path("/old");
        then.status(301).header("location", "/new");
    });
    let same_origin = server.mock(|when, then| {
        when.method(GET)
            .path("/new")
            .header("authorization", bearer());
        then.status(200).body("new");
    });
    let env = api_env(&server, "");
    // Without -L the redirect is the answer.
    env.cmd()
        .args(["call", "GET", "/export", "-H", "X-Trace: t1"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("");
    download.assert_calls(0);
    env.cmd()
        .args(["call", "GET", "/export", "-L", "-H", "X-Trace: t1"])
        .assert()
        .success()
        .stdout("exported");
    download.assert_calls(1);
    env.cmd()
        .args(["call", "GET", "/old", "-L", "-i"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "HTTP/1.1 301 Moved Permanently\r\n",
        ))
        .stdout(predicate::str::contains("\r\n\r\nHTTP/1.1 200 OK\r\n"))
        .stdout(predicate::str::ends_with("\r\n\r\nnew"));
    moved.assert_calls(1);
    same_origin.assert_calls(1);
}

#[test]
fn verbose_shows_the_heads_without_token_or_secret() {
    let server = MockServer::start();
    token_endpoint(&server);
    server.mock(|when, then| {
        when.method(GET).path("/config/setup/v1/devices");
        then.status(200).json_body(json!({"data": []}));
    });
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["call", "-v", "GET", "/config/setup/v1/devices"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(r#"{"data":[]}"#);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!(
            "> GET {}\n",
            server.url("/config/setup/v1/devices")
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("> authorization: Bearer REDACTED\n"),
        "{stderr}"
    );
    assert!(stderr.contains("< HTTP/1.1 200 OK\n"), "{stderr}");
    for leak in [TOKEN, SECRET, "s3cr%26t"] {
        assert!(!stderr.contains(leak), "stderr holds {leak}:\n{stderr}");
    }
}

#[test]
fn own_authorization_header_is_sent_as_given_and_no_token_is_fetched() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let api = server.mock(|when, then| {
        when.method(GET)
            .path("/x")
            .header("authorization", "Bearer my-own-token");
        then.status(200).body("ok");
    });
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args([
            "call",
            "-v",
            "GET",
            "/x",
            "-H",
            "Authorization: Bearer my-own-token",
        ])
        .assert()
        .success()
        .stdout("ok");
    assert!(
        !stderr_of(&out).contains("my-own-token"),
        "{}",
        stderr_of(&out)
    );
    api.assert_calls(1);
    assert_eq!(tokens.calls(), 0);
}

#[test]
fn no_token_exits_3_and_sends_nothing_to_the_api() {
    let server = MockServer::start();
    let mut refused = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(400).json_body(
            json!({"error_description": "Client authentication failed", "error": "invalid_client"}),
        );
    });
    let api = server.mock(|when, then| {
        when.path_prefix("/config");
        then.status(200);
    });
    let env = api_env(&server, "");
    env.cmd()
        .args(["call", "GET", "/config/setup/v1/devices"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "oauthctl: no access token for profile scm: token request to 127.0.0.1:{} failed: 400 invalid_client: Client authentication failed\n\
             hint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status`\n",
            server.port()
        ));
    refused.delete();
    server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(502);
    });
    // A token endpoint that is down is "no token" for call too, not a network error.
    env.cmd()
        .args(["call", "GET", "/config/setup/v1/devices"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("failed: 502 (empty body)"));
    assert_eq!(api.calls(), 0);
}

#[test]
fn include_puts_the_head_first_and_output_writes_a_file() {
    let server = MockServer::start();
    token_endpoint(&server);
    server.mock(|when, then| {
        when.method(GET).path("/config/setup/v1/devices");
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"data":[]}"#);
    });
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["call", "-i", "GET", "/config/setup/v1/devices"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("HTTP/1.1 200 OK\r\n"))
        .stdout(predicate::str::contains(
            "content-type: application/json\r\n",
        ))
        .stdout(predicate::str::ends_with("\r\n\r\n{\"data\":[]}"));
    assert!(stderr_of(&out).is_empty());
    let file = env.dir.path().join("devices.json");
    env.cmd()
        .args(["call", "GET", "/config/setup/v1/devices", "-o"])
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    assert_eq!(std::fs::read(&file).unwrap(), br#"{"data":[]}"#);
}

#[test]
fn malformed_items_and_conflicting_options_are_usage_errors() {
    let server = MockServer::start();
    let anything = server.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let env = api_env(&server, "");
    for args in [
        vec!["call", "GET", "/x", "-q", "no-equals-sign"],
        vec!["call", "GET", "/x", "-H", "no colon"],
        vec!["call", "G ET", "/x"],
        vec!["call", "GET", "/x", "-d", "a", "--json", "{}"],
        vec!["call", "GET", "ftp://example.com/x"],
    ] {
        env.cmd()
            .args(&args)
            .env("SCM_SECRET", SECRET)
            .assert()
            .code(2)
            .stdout("");
    }
    assert_eq!(anything.calls(), 0);
}

// --- Proxies and loopback -----------------------------------------------------------------

/// Every proxy variable, pointing at `proxy`.
fn through_proxy(cmd: &mut assert_cmd::Command, proxy: &MockServer) {
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        cmd.env(var, proxy.base_url());
    }
}

#[test]
fn loopback_token_endpoints_and_apis_never_go_through_a_proxy() {
    // A proxy would see the client secret and the token in the clear, and could answer with a
    // token of its own.
    let proxy = MockServer::start();
    let proxied = proxy.mock(|when, then| {
        when.any_request();
        then.status(200)
            .json_body(scm_token_response("proxy-token", 899));
    });
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let api = server.mock(|when, then| {
        when.method(GET)
            .path("/x")
            .header("authorization", bearer());
        then.status(200).body("from the API");
    });
    for host in ["127.0.0.1", "localhost"] {
        let base = format!("http://{host}:{}", server.port());
        let env = TestEnv::new(&generic_profile(
            "scm",
            &format!("{base}{TOKEN_PATH}"),
            &format!("api_base = \"{base}\""),
        ));
        let mut cmd = env.cmd();
        cmd.args(["call", "GET", "/x"]).env("SCM_SECRET", SECRET);
        through_proxy(&mut cmd, &proxy);
        cmd.assert().success().stdout("from the API");

        let mut cmd = env.cmd();
        cmd.args(["token", "--no-cache"]).env("SCM_SECRET", SECRET);
        through_proxy(&mut cmd, &proxy);
        cmd.assert().success().stdout(format!("{TOKEN}\n"));
    }
    proxied.assert_calls(0);
    tokens.assert_calls(4);
    api.assert_calls(2);
}

/// A proxy on loopback that answers every request 502 and keeps each request line: httpmock
/// does not take CONNECT.
fn recording_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_ok() {
                log.lock().unwrap().push(line.trim_end().to_string());
            }
            let _ = reader
                .get_mut()
                .write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n");
        }
    });
    (url, seen)
}

#[test]
fn other_hosts_still_go_through_https_proxy_unless_no_proxy_names_them() {
    let (proxy, seen) = recording_proxy();
    let env = TestEnv::new(&generic_profile(
        "scm",
        "https://auth.oauthctl.invalid/oauth2/access_token",
        "",
    ));
    let token = |no_proxy: Option<&str>| {
        let mut cmd = env.cmd();
        cmd.args(["token", "--no-cache"])
            .env("SCM_SECRET", SECRET)
            .env("HTTPS_PROXY", &proxy);
        if let Some(hosts) = no_proxy {
            cmd.env("NO_PROXY", hosts);
        }
        cmd.assert().code(1);
    };
    token(None);
    assert_eq!(
        *seen.lock().unwrap(),
        ["CONNECT auth.oauthctl.invalid:443 HTTP/1.1"]
    );
    token(Some("auth.oauthctl.invalid"));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

// --- The https rule on every hop ------------------------------------------------------------

#[test]
fn a_redirect_to_plain_http_off_the_host_never_carries_the_token() {
    // The redirect leaves the origin, so the token stays behind whatever the target; a hop that
    // would carry it in the clear is refused where the token is added (see the paging tests).
    let server = MockServer::start();
    token_endpoint(&server);
    let plain = format!("http://api.oauthctl.test:{}", server.port());
    let old = server.mock(|when, then| {
        when.method(GET)
            .path("/old")
            .header("authorization", bearer());
        then.status(302).header("location", format!("{plain}/new"));
    });
    let new = server.mock(|when, then| {
        when.method(GET)
            .path("/new")
            .header_missing("authorization");
        then.status(200).body("moved");
    });
    let env = api_env_at(
        &server,
        &plain,
        &format!("allowed_origins = [\"{}\"]", server.base_url()),
    );
    env.cmd()
        .args(["call", "GET", &server.url("/old"), "-L"])
        .env("SCM_SECRET", SECRET)
        .env(
            "OAUTHCTL_RESOLVE",
            format!("api.oauthctl.test=127.0.0.1:{}", server.port()),
        )
        .assert()
        .success()
        .stdout("moved");
    old.assert_calls(1);
    new.assert_calls(1);
}

// --- Pretty-printing deep JSON ------------------------------------------------------------

// GNU time measures the peak (macOS has BSD's).
#[cfg(target_os = "linux")]
#[test]
fn pretty_printing_deeply_nested_json_takes_memory_in_proportion_to_its_size() {
    // 40 KB of nested arrays: indenting every level once took 800 MB.
    let depth = 20_000;
    let body = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let server = MockServer::start();
    token_endpoint(&server);
    server.mock(|when, then| {
        when.method(GET).path("/deep");
        then.status(200)
            .header("content-type", "application/json")
            .body(&body);
    });
    let env = api_env(&server, "");
    let rss_file = env.dir.path().join("max-rss-kb");
    // GNU time measures the peak resident memory of oauthctl itself.
    let out = env
        .wrapped("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(oauthctl_bin())
        .args(["call", "GET", "/deep", "--pretty"])
        .env("SCM_SECRET", SECRET)
        .output()
        .expect("GNU time (/usr/bin/time) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The same JSON as received, laid out: only whitespace was added.
    let squeezed: String = stdout.split_whitespace().collect();
    assert_eq!(squeezed, body);
    assert!(stdout.starts_with("[\n  [\n    [\n"), "{}", &stdout[..40]);
    assert!(stdout.len() < 3 * body.len(), "{} bytes out", stdout.len());
    let rss_kb: u64 = std::fs::read_to_string(&rss_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    eprintln!("peak memory {rss_kb} KiB");
    assert!(rss_kb < 64 * 1024, "peak memory {rss_kb} KiB");
}

// --- Hints for a slow API and an untrusted CA -----------------------------------------------

#[test]
fn a_call_that_times_out_names_timeout_and_its_value() {
    let server = MockServer::start();
    token_endpoint(&server);
    server.mock(|when, then| {
        when.method(GET).path("/slow");
        then.status(200)
            .delay(std::time::Duration::from_secs(3))
            .body("late");
    });
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["call", "GET", "/slow", "--timeout", "1"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(&format!(
            "oauthctl: GET {} failed: timed out",
            server.url("/slow")
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
fn an_api_certificate_from_an_unknown_ca_points_at_ca_file() {
    use crate::common::tls::{Pki, TlsFront};
    const HOST: &str = "api.example.com";
    let server = MockServer::start();
    token_endpoint(&server);
    let api = server.mock(|when, then| {
        when.method(GET).path("/x");
        then.status(200).body("ok");
    });
    let pki = Pki::new();
    let front = TlsFront::start(&pki, &pki.issue(&[HOST], false), false, server.port());
    let env = api_env_at(&server, &format!("https://{HOST}"), "");
    let out = env
        .cmd()
        .args(["call", "GET", "/x"])
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_RESOLVE", front.resolve(HOST))
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(&format!("oauthctl: GET https://{HOST}/x failed: "))
            && stderr.contains("UnknownIssuer")
            && stderr.ends_with(
                "set ca_file = \"/path/to/ca.pem\" (that CA's certificate, PEM) in [profiles.scm]\n"
            ),
        "{stderr}"
    );
    api.assert_calls(0);
}

#[test]
fn a_server_certificate_is_trusted_only_from_a_known_ca_for_its_own_name_while_valid() {
    // Verification as strict for the token request as for the API: a CA neither the system nor
    // ca_file trusts is refused before a byte of the request is sent; ca_file adds its CA and
    // nothing else (another CA of the same name, a certificate it issued for another name, or
    // one that has expired, is still refused).
    use crate::common::tls::{Pki, TlsFront};
    const AUTH: &str = "auth.example.com";
    const API: &str = "api.example.com";
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let api = server.mock(|when, then| {
        when.method(GET)
            .path("/x")
            .header("authorization", bearer());
        then.status(200).body("ok");
    });
    let pki = Pki::new();
    let stranger = Pki::named("another CA");
    let impostor = Pki::new();
    let front = |pki: &Pki, cert| TlsFront::start(pki, &cert, false, server.port());
    let trusted = front(&pki, pki.issue(&[AUTH, API], false));
    let untrusted = front(&stranger, stranger.issue(&[AUTH, API], false));
    let forged = front(&impostor, impostor.issue(&[AUTH, API], false));
    let other_name = front(&pki, pki.issue(&["other.example.com"], false));
    let expired = front(&pki, pki.issue_expired(&[AUTH, API]));
    let env = TestEnv::new(&generic_profile(
        "scm",
        &format!("https://{AUTH}{TOKEN_PATH}"),
        &format!("api_base = \"https://{API}\"\n"),
    ));
    let run = |args: &[&str], auth: &TlsFront, api: &TlsFront| {
        env.cmd()
            .args(args)
            .env("SCM_SECRET", SECRET)
            .env(
                "OAUTHCTL_RESOLVE",
                format!("{},{}", auth.resolve(AUTH), api.resolve(API)),
            )
            .assert()
    };
    let refused = |out: assert_cmd::assert::Assert, code: i32, what: &str, why: &str| {
        let stderr = stderr_of(&out.code(code).stdout(""));
        assert!(stderr.contains(&format!("{what} failed: ")), "{stderr}");
        assert!(stderr.contains(why), "{why} in {stderr}");
    };
    let token_request = format!("token request to {AUTH}");
    let get = format!("GET https://{API}/x");

    // No ca_file: the test CA is this machine's no more than the others.
    for pki_front in [&trusted, &untrusted, &forged] {
        refused(
            run(&["token", "--no-cache"], pki_front, pki_front),
            1,
            &token_request,
            "UnknownIssuer",
        );
        refused(
            run(&["call", "GET", "/x"], pki_front, pki_front),
            3,
            &token_request,
            "UnknownIssuer",
        );
    }
    assert_eq!((tokens.calls(), api.calls()), (0, 0));

    // ca_file trusts the test CA: a token and an answer from its servers...
    std::fs::write(env.dir.path().join("ca.pem"), &pki.ca_pem).unwrap();
    env.write_profiles(&generic_profile(
        "scm",
        &format!("https://{AUTH}{TOKEN_PATH}"),
        &format!("api_base = \"https://{API}\"\nca_file = \"ca.pem\"\n"),
    ));
    run(&["token", "--no-cache"], &trusted, &trusted)
        .success()
        .stdout(format!("{TOKEN}\n"));
    run(&["call", "GET", "/x"], &trusted, &trusted)
        .success()
        .stdout("ok");
    // (`token --no-cache` stored nothing, so `call` asked for a token of its own.)
    assert_eq!((tokens.calls(), api.calls()), (2, 1));

    // ...but still not from another CA's, for the token request or for the API alone.
    refused(
        run(&["token", "--no-cache"], &untrusted, &trusted),
        1,
        &token_request,
        "UnknownIssuer",
    );
    refused(
        run(&["call", "GET", "/x"], &trusted, &untrusted),
        1,
        &get,
        "UnknownIssuer",
    );
    // Nor from a CA that takes the trusted one's name: its signature is not the trusted key's.
    refused(
        run(&["token", "--no-cache"], &forged, &trusted),
        1,
        &token_request,
        "BadSignature",
    );
    refused(
        run(&["call", "GET", "/x"], &trusted, &forged),
        1,
        &get,
        "BadSignature",
    );
    // Nor a certificate of the trusted CA for another name, or one that has expired.
    refused(
        run(&["token", "--no-cache"], &other_name, &trusted),
        1,
        &token_request,
        "certificate not valid for name",
    );
    refused(
        run(&["call", "GET", "/x"], &trusted, &other_name),
        1,
        &get,
        "certificate not valid for name",
    );
    refused(
        run(&["token", "--no-cache"], &expired, &trusted),
        1,
        &token_request,
        "certificate expired",
    );
    refused(
        run(&["call", "GET", "/x"], &trusted, &expired),
        1,
        &get,
        "certificate expired",
    );
    // Each refusal came before the request: the servers behind saw only the ones above.
    assert_eq!((tokens.calls(), api.calls()), (2, 1));
}

// --- A redirect that is not followed ----------------------------------------------------------

#[test]
fn a_redirect_without_l_is_written_as_is_exits_0_and_says_it_was_not_followed() {
    let server = MockServer::start();
    token_endpoint(&server);
    let old = server.mock(|when, then| {
        when.method(GET).path("/old");
        then.status(302)
            .header("location", "/new?q=a b&é=1")
            .body("moved");
    });
    let new = server.mock(|when, then| {
        when.method(GET).path("/new");
        then.status(200).body("new");
    });
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["call", "GET", "/old"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("moved");
    assert_eq!(
        stderr_of(&out),
        format!(
            "oauthctl: GET {} answered 302 Found, a redirect to {}?q=a%20b&%C3%A9=1, which was not followed\nhint: add -L to follow redirects (the token goes only to the same origin)\n",
            server.url("/old"),
            server.url("/new")
        )
    );
    // -s: nothing on stderr, as for any status.
    env.cmd()
        .args(["call", "GET", "/old", "-s"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("moved")
        .stderr("");
    // -L: followed, nothing to say.
    env.cmd()
        .args(["call", "GET", "/old", "-L"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("new")
        .stderr("");
    old.assert_calls(3);
    new.assert_calls(1);
}

#[test]
fn accept_removed_with_h_goes_as_the_librarys_any_type() {
    // `-H 'Accept:'` takes out the profile's or --json's Accept. reqwest then sends its own
    // `Accept: */*` (it cannot be told not to:
    // https://github.com/seanmonstar/reqwest/issues/2279); the README says so.
    let server = MockServer::start();
    token_endpoint(&server);
    let any = server.mock(|when, then| {
        when.method(POST).path("/x").header("accept", "*/*");
        then.status(200).body("ok");
    });
    let env = api_env(
        &server,
        "[profiles.scm.headers]\nAccept = \"application/scim+json\"",
    );
    for args in [
        vec!["call", "POST", "/x", "-H", "Accept:"],
        vec!["call", "POST", "/x", "--json", "{}", "-H", "Accept:"],
    ] {
        env.cmd()
            .args(&args)
            .env("SCM_SECRET", SECRET)
            .assert()
            .success()
            .stdout("ok");
    }
    any.assert_calls(2);
}

#[test]
fn jq_filters_the_answer_with_raw_strings_and_compact_values() {
    let server = MockServer::start();
    token_endpoint(&server);
    let body = r#"{"data": [{"name": "allow-dns", "id": 1.50, "tags": ["a", "b"]},
        {"name": "deny \"all\"\n", "id": 12345678901234567890, "tags": []}], "total": 2}"#;
    let rules = server.mock(|when, then| {
        when.method(GET).path("/config/security/v1/security-rules");
        then.status(200)
            .header("content-type", "application/json")
            .body(body);
    });
    let env = api_env(&server, "");
    let run = |expr: &str| {
        stdout_of(
            &env.cmd()
                .args(["call", "/config/security/v1/security-rules", "--jq", expr])
                .env("SCM_SECRET", SECRET)
                .assert()
                .success()
                .stderr(""),
        )
    };
    // Strings raw, as jq -r writes them (a newline in one is its own).
    assert_eq!(run(".data[].name"), "allow-dns\ndeny \"all\"\n\n");
    // Other values compact, one a line, numbers as the server wrote them.
    assert_eq!(
        run(".data[] | {id, tags}"),
        "{\"id\":1.50,\"tags\":[\"a\",\"b\"]}\n{\"id\":12345678901234567890,\"tags\":[]}\n"
    );
    assert_eq!(run(".total"), "2\n");
    assert_eq!(
        run(".data | map(.name) | @tsv"),
        "allow-dns\tdeny \"all\"\\n\n"
    );
    assert_eq!(run("empty"), "");
    rules.assert_calls(5);
}

#[test]
fn a_bad_jq_expression_is_a_usage_error_at_its_position_before_any_request() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let rules = server.mock(|when, then| {
        when.path("/config/security/v1/security-rules");
        then.status(200).json_body(scm_rules());
    });
    let env = api_env(&server, "");
    env.cmd()
        .args([
            "call",
            "/config/security/v1/security-rules",
            "--jq",
            ".data[] | select(.name ==)",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "oauthctl: --jq: expected term, found `)` at column 26\n  .data[] | select(.name ==)\n                           ^\n",
        );
    env.cmd()
        .args([
            "call",
            "/config/security/v1/security-rules",
            "--jq",
            ".data[] | nosuch",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--jq: undefined filter `nosuch` at column 11",
        ));
    rules.assert_calls(0);
    tokens.assert_calls(0);
}

#[test]
fn jq_on_an_answer_that_is_not_json_says_so_and_leaves_error_answers_unfiltered() {
    let server = MockServer::start();
    token_endpoint(&server);
    server.mock(|when, then| {
        when.path("/html");
        then.status(200)
            .header("content-type", "text/html")
            .body("<html>maintenance</html>");
    });
    let problem = json!({"_errors": [{"code": "E016", "message": "Not Authenticated"}]});
    server.mock(|when, then| {
        when.path("/missing");
        then.status(404).json_body(problem.clone());
    });
    server.mock(|when, then| {
        when.path("/empty");
        then.status(204);
    });
    let env = api_env(&server, "");
    env.cmd()
        .args(["call", "/html", "--jq", ".name"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!(
            "oauthctl: --jq reads JSON, and the answer to GET {} (Content-Type: text/html) is not JSON",
            server.url("/html")
        )));
    // The filter is for the answer asked for; an error answer is written as it came.
    env.cmd()
        .args(["call", "/missing", "--jq", ".name", "-s"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(4)
        .stdout(problem.to_string());
    // No body, no input: nothing written, as jq writes nothing for no input.
    env.cmd()
        .args(["call", "DELETE", "/empty", "--jq", ".name"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("");
}

#[test]
fn without_a_method_a_call_is_a_get_and_a_post_with_a_body() {
    let server = MockServer::start();
    token_endpoint(&server);
    let get = server.mock(|when, then| {
        when.method(GET)
            .path("/config/objects/v1/tags")
            .is_true(|req| req.body().is_empty());
        then.status(200).json_body(json!({"data": []}));
    });
    let post_json = server.mock(|when, then| {
        when.method(POST)
            .path("/config/objects/v1/tags")
            .header("content-type", "application/json")
            .body(r#"{"name":"prod"}"#);
        then.status(201).json_body(json!({"id": "t-1"}));
    });
    let post_form = server.mock(|when, then| {
        when.method(POST)
            .path("/form")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("a=1");
        then.status(201);
    });
    let env = api_env(&server, "");
    env.cmd()
        .args(["call", "/config/objects/v1/tags"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(r#"{"data":[]}"#);
    env.cmd()
        .args(["call", &server.url("/config/objects/v1/tags")])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    env.cmd()
        .args([
            "call",
            "/config/objects/v1/tags",
            "--json",
            r#"{"name":"prod"}"#,
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(r#"{"id":"t-1"}"#);
    env.cmd()
        .args(["call", "/form", "-d", "a=1"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    get.assert_calls(2);
    post_json.assert_calls(1);
    post_form.assert_calls(1);
}

#[test]
fn a_method_alone_is_not_taken_for_a_path() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let any = server.mock(|when, then| {
        when.path_includes("/");
        then.status(200);
    });
    let env = api_env(&server, "");
    env.cmd()
        .args(["call", "delete"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "oauthctl: `delete` is a method; the path or URL comes after it\n",
        ));
    // And with both, the method still comes first, in any case.
    env.cmd()
        .args(["call", "/config", "GET"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`/config` is not an HTTP method"));
    any.assert_calls(0);
    tokens.assert_calls(0);
}

#[test]
fn fields_build_a_json_body_as_gh_api_does() {
    let server = MockServer::start();
    token_endpoint(&server);
    let created = server.mock(|when, then| {
        when.method(POST)
            .path("/config/objects/v1/addresses")
            .query_param("folder", "Shared")
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(concat!(
                r#"{"description":"line one\nline two\n","fqdn":"dns.example.com","#,
                r#""name":"dns","port":53,"rules":[{"allow":true,"name":"r1"},{"name":"r2"}],"#,
                r#""tag":["a","b"],"ttl":null,"version":"1.10","x":{"y":"007"}}"#
            ));
        then.status(201).json_body(json!({"id": "a-1"}));
    });
    let env = api_env(&server, "");
    let notes = env.dir.path().join("notes.txt");
    std::fs::write(&notes, "line one\nline two\n").unwrap();
    env.cmd()
        .args([
            "call",
            "/config/objects/v1/addresses",
            "-q",
            "folder=Shared",
            "-f",
            "name=dns",
            "-f",
            "fqdn=dns.example.com",
            "-F",
            "port=53",
            "-F",
            "ttl=null",
            "-F",
            "version=1.10",
            "-F",
            "x[y]=007",
            "-f",
            "tag[]=a",
            "-f",
            "tag[]=b",
            "-f",
            "rules[][name]=r1",
            "-F",
            "rules[][allow]=true",
            "-f",
            "rules[][name]=r2",
        ])
        .arg("-F")
        .arg(format!("description=@{}", notes.display()))
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(r#"{"id":"a-1"}"#);
    created.assert_calls(1);
}

#[test]
fn fields_go_in_the_query_with_get_and_clash_with_a_body() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let devices = server.mock(|when, then| {
        when.method(GET)
            .path("/iot/pub/v1/device/list")
            .is_true(|req| {
                req.uri().query() == Some("detail=true&pagelength=100&q=a%20b&stdin=from%20stdin")
                    && req.body().is_empty()
            });
        then.status(200).json_body(json!({"devices": []}));
    });
    let env = api_env(&server, "");
    env.cmd()
        .args([
            "call",
            "get",
            "/iot/pub/v1/device/list",
            "-q",
            "detail=true",
            "-F",
            "pagelength=100",
            "-f",
            "q=a b",
            "-F",
            "stdin=@-",
        ])
        .write_stdin("from stdin")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    devices.assert_calls(1);
    for clash in [["-d", "x=1"], ["--json", "{}"]] {
        env.cmd()
            .args(["call", "/iot/pub/v1/device/list", "-f", "a=1"])
            .args(clash)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("cannot be used with"));
    }
    env.cmd()
        .args(["call", "/x", "-f", "a[b=1"])
        .assert()
        .code(2)
        .stderr("oauthctl: -f a[b=1: a `[` in a field's key is not closed\n");
    tokens.assert_calls(1);
}

#[test]
fn write_out_goes_to_stderr_and_leaves_stdout_as_it_was() {
    let server = MockServer::start();
    token_endpoint(&server);
    let rules = server.mock(|when, then| {
        when.method(GET).path("/config/security/v1/security-rules");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(scm_rules());
    });
    let missing = server.mock(|when, then| {
        when.method(DELETE).path("/config/objects/v1/tags/t-9");
        then.status(404)
            .header("content-type", "application/json")
            .body(r#"{"_errors":[]}"#);
    });
    let env = api_env(&server, "");
    let url = server.url("/config/security/v1/security-rules?folder=Shared");
    let out = env
        .cmd()
        .args([
            "call",
            "/config/security/v1/security-rules",
            "-q",
            "folder=Shared",
            "-w",
            "%{http_code} %{method} %{url_effective} %{content_type} %{size_download}\\n%{time_total}",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(scm_rules().to_string());
    let stderr = stderr_of(&out);
    let (line, time) = stderr.split_once('\n').unwrap();
    let body_len = scm_rules().to_string().len();
    assert_eq!(line, format!("200 GET {url} application/json {body_len}"));
    let secs: f64 = time.parse().unwrap_or_else(|_| panic!("{stderr:?}"));
    assert!((0.0..30.0).contains(&secs), "{stderr:?}");
    assert_eq!(time.split_once('.').unwrap().1.len(), 6, "{stderr:?}");
    assert!(!stderr.contains(TOKEN));
    rules.assert_calls(1);
    // An error answer: -w still says its code, before the status line; the body on stdout.
    env.cmd()
        .args([
            "call",
            "DELETE",
            "/config/objects/v1/tags/t-9",
            "-w",
            "%{http_code}\\n",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(4)
        .stdout(r#"{"_errors":[]}"#)
        .stderr(predicate::str::starts_with("404\noauthctl: "));
    missing.assert_calls(1);
    // No answer at all: 000, as curl writes it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let nowhere = format!("http://127.0.0.1:{port}");
    let env = api_env(&server, &format!("allowed_origins = [\"{nowhere}\"]"));
    env.cmd()
        .args(["call", &format!("{nowhere}/x"), "-w", "[%{http_code}]"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with("[000]oauthctl: "));
    // Nor when no token could be had.
    let refusing = MockServer::start();
    refusing.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(401)
            .json_body(json!({"error": "invalid_client"}));
    });
    api_env(&refusing, "")
        .cmd()
        .args(["call", "/x", "-w", "[%{http_code}]"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicate::str::starts_with("[000]oauthctl: "));
}
