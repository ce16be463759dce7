//! The bad-input matrix: every bad input a user can hand oauthctl, in one place. Each
//! row says what is wrong, and checks what a user would: the exit code of the README's table, the
//! words on stderr that say what was wrong, where, and what to do, nothing on stdout, no panic,
//! nothing sent that should not be, and no file lost (the profile file and any good cache entry
//! are byte-identical afterwards unless the row's point is repairing them).
//!
//! Token endpoints are httpmock servers on loopback answering as docs/providers.md says
//! vendors do. Rows on file ownership and a read-only cache folder run as another user when the
//! suite runs as root (CI does, and root ignores folder permissions), through `setpriv`.

use std::collections::BTreeMap;
#[cfg(unix)]
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::common::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use httpmock::prelude::*;
use serde_json::json;

/// What one run of oauthctl left behind.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(out: std::process::Output) -> Run {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

fn run(mut cmd: assert_cmd::Command) -> Run {
    cmd.output().unwrap().into()
}

/// oauthctl in `env`, with the secret in `$SCM_SECRET`.
fn oauthctl(env: &TestEnv, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = env.cmd();
    cmd.args(args).env("SCM_SECRET", SECRET);
    cmd
}

/// Never a panic, whatever the exit code.
fn no_panic(row: &str, run: &Run) {
    assert_ne!(run.code, Some(101), "{row}: panicked:\n{}", run.stderr);
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "{row}: panicked:\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains(SECRET) && !run.stdout.contains(SECRET),
        "{row}: the client secret was shown"
    );
}

/// A failure: the exit code, every `words` on stderr, an `oauthctl: ` message and nothing on
/// stdout (which carries data only).
fn fails(row: &str, run: &Run, code: i32, words: &[&str]) {
    no_panic(row, run);
    assert_eq!(
        run.code,
        Some(code),
        "{row}: exit code; stderr:\n{}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "{row}: stdout has no data to carry");
    assert!(
        run.stderr.starts_with("oauthctl: "),
        "{row}: stderr:\n{}",
        run.stderr
    );
    for word in words {
        assert!(
            run.stderr.contains(word),
            "{row}: stderr lacks {word:?}:\n{}",
            run.stderr
        );
    }
}

/// A success: exit 0, `stdout` exactly, every `words` on stderr.
fn succeeds(row: &str, run: &Run, stdout: &str, words: &[&str]) {
    no_panic(row, run);
    assert_eq!(
        run.code,
        Some(0),
        "{row}: exit code; stderr:\n{}",
        run.stderr
    );
    assert_eq!(run.stdout, stdout, "{row}: stdout");
    for word in words {
        assert!(
            run.stderr.contains(word),
            "{row}: stderr lacks {word:?}:\n{}",
            run.stderr
        );
    }
}

/// No file lost: each file of `before` is still there with the same bytes. New files (a lock
/// file beside an entry) are fine.
fn nothing_lost(row: &str, before: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path) {
    let after = files_under(dir);
    for (path, bytes) in before {
        match after.get(path) {
            Some(now) => assert!(now == bytes, "{row}: {} changed", path.display()),
            None => panic!("{row}: {} was lost", path.display()),
        }
    }
}

/// The cache entry files (not the lock files) in `dir`.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "json"));
    found
}

fn only_entry(dir: &Path) -> PathBuf {
    let found = entries(dir);
    assert_eq!(found.len(), 1, "entries in {}: {found:?}", dir.display());
    found.into_iter().next().unwrap()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().mode() & 0o777
}

/// A mock server with a token endpoint answering SCM's way with `token`, and an API at `/x`.
struct Vendor {
    server: MockServer,
}

impl Vendor {
    fn new() -> Vendor {
        Vendor {
            server: MockServer::start(),
        }
    }

    fn token_endpoint(&self, token: &str, expires_in: u64) -> httpmock::Mock<'_> {
        self.server.mock(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(200)
                .json_body(scm_token_response(token, expires_in));
        })
    }

    fn api(&self) -> httpmock::Mock<'_> {
        self.server.mock(|when, then| {
            when.path("/x");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"ok":true}"#);
        })
    }

    /// A generic profile `scm` against this server: token endpoint, API base, secret from env.
    fn profile(&self) -> String {
        generic_profile(
            "scm",
            &self.server.url(TOKEN_PATH),
            &format!("api_base = \"{}\"", self.server.base_url()),
        )
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.server.port())
    }
}

// ---------------------------------------------------------------------------------------------
// The profile file
// ---------------------------------------------------------------------------------------------

/// A profile file that is wrong, and what oauthctl must say about it. `{config}` stands for the
/// file's path and `{token_url}` for a loopback token endpoint.
struct ProfileRow {
    name: &'static str,
    text: &'static str,
    args: &'static [&'static str],
    stderr: &'static [&'static str],
}

const PROFILE_ROWS: &[ProfileRow] = &[
    ProfileRow {
        name: "broken TOML: an unclosed string",
        text: "[profiles.scm]\nclient_id = \"sa-1\ntoken_url = \"{token_url}\"\n",
        args: &[],
        stderr: &[
            "oauthctl: {config}: TOML parse error at line 2, column",
            "client_id = \"sa-1",
            "invalid basic string",
        ],
    },
    ProfileRow {
        name: "broken TOML: an unclosed table header",
        text: "[profiles.scm\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &[
            "oauthctl: {config}: TOML parse error at line 1, column 14",
            "unclosed table, expected `]`",
        ],
    },
    ProfileRow {
        name: "unknown key near a known one",
        text: "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"sa-1\"\ntsgid = 1234567890\n",
        args: &[],
        stderr: &[
            "oauthctl: {config}: line 4: profile scm has an unknown key `tsgid`; did you mean `tsg_id`?\n",
        ],
    },
    ProfileRow {
        name: "unknown key near none",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\ncolour = \"blue\"\n",
        args: &[],
        stderr: &[
            "oauthctl: {config}: line 4: profile scm has an unknown key `colour`. Valid keys: provider, token_url, api_base, client_id",
        ],
    },
    ProfileRow {
        name: "unknown key at the top of the file",
        text: "default_profle = \"scm\"\n[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &[
            "oauthctl: {config}: TOML parse error at line 1, column 1",
            "unknown field `default_profle`, expected `default_profile` or `profiles`",
        ],
    },
    ProfileRow {
        name: "a preset's key without its provider",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\ntsg_id = 1234567890\n",
        args: &[],
        stderr: &[
            "oauthctl: {config}: line 4: profile scm sets `tsg_id`, which only provider = \"scm\" uses",
        ],
    },
    ProfileRow {
        name: "unknown provider",
        text: "[profiles.scm]\nprovider = \"scn\"\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &[
            "oauthctl: {config}: line 2: profile scm names an unknown provider `scn`; known providers: scm (",
        ],
    },
    ProfileRow {
        name: "wrong type: min_ttl a string",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\nmin_ttl = \"soon\"\n",
        args: &[],
        stderr: &[
            "oauthctl: {config}: TOML parse error at line 4, column 11",
            "min_ttl = \"soon\"",
            "invalid type: string \"soon\", expected a whole number (0 or more)",
        ],
    },
    ProfileRow {
        name: "wrong type: min_ttl negative",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\nmin_ttl = -60\n",
        args: &[],
        stderr: &[
            "line 4, column 11",
            "integer `-60`, expected a whole number (0 or more)",
        ],
    },
    ProfileRow {
        name: "wrong type: scope a number",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\nscope = 5\n",
        args: &[],
        stderr: &[
            "line 4, column 9",
            "expected a string or a list of strings, found integer",
        ],
    },
    ProfileRow {
        name: "wrong type: client_id a list",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = [\"sa-1\"]\n",
        args: &[],
        stderr: &[
            "line 3, column 13",
            "expected a string or a number, found array",
        ],
    },
    ProfileRow {
        name: "wrong type: allowed_origins a string",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\nallowed_origins = \"https://a.example\"\n",
        args: &[],
        stderr: &["line 4, column 19", "expected a list"],
    },
    ProfileRow {
        name: "wrong value: client_auth",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\nclient_auth = \"oauth\"\n",
        args: &[],
        stderr: &[
            "line 4, column 15",
            "unknown variant `oauth`, expected one of `basic`, `post`, `json`, `tls_client_auth`",
        ],
    },
    ProfileRow {
        name: "wrong type: profiles not a table",
        text: "profiles = 3\n",
        args: &[],
        stderr: &["line 1, column 12", "expected a table"],
    },
    ProfileRow {
        name: "empty profile file",
        text: "",
        args: &[],
        stderr: &[
            "oauthctl: {config} holds no profiles\nhint: add one with `oauthctl profiles add`, or a [profiles.NAME] table (`oauthctl profiles example` has one for each provider)\n",
        ],
    },
    ProfileRow {
        name: "profile file of comments only",
        text: "# profiles go here\n\n",
        args: &[],
        stderr: &[
            "oauthctl: {config} holds no profiles\nhint: add one with `oauthctl profiles add`",
        ],
    },
    ProfileRow {
        name: "missing profile, asked with -p",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\n",
        args: &["-p", "sccm"],
        stderr: &[
            "oauthctl: no profile named sccm in {config}; known profiles: scm\nhint: choose one with -p NAME (or $OAUTHCTL_PROFILE), or add a [profiles.sccm] table\n",
        ],
    },
    ProfileRow {
        name: "missing profile, named by default_profile",
        text: "default_profile = \"gone\"\n[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &[
            "oauthctl: no profile named gone (named by default_profile) in {config}; known profiles: scm\nhint: set default_profile to one of them\n",
        ],
    },
    ProfileRow {
        name: "two profiles and no default",
        text: "[profiles.a]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\n[profiles.b]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &[
            "holds 2 profiles and no default_profile; choose one with -p NAME: a, b\nhint: or set default_profile = \"NAME\"",
        ],
    },
    ProfileRow {
        name: "missing client_id",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_secret_env = \"SCM_SECRET\"\n",
        args: &[],
        stderr: &[
            "oauthctl: profile scm has no client_id\nhint: add client_id = \"...\" (the service account's client id) to [profiles.scm]\n",
        ],
    },
    ProfileRow {
        name: "empty client_id",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"\"\n",
        args: &[],
        stderr: &["oauthctl: profile scm has no client_id\nhint: add client_id"],
    },
    ProfileRow {
        name: "no token_url and no provider",
        text: "[profiles.scm]\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &[
            "oauthctl: profile scm has no token_url\nhint: set token_url, or provider = one of scm",
        ],
    },
    ProfileRow {
        name: "scm without tsg_id",
        text: "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &["profile scm: provider scm needs `tsg_id` (your Tenant Service Group id)"],
    },
    ProfileRow {
        name: "non-https token URL",
        text: "[profiles.scm]\ntoken_url = \"http://auth.example.com/oauth2/access_token\"\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &[
            "oauthctl: profile scm: token_url http://auth.example.com/oauth2/access_token is not https; oauthctl sends client secrets over TLS only (plain http is allowed for loopback hosts)\n",
        ],
    },
    ProfileRow {
        name: "token URL of another scheme",
        text: "[profiles.scm]\ntoken_url = \"ftp://auth.example.com/token\"\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &[
            "oauthctl: profile scm: token_url `ftp://auth.example.com/token` must be an https:// URL\n",
        ],
    },
    ProfileRow {
        name: "token URL without a scheme",
        text: "[profiles.scm]\ntoken_url = \"auth.example.com/token\"\nclient_id = \"sa-1\"\n",
        args: &[],
        stderr: &["oauthctl: profile scm: token_url `auth.example.com/token` is not a URL"],
    },
    ProfileRow {
        name: "allowed_origins entry with a path",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\nallowed_origins = [\"https://a.example/v1\"]\n",
        args: &[],
        stderr: &[
            "profile scm: allowed_origins entry `https://a.example/v1` is not an origin\nhint: write scheme://host[:port], e.g. \"https://a.example\"",
        ],
    },
    ProfileRow {
        name: "client_cert without client_key",
        text: "[profiles.scm]\ntoken_url = \"{token_url}\"\nclient_id = \"sa-1\"\nclient_cert = \"cert.pem\"\n",
        args: &[],
        stderr: &["profile scm: client_cert and client_key go together"],
    },
];

