//! `oauthctl batch` against real HTTP servers on loopback (httpmock): one request per input line,
//! one JSON line per answer, in order or as they complete, one token for all, the exit code, and
//! the rules `call` applies to each request.

use std::time::Duration;

use crate::common::*;
use httpmock::prelude::*;
use serde_json::{Value, json};

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

/// `oauthctl batch ARGS` with `input` on stdin.
fn batch(env: &TestEnv, args: &[&str], input: &str) -> assert_cmd::assert::Assert {
    env.cmd()
        .arg("batch")
        .args(args)
        .env("SCM_SECRET", SECRET)
        .write_stdin(input)
        .assert()
}

/// Each line of stdout, parsed.
fn answers(assert: &assert_cmd::assert::Assert) -> Vec<Value> {
    stdout_of(assert)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// A GET of `path` answered with `body` after `delay`, only with the profile's token.
fn object<'a>(server: &'a MockServer, path: &str, body: Value, delay: u64) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        when.method(GET)
            .path(path)
            .header("authorization", bearer());
        then.status(200)
            .header("content-type", "application/json")
            .delay(Duration::from_millis(delay))
            .json_body(body);
    })
}

#[test]
fn answers_are_written_in_the_input_order_with_one_token_for_all() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    // The first answer comes last: the others wait for it.
    let slow = object(&server, "/objects/0", json!({"id": 0}), 600);
    let others: Vec<_> = (1..12)
        .map(|n| object(&server, &format!("/objects/{n}"), json!({"id": n}), 0))
        .collect();
    let env = api_env(&server, "");
    let mut input = String::from("# the objects\nGET /objects/0\n\n");
    for n in 1..12 {
        input.push_str(&format!("get /objects/{n}\n"));
    }
    let out = batch(&env, &["-P", "4"], &input).success();
    let got = answers(&out);
    let want: Vec<Value> = (0..12)
        .map(|n| {
            // Lines 1 and 3 are a comment and a blank line, which hold no request.
            let line = if n == 0 { 2 } else { n + 3 };
            json!({"index": n, "line": line, "status": 200, "body": {"id": n}})
        })
        .collect();
    assert_eq!(got, want);
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with("oauthctl: 12 requests in ") && stderr.ends_with(" s: 12 2xx\n"),
        "{stderr}"
    );
    slow.assert_calls(1);
    for mock in others {
        mock.assert_calls(1);
    }
    tokens.assert_calls(1);
}

#[test]
fn one_token_serves_the_whole_batch_even_where_the_cache_cannot_be_used() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let objects: Vec<_> = (0..20)
        .map(|n| object(&server, &format!("/objects/{n}"), json!({"id": n}), 0))
        .collect();
    let env = api_env(&server, "");
    // A cache folder inside a file: every `token` would fetch anew.
    std::fs::write(env.dir.path().join("a-file"), "").unwrap();
    let input: String = (0..20).map(|n| format!("GET /objects/{n}\n")).collect();
    let out = env
        .cmd()
        .args(["batch", "-P", "8"])
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_CACHE_DIR", env.dir.path().join("a-file/cache"))
        .write_stdin(input)
        .assert()
        .success();
    assert_eq!(answers(&out).len(), 20);
    tokens.assert_calls(1);
    for object in objects {
        object.assert_calls(1);
    }
}

#[test]
fn unordered_writes_each_answer_as_it_comes() {
    let server = MockServer::start();
    token_endpoint(&server);
    object(&server, "/objects/0", json!({"id": 0}), 800);
    for n in 1..4 {
        object(&server, &format!("/objects/{n}"), json!({"id": n}), 0);
    }
    let env = api_env(&server, "");
    let input = "GET /objects/0\nGET /objects/1\nGET /objects/2\nGET /objects/3\n";
    let got = answers(&batch(&env, &["--unordered"], input).success());
    let indexes: Vec<_> = got.iter().map(|a| a["index"].as_u64().unwrap()).collect();
    assert_eq!(indexes.len(), 4);
    assert_eq!(indexes[3], 0, "the slow answer comes last: {got:?}");
    let mut sorted = indexes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [0, 1, 2, 3]);
}

