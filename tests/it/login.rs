//! Signing a person in: `login`, `logout`, and `token` with a profile of grant
//! "authorization_code", against the authorization server of `common::signin`, with the browser
//! played by a `$BROWSER` script.

use crate::common::signin::*;
use crate::common::*;

/// A test folder with sign-in profile `me` (refresh token in a file) and a browser script.
fn signin_env(auth: &AuthServer, extra: &str, browser: Browser) -> (TestEnv, String) {
    let env =
        TestEnv::new(&auth.profile("me", &format!("refresh_token_store = \"file\"\n{extra}")));
    let script = browser.write(env.dir.path());
    (env, script.to_str().unwrap().to_string())
}

fn login(env: &TestEnv, browser: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    env.cmd()
        .args(["login", "-p", "me"])
        .args(args)
        .env("BROWSER", browser)
        .assert()
}

/// The files of the cache folder whose name ends with `suffix`.
fn cache_files(env: &TestEnv, suffix: &str) -> Vec<std::path::PathBuf> {
    files_under(&env.cache_dir())
        .into_keys()
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect()
}

fn refresh_file(env: &TestEnv) -> Option<String> {
    cache_files(env, ".refresh")
        .first()
        .map(|p| std::fs::read_to_string(p).unwrap())
}

#[test]
fn login_signs_in_with_pkce_and_a_later_token_comes_from_the_cache() {
    let auth = AuthServer::start();
    let (env, browser) = signin_env(&auth, "", Browser::default());
    let out = login(&env, &browser, &[]).success();
    assert_eq!(stdout_of(&out), "", "login writes nothing on stdout");
    let err = stderr_of(&out);
    assert!(
        err.contains("oauthctl: signed in for profile me; the access token is cached, for 1h")
            || err.contains(
                "oauthctl: signed in for profile me; the access token is cached, for 59m"
            ),
        "{err}"
    );
    let dir = env.dir.path();
    assert_eq!(browser_calls(dir), 1);
    assert_eq!(browser_file(dir, "browser-errors"), "");
    let url = browser_file(dir, "browser-urls");
    assert!(url.starts_with(&auth.server.url(AUTHORIZE_PATH)), "{url}");
    for part in [
        "response_type=code",
        "client_id=oauthctl-cli",
        "redirect_uri=http%3A%2F%2F127.0.0.1%3A",
        "%2Fcallback",
        "scope=openid+profile",
        "code_challenge_method=S256",
        "&state=",
    ] {
        assert!(url.contains(part), "{part} not in {url}");
    }
    assert!(
        browser_file(dir, "page").contains("You may close this tab"),
        "the browser is told it may close the tab"
    );
    {
        let st = auth.state();
        let exchanges = st.token_requests_of("authorization_code");
        assert_eq!(exchanges.len(), 1, "{:?}", st.token_requests);
        let body = &exchanges[0];
        assert!(body.contains(&format!("code={}", code(1))), "{body}");
        assert!(body.contains("code_verifier="), "{body}");
        assert!(body.contains("client_id=oauthctl-cli"), "{body}");
        assert!(
            !body.contains("client_secret"),
            "a public client sends no secret: {body}"
        );
        assert!(
            !body.contains("scope="),
            "the scope went with the authorization: {body}"
        );
    }
    // The refresh token is in its own 0600 file, never in the cache entry.
    assert_eq!(
        refresh_file(&env).as_deref(),
        Some(refresh_token(2).as_str())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let file = &cache_files(&env, ".refresh")[0];
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    for entry in cache_files(&env, ".json") {
        let text = std::fs::read_to_string(&entry).unwrap();
        assert!(!text.contains("signin-refresh"), "{text}");
    }

    let out = env.cmd().args(["token", "-p", "me"]).assert().success();
    assert_eq!(stdout_of(&out), format!("{}\n", access_token(2)));
    assert_eq!(auth.state().token_requests.len(), 1, "from the cache");
    assert_eq!(browser_calls(dir), 1);
}

#[test]
fn a_redirect_with_another_state_is_ignored_and_the_right_one_counts() {
    let auth = AuthServer::start();
    let browser = Browser {
        wrong_state_first: true,
        ..Default::default()
    };
    let (env, script) = signin_env(&auth, "", browser);
    let out = login(&env, &script, &[]).success();
    let err = stderr_of(&out);
    assert!(
        err.contains("oauthctl: warning: ignored a redirect whose state is not this sign-in's"),
        "{err}"
    );
    let dir = env.dir.path();
    assert_eq!(browser_file(dir, "wrong-state-status"), "400");
    assert!(browser_file(dir, "wrong-state-page").contains("state does not match"));
    let st = auth.state();
    assert_eq!(st.token_requests.len(), 1);
    assert!(!st.token_requests[0].contains(FOREIGN_CODE));
    assert!(st.token_requests[0].contains(&code(1)));
}

#[test]
fn a_stray_request_gets_a_404_and_a_second_hit_starts_nothing() {
    let auth = AuthServer::start();
    let browser = Browser {
        stray: true,
        second_hit: true,
        ..Default::default()
    };
    let (env, script) = signin_env(&auth, "", browser);
    login(&env, &script, &[]).success();
    let dir = env.dir.path();
    assert_eq!(browser_file(dir, "stray-status"), "404");
    // The second hit finds the port closed (curl's 7) or, in a race, a page; never a sign-in.
    let second = wait_for_browser_file(dir, "second-status");
    assert!(!second.is_empty(), "the second hit ran");
    assert_eq!(auth.state().token_requests.len(), 1);
    assert_eq!(auth.state().authorizations.len(), 1);
}

#[test]
fn a_sign_in_nobody_finishes_times_out_with_exit_3() {
    let auth = AuthServer::start();
    let browser = Browser {
        idle: true,
        ..Default::default()
    };
    let (env, script) = signin_env(&auth, "", browser);
    let out = login(&env, &script, &["--login-timeout", "1"]).code(3);
    let err = stderr_of(&out);
    assert!(
        err.contains("the sign-in for profile me timed out after 1s: nobody finished signing in"),
        "{err}"
    );
    assert!(
        err.contains("hint: run `oauthctl login -p me` again"),
        "{err}"
    );
    assert_eq!(browser_calls(env.dir.path()), 1);
    assert!(auth.state().token_requests.is_empty());
}

#[test]
fn no_browser_prints_the_url_on_stderr_and_opens_none() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(&auth, "", Browser::default());
    let out = login(&env, &script, &["--no-browser", "--login-timeout", "1"]).code(3);
    let err = stderr_of(&out);
    assert!(
        err.contains(
            "oauthctl: to sign in for profile me, open this URL in a browser on this machine:"
        ),
        "{err}"
    );
    assert!(err.contains(&format!(
        "  {}?response_type=code",
        auth.server.url(AUTHORIZE_PATH)
    )));
    assert_eq!(browser_calls(env.dir.path()), 0);
}

