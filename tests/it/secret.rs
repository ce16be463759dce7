//! `oauthctl secret` (set, delete, status) and the places a client secret or password comes
//! from: an environment variable, a command, the Secret Service.

use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

#[test]
fn secret_is_never_taken_from_the_command_line() {
    let env = TestEnv::new(&generic_profile("scm", "https://a.example/t", ""));
    env.cmd()
        .args(["secret", "set", "hunter2"])
        .assert()
        .code(2);
    env.cmd()
        .args(["secret", "set", "--secret", "hunter2"])
        .assert()
        .code(2);
}

#[test]
fn empty_secret_on_stdin_stores_nothing() {
    let env = TestEnv::new(&generic_profile("scm", "https://a.example/t", ""));
    env.cmd()
        .args(["secret", "set"])
        .write_stdin("\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the secret is empty; nothing was stored",
        ));
}

// Only there is the keyring (the Secret Service) out of reach in a test.
#[cfg(target_os = "linux")]
#[test]
fn secret_set_without_a_secret_service_says_so_and_how_to_do_without() {
    let env = TestEnv::new(&generic_profile("scm", "https://a.example/t", ""));
    let out = env
        .cmd()
        .args(["secret", "set"])
        .write_stdin(format!("{SECRET}\n"))
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&out);
    if cfg!(target_os = "linux") {
        assert_eq!(
            stderr,
            format!(
                "oauthctl: cannot store the client secret for {CLIENT_ID}@a.example: the Secret Service is not reachable (nothing answers for it on the D-Bus session bus)\n\
                 hint: on a machine without a keyring (a server, a container, CI), set client_secret_env or client_secret_command in the profile instead of storing the client secret\n\
                 hint: or start a keyring: log in to a desktop session, or run gnome-keyring-daemon --unlock inside dbus-run-session\n"
            )
        );
    }
    for raw in ["zbus", "os error", "No such file", "no-bus", SECRET] {
        assert!(!stderr.contains(raw), "stderr holds {raw}:\n{stderr}");
    }
}

// the command is sh; windows.rs has the cmd counterpart.
#[cfg(unix)]
#[test]
fn secret_from_command_is_used_and_env_comes_first() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header("authorization", BASIC);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = TestEnv::new(&format!(
        "[profiles.scm]\ntoken_url = \"{}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\nclient_secret_command = \"printf '%s\\\\n' \\\"$FROM_CMD\\\"\"\nclient_secret_env = \"SCM_SECRET\"\n",
        server.url(TOKEN_PATH)
    ));
    env.cmd()
        .args(["token", "--no-cache"])
        .env("FROM_CMD", SECRET)
        .assert()
        .success();
    env.cmd()
        .args(["token", "--no-cache"])
        .env("FROM_CMD", "wrong")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    mock.assert_calls(2);
}

// Only there is the keyring (the Secret Service) out of reach in a test.
#[cfg(target_os = "linux")]
#[test]
fn unreachable_keyring_names_the_cause_and_the_alternatives() {
    let env = TestEnv::new(
        "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"sa-1@1.iam.panserviceaccount.com\"\ntsg_id = 1\n",
    );
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("profile scm: cannot read the client secret: the Secret Service is not reachable"))
        .stderr(predicate::str::contains("hint: where no keyring can be used, set `client_secret_env` or `client_secret_command`"));
}

// ---- An empty client_secret_env or password_env ----

/// `SCM_SECRET= oauthctl token`, as a CI job from a fork runs it: the variable is named, not the
/// keyring (which is unreachable here, and beside the point).
#[test]
fn an_empty_client_secret_env_is_named_not_blamed_on_the_keyring() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = scm_env(&server, "");
    let out = env
        .cmd()
        .arg("token")
        .env("SCM_SECRET", "")
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(
            "oauthctl: no client secret for profile scm: $SCM_SECRET is set but empty (client_secret_env = \"SCM_SECRET\")\n\
             hint: give $SCM_SECRET the client secret; in CI, check that the job receives the secret"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("not reachable"), "{stderr}");
    assert!(!stderr.contains("set `client_secret_env`"), "{stderr}");
    mock.assert_calls(0);
    let status = env
        .cmd()
        .args(["secret", "status"])
        .env("SCM_SECRET", "")
        .assert()
        .code(1);
    let stdout = stdout_of(&status);
    assert!(
        stdout.contains("client_secret_env: $SCM_SECRET is set but empty"),
        "{stdout}"
    );
}

