//! The device flow (RFC 8628): `token` on a `grant = "device_code"` profile asks the device
//! authorization endpoint for a code, shows it on stderr, and polls the token endpoint until the
//! person has signed in, declined, or let the code expire. The servers are httpmock fixtures that
//! answer as §3.2 and §3.5 say; the person is played by the token endpoint's script of answers.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use serde_json::{Value, json};

const DEVICE_PATH: &str = "/oauth2/device_authorize";
const POLL_PATH: &str = "/oauth2/token";
/// RFC 8628 §3.2's example device code; it must never be shown.
const DEVICE_CODE: &str = "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS";
const USER_CODE: &str = "WDJB-MJHT";
const SCOPE: &str = "openid internal_user_mgt_view";
/// A poll's form, as RFC 8628 §3.4 has it; the client authenticates with HTTP Basic.
const POLL_BODY: &str = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS";

/// A device-flow profile `dev` against `server`, with `extra` keys.
fn device_env(server: &MockServer, extra: &str) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.dev]\ntoken_url = \"{}\"\ndevice_authorization_url = \"{}\"\ngrant = \"device_code\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\nscope = \"{SCOPE}\"\n{extra}\n",
        server.url(POLL_PATH),
        server.url(DEVICE_PATH),
    ))
}

/// The device authorization response of §3.2, with `interval` and `expires_in`.
fn authorization(server: &MockServer, interval: u64, expires_in: u64) -> Value {
    json!({
        "device_code": DEVICE_CODE,
        "user_code": USER_CODE,
        "verification_uri": server.url("/device"),
        "verification_uri_complete": server.url(format!("/device?user_code={USER_CODE}")),
        "expires_in": expires_in,
        "interval": interval
    })
}

/// The device authorization endpoint: it takes the client's Basic authentication and the scope,
/// and answers `body`.
fn device_endpoint(server: &MockServer, body: Value) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(POST)
            .path(DEVICE_PATH)
            .header("authorization", BASIC)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("scope={}", form_urlencoded(SCOPE)));
        then.status(200).json_body(body);
    })
}

/// An RFC 6749 §5.2 error, as the token endpoint answers a poll (RFC 8628 §3.5).
fn error(code: &str, description: &str) -> (u16, Value) {
    (
        400,
        json!({"error": code, "error_description": description}),
    )
}

fn token(expires_in: u64) -> (u16, Value) {
    (
        200,
        json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": expires_in}),
    )
}

/// The token endpoint's answers to the polls, in order (the last one repeats), and when each
/// poll arrived.
#[derive(Clone, Default)]
struct Polls(Arc<Mutex<Vec<Instant>>>);

impl Polls {
    /// A token endpoint at [`POLL_PATH`] that takes only a well-formed poll and answers `script`.
    fn serve<'a>(&self, server: &'a MockServer, script: Vec<(u16, Value)>) -> httpmock::Mock<'a> {
        let noted = self.0.clone();
        let answer = move |_: &HttpMockRequest| {
            let mut noted = noted.lock().unwrap();
            let (status, body) = &script[noted.len().min(script.len() - 1)];
            noted.push(Instant::now());
            HttpMockResponse::builder()
                .status(*status)
                .header("content-type", "application/json")
                .header("cache-control", "no-store")
                .body(body.to_string())
                .build()
        };
        server.mock(move |when, then| {
            when.method(POST)
                .path(POLL_PATH)
                .header("authorization", BASIC)
                .body(POLL_BODY);
            then.respond_with(answer);
        })
    }

    fn times(&self) -> Vec<Instant> {
        self.0.lock().unwrap().clone()
    }

    /// The time between each poll and the next.
    fn gaps(&self) -> Vec<Duration> {
        self.times().windows(2).map(|w| w[1] - w[0]).collect()
    }
}

/// The three lines that ask the person to sign in.
fn prompt(server: &MockServer, expires: &str) -> String {
    format!(
        "oauthctl: to sign in for profile dev, open {} and enter the code {USER_CODE}\n\
         oauthctl: or open {}, which enters the code for you\n\
         oauthctl: waiting for the sign-in; the code expires in {expires}\n",
        server.url("/device"),
        server.url(format!("/device?user_code={USER_CODE}")),
    )
}

/// Neither the device code nor the client secret (in any spelling) is in `text`.
fn assert_no_credentials(text: &str) {
    for needle in [
        DEVICE_CODE,
        SECRET,
        &form_urlencoded(SECRET),
        BASIC.trim_start_matches("Basic "),
    ] {
        assert!(!text.contains(needle), "{needle} in {text}");
    }
}

