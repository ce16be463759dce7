//! Choosing and reading profiles, as the binary reports it.

use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

#[test]
fn unknown_key_is_reported_with_line_and_suggestion() {
    let env = TestEnv::new("[profiles.scm]\nprovider = \"scm\"\nclient_id = \"a\"\ntsgid = 1\n");
    env.cmd().arg("token").assert().code(1).stdout("").stderr(format!(
        "oauthctl: {}: line 4: profile scm has an unknown key `tsgid`; did you mean `tsg_id`?\n",
        env.config().display()
    ));
}

#[test]
fn broken_toml_names_file_line_and_column() {
    let env = TestEnv::new("[profiles.scm]\nclient_id = \"a\ntsg_id = 1\n");
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(format!(
            "oauthctl: {}: TOML parse error at line 2, column",
            env.config().display()
        )));
}

#[test]
fn missing_profile_file_says_where_it_looked() {
    let env = TestEnv::new("");
    std::fs::remove_file(env.config()).unwrap();
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "no profile file at {}",
            env.config().display()
        )))
        .stderr(predicate::str::contains("hint: copy profiles.example.toml"));
}

#[test]
fn unknown_profile_lists_the_known_ones() {
    let env = TestEnv::new(
        &(generic_profile("scm", "https://a.example/t", "")
            + &generic_profile("iot", "https://a.example/t", "")),
    );
    env.cmd()
        .args(["token", "-p", "sccm"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("no profile named sccm in")
                .and(predicate::str::contains("known profiles: iot, scm")),
        );
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "holds 2 profiles and no default_profile; choose one with -p NAME: iot, scm",
        ));
}

#[test]
fn profile_comes_from_flag_then_env_then_default_profile() {
    let server = MockServer::start();
    let a = server.mock(|when, then| {
        when.method(POST).path("/a");
        then.status(200)
            .json_body(scm_token_response("token-a", 899));
    });
    let b = server.mock(|when, then| {
        when.method(POST).path("/b");
        then.status(200)
            .json_body(scm_token_response("token-b", 899));
    });
    let env = TestEnv::new(&format!(
        "default_profile = \"a\"\n{}{}",
        generic_profile("a", &server.url("/a"), ""),
        generic_profile("b", &server.url("/b"), "")
    ));
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("token-a\n");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_PROFILE", "b")
        .assert()
        .success()
        .stdout("token-b\n");
    env.cmd()
        .args(["-p", "a", "token"])
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_PROFILE", "b")
        .assert()
        .success()
        .stdout("token-a\n");
    a.assert_calls(1);
    b.assert_calls(1);
}

#[test]
fn config_flag_beats_the_environment() {
    let env = TestEnv::new("this is not toml");
    let other = env.dir.path().join("other.toml");
    std::fs::write(
        &other,
        "[profiles.x]\nclient_id = \"a\"\ntoken_url = \"http://auth.example.com/t\"\n",
    )
    .unwrap();
    env.cmd()
        .arg("--config")
        .arg(&other)
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "profile x: token_url http://auth.example.com/t is not https",
        ));
}

#[test]
fn example_profiles_file_loads_and_every_profile_resolves() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles.example.toml"
    ))
    .unwrap();
    let env = TestEnv::new(&text);
    // `secret status` prints its first line only once the profile has resolved.
    for name in ["scm", "iot", "saas", "asgardeo"] {
        env.cmd()
            .args(["secret", "status", "-p", name])
            .assert()
            .stdout(predicate::str::contains(format!("profile: {name}\n")));
    }
    // The SAP profile names a service key that only an import creates.
    let home = env.dir.path().join("home");
    env.cmd()
        .args(["secret", "status", "-p", "sap"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "profile sap: cannot read service key {}",
            home.join(".config/oauthctl/sap-keys/sap.json").display()
        )));
    let key = serde_json::json!({"uaa": {"clientid": "sb-x", "url": "https://sub.authentication.eu10.hana.ondemand.com"},
        "endpoints": {"accounts_service_url": "https://accounts-service.cfapps.eu10.hana.ondemand.com"}});
    std::fs::create_dir_all(home.join(".config/oauthctl/sap-keys")).unwrap();
    std::fs::write(
        home.join(".config/oauthctl/sap-keys/sap.json"),
        key.to_string(),
    )
    .unwrap();
    env.cmd()
        .args(["secret", "status", "-p", "sap"])
        .assert()
        .stdout(predicate::str::contains("profile: sap\n"));
}

#[test]
fn usage_errors_exit_2() {
    let env = TestEnv::new("");
    env.cmd()
        .args(["token", "--format", "yaml"])
        .assert()
        .code(2);
    env.cmd()
        .args(["token", "--refresh", "--no-cache"])
        .assert()
        .code(2);
    env.cmd().arg("frobnicate").assert().code(2);
}

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

// ---- Issue 11 ----

#[test]
fn tsg_id_that_is_not_a_number_is_a_config_error_and_nothing_is_sent() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path("/t");
        then.status(200)
            .json_body(scm_token_response("token-a", 899));
    });
    let env = TestEnv::new("");
    for (value, problem) in [
        (
            "\"${TSG}\"",
            "\"${TSG}\" is not a number: a TSG id is digits only, and the profile file does not expand variables",
        ),
        (
            "\"12345 67890\"",
            "\"12345 67890\" is not a number: a TSG id is digits only",
        ),
        ("-5", "\"-5\" is not a number: a TSG id is digits only"),
        ("\"\"", "\"\" is empty"),
    ] {
        env.write_profiles(&format!(
            "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"{CLIENT_ID}\"\ntoken_url = \"{}\"\nclient_secret_env = \"SCM_SECRET\"\ntsg_id = {value}\n",
            server.url("/t")
        ));
        env.cmd()
            .arg("token")
            .env("SCM_SECRET", SECRET)
            .env("TSG", "1234567890")
            .assert()
            .code(1)
            .stdout("")
            .stderr(format!(
                "oauthctl: profile scm: tsg_id {problem}\nhint: write your Tenant Service Group id, e.g. tsg_id = 1234567890\n"
            ));
    }
    mock.assert_calls(0);
    // Digits, quoted or not, are a TSG id.
    for value in ["1234567890", "\"1234567890\""] {
        env.write_profiles(&format!(
            "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"{CLIENT_ID}\"\ntoken_url = \"{}\"\nclient_secret_env = \"SCM_SECRET\"\ntsg_id = {value}\n",
            server.url("/t")
        ));
        env.cmd()
            .args(["token", "--no-cache"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .success()
            .stdout("token-a\n");
    }
    mock.assert_calls(2);
}

#[test]
fn secret_set_without_a_secret_service_says_so_and_how_to_do_without() {
    let env = TestEnv::new(&generic_profile("scm", "https://a.example/t", ""));
    let out = env
        .cmd()
        .args(["secret", "set"])
        // No bus at this address, as on a headless machine (also inside .ci/with-keyring).
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            format!("unix:path={}", env.dir.path().join("no-bus").display()),
        )
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
