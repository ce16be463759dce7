//! Signing a person in, played without a person: an authorization server that follows RFC 6749
//! §4.1 and §6, RFC 7636 (S256) and RFC 7009 on a mock server ([`AuthServer`]), and a `$BROWSER`
//! script that does what a browser does with the authorization URL ([`Browser`]).
//!
//! The server is strict where the RFCs are: the authorization request needs `response_type=code`,
//! the client, a redirect URI, `state` and an S256 challenge; a code is good once, for the
//! redirect URI and the client it was issued to, and only with the verifier whose S256 is the
//! challenge; a refresh token is good until it is revoked or (with rotation) used.
//!
//! The script, given the URL by oauthctl (through the webbrowser crate), notes the call, asks the
//! authorization endpoint as a browser would, and follows its redirect to oauthctl's loopback
//! port with curl, keeping the page oauthctl answers with.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use httpmock::prelude::*;
use httpmock::{HttpMockRequest, HttpMockResponse};
use sha2::{Digest, Sha256};

use super::*;

pub const AUTHORIZE_PATH: &str = "/oauth2/authorize";
pub const SIGNIN_TOKEN_PATH: &str = "/oauth2/token";
pub const REVOKE_PATH: &str = "/oauth2/revoke";
/// The public client of the sign-in profiles.
pub const PUBLIC_CLIENT: &str = "oauthctl-cli";

/// An issued code: what it is bound to.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub challenge: String,
    pub redirect_uri: String,
    pub client_id: String,
    pub used: bool,
}

/// What the authorization server holds and saw.
#[derive(Debug, Default)]
pub struct AuthState {
    pub codes: HashMap<String, IssuedCode>,
    /// Refresh tokens and whether each is still good.
    pub refresh_tokens: HashMap<String, bool>,
    /// Issue a new refresh token on each refresh and retire the old one.
    pub rotate: bool,
    /// The access tokens' lifetime.
    pub expires_in: u64,
    counter: u32,
    /// Every authorization request's query.
    pub authorizations: Vec<String>,
    /// Every token request's form body.
    pub token_requests: Vec<String>,
    /// Every token revoked: (token, token_type_hint).
    pub revoked: Vec<(String, String)>,
}

impl AuthState {
    fn next(&mut self) -> u32 {
        self.counter += 1;
        self.counter
    }

    /// Revokes every refresh token (an administrator ended the sessions).
    pub fn revoke_all_refresh_tokens(&mut self) {
        for good in self.refresh_tokens.values_mut() {
            *good = false;
        }
    }

    /// The token requests of one grant type.
    pub fn token_requests_of(&self, grant: &str) -> Vec<String> {
        let field = format!("grant_type={grant}");
        self.token_requests
            .iter()
            .filter(|b| b.split('&').any(|f| f == field))
            .cloned()
            .collect()
    }
}

/// The access token an [`AuthServer`] issues `n`th.
pub fn access_token(n: u32) -> String {
    format!("at-{n}-signin-access-4c1d9e")
}

/// The refresh token an [`AuthServer`] issues `n`th.
pub fn refresh_token(n: u32) -> String {
    format!("rt-{n}-signin-refresh-7d41b8e2")
}

/// The code an [`AuthServer`] issues `n`th.
pub fn code(n: u32) -> String {
    format!("code-{n}-authz-9f3c1e5a")
}

/// An authorization server on a mock server: authorization, token and revocation endpoints.
pub struct AuthServer {
    pub server: MockServer,
    pub state: Arc<Mutex<AuthState>>,
}

