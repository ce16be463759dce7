//! `oauthctl call GET PATH --paginate` against paged lists on loopback (httpmock). Each vendor's
//! list envelope and paging parameters are those of docs/providers.md ("The paging styles side
//! by side"): every page is its own mock that matches only its own query, so a request with the
//! wrong parameters finds no mock and fails the test.

#[cfg(target_os = "linux")]
use crate::common::terminal::{on_terminal, screen};
use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;
use serde_json::{Value, json};

const RULES: &str = "/config/security/v1/security-rules";
const DEVICES: &str = "/iot/pub/v1/device/list";

/// An `scm` profile whose token endpoint and API are `server`: the preset still picks the paging
/// style by path.
fn scm_preset_env(server: &MockServer) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.scm]\nprovider = \"scm\"\ntsg_id = 1234567890\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\ntoken_url = \"{}\"\napi_base = \"{}\"\n",
        server.url(TOKEN_PATH),
        server.base_url()
    ))
}

/// The `key` field of each item of the JSON array on stdout, in order.
fn array_ids(stdout: &str, key: &str) -> Vec<Value> {
    let items: Vec<Value> = serde_json::from_str(stdout).unwrap_or_else(|err| {
        panic!("stdout is not a JSON array ({err}):\n{stdout}");
    });
    items.iter().map(|item| item[key].clone()).collect()
}

/// A Strata Cloud Manager security rule (docs/providers.md §1).
fn rule(n: usize) -> Value {
    json!({"id": format!("0b6a1e2c-0000-4000-8000-{n:012}"), "name": format!("rule-{n}"),
        "folder": "Shared", "position": "pre", "action": "allow"})
}

fn rule_names(range: std::ops::Range<usize>) -> Vec<Value> {
    range.map(|n| json!(format!("rule-{n}"))).collect()
}

/// SCM's list envelope for the rules `range` of `total`.
fn rules_page(range: std::ops::Range<usize>, limit: usize, total: usize) -> Value {
    let offset = range.start;
    json!({"data": range.map(rule).collect::<Vec<_>>(), "limit": limit, "offset": offset, "total": total})
}

/// The page of security rules at `offset` with `limit`, folder Shared.
fn rules_mock<'a>(
    server: &'a MockServer,
    offset: usize,
    limit: usize,
    body: Value,
) -> httpmock::Mock<'a> {
    server.mock(move |when, then| {
        when.method(GET)
            .path(RULES)
            .query_param("folder", "Shared")
            .query_param("offset", offset.to_string())
            .query_param("limit", limit.to_string())
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200).json_body(body);
    })
}

/// Five rules in pages of two: offsets 0, 2 and 4.
fn five_rules(server: &MockServer) -> [httpmock::Mock<'_>; 3] {
    [
        rules_mock(server, 0, 2, rules_page(0..2, 2, 5)),
        rules_mock(server, 2, 2, rules_page(2..4, 2, 5)),
        rules_mock(server, 4, 2, rules_page(4..5, 2, 5)),
    ]
}

fn paginate_rules(env: &TestEnv) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.args([
        "call",
        "GET",
        RULES,
        "-q",
        "folder=Shared",
        "-q",
        "limit=2",
        "--paginate",
    ])
    .env("SCM_SECRET", SECRET);
    cmd
}

#[test]
fn offset_limit_writes_every_rule_once_in_order() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let pages = five_rules(&server);
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env).assert().success().stderr("");
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..5));
    for page in &pages {
        page.assert_calls(1);
    }
    tokens.assert_calls(1);
}

#[test]
fn items_are_the_servers_bytes_in_an_array_with_one_item_per_line() {
    let server = MockServer::start();
    token_endpoint(&server);
    let body = r#"{"data": [{"name": "b", "id": 1.50, "action": "allow"}, {"name":"a","id":2}], "limit": 200, "offset": 0, "total": 2}"#;
    let page = server.mock(|when, then| {
        when.method(GET)
            .path(RULES)
            .query_param("offset", "0")
            .query_param("limit", "5000");
        then.status(200)
            .header("content-type", "application/json")
            .body(body);
    });
    let env = scm_preset_env(&server);
    env.cmd()
        .args(["call", "GET", RULES, "--paginate"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("[\n  {\"name\":\"b\",\"id\":1.50,\"action\":\"allow\"},\n  {\"name\":\"a\",\"id\":2}\n]\n");
    page.assert_calls(1);
}

#[test]
fn ndjson_writes_one_compact_item_per_line() {
    let server = MockServer::start();
    token_endpoint(&server);
    let pages = five_rules(&server);
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env).arg("--ndjson").assert().success();
    let stdout = stdout_of(&out);
    let want: Vec<String> = (0..5).map(|n| rule(n).to_string()).collect();
    assert_eq!(stdout, want.join("\n") + "\n");
    for page in &pages {
        page.assert_calls(1);
    }
}

#[test]
fn an_empty_list_is_an_empty_array() {
    let server = MockServer::start();
    token_endpoint(&server);
    let page = rules_mock(
        &server,
        0,
        5000,
        json!({"data": [], "limit": 5000, "offset": 0, "total": 0}),
    );
    let env = scm_preset_env(&server);
    env.cmd()
        .args(["call", "GET", RULES, "-q", "folder=Shared", "--paginate"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("[]\n");
    page.assert_calls(1);
}

#[test]
fn max_items_stops_early_and_asks_for_no_more_than_it_needs() {
    let server = MockServer::start();
    token_endpoint(&server);
    let pages = five_rules(&server);
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env)
        .args(["--max-items", "3"])
        .assert()
        .success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..3));
    pages[0].assert_calls(1);
    pages[1].assert_calls(1);
    pages[2].assert_calls(0);

    // Without a page size of the user's, the page asked for is no larger than --max-items.
    let small = rules_mock(&server, 0, 3, rules_page(0..3, 3, 5));
    let out = env
        .cmd()
        .args([
            "call",
            "GET",
            RULES,
            "-q",
            "folder=Shared",
            "--paginate",
            "--max-items",
            "3",
            "--ndjson",
        ])
        .assert()
        .success();
    assert_eq!(stdout_of(&out).lines().count(), 3);
    small.assert_calls(1);
}

