//! DPoP (RFC 9449), `dpop = true`: what the token endpoint and the API receive (a proof per
//! request, its header and claims, signed by the key in its header), the nonce challenges of both
//! answered once, a DPoP-bound token sent as `DPoP` and never as `Bearer`, the binding kept in the
//! cache, where the key is kept, and what `token` and `exec` do with such a token. Against a
//! certified provider that verifies the proofs itself: `oidc.rs`'s DPoP tests.

use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use jsonwebtoken::jwk::{Jwk, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::*;

const DPOP_TOKEN: &str = "dpop-bound-access-token-7f3a9c";
const TOKEN_NONCE: &str = "token-nonce-1";
const API_NONCE: &str = "api-nonce-1";

/// One request a mock server received: its method, and the two headers DPoP is about.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub authorization: Option<String>,
    pub proof: Option<String>,
}

/// The requests a server received, in order.
#[derive(Clone, Default)]
pub struct Received(Arc<Mutex<Vec<Seen>>>);

impl Received {
    pub fn note(&self, request: &HttpMockRequest) -> Seen {
        let headers = request.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        };
        let seen = Seen {
            method: request.method().to_string(),
            authorization: header("authorization"),
            proof: header("dpop"),
        };
        self.0.lock().unwrap().push(seen.clone());
        seen
    }

    pub fn all(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }
}

/// A proof's claims and its key's thumbprint, once its signature is verified with the `jwk` of
/// its header.
pub struct Proof {
    pub claims: Value,
    pub jkt: String,
}

/// Verifies `proof` as a server must (RFC 9449 §4.3): a JWT of `typ` `dpop+jwt` and `alg` ES256,
/// signed by the public key in its header, which holds no private part.
pub fn verified(proof: &str) -> Proof {
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(proof.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["typ"], "dpop+jwt", "{header}");
    assert_eq!(header["alg"], "ES256", "{header}");
    assert_eq!(header["jwk"]["kty"], "EC", "{header}");
    assert_eq!(header["jwk"]["crv"], "P-256", "{header}");
    assert!(
        header["jwk"].get("d").is_none(),
        "a private key in {header}"
    );
    let jwk: Jwk = serde_json::from_value(header["jwk"].clone()).unwrap();
    let mut validation = Validation::new(Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    let claims =
        jsonwebtoken::decode::<Value>(proof, &DecodingKey::from_jwk(&jwk).unwrap(), &validation)
            .unwrap_or_else(|err| panic!("the proof's signature does not verify: {err}"))
            .claims;
    Proof {
        claims,
        jkt: jwk.thumbprint(ThumbprintHash::SHA256),
    }
}

fn ath(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

fn json_response(status: u16, body: Value, headers: &[(&str, &str)]) -> HttpMockResponse {
    let mut response = HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json");
    for (name, value) in headers {
        response = response.header(*name, *value);
    }
    response.body(body.to_string()).build()
}

/// A token endpoint that wants its nonce in the proof (a 400 `use_dpop_nonce` until it is there),
/// then issues a DPoP-bound token.
fn dpop_token_endpoint<'a>(server: &'a MockServer, received: &Received) -> httpmock::Mock<'a> {
    let received = received.clone();
    server.mock(move |when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.respond_with(move |request: &HttpMockRequest| {
            let seen = received.note(request);
            let nonce = seen
                .proof
                .as_deref()
                .map(|p| verified(p).claims["nonce"].clone());
            if nonce != Some(json!(TOKEN_NONCE)) {
                return json_response(
                    400,
                    json!({"error": "use_dpop_nonce", "error_description": "Authorization server requires nonce in DPoP proof"}),
                    &[("DPoP-Nonce", TOKEN_NONCE)],
                );
            }
            json_response(
                200,
                json!({"access_token": DPOP_TOKEN, "token_type": "DPoP", "expires_in": 900}),
                &[],
            )
        });
    })
}

/// An API at `path` that wants its nonce in the proof (a 401 `use_dpop_nonce` until it is there),
/// then answers `{"ok": true}`.
fn dpop_api<'a>(server: &'a MockServer, path: &str, received: &Received) -> httpmock::Mock<'a> {
    let received = received.clone();
    let path = path.to_string();
    server.mock(move |when, then| {
        when.path(path);
        then.respond_with(move |request: &HttpMockRequest| {
            let seen = received.note(request);
            let nonce = seen
                .proof
                .as_deref()
                .map(|p| verified(p).claims["nonce"].clone());
            if nonce != Some(json!(API_NONCE)) {
                return json_response(
                    401,
                    json!({"error": "use_dpop_nonce"}),
                    &[
                        (
                            "WWW-Authenticate",
                            r#"DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof""#,
                        ),
                        ("DPoP-Nonce", API_NONCE),
                    ],
                );
            }
            json_response(200, json!({"ok": true}), &[])
        });
    })
}

