//! `client_auth = "private_key_jwt"` and `"client_secret_jwt"` (RFC 7523 §2.2, OpenID Connect
//! Core §9): what the token endpoint receives (the assertion's header and claims, a fresh `jti`
//! each time, no secret), where the private key comes from (`client_key`, the keyring through
//! `secret set --key-file`), what oauthctl refuses before sending anything, and a certified
//! OpenID Provider verifying each algorithm and refusing a wrong key.
//!
//! The keys are the throwaway test keys in tests/oidc/keys/ (see its README).

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::oidc::*;
use crate::common::*;

const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// A throwaway test key or certificate in tests/oidc/keys/.
pub fn test_key(name: &str) -> PathBuf {
    oidc_dir().join("keys").join(name)
}

/// The form fields of a request body.
fn fields(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

fn field(body: &str, name: &str) -> Option<String> {
    fields(body)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// A JWT's header and claims, decoded (not verified).
fn decode(jwt: &str) -> (Value, Value) {
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3, "{jwt}");
    let part = |i: usize| -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[i]).unwrap()).unwrap()
    };
    (part(0), part(1))
}

/// One request's headers and body.
type Request = (Vec<(String, String)>, String);

/// The token requests a mock token endpoint received: each one's headers and body.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<Request>>>);

impl Received {
    /// A responder that notes the request and issues [`TOKEN`].
    fn issue(&self) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
        let noted = self.0.clone();
        move |request: &HttpMockRequest| {
            let headers = request
                .headers()
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                .collect();
            let body = String::from_utf8_lossy(request.body().as_ref()).into_owned();
            noted.lock().unwrap().push((headers, body));
            HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(scm_token_response(TOKEN, 899).to_string())
                .build()
        }
    }

    fn bodies(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| b.clone())
            .collect()
    }

    fn headers(&self, index: usize) -> Vec<(String, String)> {
        self.0.lock().unwrap()[index].0.clone()
    }
}

/// A mock token endpoint that notes what it receives, and a profile `jwt` for it with `keys`.
fn assertion_env(keys: &str) -> (MockServer, Received, TestEnv) {
    let server = MockServer::start();
    let received = Received::default();
    let answer = received.issue();
    server.mock(move |when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.respond_with(answer);
    });
    let env = TestEnv::new(&format!(
        "[profiles.jwt]\ntoken_url = \"{}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\n{keys}",
        server.url(TOKEN_PATH)
    ));
    (server, received, env)
}

