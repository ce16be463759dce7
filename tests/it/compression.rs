//! Compressed answers: what oauthctl asks for, how `call`, `--paginate` and `batch` decode what
//! comes, the opt-out, and the bounds that hold however far an answer decodes.

#[cfg(target_os = "linux")]
use crate::common::compress::gzip_bomb;
use crate::common::compress::{brotli, gzip, zstd};
use crate::common::*;
use httpmock::prelude::*;
use serde_json::json;

/// What oauthctl asks for: the encodings it decodes, in reqwest's order.
const ACCEPTED: &str = "zstd,gzip,br";

fn rules_json() -> String {
    // Pretty-printed, as some servers send it: the bytes must come out as they were.
    serde_json::to_string_pretty(&json!({
        "data": [{"name": "allow-dns", "folder": "Shared"}, {"name": "deny-all", "folder": "Shared"}],
        "limit": 200, "offset": 0, "total": 2
    }))
    .unwrap()
}

/// Runs `oauthctl` with the test's secret, as every command here needs.
fn oauthctl(env: &TestEnv, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd().args(args).env("SCM_SECRET", SECRET).assert()
}

#[test]
fn call_asks_for_compression_and_decodes_gzip_brotli_and_zstd() {
    let body = rules_json();
    for (encoding, encoded) in [
        ("gzip", gzip(body.as_bytes())),
        ("br", brotli(body.as_bytes())),
        ("zstd", zstd(body.as_bytes())),
    ] {
        assert_ne!(encoded, body.as_bytes());
        let server = MockServer::start();
        token_endpoint(&server);
        let api = server.mock(|when, then| {
            when.method(GET)
                .path("/rules")
                .header("accept-encoding", ACCEPTED);
            then.status(200)
                .header("content-type", "application/json")
                .header("content-encoding", encoding)
                .body(&encoded);
        });
        let env = api_env(&server, "");
        // Piped: the bytes as decoded, unchanged; --raw says the same.
        for extra in [&[][..], &["--raw"][..]] {
            let mut args = vec!["call", "GET", "/rules"];
            args.extend_from_slice(extra);
            oauthctl(&env, &args)
                .success()
                .stdout(body.clone())
                .stderr("");
        }
        // --pretty works on the decoded JSON.
        let pretty = stdout_of(&oauthctl(&env, &["call", "GET", "/rules", "--pretty"]).success());
        assert!(
            pretty.starts_with("{\n  \"data\": [\n"),
            "{encoding}: {pretty}"
        );
        api.assert_calls(3);
    }
}

#[test]
fn no_compressed_asks_for_none_and_writes_an_answer_as_it_came() {
    let body = rules_json();
    let encoded = gzip(body.as_bytes());
    let server = MockServer::start();
    token_endpoint(&server);
    let plain = server.mock(|when, then| {
        when.method(GET)
            .path("/rules")
            .header_missing("accept-encoding");
        // A server that compresses although it was not asked to.
        then.status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(&encoded);
    });
    let env = api_env(&server, "");
    oauthctl(&env, &["call", "GET", "/rules", "--no-compressed"])
        .success()
        .stdout(encoded.clone());
    // As with curl, the last of --compressed and --no-compressed counts.
    oauthctl(
        &env,
        &["call", "GET", "/rules", "--compressed", "--no-compressed"],
    )
    .success()
    .stdout(encoded.clone());
    plain.assert_calls(2);
    let asked = server.mock(|when, then| {
        when.method(GET)
            .path("/asked")
            .header("accept-encoding", ACCEPTED);
        then.status(200)
            .header("content-encoding", "gzip")
            .body(&encoded);
    });
    oauthctl(
        &env,
        &["call", "GET", "/asked", "--no-compressed", "--compressed"],
    )
    .success()
    .stdout(body);
    asked.assert_calls(1);
}

#[test]
fn an_accept_encoding_header_of_ones_own_is_sent_as_given() {
    let server = MockServer::start();
    token_endpoint(&server);
    let identity = server.mock(|when, then| {
        when.method(GET)
            .path("/rules")
            .header("accept-encoding", "identity");
        then.status(200).body("plain");
    });
    let env = api_env(&server, "");
    oauthctl(
        &env,
        &["call", "GET", "/rules", "-H", "Accept-Encoding: identity"],
    )
    .success()
    .stdout("plain");
    identity.assert_calls(1);
}