#[test]
fn bad_profile_files_are_named_with_file_line_and_fix_and_nothing_is_sent_or_lost() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let api = vendor.api();
    for row in PROFILE_ROWS {
        // A good entry in the cache first, from a good profile: it must outlive the bad one.
        let env = TestEnv::new(&vendor.profile());
        let seeded = run(oauthctl(&env, &["token"]));
        succeeds(row.name, &seeded, &format!("{TOKEN}\n"), &[]);
        let text = row
            .text
            .replace("{token_url}", &vendor.server.url(TOKEN_PATH));
        env.write_profiles(&text);
        let before = files_under(env.dir.path());
        let calls = token.calls();

        let config = env.config().display().to_string();
        let words: Vec<String> = row
            .stderr
            .iter()
            .map(|w| w.replace("{config}", &config))
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        for command in [&["token"][..], &["call", "GET", "/x"]] {
            let what = format!("{} ({})", row.name, command.join(" "));
            let mut args = row.args.to_vec();
            args.extend_from_slice(command);
            // Exit 1 for `call` too: the profile is wrong before any token is asked for.
            fails(&what, &run(oauthctl(&env, &args)), 1, &words);
            nothing_lost(&what, &before, env.dir.path());
        }
        assert_eq!(std::fs::read_to_string(env.config()).unwrap(), text);
        assert_eq!(
            token.calls(),
            calls,
            "{}: a token request was sent",
            row.name
        );
    }
    api.assert_calls(0);
}

#[test]
fn missing_profile_file_says_where_it_looked_and_creates_nothing() {
    let env = TestEnv::new("");
    std::fs::remove_file(env.config()).unwrap();
    for command in [
        &["token"][..],
        &["call", "GET", "/x"],
        &["profiles", "list"],
    ] {
        let row = format!("no profile file ({})", command.join(" "));
        fails(
            &row,
            &run(oauthctl(&env, command)),
            1,
            &[&format!(
                "oauthctl: no profile file at {}\nhint: run `oauthctl profiles add` to write one, or start from `oauthctl profiles example`; or name another file with --config PATH; or, as in CI, give the profile in OAUTHCTL_* variables (OAUTHCTL_PROVIDER, OAUTHCTL_CLIENT_ID, OAUTHCTL_CLIENT_SECRET, ...)\n",
                env.config().display()
            )],
        );
        assert!(!env.config().exists(), "{row}: created the profile file");
        assert!(!env.cache_dir().exists(), "{row}: created the cache");
    }
}

// ---------------------------------------------------------------------------------------------
// The token endpoint's answer
// ---------------------------------------------------------------------------------------------

/// A token endpoint's answer that holds no usable token. `{host}` stands for the server's
/// `127.0.0.1:port`.
struct AnswerRow {
    name: &'static str,
    status: u16,
    content_type: &'static str,
    body: &'static str,
    stderr: &'static [&'static str],
}

const ANSWER_ROWS: &[AnswerRow] = &[
    AnswerRow {
        name: "token response not JSON: a sign-in page",
        status: 200,
        content_type: "text/html",
        body: "<html><head><title>Sign in</title></head><body>Sign in to continue</body></html>",
        stderr: &[
            "oauthctl: token request to {host} answered 200 with a body that is not JSON (body: <html><head><title>Sign in</title>",
            "\nhint: check token_url: a token endpoint answers with a JSON object holding access_token (RFC 6749 §5.1)\n",
        ],
    },
    AnswerRow {
        name: "token response not JSON: form-encoded, token and all",
        status: 200,
        content_type: "application/x-www-form-urlencoded",
        body: "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=&token_type=bearer",
        stderr: &[
            "oauthctl: token request to {host} answered 200 with a form-encoded body, not JSON (body: access_token=REDACTED&scope=&token_type=bearer)\n",
            "hint: oauthctl reads token responses as JSON",
        ],
    },
    AnswerRow {
        name: "JSON without access_token",
        status: 200,
        content_type: "application/json",
        body: r#"{"token_type":"Bearer","expires_in":899,"scope":"tsg_id:1234567890"}"#,
        stderr: &[
            "oauthctl: token request to {host} answered 200 without an access_token\nhint: check token_url",
        ],
    },
    AnswerRow {
        name: "JSON with an empty access_token",
        status: 200,
        content_type: "application/json",
        body: r#"{"access_token":"","token_type":"Bearer","expires_in":899}"#,
        stderr: &["answered 200 without an access_token\nhint: check token_url"],
    },
    AnswerRow {
        name: "JSON error object under 200",
        status: 200,
        content_type: "application/json",
        body: r#"{"error":"server_error","error_description":"Try again later"}"#,
        stderr: &[
            "answered 200 without an access_token server_error: Try again later\nhint: check token_url",
        ],
    },
    AnswerRow {
        name: "HTML 502 from a proxy",
        status: 502,
        content_type: "text/html",
        body: "<html><body>\n<h1>502 Bad Gateway</h1>\n</body></html>",
        stderr: &[
            "oauthctl: token request to {host} failed: 502 (body: <html><body> <h1>502 Bad Gateway</h1> </body></html>)\nhint: the token endpoint, or a proxy on the way to it, is failing; try again later\n",
        ],
    },
    AnswerRow {
        name: "empty 503",
        status: 503,
        content_type: "text/plain",
        body: "",
        stderr: &["failed: 503 (empty body)\nhint: the token endpoint, or a proxy"],
    },
    AnswerRow {
        name: "200 with an empty body",
        status: 200,
        content_type: "application/json",
        body: "",
        stderr: &[
            "oauthctl: token request to {host} answered 200 with an empty body\nhint: check token_url",
        ],
    },
    AnswerRow {
        name: "404: not the token endpoint",
        status: 404,
        content_type: "text/html",
        body: "<h1>Not Found</h1>",
        stderr: &[
            "failed: 404 (body: <h1>Not Found</h1>)\nhint: check token_url: this is not where the token endpoint is",
        ],
    },
    AnswerRow {
        name: "expires_in a string that is no number",
        status: 200,
        content_type: "application/json",
        body: r#"{"access_token":"t-soon","token_type":"Bearer","expires_in":"soon"}"#,
        stderr: &[
            "oauthctl: token request to {host} answered 200 with expires_in \"soon\", which is not a number of seconds\nhint: expires_in is the token's lifetime in seconds (RFC 6749 §5.1)",
        ],
    },
    AnswerRow {
        name: "expires_in negative",
        status: 200,
        content_type: "application/json",
        body: r#"{"access_token":"t-neg","token_type":"Bearer","expires_in":-5}"#,
        stderr: &["answered 200 with expires_in -5, which is not a number of seconds"],
    },
];

#[test]
fn token_answers_without_a_usable_token_exit_1_for_token_and_3_for_call() {
    for row in ANSWER_ROWS {
        let vendor = Vendor::new();
        let answer = vendor.server.mock(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(row.status)
                .header("content-type", row.content_type)
                .body(row.body);
        });
        let api = vendor.api();
        let env = TestEnv::new(&vendor.profile());
        let before = files_under(env.dir.path());
        let words: Vec<String> = row
            .stderr
            .iter()
            .map(|w| w.replace("{host}", &vendor.host()))
            .collect();
        let words: Vec<&str> = words.iter().map(String::as_str).collect();

        let token = run(oauthctl(&env, &["token"]));
        fails(&format!("{} (token)", row.name), &token, 1, &words);
        // The README: for `call`, no token is exit 3 whatever the reason, and the reason follows.
        let call = run(oauthctl(&env, &["call", "GET", "/x"]));
        let mut call_words = vec!["oauthctl: no access token for profile scm: token request to "];
        call_words.extend(words.iter().map(|w| w.trim_start_matches("oauthctl: ")));
        fails(&format!("{} (call)", row.name), &call, 3, &call_words);

        for out in [&token, &call] {
            assert!(
                !out.stderr.contains("gho_16C7"),
                "{}: the token was quoted",
                row.name
            );
        }
        answer.assert_calls(2);
        api.assert_calls(0);
        nothing_lost(row.name, &before, env.dir.path());
        assert!(
            entries(&env.cache_dir()).is_empty(),
            "{}: cached an answer without a token",
            row.name
        );
    }
}