/// `token --no-cache` prints the token and nothing on stderr.
fn fetch(env: &TestEnv) {
    env.cmd()
        .args(["token", "-p", "jwt", "--no-cache"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr("");
}

/// The assertion of a token request, checked for what every one holds: the form's fields (the
/// grant's, `client_id`, the assertion type; never a secret), no Authorization header, `iss` =
/// `sub` = the client id, `exp` five minutes after an `iat` of now. Returns its header and claims.
fn check_request(received: &Received, index: usize) -> (Value, Value, String) {
    let body = &received.bodies()[index];
    let names: Vec<String> = fields(body).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "grant_type",
            "scope",
            "client_id",
            "client_assertion_type",
            "client_assertion"
        ],
        "{body}"
    );
    assert_eq!(field(body, "grant_type").unwrap(), "client_credentials");
    assert_eq!(field(body, "client_id").unwrap(), CLIENT_ID);
    assert_eq!(field(body, "client_assertion_type").unwrap(), JWT_BEARER);
    assert!(!body.contains(&form_urlencoded(SECRET)), "{body}");
    assert!(
        received
            .headers(index)
            .iter()
            .all(|(k, _)| !k.eq_ignore_ascii_case("authorization")),
        "{:?}",
        received.headers(index)
    );
    let assertion = field(body, "client_assertion").unwrap();
    let (header, claims) = decode(&assertion);
    assert_eq!(header["typ"], "JWT", "{header}");
    assert_eq!(claims["iss"], CLIENT_ID, "{claims}");
    assert_eq!(claims["sub"], CLIENT_ID, "{claims}");
    let (iat, exp) = (
        claims["iat"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert!(iat.abs_diff(unix_now()) <= 60, "{claims}");
    assert_eq!(exp - iat, 300, "{claims}");
    let jti = claims["jti"].as_str().unwrap();
    assert_eq!(jti.len(), 32, "{claims}");
    (header, claims, assertion)
}

#[test]
fn private_key_jwt_sends_a_fresh_assertion_for_the_token_endpoint_signed_with_client_key() {
    let (server, received, env) = assertion_env(&format!(
        "client_auth = \"private_key_jwt\"\nclient_key = '{}'\nclient_key_id = \"test-2024\"\n",
        test_key("rsa.pem").display()
    ));
    fetch(&env);
    fetch(&env);
    assert_eq!(received.bodies().len(), 2);
    let (header, claims, first) = check_request(&received, 0);
    assert_eq!(header["alg"], "RS256", "{header}");
    assert_eq!(header["kid"], "test-2024", "{header}");
    assert!(header.get("x5t#S256").is_none(), "{header}");
    assert_eq!(claims["aud"], server.url(TOKEN_PATH), "{claims}");
    let (_, claims2, second) = check_request(&received, 1);
    assert_ne!(claims["jti"], claims2["jti"], "a jti is never sent twice");
    assert_ne!(first, second);
    // The assertion verifies with the key's public half.
    let public = std::fs::read(test_key("rsa.pub.pem")).unwrap();
    let key = jsonwebtoken::DecodingKey::from_rsa_pem(&public).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    validation.set_audience(&[server.url(TOKEN_PATH)]);
    jsonwebtoken::decode::<Value>(&first, &key, &validation).expect("a valid RS256 signature");
}

/// `x5t#S256` of a PEM certificate, computed here from its DER.
fn thumbprint_of(pem_file: &str) -> String {
    let pem = std::fs::read_to_string(test_key(pem_file)).unwrap();
    let b64: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<Vec<_>>()
        .concat();
    URL_SAFE_NO_PAD.encode(Sha256::digest(STANDARD.decode(b64).unwrap()))
}

#[test]
fn private_key_jwt_names_its_certificate_by_x5t_s256_and_takes_the_alg_and_audience_given() {
    let issuer = "https://sso.example.test/realms/ops";
    let (_server, received, env) = assertion_env(&format!(
        "client_auth = \"private_key_jwt\"\nclient_key = '{}'\nclient_cert = '{}'\nclient_assertion_alg = \"PS256\"\nclient_assertion_audience = \"{issuer}\"\n",
        test_key("rsa.pem").display(),
        test_key("rsa-cert.pem").display()
    ));
    fetch(&env);
    let (header, claims, _) = check_request(&received, 0);
    assert_eq!(header["alg"], "PS256", "{header}");
    assert_eq!(
        header["x5t#S256"],
        thumbprint_of("rsa-cert.pem"),
        "{header}"
    );
    assert!(header.get("kid").is_none(), "{header}");
    // As written: no slash added to the issuer.
    assert_eq!(claims["aud"], issuer, "{claims}");
}

#[test]
fn the_audience_issuer_is_the_profiles_issuer_as_written() {
    let issuer = "https://sso.example.test/realms/ops";
    let (_server, received, env) = assertion_env(&format!(
        "client_auth = \"private_key_jwt\"\nclient_key = '{}'\nissuer = \"{issuer}\"\nclient_assertion_audience = \"issuer\"\n",
        test_key("rsa.pem").display(),
    ));
    fetch(&env);
    let (_, claims, _) = check_request(&received, 0);
    assert_eq!(claims["aud"], issuer, "{claims}");
}

#[test]
fn an_ec_key_signs_es256_by_default() {
    let (_server, received, env) = assertion_env(&format!(
        "client_auth = \"private_key_jwt\"\nclient_key = '{}'\n",
        test_key("ec.pem").display()
    ));
    fetch(&env);
    let (header, _, _) = check_request(&received, 0);
    assert_eq!(header["alg"], "ES256", "{header}");
}

#[test]
fn client_secret_jwt_signs_hs256_with_the_secret_and_never_sends_it() {
    let (server, received, env) = assertion_env(
        "client_auth = \"client_secret_jwt\"\nclient_secret_env = \"SCM_SECRET\"\nclient_key_id = \"s1\"\n",
    );
    fetch(&env);
    let (header, claims, assertion) = check_request(&received, 0);
    assert_eq!(header["alg"], "HS256", "{header}");
    assert_eq!(header["kid"], "s1", "{header}");
    assert_eq!(claims["aud"], server.url(TOKEN_PATH));
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    validation.set_audience(&[server.url(TOKEN_PATH)]);
    jsonwebtoken::decode::<Value>(
        &assertion,
        &jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()),
        &validation,
    )
    .expect("signed with the client secret");
    assert!(!received.bodies()[0].contains(&form_urlencoded(SECRET)));
}

#[test]
fn token_v_shows_the_assertion_as_redacted() {
    let (_server, received, env) = assertion_env(&format!(
        "client_auth = \"private_key_jwt\"\nclient_key = '{}'\n",
        test_key("ec.pem").display()
    ));
    let assert = env
        .cmd()
        .args(["token", "-p", "jwt", "-v"])
        .assert()
        .success();
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("client_assertion=REDACTED"), "{stderr}");
    let assertion = field(&received.bodies()[0], "client_assertion").unwrap();
    let signature = assertion.rsplit('.').next().unwrap();
    assert!(!stderr.contains(signature), "{stderr}");
    assert!(!stderr.contains(&assertion[..40]), "{stderr}");
}