#[test]
fn json_lines_carry_query_headers_and_a_body() {
    let server = MockServer::start();
    token_endpoint(&server);
    let created = server.mock(|when, then| {
        when.method(POST)
            .path("/config/objects/v1/addresses")
            .query_param("folder", "Shared")
            .header("authorization", bearer())
            .header("content-type", "application/json")
            .header("x-request-id", "a1")
            .header_missing("x-profile")
            .body(r#"{"name": "h1", "ip_netmask": "10.0.0.1/32"}"#);
        then.status(201)
            .header("content-type", "application/json")
            .body("{\n  \"id\": \"5b1e\",\n  \"name\": \"h1\"\n}");
    });
    let form = server.mock(|when, then| {
        when.method(PUT)
            .path("/form")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-profile", "p")
            .body("a=1&b=2");
        then.status(204);
    });
    let env = api_env(&server, "[profiles.scm.headers]\nX-Profile = \"p\"");
    let input = concat!(
        r#"{"method": "POST", "path": "/config/objects/v1/addresses", "query": {"folder": "Shared"}, "headers": {"X-Request-Id": "a1", "X-Profile": null}, "json": {"name": "h1", "ip_netmask": "10.0.0.1/32"}}"#,
        "\n",
        r#"{"method": "put", "path": "/form", "body": "a=1&b=2"}"#,
        "\n"
    );
    let out = batch(&env, &[], input).success();
    assert_eq!(
        stdout_of(&out),
        "{\"index\":0,\"line\":1,\"status\":201,\"body\":{\"id\":\"5b1e\",\"name\":\"h1\"}}\n{\"index\":1,\"line\":2,\"status\":204,\"body\":null}\n"
    );
    created.assert_calls(1);
    form.assert_calls(1);
}

#[test]
fn a_bad_line_is_reported_with_its_number_skipped_and_counted() {
    let server = MockServer::start();
    token_endpoint(&server);
    let a = object(&server, "/a", json!({"id": "a"}), 0);
    let c = object(&server, "/c", json!({"id": "c"}), 0);
    let env = api_env(&server, "");
    let input =
        "GET /a\nfetch the b object please\n{\"path\": \"/b\", \"heders\": {}}\nGE:T /b\nGET /c\n";
    let out = batch(&env, &[], input).code(1);
    let got = answers(&out);
    assert_eq!(got.len(), 5);
    assert_eq!(got[0]["body"], json!({"id": "a"}));
    assert_eq!(
        got[4],
        json!({"index": 4, "line": 5, "status": 200, "body": {"id": "c"}})
    );
    for (answer, why) in [
        (&got[1], "expected `METHOD PATH_OR_URL` or a JSON object"),
        (&got[2], "unknown field `heders`"),
        (&got[3], "`GE:T` is not an HTTP method"),
    ] {
        assert_eq!(answer["status"], Value::Null);
        assert!(answer["error"].as_str().unwrap().contains(why), "{answer}");
    }
    let stderr = stderr_of(&out);
    for said in [
        "oauthctl: line 2: expected `METHOD PATH_OR_URL` or a JSON object",
        "oauthctl: line 3: not a request object: unknown field `heders`",
        "oauthctl: line 4: `GE:T` is not an HTTP method",
        "s: 2 2xx, 3 bad lines\n",
    ] {
        assert!(stderr.contains(said), "{said}\n{stderr}");
    }
    a.assert_calls(1);
    c.assert_calls(1);
}

#[test]
fn the_exit_code_is_the_worst_answer_and_each_failure_has_its_line() {
    let server = MockServer::start();
    token_endpoint(&server);
    object(&server, "/ok", json!({"ok": true}), 0);
    let missing = server.mock(|when, then| {
        when.method(GET).path("/missing");
        then.status(404)
            .header("content-type", "application/json")
            .json_body(json!({"_errors": [{"code": "API_I00013", "message": "Object not found", "details": {}}], "_request_id": "r-404"}));
    });
    let broken = server.mock(|when, then| {
        when.method(DELETE).path("/broken");
        then.status(503)
            .header("retry-after", "0")
            .body("try later");
    });
    // A port nothing listens on, on an origin the profile allows.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_origin = format!("http://127.0.0.1:{}", closed.local_addr().unwrap().port());
    drop(closed);
    let env = api_env(&server, &format!("allowed_origins = [\"{closed_origin}\"]"));

    let out = batch(&env, &[], "GET /ok\nGET /missing\n").code(4);
    let got = answers(&out);
    assert_eq!(got[1]["status"], 404);
    assert_eq!(got[1]["body"]["_errors"][0]["code"], "API_I00013");
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!(
            "oauthctl: line 2: GET {} answered 404 Not Found: API_I00013: Object not found [request id r-404]\n",
            server.url("/missing")
        )),
        "{stderr}"
    );
    assert!(stderr.ends_with("s: 1 2xx, 1 4xx\n"), "{stderr}");

    let out = batch(
        &env,
        &["--retries", "1"],
        "GET /ok\nGET /missing\nDELETE /broken\n",
    )
    .code(5);
    assert_eq!(answers(&out)[2]["body"], "try later");
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("oauthctl: line 3: DELETE ")
            && stderr.contains("answered 503 Service Unavailable; retry 1 of 1 in 0 s")
            && stderr.contains("answered 503 Service Unavailable (after 1 retry)"),
        "{stderr}"
    );
    broken.assert_calls(2);

    let unreachable = format!("GET /ok\nGET {closed_origin}/x\n");
    let out = batch(&env, &[], &unreachable).code(1);
    let got = answers(&out);
    assert_eq!(got[1]["status"], Value::Null);
    let error = got[1]["error"].as_str().unwrap();
    assert!(
        error.starts_with(&format!("GET {closed_origin}/x failed: cannot connect")),
        "{error}"
    );
    assert!(stderr_of(&out).contains(&format!("oauthctl: line 2: GET {closed_origin}/x failed")));
    assert!(stderr_of(&out).ends_with("s: 1 2xx, 1 without an answer\n"));

    // 5 over 4 over 1, whatever the order.
    batch(
        &env,
        &[],
        &format!("GET {closed_origin}/x\nDELETE /broken\nGET /missing\n"),
    )
    .code(5);
    // -s: no line per failure and no summary; the exit code says it.
    batch(&env, &["-s"], "GET /missing\n").code(4).stderr("");
    missing.assert_calls(4);
}

