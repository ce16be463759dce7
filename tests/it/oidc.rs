//! oauthctl against a certified OpenID Provider (oidc-provider, `tests/oidc/`): the client
//! credentials grant with each client authentication the provider knows, and the scripts that
//! play the user in the sign-in flows, proven by driving those flows by hand (the test stands in
//! for the client: its own loopback listener, PKCE, and token requests).
//!
//! Every test here runs node; see [`crate::common::oidc`].

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::oidc::*;
use crate::common::*;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// A profile `op` for `client_id` at the provider, the secret from `$SCM_SECRET`.
fn cc_env(op: &OidcProvider, client_id: &str, client_auth: &str) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.op]\ntoken_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{client_id}\"\nclient_auth = \"{client_auth}\"\nclient_secret_env = \"SCM_SECRET\"\n",
        op.token_url,
        op.api_base()
    ))
}

/// The grant.success events for `grant_type`.
fn grants(op: &OidcProvider, grant_type: &str) -> Vec<Value> {
    op.events_named("grant.success")
        .into_iter()
        .filter(|event| event["grant_type"] == grant_type)
        .collect()
}

/// `token`, then `call GET /whoami` with the cached token: both work, and the provider issued
/// one token, to `client_id`, which its API accepted.
fn client_credentials_token_and_call(client_id: &str, client_auth: &str) {
    let op = OidcProvider::start();
    let env = cc_env(&op, client_id, client_auth);
    let token = stdout_of(
        &env.cmd()
            .args(["token", "-p", "op"])
            .env("SCM_SECRET", CLIENT_SECRET)
            .assert()
            .success()
            .stderr(""),
    );
    let token = token.strip_suffix('\n').expect("one line");
    assert!(
        token.len() >= 32 && token.bytes().all(|b| b.is_ascii_graphic()),
        "{token:?}"
    );

    let answer = stdout_of(
        &env.cmd()
            .args(["call", "-p", "op", "GET", "/whoami"])
            .env("SCM_SECRET", CLIENT_SECRET)
            .assert()
            .success()
            .stderr(""),
    );
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["client_id"], client_id, "{answer}");
    assert_eq!(answer["sub"], Value::Null, "{answer}");

    let issued = grants(&op, "client_credentials");
    assert_eq!(issued.len(), 1, "{:?}", op.events());
    assert_eq!(issued[0]["client_id"], client_id);
    assert_eq!(op.events_named("api.accepted").len(), 1);
    // The token oauthctl printed is the one the API accepted: it is live at the provider.
    let whoami = http()
        .get(format!("{}/whoami", op.api_base()))
        .bearer_auth(token)
        .send()
        .unwrap();
    assert_eq!(whoami.status(), 200);
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn client_credentials_with_client_secret_basic_then_call() {
    client_credentials_token_and_call(BASIC_CLIENT, "basic");
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn client_credentials_with_client_secret_post_then_call() {
    client_credentials_token_and_call(POST_CLIENT, "post");
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn a_wrong_secret_is_refused_by_the_provider_with_exit_3() {
    let op = OidcProvider::start();
    for (client_id, client_auth) in [(BASIC_CLIENT, "basic"), (POST_CLIENT, "post")] {
        let env = cc_env(&op, client_id, client_auth);
        let assert = env
            .cmd()
            .args(["token", "-p", "op"])
            .env("SCM_SECRET", "not-the-secret")
            .assert()
            .code(3)
            .stdout("");
        let stderr = stderr_of(&assert);
        assert!(
            stderr.contains("401 invalid_client: client authentication failed"),
            "{stderr}"
        );
        // The API is never reached without a token.
        env.cmd()
            .args(["call", "-p", "op", "GET", "/whoami"])
            .env("SCM_SECRET", "not-the-secret")
            .assert()
            .code(3)
            .stdout("");
    }
    assert!(grants(&op, "client_credentials").is_empty());
    let refused = op.events_named("grant.error");
    assert!(!refused.is_empty());
    assert!(
        refused
            .iter()
            .all(|event| event["error"] == "invalid_client"),
        "{refused:?}"
    );
    assert!(
        op.events_named("request")
            .iter()
            .all(|r| r["path"] != "/api/whoami")
    );
}

/// A PKCE pair (RFC 7636 §4.1, §4.2: S256), different in every call.
fn pkce() -> (String, String) {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let seed = format!(
        "{:?}{}{}",
        std::time::SystemTime::now(),
        std::process::id(),
        COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let verifier = format!("{:x}", Sha256::digest(seed.as_bytes()));
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// A loopback listener standing in for oauthctl's: it answers the first request for `path` with a
/// small page and hands over its query as pairs. Requests for other paths get a 404.
struct Listener {
    redirect_uri: String,
    queries: mpsc::Receiver<Vec<(String, String)>>,
}

impl Listener {
    fn start(path: &str) -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let redirect_uri = format!(
            "http://127.0.0.1:{}{path}",
            listener.local_addr().unwrap().port()
        );
        let path = path.to_string();
        let (tx, queries) = mpsc::channel();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut line = String::new();
                let _ = reader.read_line(&mut line);
                // The rest of the head, up to the empty line.
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let target = line.split(' ').nth(1).unwrap_or("").to_string();
                let url = reqwest::Url::parse(&format!("http://127.0.0.1{target}")).unwrap();
                let (status, body) = if url.path() == path {
                    ("200 OK", "Signed in. You may close this tab.")
                } else {
                    ("404 Not Found", "")
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.flush();
                if url.path() == path {
                    let pairs = url.query_pairs().into_owned().collect();
                    let _ = tx.send(pairs);
                    return;
                }
            }
        });
        Listener {
            redirect_uri,
            queries,
        }
    }

    /// The query of the redirect, once the browser whose log is `log` requested it.
    fn query(&self, log: &std::path::Path) -> Vec<(String, String)> {
        self.queries
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| {
                panic!(
                    "the browser script did not reach the redirect URI within 30 s; its log:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                )
            })
    }
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The authorization URL for `client_id`, with PKCE and `state`.
fn authorization_url(
    op: &OidcProvider,
    client_id: &str,
    redirect_uri: &str,
    challenge: &str,
    state: &str,
) -> String {
    reqwest::Url::parse_with_params(
        &op.authorization_url,
        [
            ("response_type", "code"),
            ("client_id", client_id),
            ("redirect_uri", redirect_uri),
            ("scope", "openid"),
            ("state", state),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .unwrap()
    .to_string()
}

/// Runs the `$BROWSER` script on `url` as the webbrowser crate does (the URL its one argument),
/// with `env`; it must return at once. Its log is `log`.
fn run_browser(url: &str, log: &std::path::Path, env: &[(&str, &str)]) {
    let started = Instant::now();
    let status = Command::new(browser_script())
        .arg(url)
        .env("OIDC_BROWSER_LOG", log)
        .env_remove("OIDC_BROWSER_FOREGROUND")
        .envs(env.iter().copied())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the browser script returns at once, as a graphical browser does"
    );
}

/// The browser's log once it says it is done (or after 20 s).
fn browser_log(log: &std::path::Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.contains("browser: done") || Instant::now() > deadline {
            return text;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A POST to the token endpoint: the status and the JSON answer. `basic` authenticates the
/// client with HTTP Basic (RFC 6749 §2.3.1: both halves form-urlencoded).
fn token_request(
    op: &OidcProvider,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = http().post(&op.token_url).form(form);
    if let Some((id, secret)) = basic {
        request = request.header(
            "authorization",
            format!(
                "Basic {}",
                basic_credentials(&form_urlencoded(id), &form_urlencoded(secret))
            ),
        );
    }
    let response = request.send().unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap())
}

/// The tiny API's answer to `token`.
fn whoami(op: &OidcProvider, token: &str) -> (u16, Value) {
    let response = http()
        .get(format!("{}/whoami", op.api_base()))
        .bearer_auth(token)
        .send()
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().unwrap())
}

/// The whole authorization code flow by hand for the public client: listener, browser script in
/// the background, state and issuer checked, code exchanged with the verifier. The token answer.
fn sign_in_by_hand(op: &OidcProvider) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("browser.log");
    let listener = Listener::start(REDIRECT_PATHS[1]);
    let (verifier, challenge) = pkce();
    let state = format!("st-{}", &verifier[..12]);
    let url = authorization_url(
        op,
        PUBLIC_CLIENT,
        &listener.redirect_uri,
        &challenge,
        &state,
    );
    run_browser(&url, &log, &[]);

    let query = listener.query(&log);
    assert_eq!(
        param(&query, "state"),
        Some(state.as_str()),
        "{query:?}; the provider said: {}",
        op.stderr()
    );
    // RFC 9207: the provider names itself in the redirect.
    assert_eq!(param(&query, "iss"), Some(op.issuer.as_str()), "{query:?}");
    let code = param(&query, "code").expect("a code").to_string();
    let log_text = browser_log(&log);
    assert!(log_text.ends_with("browser: done\n"), "{log_text}");
    assert!(
        !log_text.contains(&code),
        "the browser log shows no code: {log_text}"
    );

    let (status, body) = token_request(
        op,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC_CLIENT),
            ("code", &code),
            ("redirect_uri", &listener.redirect_uri),
            ("code_verifier", &verifier),
        ],
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer", "{body}");
    assert!(body["refresh_token"].is_string(), "{body}");
    body
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn browser_script_walks_the_code_flow_to_the_loopback_listener() {
    let op = OidcProvider::start();
    let tokens = sign_in_by_hand(&op);
    let (status, me) = whoami(&op, tokens["access_token"].as_str().unwrap());
    assert_eq!(status, 200, "{me}");
    assert_eq!(me["sub"], USER);
    assert_eq!(me["client_id"], PUBLIC_CLIENT);
    assert_eq!(op.events_named("authorization.success").len(), 1);
    assert_eq!(grants(&op, "authorization_code").len(), 1);
    // The login and consent pages were each shown and answered once.
    let posts = op
        .events_named("request")
        .into_iter()
        .filter(|r| {
            r["method"] == "POST" && r["path"].as_str().unwrap().starts_with("/interaction/")
        })
        .count();
    assert_eq!(posts, 2, "{:?}", op.events());
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn without_pkce_the_provider_refuses_the_public_client() {
    let op = OidcProvider::start();
    let dir = tempfile::tempdir().unwrap();
    let listener = Listener::start(REDIRECT_PATHS[1]);
    let url = reqwest::Url::parse_with_params(
        &op.authorization_url,
        [
            ("response_type", "code"),
            ("client_id", PUBLIC_CLIENT),
            ("redirect_uri", listener.redirect_uri.as_str()),
            ("scope", "openid"),
            ("state", "s1"),
        ],
    )
    .unwrap();
    run_browser(url.as_str(), &dir.path().join("log"), &[]);
    let query = listener.query(&dir.path().join("log"));
    assert_eq!(param(&query, "error"), Some("invalid_request"), "{query:?}");
    assert_eq!(param(&query, "state"), Some("s1"));
    assert_eq!(param(&query, "code"), None);
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn browser_script_denies_consent_and_the_listener_gets_access_denied() {
    let op = OidcProvider::start();
    let dir = tempfile::tempdir().unwrap();
    let listener = Listener::start(REDIRECT_PATHS[0]);
    let (_, challenge) = pkce();
    let url = authorization_url(&op, PUBLIC_CLIENT, &listener.redirect_uri, &challenge, "s2");
    run_browser(&url, &dir.path().join("log"), &[("OIDC_CONSENT", "deny")]);
    let query = listener.query(&dir.path().join("log"));
    assert_eq!(param(&query, "error"), Some("access_denied"), "{query:?}");
    assert_eq!(param(&query, "state"), Some("s2"));
    assert_eq!(param(&query, "code"), None);
    assert!(grants(&op, "authorization_code").is_empty());
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn a_confidential_client_signs_in_with_client_secret_basic() {
    let op = OidcProvider::start();
    let dir = tempfile::tempdir().unwrap();
    let listener = Listener::start(REDIRECT_PATHS[1]);
    let (verifier, challenge) = pkce();
    let url = authorization_url(&op, BASIC_CLIENT, &listener.redirect_uri, &challenge, "s3");
    run_browser(&url, &dir.path().join("log"), &[("OIDC_USER", "bob")]);
    let query = listener.query(&dir.path().join("log"));
    let code = param(&query, "code").expect("a code");
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", listener.redirect_uri.as_str()),
        ("code_verifier", verifier.as_str()),
    ];
    // Without the secret, the confidential client gets nothing, and the code is not spent.
    let (status, body) = token_request(
        &op,
        None,
        &[&form[..], &[("client_id", BASIC_CLIENT)]].concat(),
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
    let (status, body) = token_request(&op, Some((BASIC_CLIENT, CLIENT_SECRET)), &form);
    assert_eq!(status, 200, "{body}");
    let (_, me) = whoami(&op, body["access_token"].as_str().unwrap());
    assert_eq!(
        (me["sub"].as_str(), me["client_id"].as_str()),
        (Some("bob"), Some(BASIC_CLIENT))
    );
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn refresh_tokens_rotate_and_a_reused_one_revokes_the_grant() {
    let op = OidcProvider::start();
    let first = sign_in_by_hand(&op);
    let refresh = |token: &str| {
        token_request(
            &op,
            None,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", PUBLIC_CLIENT),
                ("refresh_token", token),
            ],
        )
    };
    let old = first["refresh_token"].as_str().unwrap();
    let (status, second) = refresh(old);
    assert_eq!(status, 200, "{second}");
    let new = second["refresh_token"].as_str().unwrap();
    assert_ne!(new, old, "rotated");
    assert_eq!(whoami(&op, second["access_token"].as_str().unwrap()).0, 200);

    // The rotated-out token is refused, and its reuse revokes the grant: the new one too.
    let (status, body) = refresh(old);
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    let (status, body) = refresh(new);
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    assert_eq!(whoami(&op, second["access_token"].as_str().unwrap()).0, 401);
    assert_eq!(grants(&op, "refresh_token").len(), 1);
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn revocation_ends_a_refresh_token_and_the_provider_records_it() {
    let op = OidcProvider::start();
    let tokens = sign_in_by_hand(&op);
    let refresh_token = tokens["refresh_token"].as_str().unwrap();
    let response = http()
        .post(&op.revocation_url)
        .form(&[
            ("token", refresh_token),
            ("token_type_hint", "refresh_token"),
            ("client_id", PUBLIC_CLIENT),
        ])
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    let revoked = op.events_named("revocation.success");
    assert_eq!(revoked.len(), 1, "{:?}", op.events());
    assert_eq!(revoked[0]["token_type"], "RefreshToken");
    assert_eq!(revoked[0]["client_id"], PUBLIC_CLIENT);
    let (status, body) = token_request(
        &op,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", PUBLIC_CLIENT),
            ("refresh_token", refresh_token),
        ],
    );
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
}

/// A device authorization request for the public client: the answer.
fn device_authorization(op: &OidcProvider) -> Value {
    let response = http()
        .post(&op.device_authorization_url)
        .form(&[("client_id", PUBLIC_CLIENT), ("scope", "openid")])
        .send()
        .unwrap();
    assert_eq!(response.status(), 200);
    response.json().unwrap()
}

fn poll(op: &OidcProvider, device_code: &str) -> (u16, Value) {
    token_request(
        op,
        None,
        &[
            ("grant_type", DEVICE_GRANT),
            ("client_id", PUBLIC_CLIENT),
            ("device_code", device_code),
        ],
    )
}

/// Runs the device approver with `args` and `env`; its stderr.
fn approve(args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new(device_approver())
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn device_approver_approves_from_the_complete_uri() {
    let op = OidcProvider::start_with(&[("OIDC_DEVICE_INTERVAL", "1")]);
    let device = device_authorization(&op);
    assert_eq!(device["interval"], 1, "{device}");
    let device_code = device["device_code"].as_str().unwrap();
    let (status, body) = poll(&op, device_code);
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("authorization_pending")),
        "{body}"
    );

    let stderr = approve(
        &[device["verification_uri_complete"].as_str().unwrap()],
        &[],
    );
    assert!(stderr.ends_with("approve-device: done\n"), "{stderr}");

    let (status, tokens) = poll(&op, device_code);
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["refresh_token"].is_string(), "{tokens}");
    let (_, me) = whoami(&op, tokens["access_token"].as_str().unwrap());
    assert_eq!(
        (me["sub"].as_str(), me["client_id"].as_str()),
        (Some(USER), Some(PUBLIC_CLIENT))
    );
    // A device code is good for one exchange.
    let (status, body) = poll(&op, device_code);
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    assert_eq!(grants(&op, DEVICE_GRANT).len(), 1);
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn device_approver_denies_from_the_uri_and_user_code() {
    let op = OidcProvider::start();
    let device = device_authorization(&op);
    assert_eq!(
        device["interval"],
        Value::Null,
        "RFC 8628's default of 5 s unless asked"
    );
    let stderr = approve(
        &[
            device["verification_uri"].as_str().unwrap(),
            device["user_code"].as_str().unwrap(),
        ],
        &[("OIDC_CONSENT", "deny")],
    );
    assert!(
        stderr.ends_with("approve-device: done: denied\n"),
        "{stderr}"
    );
    let (status, body) = poll(&op, device["device_code"].as_str().unwrap());
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("access_denied")),
        "{body}"
    );
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn a_device_code_past_its_ttl_gives_expired_token() {
    let op = OidcProvider::start_with(&[("OIDC_TTL_DEVICE_CODE", "1")]);
    let device = device_authorization(&op);
    assert_eq!(device["expires_in"], 1, "{device}");
    std::thread::sleep(Duration::from_millis(2100));
    let (status, body) = poll(&op, device["device_code"].as_str().unwrap());
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("expired_token")),
        "{body}"
    );
}

/// A profile `op` that signs a person in through the provider's public client, keeping the
/// refresh token in a file (no keyring here).
fn sign_in_env(op: &OidcProvider) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.op]\ngrant = \"authorization_code\"\ntoken_url = \"{}\"\nauthorization_url = \"{}\"\nrevocation_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{PUBLIC_CLIENT}\"\nclient_auth = \"none\"\nscope = \"openid\"\nrefresh_token_store = \"file\"\n",
        op.token_url,
        op.authorization_url,
        op.revocation_url,
        op.api_base()
    ))
}