#[test]
fn a_failing_token_endpoint_leaves_the_cached_token_in_place() {
    let vendor = Vendor::new();
    let mut good = vendor.token_endpoint("cached-token", 899);
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        "cached-token\n",
        &[],
    );
    good.delete();
    vendor.server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(502)
            .header("content-type", "text/html")
            .body("<html><h1>502 Bad Gateway</h1></html>");
    });
    let before = files_under(env.dir.path());
    fails(
        "--refresh against a 502",
        &run(oauthctl(&env, &["token", "--refresh"])),
        1,
        &["failed: 502"],
    );
    nothing_lost("--refresh against a 502", &before, env.dir.path());
    succeeds(
        "the cached token still serves",
        &run(oauthctl(&env, &["token"])),
        "cached-token\n",
        &[],
    );
}

/// Seconds from now to an RFC 3339 time.
fn seconds_until(rfc3339: &str) -> i64 {
    let at = humantime::parse_rfc3339(rfc3339)
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    at as i64 - unix_now() as i64
}

/// `expires_in` shapes that still give a token: what `--format json` says of its expiry, and
/// whether the next `token` is served from the cache.
#[test]
fn expires_in_absent_string_or_huge_gives_a_token_and_a_sensible_expiry() {
    let exp = unix_now() + 1800;
    let past = unix_now() - 10;
    let jwt_with_exp = jwt(json!({"sub": "sa-1", "exp": exp}));
    let jwt_expired = jwt(json!({"sub": "sa-1", "exp": past}));
    // (row, response, expected expires_at check, reused from the cache)
    type Expiry = Box<dyn Fn(&serde_json::Value) -> bool>;
    let rows: Vec<(&str, serde_json::Value, Expiry, bool)> = vec![
        (
            "expires_in absent, opaque token: reused until an API rejects it",
            json!({"access_token": "decc891e-4bee-3831-a321-38b1db1fece0", "token_type": "Bearer"}),
            Box::new(|v| v.is_null()),
            true,
        ),
        (
            "expires_in absent, JWT: its exp claim is the expiry",
            json!({"access_token": jwt_with_exp, "token_type": "Bearer"}),
            Box::new(move |v| {
                humantime::parse_rfc3339(v.as_str().unwrap())
                    .unwrap()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_secs()
                    == exp
            }),
            true,
        ),
        (
            "expires_in absent, JWT expired by its exp claim: fetched again",
            json!({"access_token": jwt_expired, "token_type": "Bearer"}),
            Box::new(|v| seconds_until(v.as_str().unwrap()) < 0),
            false,
        ),
        (
            "expires_in a string of digits (SAP)",
            json!({"access_token": "t-string", "token_type": "bearer", "expires_in": "3600"}),
            Box::new(|v| (3590..=3600).contains(&seconds_until(v.as_str().unwrap()))),
            true,
        ),
        (
            "expires_in a fraction",
            json!({"access_token": "t-fraction", "token_type": "bearer", "expires_in": 899.9}),
            Box::new(|v| (890..=899).contains(&seconds_until(v.as_str().unwrap()))),
            true,
        ),
        (
            "expires_in huge (1e30)",
            json!({"access_token": "t-huge", "token_type": "Bearer", "expires_in": 1e30}),
            Box::new(|v| v == "9999-12-31T23:59:59Z"),
            true,
        ),
        (
            "expires_in u64::MAX",
            json!({"access_token": "t-max", "token_type": "Bearer", "expires_in": u64::MAX}),
            Box::new(|v| v == "9999-12-31T23:59:59Z"),
            true,
        ),
        (
            "expires_in zero",
            json!({"access_token": "t-zero", "token_type": "Bearer", "expires_in": 0}),
            Box::new(|v| seconds_until(v.as_str().unwrap()) <= 0),
            false,
        ),
    ];
    for (row, response, expiry, reused) in rows {
        let vendor = Vendor::new();
        let answer = vendor.server.mock(|when, then| {
            when.method(POST).path(TOKEN_PATH);
            then.status(200).json_body(response.clone());
        });
        let access_token = response["access_token"].as_str().unwrap();
        let env = TestEnv::new(&vendor.profile());

        let first = run(oauthctl(&env, &["token", "--format", "json"]));
        no_panic(row, &first);
        assert_eq!(first.code, Some(0), "{row}: {}", first.stderr);
        assert_eq!(first.stderr, "", "{row}");
        let shown: serde_json::Value = serde_json::from_str(&first.stdout).unwrap();
        assert_eq!(shown["access_token"], access_token, "{row}");
        assert!(
            expiry(&shown["expires_at"]),
            "{row}: expires_at {}",
            shown["expires_at"]
        );
        // The cached entry prints the same way (it once overflowed SystemTime here).
        let again = run(oauthctl(&env, &["token", "--format", "json"]));
        no_panic(row, &again);
        assert_eq!(again.code, Some(0), "{row}: {}", again.stderr);
        if reused {
            assert_eq!(again.stdout, first.stdout, "{row}: from the cache");
        }
        succeeds(
            row,
            &run(oauthctl(&env, &["token"])),
            &format!("{access_token}\n"),
            &[],
        );
        answer.assert_calls(if reused { 1 } else { 3 });
        let listed = run(oauthctl(&env, &["cache", "list"]));
        no_panic(row, &listed);
        assert_eq!(listed.code, Some(0), "{row}: cache list: {}", listed.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// The cache
// ---------------------------------------------------------------------------------------------

#[test]
fn truncated_cache_entry_is_said_and_replaced() {
    let vendor = Vendor::new();
    let mut first = vendor.token_endpoint("first-token", 899);
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        "first-token\n",
        &[],
    );
    first.delete();
    let second = vendor.token_endpoint("second-token", 899);
    let entry = only_entry(&env.cache_dir());
    let whole = std::fs::read(&entry).unwrap();
    std::fs::write(&entry, &whole[..whole.len() / 2]).unwrap();

    let out = run(oauthctl(&env, &["token"]));
    succeeds(
        "truncated entry",
        &out,
        "second-token\n",
        &[&format!(
            "oauthctl: warning: cache entry {} is corrupt (EOF while parsing",
            entry.display()
        )],
    );
    assert!(
        out.stderr
            .ends_with("); not using it: fetching a new token\n"),
        "{}",
        out.stderr
    );
    // Replaced by a whole entry, which the next run uses without a word.
    succeeds(
        "after",
        &run(oauthctl(&env, &["token"])),
        "second-token\n",
        &[],
    );
    second.assert_calls(1);
    assert_eq!(run(oauthctl(&env, &["token"])).stderr, "");
}

#[test]
#[cfg(unix)]
fn cache_folder_and_entry_open_to_others_are_made_private_and_said() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let api = vendor.api();
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let dir = env.cache_dir();
    let entry = only_entry(&dir);
    let before = files_under(env.dir.path());

    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = run(oauthctl(&env, &["token"]));
    succeeds("cache folder 0777", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: cache folder {} was open to other users (mode 777); made it 0700\n",
            dir.display()
        )
    );
    assert_eq!(mode(&dir), 0o700);

    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(oauthctl(&env, &["call", "GET", "/x"]));
    succeeds("cache entry 0644 (call)", &out, r#"{"ok":true}"#, &[]);
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: cache entry {} was open to other users (mode 644); made it 0600\n",
            entry.display()
        )
    );
    assert_eq!(mode(&entry), 0o600);

    // Repaired, not replaced: the same token from the same entry, and no new request.
    nothing_lost("modes repaired", &before, env.dir.path());
    token.assert_calls(1);
    api.assert_calls(1);
    assert_eq!(run(oauthctl(&env, &["token"])).stderr, "", "said only once");
}

/// Replaces the access token in a cache entry, as someone who can write there could.
#[cfg(unix)]
fn plant(entry: &Path, token: &str) {
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(entry).unwrap()).unwrap();
    json["response"]["access_token"] = token.into();
    std::fs::write(entry, json.to_string()).unwrap();
}

#[cfg(unix)]
fn chown_nobody(paths: &[PathBuf]) {
    for path in paths {
        std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
    }
}

#[test]
#[cfg(unix)]
fn cache_folder_of_another_user_is_not_used_and_said() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    let root = running_as_root();
    let dir = if root {
        // nobody's folder, holding a fresh token for this very profile: anyone could have put it
        // there, so it must not be used.
        succeeds(
            "seed",
            &run(oauthctl(&env, &["token"])),
            &format!("{TOKEN}\n"),
            &[],
        );
        let entry = only_entry(&env.cache_dir());
        plant(&entry, "planted-token");
        let lock = entry.with_extension("lock");
        chown_nobody(&[env.cache_dir(), entry, lock]);
        env.cache_dir()
    } else {
        // Not root: the file system's root is another user's folder.
        PathBuf::from("/")
    };
    let owner = std::fs::metadata(&dir).unwrap().uid();
    let before = if root {
        files_under(&dir)
    } else {
        BTreeMap::new()
    };
    let mut cmd = oauthctl(&env, &["token"]);
    cmd.env("OAUTHCTL_CACHE_DIR", &dir);
    succeeds(
        "cache folder of another user",
        &run(cmd),
        &format!("{TOKEN}\n"),
        &[&format!(
            "oauthctl: warning: cache folder {} belongs to another user (uid {owner}); not using it: the token is fetched without the cache\nhint: point $OAUTHCTL_CACHE_DIR at a folder of your own\n",
            dir.display()
        )],
    );
    if root {
        // Not read (the token was fetched), not written, not repaired.
        nothing_lost("cache folder of another user", &before, &dir);
        assert_eq!(
            files_under(&dir).len(),
            before.len(),
            "wrote into another user's folder"
        );
        assert_eq!(std::fs::metadata(&dir).unwrap().uid(), NOBODY);
        token.assert_calls(2);
    } else {
        token.assert_calls(1);
    }
}