#[test]
fn paginate_decodes_each_page() {
    let server = MockServer::start();
    token_endpoint(&server);
    let rules: Vec<_> = (0..5)
        .map(|n| json!({"name": format!("rule-{n}")}))
        .collect();
    let mut pages = Vec::new();
    for offset in [0usize, 2, 4] {
        let page = json!({"data": rules[offset..(offset + 2).min(5)], "offset": offset, "limit": 2, "total": 5});
        let encoded = zstd(page.to_string().as_bytes());
        pages.push(server.mock(move |when, then| {
            when.method(GET)
                .path("/rules")
                .query_param("offset", offset.to_string())
                .header("accept-encoding", ACCEPTED);
            then.status(200)
                .header("content-type", "application/json")
                .header("content-encoding", "zstd")
                .body(&encoded);
        }));
    }
    let env = api_env(&server, "");
    let out = stdout_of(
        &oauthctl(
            &env,
            &[
                "call",
                "GET",
                "/rules",
                "-q",
                "limit=2",
                "--paginate",
                "--paging",
                "offset-limit",
                "--ndjson",
            ],
        )
        .success(),
    );
    let got: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got, rules);
    for page in pages {
        page.assert_calls(1);
    }
}

/// Peak resident memory of `cmd`'s oauthctl, in KiB, by GNU time; and its output.
#[cfg(target_os = "linux")]
fn peak_memory(env: &TestEnv, args: &[&str]) -> (u64, std::process::Output) {
    let rss_file = env.dir.path().join("max-rss-kb");
    let out = env
        .wrapped("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(oauthctl_bin())
        .args(args)
        .env("SCM_SECRET", SECRET)
        .output()
        .expect("GNU time (/usr/bin/time) runs");
    let kb = std::fs::read_to_string(&rss_file)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (kb, out)
}

// GNU time measures the peak (macOS has BSD's).
#[cfg(target_os = "linux")]
#[test]
fn a_decompression_bomb_page_is_refused_and_memory_stays_bounded() {
    // 3.4 MB that decode to 512 MiB: held whole, the page alone would take 512 MiB.
    let (bomb, decoded) = gzip_bomb(512 << 20);
    assert!(bomb.len() < 4 << 20);
    let server = MockServer::start();
    token_endpoint(&server);
    let page = server.mock(|when, then| {
        when.method(GET).path("/rules");
        then.status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(&bomb);
    });
    let env = api_env(&server, "");
    let (kb, out) = peak_memory(
        &env,
        &[
            "call",
            "GET",
            "/rules",
            "--paginate",
            "--paging",
            "offset-limit",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(out.stdout, b"[]\n");
    assert!(
        stderr.contains(&format!(
            "GET {}?offset=0&limit=5000 answered a page of more than 64 MiB (decoded), more than oauthctl holds in memory for one page",
            server.url("/rules")
        )),
        "{stderr}"
    );
    assert!(stderr.contains("hint: ask for smaller pages"), "{stderr}");
    eprintln!("peak memory {kb} KiB for a page of {decoded} bytes");
    assert!(kb < 200 << 10, "peak memory {kb} KiB");
    page.assert_calls(1);
}

#[test]
fn the_token_request_asks_for_no_compression_but_decodes_an_answer_that_has_it() {
    let server = MockServer::start();
    let answer = scm_token_response(TOKEN, 899).to_string();
    let tokens = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header("accept-encoding", "identity");
        then.status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(gzip(answer.as_bytes()));
    });
    let env = scm_env(&server, "");
    oauthctl(&env, &["token"])
        .success()
        .stdout(format!("{TOKEN}\n"));
    tokens.assert_calls(1);
}

// GNU time measures the peak (macOS has BSD's).
#[cfg(target_os = "linux")]
#[test]
fn a_token_answer_that_decodes_past_1_mib_is_refused() {
    let (bomb, _) = gzip_bomb(64 << 20);
    let server = MockServer::start();
    let tokens = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(&bomb);
    });
    let env = scm_env(&server, "");
    let (kb, out) = peak_memory(&env, &["token"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains(
            "answered 200 with more than 1 MiB, the most oauthctl reads of a token response"
        ),
        "{stderr}"
    );
    assert!(kb < 64 << 10, "peak memory {kb} KiB");
    tokens.assert_calls(1);
    // Nothing was cached.
    oauthctl(&env, &["token", "--check"]).code(1);
}

