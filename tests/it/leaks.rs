//! The leak matrix: every subcommand and flag that can touch a client secret, a user's
//! password or a token, run once for each way a secret reaches oauthctl, against a token endpoint
//! that behaves and against ones that echo the request back.
//!
//! Each row runs the real binary in a fresh config and cache folder and asserts that the client
//! secret and the password appear in neither stdout nor stderr nor any file under the test's
//! folder (the cache included), in any spelling they travel in: as typed, form-urlencoded (`+` or
//! `%20` for a space), JSON-escaped, inside the Basic header's base64, or any 12 characters of one
//! of those (a message cut short can still leak half a secret). The refresh token a password grant
//! brings is held to the same rule: oauthctl never uses it, so it is never written or shown. So
//! is the device flow's device code, in a test of its own at the end.
//!
//! The access token may appear only where the user asked for it:
//! - `token`'s stdout, which exists to print it;
//! - `exec`'s child, through its environment variable only (the row checks the child got it);
//! - the cache folder, whose job is to keep it.
//!
//! Everywhere else it must be absent. `inspect -p` prints the token's header and claims decoded,
//! which is what the user asked for, but never the token itself, so it must not appear there
//! either (its signature in particular).

use std::path::Path;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::common::*;
use httpmock::prelude::*;
use serde_json::{Value, json};

/// A client secret with every character that form-urlencoding, JSON or a shell would change.
/// `exec` with a child that writes `$OAUTHCTL_TOKEN` to the file `$LEAK_EXEC_OUT`, as it got it.
#[cfg(unix)]
const EXEC_WRITES_THE_TOKEN: &[&str] = &[
    "exec",
    "--",
    "sh",
    "-c",
    "printf %s \"$OAUTHCTL_TOKEN\" > \"$LEAK_EXEC_OUT\"",
];
/// The same in cmd's language: `set /p` writes without a line end.
#[cfg(windows)]
const EXEC_WRITES_THE_TOKEN: &[&str] = &[
    "exec",
    "--",
    "cmd",
    "/C",
    "<nul set /p =%OAUTHCTL_TOKEN%>%LEAK_EXEC_OUT%",
];

const CLIENT_SECRET: &str = "Cl1ent\"S3cret&Leak/Val+ue=:%7E x";
/// A user's password, as distinctive and as awkward.
const PASSWORD: &str = "pa55 W0rd!\"Us3r&Pw/Leak+#=";
const USERNAME: &str = "leak.user@example.com";
/// A JWT: `{"alg":"RS256","typ":"JWT"}`, `{"sub":"leak-matrix","iss":...,"exp":4102444800}`.
const ACCESS_TOKEN: &str = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJsZWFrLW1hdHJpeCIsImlzcyI6Imh0dHBzOi8vYXV0aC5leGFtcGxlLnRlc3QiLCJleHAiOjQxMDI0NDQ4MDB9.bGVhay1tYXRyaXgtYWNjZXNzLXRva2VuLXNpZ25hdHVyZQ";
/// The refresh token that SAP UAA adds to a password grant's answer (RFC 6749 §4.3.3).
const REFRESH_TOKEN: &str = "rt-5f0e2c9a-leak-matrix-refresh-7d41b8";
const API_PATH: &str = "/config/security/v1/security-rules";
/// The shortest run of a credential's characters that counts as a leak.
const WINDOW: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grant {
    ClientCredentials,
    Password,
}

/// One way the credentials reach oauthctl: the grant, the client authentication, and where the
/// client secret (and the password) come from.
struct Source {
    name: &'static str,
    grant: Grant,
    client_auth: &'static str,
    /// The profile keys that name the sources.
    keys: &'static str,
    /// Environment every command of the matrix runs with.
    env: &'static [(&'static str, &'static str)],
    /// The secret (and the password) are stored in the real keyring first.
    keyring: bool,
}

static SECRET_FROM_ENV: Source = Source {
    name: "client credentials, secret from client_secret_env, Basic auth",
    grant: Grant::ClientCredentials,
    client_auth: "basic",
    keys: "client_secret_env = \"LEAK_CLIENT_SECRET\"\n",
    env: &[("LEAK_CLIENT_SECRET", CLIENT_SECRET)],
    keyring: false,
};

static SECRET_IN_FORM: Source = Source {
    name: "client credentials, secret from client_secret_env, secret in the form",
    grant: Grant::ClientCredentials,
    client_auth: "post",
    keys: "client_secret_env = \"LEAK_CLIENT_SECRET\"\n",
    env: &[("LEAK_CLIENT_SECRET", CLIENT_SECRET)],
    keyring: false,
};

#[cfg(unix)]
static SECRET_FROM_COMMAND: Source = Source {
    name: "client credentials, secret from client_secret_command, JSON body",
    grant: Grant::ClientCredentials,
    client_auth: "json",
    keys: "client_secret_command = \"printf '%s\\\\n' \\\"$LEAK_FOR_COMMAND\\\"\"\n",
    env: &[("LEAK_FOR_COMMAND", CLIENT_SECRET)],
    keyring: false,
};

static SECRET_FROM_KEYRING: Source = Source {
    name: "client credentials, secret from the keyring, Basic auth",
    grant: Grant::ClientCredentials,
    client_auth: "basic",
    keys: "",
    env: &[],
    keyring: true,
};

static PASSWORD_FROM_ENV: Source = Source {
    name: "password grant, password from password_env, secret from client_secret_env",
    grant: Grant::Password,
    client_auth: "basic",
    keys: "client_secret_env = \"LEAK_CLIENT_SECRET\"\npassword_env = \"LEAK_USER_PASSWORD\"\n",
    env: &[
        ("LEAK_CLIENT_SECRET", CLIENT_SECRET),
        ("LEAK_USER_PASSWORD", PASSWORD),
    ],
    keyring: false,
};

static PASSWORD_FROM_KEYRING: Source = Source {
    name: "password grant, password and secret from the keyring",
    grant: Grant::Password,
    client_auth: "basic",
    keys: "",
    env: &[],
    keyring: true,
};

impl Source {
    fn token_path(&self) -> &'static str {
        match self.grant {
            Grant::ClientCredentials => TOKEN_PATH,
            Grant::Password => "/oauth/token",
        }
    }

    fn profile(&self, server: &MockServer) -> String {
        let grant = match self.grant {
            Grant::ClientCredentials => "scope = \"tsg_id:1234567890\"\n".to_string(),
            Grant::Password => format!("grant = \"password\"\nusername = \"{USERNAME}\"\n"),
        };
        format!(
            "[profiles.leak]\ntoken_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{CLIENT_ID}\"\nclient_auth = \"{}\"\npaging = \"offset-limit\"\n{grant}{}",
            server.url(self.token_path()),
            server.base_url(),
            self.client_auth,
            self.keys
        )
    }

    /// The token endpoint's answer: SCM's for client credentials (docs/providers.md §1), SAP
    /// UAA's for the password grant (§5), with the refresh token UAA issues for that grant.
    fn token_response(&self) -> Value {
        match self.grant {
            Grant::ClientCredentials => scm_token_response(ACCESS_TOKEN, 899),
            Grant::Password => json!({
                "access_token": ACCESS_TOKEN,
                "token_type": "bearer",
                "expires_in": 43199,
                "scope": "leak!t1.job.read leak!t1.event.read",
                "jti": "5e1d4c2a8b7f4e0c9d3a",
                "refresh_token": REFRESH_TOKEN
            }),
        }
    }
}

/// The token request exactly as oauthctl sends it for a source: what an echoing server repeats.
struct Wire {
    authorization: Option<String>,
    content_type: &'static str,
    body: String,
    /// The body as JSON, for `client_auth = "json"`.
    json: Option<Value>,
}