#[test]
fn without_a_browser_or_display_the_url_is_printed() {
    let auth = AuthServer::start();
    let (env, _) = signin_env(&auth, "", Browser::default());
    let out = env
        .cmd()
        .args(["login", "-p", "me", "--login-timeout", "1"])
        .assert()
        .code(3);
    let err = stderr_of(&out);
    assert!(
        err.contains("no browser can be opened here (no $BROWSER, no display)"),
        "{err}"
    );
    assert!(err.contains("--paste"), "{err}");
}

#[test]
fn without_a_terminal_token_exits_3_with_the_hint_and_opens_no_browser() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(&auth, "", Browser::default());
    let out = env
        .cmd()
        .args(["token", "-p", "me"])
        .env("BROWSER", &script)
        .assert()
        .code(3);
    assert_eq!(stdout_of(&out), "");
    let err = stderr_of(&out);
    assert!(
        err.contains("profile me needs a person to sign in"),
        "{err}"
    );
    assert!(err.contains("hint: run oauthctl login -p me"), "{err}");
    assert_eq!(browser_calls(env.dir.path()), 0);
    assert!(auth.state().authorizations.is_empty());
    // call and exec alike.
    env.cmd()
        .args(["call", "-p", "me", "GET", "/v1/me"])
        .env("BROWSER", &script)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("hint: run oauthctl login -p me"));
    env.cmd()
        .args(["exec", "-p", "me", "--", "true"])
        .env("BROWSER", &script)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("hint: run oauthctl login -p me"));
    assert_eq!(browser_calls(env.dir.path()), 0);
}