#[test]
fn an_empty_password_env_is_named_not_blamed_on_the_keyring() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = TestEnv::new(&format!(
        "[profiles.btp]\ntoken_url = \"{}\"\nclient_id = \"c\"\nclient_secret_env = \"SAP_SECRET\"\ngrant = \"password\"\nusername = \"jane@example.com\"\npassword_env = \"SAP_PASSWORD\"\n",
        server.url("/oauth/token")
    ));
    let out = env
        .cmd()
        .arg("token")
        .env("SAP_SECRET", SECRET)
        .env("SAP_PASSWORD", "")
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&out);
    assert!(
        stderr.starts_with(
            "oauthctl: no password for profile btp: $SAP_PASSWORD is set but empty (password_env = \"SAP_PASSWORD\")\n\
             hint: give $SAP_PASSWORD the password;"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("not reachable"), "{stderr}");
    mock.assert_calls(0);
}

#[test]
#[ignore = "needs a real Secret Service"]
fn secret_set_then_token_through_the_real_keyring() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header("authorization", BASIC);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let url = server.url(TOKEN_PATH);
    let env = TestEnv::with_keyring(&format!(
        "[profiles.scm]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\n\
         [profiles.iot]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"tsg_id:1234567890\"\n"
    ));
    env.cmd()
        .args(["secret", "set", "-p", "scm"])
        .write_stdin(format!("{SECRET}\n"))
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("used by profiles iot, scm"));
    env.cmd()
        .args(["token", "-p", "scm"])
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    // The iot profile shares the service account, so it finds the same secret.
    env.cmd()
        .args(["token", "-p", "iot", "--no-cache"])
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(2);
    let status = env
        .cmd()
        .args(["secret", "status", "-p", "iot"])
        .assert()
        .success();
    let stdout = stdout_of(&status);
    assert!(stdout.contains("in use: keyring"), "{stdout}");
    assert!(!stdout.contains(SECRET));
    env.cmd()
        .args(["secret", "delete", "-p", "scm"])
        .assert()
        .success();
    env.cmd()
        .args(["secret", "status", "-p", "iot"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("in use: none"));
    assert!(
        !env.all_file_contents().contains(SECRET),
        "the secret reached a file under the test folder"
    );
}

// ---------------------------------------------------------------------------------------------
// `secret set` and `secret delete` drop the tokens fetched with the secret
// ---------------------------------------------------------------------------------------------

/// A token endpoint answering `token` to client-secret-in-the-form requests with this scope and
/// secret (client_auth = "post", so the secret on the wire is plain to match).
fn token_for<'a>(
    server: &'a MockServer,
    scope: &str,
    secret: &str,
    token: &str,
) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .form_urlencoded_tuple("scope", scope)
            .form_urlencoded_tuple("client_secret", secret);
        then.status(200).json_body(scm_token_response(token, 899));
    })
}

fn token_of(env: &TestEnv, profile: &str) -> String {
    let out = env
        .cmd()
        .args(["token", "-p", profile])
        .env("OTHER_SECRET", "other-secret")
        .assert()
        .success();
    stdout_of(&out)
}

#[test]
#[ignore = "needs a real Secret Service"]
fn secret_set_and_delete_drop_the_tokens_fetched_with_the_old_secret() {
    let server = MockServer::start();
    let url = server.url(TOKEN_PATH);
    // Two tenants of one service account, whose secret is in the keyring, and another client.
    let env = TestEnv::with_keyring(&format!(
        "[profiles.one]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nclient_auth = \"post\"\nscope = \"tsg_id:1\"\n\
         [profiles.two]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nclient_auth = \"post\"\nscope = \"tsg_id:2\"\n\
         [profiles.other]\ntoken_url = \"{url}\"\nclient_id = \"sa-2@1234567890.iam.panserviceaccount.com\"\nclient_auth = \"post\"\nscope = \"tsg_id:1\"\nclient_secret_env = \"OTHER_SECRET\"\n"
    ));
    let old_one = token_for(&server, "tsg_id:1", "old-secret", "old-token-1");
    let old_two = token_for(&server, "tsg_id:2", "old-secret", "old-token-2");
    let new_one = token_for(&server, "tsg_id:1", "new-secret", "new-token-1");
    let new_two = token_for(&server, "tsg_id:2", "new-secret", "new-token-2");
    let other = token_for(&server, "tsg_id:1", "other-secret", "other-token");
    let account = format!("{CLIENT_ID}@127.0.0.1:{}", server.port());
    let set = |secret: &str| {
        env.cmd()
            .args(["secret", "set", "-p", "one"])
            .write_stdin(format!("{secret}\n"))
            .assert()
            .success()
            .stdout("")
    };

    set("old-secret").stderr(predicate::str::contains("dropped").not());
    assert_eq!(token_of(&env, "one"), "old-token-1\n");
    assert_eq!(token_of(&env, "two"), "old-token-2\n");
    assert_eq!(token_of(&env, "other"), "other-token\n");

    // Rotated: both tenants' tokens go, the other client's stays.
    set("new-secret").stderr(predicate::str::contains(format!(
        "oauthctl: dropped 2 cached tokens of {account} (fetched with the old one)\n"
    )));
    assert_eq!(token_of(&env, "one"), "new-token-1\n");
    assert_eq!(token_of(&env, "two"), "new-token-2\n");
    assert_eq!(token_of(&env, "other"), "other-token\n");
    old_one.assert_calls(1);
    old_two.assert_calls(1);
    new_one.assert_calls(1);
    new_two.assert_calls(1);
    other.assert_calls(1);

    // Deleted: no token of that client is served any more, the other client's still is.
    env.cmd()
        .args(["secret", "delete", "-p", "two"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "oauthctl: dropped 2 cached tokens of {account} (fetched with it)\n"
        )));
    env.cmd()
        .args(["token", "--check", "-p", "one"])
        .assert()
        .code(1);
    env.cmd()
        .args(["token", "-p", "two"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("profile two: "));
    assert_eq!(token_of(&env, "other"), "other-token\n");
    new_one.assert_calls(1);
    new_two.assert_calls(1);
    other.assert_calls(1);
}