#[test]
fn iot_devices_use_offset_and_pagelength_with_the_documented_size() {
    let server = MockServer::start();
    token_endpoint(&server);
    let device = |n: usize| {
        json!({"deviceid": format!("34:02:86:{:02x}:{:02x}:{:02x}", n >> 16, (n >> 8) & 0xff, n & 0xff),
            "hostname": format!("InfusionPump-{n}"), "ip_address": "10.0.0.1", "risk_score": 0})
    };
    let page = |offset: usize, range: std::ops::Range<usize>| {
        let devices: Vec<Value> = range.map(device).collect();
        server.mock(move |when, then| {
            when.method(GET)
                .path(DEVICES)
                .query_param("detail", "true")
                .query_param("offset", offset.to_string())
                .query_param("pagelength", "1000");
            then.status(200)
                .json_body(json!({"total": 1003, "devices": devices}));
        })
    };
    let first = page(0, 0..1000);
    let second = page(1000, 1000..1003);
    let env = scm_preset_env(&server);
    let out = env
        .cmd()
        .args([
            "call",
            "GET",
            DEVICES,
            "-q",
            "detail=true",
            "--paginate",
            "--ndjson",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let hosts: Vec<String> = stdout_of(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["hostname"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let want: Vec<String> = (0..1003).map(|n| format!("InfusionPump-{n}")).collect();
    assert_eq!(hosts, want);
    first.assert_calls(1);
    second.assert_calls(1);
}

#[test]
fn iot_alerts_are_read_from_items_and_a_short_page_ends_a_list_without_total() {
    let server = MockServer::start();
    token_endpoint(&server);
    let alerts = |range: std::ops::Range<usize>| -> Vec<Value> {
        range
            .map(|n| json!({"id": format!("alert-{n}"), "severity": "high"}))
            .collect()
    };
    let page = |offset: usize, body: Value| {
        server.mock(move |when, then| {
            when.method(GET)
                .path("/iot/pub/v1/vulnerability/list")
                .query_param("offset", offset.to_string())
                .query_param("pagelength", "2");
            then.status(200).json_body(body);
        })
    };
    let envelope = |items| json!({"ver": "v4.0", "api": "/vulnerability/list", "items": items});
    let first = page(0, envelope(alerts(0..2)));
    let second = page(2, envelope(alerts(2..3)));
    let third = page(3, envelope(alerts(3..3)));
    let env = scm_preset_env(&server);
    let out = env
        .cmd()
        .args([
            "call",
            "GET",
            "/iot/pub/v1/vulnerability/list",
            "-q",
            "pagelength=2",
            "--paginate",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    assert_eq!(
        array_ids(&stdout_of(&out), "id"),
        [json!("alert-0"), json!("alert-1"), json!("alert-2")]
    );
    first.assert_calls(1);
    second.assert_calls(1);
    third.assert_calls(0);
}

#[test]
fn scim_users_from_start_index_one_until_total_results() {
    let server = MockServer::start();
    token_endpoint(&server);
    let page = |start: usize, range: std::ops::Range<usize>| {
        let users: Vec<Value> = range
            .clone()
            .map(|n| {
                json!({"id": format!("u-{n}"), "userName": format!("user{n}@example.com"),
                "meta": {"resourceType": "User"}})
            })
            .collect();
        let body = json!({"totalResults": 5, "startIndex": start, "itemsPerPage": users.len(),
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": users})
        .to_string();
        server.mock(move |when, then| {
            when.method(GET)
                .path("/t/myorg/scim2/Users")
                .query_param("filter", "userName sw user")
                .query_param("startIndex", start.to_string())
                .query_param("count", "2");
            then.status(200)
                .header("content-type", "application/scim+json")
                .body(body);
        })
    };
    let pages = [page(1, 1..3), page(3, 3..5), page(5, 5..6)];
    let env = TestEnv::new(&format!(
        "[profiles.asgardeo]\nprovider = \"asgardeo\"\norg = \"myorg\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\ntoken_url = \"{}\"\napi_base = \"{}\"\n",
        server.url(TOKEN_PATH),
        server.url("/t/myorg")
    ));
    let out = env
        .cmd()
        .args([
            "call",
            "GET",
            "/scim2/Users",
            "-q",
            "filter=userName sw user",
            "-q",
            "count=2",
            "--paginate",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let want: Vec<Value> = (1..6).map(|n| json!(format!("u-{n}"))).collect();
    assert_eq!(array_ids(&stdout_of(&out), "id"), want);
    for page in &pages {
        page.assert_calls(1);
    }
}

#[test]
fn sap_events_by_page_number_until_more_pages_is_false() {
    let server = MockServer::start();
    let tokens = server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(200)
            .json_body(json!({"access_token": TOKEN, "token_type": "bearer",
            "expires_in": 43199, "scope": "cis.event.read", "jti": "j-1"}));
    });
    let page = |num: usize, more: bool, range: std::ops::Range<usize>| {
        let events: Vec<Value> = range
            .map(|n| {
                json!({"id": n, "actionName": "Create_Subaccount", "entityType": "Subaccount",
                "eventType": "GlobalAccountEvent", "creationTime": 1_700_000_000_000u64 + n as u64})
            })
            .collect();
        server.mock(move |when, then| {
            when.method(GET)
                .path("/cloud-management/v1/events")
                .query_param("pageNum", num.to_string())
                .query_param("pageSize", "150");
            then.status(200)
                .json_body(json!({"total": 320, "totalPages": 3, "pageNum": num,
                "morePages": more, "events": events}));
        })
    };
    let pages = [
        page(0, true, 0..150),
        page(1, true, 150..300),
        page(2, false, 300..320),
    ];
    let env = TestEnv::new("");
    let key = json!({
        "endpoints": {
            "accounts_service_url": server.url("/accounts"),
            "events_service_url": server.base_url()
        },
        "grant_type": "client_credentials",
        "uaa": {"clientid": "sb-ut-1234!b1|cis-central!b14", "clientsecret": "sap-secret",
            "url": server.base_url(), "xsappname": "ut-1234!b1|cis-central!b14"}
    });
    std::fs::write(env.dir.path().join("key.json"), key.to_string()).unwrap();
    env.write_profiles(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = \"key.json\"\napi = \"events_service_url\"\nclient_secret_from = \"service_key\"\n",
    );
    let out = env
        .cmd()
        .args([
            "call",
            "GET",
            "/cloud-management/v1/events",
            "--paginate",
            "--ndjson",
        ])
        .assert()
        .success();
    let ids: Vec<u64> = stdout_of(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(ids, (0..320).collect::<Vec<u64>>());
    for page in &pages {
        page.assert_calls(1);
    }
    tokens.assert_calls(1);
}

/// A SaaS Security profile (the preset picks next-path) on `server`.
fn saas_env(server: &MockServer) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.saas]\nprovider = \"saas-security\"\nclient_id = \"acme\"\nclient_secret_env = \"SCM_SECRET\"\ntoken_url = \"{}\"\napi_base = \"{}\"\n",
        server.url("/oauth/token"),
        server.base_url()
    ))
}

fn saas_token(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(200)
            .json_body(json!({"access_token": TOKEN, "token_type": "bearer",
            "expires_in": 7199, "scope": "api_access", "tenant": "test tenant", "jti": "j"}));
    })
}

fn incidents(range: std::ops::Range<usize>) -> Vec<Value> {
    range
        .map(|n| {
            json!({"incident_id": format!("inc-{n}"), "asset_name": format!("doc-{n}.xlsx"),
            "severity": "High", "status": "Open"})
        })
        .collect()
}

const DELTA: &str = "/incident/api/incidents/delta";

#[test]
fn next_path_is_followed_as_given_until_a_short_page() {
    let server = MockServer::start();
    saas_token(&server);
    let first = server.mock(|when, then| {
        when.method(GET)
            .path(DELTA)
            .query_param("from", "2024-01-01T00:00:00Z")
            .query_param("limit", "2")
            .query_param_missing("cursor");
        then.status(200)
            .json_body(json!({"resources": incidents(0..2),
            "nextPath": format!("{DELTA}?limit=2&cursor=c2")}));
    });
    let second = server.mock(|when, then| {
        when.method(GET)
            .path(DELTA)
            .query_param("cursor", "c2")
            .query_param("limit", "2")
            .query_param_missing("from");
        then.status(200)
            .json_body(json!({"resources": incidents(2..4),
            "nextPath": format!("{DELTA}?limit=2&cursor=c4")}));
    });
    let third = server.mock(|when, then| {
        when.method(GET).path(DELTA).query_param("cursor", "c4");
        then.status(200)
            .json_body(json!({"resources": incidents(4..5),
            "nextPath": format!("{DELTA}?limit=2&cursor=c5")}));
    });
    let beyond = server.mock(|when, then| {
        when.method(GET).path(DELTA).query_param("cursor", "c5");
        then.status(200).json_body(json!({"resources": []}));
    });
    let env = saas_env(&server);
    let out = env
        .cmd()
        .args([
            "call",
            "GET",
            DELTA,
            "-q",
            "from=2024-01-01T00:00:00Z",
            "-q",
            "limit=2",
            "--paginate",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let want: Vec<Value> = (0..5).map(|n| json!(format!("inc-{n}"))).collect();
    assert_eq!(array_ids(&stdout_of(&out), "incident_id"), want);
    first.assert_calls(1);
    second.assert_calls(1);
    third.assert_calls(1);
    beyond.assert_calls(0);
}

#[test]
fn a_next_path_that_repeats_ends_the_walk_with_an_error() {
    let server = MockServer::start();
    saas_token(&server);
    let first = server.mock(|when, then| {
        when.method(GET).path(DELTA).query_param_missing("cursor");
        then.status(200)
            .json_body(json!({"resources": incidents(0..2),
            "nextPath": format!("{DELTA}?limit=2&cursor=c2")}));
    });
    let stuck = server.mock(|when, then| {
        when.method(GET).path(DELTA).query_param("cursor", "c2");
        then.status(200)
            .json_body(json!({"resources": incidents(2..4),
            "nextPath": format!("{DELTA}?limit=2&cursor=c2")}));
    });
    let env = saas_env(&server);
    let out = env
        .cmd()
        .args([
            "call",
            "GET",
            DELTA,
            "-q",
            "limit=2",
            "--paginate",
            "--ndjson",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1);
    // The items of both pages were written; the walk did not ask for the same page again.
    assert_eq!(stdout_of(&out).lines().count(), 4);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!(
            "the page at nextPath {DELTA}?limit=2&cursor=c2 names itself as the next page"
        )),
        "{stderr}"
    );
    first.assert_calls(1);
    stuck.assert_calls(1);
}

#[test]
fn a_server_that_ignores_the_offset_is_stopped_with_an_error() {
    let server = MockServer::start();
    token_endpoint(&server);
    // Whatever the offset, the first page, and a total that is never reached.
    let forever = server.mock(|when, then| {
        when.method(GET).path(RULES);
        then.status(200).json_body(rules_page(0..2, 2, 10));
    });
    let env = scm_preset_env(&server);
    // One page after another, so that the count of requests is exact (pages asked for ahead
    // would be answered the same, and dropped).
    let out = paginate_rules(&env)
        .args(["--parallel", "1"])
        .assert()
        .code(1);
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..2));
    let stderr = stderr_of(&out);
    assert_eq!(
        stderr,
        format!(
            "oauthctl: GET {}?folder=Shared&offset=2&limit=2: the page at offset 2 holds the same 2 items as the page at offset 0: the server seems to ignore `offset`, so the walk stopped rather than loop\n",
            server.url(RULES)
        )
    );
    forever.assert_calls(2);
}

#[test]
fn a_rate_limited_middle_page_is_retried() {
    let server = MockServer::start();
    token_endpoint(&server);
    let limited = server.mock(|when, then| {
        when.method(GET).path(RULES).query_param("offset", "2");
        then.status(429)
            .header("retry-after", "1")
            .json_body(json!({"_errors": [{"code": "API_I00035", "message": "Too many requests", "details": {}}], "_request_id": "r-429"}))
            .up_to_n_times(1);
    });
    let pages = five_rules(&server);
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env).assert().success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..5));
    assert_eq!(
        stderr_of(&out),
        format!(
            "oauthctl: GET {}?folder=Shared&offset=2&limit=2 answered 429 Too Many Requests: API_I00035: Too many requests [request id r-429]; retry 1 of 2 in 1 s\n",
            server.url(RULES)
        )
    );
    limited.assert_calls(1);
    for page in &pages {
        page.assert_calls(1);
    }
}