#[test]
fn post_is_retried_only_with_retry_all() {
    let server = MockServer::start();
    token_endpoint(&server);
    let busy = server.mock(|when, then| {
        when.method(POST).path("/addresses");
        then.status(429)
            .header("retry-after", "0")
            .body("slow down");
    });
    let env = api_env(&server, "");
    let out = batch(&env, &[], "POST /addresses\n").code(4);
    assert!(
        stderr_of(&out).contains(
            "(a POST is not sent again without --retry-all, as the server may have acted on it)"
        ),
        "{}",
        stderr_of(&out)
    );
    busy.assert_calls(1);
    batch(
        &env,
        &["--retry-all", "--retries", "2"],
        "POST /addresses\n",
    )
    .code(4);
    busy.assert_calls(4);
}

#[test]
fn after_a_401_one_new_token_serves_every_request_in_flight() {
    refresh_once(false);
    // Without the cache, which otherwise hands the new token to those that ask after the first,
    // only the batch itself keeps the others from fetching one each.
    refresh_once(true);
}

fn refresh_once(without_cache: bool) {
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
    // Slow refusals, so that every request in flight holds the old token when the first one
    // comes back.
    let refused = server.mock(|when, then| {
        when.method(GET).header("authorization", "Bearer old-token");
        then.status(401)
            .delay(Duration::from_millis(300))
            .header("www-authenticate", r#"Bearer error="invalid_token", error_description="The access token expired""#)
            .json_body(json!({"_errors": [{"code": "E016", "message": "Not Authenticated", "details": {}}]}));
    });
    let mut objects = Vec::new();
    for n in 0..8 {
        objects.push(server.mock(|when, then| {
            when.method(GET)
                .path(format!("/objects/{n}"))
                .header("authorization", "Bearer new-token");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"id": n}));
        }));
    }
    let env = api_env(&server, "");
    let input: String = (0..8).map(|n| format!("GET /objects/{n}\n")).collect();
    let mut cmd = env.cmd();
    if without_cache {
        // A cache folder inside a file: it cannot be used, and each token is fetched anew.
        std::fs::write(env.dir.path().join("a-file"), "").unwrap();
        cmd.env("OAUTHCTL_CACHE_DIR", env.dir.path().join("a-file/cache"));
    }
    let out = cmd
        .args(["batch", "-P", "4"])
        .env("SCM_SECRET", SECRET)
        .write_stdin(input)
        .assert()
        .success();
    let got = answers(&out);
    let ids: Vec<_> = got.iter().map(|a| a["body"]["id"].clone()).collect();
    assert_eq!(ids, (0..8).map(Value::from).collect::<Vec<_>>());
    first_token.assert_calls(1);
    second_token.assert_calls(1);
    for object in objects {
        object.assert_calls(1);
    }
    assert!(refused.calls() >= 4, "{} refusals", refused.calls());
    let (stdout, stderr) = (stdout_of(&out), stderr_of(&out));
    assert!(
        stderr.contains("answered 401 Unauthorized (invalid_token: The access token expired); fetching a new token and sending again"),
        "{stderr}"
    );
    for secret in ["old-token", "new-token", SECRET] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{stdout}\n{stderr}"
        );
    }
}

