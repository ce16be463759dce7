//! The profile file and the `profiles` command: how a profile is chosen and read, what is said of
//! a file that is wrong, and `profiles list`, `show` and `path`. (`profiles import-sap-key` is SAP
//! BTP's: providers/sap_btp.rs.)

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
        .stderr(predicate::str::contains(
            "hint: run `oauthctl profiles add` to write one",
        ));
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

// The home folder is $HOME only on Unix.
#[cfg(unix)]
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
fn profiles_list_and_path() {
    let env = TestEnv::new(&format!(
        "default_profile = \"scm\"\n{}{}",
        generic_profile("scm", "https://auth.example.com/t", ""),
        generic_profile("iot", "https://auth.example.com/t", "")
    ));
    env.cmd()
        .args(["profiles", "list", "--names"])
        .assert()
        .success()
        .stdout("iot\nscm\n");
    env.cmd()
        .args(["profiles", "list"])
        .assert()
        .success()
        .stdout("iot  generic  auth.example.com\nscm (default)  generic  auth.example.com\n");
    env.cmd()
        .args(["profiles", "path"])
        .assert()
        .success()
        .stdout(format!("{}\n", env.config().display()))
        .stderr("oauthctl: from $OAUTHCTL_CONFIG\n");
}

#[test]
fn profiles_show_marks_preset_values_and_holds_no_secret() {
    let env = TestEnv::new(
        "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"sa@1.iam.panserviceaccount.com\"\ntsg_id = 1234567890\nclient_secret_env = \"SCM_SECRET\"\n",
    );
    let out = env
        .cmd()
        .args(["profiles", "show"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let text = stdout_of(&out);
    assert!(!text.contains(SECRET), "{text}");
    assert!(
        text.contains(
            "token_url      https://auth.apps.paloaltonetworks.com/oauth2/access_token  (preset)"
        ),
        "{text}"
    );
    assert!(
        text.contains("scope          tsg_id:1234567890  (preset)"),
        "{text}"
    );
    assert!(
        text.contains("client_id      sa@1.iam.panserviceaccount.com\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("client secret  $SCM_SECRET, then {KEYRING_NAME}"))
            || cfg!(not(target_os = "linux")),
        "{text}"
    );
}

#[test]
fn service_key_origins_are_shown_once_each() {
    let env = TestEnv::new("");
    let key = serde_json::json!({
        "endpoints": {
            "accounts_service_url": "https://cis.example.com/accounts",
            "entitlements_service_url": "https://cis.example.com/entitlements",
            "events_service_url": "https://events.example.com",
            "provisioning_service_url": "https://cis.example.com:443/provisioning"
        },
        "uaa": {"clientid": "sb-x", "url": "https://sub.authentication.eu10.hana.ondemand.com"}
    });
    std::fs::write(env.dir.path().join("key.json"), key.to_string()).unwrap();
    env.write_profiles(
        "[profiles.btp]\nprovider = \"sap-btp\"\nservice_key = \"key.json\"\nallowed_origins = [\"https://other.example.com\", \"https://events.example.com\"]\n",
    );
    let out = env.cmd().args(["profiles", "show"]).assert().success();
    let origins: Vec<String> = stdout_of(&out)
        .lines()
        .filter(|l| l.starts_with("allowed_origin "))
        .map(|l| l.split_whitespace().nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        origins,
        [
            "https://other.example.com",
            "https://events.example.com",
            "https://cis.example.com"
        ]
    );
}

#[test]
fn profiles_example_prints_the_example_file() {
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles.example.toml"
    ))
    .unwrap();
    let env = TestEnv::new("");
    std::fs::remove_file(env.config()).unwrap();
    // No profile file is needed to print it.
    env.cmd()
        .args(["profiles", "example"])
        .assert()
        .success()
        .stdout(shipped)
        .stderr("");
}

/// A profile file with comments in every place a user puts them.
const COMMENTED: &str = "# My tenants.\n# Keep this file in git.\n\ndefault_profile = \"tenant-a\"   # the usual one\n\n# Tenant A, production.\n[profiles.tenant-a]\ntoken_url = \"https://auth.example.com/t\"   # theirs\nclient_id = \"a\"\n\n# Tenant B: staging.\n[profiles.tenant-b]\ntoken_url = \"https://auth.example.com/t\"\nclient_id = \"b\"\n";

#[test]
fn profiles_use_changes_the_default_and_nothing_else() {
    let env = TestEnv::new(COMMENTED);
    env.cmd()
        .args(["profiles", "use", "tenant-b"])
        .assert()
        .success()
        .stdout("")
        .stderr(format!(
            "oauthctl: default_profile is now tenant-b in {}\n",
            env.config().display()
        ));
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        COMMENTED.replace(
            "default_profile = \"tenant-a\"",
            "default_profile = \"tenant-b\""
        )
    );
    env.cmd()
        .args(["profiles", "list"])
        .assert()
        .success()
        .stdout(
            "tenant-a  generic  auth.example.com\ntenant-b (default)  generic  auth.example.com\n",
        );
}