#[test]
fn batch_decodes_every_answer() {
    let body = rules_json();
    let server = MockServer::start();
    token_endpoint(&server);
    for (encoding, encoded) in [
        ("gzip", gzip(body.as_bytes())),
        ("br", brotli(body.as_bytes())),
        ("zstd", zstd(body.as_bytes())),
    ] {
        server.mock(|when, then| {
            when.method(GET)
                .path(format!("/{encoding}"))
                .header("accept-encoding", ACCEPTED);
            then.status(200)
                .header("content-type", "application/json")
                .header("content-encoding", encoding)
                .body(&encoded);
        });
    }
    let env = api_env(&server, "");
    let out = env
        .cmd()
        .args(["batch"])
        .env("SCM_SECRET", SECRET)
        .write_stdin("GET /gzip\nGET /br\nGET /zstd\n")
        .assert()
        .success();
    let want: serde_json::Value = serde_json::from_str(&body).unwrap();
    let lines: Vec<serde_json::Value> = stdout_of(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for line in lines {
        assert_eq!(line["body"], want, "{line}");
    }
}

// GNU time measures the peak (macOS has BSD's).
#[cfg(target_os = "linux")]
#[test]
fn a_decompression_bomb_in_a_batch_leaves_its_body_out_and_memory_bounded() {
    // 0.7 MB that decode to 100 MiB, answered to each of four requests in flight at once.
    let (bomb, _) = gzip_bomb(100 << 20);
    let server = MockServer::start();
    token_endpoint(&server);
    let bombs = server.mock(|when, then| {
        when.method(GET).path("/bomb");
        then.status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(&bomb);
    });
    server.mock(|when, then| {
        when.method(GET).path("/fine");
        then.status(200)
            .header("content-type", "application/json")
            .body("{\"fine\": true}");
    });
    let env = api_env(&server, "");
    let requests = env.dir.path().join("requests.txt");
    std::fs::write(
        &requests,
        "GET /bomb\nGET /bomb\nGET /fine\nGET /bomb\nGET /bomb\n",
    )
    .unwrap();
    let (kb, out) = peak_memory(&env, &["batch", "-P", "4", requests.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[2]["body"], json!({"fine": true}));
    let why = format!(
        "GET {} answered 200 with more than 16 MiB (decoded), more than batch holds for one line; the body is left out",
        server.url("/bomb")
    );
    for n in [0, 1, 3, 4] {
        assert_eq!(lines[n]["status"], 200);
        assert_eq!(lines[n]["body"], serde_json::Value::Null);
        assert_eq!(lines[n]["error"], why.as_str());
    }
    assert!(
        stderr.contains("hint: fetch it with oauthctl call -o FILE"),
        "{stderr}"
    );
    assert!(
        stderr.contains(": 5 2xx, 4 with a body over 16 MiB left out\n"),
        "{stderr}"
    );
    eprintln!("peak memory {kb} KiB");
    // Four bodies of 16 MiB at most, not four of 100.
    assert!(kb < 160 << 10, "peak memory {kb} KiB");
    bombs.assert_calls(4);
}

#[test]
fn an_empty_answer_that_names_an_encoding_is_empty() {
    // A HEAD, a 204 or a 304 says how the body would be encoded, and sends none.
    let server = MockServer::start();
    token_endpoint(&server);
    for (method, path, status) in [(httpmock::Method::HEAD, "/head", 200), (GET, "/none", 204)] {
        server.mock(|when, then| {
            when.method(method).path(path);
            then.status(status).header("content-encoding", "gzip");
        });
    }
    let env = api_env(&server, "");
    oauthctl(&env, &["call", "HEAD", "/head"])
        .success()
        .stdout("");
    oauthctl(&env, &["call", "GET", "/none"])
        .success()
        .stdout("");
    oauthctl(&env, &["call", "GET", "/none", "-i"])
        .success()
        .stdout(predicates::str::starts_with("HTTP/1.1 204 No Content\r\n"));
}

#[test]
fn an_answer_that_does_not_decode_is_an_error_that_says_so() {
    let mut broken = gzip(rules_json().as_bytes());
    broken.truncate(broken.len() / 2);
    let server = MockServer::start();
    token_endpoint(&server);
    server.mock(|when, then| {
        when.method(GET).path("/rules");
        then.status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(&broken);
    });
    let env = api_env(&server, "");
    let out = oauthctl(&env, &["call", "GET", "/rules", "--pretty"]).code(1);
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(&format!(
            "oauthctl: GET {} failed while reading the answer: ",
            server.url("/rules")
        )),
        "{stderr}"
    );
}