#[test]
fn each_line_is_held_to_the_profiles_origins_and_https() {
    let server = MockServer::start();
    token_endpoint(&server);
    let ok = object(&server, "/ok", json!({"ok": true}), 0);
    let stranger = MockServer::start();
    let stolen = stranger.mock(|when, then| {
        when.any_request();
        then.status(200).body("thanks");
    });
    // An https-only profile whose API is plain http off the host: the token may not go there.
    let plain = TestEnv::new(&generic_profile(
        "scm",
        &server.url(TOKEN_PATH),
        &format!(
            "api_base = \"http://api.oauthctl.test:{}\"\nallowed_origins = [\"{}\"]",
            server.port(),
            server.base_url()
        ),
    ));
    let env = api_env(&server, "");
    let input = format!("GET /ok\nGET {}\nGET /ok\n", stranger.url("/steal"));
    let out = batch(&env, &[], &input).code(1);
    let got = answers(&out);
    let refusal = format!(
        "refusing to send profile scm's token to {}: the profile allows {}",
        stranger.base_url(),
        server.base_url()
    );
    assert_eq!(got[1]["status"], Value::Null);
    assert_eq!(got[1]["error"].as_str().unwrap(), refusal);
    assert_eq!(
        (got[0]["status"].clone(), got[2]["status"].clone()),
        (json!(200), json!(200))
    );
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!("oauthctl: line 2: {refusal}\nhint: if {} is yours, add it to allowed_origins in [profiles.scm]\n", stranger.base_url())),
        "{stderr}"
    );
    stolen.assert_calls(0);
    ok.assert_calls(2);

    let out = plain
        .cmd()
        .args(["batch"])
        .env("SCM_SECRET", SECRET)
        .env(
            "OAUTHCTL_RESOLVE",
            format!("api.oauthctl.test=127.0.0.1:{}", server.port()),
        )
        .write_stdin(format!("GET /ok\nGET {}\n", server.url("/ok")))
        .assert()
        .code(1);
    let got = answers(&out);
    assert!(
        got[0]["error"]
            .as_str()
            .unwrap()
            .contains("bearer tokens go over https only"),
        "{got:?}"
    );
    assert_eq!(got[1]["status"], 200);
    ok.assert_calls(3);
}

#[test]
fn no_token_means_nothing_is_read_or_sent() {
    let server = MockServer::start();
    let refused = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(401).json_body(
            json!({"error": "invalid_client", "error_description": "Client authentication failed"}),
        );
    });
    let api = server.mock(|when, then| {
        when.any_request().path_excludes(TOKEN_PATH);
        then.status(200);
    });
    let env = api_env(&server, "");
    let out = batch(&env, &[], "GET /a\nGET /b\n").code(3);
    assert!(stdout_of(&out).is_empty());
    assert!(
        stderr_of(&out).starts_with("oauthctl: no access token for profile scm"),
        "{}",
        stderr_of(&out)
    );
    // The client's two HTTP Basic spellings, as for `token`.
    refused.assert_calls(2);
    api.assert_calls(0);
}