#[test]
#[ignore = "needs root"]
#[cfg(unix)]
fn cache_entry_of_another_user_is_not_used_and_said() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    assert!(
        running_as_root(),
        "run as root: only root can give a file in its own folder to another user"
    );
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    plant(&entry, "planted-token");
    chown_nobody(std::slice::from_ref(&entry));
    let out = run(oauthctl(&env, &["token"]));
    succeeds(
        "cache entry of another user",
        &out,
        &format!("{TOKEN}\n"),
        &[],
    );
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: cache entry {} belongs to another user (uid {NOBODY}); not using it: fetching a new token\n",
            entry.display()
        )
    );
    // Replaced by our own entry, which the next run uses.
    assert_eq!(std::fs::metadata(&entry).unwrap().uid(), 0);
    succeeds(
        "after",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    token.assert_calls(2);
}

/// `oauthctl args...` as nobody, with `env`'s environment: how a root test meets folder
/// permissions, which root itself ignores. Needs `setpriv` (util-linux).
#[cfg(unix)]
fn as_nobody(env: &TestEnv, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = env.as_nobody(&oauthctl_bin());
    cmd.args(args).env("SCM_SECRET", SECRET);
    assert_cmd::Command::from_std(cmd)
}

/// Who runs oauthctl against a read-only cache folder.
#[cfg(unix)]
enum RunAs {
    /// The user running the tests, who is not root.
    Me,
    /// nobody, in place of root.
    Nobody,
}

#[cfg(unix)]
impl RunAs {
    fn cmd(&self, env: &TestEnv, args: &[&str]) -> assert_cmd::Command {
        match self {
            RunAs::Me => oauthctl(env, args),
            RunAs::Nobody => as_nobody(env, args),
        }
    }
}

/// A read-only cache folder of the user who runs oauthctl, and how to run oauthctl as that user.
/// As root: nobody's folder, mode 0500, with nobody running oauthctl. Otherwise: ours, 0500.
#[cfg(unix)]
fn read_only_cache(env: &TestEnv) -> RunAs {
    let dir = env.cache_dir();
    if !dir.exists() {
        std::fs::create_dir(&dir).unwrap();
    }
    if running_as_root() {
        assert!(
            std::process::Command::new("setpriv")
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success()),
            "running as root, this test needs setpriv (util-linux) to run oauthctl as another user"
        );
        // nobody must reach the profile file through the test's folder.
        std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let mut owned = vec![dir.clone()];
        owned.extend(files_under(&dir).into_keys());
        chown_nobody(&owned);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
        RunAs::Nobody
    } else {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o500)).unwrap();
        RunAs::Me
    }
}

#[test]
#[cfg(unix)]
fn read_only_cache_folder_still_gives_the_token_with_one_warning() {
    // A warm cache: the cached token is served, nothing to write, nothing to say.
    let vendor = Vendor::new();
    let mut first = vendor.token_endpoint("cached-token", 899);
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        "cached-token\n",
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    let ro = read_only_cache(&env);
    let before = files_under(&env.cache_dir());
    succeeds(
        "read-only folder, fresh entry",
        &run(ro.cmd(&env, &["token"])),
        "cached-token\n",
        &[],
    );
    first.assert_calls(1);
    first.delete();

    // A new token cannot be cached: printed all the same, exit 0, said once with the fix.
    let second = vendor.token_endpoint("new-token", 899);
    let out = run(ro.cmd(&env, &["token", "--refresh"]));
    succeeds("read-only folder, --refresh", &out, "new-token\n", &[]);
    let cache = env.cache_dir();
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: cannot write cache entry {}: Permission denied (os error 13); the token was not cached\n\
             hint: make {} writable for you, or point $OAUTHCTL_CACHE_DIR at a folder that is\n",
            entry.display(),
            cache.display()
        )
    );
    second.assert_calls(1);
    nothing_lost("read-only folder", &before, &cache);
    assert_eq!(mode(&cache), 0o500, "the folder stays read-only");

    // A cold read-only cache, through `call`: the API is called with a fetched token.
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let api = vendor.server.mock(|when, then| {
        when.path("/x")
            .header("authorization", format!("Bearer {TOKEN}"));
        then.status(200).body(r#"{"ok":true}"#);
    });
    let env = TestEnv::new(&vendor.profile());
    let ro = read_only_cache(&env);
    let out = run(ro.cmd(&env, &["call", "GET", "/x"]));
    succeeds("cold read-only folder (call)", &out, r#"{"ok":true}"#, &[]);
    assert_eq!(
        out.stderr.lines().count(),
        2,
        "one warning and its hint:\n{}",
        out.stderr
    );
    assert!(
        out.stderr
            .starts_with("oauthctl: warning: cannot write cache entry ")
            && out
                .stderr
                .contains("Permission denied (os error 13); the token was not cached\nhint: make "),
        "{}",
        out.stderr
    );
    assert!(entries(&env.cache_dir()).is_empty());
    token.assert_calls(1);
    api.assert_calls(1);
    // Writable again, so that the test's folder can be removed.
    std::fs::set_permissions(env.cache_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn cache_path_that_is_a_file_is_left_alone_and_said() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    let file = env.dir.path().join("not-a-folder");
    std::fs::write(&file, "keep me\n").unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut cmd = oauthctl(&env, &["token"]);
    cmd.env("OAUTHCTL_CACHE_DIR", &file);
    let out = run(cmd);
    succeeds("cache path is a file", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: cache folder {} is not a folder; not using it: the token is fetched without the cache\n\
             hint: point $OAUTHCTL_CACHE_DIR at a folder, or at a path where one can be created\n",
            file.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me\n");
    #[cfg(unix)]
    assert_eq!(mode(&file), 0o644);
    token.assert_calls(1);
}

// ---------------------------------------------------------------------------------------------
// SAP BTP service keys
// ---------------------------------------------------------------------------------------------

const SAP_SECRET: &str = "sap-s3cr3t/with+chars=";

/// A Cloud Management service key (docs/providers.md §5) whose UAA is `url`.
fn sap_key(url: &str) -> serde_json::Value {
    json!({
        "endpoints": {
            "accounts_service_url": "https://accounts-service.cfapps.eu10.hana.ondemand.com",
            "events_service_url": "https://events-service.cfapps.eu10.hana.ondemand.com"
        },
        "grant_type": "client_credentials",
        "uaa": {
            "clientid": SAP_CLIENT_ID,
            "clientsecret": SAP_SECRET,
            "url": url,
            "identityzone": "mysub",
            "xsappname": "ut-1234!b1|cis-central!b14"
        }
    })
}

/// A service key that is wrong, as the bytes of its file (`None`: no file at all).
#[cfg(unix)]
struct KeyRow {
    name: &'static str,
    key: Option<String>,
    /// `{key}` stands for the key file's path.
    stderr: &'static str,
}

#[cfg(unix)]
fn without(field: &str) -> String {
    let mut key = sap_key("https://mysub.authentication.eu10.hana.ondemand.com");
    key["uaa"].as_object_mut().unwrap().remove(field);
    key.to_string()
}

#[cfg(unix)]
fn with(field: &str, value: serde_json::Value) -> String {
    let mut key = sap_key("https://mysub.authentication.eu10.hana.ondemand.com");
    key["uaa"][field] = value;
    key.to_string()
}

#[cfg(unix)]
fn key_rows() -> Vec<KeyRow> {
    vec![
        KeyRow {
            name: "service key without uaa.clientid",
            key: Some(without("clientid")),
            stderr: "service key {key} has no uaa.clientid\nhint: download the key again from the SAP BTP cockpit (Instances and Subscriptions → the instance → Service Keys)\n",
        },
        KeyRow {
            name: "service key without uaa.url",
            key: Some(without("url")),
            stderr: "service key {key} has no uaa.url\nhint: download the key again",
        },
        KeyRow {
            name: "service key with an empty uaa.url",
            key: Some(with("url", json!(""))),
            stderr: "service key {key} has an empty uaa.url\nhint: download the key again",
        },
        KeyRow {
            name: "service key whose uaa.clientid is a number",
            key: Some(with("clientid", json!(1234))),
            stderr: "service key {key}: uaa.clientid is a number, not a string\nhint: download the key again",
        },
        KeyRow {
            name: "X.509 service key without uaa.certurl",
            key: Some({
                let mut key = sap_key("https://mysub.authentication.eu10.hana.ondemand.com");
                let uaa = key["uaa"].as_object_mut().unwrap();
                uaa.remove("clientsecret");
                uaa.insert("credential-type".into(), "x509".into());
                uaa.insert(
                    "certificate".into(),
                    "-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----".into(),
                );
                uaa.insert(
                    "key".into(),
                    "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----".into(),
                );
                key.to_string()
            }),
            stderr: "service key {key} has no uaa.certurl\nhint: download the key again",
        },
        KeyRow {
            name: "service key cut short",
            key: Some({
                let whole =
                    sap_key("https://mysub.authentication.eu10.hana.ondemand.com").to_string();
                whole[..whole.len() / 2].to_string()
            }),
            stderr: "service key {key} is not valid JSON: EOF while parsing",
        },
        KeyRow {
            name: "service key that is a JSON array",
            key: Some("[]".into()),
            stderr: "service key {key} holds a JSON array, not an object with uaa and endpoints\nhint: download the key again",
        },
        KeyRow {
            name: "service key file missing",
            key: None,
            stderr: "cannot read service key {key}: No such file or directory",
        },
    ]
}

// The system error texts (and a path under a file) are Unix's.
#[cfg(unix)]
#[test]
fn import_of_a_bad_service_key_says_what_is_missing_and_writes_nothing() {
    let existing = "# my profiles\n[profiles.other]\ntoken_url = \"https://auth.example.com/t\"\nclient_id = \"x\"\n";
    let mut rows = key_rows();
    rows.push(KeyRow {
        name: "service key without uaa.clientsecret",
        key: Some(without("clientsecret")),
        stderr: "service key {key} has no uaa.clientsecret\nhint: download the key again",
    });
    for row in rows {
        let env = TestEnv::new(existing);
        let key = env.dir.path().join("cis-key.json");
        if let Some(text) = &row.key {
            std::fs::write(&key, text).unwrap();
        }
        let before = files_under(env.dir.path());
        let out = run(oauthctl(
            &env,
            &[
                "profiles",
                "import-sap-key",
                key.to_str().unwrap(),
                "--name",
                "btp",
            ],
        ));
        let words = format!(
            "oauthctl: {}",
            row.stderr.replace("{key}", &key.display().to_string())
        );
        fails(row.name, &out, 1, &[&words]);
        assert!(
            !out.stderr.contains(SAP_SECRET),
            "{}: the secret was shown",
            row.name
        );
        assert_eq!(std::fs::read_to_string(env.config()).unwrap(), existing);
        nothing_lost(row.name, &before, env.dir.path());
        assert!(
            !env.dir.path().join("sap-keys").exists(),
            "{}: wrote a copy of the key",
            row.name
        );
    }
}

// The system error texts (and a path under a file) are Unix's.
#[cfg(unix)]
#[test]
fn profile_naming_a_bad_service_key_says_which_file_and_field() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    for row in key_rows() {
        let env = TestEnv::new("");
        let key = env.dir.path().join("sap-keys/btp.json");
        std::fs::create_dir_all(key.parent().unwrap()).unwrap();
        if let Some(text) = &row.key {
            std::fs::write(&key, text).unwrap();
        }
        // A relative path: relative to the profile file's folder.
        env.write_profiles(
            "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = \"sap-keys/btp.json\"\n",
        );
        let before = files_under(env.dir.path());
        let words = format!(
            "oauthctl: profile btp: {}",
            row.stderr.replace("{key}", &key.display().to_string())
        );
        for command in [&["token"][..], &["call", "GET", "/x"]] {
            let what = format!("{} ({})", row.name, command.join(" "));
            fails(&what, &run(oauthctl(&env, command)), 1, &[&words]);
            nothing_lost(&what, &before, env.dir.path());
        }
    }
    token.assert_calls(0);
}

#[test]
fn service_key_without_the_secret_it_is_asked_for_names_both_places() {
    let vendor = Vendor::new();
    let token = vendor.server.mock(|when, then| {
        when.method(POST).path("/oauth/token");
        then.status(200)
            .json_body(json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 43199}));
    });
    let env = TestEnv::new("");
    let key = env.dir.path().join("btp.json");
    let mut json = sap_key(&vendor.server.base_url());
    json["uaa"].as_object_mut().unwrap().remove("clientsecret");
    std::fs::write(&key, json.to_string()).unwrap();
    env.write_profiles("[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = \"btp.json\"\nclient_secret_from = \"service_key\"\n");
    let tail = format!(
        ", and the service key has none: service key {} has no uaa.clientsecret\nhint: download the key again",
        key.display()
    );
    fails(
        "no secret in keyring or key (token)",
        &run(oauthctl(&env, &["token"])),
        1,
        &["oauthctl: profile btp: no client secret: ", &tail],
    );
    fails(
        "no secret in keyring or key (call)",
        &run(oauthctl(
            &env,
            &["call", "GET", "/accounts/v1/globalAccount"],
        )),
        3,
        &[
            "oauthctl: no access token for profile btp: profile btp: no client secret: ",
            &tail,
        ],
    );
    token.assert_calls(0);
}