#[test]
fn profiles_use_adds_the_default_below_the_files_opening_comment() {
    let without = COMMENTED.replace("default_profile = \"tenant-a\"   # the usual one\n\n", "");
    let env = TestEnv::new(&without);
    env.cmd()
        .args(["profiles", "use", "tenant-a"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        without.replace(
            "# Keep this file in git.\n\n",
            "# Keep this file in git.\n\ndefault_profile = \"tenant-a\"\n\n"
        )
    );
    env.cmd()
        .args(["profiles", "show"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("profile        tenant-a\n"));
}

#[test]
fn profiles_use_of_an_unknown_profile_changes_nothing() {
    let env = TestEnv::new(COMMENTED);
    env.cmd()
        .args(["profiles", "use", "tenant-c"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "oauthctl: no profile named tenant-c in {}; known profiles: tenant-a, tenant-b\nhint: add it with `oauthctl profiles add tenant-c`\n",
            env.config().display()
        ));
    assert_eq!(std::fs::read_to_string(env.config()).unwrap(), COMMENTED);
    // A file the loader refuses is not edited either.
    let broken = format!("{COMMENTED}tsgid = 1\n");
    env.write_profiles(&broken);
    env.cmd()
        .args(["profiles", "use", "tenant-a"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown key `tsgid`"));
    assert_eq!(std::fs::read_to_string(env.config()).unwrap(), broken);
}

#[test]
#[cfg(unix)]
fn profiles_use_does_not_write_through_a_link() {
    let env = TestEnv::new("");
    let real = env.dir.path().join("dotfiles-profiles.toml");
    std::fs::write(&real, COMMENTED).unwrap();
    std::fs::remove_file(env.config()).unwrap();
    std::os::unix::fs::symlink(&real, env.config()).unwrap();
    env.cmd()
        .args(["profiles", "use", "tenant-b"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "cannot edit {}",
            env.config().display()
        )))
        .stderr(predicate::str::contains(format!(
            "hint: oauthctl does not write through links; name the file itself with --config {}",
            real.canonicalize().unwrap().display()
        )));
    assert!(env.config().is_symlink());
    assert_eq!(std::fs::read_to_string(&real).unwrap(), COMMENTED);
    env.cmd()
        .args(["profiles", "use", "tenant-b", "--config"])
        .arg(&real)
        .assert()
        .success();
    assert!(env.config().is_symlink());
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("default_profile = \"tenant-b\"   # the usual one\n")
    );
}

/// `[profiles.NAME]` as `profiles add` appends it, with `keys` (`key = value` lines).
fn added(name: &str, keys: &str) -> String {
    format!("\n# Added by `oauthctl profiles add`.\n[profiles.{name}]\n{keys}")
}

/// SCM's token response for tenant `tsg`.
fn tenant_token(tsg: &str) -> serde_json::Value {
    serde_json::json!({"access_token": TOKEN, "scope": format!("profile tsg_id:{tsg} email"), "token_type": "Bearer", "expires_in": 899})
}

#[test]
fn profiles_add_with_flags_checks_the_secret_with_a_token_then_appends_the_profile() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header("authorization", BASIC)
            .body("grant_type=client_credentials&scope=tsg_id%3A1111111111");
        then.status(200).json_body(tenant_token("1111111111"));
    });
    let env = TestEnv::new(COMMENTED);
    let url = server.url(TOKEN_PATH);
    env.cmd()
        .args(["profiles", "add", "tenant-c", "--provider", "scm", "--client-id", CLIENT_ID])
        .args(["--set", "tsg_id=1111111111", "--set", &format!("token_url={url}")])
        .args(["--set", "client_secret_env=SCM_SECRET"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout("")
        .stderr(format!(
            "oauthctl: {} issued a token for {CLIENT_ID}\noauthctl: added profile tenant-c to {}; its client secret is read from $SCM_SECRET\noauthctl: try `oauthctl token -p tenant-c`, or `oauthctl profiles show -p tenant-c`\n",
            server.address(),
            env.config().display()
        ));
    mock.assert_calls(1);
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        COMMENTED.to_string()
            + &added(
                "tenant-c",
                &format!(
                    "provider = \"scm\"\ntsg_id = 1111111111\ntoken_url = \"{url}\"\nclient_secret_env = \"SCM_SECRET\"\nclient_id = \"{CLIENT_ID}\"\n"
                )
            )
    );
    // The token that proved the profile is cached for it.
    env.cmd()
        .args(["token", "-p", "tenant-c"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
    assert!(!env.all_file_contents().contains(SECRET));
}

#[test]
fn profiles_add_writes_nothing_when_the_token_request_fails() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(401)
            .json_body(serde_json::json!({"error": "invalid_client"}));
    });
    let env = TestEnv::new(COMMENTED);
    env.cmd()
        .args([
            "profiles",
            "add",
            "--provider",
            "scm",
            "--client-id",
            CLIENT_ID,
        ])
        .args(["--set", "tsg_id=1111111111"])
        .args(["--set", &format!("token_url={}", server.url(TOKEN_PATH))])
        .args(["--set", "client_secret_env=SCM_SECRET"])
        .env("SCM_SECRET", "wrong")
        .assert()
        .code(3)
        .stderr(predicate::str::starts_with(
            "oauthctl: profile scm was not added, nothing was written: the token request failed",
        ));
    // The id and secret form-urlencoded, then as typed (README: client_auth).
    mock.assert_calls(2);
    assert_eq!(std::fs::read_to_string(env.config()).unwrap(), COMMENTED);
}