#[test]
fn input_from_a_file_and_usage_errors() {
    let server = MockServer::start();
    token_endpoint(&server);
    let a = object(&server, "/a", json!({"id": "a"}), 0);
    let env = api_env(&server, "");
    let file = env.dir.path().join("requests.txt");
    std::fs::write(&file, "GET /a\n").unwrap();
    env.cmd()
        .arg("batch")
        .arg(&file)
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("{\"index\":0,\"line\":1,\"status\":200,\"body\":{\"id\":\"a\"}}\n");
    a.assert_calls(1);
    env.cmd()
        .args(["batch", "no-such-file"])
        .assert()
        .code(1)
        .stderr(predicates::str::starts_with(
            "oauthctl: cannot read no-such-file",
        ));
    for bad in [&["-P", "0"][..], &["-P", "65"], &["--timeout", "0"]] {
        env.cmd().arg("batch").args(bad).assert().code(2);
    }
}

// GNU time and util-linux's script(1), as on Linux.
#[cfg(target_os = "linux")]
#[test]
fn memory_stays_bounded_however_long_the_input() {
    // A slow first request, then 64 lines of 1 MiB each (bad lines, which need no server): were
    // the input read whole, or read ahead of what is written while the first answer is awaited,
    // memory would hold all of them.
    let server = MockServer::start();
    let slow = server.mock(|when, then| {
        when.method(GET).path("/slow");
        then.status(200)
            .delay(Duration::from_millis(1500))
            .body("done");
    });
    let env = api_env(
        &server,
        "[profiles.scm.headers]\nAuthorization = \"Bearer mine\"",
    );
    let file = env.dir.path().join("requests.ndjson");
    {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
        writeln!(out, "GET /slow").unwrap();
        let padding = "x".repeat(1 << 20);
        for _ in 0..64 {
            writeln!(out, "{{\"path\": \"/a\", \"padding\": \"{padding}\"}}").unwrap();
        }
    }
    let rss_file = env.dir.path().join("max-rss-kb");
    let out = env
        .wrapped("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(oauthctl_bin())
        .args(["batch", "-P", "1"])
        .arg(&file)
        .output()
        .expect("GNU time (/usr/bin/time) runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 65);
    assert_eq!(
        lines[0],
        "{\"index\":0,\"line\":1,\"status\":200,\"body\":\"done\"}"
    );
    assert!(
        lines[1..]
            .iter()
            .all(|l| l.contains("unknown field `padding`"))
    );
    slow.assert_calls(1);
    let kb: u64 = std::fs::read_to_string(&rss_file)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    eprintln!("peak memory {kb} KiB for 64 MiB of input");
    assert!(kb < 40 << 10, "peak memory {kb} KiB");
}

// --- The progress line on a real terminal ---------------------------------------------------

// GNU time and util-linux's script(1), as on Linux.
#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_the_progress_line_is_drawn_only_where_answers_cannot_meet_it() {
    use crate::common::terminal::{on_terminal, screen};
    let server = MockServer::start();
    token_endpoint(&server);
    object(&server, "/a", json!({"id": "a"}), 0);
    server.mock(|when, then| {
        when.method(GET).path("/missing");
        then.status(404).body("no such object");
    });
    let env = api_env(&server, "");
    let requests = env.dir.path().join("requests.txt");
    std::fs::write(&requests, "GET /a\nGET /missing\nGET /a\n").unwrap();
    let requests = requests.to_str().unwrap();
    let failure = format!(
        "oauthctl: line 2: GET {} answered 404 Not Found",
        server.url("/missing")
    );

    // Answers in a file: the line counts them, and is gone at the end, leaving the messages.
    let answers_file = env.dir.path().join("answers.ndjson");
    let (code, bytes) = on_terminal(
        &env,
        &["batch", "-P", "1", requests],
        &format!("> '{}'", answers_file.display()),
    );
    let text = String::from_utf8_lossy(&bytes);
    assert_eq!(code, 4, "{text}");
    assert!(text.contains("\x1b[2K1 request: 1 2xx"), "{text:?}");
    let shown = screen(&bytes);
    assert_eq!(shown.len(), 2, "{text:?}");
    assert_eq!(shown[0], failure);
    assert!(
        shown[1].starts_with("oauthctl: 3 requests in ") && shown[1].ends_with(" s: 2 2xx, 1 4xx"),
        "{shown:?}"
    );
    assert_eq!(
        std::fs::read_to_string(&answers_file)
            .unwrap()
            .lines()
            .count(),
        3
    );

    // Answers on the terminal (or in a pipe whose reader may write there): no line at all.
    for tail in ["", "| cat"] {
        let (code, bytes) = on_terminal(&env, &["batch", "-P", "1", requests], tail);
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("\x1b[2K"), "{text:?}");
        let shown = screen(&bytes);
        assert_eq!(shown.len(), 5, "{text:?}");
        assert!(shown.contains(&failure), "{shown:?}");
        if tail.is_empty() {
            assert_eq!(code, 4);
        }
    }
}