#[test]
fn service_key_without_endpoints_gives_tokens_and_call_asks_for_api_base() {
    let vendor = Vendor::new();
    let token = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .body("grant_type=client_credentials");
        then.status(200)
            .json_body(json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 43199}));
    });
    let env = TestEnv::new("");
    // The key of an xsuaa instance itself: credentials at the top, no endpoints.
    let key = env.dir.path().join("xsuaa.json");
    std::fs::write(
        &key,
        json!({"clientid": SAP_CLIENT_ID, "clientsecret": SAP_SECRET, "url": vendor.server.base_url(),
               "xsappname": "ut-1234!b1", "identityzone": "mysub"})
        .to_string(),
    )
    .unwrap();
    let profile = "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = \"xsuaa.json\"\nclient_secret_from = \"service_key\"\n";
    env.write_profiles(profile);
    succeeds(
        "no endpoints (token)",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    fails(
        "no endpoints (call)",
        &run(oauthctl(&env, &["call", "GET", "/x"])),
        1,
        &[
            "oauthctl: profile btp has no api_base to join `/x` to\nhint: set api_base in [profiles.btp], or give a full URL\n",
        ],
    );
    env.write_profiles(&format!("{profile}api = \"events_service_url\"\n"));
    fails(
        "no endpoints, api named",
        &run(oauthctl(&env, &["token"])),
        1,
        &[
            "oauthctl: profile btp: `api` names endpoints.events_service_url, but the service key has no endpoints\nhint: set api_base to the API's URL instead\n",
        ],
    );
    token.assert_calls(1);
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

#[test]
fn inspect_of_a_broken_or_empty_token_says_what_is_wrong() {
    let env = TestEnv::new("");
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256"}"#);
    let claims = URL_SAFE_NO_PAD.encode(r#"{"sub":"sa-1"}"#);
    let copy_hint = "\nhint: a JWT is three base64url parts joined by dots (header.claims.signature); check that the whole token was copied, without line breaks or quotes\n";
    let rows: Vec<(&str, String, String)> = vec![
        (
            "JWT claims with bad base64",
            format!("{header}.!!!{claims}.sig"),
            format!("oauthctl: the JWT's claims is not base64url: '!' at position 1 is not a base64url character{copy_hint}"),
        ),
        (
            "JWT header with bad base64 (standard alphabet)",
            format!("{}.{claims}.sig", base64::engine::general_purpose::STANDARD.encode(r#"{"alg":"RS256","kid":">>?"}"#)),
            "oauthctl: the JWT's header is not base64url: '+' at position".to_string(),
        ),
        (
            "JWT cut short",
            format!("{header}.{}.sig", &claims[..claims.len() - 2]),
            format!("oauthctl: the JWT's claims is not base64url: its length is impossible for base64url (cut short, or a character too many){copy_hint}"),
        ),
        (
            "JWT claims not JSON",
            format!("{header}.{}.sig", URL_SAFE_NO_PAD.encode("sub=sa-1")),
            "oauthctl: the JWT's claims is not JSON: ".to_string(),
        ),
        (
            "empty token argument",
            String::new(),
            "oauthctl: no token to inspect: the argument is empty\nhint: pass the token itself, - to read it from stdin, or -p NAME for a profile's cached token\n".to_string(),
        ),
    ];
    for (row, token, words) in rows {
        fails(
            row,
            &run(oauthctl(&env, &["inspect", &token])),
            1,
            &[&words],
        );
        let mut stdin = oauthctl(&env, &["inspect", "-"]);
        stdin.write_stdin(format!("{token}\n"));
        let words = words.replace("the argument is empty", "stdin was empty");
        fails(&format!("{row} (stdin)"), &run(stdin), 1, &[&words]);
    }
}

// The system error texts (and a path under a file) are Unix's.
#[cfg(unix)]
#[test]
fn malformed_call_arguments_fail_before_a_token_is_fetched() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let api = vendor.api();
    let env = TestEnv::new(&vendor.profile());
    let missing = env.dir.path().join("missing-file.json");
    let missing_arg = format!("@{}", missing.display());
    let rows: Vec<(&str, Vec<&str>, i32, String)> = vec![
        (
            "header item without a colon",
            vec!["call", "-H", "foo", "GET", "/x"],
            2,
            "oauthctl: -H `foo`: expected 'Name: value'\n".into(),
        ),
        (
            "header item with a space in its name",
            vec!["call", "-H", "X Tenant: 1", "GET", "/x"],
            2,
            "oauthctl: -H `X Tenant: 1`: not a valid header name\n".into(),
        ),
        (
            "query item without =",
            vec!["call", "-q", "folder", "GET", "/x"],
            2,
            "oauthctl: -q `folder`: expected NAME=VALUE\n".into(),
        ),
        (
            "-d @missing-file",
            vec!["call", "-d", &missing_arg, "POST", "/x"],
            1,
            format!(
                "oauthctl: -d {missing_arg}: cannot read {}: No such file or directory (os error 2)\n",
                missing.display()
            ),
        ),
        (
            "--json @missing-file",
            vec!["call", "--json", &missing_arg, "POST", "/x"],
            1,
            format!(
                "oauthctl: --json {missing_arg}: cannot read {}: No such file",
                missing.display()
            ),
        ),
    ];
    for (row, args, code, words) in rows {
        fails(row, &run(oauthctl(&env, &args)), code, &[&words]);
    }
    token.assert_calls(0);
    api.assert_calls(0);
    assert!(!missing.exists());
}

#[test]
#[ignore = "needs a real Secret Service"]
fn import_of_a_key_without_endpoints_makes_a_profile_for_tokens() {
    let vendor = Vendor::new();
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("sb-xsuaa:xsuaa-secret")
    );
    let token = vendor.server.mock(|when, then| {
        when.method(POST)
            .path("/oauth/token")
            .header("authorization", basic.as_str())
            .body("grant_type=client_credentials");
        then.status(200)
            .json_body(json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 43199}));
    });
    let env = TestEnv::with_keyring("# my profiles\n");
    // The key of an xsuaa instance itself: credentials at the top, no endpoints. Importing one
    // used to fail with "set `api` to one of: (none)".
    let key = env.dir.path().join("xsuaa-key.json");
    std::fs::write(
        &key,
        json!({"clientid": "sb-xsuaa", "clientsecret": "xsuaa-secret",
               "url": vendor.server.base_url(), "xsappname": "xsuaa", "identityzone": "mysub"})
        .to_string(),
    )
    .unwrap();
    let out = run(oauthctl(
        &env,
        &[
            "profiles",
            "import-sap-key",
            key.to_str().unwrap(),
            "--name",
            "btp",
        ],
    ));
    succeeds(
        "import of a key without endpoints",
        &out,
        "",
        &["added profile btp"],
    );
    std::fs::remove_file(&key).unwrap();
    assert!(!env.all_file_contents().contains("xsuaa-secret"));
    succeeds(
        "token of the imported profile",
        &run(oauthctl(&env, &["token", "-p", "btp"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    fails(
        "call of the imported profile",
        &run(oauthctl(&env, &["call", "-p", "btp", "GET", "/x"])),
        1,
        &["oauthctl: profile btp has no api_base to join `/x` to\nhint: set api_base"],
    );
    token.assert_calls(1);
    let deleted = run(oauthctl(&env, &["secret", "delete", "-p", "btp"]));
    assert_eq!(deleted.code, Some(0), "{}", deleted.stderr);
}

// ---------------------------------------------------------------------------------------------
// A token that is not a token, and an answer too big to be one
// ---------------------------------------------------------------------------------------------

/// A token endpoint answering `body` (JSON) to every token request.
fn answering<'a>(vendor: &'a Vendor, body: &serde_json::Value) -> httpmock::Mock<'a> {
    vendor.server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(200).json_body(body.clone());
    })
}