// util-linux's script(1) gives the terminal.
#[cfg(target_os = "linux")]
#[test]
fn on_a_terminal_token_signs_in_by_itself() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(&auth, "", Browser::default());
    let (code, screen) = on_terminal_with(&env, &["token", "-p", "me"], &[("BROWSER", &script)]);
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(&access_token(2)), "{screen}");
    assert_eq!(browser_calls(env.dir.path()), 1);
}

/// A cached token that is never fresh enough: `min_ttl` longer than the tokens live.
const NEVER_FRESH: &str = "min_ttl = 100000\n";

#[test]
fn a_kept_refresh_token_is_used_instead_of_a_new_sign_in() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(&auth, NEVER_FRESH, Browser::default());
    login(&env, &script, &[]).success();
    let out = env
        .cmd()
        .args(["token", "-p", "me"])
        .env("BROWSER", &script)
        .assert()
        .success();
    assert_eq!(stdout_of(&out), format!("{}\n", access_token(3)));
    let st = auth.state();
    let refreshes = st.token_requests_of("refresh_token");
    assert_eq!(refreshes.len(), 1);
    assert!(refreshes[0].contains(&format!("refresh_token={}", refresh_token(2))));
    assert!(refreshes[0].contains("client_id=oauthctl-cli"));
    assert_eq!(browser_calls(env.dir.path()), 1, "no second sign-in");
}

#[test]
fn a_rotated_refresh_token_replaces_the_old_one() {
    let auth = AuthServer::start();
    auth.state().rotate = true;
    let (env, script) = signin_env(&auth, NEVER_FRESH, Browser::default());
    login(&env, &script, &[]).success();
    for _ in 0..2 {
        env.cmd().args(["token", "-p", "me"]).assert().success();
    }
    let st = auth.state();
    let refreshes = st.token_requests_of("refresh_token");
    assert_eq!(refreshes.len(), 2, "{:?}", st.token_requests);
    assert!(refreshes[0].contains(&format!("refresh_token={}", refresh_token(2))));
    assert!(refreshes[1].contains(&format!("refresh_token={}", refresh_token(3))));
    drop(st);
    assert_eq!(
        refresh_file(&env).as_deref(),
        Some(refresh_token(4).as_str())
    );
    assert_eq!(browser_calls(env.dir.path()), 1);
}

#[test]
fn a_refused_refresh_token_is_forgotten_and_the_user_told_to_sign_in() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(&auth, NEVER_FRESH, Browser::default());
    login(&env, &script, &[]).success();
    auth.state().revoke_all_refresh_tokens();
    let out = env
        .cmd()
        .args(["token", "-p", "me"])
        .env("BROWSER", &script)
        .assert()
        .code(3);
    let err = stderr_of(&out);
    assert!(
        err.contains("oauthctl: the refresh token of profile me was refused, and is forgotten: token request to 127.0.0.1:"),
        "{err}"
    );
    assert!(
        err.contains("invalid_grant: Refresh token is invalid or expired"),
        "{err}"
    );
    assert!(err.contains("its refresh token was refused"), "{err}");
    assert!(err.contains("hint: run oauthctl login -p me"), "{err}");
    assert_eq!(refresh_file(&env), None, "dropped");
    assert_eq!(
        browser_calls(env.dir.path()),
        1,
        "no browser without a terminal"
    );
    // The next one does not send it again.
    env.cmd().args(["token", "-p", "me"]).assert().code(3);
    assert_eq!(auth.state().token_requests_of("refresh_token").len(), 1);
}