#[test]
fn a_failing_page_keeps_what_was_written_exits_with_its_code_and_says_where_to_resume() {
    let server = MockServer::start();
    token_endpoint(&server);
    let first = rules_mock(&server, 0, 2, rules_page(0..2, 2, 5));
    let mut failing = server.mock(|when, then| {
        when.method(GET).path(RULES).query_param("offset", "2");
        then.status(503)
            .header("retry-after", "0")
            .body("<html><body>503 Service Unavailable</body></html>");
    });
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env)
        .args(["--retries", "1"])
        .assert()
        .code(5);
    // What came before the failure is still a JSON array.
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..2));
    let stderr = stderr_of(&out);
    assert!(stderr.contains("retry 1 of 1 in 0 s"), "{stderr}");
    assert!(
        stderr.ends_with(&format!(
            "oauthctl: stopped at offset 2 after 2 items: GET {}?folder=Shared&offset=2&limit=2 answered 503 Service Unavailable (after 1 retry)\nhint: resume with --start 2\n",
            server.url(RULES)
        )),
        "{stderr}"
    );
    first.assert_calls(1);
    failing.assert_calls(2);

    // -s silences the retries, not where to resume.
    let out = paginate_rules(&env)
        .args(["--retries", "0", "-s"])
        .assert()
        .code(5);
    assert_eq!(
        stderr_of(&out),
        format!(
            "oauthctl: stopped at offset 2 after 2 items: GET {}?folder=Shared&offset=2&limit=2 answered 503 Service Unavailable (--retries is 0)\nhint: resume with --start 2\n",
            server.url(RULES)
        )
    );

    // Once the server is back, --start goes on from there.
    failing.delete();
    let rest = [
        rules_mock(&server, 2, 2, rules_page(2..4, 2, 5)),
        rules_mock(&server, 4, 2, rules_page(4..5, 2, 5)),
    ];
    let out = paginate_rules(&env)
        .args(["--start", "2"])
        .assert()
        .success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(2..5));
    first.assert_calls(2);
    for page in &rest {
        page.assert_calls(1);
    }
}

#[test]
fn a_client_error_on_a_page_exits_4_with_the_vendors_message() {
    let server = MockServer::start();
    token_endpoint(&server);
    rules_mock(&server, 0, 2, rules_page(0..2, 2, 5));
    server.mock(|when, then| {
        when.method(GET).path(RULES).query_param("offset", "2");
        then.status(400).json_body(json!({"_errors": [{"code": "API_I00013",
            "message": "Your configuration is not valid.", "details": {}}], "_request_id": "r-400"}));
    });
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env).arg("--ndjson").assert().code(4);
    assert_eq!(stdout_of(&out).lines().count(), 2);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("stopped at offset 2 after 2 items: GET ")
            && stderr.contains("answered 400 Bad Request: API_I00013: Your configuration is not valid. [request id r-400]")
            && stderr.ends_with("hint: resume with --start 2\n"),
        "{stderr}"
    );
}