#[test]
#[ignore = "needs a real Secret Service"]
fn secret_set_password_drops_the_tokens_of_that_user_only() {
    let server = MockServer::start();
    let url = server.url(TOKEN_PATH);
    let profile = |name: &str, user: &str| {
        format!(
            "[profiles.{name}]\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\ngrant = \"password\"\nusername = \"{user}\"\n"
        )
    };
    let env = TestEnv::with_keyring(
        &(profile("jane", "jane@example.com") + &profile("joe", "joe@example.com")),
    );
    let user = |name: &str, password: &str, token: &str| {
        let (name, password) = (name.to_string(), password.to_string());
        server.mock(move |when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("username", name)
                .form_urlencoded_tuple("password", password);
            then.status(200).json_body(scm_token_response(token, 899));
        })
    };
    let jane_old = user("jane@example.com", "Old-Pass1", "jane-old");
    let jane_new = user("jane@example.com", "New-Pass2", "jane-new");
    let joe = user("joe@example.com", "Joe-Pass", "joe-token");
    let set = |profile: &str, password: &str| {
        env.cmd()
            .args(["secret", "set", "--password", "-p", profile])
            .write_stdin(format!("{password}\n"))
            .assert()
            .success()
    };
    let token = |profile: &str| {
        let out = env
            .cmd()
            .args(["token", "-p", profile])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success();
        stdout_of(&out)
    };
    set("jane", "Old-Pass1");
    set("joe", "Joe-Pass");
    assert_eq!(token("jane"), "jane-old\n");
    assert_eq!(token("joe"), "joe-token\n");
    set("jane", "New-Pass2").stderr(predicate::str::contains(format!(
        "oauthctl: dropped 1 cached token of jane@example.com@127.0.0.1:{} (fetched with the old one)\n",
        server.port()
    )));
    assert_eq!(token("jane"), "jane-new\n");
    assert_eq!(token("joe"), "joe-token\n");
    jane_old.assert_calls(1);
    jane_new.assert_calls(1);
    joe.assert_calls(1);
    for profile in ["jane", "joe"] {
        env.cmd()
            .args(["secret", "delete", "--password", "-p", profile])
            .assert()
            .success()
            .stderr(predicate::str::contains("dropped 1 cached token of "));
    }
}

/// A profile that proves itself with client_cert and client_key files reads no client secret:
/// storing one would put a secret in the keyring that nothing ever reads.
#[test]
fn secret_set_on_a_profile_with_key_files_says_it_reads_no_secret() {
    let env = TestEnv::new(
        "[profiles.mtls]\ntoken_url = \"https://auth.example/t\"\nclient_id = \"c-1\"\nclient_auth = \"tls_client_auth\"\nclient_cert = \"cert.pem\"\nclient_key = \"key.pem\"\n",
    );
    for action in ["set", "delete"] {
        env.cmd()
            .args(["secret", action, "-p", "mtls"])
            .write_stdin("not-a-secret-anyone-reads\n")
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicates::str::contains(
                "profile mtls reads no client secret: it authenticates with the certificate and private key of its client_cert and client_key files",
            ));
    }
}