#[test]
fn a_line_cannot_write_escape_sequences_on_the_terminal() {
    let server = MockServer::start();
    token_endpoint(&server);
    let env = api_env(&server, "");
    let input = "G\u{1b}[2JET /a\n{\"path\": \"/a\", \"\u{1b}]0;owned\u{7}\": 1}\n";
    let out = batch(&env, &[], input).code(1);
    let stderr = stderr_of(&out);
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{7}'),
        "{stderr:?}"
    );
    assert!(
        stderr.contains("oauthctl: line 1: `G\u{FFFD}[2JET` is not an HTTP method"),
        "{stderr}"
    );
    // On stdout the line's text is JSON, escaped.
    assert!(stdout_of(&out).contains("\\u001b"), "{}", stdout_of(&out));
}

#[test]
fn up_to_p_requests_are_in_flight_at_once() {
    let server = MockServer::start();
    token_endpoint(&server);
    let slow = server.mock(|when, then| {
        when.method(GET).path("/slow");
        then.status(204).delay(Duration::from_millis(400));
    });
    let env = api_env(&server, "");
    let input = "GET /slow\n".repeat(8);
    let timed = |parallel: &str| {
        let started = std::time::Instant::now();
        batch(&env, &["-P", parallel], &input).success();
        started.elapsed()
    };
    // Eight at once take one delay, not eight (3.2 s) ...
    let eight = timed("8");
    assert!(eight < Duration::from_millis(2000), "{eight:?}");
    // ... and two at a time take at least four.
    let two = timed("2");
    assert!(two >= Duration::from_millis(1600), "{two:?}");
    slow.assert_calls(16);
}

/// GETs of `path?n=N` that note when each came, answered after `delay`.
fn timed<'a>(
    server: &'a MockServer,
    arrivals: &Arrivals,
    path: &str,
    delay: u64,
) -> httpmock::Mock<'a> {
    let answer = arrivals.answer(200, json!({"ok": true}), &[]);
    server.mock(move |when, then| {
        when.method(GET).path(path.to_string());
        then.delay(Duration::from_millis(delay))
            .respond_with(answer);
    })
}