#[test]
fn a_token_rejected_mid_walk_is_refreshed_once_and_the_walk_goes_on() {
    let server = MockServer::start();
    let first_token = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(scm_token_response("old-token", 899))
            .up_to_n_times(1);
    });
    let second_token = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(scm_token_response("new-token", 899));
    });
    let page = |offset: usize, token: &'static str, range: std::ops::Range<usize>| {
        server.mock(move |when, then| {
            when.method(GET)
                .path(RULES)
                .query_param("offset", offset.to_string())
                .header("authorization", format!("Bearer {token}"));
            then.status(200).json_body(rules_page(range, 2, 5));
        })
    };
    let rejected = server.mock(|when, then| {
        when.method(GET)
            .path(RULES)
            .query_param("offset", "2")
            .header("authorization", "Bearer old-token");
        then.status(401)
            .header("www-authenticate", r#"Bearer error="invalid_token", error_description="The access token expired""#)
            .json_body(json!({"_errors": [{"code": "E016", "message": "Not Authenticated", "details": {}}], "_request_id": "r-401"}));
    });
    let pages = [
        page(0, "old-token", 0..2),
        page(2, "new-token", 2..4),
        page(4, "new-token", 4..5),
    ];
    let env = scm_preset_env(&server);
    // One page after another: the 401 comes on the second page only (for pages in flight at once,
    // see a_token_rejected_by_pages_in_flight_is_refreshed_once_for_all).
    let out = paginate_rules(&env)
        .args(["--parallel", "1"])
        .assert()
        .success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..5));
    assert!(
        stderr_of(&out).contains("answered 401 Unauthorized (invalid_token: The access token expired); fetching a new token and sending again"),
        "{}",
        stderr_of(&out)
    );
    for page in &pages {
        page.assert_calls(1);
    }
    rejected.assert_calls(1);
    first_token.assert_calls(1);
    second_token.assert_calls(1);
    let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
    for token in ["old-token", "new-token", SECRET] {
        assert!(
            !stdout.contains(token) && !stderr.contains(token),
            "{stdout}\n{stderr}"
        );
    }
}

#[test]
fn the_style_comes_from_paging_then_the_profile_then_the_preset() {
    let server = MockServer::start();
    token_endpoint(&server);
    // A list under /iot/ that pages SCM's way: --paging says so.
    let scm_way = server.mock(|when, then| {
        when.method(GET)
            .path("/iot/custom/list")
            .query_param("offset", "0")
            .query_param("limit", "5000");
        then.status(200)
            .json_body(json!({"data": [{"id": 1}], "total": 1}));
    });
    let env = scm_preset_env(&server);
    env.cmd()
        .args([
            "call",
            "GET",
            "/iot/custom/list",
            "--paginate",
            "--paging",
            "offset-limit",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("[\n  {\"id\":1}\n]\n");
    scm_way.assert_calls(1);

    // A profile without a provider says it with `paging`.
    let events = server.mock(|when, then| {
        when.method(GET)
            .path("/events")
            .query_param("pageNum", "0")
            .query_param("pageSize", "150");
        then.status(200)
            .json_body(json!({"total": 1, "totalPages": 1, "pageNum": 0, "morePages": false, "events": [{"id": 7}]}));
    });
    env.write_profiles(&generic_profile(
        "plain",
        &server.url(TOKEN_PATH),
        &format!(
            "api_base = \"{}\"\npaging = \"page-number\"",
            server.base_url()
        ),
    ));
    env.cmd()
        .args(["call", "GET", "/events", "--paginate", "--ndjson"])
        .assert()
        .success()
        .stdout("{\"id\":7}\n");
    events.assert_calls(1);
}

#[test]
fn without_a_style_the_error_names_the_styles_and_nothing_is_sent() {
    let server = MockServer::start();
    let anything = server.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let env = TestEnv::new(&generic_profile(
        "plain",
        &server.url(TOKEN_PATH),
        &format!("api_base = \"{}\"", server.base_url()),
    ));
    env.cmd()
        .args(["call", "GET", "/things", "--paginate"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            "oauthctl: how does /things page? profile plain does not say, and no provider preset knows\nhint: give --paging STYLE, one of offset-limit, offset-pagelength, scim, page-number, next-path, or set paging = \"STYLE\" in [profiles.plain]\n",
        );
    assert_eq!(anything.calls(), 0);
}

#[test]
fn paginate_is_for_get_and_conflicting_options_are_usage_errors() {
    let server = MockServer::start();
    let anything = server.mock(|when, then| {
        when.any_request();
        then.status(200);
    });
    let env = scm_preset_env(&server);
    for args in [
        vec!["call", "POST", RULES, "--paginate"],
        vec!["call", "GET", RULES, "--paginate", "-i"],
        vec!["call", "GET", RULES, "--paginate", "-d", "x=1"],
        vec!["call", "GET", RULES, "--paginate", "--json", "{}"],
        vec!["call", "GET", RULES, "--paginate", "--ndjson", "--pretty"],
        vec!["call", "GET", RULES, "--ndjson"],
        vec!["call", "GET", RULES, "--max-items", "3"],
        vec!["call", "GET", RULES, "--paginate", "--max-items", "0"],
        vec!["call", "GET", RULES, "--paginate", "--start", "x"],
        vec!["call", "GET", RULES, "--paginate", "--paging", "cursor"],
        vec!["call", "GET", RULES, "--paginate", "-q", "limit=0"],
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

#[test]
fn output_file_gets_the_array() {
    let server = MockServer::start();
    token_endpoint(&server);
    five_rules(&server);
    let env = scm_preset_env(&server);
    let file = env.dir.path().join("rules.json");
    paginate_rules(&env)
        .args(["-o", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout("");
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(array_ids(&text, "name"), rule_names(0..5));
}

// --- The progress line on a real terminal ---------------------------------------------------
//
// These run oauthctl inside a pseudo-terminal (`script` from util-linux) and read back every byte
// the terminal received, so that they see what a person at that terminal sees: stdout and stderr
// on one screen, progress drawn and cleared.

#[cfg(target_os = "linux")]
const PAGINATE_RULES: [&str; 9] = [
    "call",
    "GET",
    RULES,
    "-q",
    "folder=Shared",
    "-q",
    "limit=2",
    "--paginate",
    "--retries=1",
];

// util-linux's script(1) gives a pseudo-terminal.
#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_that_is_stdout_too_no_progress_line_touches_the_items() {
    let server = MockServer::start();
    token_endpoint(&server);
    five_rules(&server);
    let env = scm_preset_env(&server);
    // What the items look like on a terminal: indented, as --pretty writes them anywhere.
    let want = stdout_of(&paginate_rules(&env).arg("--pretty").assert().success());
    let want: Vec<&str> = want.lines().collect();

    for extra in [&[][..], &["--raw"][..], &["--ndjson"][..]] {
        let mut args = PAGINATE_RULES.to_vec();
        args.extend_from_slice(extra);
        let (code, bytes) = on_terminal(&env, &args, "");
        assert_eq!(code, 0, "{}", String::from_utf8_lossy(&bytes));
        let shown = screen(&bytes);
        if extra.is_empty() {
            assert_eq!(shown, want, "{}", String::from_utf8_lossy(&bytes));
        } else {
            // One compact item per line (in an array for --raw), every one of them whole.
            let compact = stdout_of(&paginate_rules(&env).args(extra).assert().success());
            let compact: Vec<&str> = compact.lines().collect();
            assert_eq!(shown, compact, "{}", String::from_utf8_lossy(&bytes));
        }
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("/ 5 items"),
            "a progress line was drawn: {text:?}"
        );
    }
}

// util-linux's script(1) gives a pseudo-terminal.
#[cfg(target_os = "linux")]
#[test]
fn with_stdout_in_a_file_the_progress_counts_each_page_and_is_cleared() {
    let server = MockServer::start();
    token_endpoint(&server);
    // The first page is refused once with a 503: the retry's message must not bring a bar.
    server.mock(|when, then| {
        when.method(GET).path(RULES).query_param("offset", "0");
        then.status(503)
            .header("retry-after", "0")
            .body("busy")
            .up_to_n_times(1);
    });
    five_rules(&server);
    let env = scm_preset_env(&server);
    let file = env.dir.path().join("rules.json");
    let (code, bytes) = on_terminal(&env, &PAGINATE_RULES, &format!("> '{}'", file.display()));
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, 0, "{text}");
    // Each page's own count, as soon as its items are in: never the one before.
    let mut counts: Vec<&str> = text
        .split("\x1b[2K")
        .filter_map(|drawn| {
            drawn
                .strip_suffix(" / 5 items")
                .or(drawn.strip_suffix(" / 5 items\r"))
        })
        .collect();
    counts.dedup();
    assert_eq!(counts, ["2", "4", "5"], "{text:?}");
    assert!(!text.contains('░'), "a bar was drawn: {text:?}");
    // What stays on screen is the retry message, whole, and no progress.
    assert_eq!(
        screen(&bytes),
        [format!(
            "oauthctl: GET {}?folder=Shared&offset=0&limit=2 answered 503 Service Unavailable; retry 1 of 1 in 0 s",
            server.url(RULES)
        )],
        "{text:?}"
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(array_ids(&written, "name"), rule_names(0..5));
}

// util-linux's script(1) gives a pseudo-terminal.
#[cfg(target_os = "linux")]
#[test]
fn a_walk_that_fails_leaves_its_error_and_no_progress_on_the_terminal() {
    let server = MockServer::start();
    token_endpoint(&server);
    rules_mock(&server, 0, 2, rules_page(0..2, 2, 5));
    server.mock(|when, then| {
        when.method(GET).path(RULES).query_param("offset", "2");
        then.status(500).body("down");
    });
    let env = scm_preset_env(&server);
    let file = env.dir.path().join("rules.json");
    let (code, bytes) = on_terminal(&env, &PAGINATE_RULES, &format!("> '{}'", file.display()));
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, 5, "{text}");
    assert!(text.contains("2 / 5 items"), "{text:?}");
    assert_eq!(
        screen(&bytes),
        [
            format!(
                "oauthctl: stopped at offset 2 after 2 items: GET {}?folder=Shared&offset=2&limit=2 answered 500 Internal Server Error",
                server.url(RULES)
            ),
            "hint: resume with --start 2".to_string()
        ],
        "{text:?}"
    );
}

// util-linux's script(1) gives a pseudo-terminal.
#[cfg(target_os = "linux")]
#[test]
fn a_pipe_read_by_head_on_the_same_terminal_gets_no_progress_line() {
    let server = MockServer::start();
    token_endpoint(&server);
    rules_mock(&server, 0, 2, rules_page(0..2, 2, 5));
    // Later pages come slowly, so that head has gone by then and the next write meets a
    // closed pipe.
    for (offset, range) in [(2, 2..4), (4, 4..5)] {
        server.mock(move |when, then| {
            when.method(GET)
                .path(RULES)
                .query_param("offset", offset.to_string());
            then.status(200)
                .delay(std::time::Duration::from_millis(500))
                .json_body(rules_page(range, 2, 5));
        });
    }
    let env = scm_preset_env(&server);
    let (code, bytes) = on_terminal(&env, &PAGINATE_RULES, "| head -n 2");
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, 0, "{text}");
    // head writes to the same terminal, whenever it likes: a progress line would share its rows.
    assert!(
        !text.contains("items"),
        "a progress line was drawn: {text:?}"
    );
    let first = serde_json::to_string(&rule(0)).unwrap();
    assert_eq!(
        screen(&bytes),
        ["[".to_string(), format!("  {first},")],
        "{text:?}"
    );
}

// --- The https rule on every page ---------------------------------------------------------

/// A host name that is not loopback, led to the mock server by `$OAUTHCTL_RESOLVE`.
const PLAIN_HOST: &str = "api.oauthctl.test";

/// A saas-security profile whose token endpoint and allowed origin are `server` on loopback,
/// and whose api_base is plain http on a host that is not loopback (a profile may say so; call
/// refuses to send the token there).
fn plain_api_env(server: &MockServer) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.saas]\nprovider = \"saas-security\"\nclient_id = \"acme\"\nclient_secret_env = \"SCM_SECRET\"\ntoken_url = \"{}\"\napi_base = \"http://{PLAIN_HOST}:{}\"\nallowed_origins = [\"{}\"]\n",
        server.url("/oauth/token"),
        server.port(),
        server.base_url()
    ))
}