/// A token with a line break would become two headers in `curl -H "$(oauthctl token --format
/// header)"`; NUL, escapes, spaces and non-ASCII have no place in a header, an environment
/// variable or a terminal either. Each is refused with exit 1, without being printed, run or
/// cached.
#[test]
fn a_token_that_is_not_visible_ascii_is_refused_before_it_is_printed_or_cached() {
    for (token, what) in [
        ("abc\r\nX-Injected: yes", "a line break (character 4 of 20)"),
        ("abc\0def", "a NUL byte (character 4 of 7)"),
        (
            "abc\x1b]0;pwned\x07",
            "a terminal escape (character 4 of 13)",
        ),
        ("abc def", "a space (character 4 of 7)"),
        (
            "tök-123",
            "a character that is not ASCII (character 2 of 7)",
        ),
    ] {
        let vendor = Vendor::new();
        let endpoint = answering(
            &vendor,
            &json!({"access_token": token, "token_type": "Bearer", "expires_in": 899}),
        );
        let env = TestEnv::new(&vendor.profile());
        let child_ran = env.dir.path().join("child-ran");
        let exec_args = [
            "exec",
            "--",
            "sh",
            "-c",
            &format!("printf %s \"$OAUTHCTL_TOKEN\" > {}", child_ran.display()),
        ];
        let says = format!(
            "oauthctl: token request to {} answered 200 with an access_token that holds {what}; a token is visible ASCII only",
            vendor.host()
        );
        for args in [
            &["token", "--format", "header"][..],
            &["token"],
            &["token", "--format", "json"],
            &exec_args,
        ] {
            let row = format!("{token:?}: {}", args.join(" "));
            let out = run(oauthctl(&env, args));
            fails(&row, &out, 1, &[&says]);
            for part in ["X-Injected", "pwned", "def", "tök"] {
                assert!(!out.stderr.contains(part), "{row}: stderr quotes the token");
            }
            assert!(entries(&env.cache_dir()).is_empty(), "{row}: cached");
        }
        assert!(!child_ran.exists(), "{token:?}: exec ran its command");
        endpoint.assert_calls(4);
    }
}

/// `token --format header` puts the server's token_type before the token: only an HTTP
/// authentication scheme goes there.
#[test]
fn a_token_type_that_is_not_an_auth_scheme_is_refused_and_one_that_is_is_used() {
    let vendor = Vendor::new();
    let mut bad = answering(
        &vendor,
        &json!({"access_token": "tok-1", "token_type": "DPoP\r\nX-Injected: yes", "expires_in": 899}),
    );
    let env = TestEnv::new(&vendor.profile());
    let out = run(oauthctl(&env, &["token", "--format", "header"]));
    fails(
        "token_type with a line break",
        &out,
        1,
        &["answered 200 with a token_type that is not an HTTP authentication scheme"],
    );
    assert!(!out.stderr.contains("X-Injected"));
    assert!(entries(&env.cache_dir()).is_empty());
    bad.delete();
    answering(
        &vendor,
        &json!({"access_token": "tok-1", "token_type": "DPoP", "expires_in": 899}),
    );
    succeeds(
        "token_type DPoP",
        &run(oauthctl(&env, &["token", "--format", "header"])),
        "Authorization: DPoP tok-1\n",
        &[],
    );
}

/// An entry whose token is not a token (written by an older version, or by hand) is not
/// served: `token` fetches a new one, and `token --check` says there is none.
#[test]
fn a_cached_token_that_is_not_visible_ascii_is_not_served() {
    let vendor = Vendor::new();
    let endpoint = vendor.token_endpoint("fresh-token", 899);
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        "fresh-token\n",
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    let mut cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
    cached["response"]["access_token"] = json!("abc\r\nX-Injected: yes");
    std::fs::write(&entry, serde_json::to_vec(&cached).unwrap()).unwrap();
    assert_eq!(run(oauthctl(&env, &["token", "--check"])).code, Some(1));
    succeeds(
        "an entry with a bad token",
        &run(oauthctl(&env, &["token", "--format", "header"])),
        "Authorization: Bearer fresh-token\n",
        &[],
    );
    endpoint.assert_calls(2);
    // An entry's token_type that is no scheme does not go into the header either.
    let entry = only_entry(&env.cache_dir());
    let mut cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
    cached["response"]["token_type"] = json!("DPoP\r\nX-Injected: yes");
    std::fs::write(&entry, serde_json::to_vec(&cached).unwrap()).unwrap();
    succeeds(
        "an entry with a bad token_type",
        &run(oauthctl(&env, &["token", "--format", "header"])),
        "Authorization: Bearer fresh-token\n",
        &[],
    );
    endpoint.assert_calls(2);
}

/// A token response is a few kilobytes: one over 1 MiB is not read whole, held or cached.
#[test]
fn a_token_answer_over_1_mib_is_refused_and_not_cached() {
    let vendor = Vendor::new();
    let padding = "x".repeat(2 << 20);
    let endpoint = answering(
        &vendor,
        &json!({"access_token": "tok-big", "expires_in": 899, "padding": padding}),
    );
    let env = TestEnv::new(&vendor.profile());
    fails(
        "2 MiB token answer",
        &run(oauthctl(&env, &["token"])),
        1,
        &[&format!(
            "oauthctl: token request to {} answered 200 with more than 1 MiB, the most oauthctl reads of a token response\nhint: ",
            vendor.host()
        )],
    );
    endpoint.assert_calls(1);
    assert!(entries(&env.cache_dir()).is_empty());
    // Just under the bound is fine.
    let vendor = Vendor::new();
    answering(
        &vendor,
        &json!({"access_token": "tok-ok", "expires_in": 899, "padding": "x".repeat((1 << 20) - 100)}),
    );
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "just under 1 MiB",
        &run(oauthctl(&env, &["token"])),
        "tok-ok\n",
        &[],
    );
}

// ---------------------------------------------------------------------------------------------
// Planted files: a cache folder that other users could once write to
// ---------------------------------------------------------------------------------------------

/// Runs `cmd`, killing it after `limit`: a command that waits on a planted FIFO never ends alone.
#[cfg(unix)]
fn run_within(row: &str, mut cmd: assert_cmd::Command, limit: std::time::Duration) -> Run {
    let started = std::time::Instant::now();
    let out = cmd.timeout(limit).output().unwrap();
    assert!(
        started.elapsed() < limit,
        "{row}: still running after {limit:?} (killed): it waited on a planted file"
    );
    out.into()
}

#[cfg(unix)]
const PROMPTLY: std::time::Duration = std::time::Duration::from_secs(10);

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

/// The row's attack, as another user found it: while the cache folder was 0777, nobody replaced
/// `<entry>.lock` by a folder and planted `.<entry>.json.tmp<PID>` links to a file of theirs for
/// the process ids oauthctl was about to get. oauthctl used to make the folder 0700, fail to take
/// the lock, skip its clean-up, write the token through the link into nobody's file and rename
/// the link into place.
#[test]
#[ignore = "needs root"]
#[cfg(unix)]
fn planted_lock_folder_and_temp_links_do_not_receive_the_token() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    assert!(running_as_root(), "run as root: nobody plants the files");
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let dir = env.cache_dir();
    let entry = only_entry(&dir);
    let name = entry.file_name().unwrap().to_str().unwrap().to_owned();
    let lock = entry.with_extension("lock");
    // A cold cache, in a folder open to all, as it was when the attack was found.
    std::fs::remove_file(&entry).unwrap();
    std::fs::remove_file(&lock).unwrap();
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();

    // As nobody: a folder of theirs with the file the token is to land in, and the lock replaced
    // by a folder with a file in it (so that it cannot be removed either).
    let loot_dir = env.dir.path().join("nobody");
    std::fs::create_dir(&loot_dir).unwrap();
    chown_nobody(std::slice::from_ref(&loot_dir));
    let loot = loot_dir.join("loot");
    let planted = std::process::Command::new("setpriv")
        .args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
            "sh",
            "-c",
            "echo nothing yet > \"$1\" && chmod 666 \"$1\" && mkdir \"$2\" && echo mine > \"$2/keep\"",
            "sh",
        ])
        .arg(&loot)
        .arg(&lock)
        .status()
        .unwrap();
    assert!(planted.success(), "setpriv could not plant nobody's files");
    // The links, for the next process ids: made here (thousands of `ln` would use up the ids
    // themselves) and handed to nobody, as if nobody had made them. Other tests start processes
    // and threads meanwhile, which take ids too: when oauthctl's id falls outside the links, the
    // attack missed, which proves nothing, and it is set up again (at most five times).
    let mut attempts = 0;
    let out = loop {
        attempts += 1;
        let last_pid: u32 = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let pids = last_pid + 1..last_pid + 5000;
        for pid in pids.clone() {
            let link = dir.join(format!(".{name}.tmp{pid}"));
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&loot, &link).unwrap();
            std::os::unix::fs::lchown(&link, Some(NOBODY), Some(NOBODY)).unwrap();
        }

        let mut cmd = env.std_cmd();
        cmd.arg("token")
            .env("SCM_SECRET", SECRET)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let child = cmd.spawn().unwrap();
        let pid = child.id();
        let out = child.wait_with_output().unwrap();
        if pids.contains(&pid) {
            break out;
        }
        assert!(
            attempts < 5,
            "oauthctl got pid {pid}, outside the planted {pids:?}, five times: the attack missed"
        );
        // As before the attempt: a cold cache in a folder open to all.
        assert_eq!(std::fs::read_to_string(&loot).unwrap(), "nothing yet\n");
        std::fs::remove_file(&entry).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    };
    let out = Run::from(out);
    assert_eq!(
        std::fs::read_to_string(&loot).unwrap(),
        "nothing yet\n",
        "the token was written into nobody's file"
    );
    succeeds(
        "planted lock folder and temp links",
        &out,
        &format!("{TOKEN}\n"),
        &[
            &format!(
                "oauthctl: cache folder {} was open to other users (mode 777); made it 0700\n",
                dir.display()
            ),
            &format!(
                "oauthctl: warning: lock file {} is a folder, not a regular file, and oauthctl cannot remove it: Directory not empty (os error 39); the token was fetched without the cache lock\nhint: remove {} (oauthctl did not make it)\n",
                lock.display(),
                lock.display()
            ),
        ],
    );
    let meta = std::fs::symlink_metadata(&entry).unwrap();
    assert!(meta.is_file(), "the entry is not a regular file: {meta:?}");
    assert_eq!((meta.uid(), meta.mode() & 0o777), (0, 0o600));
    let cached: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
    assert_eq!(cached["response"]["access_token"], TOKEN);

    // Once the folder can go, the next fetch removes it, takes a lock file of its own and, holding
    // it, removes the links (not what they point to).
    std::fs::remove_file(lock.join("keep")).unwrap();
    let out = run(oauthctl(&env, &["token", "--refresh"]));
    succeeds(
        "planted empty lock folder",
        &out,
        &format!("{TOKEN}\n"),
        &[],
    );
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: lock file {} is a folder, not a regular file; removed it\n",
            lock.display()
        )
    );
    let meta = std::fs::symlink_metadata(&lock).unwrap();
    assert!(meta.is_file() && meta.uid() == 0, "{meta:?}");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|f| f.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(left, Vec::<String>::new(), "planted links left");
    assert_eq!(std::fs::read_to_string(&loot).unwrap(), "nothing yet\n");
    token.assert_calls(2 + attempts);
}