/// The refresh token oauthctl keeps in the cache folder, by its file.
fn kept_refresh_token(env: &TestEnv) -> Option<String> {
    files_under(&env.cache_dir())
        .into_keys()
        .find(|p| p.to_string_lossy().ends_with(".refresh"))
        .map(|p| std::fs::read_to_string(p).unwrap())
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn oauthctl_signs_a_person_in_refreshes_and_logs_out_at_a_certified_provider() {
    let op = OidcProvider::start();
    let env = sign_in_env(&op);
    let log = env.dir.path().join("browser.log");

    // login: the browser script signs alice in; oauthctl's listener gets the code (with `iss`).
    let out = env
        .cmd()
        .args(["login", "-p", "op"])
        .env("BROWSER", browser_script())
        .env("OIDC_BROWSER_LOG", &log)
        .env_remove("OIDC_BROWSER_FOREGROUND")
        .assert()
        .success();
    assert_eq!(stdout_of(&out), "");
    let said = stderr_of(&out);
    assert!(
        said.starts_with("oauthctl: signing in for profile op at ")
            && said.contains("oauthctl: signed in for profile op; the access token is cached")
            && !said.contains("warning"),
        "{said}"
    );
    assert_eq!(
        grants(&op, "authorization_code").len(),
        1,
        "{:?}",
        op.events()
    );
    let first_refresh = kept_refresh_token(&env).expect("a refresh token is kept");

    // The access token from the cache serves the API as alice; no token request, no browser.
    let answer = stdout_of(
        &env.cmd()
            .args(["call", "-p", "op", "/whoami"])
            .assert()
            .success()
            .stderr(""),
    );
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["sub"], USER, "{answer}");
    assert_eq!(answer["client_id"], PUBLIC_CLIENT, "{answer}");

    // --refresh uses the refresh token, not a new sign-in (no terminal here, so none could
    // start); the provider rotates it and oauthctl keeps the new one.
    env.cmd()
        .args(["token", "-p", "op", "--refresh"])
        .assert()
        .success();
    assert_eq!(grants(&op, "refresh_token").len(), 1, "{:?}", op.events());
    assert_eq!(grants(&op, "authorization_code").len(), 1);
    let second_refresh = kept_refresh_token(&env).expect("the rotated refresh token is kept");
    assert_ne!(
        first_refresh, second_refresh,
        "the rotated refresh token replaced the old one"
    );

    // logout: both tokens revoked at the provider, nothing kept.
    env.cmd().args(["logout", "-p", "op"]).assert().success();
    let revoked: Vec<Value> = op.events_named("revocation.success");
    let kinds: Vec<&str> = revoked
        .iter()
        .filter_map(|e| e["token_type"].as_str())
        .collect();
    assert!(kinds.contains(&"RefreshToken"), "{revoked:?}");
    assert_eq!(kept_refresh_token(&env), None);
    // The revoked refresh token is dead at the provider too.
    let refused = http()
        .post(&op.token_url)
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", second_refresh.as_str()),
            ("client_id", PUBLIC_CLIENT),
        ])
        .send()
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    assert_eq!(refused.json::<Value>().unwrap()["error"], "invalid_grant");

    // Signed out and no terminal: exit 3 with the hint, and no browser.
    env.cmd()
        .args(["token", "-p", "op"])
        .env("BROWSER", "/bin/false")
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicates::str::contains("hint: run oauthctl login -p op"));
    // Nothing oauthctl wrote holds the codes or refresh tokens of this run.
    for (path, bytes) in files_under(&env.cache_dir()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&first_refresh), "{}", path.display());
        assert!(!text.contains(&second_refresh), "{}", path.display());
    }
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn oauthctl_signs_a_person_in_with_the_device_flow_at_a_certified_provider() {
    let op = OidcProvider::start_with(&[("OIDC_DEVICE_INTERVAL", "1")]);
    let env = TestEnv::new(&format!(
        "[profiles.op]\ngrant = \"device_code\"\ntoken_url = \"{}\"\ndevice_authorization_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{PUBLIC_CLIENT}\"\nclient_auth = \"none\"\nscope = \"openid\"\nrefresh_token_store = \"file\"\n",
        op.token_url,
        op.device_authorization_url,
        op.api_base()
    ));
    let mut login = env
        .std_cmd()
        .args(["login", "-p", "op"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // oauthctl shows where to go; the approver plays the person on another device.
    let mut shown = String::new();
    let mut lines = BufReader::new(login.stderr.take().unwrap()).lines();
    let complete = loop {
        let line = lines
            .next()
            .expect("oauthctl ended before showing a URL")
            .unwrap();
        shown.push_str(&line);
        shown.push('\n');
        if let Some(rest) = line.strip_prefix("oauthctl: or open ") {
            break rest
                .strip_suffix(", which enters the code for you")
                .expect("the URL line")
                .to_string();
        }
    };
    assert!(complete.starts_with(&op.issuer), "{shown}");
    approve(&[&complete], &[]);
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    let status = login.wait().unwrap();
    assert!(status.success(), "{shown}{}", rest.join("\n"));
    assert!(
        rest.iter().any(
            |l| l.starts_with("oauthctl: signed in for profile op; the access token is cached")
        ),
        "{rest:?}"
    );
    assert_eq!(grants(&op, DEVICE_GRANT).len(), 1, "{:?}", op.events());

    // The cached token serves the API as alice, and a refresh token was kept.
    let answer = stdout_of(
        &env.cmd()
            .args(["call", "-p", "op", "/whoami"])
            .assert()
            .success()
            .stderr(""),
    );
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["sub"], USER, "{answer}");
    assert!(kept_refresh_token(&env).is_some());
}

/// The DPoP client (`dpop_bound_access_tokens`, nonces required at the token endpoint; the test
/// API requires its own nonce in the proofs of DPoP-bound tokens).
const DPOP_CLIENT: &str = "oauthctl-dpop";

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn dpop_token_is_bound_to_the_key_and_call_proves_it_to_the_api() {
    let op = OidcProvider::start();
    let env = TestEnv::new(&format!(
        "[profiles.op]\ntoken_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{DPOP_CLIENT}\"\nclient_secret_env = \"SCM_SECRET\"\ndpop = true\ndpop_key_store = \"file\"\n",
        op.token_url,
        op.api_base()
    ));
    let out = env
        .cmd()
        .args(["token", "-p", "op", "--format", "json"])
        .env("SCM_SECRET", CLIENT_SECRET)
        .assert()
        .success();
    let answer: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(answer["token_type"], "DPoP", "{answer}");
    assert!(
        stderr_of(&out).contains("is DPoP-bound"),
        "{}",
        stderr_of(&out)
    );

    // The provider asked for its nonce once, then bound the token to oauthctl's key.
    let refused = op.events_named("grant.error");
    assert_eq!(refused.len(), 1, "{:?}", op.events());
    assert_eq!(refused[0]["error"], "use_dpop_nonce");
    assert_eq!(grants(&op, "client_credentials").len(), 1);
    let bound = op.events_named("grant.dpop");
    assert_eq!(bound.len(), 1, "{:?}", op.events());
    assert_eq!(bound[0]["token_type"], "DPoP");
    let cached = files_under(&env.cache_dir())
        .into_iter()
        .find(|(path, _)| path.extension().is_some_and(|e| e == "json"))
        .expect("a cache entry");
    let entry: Value = serde_json::from_slice(&cached.1).unwrap();
    assert_eq!(
        entry["jkt"], bound[0]["jkt"],
        "the cache keeps the token's cnf.jkt"
    );

    // The introspection endpoint says the same: cnf.jkt, token_type DPoP.
    let token = answer["access_token"].as_str().unwrap();
    let introspected: Value = http()
        .post(&op.introspection_url)
        .header(
            "authorization",
            format!(
                "Basic {}",
                basic_credentials(DPOP_CLIENT, &form_urlencoded(CLIENT_SECRET))
            ),
        )
        .form(&[("token", token)])
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(introspected["active"], true, "{introspected}");
    assert_eq!(
        introspected["cnf"]["jkt"], bound[0]["jkt"],
        "{introspected}"
    );

    // The API verifies the proof (signature, htm, htu, ath, iat, jti, its nonce, the key's
    // thumbprint against the token's): one nonce challenge, then accepted.
    let answer = stdout_of(
        &env.cmd()
            .args(["call", "-p", "op", "GET", "/whoami"])
            .env("SCM_SECRET", CLIENT_SECRET)
            .assert()
            .success()
            .stderr(""),
    );
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["client_id"], DPOP_CLIENT, "{answer}");
    assert_eq!(
        op.events_named("api.dpop_nonce").len(),
        1,
        "{:?}",
        op.events()
    );
    let accepted = op.events_named("api.accepted");
    assert_eq!(accepted.len(), 1, "{:?}", op.events());
    assert_eq!(accepted[0]["token_type"], "DPoP");
    assert_eq!(accepted[0]["jkt"], bound[0]["jkt"]);
    assert!(
        op.events_named("api.refused").is_empty(),
        "{:?}",
        op.events()
    );

    // The same token as a bearer token, as curl would send it, is refused.
    let status = http()
        .get(format!("{}/whoami", op.api_base()))
        .bearer_auth(token)
        .send()
        .unwrap()
        .status();
    assert_eq!(status, 401);
}