fn resolve_plain_host(server: &MockServer) -> String {
    format!("{PLAIN_HOST}=127.0.0.1:{}", server.port())
}

#[test]
fn a_next_path_that_leads_to_plain_http_off_the_host_is_refused_before_the_token_goes() {
    let server = MockServer::start();
    saas_token(&server);
    let first = server.mock(|when, then| {
        when.method(GET)
            .path(DELTA)
            .query_param_missing("cursor")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200).json_body(
            json!({"resources": incidents(0..2), "nextPath": format!("{DELTA}?limit=2&cursor=c2")}),
        );
    });
    let second = server.mock(|when, then| {
        when.method(GET).path(DELTA).query_param("cursor", "c2");
        then.status(200)
            .json_body(json!({"resources": incidents(2..3)}));
    });
    let env = plain_api_env(&server);
    let out = env
        .cmd()
        .args([
            "call",
            "GET",
            &server.url(DELTA),
            "-q",
            "limit=2",
            "--paginate",
        ])
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_RESOLVE", resolve_plain_host(&server))
        .assert()
        .code(2);
    let want: Vec<Value> = (0..2).map(|n| json!(format!("inc-{n}"))).collect();
    assert_eq!(array_ids(&stdout_of(&out), "incident_id"), want);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!(
            "refusing to send profile saas's token to http://{PLAIN_HOST}:{}{DELTA}?limit=2&cursor=c2: bearer tokens go over https only (plain http is allowed for loopback hosts)",
            server.port()
        )),
        "{stderr}"
    );
    first.assert_calls(1);
    second.assert_calls(0);
}

#[test]
fn a_start_that_leads_to_plain_http_off_the_host_is_refused_before_a_token_is_fetched() {
    let server = MockServer::start();
    let tokens = saas_token(&server);
    let anything = server.mock(|when, then| {
        when.method(GET);
        then.status(200).json_body(json!({"resources": []}));
    });
    let env = plain_api_env(&server);
    let absolute = format!("http://{PLAIN_HOST}:{}{DELTA}?cursor=c5", server.port());
    for start in [format!("{DELTA}?cursor=c5"), absolute.clone()] {
        let out = env
            .cmd()
            .args([
                "call",
                "GET",
                &server.url(DELTA),
                "--paginate",
                "--start",
                &start,
            ])
            .env("SCM_SECRET", SECRET)
            .env("OAUTHCTL_RESOLVE", resolve_plain_host(&server))
            .assert()
            .code(2)
            .stdout("");
        assert_eq!(
            stderr_of(&out),
            format!(
                "oauthctl: refusing to send profile saas's token to {absolute}: bearer tokens go over https only (plain http is allowed for loopback hosts)\n"
            )
        );
    }
    // The command's own URL, too (this was exit 1 before, now 2 as for a refused origin).
    env.cmd()
        .args(["call", "GET", DELTA])
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_RESOLVE", resolve_plain_host(&server))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "bearer tokens go over https only",
        ));
    tokens.assert_calls(0);
    anything.assert_calls(0);
}