#[test]
fn what_cannot_sign_is_refused_before_anything_is_sent() {
    let dir = tempfile::tempdir().unwrap();
    let sec1 = dir.path().join("sec1.pem");
    std::fs::write(
        &sec1,
        "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY-----\n",
    )
    .unwrap();
    let cases = [
        (
            format!(
                "client_auth = \"private_key_jwt\"\nclient_key = '{}'\nclient_assertion_alg = \"ES256\"\n",
                test_key("rsa.pem").display()
            ),
            "client_assertion_alg = \"ES256\" does not sign with an RSA key",
        ),
        (
            format!(
                "client_auth = \"private_key_jwt\"\nclient_key = '{}'\n",
                sec1.display()
            ),
            "openssl pkcs8 -topk8 -nocrypt",
        ),
        (
            format!(
                "client_auth = \"private_key_jwt\"\nclient_key = '{}'\n",
                test_key("rsa-cert.pem").display()
            ),
            "give the private key (the certificate goes in client_cert)",
        ),
        (
            "client_auth = \"private_key_jwt\"\nclient_key = \"/nonexistent/key.pem\"\n".into(),
            // On Windows a path without a drive is on the profile file's drive.
            if cfg!(windows) {
                "client_key: cannot read "
            } else {
                "client_key: cannot read /nonexistent/key.pem"
            },
        ),
        (
            "client_auth = \"client_secret_jwt\"\nclient_secret_env = \"SCM_SECRET\"\nclient_assertion_alg = \"RS256\"\n".into(),
            "client_assertion_alg = \"RS256\" is not one client_auth = \"client_secret_jwt\" signs with",
        ),
        (
            "client_secret_env = \"SCM_SECRET\"\nclient_key_id = \"k\"\n".into(),
            "client_key_id is for a client that signs assertions, and client_auth is \"basic\"",
        ),
        (
            "client_auth = \"private_key_jwt\"\nclient_assertion_audience = \"issuer\"\n".into(),
            "client_assertion_audience = \"issuer\" and the profile names no issuer",
        ),
    ];
    for (keys, message) in cases {
        let (_server, received, env) = assertion_env(&keys);
        let assert = env
            .cmd()
            .args(["token", "-p", "jwt"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .code(1)
            .stdout("");
        let stderr = stderr_of(&assert);
        assert!(stderr.contains(message), "{keys}: {stderr}");
        assert!(!stderr.contains("MHcCAQEEIB"), "{stderr}");
        assert!(received.bodies().is_empty(), "{keys}: nothing is sent");
    }
}

#[test]
fn secret_set_key_file_refuses_what_is_not_a_private_key_and_stores_nothing() {
    let (_server, _received, env) = assertion_env("client_auth = \"private_key_jwt\"\n");
    let assert = env
        .cmd()
        .args(["secret", "set", "-p", "jwt", "--key-file"])
        .arg(test_key("rsa-cert.pem"))
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("nothing was stored"), "{stderr}");
    assert!(stderr.contains("rsa-cert.pem"), "{stderr}");
    // A profile with a client_key file has nothing for the keyring.
    let (_server, _received, env) = assertion_env(&format!(
        "client_auth = \"private_key_jwt\"\nclient_key = '{}'\n",
        test_key("rsa.pem").display()
    ));
    let assert = env
        .cmd()
        .args(["secret", "set", "-p", "jwt", "--key-file"])
        .arg(test_key("ec.pem"))
        .assert()
        .code(1);
    let stderr = stderr_of(&assert);
    assert!(
        stderr.contains("reads its private key from the client_key file"),
        "{stderr}"
    );
    // And --key-file is for private_key_jwt only.
    let (_server, _received, env) = assertion_env("client_secret_env = \"SCM_SECRET\"\n");
    let assert = env
        .cmd()
        .args(["secret", "set", "-p", "jwt", "--key-file"])
        .arg(test_key("ec.pem"))
        .assert()
        .code(1);
    assert!(
        stderr_of(&assert).contains("--key-file is for client_auth = \"private_key_jwt\""),
        "{}",
        stderr_of(&assert)
    );
}

#[test]
#[ignore = "needs a real Secret Service"]
fn secret_set_key_file_keeps_the_private_key_in_the_keyring() {
    let server = MockServer::start();
    let received = Received::default();
    let answer = received.issue();
    server.mock(move |when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.respond_with(answer);
    });
    // A client id of this test's own, so that its keyring entry is no other test's.
    let client_id = format!("pkjwt-keyring-{}", std::process::id());
    let env = TestEnv::with_keyring(&format!(
        "[profiles.jwt]\ntoken_url = \"{}\"\nclient_id = \"{client_id}\"\nclient_auth = \"private_key_jwt\"\n",
        server.url(TOKEN_PATH)
    ));
    // Before: no key, and the error says how to store one.
    let assert = env
        .cmd()
        .args(["token", "-p", "jwt"])
        .assert()
        .code(1)
        .stdout("");
    assert!(
        stderr_of(&assert).contains("--key-file key.pem"),
        "{}",
        stderr_of(&assert)
    );

    // Imported from a copy, which is then deleted.
    let copy = env.dir.path().join("key.pem");
    std::fs::copy(test_key("ec.pem"), &copy).unwrap();
    let assert = env
        .cmd()
        .args(["secret", "set", "-p", "jwt", "--key-file"])
        .arg(&copy)
        .assert()
        .success()
        .stdout("");
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("holds an EC private key"), "{stderr}");
    assert!(stderr.contains("stored the client private key"), "{stderr}");
    std::fs::remove_file(&copy).unwrap();
    env.cmd()
        .args(["secret", "status", "-p", "jwt"])
        .assert()
        .success()
        .stdout(predicates::str::contains("holds a client private key"));
    env.cmd()
        .args(["token", "-p", "jwt", "--no-cache"])
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    let (header, _) = decode(&field(&received.bodies()[0], "client_assertion").unwrap());
    assert_eq!(header["alg"], "ES256");

    // Replaced from stdin (`--key-file -`): now the RSA key signs.
    env.cmd()
        .args(["secret", "set", "-p", "jwt", "--key-file", "-"])
        .pipe_stdin(test_key("rsa.pem"))
        .unwrap()
        .assert()
        .success();
    env.cmd()
        .args(["token", "-p", "jwt", "--no-cache"])
        .assert()
        .success();
    let (header, _) = decode(&field(&received.bodies()[1], "client_assertion").unwrap());
    assert_eq!(header["alg"], "RS256");

    env.cmd()
        .args(["secret", "delete", "-p", "jwt"])
        .assert()
        .success()
        .stderr(predicates::str::contains("removed the client private key"));
    env.cmd()
        .args(["token", "-p", "jwt", "--no-cache"])
        .assert()
        .code(1);
    assert_eq!(received.bodies().len(), 2);
    // The key never reached the profile file, stdout or the cache.
    let key_line = std::fs::read_to_string(test_key("rsa.pem"))
        .unwrap()
        .lines()
        .nth(2)
        .unwrap()
        .to_string();
    assert!(!env.all_file_contents().contains(&key_line));
}