#[test]
fn logout_revokes_both_tokens_and_forgets_them() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(&auth, "", Browser::default());
    login(&env, &script, &[]).success();
    let out = env.cmd().args(["logout", "-p", "me"]).assert().success();
    assert_eq!(stdout_of(&out), "");
    let err = stderr_of(&out);
    assert!(
        err.contains(
            "oauthctl: revoked the refresh token and the access token of profile me at 127.0.0.1:"
        ),
        "{err}"
    );
    assert!(
        err.contains("removed the refresh token from file "),
        "{err}"
    );
    assert!(err.contains("removed the cached access token"), "{err}");
    assert_eq!(
        auth.state().revoked,
        vec![
            (refresh_token(2), "refresh_token".to_string()),
            (access_token(2), "access_token".to_string())
        ]
    );
    assert_eq!(refresh_file(&env), None);
    assert!(cache_files(&env, ".json").is_empty());
    env.cmd()
        .args(["token", "-p", "me"])
        .env("BROWSER", &script)
        .assert()
        .code(3);
}

#[test]
fn a_failed_revocation_removes_nothing() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(&auth, "", Browser::default());
    login(&env, &script, &[]).success();
    env.write_profiles(
        &auth
            .profile("me", "refresh_token_store = \"file\"\n")
            .replace(REVOKE_PATH, "/no-such-endpoint"),
    );
    let out = env.cmd().args(["logout", "-p", "me"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(
        err.contains("cannot revoke the refresh token of profile me; nothing was removed"),
        "{err}"
    );
    assert!(err.contains("--no-revoke"), "{err}");
    assert!(refresh_file(&env).is_some());
    env.cmd()
        .args(["logout", "-p", "me", "--no-revoke"])
        .assert()
        .success();
    assert_eq!(refresh_file(&env), None);
}

// util-linux's script(1) gives the terminal.
#[cfg(target_os = "linux")]
#[test]
fn sixteen_processes_at_once_make_one_sign_in() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(&auth, "", Browser::default());
    let outs: Vec<(i32, String)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let (env, script) = (&env, &script);
                scope.spawn(move || {
                    on_terminal_with(env, &["token", "-p", "me"], &[("BROWSER", script)])
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (code, screen) in &outs {
        assert_eq!(*code, 0, "{screen}");
        assert!(screen.contains(&access_token(2)), "{screen}");
    }
    assert_eq!(browser_calls(env.dir.path()), 1, "one browser tab");
    assert_eq!(auth.state().authorizations.len(), 1);
    assert_eq!(auth.state().token_requests.len(), 1);
}

#[test]
fn a_confidential_client_sends_its_secret_with_the_code() {
    let auth = AuthServer::start();
    let (env, script) = signin_env(
        &auth,
        "client_auth = \"post\"\nclient_secret_env = \"SIGNIN_SECRET\"\n",
        Browser::default(),
    );
    env.cmd()
        .args(["login", "-p", "me"])
        .env("BROWSER", &script)
        .env("SIGNIN_SECRET", SECRET)
        .assert()
        .success();
    let st = auth.state();
    let body = &st.token_requests_of("authorization_code")[0];
    assert!(
        body.contains(&format!("client_secret={}", form_urlencoded(SECRET))),
        "{body}"
    );
}

#[test]
fn login_refuses_a_profile_nobody_signs_in_to() {
    let (_server, env) = token_server(TOKEN);
    let out = env.cmd().args(["login", "-p", "scm"]).assert().code(2);
    assert!(
        stderr_of(&out)
            .contains("profile scm uses grant = \"client_credentials\", in which nobody signs in")
    );
}

#[test]
fn a_sign_in_profile_without_authorization_url_says_what_to_add() {
    let env = TestEnv::new(
        "[profiles.me]\ngrant = \"authorization_code\"\ntoken_url = \"https://id.example.com/token\"\nclient_id = \"c\"\nclient_auth = \"none\"\n",
    );
    let out = env.cmd().args(["token", "-p", "me"]).assert().code(1);
    let err = stderr_of(&out);
    assert!(err.contains("has no authorization_url"), "{err}");
    let env = TestEnv::new(
        "[profiles.me]\ntoken_url = \"https://id.example.com/token\"\nclient_id = \"c\"\nclient_auth = \"none\"\n",
    );
    let out = env.cmd().args(["token", "-p", "me"]).assert().code(1);
    assert!(stderr_of(&out).contains("client_auth = \"none\" is for a public client"));
}

#[test]
fn paste_reads_the_redirected_address_from_stdin() {
    use std::io::{BufRead, BufReader, Write};
    let auth = AuthServer::start();
    let (env, _) = signin_env(&auth, "", Browser::default());
    let mut child = env
        .std_cmd()
        .args(["login", "-p", "me", "--paste", "--login-timeout", "20"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut url = String::new();
    let mut line = String::new();
    while stderr.read_line(&mut line).unwrap() > 0 {
        if let Some(found) = line.trim().strip_prefix("http") {
            url = format!("http{found}");
            break;
        }
        line.clear();
    }
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    // The browser on another machine: the authorization server sends it to a loopback port
    // that is not there; the person copies the address.
    let client = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    let answer = client.get(&url).send().unwrap();
    let location = answer.headers()["location"].to_str().unwrap().to_string();
    writeln!(child.stdin.take().unwrap(), "{location}").unwrap();
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert!(rest.contains("signed in for profile me"), "{rest}");
    assert_eq!(
        auth.state().token_requests_of("authorization_code").len(),
        1
    );
}

/// The refresh token and the code never reach stdout, stderr or the cache entry, `-v` included,
/// and `token --format json` leaves the refresh token out.
#[test]
fn refresh_tokens_and_codes_never_show() {
    let auth = AuthServer::start();
    auth.state().rotate = true;
    let (env, script) = signin_env(&auth, NEVER_FRESH, Browser::default());
    let mut seen = String::new();
    let mut run = |args: &[&str]| {
        let out = env
            .cmd()
            .args(args)
            .env("BROWSER", &script)
            .assert()
            .success();
        seen.push_str(&stdout_of(&out));
        seen.push_str(&stderr_of(&out));
    };
    run(&["login", "-p", "me", "-v"]);
    run(&["token", "-p", "me", "-v"]);
    run(&["token", "-p", "me", "--format", "json"]);
    run(&["profiles", "show", "-p", "me"]);
    run(&["logout", "-p", "me"]);
    assert!(seen.contains("REDACTED"), "-v ran: {seen}");
    let mut cache_text = String::new();
    for (path, bytes) in files_under(env.dir.path()) {
        // The refresh-token file holds it, as asked; the browser's own notes hold the code.
        if !path.starts_with(env.cache_dir()) || path.to_string_lossy().ends_with(".refresh") {
            continue;
        }
        cache_text.push_str(&String::from_utf8_lossy(&bytes));
    }
    for n in 1..=6 {
        for secret in [refresh_token(n), code(n)] {
            assert!(!seen.contains(&secret), "{secret} shown: {seen}");
            assert!(!cache_text.contains(&secret), "{secret} cached");
        }
    }
}

/// With the keyring, the refresh token is stored there, `secret status` says so without showing
/// it, and logout removes it.
#[test]
#[ignore = "needs a real Secret Service"]
fn the_refresh_token_is_kept_in_the_keyring() {
    let auth = AuthServer::start();
    let env = TestEnv::with_keyring(&auth.profile("me", NEVER_FRESH));
    let script = Browser::default().write(env.dir.path());
    let script = script.to_str().unwrap();
    env.cmd()
        .args(["login", "-p", "me"])
        .env("BROWSER", script)
        .assert()
        .success();
    assert!(cache_files(&env, ".refresh").is_empty());
    let out = env
        .cmd()
        .args(["secret", "status", "-p", "me"])
        .assert()
        .success();
    let status = stdout_of(&out);
    assert!(
        status.contains("refresh token: the Secret Service (oauthctl-cli@127.0.0.1:"),
        "{status}"
    );
    assert!(status.contains("kept (from the last sign-in)"), "{status}");
    assert!(!status.contains("signin-refresh"), "{status}");
    let out = env.cmd().args(["token", "-p", "me"]).assert().success();
    assert_eq!(stdout_of(&out), format!("{}\n", access_token(3)));
    env.cmd().args(["logout", "-p", "me"]).assert().success();
    let out = env
        .cmd()
        .args(["secret", "status", "-p", "me"])
        .assert()
        .success();
    assert!(stdout_of(&out).contains("none: the next token needs a sign-in"));
    assert_eq!(auth.state().revoked.len(), 2);
}

#[test]
fn without_a_keyring_the_sign_in_says_the_refresh_token_was_not_kept() {
    let auth = AuthServer::start();
    let env = TestEnv::new(&auth.profile("me", ""));
    let script = Browser::default().write(env.dir.path());
    let out = env
        .cmd()
        .args(["login", "-p", "me"])
        .env("BROWSER", &script)
        .assert()
        .success();
    let err = stderr_of(&out);
    assert!(err.contains("cannot keep the refresh token"), "{err}");
    assert!(err.contains("the Secret Service is not reachable"), "{err}");
    assert!(err.contains("refresh_token_store = \"file\""), "{err}");
    assert!(
        cache_files(&env, ".refresh").is_empty(),
        "no silent fallback to a file"
    );
}

#[test]
fn doctor_checks_the_redirect_port_and_says_where_the_refresh_token_is() {
    let auth = AuthServer::start();
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let (env, script) = signin_env(
        &auth,
        &format!("redirect_port = {port}\n"),
        Browser::default(),
    );
    let out = env.cmd().args(["doctor", "-p", "me"]).assert().code(1);
    let text = stdout_of(&out);
    assert!(
        text.contains(&format!(
            "✗ redirect port {port} of 127.0.0.1 cannot be listened on"
        )),
        "{text}"
    );
    assert!(text.contains("no refresh token is kept in file "), "{text}");
    drop(busy);
    login(&env, &script, &[]).success();
    assert!(
        browser_file(env.dir.path(), "browser-urls").contains(&format!(
            "redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Fcallback"
        ))
    );
    let out = env.cmd().args(["doctor", "-p", "me"]).assert().success();
    let text = stdout_of(&out);
    assert!(
        text.contains(&format!("✓ redirect port {port} of 127.0.0.1 is free")),
        "{text}"
    );
    assert!(
        text.contains("✓ a refresh token is kept in file "),
        "{text}"
    );
    // When it was last used: the login just now gave the cached token.
    assert!(
        text.contains("; last used (or given) 0s ago, for the token now cached")
            || text.contains("; last used (or given) 1s ago, for the token now cached"),
        "{text}"
    );
    assert!(!text.contains("signin-refresh"), "{text}");

    // Without a cached token, it says so.
    env.cmd()
        .args(["cache", "clear", "-p", "me"])
        .assert()
        .success();
    let text = stdout_of(&env.cmd().args(["doctor", "-p", "me"]).assert().success());
    assert!(
        text.contains("; no token fetched with it is cached"),
        "{text}"
    );
}