// Only there is the keyring (the Secret Service) out of reach in a test.
#[cfg(target_os = "linux")]
#[test]
fn profiles_add_without_a_terminal_says_what_it_needs_and_writes_nothing() {
    let env = TestEnv::new(COMMENTED);
    let run = |args: &[&str]| {
        env.cmd()
            .args(["profiles", "add"])
            .args(args)
            .write_stdin("not-used")
            .assert()
    };
    run(&[]).code(2).stderr(
        "oauthctl: profiles add needs --provider without a terminal: scm, saas-security, asgardeo, sap-btp, entra, okta, keycloak, auth0, oidc\nhint: for another OAuth 2.0 server, give --set token_url=URL (or --set issuer=URL, whose metadata names the endpoints) instead\n",
    );
    run(&["--provider", "scmm"]).code(2).stderr(predicate::str::starts_with(
        "oauthctl: unknown provider `scmm`; known providers: scm, saas-security, asgardeo, sap-btp, entra, okta, keycloak, auth0, oidc\n",
    ));
    run(&["--provider", "scm", "--set", "tsg_id=1"])
        .code(2)
        .stderr("oauthctl: profiles add needs --client-id without a terminal\n");
    // Checked by the profile loader, without repeating the value.
    run(&[
        "--provider",
        "scm",
        "--client-id",
        "a",
        "--set",
        "tsgid=hunter2",
    ])
    .code(2)
    .stderr(predicate::str::contains(
        "--set tsgid: profile scm has an unknown key `tsgid`; did you mean `tsg_id`?",
    ))
    .stderr(predicate::str::contains("hunter2").not());
    run(&[
        "--provider",
        "scm",
        "--client-id",
        "a",
        "--set",
        "min_ttl=soon",
    ])
    .code(2)
    .stderr(predicate::str::contains("--set min_ttl:"));
    run(&["--provider", "scm", "--client-id", "a"])
        .code(1)
        .stderr(predicate::str::contains("provider scm needs `tsg_id`"))
        .stderr(predicate::str::contains(
            "hint: give the profile's keys with --set KEY=VALUE",
        ));
    run(&[
        "tenant-a",
        "--provider",
        "scm",
        "--client-id",
        "a",
        "--set",
        "tsg_id=1",
    ])
    .code(1)
    .stderr(predicate::str::contains(
        "already has a profile named tenant-a",
    ));
    // No keyring here, and no other place named for the secret.
    run(&["--provider", "scm", "--client-id", "a", "--set", "tsg_id=1"])
        .code(1)
        .stderr(predicate::str::contains(
            "the client secret cannot be stored: the Secret Service is not reachable",
        ))
        .stderr(predicate::str::contains(
            "hint: without a keyring, name where the secret is read from: --set client_secret_env=VAR, or --set client_secret_command=COMMAND",
        ));
    run(&["--provider", "sap-btp", "--client-id", "a"])
        .code(2)
        .stderr(predicate::str::contains(
            "hint: oauthctl profiles import-sap-key KEY.json --name sap-btp",
        ));
    assert_eq!(std::fs::read_to_string(env.config()).unwrap(), COMMENTED);
}

