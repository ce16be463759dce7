//! `oauthctl doctor`: each check's verdict and its fix, and what `--network` says of the token
//! endpoint.

use crate::common::tls::{Pki, TlsFront};
use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

#[test]
fn doctor_on_a_broken_file_and_a_good_one() {
    let env = TestEnv::new("[profiles.scm]\nclient_id = \"a\ntsg_id = 1\n");
    env.cmd()
        .arg("doctor")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("✗ "))
        .stdout(predicate::str::contains("TOML parse error at line 2"))
        .stdout(predicate::str::contains("  fix: "));

    let server = MockServer::start();
    let probe = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header_missing("authorization")
            .form_urlencoded_tuple("grant_type", "urn:oauthctl:doctor:invalid-grant")
            .body_excludes("s3cr");
        then.status(400)
            .json_body(serde_json::json!({"error": "unsupported_grant_type"}));
    });
    env.write_profiles(&generic_profile("scm", &server.url(TOKEN_PATH), ""));
    let out = env
        .cmd()
        .args(["doctor", "--network"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let text = stdout_of(&out);
    assert_eq!(text.matches("✓ ").count(), 5, "{text}");
    // The endpoint is plain http on loopback: not "over TLS".
    assert!(
        text.contains("answers over plain http on loopback, not TLS (400 unsupported_grant_type"),
        "{text}"
    );
    assert!(!text.contains(SECRET));
    probe.assert_calls(1);
    // Without a secret anywhere, the secret line fails with its fix.
    env.cmd()
        .arg("doctor")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ no client secret for"))
        .stdout(predicate::str::contains(
            "fix: `oauthctl secret set -p scm`",
        ));
}

#[test]
fn doctor_network_says_tls_only_when_it_is_tls() {
    let server = MockServer::start();
    let probe = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(400)
            .json_body(serde_json::json!({"error": "unsupported_grant_type"}));
    });
    let env = TestEnv::new(&generic_profile("scm", &server.url(TOKEN_PATH), ""));
    let out = env
        .cmd()
        .args(["doctor", "--network"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let text = stdout_of(&out);
    assert!(
        text.contains(&format!(
            "✓ token endpoint 127.0.0.1:{} answers over plain http on loopback, not TLS (400 unsupported_grant_type, as expected for an invalid grant)\n",
            server.address().port()
        )),
        "{text}"
    );
    assert!(!text.contains("over TLS"), "{text}");
    probe.assert_calls(1);

    // Over https it is TLS, and doctor says so.
    const HOST: &str = "auth.example.com";
    let pki = Pki::new();
    let front = TlsFront::start(&pki, &pki.issue(&[HOST], false), false, server.port());
    std::fs::write(env.dir.path().join("ca.pem"), &pki.ca_pem).unwrap();
    env.write_profiles(&generic_profile(
        "scm",
        &format!("https://{HOST}/oauth2/access_token"),
        "ca_file = \"ca.pem\"\n",
    ));
    let out = env
        .cmd()
        .args(["doctor", "--network"])
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_RESOLVE", front.resolve(HOST))
        .assert()
        .success();
    let text = stdout_of(&out);
    assert!(
        text.contains(&format!(
            "✓ token endpoint {HOST} answers over TLS (400 unsupported_grant_type, as expected for an invalid grant)\n"
        )),
        "{text}"
    );
    probe.assert_calls(2);
}