#[test]
fn login_signs_in_with_the_device_flow_polls_while_pending_and_caches_the_token() {
    let server = MockServer::start();
    let device = device_endpoint(&server, authorization(&server, 1, 300));
    let polls = Polls::default();
    let tokens = polls.serve(
        &server,
        vec![
            error("authorization_pending", "The user has not signed in yet"),
            error("authorization_pending", "The user has not signed in yet"),
            token(3600),
        ],
    );
    let env = device_env(&server, "");
    let started = Instant::now();
    let out = env
        .cmd()
        .args(["login", "-p", "dev"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("")
        .stderr(
            prompt(&server, "5m")
                + "oauthctl: signed in for profile dev; the access token is cached, for 1h\n",
        );
    device.assert_calls(1);
    tokens.assert_calls(3);
    // One interval before each poll, from the device authorization's answer on.
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    for gap in polls.gaps() {
        assert!(
            gap >= Duration::from_millis(950) && gap < Duration::from_secs(4),
            "{:?}",
            polls.gaps()
        );
    }
    assert_no_credentials(&stderr_of(&out));
    assert_no_credentials(&env.all_file_contents());

    // The token is cached as any grant's: no second sign-in.
    env.cmd()
        .args(["token", "-p", "dev"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr("");
    device.assert_calls(1);
    tokens.assert_calls(3);
}

#[test]
fn slow_down_adds_five_seconds_to_the_interval_for_every_later_poll() {
    let server = MockServer::start();
    device_endpoint(&server, authorization(&server, 1, 300));
    let polls = Polls::default();
    let tokens = polls.serve(
        &server,
        vec![
            error("authorization_pending", "not yet"),
            error("slow_down", "Polling too fast"),
            token(3600),
        ],
    );
    let env = device_env(&server, "");
    env.cmd()
        .args(["login", "-p", "dev", "-v"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("")
        .stderr(predicates::str::contains(
            "* the server asked to poll more slowly: every 6 s from now\n",
        ));
    tokens.assert_calls(3);
    let gaps = polls.gaps();
    // 1 s while pending, then 1 + 5 s after slow_down.
    assert!(gaps[0] < Duration::from_secs(3), "{gaps:?}");
    assert!(
        gaps[1] >= Duration::from_millis(5900) && gaps[1] < Duration::from_secs(9),
        "{gaps:?}"
    );
}

#[test]
fn access_denied_ends_the_sign_in_with_exit_3() {
    let server = MockServer::start();
    device_endpoint(&server, authorization(&server, 1, 300));
    let polls = Polls::default();
    let tokens = polls.serve(
        &server,
        vec![
            error("authorization_pending", "not yet"),
            error(
                "access_denied",
                "The end user denied the authorization request",
            ),
        ],
    );
    let env = device_env(&server, "");
    let out = env
        .cmd()
        .args(["login", "-p", "dev"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(prompt(&server, "5m") + &format!(
            "oauthctl: sign-in for profile dev was denied at {}: access_denied: The end user denied the authorization request\n\
             hint: whoever entered the code declined, or may not use this client; run the command again for a new code\n",
            server.address()
        ));
    tokens.assert_calls(2);
    assert_no_credentials(&stderr_of(&out));
    // Nothing was cached: the next run starts again.
    env.cmd()
        .args(["token", "--check", "-p", "dev"])
        .assert()
        .code(1);
}

#[test]
fn expired_token_from_the_server_ends_the_sign_in_with_exit_3() {
    let server = MockServer::start();
    device_endpoint(&server, authorization(&server, 1, 300));
    let polls = Polls::default();
    let tokens = polls.serve(
        &server,
        vec![error("expired_token", "The device_code has expired")],
    );
    let env = device_env(&server, "");
    env.cmd()
        .args(["login", "-p", "dev"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(prompt(&server, "5m") + &format!(
            "oauthctl: sign-in for profile dev did not finish in time: {} answered expired_token: The device_code has expired\n\
             hint: run the command again for a new code, and sign in before it expires\n",
            server.address()
        ));
    tokens.assert_calls(1);
}

#[test]
fn polling_stops_when_the_code_expires() {
    let server = MockServer::start();
    device_endpoint(&server, authorization(&server, 1, 3));
    let polls = Polls::default();
    let tokens = polls.serve(&server, vec![error("authorization_pending", "not yet")]);
    let env = device_env(&server, "");
    let started = Instant::now();
    env.cmd()
        .args(["login", "-p", "dev"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(prompt(&server, "3s")
            + "oauthctl: sign-in for profile dev did not finish in time: the code expired after 3s without a sign-in\n\
               hint: run the command again for a new code, and sign in before it expires\n");
    let took = started.elapsed();
    // Polls at 1 s and 2 s; the one at 3 s would find the code expired.
    tokens.assert_calls(2);
    assert!(
        took >= Duration::from_secs(3) && took < Duration::from_secs(6),
        "{took:?}"
    );
}

#[test]
fn a_refused_device_authorization_request_says_so_and_polls_nothing() {
    let server = MockServer::start();
    let device = server.mock(|when, then| {
        when.method(POST).path(DEVICE_PATH);
        then.status(401).json_body(
            json!({"error": "invalid_client", "error_description": "Client authentication failed"}),
        );
    });
    let tokens = Polls::default().serve(&server, vec![token(3600)]);
    let env = device_env(&server, "");
    env.cmd()
        .args(["login", "-p", "dev"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "oauthctl: device authorization request to {} failed: 401 invalid_client: Client authentication failed\n\
             hint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status -p dev`\n",
            server.address()
        ));
    device.assert_calls(1);
    tokens.assert_calls(0);
}

/// The user code and the URIs go to a terminal: escapes and other schemes are not shown.
#[test]
fn a_user_code_or_uri_that_could_drive_the_terminal_is_not_shown() {
    for (field, value, message) in [
        (
            "user_code",
            "WDJB\u{1b}]0;owned\u{7}",
            "a user_code that is not up to 64 visible ASCII characters",
        ),
        (
            "verification_uri",
            "file:///etc/passwd",
            "a verification_uri that is not an http(s) URL",
        ),
        (
            "verification_uri_complete",
            "https://example.com/\u{1b}[2J",
            "a verification_uri_complete that is not an http(s) URL",
        ),
    ] {
        let server = MockServer::start();
        let mut body = authorization(&server, 1, 300);
        body[field] = Value::from(value);
        device_endpoint(&server, body);
        let tokens = Polls::default().serve(&server, vec![token(3600)]);
        let env = device_env(&server, "");
        let out = env
            .cmd()
            .args(["login", "-p", "dev"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .code(1)
            .stdout("")
            .stderr(format!(
                "oauthctl: device authorization request to {} answered 200 with {message}, so it was not shown\n\
                 hint: this is for the authorization server's operator to fix\n",
                server.address()
            ));
        tokens.assert_calls(0);
        assert!(!stderr_of(&out).contains('\u{1b}'), "{field}");
    }
}

/// `-v` shows both requests and answers, with the device code and the secret redacted.
#[test]
fn verbose_redacts_the_device_code_and_the_secret() {
    let server = MockServer::start();
    device_endpoint(&server, authorization(&server, 1, 300));
    let tokens = Polls::default().serve(&server, vec![token(3600)]);
    let env = device_env(&server, "");
    let out = env
        .cmd()
        .args(["login", "-p", "dev", "-v"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("");
    tokens.assert_calls(1);
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains(&format!("> POST {}", server.url(DEVICE_PATH))),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "> grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=REDACTED"
        ),
        "{stderr}"
    );
    assert!(stderr.contains(r#""device_code":"REDACTED""#), "{stderr}");
    assert_no_credentials(&stderr);
    assert!(!stderr.contains(TOKEN), "{stderr}");
}

#[test]
fn a_device_code_profile_needs_a_device_authorization_url() {
    let env = TestEnv::new(&format!(
        "[profiles.dev]\ntoken_url = \"https://idp.example.com/token\"\ngrant = \"device_code\"\nclient_id = \"{CLIENT_ID}\"\n"
    ));
    env.cmd()
        .args(["token", "-p", "dev"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            "oauthctl: profile dev uses grant = \"device_code\" but has no device_authorization_url\n\
             hint: add device_authorization_url = \"https://...\" (the authorization server's device authorization endpoint, RFC 8628 §3.1) to [profiles.dev]\n",
        );
    env.write_profiles(&format!(
        "[profiles.dev]\ntoken_url = \"https://idp.example.com/token\"\ndevice_authorization_url = \"http://idp.example.com/device\"\ngrant = \"device_code\"\nclient_id = \"{CLIENT_ID}\"\n"
    ));
    env.cmd()
        .args(["token", "-p", "dev"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "device_authorization_url http://idp.example.com/device is not https",
        ));
}

#[test]
fn asgardeo_fills_the_device_authorization_url_from_the_org() {
    let env = TestEnv::new(
        "[profiles.asg]\nprovider = \"asgardeo\"\norg = \"myorg\"\nclient_id = \"c\"\ngrant = \"device_code\"\n",
    );
    env.cmd()
        .args(["profiles", "show", "-p", "asg"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "https://api.asgardeo.io/t/myorg/oauth2/device_authorize",
        ));
}

#[test]
fn without_a_terminal_token_asks_for_login_and_starts_no_device_flow() {
    let server = MockServer::start();
    let device = device_endpoint(&server, authorization(&server, 1, 300));
    let polls = Polls::default();
    let tokens = polls.serve(&server, vec![token(3600)]);
    let env = device_env(&server, "");
    env.cmd()
        .args(["token", "-p", "dev"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicates::str::contains("hint: run oauthctl login -p dev"));
    device.assert_calls(0);
    tokens.assert_calls(0);
}

#[test]
fn doctor_says_how_people_sign_in_and_whether_a_refresh_token_is_kept() {
    let server = MockServer::start();
    let env = device_env(&server, "refresh_token_store = \"file\"\n");
    let out = env
        .cmd()
        .args(["doctor", "-p", "dev"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let text = stdout_of(&out);
    assert!(
        text.contains(&format!(
            "✓ people sign in with a code from {} (device flow)",
            server.url("/oauth2/device_authorize")
        )),
        "{text}"
    );
    assert!(
        text.contains("✓ no refresh token is kept in file "),
        "{text}"
    );
}