impl Wire {
    fn of(source: &Source) -> Wire {
        let mut fields = vec![("grant_type", "")];
        match source.grant {
            Grant::ClientCredentials => {
                fields[0].1 = "client_credentials";
                fields.push(("scope", "tsg_id:1234567890"));
            }
            Grant::Password => {
                fields[0].1 = "password";
                fields.push(("username", USERNAME));
                fields.push(("password", PASSWORD));
            }
        }
        let form = |fields: &[(&str, &str)]| {
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(fields)
                .finish()
        };
        match source.client_auth {
            "basic" => Wire {
                // RFC 6749 §2.3.1: both halves form-urlencoded, then base64.
                authorization: Some(format!(
                    "Basic {}",
                    basic_credentials(&form_urlencoded(CLIENT_ID), &form_urlencoded(CLIENT_SECRET))
                )),
                content_type: "application/x-www-form-urlencoded",
                body: form(&fields),
                json: None,
            },
            "post" => {
                fields.push(("client_id", CLIENT_ID));
                fields.push(("client_secret", CLIENT_SECRET));
                Wire {
                    authorization: None,
                    content_type: "application/x-www-form-urlencoded",
                    body: form(&fields),
                    json: None,
                }
            }
            "json" => {
                fields.push(("client_id", CLIENT_ID));
                fields.push(("client_secret", CLIENT_SECRET));
                let object: serde_json::Map<String, Value> = fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::from(*v)))
                    .collect();
                Wire {
                    authorization: None,
                    content_type: "application/json",
                    body: Value::Object(object.clone()).to_string(),
                    json: Some(Value::Object(object)),
                }
            }
            other => panic!("no wire format for client_auth {other}"),
        }
    }

    /// A mock condition that holds only for this exact request, so that a row that passes has
    /// really sent the secret from the source under test.
    fn matches(&self, when: httpmock::When) -> httpmock::When {
        let when = match &self.authorization {
            Some(auth) => when.header("authorization", auth),
            None => when.header_missing("authorization"),
        };
        match &self.json {
            Some(json) => when.json_body(json.clone()),
            None => when.body(&self.body),
        }
    }

    /// The request as a debugging server or proxy prints it back.
    fn dump(&self, path: &str) -> String {
        let mut text = format!("POST {path} HTTP/1.1\r\n");
        if let Some(auth) = &self.authorization {
            text.push_str(&format!("Authorization: {auth}\r\n"));
        }
        text.push_str(&format!(
            "Content-Type: {}\r\n\r\n{}",
            self.content_type, self.body
        ));
        text
    }
}

/// What the token endpoint does in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    /// Issues the token for exactly the expected request.
    Issues,
    /// 401 `invalid_client` whose description names the secret and whose body and headers repeat
    /// the request (a debugging deployment of UAA-like servers).
    Echo401,
    /// 400 with no `error` field, only the request repeated: oauthctl falls back to an excerpt.
    Echo400,
    /// 500 with the request dumped as plain text.
    Echo500,
    /// 200 without an access_token, repeating the request and the secret.
    Echo200WithoutToken,
    /// 200 with an HTML debugging page that dumps the request.
    Echo200Html,
    /// 200 with a token, and the request repeated in extra fields.
    Echo200WithToken,
}

impl Endpoint {
    fn describe(self) -> &'static str {
        match self {
            Endpoint::Issues => "token endpoint issues",
            Endpoint::Echo401 => "401 that echoes the request",
            Endpoint::Echo400 => "400 without `error` that echoes the request",
            Endpoint::Echo500 => "500 text dump of the request",
            Endpoint::Echo200WithoutToken => "200 without access_token that echoes the request",
            Endpoint::Echo200Html => "200 HTML page that dumps the request",
            Endpoint::Echo200WithToken => "200 with a token that echoes the request",
        }
    }
}

/// What the API does in a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    /// Answers SCM's list envelope to the expected bearer token.
    Lists,
    /// Refuses every token with 401 `invalid_token` (oauthctl fetches a new token once).
    Refuses,
}

/// One row of the matrix: a command line, the servers' behaviour, and what must be seen so that
/// the row is known to have done its work (a row that failed early would leak nothing).
struct Row {
    name: String,
    args: Vec<&'static str>,
    endpoint: Endpoint,
    api: Api,
    /// Fetch a token into the cache before the row's command.
    warm: bool,
    code: i32,
    /// The user asked for the token on stdout (and it must be there).
    token_on_stdout: bool,
    /// The row runs `exec`, whose child must receive the token in `$OAUTHCTL_TOKEN`.
    exec: bool,
    /// What the command reads on stdin (`batch`'s requests).
    stdin: Option<&'static str>,
    stdout_has: Vec<&'static str>,
    stderr_has: Vec<&'static str>,
}