#[test]
fn a_page_that_redirects_without_l_stops_the_walk_saying_so() {
    let server = MockServer::start();
    token_endpoint(&server);
    rules_mock(&server, 0, 2, rules_page(0..2, 2, 5));
    server.mock(|when, then| {
        when.method(GET).path(RULES).query_param("offset", "2");
        then.status(301)
            .header("location", "/v2/security-rules?offset=2")
            .body("<html>Moved</html>");
    });
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env).assert().code(1);
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..2));
    assert_eq!(
        stderr_of(&out),
        format!(
            "oauthctl: stopped at offset 2 after 2 items: GET {url}?folder=Shared&offset=2&limit=2 answered 301 Moved Permanently, a redirect to {base}/v2/security-rules?offset=2, which was not followed\nhint: resume with --start 2\nhint: add -L to follow redirects (the token goes only to the same origin)\n",
            url = server.url(RULES),
            base = server.base_url()
        )
    );
}

// --- Page sizes, pages at once, and the pace ----------------------------------------------

/// One page of `n` items in `key`, with `total` (`totalResults` for SCIM), at `path`, matching
/// only the size parameter `size_param=size`.
fn one_page<'a>(
    server: &'a MockServer,
    path: &str,
    size_param: &str,
    size: &str,
    body: Value,
) -> httpmock::Mock<'a> {
    let path = path.to_string();
    let (size_param, size) = (size_param.to_string(), size.to_string());
    server.mock(move |when, then| {
        when.method(GET).path(path).query_param(size_param, size);
        then.status(200).json_body(body);
    })
}

#[test]
fn each_provider_asks_for_the_largest_page_its_vendor_documents() {
    let server = MockServer::start();
    token_endpoint(&server);
    let item = json!({"data": [{"id": 1}], "total": 1});
    // SCM's config lists: 5,000 (pan-scm-sdk's maximum), and 1,000 for the few that take less.
    let rules = one_page(&server, RULES, "limit", "5000", item.clone());
    let devices = one_page(&server, "/config/setup/v1/devices", "limit", "1000", item);
    // IoT Security: 1,000.
    let iot = one_page(
        &server,
        DEVICES,
        "pagelength",
        "1000",
        json!({"total": 1, "devices": [{"id": 1}]}),
    );
    let env = scm_preset_env(&server);
    for path in [RULES, "/config/setup/v1/devices", DEVICES] {
        env.cmd()
            .args(["call", "GET", path, "--paginate", "--ndjson"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success()
            .stdout("{\"id\":1}\n");
    }
    rules.assert_calls(1);
    devices.assert_calls(1);
    iot.assert_calls(1);

    // Asgardeo's SCIM: 100, its cap.
    let users = one_page(
        &server,
        "/t/myorg/scim2/Users",
        "count",
        "100",
        json!({"totalResults": 1, "Resources": [{"id": "u"}]}),
    );
    env.write_profiles(&format!(
        "[profiles.asgardeo]\nprovider = \"asgardeo\"\norg = \"myorg\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\ntoken_url = \"{}\"\napi_base = \"{}\"\n",
        server.url(TOKEN_PATH),
        server.url("/t/myorg")
    ));
    env.cmd()
        .args(["call", "GET", "/scim2/Users", "--paginate", "--ndjson"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("{\"id\":\"u\"}\n");
    users.assert_calls(1);

    // SaaS Security: 100, the vendor's own example (it documents no maximum).
    saas_token(&server);
    let incidents_page = one_page(
        &server,
        DELTA,
        "limit",
        "100",
        json!({"resources": [{"id": "i"}]}),
    );
    let env = saas_env(&server);
    env.cmd()
        .args(["call", "GET", DELTA, "--paginate", "--ndjson"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("{\"id\":\"i\"}\n");
    incidents_page.assert_calls(1);
}

#[test]
fn page_size_wins_over_the_query_and_the_vendors_size() {
    let server = MockServer::start();
    token_endpoint(&server);
    let pages = [
        rules_mock(&server, 0, 3, rules_page(0..3, 3, 5)),
        rules_mock(&server, 3, 3, rules_page(3..5, 3, 5)),
    ];
    let env = scm_preset_env(&server);
    // -q limit=2 is the query's; --page-size 3 is asked for instead.
    let out = paginate_rules(&env)
        .args(["--page-size", "3"])
        .assert()
        .success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..5));
    for page in &pages {
        page.assert_calls(1);
    }
    env.cmd()
        .args(["call", "GET", RULES, "--page-size", "0", "--paginate"])
        .assert()
        .code(2);
}

/// Ten rules in pages of two, every page answered through `arrivals`; the pages at the offsets in
/// `slow` are answered after the delay given with them.
fn ten_rules_timed<'a>(
    server: &'a MockServer,
    arrivals: &Arrivals,
    slow: &[(usize, u64)],
) -> Vec<httpmock::Mock<'a>> {
    (0..10)
        .step_by(2)
        .map(|offset| {
            let delay = slow
                .iter()
                .find(|(at, _)| *at == offset)
                .map_or(0, |(_, ms)| *ms);
            let answer = arrivals.answer(200, rules_page(offset..offset + 2, 2, 10), &[]);
            server.mock(move |when, then| {
                when.method(GET)
                    .path(RULES)
                    .query_param("offset", offset.to_string())
                    .query_param("limit", "2")
                    .header("authorization", format!("Bearer {TOKEN}"));
                then.delay(std::time::Duration::from_millis(delay))
                    .respond_with(answer);
            })
        })
        .collect()
}

#[test]
fn pages_answered_out_of_order_are_written_in_the_lists_order() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let arrivals = Arrivals::default();
    // The second page is the slowest and the third slow too: the last ones come back first.
    let pages = ten_rules_timed(&server, &arrivals, &[(2, 800), (4, 400)]);
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env)
        .args(["--parallel", "4"])
        .assert()
        .success()
        .stderr("");
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..10));
    for page in &pages {
        page.assert_calls(1);
    }
    tokens.assert_calls(1);
    // The last page was asked for while the second was in flight, and answered before it.
    assert!(
        arrivals.at("offset=8") < arrivals.at("offset=2"),
        "{:?}",
        arrivals.all()
    );
}

#[test]
fn parallel_comes_from_the_command_line_then_the_profile_then_the_provider_but_not_under_v() {
    // The second page is slow: the last is answered before it only if it was asked for at once.
    let last_before_second = |profile_key: &str, args: &[&str]| {
        let server = MockServer::start();
        token_endpoint(&server);
        let arrivals = Arrivals::default();
        ten_rules_timed(&server, &arrivals, &[(2, 500)]);
        let env = TestEnv::new(&format!(
            "[profiles.scm]\nprovider = \"scm\"\ntsg_id = 1234567890\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\ntoken_url = \"{}\"\napi_base = \"{}\"\n{profile_key}\n",
            server.url(TOKEN_PATH),
            server.base_url()
        ));
        let out = paginate_rules(&env).args(args).assert().success();
        assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..10));
        arrivals.at("offset=8") < arrivals.at("offset=2")
    };
    // SCM's config lists: 4 at once.
    assert!(last_before_second("", &[]));
    assert!(!last_before_second("parallel = 1", &[]));
    assert!(last_before_second("parallel = 1", &["--parallel", "4"]));
    // Under -v one page after another, so that each request's head stays next to its answer's.
    assert!(!last_before_second("", &["--parallel", "4", "-v"]));
}