fn form(text: &str) -> HashMap<String, String> {
    url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

fn json_answer(status: u16, body: serde_json::Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", "no-store")
        .body(body.to_string())
        .build()
}

fn invalid_grant(why: &str) -> HttpMockResponse {
    json_answer(
        400,
        serde_json::json!({"error": "invalid_grant", "error_description": why}),
    )
}

impl AuthServer {
    pub fn start() -> AuthServer {
        let server = MockServer::start();
        let state = Arc::new(Mutex::new(AuthState {
            expires_in: 3600,
            ..Default::default()
        }));
        let s = state.clone();
        server.mock(move |when, then| {
            when.method(GET).path(AUTHORIZE_PATH);
            then.respond_with(move |req: &HttpMockRequest| {
                let query = req.uri().query().unwrap_or("").to_string();
                let q = form(&query);
                let mut st = s.lock().unwrap();
                st.authorizations.push(query.clone());
                let Some(redirect_uri) = q.get("redirect_uri").cloned() else {
                    return HttpMockResponse::builder()
                        .status(400)
                        .body("no redirect_uri")
                        .build();
                };
                let state = q.get("state").cloned().unwrap_or_default();
                let back = |params: &[(&str, &str)]| {
                    let mut url = url::Url::parse(&redirect_uri).unwrap();
                    url.query_pairs_mut().extend_pairs(params);
                    HttpMockResponse::builder()
                        .status(302)
                        .header("location", url.as_str())
                        .build()
                };
                let ok = q.get("response_type").map(String::as_str) == Some("code")
                    && q.contains_key("client_id")
                    && !state.is_empty()
                    && q.get("code_challenge_method").map(String::as_str) == Some("S256")
                    && q.get("code_challenge").is_some_and(|c| c.len() == 43);
                if !ok {
                    return back(&[("error", "invalid_request"), ("state", &state)]);
                }
                let n = st.next();
                let issued = code(n);
                st.codes.insert(
                    issued.clone(),
                    IssuedCode {
                        challenge: q["code_challenge"].clone(),
                        redirect_uri: redirect_uri.clone(),
                        client_id: q["client_id"].clone(),
                        used: false,
                    },
                );
                back(&[("code", &issued), ("state", &state)])
            });
        });
        let s = state.clone();
        server.mock(move |when, then| {
            when.method(POST).path(SIGNIN_TOKEN_PATH);
            then.respond_with(move |req: &HttpMockRequest| {
                let body = req.body_string();
                let f = form(&body);
                let mut st = s.lock().unwrap();
                st.token_requests.push(body.clone());
                match f.get("grant_type").map(String::as_str) {
                    Some("authorization_code") => {
                        let code = f.get("code").cloned().unwrap_or_default();
                        let Some(issued) = st.codes.get_mut(&code) else {
                            return invalid_grant("unknown code");
                        };
                        if issued.used {
                            return invalid_grant("code already used");
                        }
                        issued.used = true;
                        let issued = issued.clone();
                        let verifier = f.get("code_verifier").cloned().unwrap_or_default();
                        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
                        if challenge != issued.challenge {
                            return invalid_grant("PKCE verification failed");
                        }
                        if f.get("redirect_uri") != Some(&issued.redirect_uri) {
                            return invalid_grant("redirect_uri does not match");
                        }
                        let client = f.get("client_id").cloned().or_else(|| basic_client(req));
                        if client.as_deref() != Some(issued.client_id.as_str()) {
                            return json_answer(
                                401,
                                serde_json::json!({"error": "invalid_client"}),
                            );
                        }
                        let n = st.next();
                        let rt = refresh_token(n);
                        st.refresh_tokens.insert(rt.clone(), true);
                        json_answer(
                            200,
                            serde_json::json!({
                                "access_token": access_token(n),
                                "token_type": "Bearer",
                                "expires_in": st.expires_in,
                                "refresh_token": rt,
                                "scope": "openid profile"
                            }),
                        )
                    }
                    Some("refresh_token") => {
                        let rt = f.get("refresh_token").cloned().unwrap_or_default();
                        if st.refresh_tokens.get(&rt) != Some(&true) {
                            return invalid_grant("Refresh token is invalid or expired");
                        }
                        let n = st.next();
                        let mut answer = serde_json::json!({
                            "access_token": access_token(n),
                            "token_type": "Bearer",
                            "expires_in": st.expires_in,
                            "scope": "openid profile"
                        });
                        if st.rotate {
                            st.refresh_tokens.insert(rt, false);
                            let new = refresh_token(n);
                            st.refresh_tokens.insert(new.clone(), true);
                            answer["refresh_token"] = new.into();
                        }
                        json_answer(200, answer)
                    }
                    _ => json_answer(400, serde_json::json!({"error": "unsupported_grant_type"})),
                }
            });
        });
        let s = state.clone();
        server.mock(move |when, then| {
            when.method(POST).path(REVOKE_PATH);
            then.respond_with(move |req: &HttpMockRequest| {
                let f = form(&req.body_string());
                let mut st = s.lock().unwrap();
                let token = f.get("token").cloned().unwrap_or_default();
                if let Some(good) = st.refresh_tokens.get_mut(&token) {
                    *good = false;
                }
                let hint = f.get("token_type_hint").cloned().unwrap_or_default();
                st.revoked.push((token, hint));
                HttpMockResponse::builder().status(200).build()
            });
        });
        AuthServer { server, state }
    }

    /// A sign-in profile `name` against this server: a public client (unless `extra` sets
    /// `client_auth`), `extra` keys appended.
    pub fn profile(&self, name: &str, extra: &str) -> String {
        let client_auth = if extra.contains("client_auth") {
            ""
        } else {
            "client_auth = \"none\"\n"
        };
        format!(
            "[profiles.{name}]\ngrant = \"authorization_code\"\ntoken_url = \"{}\"\nauthorization_url = \"{}\"\nrevocation_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{PUBLIC_CLIENT}\"\nscope = \"openid profile\"\n{client_auth}{extra}\n",
            self.server.url(SIGNIN_TOKEN_PATH),
            self.server.url(AUTHORIZE_PATH),
            self.server.url(REVOKE_PATH),
            self.server.base_url(),
        )
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, AuthState> {
        self.state.lock().unwrap()
    }
}

/// The client id of an HTTP Basic header, if the request has one.
fn basic_client(req: &HttpMockRequest) -> Option<String> {
    let header = req
        .headers_vec()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))?
        .1
        .clone();
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let id = text.split_once(':')?.0;
    Some(
        url::form_urlencoded::parse(format!("x={id}").as_bytes())
            .next()?
            .1
            .into_owned(),
    )
}