impl Row {
    fn new(name: impl Into<String>, args: &[&'static str]) -> Row {
        Row {
            name: name.into(),
            args: args.to_vec(),
            endpoint: Endpoint::Issues,
            api: Api::Lists,
            warm: false,
            code: 0,
            token_on_stdout: false,
            exec: false,
            stdin: None,
            stdout_has: Vec::new(),
            stderr_has: Vec::new(),
        }
    }
    fn endpoint(mut self, endpoint: Endpoint) -> Row {
        self.endpoint = endpoint;
        self
    }
    fn api(mut self, api: Api) -> Row {
        self.api = api;
        self
    }
    fn warm(mut self) -> Row {
        self.warm = true;
        self
    }
    fn code(mut self, code: i32) -> Row {
        self.code = code;
        self
    }
    fn token_on_stdout(mut self) -> Row {
        self.token_on_stdout = true;
        self
    }
    fn exec(mut self) -> Row {
        self.exec = true;
        self
    }
    fn stdin(mut self, input: &'static str) -> Row {
        self.stdin = Some(input);
        self
    }
    fn stdout(mut self, has: &[&'static str]) -> Row {
        self.stdout_has.extend(has);
        self
    }
    fn stderr(mut self, has: &[&'static str]) -> Row {
        self.stderr_has.extend(has);
        self
    }
}

/// `batch`'s requests: two of the API's list, sent at once.
const BATCH: &str =
    "GET /config/security/v1/security-rules\nGET /config/security/v1/security-rules\n";

/// `-v` shows the token request, with the credentials redacted.
const SHOWS_TOKEN_REQUEST: &[&str] = &["> POST http://127.0.0.1:", "REDACTED"];

fn rows() -> Vec<Row> {
    let call = |flags: &[&'static str]| {
        let mut args = vec!["call"];
        args.extend(flags);
        args.extend(["GET", API_PATH]);
        args
    };
    let mut rows = vec![
        Row::new("token", &["token"]).token_on_stdout(),
        Row::new("token -v", &["token", "-v"])
            .token_on_stdout()
            .stderr(SHOWS_TOKEN_REQUEST),
        Row::new("token --format raw -v", &["token", "--format", "raw", "-v"])
            .token_on_stdout()
            .stderr(SHOWS_TOKEN_REQUEST),
        Row::new("token --format header", &["token", "--format", "header"])
            .token_on_stdout()
            .stdout(&["Authorization: Bearer "]),
        Row::new(
            "token --format header -v",
            &["token", "--format", "header", "-v"],
        )
        .token_on_stdout()
        .stderr(SHOWS_TOKEN_REQUEST),
        Row::new("token --format json", &["token", "--format", "json"])
            .token_on_stdout()
            .stdout(&["\"expires_at\""]),
        Row::new(
            "token --format json -v",
            &["token", "--format", "json", "-v"],
        )
        .token_on_stdout()
        .stderr(SHOWS_TOKEN_REQUEST),
        Row::new("token --no-cache -v", &["token", "--no-cache", "-v"])
            .token_on_stdout()
            .stderr(SHOWS_TOKEN_REQUEST),
        Row::new(
            "token --refresh -v, token cached",
            &["token", "--refresh", "-v"],
        )
        .warm()
        .token_on_stdout()
        .stderr(SHOWS_TOKEN_REQUEST),
        Row::new("token --check, token cached", &["token", "--check"]).warm(),
        Row::new("call -v", &call(&["-v"]))
            .stdout(&["allow-dns"])
            .stderr(SHOWS_TOKEN_REQUEST)
            .stderr(&["authorization: Bearer REDACTED"]),
        Row::new("call -i", &call(&["-i"])).stdout(&["HTTP/1.1 200 OK", "allow-dns"]),
        Row::new("call -v -i", &call(&["-v", "-i"]))
            .stdout(&["HTTP/1.1 200 OK", "allow-dns"])
            .stderr(SHOWS_TOKEN_REQUEST)
            .stderr(&["authorization: Bearer REDACTED"]),
        Row::new("call --paginate -v", &call(&["--paginate", "-v"]))
            .stdout(&["allow-dns"])
            .stderr(SHOWS_TOKEN_REQUEST)
            .stderr(&["authorization: Bearer REDACTED"]),
        Row::new(
            "call -v -i, the API refuses every token",
            &call(&["-v", "-i"]),
        )
        .api(Api::Refuses)
        .code(4)
        .stdout(&["HTTP/1.1 401 Unauthorized"])
        .stderr(&["a new token was refused too"]),
        Row::new("batch", &["batch", "-P", "2"])
            .stdin(BATCH)
            .stdout(&["allow-dns"])
            .stderr(&["2 requests in "]),
        Row::new("batch, the API refuses every token", &["batch", "-P", "2"])
            .stdin(BATCH)
            .api(Api::Refuses)
            .code(4)
            .stdout(&["\"status\":401"])
            .stderr(&["a new token was refused too"]),
        Row::new("profiles show", &["profiles", "show"]).stdout(&["client secret"]),
        Row::new("profiles list", &["profiles", "list"]).stdout(&["leak"]),
        Row::new("cache list, token cached", &["cache", "list"])
            .warm()
            .stdout(&["leak"]),
        Row::new("cache clear, token cached", &["cache", "clear"])
            .warm()
            .stderr(&["removed 1 cached token"]),
        Row::new("doctor", &["doctor"]).stdout(&["comes from the"]),
        // The probe answers only a request without the secret (see `Matrix::install`).
        Row::new("doctor --network", &["doctor", "--network"])
            .stdout(&["(400 unsupported_grant_type, as expected"]),
        Row::new("secret status", &["secret", "status"]).stdout(&["in use: "]),
        Row::new("inspect -p, token cached", &["inspect", "-p", "leak"])
            .warm()
            .stdout(&["\"sub\": \"leak-matrix\""]),
        Row::new("exec", EXEC_WRITES_THE_TOKEN).exec(),
    ];
    for (endpoint, token_code, says) in [
        (Endpoint::Echo401, 3, "failed: 401 invalid_client"),
        (Endpoint::Echo400, 3, "failed: 400 (body: "),
        (Endpoint::Echo500, 1, "failed: 500 (body: "),
        (
            Endpoint::Echo200WithoutToken,
            1,
            "answered 200 without an access_token",
        ),
        (
            Endpoint::Echo200Html,
            1,
            "answered 200 with a body that is not JSON",
        ),
    ] {
        let what = endpoint.describe();
        rows.extend([
            Row::new(format!("token, {what}"), &["token"])
                .endpoint(endpoint)
                .code(token_code)
                .stderr(&[says]),
            Row::new(format!("token -v, {what}"), &["token", "-v"])
                .endpoint(endpoint)
                .code(token_code)
                .stderr(&[says])
                .stderr(SHOWS_TOKEN_REQUEST),
            Row::new(format!("call, {what}"), &call(&[]))
                .endpoint(endpoint)
                .code(3)
                .stderr(&["no access token for profile leak", says]),
            Row::new(format!("call -v, {what}"), &call(&["-v"]))
                .endpoint(endpoint)
                .code(3)
                .stderr(&["no access token for profile leak", says])
                .stderr(SHOWS_TOKEN_REQUEST),
            Row::new(format!("batch, {what}"), &["batch"])
                .stdin(BATCH)
                .endpoint(endpoint)
                .code(3)
                .stderr(&["no access token for profile leak", says]),
        ]);
    }
    let what = Endpoint::Echo200WithToken.describe();
    rows.extend([
        Row::new(
            format!("token --format json -v, {what}"),
            &["token", "--format", "json", "-v"],
        )
        .endpoint(Endpoint::Echo200WithToken)
        .token_on_stdout()
        .stderr(SHOWS_TOKEN_REQUEST),
        Row::new(format!("call -v -i, {what}"), &call(&["-v", "-i"]))
            .endpoint(Endpoint::Echo200WithToken)
            .stdout(&["allow-dns"])
            .stderr(SHOWS_TOKEN_REQUEST),
    ]);
    rows
}

/// A string that must not appear somewhere, and what it is, for the failure message.
struct Needle {
    what: String,
    text: String,
    /// The access token: allowed where the user asked for it. Everything else is never allowed.
    is_access_token: bool,
}

/// Every spelling of `value`, and every run of [`WINDOW`] characters of each.
fn spellings(what: &str, value: &str, base64_of_basic: Option<&str>) -> Vec<Needle> {
    let form = form_urlencoded(value);
    let json = serde_json::to_string(value).unwrap();
    let mut full = vec![
        ("as typed", value.to_string()),
        ("form-urlencoded", form.clone()),
        ("percent-encoded", form.replace('+', "%20")),
        ("JSON-escaped", json[1..json.len() - 1].to_string()),
    ];
    full.extend(base64_of_basic.map(|b| ("in the Basic header's base64", b.to_string())));
    let mut needles: Vec<Needle> = Vec::new();
    for (how, text) in &full {
        needles.push(Needle {
            what: format!("the {what} ({how})"),
            text: text.clone(),
            is_access_token: false,
        });
    }
    for (how, text) in &full {
        for start in 0..=text.len().saturating_sub(WINDOW) {
            let window = &text[start..(start + WINDOW).min(text.len())];
            if needles.iter().all(|n| n.text != window) {
                needles.push(Needle {
                    what: format!("{WINDOW} characters of the {what} ({how})"),
                    text: window.to_string(),
                    is_access_token: false,
                });
            }
        }
    }
    needles
}

/// The base64 characters of a Basic header that encode the secret alone: after `id:`, from the
/// first base64 group that holds no byte of the id.
fn base64_of_secret_in_basic(authorization: &str) -> String {
    let encoded = authorization.trim_start_matches("Basic ");
    let prefix = form_urlencoded(CLIENT_ID).len() + 1;
    let start = prefix.div_ceil(3) * 4;
    encoded[start..].trim_end_matches('=').to_string()
}

fn needles(source: &Source, wire: &Wire) -> Vec<Needle> {
    let basic = wire.authorization.as_deref().map(base64_of_secret_in_basic);
    let mut needles = spellings("client secret", CLIENT_SECRET, basic.as_deref());
    if let Some(auth) = &wire.authorization {
        needles.push(Needle {
            what: "the Basic header's credentials".into(),
            text: auth.trim_start_matches("Basic ").to_string(),
            is_access_token: false,
        });
    }
    if source.grant == Grant::Password {
        needles.extend(spellings("password", PASSWORD, None));
        needles.extend(spellings("refresh token", REFRESH_TOKEN, None));
    }
    for n in spellings("access token", ACCESS_TOKEN, None) {
        needles.push(Needle {
            is_access_token: true,
            ..n
        });
    }
    needles
}

/// The first needle found in `text`, with the text around it; the access token only when it is
/// not allowed there.
fn find_leak(needles: &[Needle], text: &str, token_allowed: bool) -> Option<String> {
    needles
        .iter()
        .filter(|n| !(n.is_access_token && token_allowed))
        .find_map(|n| {
            let at = text.find(&n.text)?;
            let mut from = at.saturating_sub(60);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (at + n.text.len() + 60).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            Some(format!("{}: …{}…", n.what, &text[from..to]))
        })
}

struct Matrix {
    source: &'static Source,
    server: MockServer,
    profile: String,
    wire: Wire,
    needles: Vec<Needle>,
    failures: Vec<String>,
}

impl Matrix {
    fn new(source: &'static Source) -> Matrix {
        let server = MockServer::start();
        let wire = Wire::of(source);
        Matrix {
            profile: source.profile(&server),
            needles: needles(source, &wire),
            wire,
            server,
            source,
            failures: Vec::new(),
        }
    }

    /// Runs every row, then fails with every leak and every row that did not do its work.
    fn run_all(mut self) {
        if self.source.keyring {
            self.keyring(true);
        }
        for row in rows() {
            self.run(&row);
        }
        if self.source.keyring {
            self.keyring(false);
        }
        assert!(
            self.failures.is_empty(),
            "{} failure(s) in the leak matrix for {}:\n\n{}",
            self.failures.len(),
            self.source.name,
            self.failures.join("\n\n")
        );
    }

    /// A fresh test folder with the matrix's profile, which reaches the keyring when the source
    /// is the keyring.
    fn env(&self) -> TestEnv {
        if self.source.keyring {
            TestEnv::with_keyring(&self.profile)
        } else {
            TestEnv::new(&self.profile)
        }
    }

    fn command(&self, env: &TestEnv, args: &[&str]) -> std::process::Command {
        let mut cmd = env.std_cmd();
        cmd.args(args).envs(self.source.env.iter().copied());
        cmd
    }

    /// Stores the secret (and the password) in the keyring, or deletes them; `secret set` and
    /// `secret delete` are checked like any other row.
    fn keyring(&mut self, store: bool) {
        let env = self.env();
        let mut kinds = vec![(Vec::new(), CLIENT_SECRET)];
        if self.source.grant == Grant::Password {
            kinds.push((vec!["--password"], PASSWORD));
        }
        for (flags, value) in kinds {
            let mut args = vec!["secret", if store { "set" } else { "delete" }];
            args.extend(flags);
            let mut cmd = self.command(&env, &args);
            let out = if store {
                use std::io::Write;
                let mut child = cmd
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                writeln!(child.stdin.take().unwrap(), "{value}").unwrap();
                child.wait_with_output().unwrap()
            } else {
                cmd.output().unwrap()
            };
            let mut row = Row::new(format!("oauthctl {}", args.join(" ")), &[]);
            row.stderr_has = vec![if store { "stored the " } else { "removed the " }];
            self.check(&row, &out, &env, None);
        }
    }

    /// The token endpoint, the API and the doctor's probe as the row wants them.
    fn install(&self, endpoint: Endpoint, api: Api) {
        self.server.reset();
        let path = self.source.token_path();
        let wire = &self.wire;
        let dump = wire.dump(path);
        let said = match self.source.grant {
            Grant::ClientCredentials => format!("client {CLIENT_ID} with secret {CLIENT_SECRET}"),
            Grant::Password => format!(
                "client {CLIENT_ID} with secret {CLIENT_SECRET}, user {USERNAME} with password {PASSWORD}"
            ),
        };
        let echo = json!({
            "authorization": wire.authorization,
            "body": wire.body,
        });
        let with_echo_headers = |mut then: httpmock::Then| {
            if let Some(auth) = &wire.authorization {
                then = then.header("x-echo-authorization", auth);
            }
            then.header("x-echo-body", &wire.body)
        };
        match endpoint {
            Endpoint::Issues => {
                self.server.mock(|when, then| {
                    wire.matches(when.method(POST).path(path));
                    then.status(200).json_body(self.source.token_response());
                });
            }
            Endpoint::Echo401 => {
                self.server.mock(|when, then| {
                    when.method(POST).path(path);
                    with_echo_headers(then.status(401)).json_body(json!({
                        "error": "invalid_client",
                        "error_description": format!("Bad credentials: {said}"),
                        "request": echo,
                    }));
                });
            }
            Endpoint::Echo400 => {
                self.server.mock(|when, then| {
                    when.method(POST).path(path);
                    then.status(400).json_body(json!({"request": dump}));
                });
            }
            Endpoint::Echo500 => {
                self.server.mock(|when, then| {
                    when.method(POST).path(path);
                    then.status(500)
                        .header("content-type", "text/plain")
                        .body(&dump);
                });
            }
            Endpoint::Echo200WithoutToken => {
                self.server.mock(|when, then| {
                    when.method(POST).path(path);
                    with_echo_headers(then.status(200)).json_body(json!({
                        "token_type": "bearer",
                        "error_description": format!("no token for {said}"),
                        "request": echo,
                    }));
                });
            }
            Endpoint::Echo200Html => {
                self.server.mock(|when, then| {
                    when.method(POST).path(path);
                    then.status(200)
                        .header("content-type", "text/html")
                        .body(format!(
                            "<html><body><h1>Request</h1><pre>{dump}</pre><p>{said}</p></body></html>"
                        ));
                });
            }
            Endpoint::Echo200WithToken => {
                self.server.mock(|when, then| {
                    wire.matches(when.method(POST).path(path));
                    let mut answer = self.source.token_response();
                    answer["issued_to"] = Value::from(said.clone());
                    answer["debug"] = json!({"request": echo, "dump": dump});
                    with_echo_headers(then.status(200)).json_body(answer);
                });
            }
        }
        // `doctor --network`: answered only when the probe carries no credential at all.
        self.server.mock(|when, then| {
            let mut when = when
                .method(POST)
                .path(path)
                .body_includes("urn%3Aoauthctl%3Adoctor%3Ainvalid-grant")
                .header_missing("authorization");
            for needle in &self.needles {
                when = when.body_excludes(&needle.text);
            }
            then.status(400)
                .json_body(json!({"error": "unsupported_grant_type"}));
        });
        self.server.mock(|when, then| {
            when.method(GET)
                .path(API_PATH)
                .header("authorization", format!("Bearer {ACCESS_TOKEN}"));
            match api {
                Api::Lists => then.status(200).json_body(json!({
                    "data": [{"name": "allow-dns", "folder": "Shared", "position": "pre"}],
                    "limit": 200, "offset": 0, "total": 1
                })),
                Api::Refuses => then
                    .status(401)
                    .header(
                        "www-authenticate",
                        "Bearer error=\"invalid_token\", error_description=\"The access token expired\"",
                    )
                    .json_body(json!({"_errors": [{"code": "E016", "message": "Not Authenticated"}]})),
            };
        });
    }

    fn run(&mut self, row: &Row) {
        let env = self.env();
        if row.warm {
            self.install(Endpoint::Issues, row.api);
            let out = self.command(&env, &["token"]).output().unwrap();
            let warm = Row::new(
                format!("{} (warming the cache with `token`)", row.name),
                &[],
            )
            .token_on_stdout();
            self.check(&warm, &out, &env, None);
        }
        self.install(row.endpoint, row.api);
        let exec_dir = tempfile::tempdir().unwrap();
        let exec_out = exec_dir.path().join("token-seen-by-the-child");
        let mut cmd = self.command(&env, &row.args);
        cmd.env("LEAK_EXEC_OUT", &exec_out);
        let out = match row.stdin {
            None => cmd.output().unwrap(),
            Some(input) => {
                use std::io::Write;
                let mut child = cmd
                    .stdin(std::process::Stdio::piped())
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap();
                // A command may end before it reads its input (batch without a token reads
                // nothing): a broken pipe is then no failure of the test's.
                match child.stdin.take().unwrap().write_all(input.as_bytes()) {
                    Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
                        panic!("writing stdin: {err}")
                    }
                    _ => {}
                }
                child.wait_with_output().unwrap()
            }
        };
        self.check(row, &out, &env, row.exec.then_some(exec_out.as_path()));
    }

    fn check(&mut self, row: &Row, out: &Output, env: &TestEnv, exec_out: Option<&Path>) {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut problems = Vec::new();
        if out.status.code() != Some(row.code) {
            problems.push(format!(
                "exit {:?}, expected {}",
                out.status.code(),
                row.code
            ));
        }
        if row.token_on_stdout && !stdout.contains(ACCESS_TOKEN) {
            problems.push("the token asked for is not on stdout".into());
        }
        for has in &row.stdout_has {
            if !stdout.contains(has) {
                problems.push(format!("stdout lacks `{has}`"));
            }
        }
        for has in &row.stderr_has {
            if !stderr.contains(has) {
                problems.push(format!("stderr lacks `{has}`"));
            }
        }
        if let Some(path) = exec_out {
            match std::fs::read_to_string(path) {
                Ok(seen) if seen == ACCESS_TOKEN => {}
                Ok(seen) => problems.push(format!("exec's child saw `{seen}` in $OAUTHCTL_TOKEN")),
                Err(err) => problems.push(format!("exec's child wrote nothing ({err})")),
            }
        }
        if let Some(leak) = find_leak(&self.needles, &stdout, row.token_on_stdout) {
            problems.push(format!("stdout holds {leak}"));
        }
        if let Some(leak) = find_leak(&self.needles, &stderr, false) {
            problems.push(format!("stderr holds {leak}"));
        }
        let cache = env.cache_dir();
        for (path, bytes) in files_under(env.dir.path()) {
            // Keeping the token is the cache's job; the secret and password never belong there.
            let token_allowed = path.starts_with(&cache);
            if let Some(leak) = find_leak(
                &self.needles,
                &String::from_utf8_lossy(&bytes),
                token_allowed,
            ) {
                problems.push(format!("file {} holds {leak}", path.display()));
            }
        }
        if !problems.is_empty() {
            self.failures.push(format!(
                "[{}] {} ({}):\n  - {}\n  stdout: {stdout}\n  stderr: {stderr}",
                self.source.name,
                row.name,
                row.args.join(" "),
                problems.join("\n  - ")
            ));
        }
    }
}

#[test]
fn leak_matrix_client_secret_from_env() {
    Matrix::new(&SECRET_FROM_ENV).run_all();
}

#[test]
fn leak_matrix_client_secret_in_the_form() {
    Matrix::new(&SECRET_IN_FORM).run_all();
}

// The command is sh; windows.rs has the cmd counterpart.
#[cfg(unix)]
#[test]
fn leak_matrix_client_secret_from_command() {
    Matrix::new(&SECRET_FROM_COMMAND).run_all();
}

#[test]
#[ignore = "needs a real Secret Service"]
fn leak_matrix_client_secret_from_keyring() {
    Matrix::new(&SECRET_FROM_KEYRING).run_all();
}

#[test]
fn leak_matrix_password_from_env() {
    Matrix::new(&PASSWORD_FROM_ENV).run_all();
}

#[test]
#[ignore = "needs a real Secret Service"]
fn leak_matrix_password_from_keyring() {
    Matrix::new(&PASSWORD_FROM_KEYRING).run_all();
}

/// The matrix is only as good as its needles: each spelling, and a cut-off piece of one, is
/// found, and the redacted forms oauthctl prints are not.
#[test]
fn the_matrix_finds_every_spelling_of_a_leak() {
    let wire = Wire::of(&PASSWORD_FROM_ENV);
    let needles = needles(&PASSWORD_FROM_ENV, &wire);
    let auth = wire.authorization.clone().unwrap();
    let leaks = [
        format!("secret={CLIENT_SECRET}"),
        format!("client_secret={}", form_urlencoded(CLIENT_SECRET)),
        format!(
            "client_secret={}",
            form_urlencoded(CLIENT_SECRET).replace('+', "%20")
        ),
        json!({ "client_secret": CLIENT_SECRET }).to_string(),
        format!("Authorization: {auth}"),
        format!("(body: {}…)", &auth[..auth.len() - 10]),
        format!("password={}", &form_urlencoded(PASSWORD)[..14]),
        format!("\"refresh_token\":\"{REFRESH_TOKEN}\""),
        format!("Bearer {}", &ACCESS_TOKEN[ACCESS_TOKEN.len() - 20..]),
    ];
    for leak in &leaks {
        assert!(
            find_leak(&needles, leak, false).is_some(),
            "not seen as a leak: {leak}"
        );
    }
    assert!(find_leak(&needles, ACCESS_TOKEN, true).is_none());
    let clean = "> authorization: Basic REDACTED\n> grant_type=password&username=leak.user%40example.com&password=REDACTED\n< {\"access_token\":\"REDACTED\",\"refresh_token\":\"REDACTED\"}";
    assert_eq!(find_leak(&needles, clean, false), None);
}

// ---------------------------------------------------------------------------------------------
// Echoes into every field of the answer, in PHP's and HTML's spellings, of a short secret, and of
// both Basic spellings
// ---------------------------------------------------------------------------------------------

/// A client secret and a password that PHP's `json_encode` and an HTML page spell differently
/// from the request: non-ASCII, `/`, and each of HTML's special characters.
const ECHO_SECRET: &str = "Sëcret/Val<&>\"'=$1";
const ECHO_PASSWORD: &str = "Jürgen/Pass<&>\"'#9";
/// An xsuaa client id: `!` and `|` make the two Basic spellings differ.
const ECHO_CLIENT_ID: &str = "sb-echo!b1|cis!b14";
const ECHO_TOKEN: &str = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJlY2hvIn0.ZWNoby1zaWduYXR1cmU";

/// `text` inside a JSON string as PHP's `json_encode` writes it: `\/`, and `\u00fc` for each
/// non-ASCII character.
fn php_json(text: &str) -> String {
    let json = serde_json::to_string(text).unwrap();
    let mut out = String::new();
    for c in json[1..json.len() - 1].chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

/// `text` HTML-escaped, as PHP's `htmlspecialchars` (ENT_QUOTES) writes it.
fn html_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#039;")
}

/// The two Basic spellings' base64: RFC 6749's (form-urlencoded) and `curl -u`'s (raw).
fn both_basics() -> [String; 2] {
    [
        basic_credentials(
            &form_urlencoded(ECHO_CLIENT_ID),
            &form_urlencoded(ECHO_SECRET),
        ),
        basic_credentials(ECHO_CLIENT_ID, ECHO_SECRET),
    ]
}

/// Every spelling of the echo credentials, and every run of [`WINDOW`] characters of each
/// (cut at character boundaries).
fn echo_needles() -> Vec<Needle> {
    let mut full: Vec<(String, String)> = Vec::new();
    for (what, value) in [("client secret", ECHO_SECRET), ("password", ECHO_PASSWORD)] {
        let json = serde_json::to_string(value).unwrap();
        let form = form_urlencoded(value);
        for (how, text) in [
            ("as typed", value.to_string()),
            ("form-urlencoded", form.clone()),
            ("percent-encoded", form.replace('+', "%20")),
            ("JSON-escaped", json[1..json.len() - 1].to_string()),
            ("PHP-JSON-escaped", php_json(value)),
            ("HTML-escaped", html_escaped(value)),
        ] {
            full.push((format!("the {what} ({how})"), text));
        }
    }
    for (how, basic) in ["encoded", "raw"].iter().zip(both_basics()) {
        full.push((format!("the {how} Basic spelling's base64"), basic));
    }
    let mut needles: Vec<Needle> = full
        .iter()
        .map(|(what, text)| Needle {
            what: what.clone(),
            text: text.clone(),
            is_access_token: false,
        })
        .collect();
    for (what, text) in &full {
        let chars: Vec<char> = text.chars().collect();
        for start in 0..=chars.len().saturating_sub(WINDOW) {
            let window: String = chars[start..(start + WINDOW).min(chars.len())]
                .iter()
                .collect();
            if needles.iter().all(|n| n.text != window) {
                needles.push(Needle {
                    what: format!("{WINDOW} characters of {what}"),
                    text: window,
                    is_access_token: false,
                });
            }
        }
    }
    needles.push(Needle {
        what: "the access token".into(),
        text: ECHO_TOKEN.into(),
        is_access_token: true,
    });
    needles
}

/// How an echoing token endpoint answers, and what oauthctl must do with it.
struct EchoRow {
    name: &'static str,
    status: u16,
    content_type: &'static str,
    body: String,
    /// `token --format ...` and its exit code.
    format: &'static str,
    code: i32,
    /// Words on stderr that show the row did its work.
    stderr_has: Vec<String>,
    /// Words on stdout (the answer's field, scrubbed).
    stdout_has: Vec<&'static str>,
}

fn echo_rows() -> Vec<EchoRow> {
    let token = |extra: Value| {
        let mut answer =
            json!({"access_token": ECHO_TOKEN, "token_type": "bearer", "expires_in": 43199});
        for (k, v) in extra.as_object().unwrap() {
            answer[k] = v.clone();
        }
        answer.to_string()
    };
    let php_request = format!(
        r#"{{"request":{{"client_secret":"{}","password":"{}"}}}}"#,
        php_json(ECHO_SECRET),
        php_json(ECHO_PASSWORD)
    );
    vec![
        EchoRow {
            name: "the secret as the granted scope",
            status: 200,
            content_type: "application/json",
            body: token(json!({"scope": ECHO_SECRET})),
            format: "json",
            code: 0,
            stderr_has: vec!["did not grant echo.read (granted: REDACTED)".into()],
            stdout_has: vec!["\"scope\": \"REDACTED\""],
        },
        EchoRow {
            name: "the password as token_type",
            status: 200,
            content_type: "application/json",
            body: token(json!({"token_type": ECHO_PASSWORD})),
            format: "header",
            code: 1,
            stderr_has: vec!["answered 200 with a token_type that repeats a credential".into()],
            stdout_has: vec![],
        },
        EchoRow {
            name: "the secret as expires_in",
            status: 200,
            content_type: "application/json",
            body: token(json!({"expires_in": ECHO_SECRET})),
            format: "json",
            code: 1,
            stderr_has: vec![
                "answered 200 with expires_in \"REDACTED\", which is not a number of seconds"
                    .into(),
            ],
            stdout_has: vec![],
        },
        EchoRow {
            name: "the password as a field's name, and PHP-escaped JSON in a field",
            status: 200,
            content_type: "application/json",
            body: token(json!({ECHO_PASSWORD: "user", "debug": php_request.clone()})),
            format: "json",
            code: 0,
            stderr_has: vec![],
            stdout_has: vec![
                "\"REDACTED\": \"user\"",
                r#"{\"client_secret\":\"REDACTED\",\"password\":\"REDACTED\"}"#,
            ],
        },
        EchoRow {
            name: "a 400 without `error` quoting the request as PHP writes JSON",
            status: 400,
            content_type: "application/json",
            body: php_request.clone(),
            format: "raw",
            code: 3,
            stderr_has: vec![
                r#"failed: 400 (body: {"request":{"client_secret":"REDACTED","password":"REDACTED"}})"#
                    .into(),
            ],
            stdout_has: vec![],
        },
        EchoRow {
            name: "a 502 text dump in PHP's JSON",
            status: 502,
            content_type: "text/plain",
            body: format!("upstream said: {php_request}"),
            format: "raw",
            code: 1,
            stderr_has: vec!["failed: 502 (body: upstream said: {\"request\":{\"client_secret\":\"REDACTED\"".into()],
            stdout_has: vec![],
        },
        EchoRow {
            name: "a 200 HTML page with the credentials HTML-escaped",
            status: 200,
            content_type: "text/html",
            body: format!(
                "<html><body><pre>secret={} password={}</pre></body></html>",
                html_escaped(ECHO_SECRET),
                html_escaped(ECHO_PASSWORD)
            ),
            format: "raw",
            code: 1,
            stderr_has: vec![
                "answered 200 with a body that is not JSON (body: <html><body><pre>secret=REDACTED password=REDACTED</pre>"
                    .into(),
            ],
            stdout_has: vec![],
        },
        EchoRow {
            name: "a 401 whose description holds the secret HTML-escaped",
            status: 401,
            content_type: "application/json",
            body: json!({
                "error": "invalid_client",
                "error_description": format!("Bad credentials: {}", html_escaped(ECHO_SECRET))
            })
            .to_string(),
            format: "raw",
            code: 3,
            stderr_has: vec!["failed: 401 invalid_client: Bad credentials: REDACTED\n".into()],
            stdout_has: vec![],
        },
    ]
}

/// Each field of the answer and each spelling, through `token` with and without `-v`: no
/// spelling of the secret, the password or either Basic header reaches stdout, stderr or a file.
#[test]
fn echoes_in_every_field_and_in_php_and_html_spellings_are_scrubbed() {
    let needles = echo_needles();
    let mut failures = Vec::new();
    for row in echo_rows() {
        for verbose in [false, true] {
            let server = MockServer::start();
            let endpoint = server.mock(|when, then| {
                when.method(POST).path("/oauth/token");
                then.status(row.status)
                    .header("content-type", row.content_type)
                    .header("x-echo-php", php_json(ECHO_PASSWORD))
                    .header("x-echo-html", html_escaped(ECHO_SECRET))
                    .body(&row.body);
            });
            let env = TestEnv::new(&format!(
                "[profiles.echo]\ntoken_url = \"{}\"\nclient_id = \"{ECHO_CLIENT_ID}\"\nscope = \"echo.read\"\ngrant = \"password\"\nusername = \"jane@example.com\"\nclient_secret_env = \"ECHO_SECRET\"\npassword_env = \"ECHO_PASSWORD\"\n",
                server.url("/oauth/token")
            ));
            let mut args = vec!["token", "--format", row.format];
            if verbose {
                args.push("-v");
            }
            let out = env
                .std_cmd()
                .args(&args)
                .env("ECHO_SECRET", ECHO_SECRET)
                .env("ECHO_PASSWORD", ECHO_PASSWORD)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout).to_string();
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            let mut problems = Vec::new();
            if out.status.code() != Some(row.code) {
                problems.push(format!(
                    "exit {:?}, expected {}",
                    out.status.code(),
                    row.code
                ));
            }
            if endpoint.calls() == 0 {
                problems.push("the token endpoint was not asked".into());
            }
            for has in &row.stderr_has {
                if !stderr.contains(has.as_str()) {
                    problems.push(format!("stderr lacks `{has}`"));
                }
            }
            for has in &row.stdout_has {
                if !stdout.contains(has) {
                    problems.push(format!("stdout lacks `{has}`"));
                }
            }
            if verbose && !stderr.contains("< x-echo-php: REDACTED") {
                problems.push("-v does not show the echo header scrubbed".into());
            }
            let token_on_stdout = row.code == 0;
            if let Some(leak) = find_leak(&needles, &stdout, token_on_stdout) {
                problems.push(format!("stdout holds {leak}"));
            }
            if let Some(leak) = find_leak(&needles, &stderr, false) {
                problems.push(format!("stderr holds {leak}"));
            }
            for (path, bytes) in files_under(env.dir.path()) {
                let in_cache = path.starts_with(env.cache_dir());
                if let Some(leak) = find_leak(&needles, &String::from_utf8_lossy(&bytes), in_cache)
                {
                    problems.push(format!("file {} holds {leak}", path.display()));
                }
            }
            if row.code != 0 && env.cache_dir().exists() {
                let cached = files_under(&env.cache_dir())
                    .into_iter()
                    .any(|(p, _)| p.extension().is_some_and(|e| e == "json"));
                if cached {
                    problems.push("a refused answer was cached".into());
                }
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "[{}] {}:\n  - {}\n  stdout: {stdout}\n  stderr: {stderr}",
                    row.name,
                    args.join(" "),
                    problems.join("\n  - ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A secret shorter than 8 characters is not cut out of the message letter by letter (here every
/// `en` of "authentication" and "credentials" would go): the server's words are not shown, and
/// the message says why.
#[test]
fn a_short_secret_echoed_does_not_garble_the_message() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(401).json_body(json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed: bad credentials en"
        }));
    });
    let env = TestEnv::new(&generic_profile("scm", &server.url(TOKEN_PATH), ""));
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", "en")
        .assert()
        .code(3)
        .stdout("")
        .stderr(format!(
            "oauthctl: token request to 127.0.0.1:{} failed: 401 (not shown: the answer repeats a credential)\n\
             hint: the client id or client secret was wrong: check `client_id` and `oauthctl secret status`\n",
            server.port()
        ));
}

/// A UAA that takes only the raw Basic spelling, and echoes both spellings' base64 into its
/// refusal, its token answer and their headers: neither reaches an output or a file, through the
/// fallback, the remembered spelling and `call`.
#[test]
fn both_basic_spellings_are_scrubbed_through_the_fallback() {
    let [encoded, raw] = both_basics();
    let server = MockServer::start();
    let refused = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", format!("Basic {encoded}"));
        then.status(401)
            .header("x-echo-authorization", format!("Basic {encoded}"))
            .json_body(json!({
                "error": "unauthorized",
                "error_description": format!("Bad credentials: Basic {encoded}, try Basic {raw}"),
            }));
    });
    let taken = server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", format!("Basic {raw}"));
        then.status(200)
            .header("x-echo-authorization", format!("Basic {raw}"))
            .json_body(json!({
                "access_token": ECHO_TOKEN,
                "token_type": "bearer",
                "expires_in": 43199,
                "authorized_by": format!("Basic {raw}"),
                "tried_before": format!("Basic {encoded}"),
            }));
    });
    let api = server.mock(|when, then| {
        when.method(GET)
            .path("/x")
            .header("authorization", format!("Bearer {ECHO_TOKEN}"));
        then.status(200).json_body(json!({"ok": true}));
    });
    let env = TestEnv::new(&format!(
        "[profiles.btp]\ntoken_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{ECHO_CLIENT_ID}\"\nclient_secret_env = \"ECHO_SECRET\"\n",
        server.url("/oauth/token"),
        server.base_url()
    ));
    let needles = echo_needles();
    let mut failures = Vec::new();
    for (args, token_on_stdout) in [
        (&["token", "--format", "json", "-v"][..], true),
        (&["token", "--refresh", "-v"], true),
        (&["call", "-v", "GET", "/x"], false),
    ] {
        let out = env
            .std_cmd()
            .args(args)
            .env("ECHO_SECRET", ECHO_SECRET)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let mut problems = Vec::new();
        if !out.status.success() {
            problems.push(format!("exit {:?}", out.status.code()));
        }
        if let Some(leak) = find_leak(&needles, &stdout, token_on_stdout) {
            problems.push(format!("stdout holds {leak}"));
        }
        if let Some(leak) = find_leak(&needles, &stderr, false) {
            problems.push(format!("stderr holds {leak}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  - {}\n  stdout: {stdout}\n  stderr: {stderr}",
                args.join(" "),
                problems.join("\n  - ")
            ));
        }
    }
    for (path, bytes) in files_under(env.dir.path()) {
        let in_cache = path.starts_with(env.cache_dir());
        if let Some(leak) = find_leak(&needles, &String::from_utf8_lossy(&bytes), in_cache) {
            failures.push(format!("file {} holds {leak}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // The fallback happened once; then the raw spelling went first (the refresh), and `call`
    // used the cached token.
    refused.assert_calls(1);
    taken.assert_calls(2);
    api.assert_calls(1);
}

/// The device flow: its device code is a credential like the client secret. Servers that echo
/// the request back (in the device authorization's answer, in a pending poll's error, in the
/// token response) get neither it nor the secret onto the screen, into `-v` or into the cache;
/// the access token only where the user asked for it.
#[test]
fn the_device_flow_leaks_neither_the_device_code_nor_the_secret() {
    const DEVICE_CODE: &str = "dc-7Q2v\"Leak&Device/Code+9=";
    let server = MockServer::start();
    let basic = format!(
        "Basic {}",
        basic_credentials(&form_urlencoded(CLIENT_ID), &form_urlencoded(CLIENT_SECRET))
    );
    let echo = |request: &httpmock::HttpMockRequest| {
        format!(
            "{} {}",
            request
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or(""),
            request.body_string()
        )
    };
    let device = server.mock(|when, then| {
        when.method(POST).path("/device");
        then.respond_with(move |request: &httpmock::HttpMockRequest| {
            let body = json!({
                "device_code": DEVICE_CODE,
                "user_code": "WDJB-MJHT",
                "verification_uri": "https://idp.example.test/device",
                "expires_in": 300,
                "interval": 1,
                "debug": echo(request),
            });
            httpmock::HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(body.to_string())
                .build()
        });
    });
    let polls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let token = server.mock(|when, then| {
        when.method(POST).path("/token");
        then.respond_with(move |request: &httpmock::HttpMockRequest| {
            let heard = echo(request);
            let (status, body) = if polls.fetch_add(1, Ordering::SeqCst).is_multiple_of(2) {
                (
                    400,
                    json!({"error": "authorization_pending", "error_description": heard}),
                )
            } else {
                (
                    200,
                    json!({
                        "access_token": ACCESS_TOKEN,
                        "token_type": "Bearer",
                        "expires_in": 3600,
                        "debug": heard,
                    }),
                )
            };
            httpmock::HttpMockResponse::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(body.to_string())
                .build()
        });
    });
    let env = TestEnv::new(&format!(
        "[profiles.dev]\ntoken_url = \"{}\"\ndevice_authorization_url = \"{}\"\ngrant = \"device_code\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"LEAK_CLIENT_SECRET\"\n",
        server.url("/token"),
        server.url("/device")
    ));
    let mut needles = spellings(
        "client secret",
        CLIENT_SECRET,
        Some(&base64_of_secret_in_basic(&basic)),
    );
    needles.extend(spellings("device code", DEVICE_CODE, None));
    for n in spellings("access token", ACCESS_TOKEN, None) {
        needles.push(Needle {
            is_access_token: true,
            ..n
        });
    }
    let mut failures = Vec::new();
    // `login` signs in (twice: it signs in whatever is cached), `token` prints the cached token.
    for (args, token_on_stdout) in [
        (&["login", "-v"][..], false),
        (&["token", "--format", "json", "-v"], true),
        (&["login", "-v"], false),
        (&["token", "--format", "header"], true),
    ] {
        let out = env
            .std_cmd()
            .args(args)
            .env("LEAK_CLIENT_SECRET", CLIENT_SECRET)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        let mut problems = Vec::new();
        if !out.status.success() || stdout.contains(ACCESS_TOKEN) != token_on_stdout {
            problems.push(format!(
                "exit {:?}, the token on stdout: {}",
                out.status.code(),
                stdout.contains(ACCESS_TOKEN)
            ));
        }
        if let Some(leak) = find_leak(&needles, &stdout, token_on_stdout) {
            problems.push(format!("stdout holds {leak}"));
        }
        if let Some(leak) = find_leak(&needles, &stderr, false) {
            problems.push(format!("stderr holds {leak}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  - {}\n  stdout: {stdout}\n  stderr: {stderr}",
                args.join(" "),
                problems.join("\n  - ")
            ));
        }
    }
    for (path, bytes) in files_under(env.dir.path()) {
        let in_cache = path.starts_with(env.cache_dir());
        if let Some(leak) = find_leak(&needles, &String::from_utf8_lossy(&bytes), in_cache) {
            failures.push(format!("file {} holds {leak}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Two sign-ins, each a pending poll and then the token.
    device.assert_calls(2);
    token.assert_calls(4);
}

/// DPoP: no proof and nothing of the private key in stdout, stderr (`-v` included) or any file but
/// the key's own; the access token only where the user asked for it (`token`'s stdout, the cache).
#[test]
fn dpop_proofs_and_the_private_key_appear_nowhere() {
    use crate::dpop::Received;
    let server = MockServer::start();
    let received = Received::default();
    let at_token = received.clone();
    server.mock(move |when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.respond_with(move |request: &httpmock::HttpMockRequest| {
            at_token.note(request);
            httpmock::HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(
                    json!({"access_token": ACCESS_TOKEN, "token_type": "DPoP", "expires_in": 900})
                        .to_string(),
                )
                .build()
        });
    });
    let at_api = received.clone();
    server.mock(move |when, then| {
        when.path(API_PATH);
        then.respond_with(move |request: &httpmock::HttpMockRequest| {
            at_api.note(request);
            httpmock::HttpMockResponse::builder()
                .status(200)
                .header("content-type", "application/json")
                .body(r#"{"data":[]}"#)
                .build()
        });
    });
    let env = api_env(&server, "dpop = true\ndpop_key_store = \"file\"\n");
    let runs: Vec<(&[&str], Option<&str>, bool)> = vec![
        (&["token", "-p", "scm", "-v"], None, true),
        (&["token", "-p", "scm", "--format", "json"], None, true),
        (&["call", "-p", "scm", "-v", API_PATH], None, false),
        (&["call", "-p", "scm", "-i", API_PATH], None, false),
        (
            &["batch", "-p", "scm"],
            Some("GET /config/security/v1/security-rules\n"),
            false,
        ),
        (&["cache", "list"], None, false),
        (&["profiles", "show", "-p", "scm"], None, false),
    ];
    let mut outputs = Vec::new();
    for (args, stdin, token_allowed) in runs {
        let mut cmd = env.cmd();
        cmd.args(args).env("SCM_SECRET", SECRET);
        if let Some(input) = stdin {
            cmd.write_stdin(input);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        if args.contains(&"-v") && args[0] != "token" {
            assert!(stderr.contains("> dpop: REDACTED"), "{args:?}: {stderr}");
        }
        outputs.push((format!("{args:?} stdout"), stdout, token_allowed));
        outputs.push((format!("{args:?} stderr"), stderr, false));
    }
    let key_file = crate::dpop::key_file(&env);
    let key = std::fs::read_to_string(&key_file).unwrap();
    let files: String = files_under(env.dir.path())
        .into_iter()
        .filter(|(path, _)| *path != key_file)
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    outputs.push(("files".into(), files, true));

    let proofs: Vec<String> = received.all().into_iter().filter_map(|r| r.proof).collect();
    assert!(proofs.len() >= 4, "{proofs:?}");
    // Any 12 characters of a proof's signature, or of the kept private key, is a leak.
    let mut needles: Vec<(String, String)> = Vec::new();
    for proof in &proofs {
        let signature = proof.rsplit('.').next().unwrap();
        for window in signature.as_bytes().windows(WINDOW) {
            needles.push((
                "a DPoP proof".into(),
                String::from_utf8_lossy(window).into_owned(),
            ));
        }
    }
    for window in key.trim().as_bytes().windows(WINDOW) {
        needles.push((
            "the DPoP private key".into(),
            String::from_utf8_lossy(window).into_owned(),
        ));
    }
    for (place, text, token_allowed) in &outputs {
        for (what, needle) in &needles {
            assert!(
                !text.contains(needle.as_str()),
                "{what} in {place}: {needle}"
            );
        }
        if !token_allowed {
            assert!(!text.contains(ACCESS_TOKEN), "the access token in {place}");
        }
    }
}

/// Client assertions (`private_key_jwt`, `client_secret_jwt`): the private key, the assertion
/// and the secret that keys an HS256 assertion appear in no output and no file, whatever the
/// token endpoint repeats of the request. An assertion is new each time, so the token endpoint
/// here echoes whatever it received (in a 401's description, a 500's text, a 200's extra field)
/// and keeps every assertion it saw: each is a needle, as typed and form-urlencoded, and so is
/// any 12 characters of its claims and signature, and any 12 characters of the key's PEM.
mod client_assertions {
    use std::sync::{Arc, Mutex};

    use super::*;
    use httpmock::{HttpMockRequest, HttpMockResponse};

    /// How the echoing endpoint answers.
    #[derive(Clone, Copy, Debug)]
    enum Echo {
        Issues,
        Refuses401,
        Dumps500,
        IssuesAndRepeats,
    }

    fn responder(
        echo: Echo,
        seen: Arc<Mutex<Vec<String>>>,
    ) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
        move |request: &HttpMockRequest| {
            let body = String::from_utf8_lossy(request.body().as_ref()).into_owned();
            let assertion = url::form_urlencoded::parse(body.as_bytes())
                .find(|(k, _)| k == "client_assertion")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            seen.lock().unwrap().push(assertion.clone());
            let (status, text) = match echo {
                Echo::Issues => (200, scm_token_response(ACCESS_TOKEN, 899).to_string()),
                Echo::Refuses401 => (
                    401,
                    json!({
                        "error": "invalid_client",
                        "error_description": format!("bad assertion {assertion} in {body}")
                    })
                    .to_string(),
                ),
                Echo::Dumps500 => (500, format!("POST /token\r\n\r\n{body}")),
                Echo::IssuesAndRepeats => {
                    let mut answer = scm_token_response(ACCESS_TOKEN, 899);
                    answer["debug"] = json!({ "request": body, "assertion": assertion });
                    (200, answer.to_string())
                }
            };
            HttpMockResponse::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(text)
                .build()
        }
    }

    /// Every 12 characters of `text`.
    fn windows(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        chars.windows(WINDOW).map(|w| w.iter().collect()).collect()
    }

    fn run(keys: &str, secret: Option<&str>, key_file: Option<&str>) {
        let key_pem = key_file
            .map(|f| std::fs::read_to_string(crate::client_assertion::test_key(f)).unwrap());
        for echo in [
            Echo::Issues,
            Echo::Refuses401,
            Echo::Dumps500,
            Echo::IssuesAndRepeats,
        ] {
            let server = MockServer::start();
            let seen = Arc::new(Mutex::new(Vec::new()));
            let answer = responder(echo, seen.clone());
            server.mock(move |when, then| {
                when.method(POST).path(TOKEN_PATH);
                then.respond_with(answer);
            });
            server.mock(|when, then| {
                when.method(GET).path(API_PATH);
                then.status(200).json_body(json!({ "data": [] }));
            });
            let env = TestEnv::new(&format!(
                "[profiles.leak]\ntoken_url = \"{}\"\napi_base = \"{}\"\nclient_id = \"{CLIENT_ID}\"\n{keys}",
                server.url(TOKEN_PATH),
                server.base_url()
            ));
            let rows: [&[&str]; 6] = [
                &["token", "-p", "leak"],
                &["token", "-p", "leak", "-v", "--refresh"],
                &["token", "-p", "leak", "--format", "json", "--refresh"],
                &["call", "-p", "leak", "-v", "--refresh", "GET", API_PATH],
                &["secret", "status", "-p", "leak"],
                &["profiles", "show", "leak"],
            ];
            let mut outputs = Vec::new();
            for args in rows {
                let out = env
                    .std_cmd()
                    .args(args)
                    .env("LEAK_CLIENT_SECRET", secret.unwrap_or(""))
                    .output()
                    .unwrap();
                outputs.push((args.join(" "), out));
            }
            let assertions = seen.lock().unwrap().clone();
            assert!(
                assertions.len() >= 3 && assertions.iter().all(|a| a.split('.').count() == 3),
                "{echo:?}: the token endpoint saw {assertions:?}"
            );
            let mut needles: Vec<String> = Vec::new();
            for assertion in &assertions {
                needles.push(form_urlencoded(assertion));
                let (_, rest) = assertion.split_once('.').unwrap();
                needles.extend(windows(rest));
            }
            if let Some(pem) = &key_pem {
                for line in pem.lines().filter(|l| !l.starts_with("-----")) {
                    needles.extend(windows(line));
                }
            }
            if let Some(secret) = secret {
                needles.extend(windows(secret));
                needles.extend(windows(&form_urlencoded(secret)));
            }
            let files = env.all_file_contents();
            for (args, out) in &outputs {
                for (what, text) in [
                    ("stdout", String::from_utf8_lossy(&out.stdout)),
                    ("stderr", String::from_utf8_lossy(&out.stderr)),
                ] {
                    if let Some(needle) = needles.iter().find(|n| text.contains(n.as_str())) {
                        panic!("{echo:?}: `{args}` shows `{needle}` on {what}:\n{text}");
                    }
                }
            }
            if let Some(needle) = needles.iter().find(|n| files.contains(n.as_str())) {
                panic!("{echo:?}: a file under the test's folder holds `{needle}`");
            }
            // The rows did their work: a token where the endpoint issues one, a refusal otherwise.
            let token = &outputs[0].1;
            match echo {
                Echo::Issues | Echo::IssuesAndRepeats => {
                    assert!(token.status.success(), "{echo:?}: {token:?}")
                }
                Echo::Refuses401 => assert_eq!(token.status.code(), Some(3), "{token:?}"),
                Echo::Dumps500 => assert!(!token.status.success(), "{token:?}"),
            }
        }
    }

    #[test]
    fn private_key_jwt_from_client_key_never_shows_the_key_or_an_assertion() {
        run(
            &format!(
                "client_auth = \"private_key_jwt\"\nclient_key = '{}'\n",
                crate::client_assertion::test_key("rsa.pem").display()
            ),
            None,
            Some("rsa.pem"),
        );
    }

    #[test]
    fn client_secret_jwt_never_shows_the_secret_or_an_assertion() {
        run(
            "client_auth = \"client_secret_jwt\"\nclient_secret_env = \"LEAK_CLIENT_SECRET\"\n",
            Some(CLIENT_SECRET),
            None,
        );
    }
}