#[test]
#[ignore = "needs a real Secret Service"]
fn profiles_add_stores_the_secret_in_the_keyring_and_a_second_tenant_reuses_it() {
    let server = MockServer::start();
    let tenant = |tsg: &'static str| {
        server.mock(move |when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .header("authorization", BASIC)
                .body(format!(
                    "grant_type=client_credentials&scope=tsg_id%3A{tsg}"
                ));
            then.status(200).json_body(tenant_token(tsg));
        })
    };
    let (first, second) = (tenant("1111111111"), tenant("2222222222"));
    let env = TestEnv::with_keyring("");
    std::fs::remove_file(env.config()).unwrap();
    let url = format!("token_url={}", server.url(TOKEN_PATH));
    env.cmd()
        .args([
            "profiles",
            "add",
            "tenant-a",
            "--provider",
            "scm",
            "--client-id",
            CLIENT_ID,
        ])
        .args(["--set", "tsg_id=1111111111", "--set", &url])
        .write_stdin(format!("{SECRET}\n"))
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "; its client secret is in the Secret Service for {CLIENT_ID}@{}\n",
            server.address()
        )))
        .stderr(predicate::str::contains("warning").not());
    first.assert_calls(1);
    // The second tenant of the same service account: nothing on stdin, the stored secret serves.
    env.cmd()
        .args([
            "profiles",
            "add",
            "tenant-b",
            "--provider",
            "scm",
            "--client-id",
            CLIENT_ID,
        ])
        .args(["--set", "tsg_id=2222222222", "--set", &url, "--default"])
        .write_stdin("")
        .assert()
        .success();
    second.assert_calls(1);
    let text = std::fs::read_to_string(env.config()).unwrap();
    let url_line = format!("token_url = \"{}\"", server.url(TOKEN_PATH));
    assert_eq!(
        text,
        format!(
            "default_profile = \"tenant-b\"\n# Added by `oauthctl profiles add`.\n[profiles.tenant-a]\nprovider = \"scm\"\ntsg_id = 1111111111\n{url_line}\nclient_id = \"{CLIENT_ID}\"\n{}",
            added(
                "tenant-b",
                &format!(
                    "provider = \"scm\"\ntsg_id = 2222222222\n{url_line}\nclient_id = \"{CLIENT_ID}\"\n"
                )
            ),
        )
    );
    env.cmd()
        .args(["secret", "status", "-p", "tenant-a"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "keyring: the Secret Service holds a client secret for",
        ));
    assert!(!env.all_file_contents().contains(SECRET));
}

/// Reads what the pseudo-terminal shows up to `needle`, which it fails without.
#[cfg(unix)]
fn shown(p: &mut rexpect::session::PtySession, needle: &str) -> String {
    p.exp_string(needle)
        .unwrap_or_else(|err| panic!("no `{needle}` on the terminal: {err}"))
}

