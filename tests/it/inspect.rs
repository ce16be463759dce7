//! `oauthctl inspect`: a token's header, claims and times, decoded on this machine.

use crate::common::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use predicates::prelude::*;

#[test]
fn inspect_decodes_a_jwt_with_times() {
    let now = unix_now();
    let token = jwt(
        serde_json::json!({"sub": "sa-1", "scope": "profile tsg_id:1", "iat": now - 60, "exp": now + 840}),
    );
    let env = TestEnv::new("");
    let out = env
        .cmd()
        .args(["inspect", "-"])
        .write_stdin(format!("{token}\n"))
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(json["type"], "jwt");
    assert_eq!(json["header"]["kid"], "k1");
    assert_eq!(json["claims"]["scope"], "profile tsg_id:1");
    assert_eq!(json["times"]["exp"]["unix"], now + 840);
    let exp = humantime::parse_rfc3339(json["times"]["exp"]["time"].as_str().unwrap()).unwrap();
    assert_eq!(
        exp.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(),
        now + 840
    );
    assert!(
        json["times"]["exp"]["relative"]
            .as_str()
            .unwrap()
            .starts_with("in 1"),
        "{json}"
    );
    assert!(
        json["times"]["iat"]["relative"]
            .as_str()
            .unwrap()
            .ends_with("ago"),
        "{json}"
    );
    assert_eq!(json["expired"], false);
}

#[test]
fn inspect_reports_opaque_tokens_and_rejects_garbage_clearly() {
    let env = TestEnv::new("");
    let out = env
        .cmd()
        .args(["inspect", "decc891e-4bee-3831-a321-38b1db1fece0"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(json["type"], "opaque");
    assert_eq!(json["length"], 36);
    env.cmd()
        .args(["inspect", "eyJhbGciOiJSUzI1NiJ9.!!!not-base64!!!.sig"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "oauthctl: the JWT's claims is not base64url",
        ))
        .stderr(predicate::str::contains("panicked").not());
    let not_json = format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode("{}"),
        URL_SAFE_NO_PAD.encode("not json")
    );
    env.cmd()
        .args(["inspect", &not_json])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the JWT's claims is not JSON"));
}

#[test]
fn inspect_reads_the_profile_cached_token_without_network() {
    let token = jwt(serde_json::json!({"sub": "sa-1", "exp": 4_102_444_800u64}));
    let (_server, env) = token_server(&token);
    env.cmd()
        .args(["inspect", "-p", "scm"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no cached token for profile scm"));
    env.cmd()
        .args(["token", "-p", "scm"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let out = env.cmd().args(["inspect", "-p", "scm"]).assert().success();
    assert!(
        stdout_of(&out).contains("\"time\": \"2100-01-01T00:00:00Z\""),
        "{}",
        stdout_of(&out)
    );
}