#[test]
#[cfg(unix)]
fn planted_fifo_entry_hangs_no_command() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    std::fs::remove_file(&entry).unwrap();
    mkfifo(&entry);
    let said = format!(
        "cache entry {} is a FIFO, not a regular file",
        entry.display()
    );

    let out = run_within(
        "token --check",
        oauthctl(&env, &["token", "--check"]),
        PROMPTLY,
    );
    no_panic("token --check", &out);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (Some(1), ""),
        "{}",
        out.stderr
    );

    let out = run_within("cache list", oauthctl(&env, &["cache", "list"]), PROMPTLY);
    succeeds("cache list", &out, "", &["the token cache in"]);

    let out = run_within(
        "inspect -p",
        oauthctl(&env, &["inspect", "-p", "scm"]),
        PROMPTLY,
    );
    fails(
        "inspect -p",
        &out,
        1,
        &[&format!(
            "oauthctl: no usable cached token for profile scm: {said}\nhint: "
        )],
    );

    // `token` (and `call`) fetch a new token and replace the FIFO by an entry.
    let out = run_within("token", oauthctl(&env, &["token"]), PROMPTLY);
    succeeds("token", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(
        out.stderr,
        format!("oauthctl: warning: {said}; not using it: fetching a new token\n")
    );
    assert!(std::fs::symlink_metadata(&entry).unwrap().is_file());
    token.assert_calls(2);
    succeeds(
        "after",
        &run_within("after", oauthctl(&env, &["token"]), PROMPTLY),
        &format!("{TOKEN}\n"),
        &[],
    );
    token.assert_calls(2);

    let api = vendor.api();
    std::fs::remove_file(&entry).unwrap();
    mkfifo(&entry);
    let out = run_within("call", oauthctl(&env, &["call", "GET", "/x"]), PROMPTLY);
    succeeds("call", &out, r#"{"ok":true}"#, &[&said]);
    api.assert_calls(1);
    token.assert_calls(3);

    std::fs::remove_file(&entry).unwrap();
    mkfifo(&entry);
    let out = run_within("cache clear", oauthctl(&env, &["cache", "clear"]), PROMPTLY);
    succeeds("cache clear", &out, "", &["oauthctl: removed "]);
    assert!(
        !is_fifo(&entry) && !entry.exists(),
        "the FIFO is still there"
    );
}

/// A token planted in `dir` (a copy of the entry `entry` with another access token): what a cache
/// folder someone else chose would hold.
#[cfg(unix)]
fn planted_copy(entry: &Path, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let copy = dir.join(entry.file_name().unwrap());
    std::fs::copy(entry, &copy).unwrap();
    plant(&copy, "planted-token");
}

#[test]
#[cfg(unix)]
fn symlinked_cache_folder_is_not_used_and_said() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    // The cache folder is a link to a folder holding a fresh token for this very profile: whoever
    // made the link chose which token is used and where new ones go.
    let real = env.dir.path().join("elsewhere");
    planted_copy(&entry, &real);
    let link = env.dir.path().join("linked-cache");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let before = files_under(&real);
    let with_link = |args: &[&str]| {
        let mut cmd = oauthctl(&env, args);
        cmd.env("OAUTHCTL_CACHE_DIR", &link);
        cmd
    };
    let refused = format!(
        "cache folder {} is a symbolic link (to {}), which oauthctl does not follow",
        link.display(),
        real.display()
    );
    let hint = "hint: point $OAUTHCTL_CACHE_DIR at the folder itself if it is yours, or replace the link by a folder\n";

    let out = run(with_link(&["token"]));
    succeeds("symlinked cache folder", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: {refused}; not using it: the token is fetched without the cache\n{hint}"
        )
    );
    token.assert_calls(2);

    // Spelt with a trailing slash, which makes the system follow the link by itself: the same.
    let mut cmd = oauthctl(&env, &["token"]);
    cmd.env("OAUTHCTL_CACHE_DIR", format!("{}/", link.display()));
    let out = run(cmd);
    succeeds(
        "symlinked cache folder/",
        &out,
        &format!("{TOKEN}\n"),
        &[&refused],
    );
    token.assert_calls(3);

    let out = run(with_link(&["token", "--check"]));
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (Some(1), ""),
        "token --check: {}",
        out.stderr
    );
    let out = run(with_link(&["cache", "list"]));
    succeeds(
        "cache list",
        &out,
        "",
        &[&format!(
            "oauthctl: warning: {refused}; not listing what is in it\n{hint}"
        )],
    );
    let out = run(with_link(&["inspect", "-p", "scm"]));
    fails("inspect -p", &out, 1, &[&refused]);
    let out = run(with_link(&["cache", "clear"]));
    fails("cache clear", &out, 1, &[&refused]);
    let out = run(with_link(&["cache", "clear", "-p", "scm"]));
    fails("cache clear -p", &out, 1, &[&refused]);

    let out = run(with_link(&["doctor"]));
    no_panic("doctor", &out);
    assert_eq!(out.code, Some(1), "doctor: {}", out.stdout);
    assert!(
        out.stdout.contains(&format!("✗ {refused} (not used)\n  fix: point $OAUTHCTL_CACHE_DIR at the folder itself if it is yours, or replace the link by a folder\n")),
        "doctor:\n{}",
        out.stdout
    );

    // Nothing read, written, removed or repaired through the link.
    nothing_lost("symlinked cache folder", &before, &real);
    assert_eq!(
        files_under(&real).len(),
        before.len(),
        "wrote through the link"
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
#[cfg(unix)]
fn cache_folder_whose_parent_others_can_write_is_not_used_and_said() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    // Anyone can rename or replace what is in `shared`: the cache folder in it could be theirs
    // by the time oauthctl writes.
    let shared = env.dir.path().join("shared");
    let dir = shared.join("cache");
    planted_copy(&entry, &dir);
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let before = files_under(&shared);
    let with_dir = |dir: &Path, args: &[&str]| {
        let mut cmd = oauthctl(&env, args);
        cmd.env("OAUTHCTL_CACHE_DIR", dir);
        cmd
    };
    let refused = |dir: &Path| {
        format!(
            "cache folder {} is in {}, which other users can write to (mode 777, no sticky bit): they could swap the cache folder for one of theirs",
            dir.display(),
            shared.display()
        )
    };
    let hint = format!(
        "hint: chmod o-w {} (or point $OAUTHCTL_CACHE_DIR at a folder in a private one)\n",
        shared.display()
    );

    let out = run(with_dir(&dir, &["token"]));
    succeeds("parent 0777", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: {}; not using it: the token is fetched without the cache\n{hint}",
            refused(&dir)
        )
    );
    let out = run(with_dir(&dir, &["cache", "list"]));
    succeeds("parent 0777, cache list", &out, "", &[&refused(&dir)]);
    let out = run(with_dir(&dir, &["inspect", "-p", "scm"]));
    fails("parent 0777, inspect -p", &out, 1, &[&refused(&dir)]);

    // A cache folder that is not there yet is not made there either.
    let new = shared.join("new-cache");
    let out = run(with_dir(&new, &["token"]));
    succeeds(
        "parent 0777, no folder yet",
        &out,
        &format!("{TOKEN}\n"),
        &[],
    );
    assert!(!new.exists(), "made a cache folder in a folder open to all");
    assert!(
        out.stderr.contains("the token was not cached"),
        "{}",
        out.stderr
    );
    token.assert_calls(3);
    nothing_lost("parent 0777", &before, &shared);
    assert_eq!(files_under(&shared).len(), before.len());

    // With the sticky bit (as /tmp has), others cannot remove or rename what is ours: used.
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    let out = run(with_dir(&dir, &["token"]));
    succeeds("parent 1777", &out, "planted-token\n", &[]);
    assert_eq!(out.stderr, "");
    token.assert_calls(3);
}

/// Runs `oauthctl token` and returns what it printed with its peak resident memory in KiB
/// (wait4's rusage of that one process).
// The child is reaped by wait4, which std's Child cannot do (it has no rusage).
#[allow(clippy::zombie_processes)]
// ru_maxrss is in KiB on Linux (bytes on macOS).
#[cfg(target_os = "linux")]
fn token_with_peak_memory(env: &TestEnv) -> (Run, u64) {
    let child = env
        .std_cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let (mut stdout, mut stderr) = (child.stdout.unwrap(), child.stderr.unwrap());
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).unwrap();
        text
    });
    let mut out = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut out).unwrap();
    let err = reader.join().unwrap();
    let mut status = 0;
    // SAFETY: plain out-parameters; the child is ours and not yet reaped (std's Child was dropped
    // without waiting).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    (
        Run {
            code,
            stdout: out,
            stderr: err,
        },
        usage.ru_maxrss as u64,
    )
}