#[test]
#[cfg(unix)]
fn profiles_add_asks_on_a_terminal_and_without_a_keyring_names_a_variable() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header("authorization", BASIC)
            .body("grant_type=client_credentials&scope=tsg_id%3A1111111111");
        then.status(200).json_body(tenant_token("1111111111"));
    });
    let env = TestEnv::new(COMMENTED);
    let url = format!("token_url={}", server.url(TOKEN_PATH));
    let mut p = env.pty(&["profiles", "add", "--set", &url]);
    let mut screen = String::new();
    screen += &shown(&mut p, "Provider");
    screen += &shown(&mut p, "another OAuth 2.0 server");
    // Down to saas-security and back up to scm, then Enter.
    p.send("\x1b[B").unwrap();
    p.send("\x1b[A").unwrap();
    p.send("\r").unwrap();
    p.flush().unwrap();
    screen += &shown(&mut p, "Profile name [scm]");
    p.send_line("tenant-c").unwrap();
    screen += &shown(&mut p, "tsg_id (your Tenant Service Group id)");
    p.send_line("12x").unwrap();
    screen += &shown(&mut p, "is not a number");
    p.send_line("1111111111").unwrap();
    screen += &shown(&mut p, "client_id (the OAuth client id)");
    p.send_line(CLIENT_ID).unwrap();
    screen += &shown(&mut p, "the Secret Service is not reachable");
    screen += &shown(&mut p, "Where should oauthctl read the client secret from?");
    p.send("\r").unwrap();
    p.flush().unwrap();
    screen += &shown(&mut p, "Variable [TENANT_C_CLIENT_SECRET]");
    p.send_line("").unwrap();
    screen += &shown(&mut p, "(to check it now; not stored)");
    p.send_line(SECRET).unwrap();
    screen += &shown(&mut p, "issued a token");
    screen += &shown(&mut p, "Make tenant-c the default profile? [y/N]");
    p.send("y").unwrap();
    p.flush().unwrap();
    screen += &p.exp_eof().unwrap();
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 0)"),
        "{status}"
    );
    assert!(
        screen.contains("set $TENANT_C_CLIENT_SECRET to the client secret"),
        "{screen}"
    );
    // Typed without echo.
    assert!(!screen.contains(SECRET), "{screen}");
    mock.assert_calls(1);
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        COMMENTED.replace("\"tenant-a\"   #", "\"tenant-c\"   #")
            + &added(
                "tenant-c",
                &format!(
                    "provider = \"scm\"\ntoken_url = \"{}\"\ntsg_id = 1111111111\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"TENANT_C_CLIENT_SECRET\"\n",
                    server.url(TOKEN_PATH)
                )
            )
    );
}

/// `--provider oidc` asks for the issuer, whose metadata names the token endpoint that checks the
/// answers before anything is written.
#[test]
#[cfg(unix)]
fn profiles_add_for_any_openid_provider_asks_its_issuer() {
    use crate::discovery::{discovery_mock, metadata, token_mock};
    let server = MockServer::start();
    let issuer = server.base_url();
    let discovery = discovery_mock(&server, metadata(&server, serde_json::json!({})));
    let token = token_mock(&server);
    let env = TestEnv::new(COMMENTED);
    let mut p = env.pty(&[
        "profiles",
        "add",
        "--provider",
        "oidc",
        "--client-id",
        CLIENT_ID,
    ]);
    shown(&mut p, "Profile name [oidc]");
    p.send_line("").unwrap();
    shown(&mut p, "issuer (the URL the server names itself by");
    p.send_line(&issuer).unwrap();
    shown(&mut p, "Where should oauthctl read the client secret from?");
    p.send("\r").unwrap();
    p.flush().unwrap();
    shown(&mut p, "Variable [OIDC_CLIENT_SECRET]");
    p.send_line("").unwrap();
    shown(&mut p, "(to check it now; not stored)");
    p.send_line(SECRET).unwrap();
    shown(&mut p, "issued a token");
    shown(&mut p, "Make oidc the default profile? [y/N]");
    p.send("n").unwrap();
    p.flush().unwrap();
    p.exp_eof().unwrap();
    let status = format!("{:?}", p.process().wait().unwrap());
    assert!(
        status.starts_with("Exited(") && status.ends_with(", 0)"),
        "{status}"
    );
    discovery.assert();
    token.assert();
    assert_eq!(
        std::fs::read_to_string(env.config()).unwrap(),
        COMMENTED.to_string()
            + &added(
                "oidc",
                &format!(
                    "provider = \"oidc\"\nclient_id = \"{CLIENT_ID}\"\nissuer = \"{issuer}\"\nclient_secret_env = \"OIDC_CLIENT_SECRET\"\n"
                )
            )
    );
}