// Against the certified OpenID Provider.

/// A profile `op` for `client_id` at the provider with `keys`.
fn op_env(op: &OidcProvider, client_id: &str, keys: &str) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.op]\ntoken_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{client_id}\"\n{keys}",
        op.token_url,
        op.api_base()
    ))
}

fn provider_grants(op: &OidcProvider) -> Vec<Value> {
    op.events_named("grant.success")
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn the_provider_takes_each_algorithms_assertion_and_its_token_calls_the_api() {
    let op = OidcProvider::start();
    let pk = |file: &str, alg: &str| {
        format!(
            "client_auth = \"private_key_jwt\"\nclient_key = '{}'\nclient_assertion_alg = \"{alg}\"\n",
            test_key(file).display()
        )
    };
    let cases = [
        ("oauthctl-pkjwt-rs", pk("rsa.pem", "RS256")),
        ("oauthctl-pkjwt-ps", pk("rsa.pem", "PS256")),
        ("oauthctl-pkjwt-es", pk("ec.pem", "ES256")),
        (
            "oauthctl-csjwt",
            "client_auth = \"client_secret_jwt\"\nclient_secret_env = \"SCM_SECRET\"\n".into(),
        ),
        // The issuer as the audience (draft-ietf-oauth-rfc7523bis) is taken too.
        (
            "oauthctl-pkjwt-es",
            format!(
                "{}client_assertion_audience = \"{}\"\n",
                pk("ec.pem", "ES256"),
                op.issuer
            ),
        ),
    ];
    for (client_id, keys) in &cases {
        let env = op_env(&op, client_id, keys);
        env.cmd()
            .args(["token", "-p", "op"])
            .env("SCM_SECRET", CLIENT_SECRET)
            .assert()
            .success()
            .stderr("");
        let answer = stdout_of(
            &env.cmd()
                .args(["call", "-p", "op", "GET", "/whoami"])
                .env("SCM_SECRET", CLIENT_SECRET)
                .assert()
                .success()
                .stderr(""),
        );
        let answer: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(answer["client_id"], *client_id, "{answer}");
    }
    let issued = provider_grants(&op);
    assert_eq!(issued.len(), cases.len(), "{:?}", op.events());
    for ((client_id, _), event) in cases.iter().zip(&issued) {
        assert_eq!(event["client_id"], *client_id);
        assert_eq!(event["grant_type"], "client_credentials");
    }
    assert!(op.events_named("grant.error").is_empty(), "{}", op.stderr());
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn a_wrong_key_or_secret_is_refused_by_the_provider_with_exit_3() {
    let op = OidcProvider::start();
    let cases = [
        (
            "oauthctl-pkjwt-rs",
            format!(
                "client_auth = \"private_key_jwt\"\nclient_key = '{}'\n",
                test_key("wrong-rsa.pem").display()
            ),
        ),
        // The right key type, but not the client's key.
        (
            "oauthctl-pkjwt-es",
            format!(
                "client_auth = \"private_key_jwt\"\nclient_key = '{}'\nclient_assertion_alg = \"RS256\"\n",
                test_key("rsa.pem").display()
            ),
        ),
        (
            "oauthctl-csjwt",
            "client_auth = \"client_secret_jwt\"\nclient_secret_env = \"SCM_SECRET\"\n".into(),
        ),
    ];
    for (client_id, keys) in &cases {
        let env = op_env(&op, client_id, keys);
        let assert = env
            .cmd()
            .args(["token", "-p", "op"])
            .env("SCM_SECRET", "not-the-secret")
            .assert()
            .code(3)
            .stdout("");
        let stderr = stderr_of(&assert);
        assert!(
            stderr.contains("401 invalid_client"),
            "{client_id}: {stderr}"
        );
    }
    assert!(provider_grants(&op).is_empty());
    let refused = op.events_named("grant.error");
    assert_eq!(refused.len(), cases.len(), "{refused:?}");
    assert!(refused.iter().all(|e| e["error"] == "invalid_client"));
}

#[test]
#[ignore = "needs node and oidc-provider (npm ci --prefix tests/oidc)"]
fn a_sign_in_its_refresh_and_logout_authenticate_with_assertions_at_the_provider() {
    let op = OidcProvider::start();
    let env = TestEnv::new(&format!(
        "[profiles.op]\ngrant = \"authorization_code\"\ntoken_url = \"{}\"\nauthorization_url = \"{}\"\nrevocation_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"oauthctl-pkjwt-es\"\nclient_auth = \"private_key_jwt\"\nclient_key = '{}'\nscope = \"openid\"\nrefresh_token_store = \"file\"\n",
        op.token_url,
        op.authorization_url,
        op.revocation_url,
        op.api_base(),
        test_key("ec.pem").display()
    ));
    env.cmd()
        .args(["login", "-p", "op"])
        .env("BROWSER", browser_script())
        .env("OIDC_BROWSER_LOG", env.dir.path().join("browser.log"))
        .env_remove("OIDC_BROWSER_FOREGROUND")
        .assert()
        .success()
        .stdout("");
    env.cmd()
        .args(["token", "-p", "op", "--refresh"])
        .assert()
        .success();
    let answer = stdout_of(
        &env.cmd()
            .args(["call", "-p", "op", "/whoami"])
            .assert()
            .success(),
    );
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(answer["sub"], USER, "{answer}");
    assert_eq!(answer["client_id"], "oauthctl-pkjwt-es", "{answer}");
    env.cmd().args(["logout", "-p", "op"]).assert().success();

    // The code exchange and the refresh: each grant authenticated with an assertion the
    // provider verified (it knows no secret for this client).
    let kinds: Vec<Value> = provider_grants(&op)
        .iter()
        .map(|e| e["grant_type"].clone())
        .collect();
    assert_eq!(
        kinds,
        ["authorization_code", "refresh_token"],
        "{:?}",
        op.events()
    );
    assert!(
        op.events_named("grant.error").is_empty(),
        "{:?}",
        op.events()
    );
    let revoked = op.events_named("revocation.success");
    assert!(
        revoked
            .iter()
            .any(|e| e["client_id"] == "oauthctl-pkjwt-es" && e["token_type"] == "RefreshToken"),
        "{revoked:?}"
    );
    assert!(op.events_named("revocation.error").is_empty());
}

#[test]
fn doctor_and_secret_status_say_how_to_store_the_private_key() {
    let (_server, _received, env) = assertion_env("client_auth = \"private_key_jwt\"\n");
    let assert = env
        .cmd()
        .args(["secret", "status", "-p", "jwt"])
        .assert()
        .code(1);
    assert!(
        stdout_of(&assert).contains("client_key: not configured"),
        "{}",
        stdout_of(&assert)
    );
    assert!(
        stderr_of(&assert).contains("oauthctl secret set -p jwt --key-file key.pem"),
        "{}",
        stderr_of(&assert)
    );
    let out = env.cmd().args(["doctor", "-p", "jwt"]).assert().code(1);
    let text = stdout_of(&out) + &stderr_of(&out);
    assert!(text.contains("no client private key for"), "{text}");
    assert!(
        text.contains("`oauthctl secret set -p jwt --key-file key.pem`, or set client_key"),
        "{text}"
    );
}
