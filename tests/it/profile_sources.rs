//! Where a profile's keys come from besides its own table: `--set` (and `--tsg-id`) for one run,
//! the profiles it `extends`, and `OAUTHCTL_*` variables when there is no profile file (CI).

use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

/// A token endpoint answering `token` to SCM's Basic-authenticated request for tenant `tsg`.
fn tenant<'a>(server: &'a MockServer, tsg: &str, token: &str) -> httpmock::Mock<'a> {
    server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header("authorization", BASIC)
            .form_urlencoded_tuple("grant_type", "client_credentials")
            .form_urlencoded_tuple("scope", format!("tsg_id:{tsg}"));
        then.status(200).json_body(serde_json::json!({
            "access_token": token,
            "scope": format!("tsg_id:{tsg}"),
            "token_type": "Bearer",
            "expires_in": 899
        }));
    })
}

/// An SCM profile whose token endpoint is `server`'s.
fn scm_profile(server: &MockServer, extra: &str) -> String {
    format!(
        "[profiles.scm]\nprovider = \"scm\"\ntoken_url = \"{}\"\nclient_id = \"{CLIENT_ID}\"\ntsg_id = 1111111111\n{extra}",
        server.url(TOKEN_PATH)
    )
}

// ---------------------------------------------------------------------------------------------
// --set and --tsg-id
// ---------------------------------------------------------------------------------------------