// ru_maxrss is in KiB on Linux.
#[cfg(target_os = "linux")]
#[test]
#[cfg(unix)]
fn huge_cache_entry_is_replaced_without_being_read() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    // 1 GiB (sparse: no disk used), as a 300 MB token answer cached whole used to leave it.
    let size: u64 = 1 << 30;
    std::fs::File::options()
        .write(true)
        .open(&entry)
        .unwrap()
        .set_len(size)
        .unwrap();
    let (out, peak_kib) = token_with_peak_memory(&env);
    assert!(
        peak_kib < 64 * 1024,
        "oauthctl peaked at {} MiB: it read the entry",
        peak_kib / 1024
    );
    succeeds("huge entry", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: cache entry {} is corrupt ({size} bytes, more than the 2097152 an entry may have); not using it: fetching a new token\n",
            entry.display()
        )
    );
    // Replaced by a whole entry, which the next run uses without a word.
    assert!(std::fs::metadata(&entry).unwrap().len() < 4096);
    let out = run(oauthctl(&env, &["token"]));
    succeeds("after", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(out.stderr, "");
    token.assert_calls(2);
}

/// Profiles `a` and `b`: one client, two tenants, each with its own token.
fn two_tenants(vendor: &Vendor) -> (TestEnv, httpmock::Mock<'_>, httpmock::Mock<'_>) {
    let mock = |tsg: &str, token: &str| {
        let mut answer = scm_token_response(token, 899);
        answer["scope"] = format!("tsg_id:{tsg}").into();
        vendor.server.mock(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("scope", format!("tsg_id:{tsg}"));
            then.status(200).json_body(answer);
        })
    };
    let url = vendor.server.url(TOKEN_PATH);
    let env = TestEnv::new(&format!(
        "[profiles.a]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1\"\nclient_secret_env = \"SCM_SECRET\"\n\
         [profiles.b]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:2\"\nclient_secret_env = \"SCM_SECRET\"\n"
    ));
    (
        env,
        mock("1", "token-of-tenant-1"),
        mock("2", "token-of-tenant-2"),
    )
}

#[test]
fn entry_of_another_identity_under_this_name_is_not_served() {
    let vendor = Vendor::new();
    let (env, one, two) = two_tenants(&vendor);
    succeeds(
        "seed a",
        &run(oauthctl(&env, &["token", "-p", "a"])),
        "token-of-tenant-1\n",
        &[],
    );
    let entry_a = only_entry(&env.cache_dir());
    succeeds(
        "seed b",
        &run(oauthctl(&env, &["token", "-p", "b"])),
        "token-of-tenant-2\n",
        &[],
    );
    let entry_b = entries(&env.cache_dir())
        .into_iter()
        .find(|e| *e != entry_a)
        .unwrap();
    // Tenant 2's entry, fresh, under tenant 1's name: it says whose it is, and it is not tenant 1's.
    std::fs::copy(&entry_b, &entry_a).unwrap();

    let out = run(oauthctl(&env, &["token", "--check", "-p", "a"]));
    assert_eq!(
        out.code,
        Some(1),
        "token --check served tenant 2's entry: {}",
        out.stderr
    );
    let out = run(oauthctl(&env, &["inspect", "-p", "a"]));
    fails("inspect -p a", &out, 1, &["no cached token for profile a"]);
    let out = run(oauthctl(&env, &["cache", "list"]));
    no_panic("cache list", &out);
    assert_eq!(out.code, Some(0), "cache list: {}", out.stderr);
    let rows: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(
        rows.len(),
        1,
        "the copy is listed as an entry:\n{}",
        out.stdout
    );
    assert!(rows[0].starts_with("b "), "{}", out.stdout);

    succeeds(
        "token -p a",
        &run(oauthctl(&env, &["token", "-p", "a"])),
        "token-of-tenant-1\n",
        &[],
    );
    one.assert_calls(2);
    two.assert_calls(1);

    // Tenant 1's own entry without an access token is not served either.
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&entry_a).unwrap()).unwrap();
    json["response"]
        .as_object_mut()
        .unwrap()
        .remove("access_token");
    std::fs::write(&entry_a, json.to_string()).unwrap();
    let out = run(oauthctl(&env, &["token", "--check", "-p", "a"]));
    assert_eq!(out.code, Some(1), "token --check: {}", out.stderr);
    succeeds(
        "token -p a, no access_token",
        &run(oauthctl(&env, &["token", "-p", "a"])),
        "token-of-tenant-1\n",
        &[],
    );
    one.assert_calls(3);
}

#[test]
#[ignore = "needs root"]
#[cfg(unix)]
fn cache_folder_in_another_users_folder_is_not_used_and_said() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    assert!(
        running_as_root(),
        "run as root: the folder is given to nobody"
    );
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    // Ours, private, holding a token: but nobody owns the folder it is in, and may swap it.
    let theirs = env.dir.path().join("nobodys");
    let dir = theirs.join("cache");
    planted_copy(&entry, &dir);
    chown_nobody(std::slice::from_ref(&theirs));
    let mut cmd = oauthctl(&env, &["token"]);
    cmd.env("OAUTHCTL_CACHE_DIR", &dir);
    let out = run(cmd);
    succeeds("parent of another user", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: cache folder {} is in {}, which belongs to another user (uid {NOBODY}): they could swap the cache folder for one of theirs; not using it: the token is fetched without the cache\n\
             hint: point $OAUTHCTL_CACHE_DIR at a folder in one of your own\n",
            dir.display(),
            theirs.display()
        )
    );
    token.assert_calls(2);
}

// The system error texts (and a path under a file) are Unix's.
#[cfg(unix)]
#[test]
fn cache_folder_that_cannot_be_looked_at_is_said() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    let file = env.dir.path().join("a-file");
    std::fs::write(&file, "keep me\n").unwrap();
    // A path through a file: the folder can be neither looked at nor created.
    let dir = file.join("cache");
    let mut cmd = oauthctl(&env, &["token"]);
    cmd.env("OAUTHCTL_CACHE_DIR", &dir);
    let out = run(cmd);
    succeeds(
        "cache folder under a file",
        &out,
        &format!("{TOKEN}\n"),
        &[],
    );
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: cannot read cache folder {}: Not a directory (os error 20); not using it: the token is fetched without the cache\n",
            dir.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me\n");
    token.assert_calls(1);
}

// The system error texts (and a path under a file) are Unix's.
#[cfg(unix)]
#[test]
fn cache_clear_of_a_profile_removes_only_what_it_can() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    // No token cached yet, in a cache folder or without one: nothing to remove, and that is fine.
    let out = run(oauthctl(&env, &["cache", "clear", "-p", "scm"]));
    succeeds(
        "clear -p, no cache folder",
        &out,
        "",
        &["oauthctl: removed the cached token of profile scm"],
    );
    std::fs::create_dir(env.cache_dir()).unwrap();
    #[cfg(unix)]
    std::fs::set_permissions(env.cache_dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let out = run(oauthctl(&env, &["cache", "clear", "-p", "scm"]));
    succeeds(
        "clear -p, empty cache",
        &out,
        "",
        &["oauthctl: removed the cached token of profile scm"],
    );
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let entry = only_entry(&env.cache_dir());
    // A folder with something in it, planted under the entry's name, cannot be removed: said.
    std::fs::remove_file(&entry).unwrap();
    std::fs::create_dir(&entry).unwrap();
    std::fs::write(entry.join("keep"), "planted\n").unwrap();
    let out = run(oauthctl(&env, &["cache", "clear", "-p", "scm"]));
    fails(
        "clear -p, planted folder",
        &out,
        1,
        &[&format!(
            "oauthctl: cannot remove cache entry {}: Is a directory (os error 21)",
            entry.display()
        )],
    );
    assert!(entry.join("keep").exists());
    token.assert_calls(1);
}

#[test]
#[ignore = "needs root"]
#[cfg(unix)]
fn lock_and_entry_of_another_user_that_cannot_be_opened_are_said_and_replaced() {
    let vendor = Vendor::new();
    let token = vendor.token_endpoint(TOKEN, 899);
    let env = TestEnv::new(&vendor.profile());
    assert!(running_as_root(), "run as root: oauthctl runs as nobody");
    succeeds(
        "seed",
        &run(oauthctl(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    let dir = env.cache_dir();
    let entry = only_entry(&dir);
    let lock = entry.with_extension("lock");
    // nobody's cache folder, holding root's entry and lock (0600): nobody cannot even open them.
    plant(&entry, "planted-token");
    std::fs::set_permissions(env.dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    chown_nobody(std::slice::from_ref(&dir));
    let out = run(as_nobody(&env, &["token"]));
    succeeds(
        "root's lock and entry in nobody's folder",
        &out,
        &format!("{TOKEN}\n"),
        &[],
    );
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: cache entry {} belongs to another user (uid 0); not using it: fetching a new token\n\
             oauthctl: lock file {} belongs to another user (uid 0); removed it\n",
            entry.display(),
            lock.display()
        )
    );
    for file in [&entry, &lock] {
        let meta = std::fs::symlink_metadata(file).unwrap();
        assert!(
            meta.is_file() && meta.uid() == NOBODY,
            "{}: {meta:?}",
            file.display()
        );
    }
    succeeds(
        "after",
        &run(as_nobody(&env, &["token"])),
        &format!("{TOKEN}\n"),
        &[],
    );
    assert_eq!(run(as_nobody(&env, &["token"])).stderr, "");
    token.assert_calls(2);

    // nobody's own entry that nobody may not read (mode 0): the system's word, and replaced.
    std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o000)).unwrap();
    let out = run(as_nobody(&env, &["token"]));
    succeeds("unreadable own entry", &out, &format!("{TOKEN}\n"), &[]);
    assert_eq!(
        out.stderr,
        format!(
            "oauthctl: warning: cannot read cache entry {}: Permission denied (os error 13); not using it: fetching a new token\n",
            entry.display()
        )
    );
    assert_eq!(mode(&entry), 0o600);
    token.assert_calls(3);
}