#[test]
fn no_more_pages_than_parallel_are_in_flight() {
    let server = MockServer::start();
    token_endpoint(&server);
    let arrivals = Arrivals::default();
    let delay = 300;
    // Every page after the first takes 300 ms.
    let slow: Vec<(usize, u64)> = (2..10).step_by(2).map(|at| (at, delay)).collect();
    ten_rules_timed(&server, &arrivals, &slow);
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env)
        .args(["--parallel", "2"])
        .assert()
        .success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..10));
    // Each slow page was in flight for the 300 ms before its answer: never three at once.
    let spans: Vec<(std::time::Instant, std::time::Instant)> = arrivals
        .all()
        .into_iter()
        .filter(|(query, _)| !query.contains("offset=0&"))
        .map(|(_, answered)| (answered - std::time::Duration::from_millis(delay), answered))
        .collect();
    assert_eq!(spans.len(), 4);
    for (start, _) in &spans {
        let at_once = spans
            .iter()
            .filter(|(from, to)| from <= start && start < to)
            .count();
        assert!(at_once <= 2, "{at_once} pages in flight at once");
    }
}

#[test]
fn a_page_failing_under_parallel_ends_the_walk_where_it_failed() {
    let server = MockServer::start();
    token_endpoint(&server);
    let arrivals = Arrivals::default();
    // The page at 4 fails at once; the page before it is slow, and those after it fine.
    let pages: Vec<_> = [0usize, 2, 6, 8]
        .into_iter()
        .map(|offset| {
            let answer = arrivals.answer(200, rules_page(offset..offset + 2, 2, 10), &[]);
            let delay = if offset == 2 { 500 } else { 0 };
            server.mock(move |when, then| {
                when.method(GET)
                    .path(RULES)
                    .query_param("offset", offset.to_string());
                then.delay(std::time::Duration::from_millis(delay))
                    .respond_with(answer);
            })
        })
        .collect();
    let failing = server.mock(|when, then| {
        when.method(GET).path(RULES).query_param("offset", "4");
        then.status(503)
            .body("<html>503 Service Unavailable</html>");
    });
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env)
        .args(["--parallel", "4", "--retries", "0"])
        .assert()
        .code(5);
    // Everything before the failed page, in order, and nothing after it; still a JSON array.
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..4));
    assert_eq!(
        stderr_of(&out),
        format!(
            "oauthctl: stopped at offset 4 after 4 items: GET {}?folder=Shared&offset=4&limit=2 answered 503 Service Unavailable (--retries is 0)\nhint: resume with --start 4\n",
            server.url(RULES)
        )
    );
    failing.assert_calls(1);
    pages[1].assert_calls(1);
}

#[test]
fn a_token_refused_to_pages_in_flight_is_renewed_once_for_all() {
    let server = MockServer::start();
    let first_token = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(scm_token_response("old-token", 899))
            .up_to_n_times(1);
    });
    let second_token = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .json_body(scm_token_response("new-token", 899));
    });
    let page = |offset: usize, token: &'static str| {
        server.mock(move |when, then| {
            when.method(GET)
                .path(RULES)
                .query_param("offset", offset.to_string())
                .header("authorization", format!("Bearer {token}"));
            then.status(200)
                .json_body(rules_page(offset..offset + 2, 2, 10));
        })
    };
    let first = page(0, "old-token");
    let rest: Vec<_> = (2..10).step_by(2).map(|at| page(at, "new-token")).collect();
    // The old token expired after the first page: every page after it is refused it.
    let refused = server.mock(|when, then| {
        when.method(GET)
            .path(RULES)
            .query_param_matches("offset", "^[2-8]$")
            .header("authorization", "Bearer old-token");
        then.status(401)
            .header("www-authenticate", r#"Bearer error="invalid_token""#)
            .json_body(json!({"_errors": [{"code": "E016", "message": "Not Authenticated", "details": {}}]}));
    });
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env)
        .args(["--parallel", "4"])
        .assert()
        .success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..10));
    first_token.assert_calls(1);
    // One new token for the four pages refused the old one.
    second_token.assert_calls(1);
    first.assert_calls(1);
    for page in &rest {
        page.assert_calls(1);
    }
    assert!(refused.calls() >= 1 && refused.calls() <= 4);
    let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
    for secret in ["old-token", "new-token", SECRET] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{stderr}"
        );
    }
}

#[test]
fn rate_spaces_every_request_even_pages_in_flight_at_once() {
    let server = MockServer::start();
    token_endpoint(&server);
    let arrivals = Arrivals::default();
    ten_rules_timed(&server, &arrivals, &[]);
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env)
        .args(["--parallel", "4", "--rate", "5/s"])
        .assert()
        .success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..10));
    // Five requests at 5 a second: 200 ms apart by oauthctl's clock; the server's may see two
    // of them a little closer, as each has its own way through the loopback.
    let mut times: Vec<_> = arrivals.all().into_iter().map(|(_, at)| at).collect();
    times.sort();
    assert_eq!(times.len(), 5);
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= std::time::Duration::from_millis(170),
            "requests {gap:?} apart: {:?}",
            arrivals.all()
        );
    }
    assert!(times[4] - times[0] >= std::time::Duration::from_millis(750));
}

#[test]
fn iot_lists_keep_to_sixty_a_minute_unless_the_profile_lifts_it() {
    let server = MockServer::start();
    token_endpoint(&server);
    let arrivals = Arrivals::default();
    let page = |offset: usize| {
        let devices: Vec<Value> = (offset..offset + 2)
            .map(|n| json!({"deviceid": format!("d-{n}")}))
            .collect();
        let answer = arrivals.answer(200, json!({"total": 4, "devices": devices}), &[]);
        server.mock(move |when, then| {
            when.method(GET)
                .path(DEVICES)
                .query_param("offset", offset.to_string())
                .query_param("pagelength", "2");
            then.respond_with(answer);
        })
    };
    let pages = [page(0), page(2)];
    let env = scm_preset_env(&server);
    let walk = || {
        let mut cmd = env.cmd();
        cmd.args([
            "call",
            "GET",
            DEVICES,
            "-q",
            "pagelength=2",
            "--paginate",
            "--ndjson",
        ])
        .env("SCM_SECRET", SECRET);
        cmd
    };
    let out = walk().assert().success();
    assert_eq!(stdout_of(&out).lines().count(), 4);
    let times: Vec<_> = arrivals.all().into_iter().map(|(_, at)| at).collect();
    // 60 a minute: the second page a second after the first.
    assert!(
        times[1] - times[0] >= std::time::Duration::from_millis(900),
        "{:?}",
        times[1] - times[0]
    );

    // The profile's rate = "none" lifts the provider's.
    let text = std::fs::read_to_string(env.config()).unwrap();
    env.write_profiles(&format!("{text}rate = \"none\"\n"));
    walk().assert().success();
    let times: Vec<_> = arrivals.all().into_iter().map(|(_, at)| at).collect();
    assert!(
        times[3] - times[2] < std::time::Duration::from_millis(900),
        "{:?}",
        times[3] - times[2]
    );
    for page in &pages {
        page.assert_calls(2);
    }
}