#[test]
#[ignore = "needs a real Secret Service"]
fn another_tenant_by_set_is_its_own_token_with_the_one_keyring_secret() {
    let server = MockServer::start();
    let first = tenant(&server, "1111111111", "token-of-1");
    let second = tenant(&server, "2222222222", "token-of-2");
    let env = TestEnv::with_keyring(&scm_profile(&server, ""));
    env.cmd()
        .args(["secret", "set", "-p", "scm"])
        .write_stdin(format!("{SECRET}\n"))
        .assert()
        .success();

    let token = |args: &[&str]| stdout_of(&env.cmd().arg("token").args(args).assert().success());
    assert_eq!(token(&[]), "token-of-1\n");
    assert_eq!(token(&["--set", "tsg_id=2222222222"]), "token-of-2\n");
    // The shorthand is the same identity: served from the cache.
    assert_eq!(token(&["--tsg-id", "2222222222"]), "token-of-2\n");
    assert_eq!(token(&[]), "token-of-1\n");
    first.assert_calls(1);
    second.assert_calls(1);

    // Two identities in the cache, one per tenant, of one service account.
    let list = stdout_of(&env.cmd().args(["cache", "list"]).assert().success());
    let account = format!("{CLIENT_ID}@127.0.0.1:{}", server.port());
    let rows: Vec<&str> = list.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{list}");
    assert!(
        rows.iter().any(|r| r.contains("tsg_id:1111111111"))
            && rows.iter().any(|r| r.contains("tsg_id:2222222222")),
        "{list}"
    );
    assert!(rows.iter().all(|r| r.contains(&account)), "{list}");

    // Both read the one keyring entry of that service account.
    for args in [&[][..], &["--tsg-id", "2222222222"]] {
        let status = env
            .cmd()
            .args(["secret", "status"])
            .args(args)
            .assert()
            .success();
        let stdout = stdout_of(&status);
        assert!(stdout.contains(&format!("client: {account}\n")), "{stdout}");
        assert!(stdout.contains("in use: keyring"), "{stdout}");
    }
    // Deleting that secret leaves neither tenant a token.
    env.cmd()
        .args(["secret", "delete", "--tsg-id", "2222222222"])
        .assert()
        .success()
        .stderr(predicate::str::contains("dropped 2 cached tokens"));
    env.cmd()
        .args(["token", "--no-cache"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("has none for"));
}

#[test]
fn a_set_key_is_checked_as_a_key_in_the_file_is() {
    let server = MockServer::start();
    let mock = token_endpoint(&server);
    let env = TestEnv::new(&scm_profile(
        &server,
        "client_secret_env = \"SCM_SECRET\"\n",
    ));
    let fails = |args: &[&str], code: i32, message: &str| {
        env.cmd()
            .arg("token")
            .args(args)
            .env("SCM_SECRET", SECRET)
            .assert()
            .code(code)
            .stdout("")
            .stderr(predicate::str::contains(message));
    };
    fails(
        &["--set", "tsgid=2"],
        2,
        "oauthctl: --set tsgid=2: profile scm has an unknown key `tsgid`; did you mean `tsg_id`?\n",
    );
    fails(
        &["--set", "min_ttl=soon"],
        2,
        "oauthctl: --set min_ttl=soon: invalid type: string \"soon\", expected a whole number (0 or more)\n",
    );
    fails(
        &["--set", "region=eu"],
        2,
        "oauthctl: --set region=eu: profile scm sets `region`, which only provider = \"saas-security\" uses\n",
    );
    fails(
        &["--set", "scope=[\"a\", 1]"],
        2,
        "expected a string or a list of strings, found integer",
    );
    fails(
        &["--tsg-id", "12ab"],
        1,
        "oauthctl: profile scm: tsg_id \"12ab\" is not a number",
    );
    fails(&["--set", "tsg_id"], 2, "`tsg_id` is not KEY=VALUE");
    mock.assert_calls(0);
}

#[test]
fn set_values_take_the_type_the_key_wants() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .form_urlencoded_tuple("scope", "a b");
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = TestEnv::new(&scm_profile(
        &server,
        "client_secret_env = \"SCM_SECRET\"\n",
    ));
    env.cmd()
        .args([
            "token",
            "--set",
            "scope=[\"a\", \"b\"]",
            "--set",
            "min_ttl=30",
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);
}

// ---------------------------------------------------------------------------------------------
// extends
// ---------------------------------------------------------------------------------------------

#[test]
fn a_chain_of_extends_gives_the_nearest_value_and_show_says_where_each_came_from() {
    let server = MockServer::start();
    let mock = tenant(&server, "3333333333", TOKEN);
    let url = server.url(TOKEN_PATH);
    let env = TestEnv::new(&format!(
        "[profiles.base]\nprovider = \"scm\"\ntoken_url = \"{url}\"\nclient_id = \"{CLIENT_ID}\"\nclient_secret_env = \"SCM_SECRET\"\ntsg_id = 1111111111\nmin_ttl = 10\n\
         [profiles.tenant]\nextends = \"base\"\ntsg_id = 3333333333\n\
         [profiles.child]\nextends = \"tenant\"\nmin_ttl = 20\n"
    ));
    env.cmd()
        .args(["token", "-p", "child"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(1);

    env.cmd()
        .args(["profiles", "show", "-p", "child", "--set", "client_auth=post"])
        .assert()
        .success()
        .stdout(format!(
            "profile        child\n\
             extends        tenant\n\
             provider       scm (Palo Alto Networks Strata Cloud Manager and IoT Security)  (from profile base)\n\
             tsg_id         3333333333  (from profile tenant)\n\
             token_url      {url}  (from profile base)\n\
             api_base       https://api.strata.paloaltonetworks.com/  (preset)\n\
             client_id      {CLIENT_ID}  (from profile base)\n\
             client_auth    post  (--set)\n\
             grant          client_credentials  (preset)\n\
             scope          tsg_id:3333333333  (preset)\n\
             min_ttl        20\n\
             client secret  $SCM_SECRET, then {KEYRING_NAME} ({CLIENT_ID}@127.0.0.1:{})\n",
            server.port()
        ));
}

#[test]
fn an_extends_cycle_or_a_missing_base_is_a_config_error_naming_it() {
    let env = TestEnv::new(
        "[profiles.ok]\ntoken_url = \"https://a.example/t\"\nclient_id = \"x\"\n\
         [profiles.a]\nextends = \"b\"\n[profiles.b]\nextends = \"c\"\n[profiles.c]\nextends = \"a\"\n",
    );
    let config = env.config().display().to_string();
    // The whole file is wrong, as with any other mistake in it: even a profile outside the cycle.
    env.cmd()
        .args(["token", "-p", "ok"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(format!(
            "oauthctl: {config}: line 5: profile a extends itself through a cycle: a -> b -> c -> a\n\
             hint: remove `extends` from one of them\n"
        ));
    env.write_profiles("[profiles.a]\nclient_id = \"x\"\nextends = \"a\"\n");
    env.cmd()
        .args(["profiles", "show"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "line 3: profile a extends itself through a cycle: a -> a\n",
        ));
    env.write_profiles(
        "[profiles.base]\ntoken_url = \"https://a.example/t\"\n[profiles.a]\nclient_id = \"x\"\nextends = \"bsae\"\n",
    );
    env.cmd()
        .args(["profiles", "show", "-p", "a"])
        .assert()
        .code(1)
        .stderr(format!(
            "oauthctl: {config}: line 5: profile a extends `bsae`, which is not a profile in this file; did you mean `base`?\n"
        ));
}

#[test]
fn a_profile_without_provider_may_set_the_keys_of_its_bases_provider() {
    let env = TestEnv::new(
        "[profiles.base]\nprovider = \"scm\"\nclient_id = \"x\"\n[profiles.t]\nextends = \"base\"\ntsg_id = 42\nregion = \"eu\"\n",
    );
    env.cmd()
        .args(["profiles", "show", "-p", "t"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "line 7: profile t sets `region`, which only provider = \"saas-security\" uses",
        ));
    env.write_profiles(
        "[profiles.base]\nprovider = \"scm\"\nclient_id = \"x\"\n[profiles.t]\nextends = \"base\"\ntsg_id = 42\n",
    );
    env.cmd()
        .args(["profiles", "show", "-p", "t"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "scope          tsg_id:42  (preset)\n",
        ));
}

// ---------------------------------------------------------------------------------------------
// The profile from the environment
// ---------------------------------------------------------------------------------------------

/// A test folder with no profile file: the environment of a CI job.
fn no_file() -> TestEnv {
    let env = TestEnv::new("");
    std::fs::remove_file(env.config()).unwrap();
    env
}

/// The variables of an SCM profile against `server`, secret included.
fn ci_vars(server: &MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("OAUTHCTL_PROVIDER", "scm".into()),
        ("OAUTHCTL_TOKEN_URL", server.url(TOKEN_PATH)),
        ("OAUTHCTL_CLIENT_ID", CLIENT_ID.into()),
        ("OAUTHCTL_TSG_ID", "1111111111".into()),
        ("OAUTHCTL_CLIENT_SECRET", SECRET.into()),
    ]
}

#[test]
fn with_no_profile_file_the_profile_comes_from_oauthctl_variables() {
    let server = MockServer::start();
    let mock = tenant(&server, "1111111111", TOKEN);
    let env = no_file();
    env.cmd()
        .arg("token")
        .envs(ci_vars(&server))
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr("");
    mock.assert_calls(1);
    env.cmd()
        .arg("doctor")
        .envs(ci_vars(&server))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "the profile from the environment (OAUTHCTL_* variables) resolves",
        ))
        .stdout(predicate::str::contains(
            "the client secret for sa-1@1234567890.iam.panserviceaccount.com@127.0.0.1",
        ));

    // With a profile file, -p env asks for it; --set applies over the variables.
    let other = tenant(&server, "2222222222", "token-of-2");
    let env =
        TestEnv::new("[profiles.x]\ntoken_url = \"https://a.example/t\"\nclient_id = \"x\"\n");
    env.cmd()
        .args(["token", "-p", "env", "--tsg-id", "2222222222"])
        .envs(ci_vars(&server))
        .assert()
        .success()
        .stdout("token-of-2\n");
    other.assert_calls(1);
    env.cmd()
        .args(["profiles", "show", "-p", "env"])
        .envs(ci_vars(&server))
        .assert()
        .success()
        .stdout(predicate::str::contains("tsg_id         1111111111  ($OAUTHCTL_TSG_ID)\n"))
        .stdout(predicate::str::contains(
            format!("client secret  $OAUTHCTL_CLIENT_SECRET (read when oauthctl started), then {KEYRING_NAME}"),
        ))
        .stdout(predicate::str::contains(SECRET).not());
}

// sh runs the command.
#[cfg(unix)]
#[test]
fn commands_that_exec_runs_do_not_see_the_client_secret_variable() {
    let server = MockServer::start();
    tenant(&server, "1111111111", TOKEN);
    let env = no_file();
    env.cmd()
        .args([
            "exec",
            "--",
            "sh",
            "-c",
            "printf '%s|%s' \"${OAUTHCTL_CLIENT_SECRET-unset}\" \"$OAUTHCTL_TOKEN\"",
        ])
        .envs(ci_vars(&server))
        .assert()
        .success()
        .stdout(format!("unset|{TOKEN}"));
}

#[test]
fn a_missing_or_empty_variable_is_named() {
    let server = MockServer::start();
    let mock = token_endpoint(&server);
    let env = no_file();
    let without = |drop: &str| {
        ci_vars(&server)
            .into_iter()
            .filter(|(var, _)| *var != drop)
            .collect::<Vec<_>>()
    };
    let emptied = |empty: &str| {
        ci_vars(&server)
            .into_iter()
            .map(|(var, value)| (var, if var == empty { String::new() } else { value }))
            .collect::<Vec<_>>()
    };
    let fails = |vars: Vec<(&'static str, String)>, message: &str| {
        env.cmd()
            .arg("token")
            .envs(vars)
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::starts_with(message));
    };
    fails(
        without("OAUTHCTL_TSG_ID"),
        "oauthctl: the profile from the environment has no tsg_id: $OAUTHCTL_TSG_ID is not set (your Tenant Service Group id)\n\
         hint: set $OAUTHCTL_TSG_ID, or give it with --set tsg_id=VALUE",
    );
    fails(
        without("OAUTHCTL_CLIENT_ID"),
        "oauthctl: the profile from the environment has no client_id: $OAUTHCTL_CLIENT_ID is not set",
    );
    fails(
        emptied("OAUTHCTL_TSG_ID"),
        "oauthctl: $OAUTHCTL_TSG_ID is set but empty\nhint: give it a value, or unset it",
    );
    fails(
        without("OAUTHCTL_CLIENT_SECRET"),
        "oauthctl: no client secret for profile env: $OAUTHCTL_CLIENT_SECRET is not set, and ",
    );
    fails(
        emptied("OAUTHCTL_CLIENT_SECRET"),
        "oauthctl: no client secret for profile env: $OAUTHCTL_CLIENT_SECRET is set but empty\n\
         hint: give $OAUTHCTL_CLIENT_SECRET the client secret",
    );
    let mut vars = ci_vars(&server);
    vars.push(("OAUTHCTL_MIN_TTL", "soon".into()));
    fails(
        vars,
        "oauthctl: $OAUTHCTL_MIN_TTL: invalid type: string \"soon\", expected a whole number (0 or more)\n",
    );
    mock.assert_calls(0);

    // No file and no variables: the file is what is missing.
    env.cmd()
        .arg("token")
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("oauthctl: no profile file at "));
}