/// What the `$BROWSER` script does with the URL it is given.
#[derive(Debug, Clone, Default)]
pub struct Browser {
    /// First ask oauthctl's port for /favicon.ico, as browsers do.
    pub stray: bool,
    /// First bring oauthctl a redirect with another state and a code of elsewhere.
    pub wrong_state_first: bool,
    /// Follow the redirect a second time after the first (a reload).
    pub second_hit: bool,
    /// Do nothing at all after noting the call (the person walked away).
    pub idle: bool,
}

/// A code that is not this sign-in's, brought with another state.
pub const FOREIGN_CODE: &str = "code-from-elsewhere-3b7f0c";

impl Browser {
    /// Writes the script into `dir` and returns its path, for `$BROWSER`. What it does is noted
    /// in `dir`: `browser-calls` (a line a call), `browser-urls`, `page` (what oauthctl answered
    /// the redirect with), `stray-page`, `wrong-state-page`, `browser-errors`.
    pub fn write(&self, dir: &Path) -> PathBuf {
        let d = shell_quote(dir.to_str().unwrap());
        let mut script = format!(
            r#"#!/bin/bash
# A browser for the tests: $1 is the authorization URL oauthctl opens.
dir={d}
echo call >> "$dir/browser-calls"
printf '%s\n' "$1" >> "$dir/browser-urls"
case "$1" in
  *code_challenge_method=S256*) ;;
  *) echo "no code_challenge_method=S256" >> "$dir/browser-errors"; exit 0 ;;
esac
"#
        );
        if self.idle {
            script.push_str("exit 0\n");
        }
        script.push_str(
            r#"location=$(curl -s -o /dev/null -w '%{redirect_url}' "$1")
if [ -z "$location" ]; then echo "no redirect from the authorization endpoint" >> "$dir/browser-errors"; exit 0; fi
origin=$(printf '%s' "$location" | sed -E 's#^(http://[^/]+).*#\1#')
base="${location%%\?*}"
"#,
        );
        if self.stray {
            script.push_str(
                "curl -s -o \"$dir/stray-page\" -w '%{http_code}' \"$origin/favicon.ico\" > \"$dir/stray-status\"\n",
            );
        }
        if self.wrong_state_first {
            script.push_str(&format!(
                "curl -s -o \"$dir/wrong-state-page\" -w '%{{http_code}}' \"$base?code={FOREIGN_CODE}&state=not-this-sign-in\" > \"$dir/wrong-state-status\"\n"
            ));
        }
        script.push_str("curl -s -o \"$dir/page\" \"$location\"\n");
        if self.second_hit {
            script.push_str(
                "curl -s -m 5 -o \"$dir/second-page\" \"$location\"; echo $? > \"$dir/second-status\"\n",
            );
        }
        let path = dir.join("browser");
        std::fs::write(&path, script).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        path
    }
}

/// How many times the `$BROWSER` script in `dir` was started.
pub fn browser_calls(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("browser-calls"))
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// A file the browser script wrote in `dir`, or "" when it wrote none.
pub fn browser_file(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}

/// Waits up to 10 s for the browser script in `dir` to write `name` (it runs on after oauthctl).
pub fn wait_for_browser_file(dir: &Path, name: &str) -> String {
    for _ in 0..200 {
        let text = browser_file(dir, name);
        if !text.is_empty() {
            return text;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    String::new()
}

/// `oauthctl ARGS` in a pseudo-terminal (stdin, stdout and stderr), as a person at a terminal
/// runs it, with `envs` added: the exit code and every byte the terminal showed.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
pub fn on_terminal_with(env: &TestEnv, args: &[&str], envs: &[(&str, &str)]) -> (i32, String) {
    let mut line = shell_quote(oauthctl_bin().to_str().unwrap());
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let mut cmd = env.wrapped("script");
    cmd.args(["-qfec", &line, "/dev/null"])
        .env("SHELL", "/bin/sh")
        .env("TERM", "dumb")
        .stdin(std::process::Stdio::null());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("script(1) from util-linux runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}