#[test]
fn rate_spaces_every_request_of_the_batch_across_its_threads() {
    let server = MockServer::start();
    token_endpoint(&server);
    let arrivals = Arrivals::default();
    let mock = timed(&server, &arrivals, "/objects", 0);
    let env = api_env(&server, "");
    let input: String = (0..5).map(|n| format!("GET /objects?n={n}\n")).collect();
    let out = batch(&env, &["-P", "4", "--rate", "5/s"], &input).success();
    assert_eq!(answers(&out).len(), 5);
    mock.assert_calls(5);
    // Five requests at 5 a second, four threads: 200 ms apart by oauthctl's clock, a little less
    // by the server's.
    let mut times: Vec<_> = arrivals.all().into_iter().map(|(_, at)| at).collect();
    times.sort();
    for pair in times.windows(2) {
        assert!(
            pair[1] - pair[0] >= Duration::from_millis(170),
            "requests {:?} apart: {:?}",
            pair[1] - pair[0],
            arrivals.all()
        );
    }

    // The profile's rate is the default, and --rate none lifts it.
    let env = api_env(&server, "rate = \"5/s\"");
    let before = arrivals.all().len();
    batch(&env, &["-P", "4"], &input).success();
    let mut times: Vec<_> = arrivals.all()[before..].iter().map(|(_, at)| *at).collect();
    times.sort();
    assert!(
        times[4] - times[0] >= Duration::from_millis(750),
        "{times:?}"
    );
    let before = arrivals.all().len();
    batch(&env, &["-P", "4", "--rate", "none"], &input).success();
    let mut times: Vec<_> = arrivals.all()[before..].iter().map(|(_, at)| *at).collect();
    times.sort();
    assert!(
        times[4] - times[0] < Duration::from_millis(750),
        "{times:?}"
    );
}

#[test]
fn a_429_with_retry_after_pauses_every_request_of_the_batch() {
    let server = MockServer::start();
    token_endpoint(&server);
    let arrivals = Arrivals::default();
    let limited = {
        let answer = arrivals.answer(
            429,
            json!({"_errors": [{"code": "API_I00035", "message": "Too many requests"}]}),
            &[("retry-after", "1")],
        );
        server.mock(move |when, then| {
            when.method(GET).path("/a");
            then.respond_with(answer).up_to_n_times(1);
        })
    };
    let a = timed(&server, &arrivals, "/a", 0);
    // /b holds the second thread for 300 ms; /c goes when it is free, but not before the pause
    // that /a's 429 asked for.
    let b = timed(&server, &arrivals, "/b", 300);
    let c = timed(&server, &arrivals, "/c", 0);
    let env = api_env(&server, "");
    let out = batch(&env, &["-P", "2"], "GET /a?n=a\nGET /b?n=b\nGET /c?n=c\n").success();
    let statuses: Vec<_> = answers(&out).iter().map(|a| a["status"].clone()).collect();
    assert_eq!(statuses, [json!(200), json!(200), json!(200)]);
    limited.assert_calls(1);
    a.assert_calls(1);
    b.assert_calls(1);
    c.assert_calls(1);
    let refused_at = arrivals.at("n=a");
    let c_at = arrivals.at("n=c");
    assert!(
        c_at - refused_at >= Duration::from_millis(950),
        "/c went {:?} after the 429: {:?}",
        c_at - refused_at,
        arrivals.all()
    );
}

#[test]
fn iot_lines_keep_to_the_providers_sixty_a_minute_and_other_lines_do_not_wait() {
    let server = MockServer::start();
    token_endpoint(&server);
    let arrivals = Arrivals::default();
    let devices = timed(&server, &arrivals, "/iot/pub/v1/device", 0);
    let rules = timed(&server, &arrivals, "/config/security/v1/security-rules", 0);
    let env = TestEnv::new(&format!(
        "[profiles.scm]\nprovider = \"scm\"\ntsg_id = 1234567890\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\ntoken_url = \"{}\"\napi_base = \"{}\"\n",
        server.url(TOKEN_PATH),
        server.base_url()
    ));
    let input = "GET /iot/pub/v1/device?n=d1\nGET /iot/pub/v1/device?n=d2\n\
                 GET /config/security/v1/security-rules?n=r1\nGET /config/security/v1/security-rules?n=r2\n";
    batch(&env, &["-P", "1"], input).success();
    devices.assert_calls(2);
    rules.assert_calls(2);
    // 60 a minute: the second device a second after the first; the rules are under no limit.
    let gap = arrivals.at("n=d2") - arrivals.at("n=d1");
    assert!(gap >= Duration::from_millis(900), "{gap:?}");
    let gap = arrivals.at("n=r2") - arrivals.at("n=r1");
    assert!(gap < Duration::from_millis(900), "{gap:?}");
}