/// A profile `scm` for `server` with DPoP, its key in a file of the cache folder.
fn dpop_env(server: &MockServer) -> TestEnv {
    api_env(server, "dpop = true\ndpop_key_store = \"file\"\n")
}

/// The key file in the cache folder, as kept (base64 of the PKCS#8 private key).
pub fn key_file(env: &TestEnv) -> std::path::PathBuf {
    let files: Vec<_> = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dpop-key"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

fn assert_recent(claims: &Value) {
    let iat = claims["iat"].as_u64().expect("iat is a number");
    assert!(iat.abs_diff(unix_now()) <= 60, "iat {iat} is not now");
}

#[test]
fn token_and_api_requests_carry_proofs_and_each_nonce_challenge_is_answered_once() {
    let server = MockServer::start();
    let at_token = Received::default();
    let at_api = Received::default();
    let tokens = dpop_token_endpoint(&server, &at_token);
    let api = dpop_api(&server, "/api/items", &at_api);
    let env = dpop_env(&server);

    let out = env
        .cmd()
        .args(["call", "-p", "scm", "GET", "/api/items?limit=5#frag"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stderr("");
    assert_eq!(stdout_of(&out), "{\"ok\":true}");

    // The token endpoint: a proof without a nonce, refused with one, then a proof with it.
    tokens.assert_calls(2);
    let token_requests = at_token.all();
    let first = verified(token_requests[0].proof.as_deref().expect("a proof"));
    let second = verified(token_requests[1].proof.as_deref().expect("a proof"));
    for proof in [&first, &second] {
        assert_eq!(proof.claims["htm"], "POST");
        assert_eq!(proof.claims["htu"], server.url(TOKEN_PATH));
        assert!(proof.claims.get("ath").is_none(), "{}", proof.claims);
        assert_recent(&proof.claims);
    }
    assert!(first.claims.get("nonce").is_none(), "{}", first.claims);
    assert_eq!(second.claims["nonce"], TOKEN_NONCE);

    // The API: `Authorization: DPoP`, a proof for GET at the URL without query and fragment,
    // the token's hash, and the origin's latest nonce (the token endpoint's, on this one origin);
    // refused for its own nonce once, then sent with it.
    api.assert_calls(2);
    let api_requests = at_api.all();
    let mut proofs = vec![first, second];
    for (n, request) in api_requests.iter().enumerate() {
        assert_eq!(request.method, "GET");
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("DPoP {DPOP_TOKEN}").as_str())
        );
        let proof = verified(request.proof.as_deref().expect("a proof"));
        assert_eq!(proof.claims["htm"], "GET");
        assert_eq!(proof.claims["htu"], server.url("/api/items"));
        assert_eq!(proof.claims["ath"], ath(DPOP_TOKEN));
        assert_recent(&proof.claims);
        let nonce = proof.claims.get("nonce").cloned();
        let expected = if n == 0 { TOKEN_NONCE } else { API_NONCE };
        assert_eq!(nonce, Some(json!(expected)));
        proofs.push(proof);
    }
    // One key signs them all, each proof is new.
    assert!(proofs.iter().all(|p| p.jkt == proofs[0].jkt));
    let mut jtis: Vec<String> = proofs
        .iter()
        .map(|p| p.claims["jti"].as_str().expect("a jti").to_string())
        .collect();
    assert!(jtis.iter().all(|j| j.len() >= 16), "{jtis:?}");
    jtis.sort();
    jtis.dedup();
    assert_eq!(jtis.len(), 4);

    // The cache keeps the binding, never a proof.
    let cached = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a cache entry");
    let entry: Value = serde_json::from_slice(&std::fs::read(cached).unwrap()).unwrap();
    assert_eq!(entry["jkt"], proofs[0].jkt.as_str());
    assert_eq!(entry["response"]["token_type"], "DPoP");
    for request in token_requests.iter().chain(&api_requests) {
        let proof = request.proof.as_deref().unwrap();
        assert!(!env.all_file_contents().contains(proof));
    }

    // A second process: the cached token and the same key, the API's nonce asked for anew (nonces
    // are kept for one process), and no token request.
    env.cmd()
        .args(["call", "-p", "scm", "/api/items"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    tokens.assert_calls(2);
    api.assert_calls(4);
    let last = verified(at_api.all()[3].proof.as_deref().unwrap());
    assert_eq!(last.jkt, proofs[0].jkt);
}

#[test]
fn batch_sends_a_proof_of_its_own_with_each_request() {
    let server = MockServer::start();
    let at_token = Received::default();
    let at_api = Received::default();
    let _tokens = dpop_token_endpoint(&server, &at_token);
    let api = dpop_api(&server, "/api/items", &at_api);
    let env = dpop_env(&server);
    let input: String = (0..4).map(|n| format!("GET /api/items?n={n}\n")).collect();
    env.cmd()
        .args(["batch", "-P", "2"])
        .env("SCM_SECRET", SECRET)
        .write_stdin(input)
        .assert()
        .success();
    // The first answered nonce serves the requests after it: at most one challenge per thread
    // that was already in flight.
    let seen = at_api.all();
    assert!((5..=6).contains(&seen.len()), "{seen:?}");
    api.assert_calls(seen.len());
    let mut jtis = Vec::new();
    for request in &seen {
        assert_eq!(
            request.authorization.as_deref(),
            Some(format!("DPoP {DPOP_TOKEN}").as_str())
        );
        let proof = verified(request.proof.as_deref().unwrap());
        assert_eq!(proof.claims["htu"], server.url("/api/items"));
        assert_eq!(proof.claims["ath"], ath(DPOP_TOKEN));
        jtis.push(proof.claims["jti"].to_string());
    }
    jtis.sort();
    jtis.dedup();
    assert_eq!(jtis.len(), seen.len());
}

#[test]
fn a_token_endpoint_that_keeps_asking_for_a_nonce_is_answered_once() {
    let server = MockServer::start();
    let received = Received::default();
    let recorder = received.clone();
    let tokens = server.mock(move |when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.respond_with(move |request: &HttpMockRequest| {
            let n = recorder.all().len();
            recorder.note(request);
            let nonce = format!("nonce-{n}");
            json_response(
                400,
                json!({"error": "use_dpop_nonce"}),
                &[("DPoP-Nonce", nonce.as_str())],
            )
        });
    });
    let env = dpop_env(&server);
    let out = env
        .cmd()
        .args(["token", "-p", "scm"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("");
    assert!(
        stderr_of(&out).contains("use_dpop_nonce"),
        "{}",
        stderr_of(&out)
    );
    tokens.assert_calls(2);
    let second = verified(received.all()[1].proof.as_deref().unwrap());
    assert_eq!(second.claims["nonce"], "nonce-0");
}

#[test]
fn a_token_bound_to_a_replaced_key_is_not_used_and_a_dpop_token_never_goes_as_bearer() {
    let server = MockServer::start();
    let at_token = Received::default();
    let at_api = Received::default();
    let tokens = dpop_token_endpoint(&server, &at_token);
    let _api = dpop_api(&server, "/api/items", &at_api);
    let env = dpop_env(&server);
    let call = || {
        env.cmd()
            .args(["call", "-p", "scm", "/api/items"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success();
    };
    call();
    tokens.assert_calls(2);
    let old = verified(at_token.all()[1].proof.as_deref().unwrap()).jkt;
    // The key is replaced: the cached token, bound to the old one, is not sent.
    std::fs::remove_file(key_file(&env)).unwrap();
    call();
    tokens.assert_calls(4);
    let new = verified(at_token.all()[3].proof.as_deref().unwrap()).jkt;
    assert_ne!(old, new);
    let last = at_api.all().last().unwrap().clone();
    assert_eq!(verified(last.proof.as_deref().unwrap()).jkt, new);
    assert!(
        at_api
            .all()
            .iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("DPoP {DPOP_TOKEN}"))),
        "{:?}",
        at_api.all()
    );

    // The same client without dpop: its own cache entry, a bearer token, no proof.
    let bearer = MockServer::start();
    let plain_tokens = token_endpoint(&bearer);
    let plain = bearer.mock(|when, then| {
        when.path("/api/items")
            .header("authorization", format!("Bearer {TOKEN}"))
            .header_missing("dpop");
        then.status(200).body("{}");
    });
    let plain_env = api_env(&bearer, "");
    plain_env
        .cmd()
        .args(["call", "-p", "scm", "/api/items"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    plain_tokens.assert_calls(1);
    plain.assert_calls(1);
}

#[test]
fn token_prints_a_dpop_token_with_a_warning_and_exec_refuses_it() {
    let server = MockServer::start();
    let received = Received::default();
    let _tokens = dpop_token_endpoint(&server, &received);
    let env = dpop_env(&server);
    let out = env
        .cmd()
        .args(["token", "-p", "scm", "--format", "header"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("Authorization: DPoP {DPOP_TOKEN}\n"));
    let err = stderr_of(&out);
    assert!(
        err.starts_with("oauthctl: warning: the token of profile scm is DPoP-bound")
            && err.contains("oauthctl call and batch"),
        "{err}"
    );
    let out = env
        .cmd()
        .args(["exec", "-p", "scm", "--", "sh", "-c", "echo ran"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(2)
        .stdout("");
    let err = stderr_of(&out);
    assert!(
        err.contains("DPoP-bound") && err.contains("oauthctl call"),
        "{err}"
    );
    assert!(!err.contains(DPOP_TOKEN));
}

// Only there is the keyring (the Secret Service) out of reach in a test.
#[cfg(target_os = "linux")]
#[test]
fn without_a_keyring_the_key_is_not_made_and_the_error_says_what_to_do() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let env = api_env(&server, "dpop = true\n");
    let out = env
        .cmd()
        .args(["call", "-p", "scm", "/api/items"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(3)
        .stdout("");
    let err = stderr_of(&out);
    assert!(
        err.contains("cannot keep the DPoP key of profile scm")
            && err.contains("dpop_key_store = \"file\""),
        "{err}"
    );
    tokens.assert_calls(0);
}

#[test]
fn dpop_key_store_without_dpop_is_refused() {
    let server = MockServer::start();
    let tokens = token_endpoint(&server);
    let env = api_env(&server, "dpop_key_store = \"file\"\n");
    let out = env
        .cmd()
        .args(["token", "-p", "scm"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("");
    assert!(
        stderr_of(&out).contains("hint: set dpop = true, or remove dpop_key_store"),
        "{}",
        stderr_of(&out)
    );
    tokens.assert_calls(0);
}

#[test]
#[ignore = "needs a real Secret Service"]
fn the_key_is_kept_in_the_keyring_by_default_and_used_again() {
    let server = MockServer::start();
    let at_token = Received::default();
    let at_api = Received::default();
    let tokens = dpop_token_endpoint(&server, &at_token);
    let _api = dpop_api(&server, "/api/items", &at_api);
    let env = TestEnv::with_keyring(&generic_profile(
        "scm",
        &server.url(TOKEN_PATH),
        &format!("api_base = \"{}\"\ndpop = true\n", server.base_url()),
    ));
    for _ in 0..2 {
        env.cmd()
            .args(["call", "-p", "scm", "/api/items"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success()
            .stderr("");
    }
    tokens.assert_calls(2);
    let jkts: Vec<String> = at_api
        .all()
        .iter()
        .map(|r| verified(r.proof.as_deref().unwrap()).jkt)
        .collect();
    assert!(
        jkts.len() == 4 && jkts.iter().all(|j| *j == jkts[0]),
        "{jkts:?}"
    );
    // Nothing of the key in the cache folder.
    let files = files_under(&env.cache_dir());
    assert!(
        files
            .keys()
            .all(|p| p.extension().is_none_or(|e| e != "dpop-key")),
        "{files:?}"
    );
}

/// A request sent again for the token endpoint's nonce carries a new client assertion: its `jti`
/// may not come twice (RFC 7523 §3).
#[test]
fn a_request_sent_again_for_a_nonce_signs_a_new_client_assertion() {
    let server = MockServer::start();
    let bodies: Arc<Mutex<Vec<String>>> = Arc::default();
    let noted = bodies.clone();
    let tokens = server.mock(move |when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.respond_with(move |request: &HttpMockRequest| {
            let mut bodies = noted.lock().unwrap();
            bodies.push(request.body_string());
            if bodies.len() == 1 {
                json_response(
                    400,
                    json!({"error": "use_dpop_nonce"}),
                    &[("DPoP-Nonce", TOKEN_NONCE)],
                )
            } else {
                json_response(
                    200,
                    json!({"access_token": DPOP_TOKEN, "token_type": "DPoP", "expires_in": 900}),
                    &[],
                )
            }
        });
    });
    let env = api_env(
        &server,
        &format!(
            "dpop = true\ndpop_key_store = \"file\"\nclient_auth = \"private_key_jwt\"\nclient_key = '{}'\n",
            crate::client_assertion::test_key("rsa.pem").display()
        ),
    );
    env.cmd()
        .args(["token", "-p", "scm"])
        .assert()
        .success()
        .stdout(format!("{DPOP_TOKEN}\n"));
    tokens.assert_calls(2);
    let jtis: Vec<String> = bodies
        .lock()
        .unwrap()
        .iter()
        .map(|body| {
            let assertion = url::form_urlencoded::parse(body.as_bytes())
                .find(|(k, _)| k == "client_assertion")
                .map(|(_, v)| v.into_owned())
                .expect("a client assertion");
            let claims = assertion.split('.').nth(1).unwrap();
            let claims: Value =
                serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap();
            claims["jti"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(jtis.len(), 2);
    assert_ne!(jtis[0], jtis[1], "the assertion was sent twice");
}