#[test]
fn a_429_with_retry_after_pauses_the_other_pages_too() {
    let server = MockServer::start();
    token_endpoint(&server);
    let arrivals = Arrivals::default();
    let page = |offset: usize, delay: u64| {
        let answer = arrivals.answer(200, rules_page(offset..offset + 2, 2, 10), &[]);
        server.mock(move |when, then| {
            when.method(GET)
                .path(RULES)
                .query_param("offset", offset.to_string());
            then.delay(std::time::Duration::from_millis(delay))
                .respond_with(answer);
        })
    };
    // The page at 4 is refused once with Retry-After: 1 while the page at 2, before it, is still
    // on its way (500 ms); the page at 6 is asked for only once the one at 2 is written.
    let limited = {
        let answer = arrivals.answer(
            429,
            json!({"_errors": [{"code": "API_I00035", "message": "Too many requests", "details": {}}]}),
            &[("retry-after", "1")],
        );
        server.mock(move |when, then| {
            when.method(GET).path(RULES).query_param("offset", "4");
            then.respond_with(answer).up_to_n_times(1);
        })
    };
    let pages = [page(0, 0), page(2, 500), page(4, 0), page(6, 0), page(8, 0)];
    let env = scm_preset_env(&server);
    let out = paginate_rules(&env)
        .args(["--parallel", "2"])
        .assert()
        .success();
    limited.assert_calls(1);
    for page in &pages {
        page.assert_calls(1);
    }
    let out = out.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(array_ids(&stdout, "name"), rule_names(0..10));
    let refused_at = arrivals.at("offset=4");
    let next_at = arrivals.at("offset=6");
    // Without the shared pause the page at 6 would go as soon as the one at 2 is written, half a
    // second after the 429; with it, not before the second that Retry-After asked for.
    assert!(
        next_at - refused_at >= std::time::Duration::from_millis(950),
        "the page at 6 went {:?} after the 429: {:?}",
        next_at - refused_at,
        arrivals.all()
    );
}

#[test]
fn parallel_and_rate_are_checked_before_anything_is_sent() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let env = scm_preset_env(&server);
    for args in [
        &["--paginate", "--parallel", "0"][..],
        &["--paginate", "--parallel", "33"],
        &["--paginate", "--rate", "10/h"],
        &["--parallel", "2"],
        &["--rate", "5/s"],
    ] {
        env.cmd()
            .args(["call", "GET", RULES])
            .args(args)
            .env("SCM_SECRET", SECRET)
            .assert()
            .code(2);
    }
    let out = env
        .cmd()
        .args(["call", "GET", RULES, "--paginate", "--rate", "fast"])
        .assert()
        .code(2);
    assert!(
        stderr_of(&out)
            .contains("`fast` is not a rate: write N/s or N/min (e.g. 10/s, 60/min), or none"),
        "{}",
        stderr_of(&out)
    );
    let text = std::fs::read_to_string(env.config()).unwrap();
    for (key, message) in [
        (
            "parallel = 0",
            "profile scm: parallel = 0: give how many pages to fetch at once, from 1 to 32",
        ),
        (
            "rate = \"fast\"",
            "profile scm: rate `fast` is not a rate: write N/s or N/min",
        ),
    ] {
        env.write_profiles(&format!("{text}{key}\n"));
        let out = env
            .cmd()
            .args(["call", "GET", RULES, "--paginate"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .failure();
        assert!(stderr_of(&out).contains(message), "{}", stderr_of(&out));
    }
    tokens.assert_calls(0);
}

#[test]
fn next_path_lists_go_one_page_at_a_time_whatever_parallel_says() {
    let server = MockServer::start();
    saas_token(&server);
    let first = server.mock(|when, then| {
        when.method(GET).path(DELTA).query_param_missing("cursor");
        then.status(200)
            .json_body(json!({"resources": incidents(0..2),
            "nextPath": format!("{DELTA}?limit=2&cursor=c2")}));
    });
    let second = server.mock(|when, then| {
        when.method(GET).path(DELTA).query_param("cursor", "c2");
        then.status(200)
            .json_body(json!({"resources": incidents(2..3)}));
    });
    let env = saas_env(&server);
    let out = env
        .cmd()
        .args(["call", "GET", DELTA, "-q", "limit=2", "--paginate"])
        .args(["--parallel", "8"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let want: Vec<Value> = (0..3).map(|n| json!(format!("inc-{n}"))).collect();
    assert_eq!(array_ids(&stdout_of(&out), "incident_id"), want);
    first.assert_calls(1);
    second.assert_calls(1);
}

#[test]
fn jq_runs_on_each_item_as_the_pages_come() {
    let server = MockServer::start();
    token_endpoint(&server);
    let pages = five_rules(&server);
    let env = scm_preset_env(&server);
    // Each item is the filter's input, as `--ndjson | jq -r .name` reads them; strings come raw.
    paginate_rules(&env)
        .args(["--jq", ".name"])
        .assert()
        .success()
        .stdout("rule-0\nrule-1\nrule-2\nrule-3\nrule-4\n")
        .stderr("");
    // Other values compact, one a line; an item the filter drops writes nothing.
    paginate_rules(&env)
        .args(["--jq", r#"select(.name | test("[13]$")) | {name, position}"#])
        .assert()
        .success()
        .stdout(
            "{\"name\":\"rule-1\",\"position\":\"pre\"}\n{\"name\":\"rule-3\",\"position\":\"pre\"}\n",
        );
    for page in &pages {
        page.assert_calls(2);
    }
}

#[test]
fn jq_with_pages_is_checked_before_the_first_page_and_a_failing_filter_stops_the_walk() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let pages = five_rules(&server);
    let env = scm_preset_env(&server);
    paginate_rules(&env)
        .args(["--jq", ".name |"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "oauthctl: --jq: expected term, found the end at column 8\n",
        ));
    tokens.assert_calls(0);
    // The filter fails on the third item, on the second page: the items before it are out, and
    // no page after it is asked for (one page at a time, so none was asked for ahead).
    paginate_rules(&env)
        .args(["--parallel", "1"])
        .args([
            "--jq",
            r#"if .name == "rule-2" then error("no rule-2") else .name end"#,
        ])
        .assert()
        .code(1)
        .stdout("rule-0\nrule-1\n")
        .stderr(predicate::str::contains(
            "--jq: no rule-2, on item 0 of the answer to GET",
        ));
    pages[0].assert_calls(1);
    pages[1].assert_calls(1);
    pages[2].assert_calls(0);
}

#[test]
fn fields_go_in_the_query_of_a_walk() {
    let server = MockServer::start();
    token_endpoint(&server);
    let pages = five_rules(&server);
    let env = scm_preset_env(&server);
    let out = env
        .cmd()
        .args([
            "call",
            RULES,
            "--paginate",
            "-f",
            "folder=Shared",
            "-F",
            "limit=2",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    assert_eq!(array_ids(&stdout_of(&out), "name"), rule_names(0..5));
    for page in &pages {
        page.assert_calls(1);
    }
}
