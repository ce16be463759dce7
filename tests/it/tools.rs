//! The commands around the token: completions, man, inspect, token --check, cache, profiles,
//! exec, doctor, and every subcommand's help.

use crate::common::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use httpmock::prelude::*;
use predicates::prelude::*;

#[test]
fn committed_completion_scripts_match_the_binary() {
    let env = TestEnv::new("");
    for (shell, file) in [
        ("bash", "oauthctl.bash"),
        ("zsh", "_oauthctl"),
        ("fish", "oauthctl.fish"),
        ("powershell", "_oauthctl.ps1"),
        ("elvish", "oauthctl.elv"),
    ] {
        let committed =
            std::fs::read_to_string(format!("{}/completions/{file}", env!("CARGO_MANIFEST_DIR")))
                .unwrap();
        let now = env.cmd().args(["completions", shell]).assert().success();
        assert!(
            stdout_of(&now) == committed,
            "completions/{file} is out of date: run `oauthctl completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn bash_completion_offers_profile_names() {
    let env = TestEnv::new(
        &(generic_profile("scm", "https://a.example/t", "")
            + &generic_profile("saas", "https://a.example/t", "")),
    );
    assert_eq!(
        bash_complete(&env, &["oauthctl", "token", "-p", "s"]),
        "saas scm\n"
    );
}

#[test]
fn man_page_is_roff_with_every_subcommand() {
    let env = TestEnv::new("");
    let out = env.cmd().arg("man").assert().success();
    let page = stdout_of(&out);
    assert!(page.contains(".TH oauthctl 1"), "{page}");
    for sub in [
        "TOKEN",
        "CALL",
        "SECRET",
        "PROFILES",
        "EXEC",
        "INSPECT",
        "CACHE",
        "DOCTOR",
        "COMPLETIONS",
    ] {
        assert!(
            page.contains(&format!(".SH \"OAUTHCTL {sub}\"")),
            "no section for {sub}"
        );
    }
    assert!(
        page.contains("\\-\\-paginate") || page.contains("\\-\\-retries"),
        "options are missing"
    );
}

#[test]
fn every_subcommand_help_has_examples() {
    let env = TestEnv::new("");
    for args in [
        vec!["token"],
        vec!["call"],
        vec!["secret", "set"],
        vec!["secret", "delete"],
        vec!["secret", "status"],
        vec!["profiles", "list"],
        vec!["profiles", "show"],
        vec!["profiles", "path"],
        vec!["profiles", "import-sap-key"],
        vec!["exec"],
        vec!["inspect"],
        vec!["cache", "list"],
        vec!["cache", "clear"],
        vec!["doctor"],
        vec!["completions"],
        vec!["man"],
    ] {
        let mut full = args.clone();
        full.push("--help");
        let out = env.cmd().args(&full).assert().success();
        let help = stdout_of(&out);
        let examples = help
            .split("Examples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("{args:?}: no examples"));
        let lines = examples
            .lines()
            .take_while(|l| l.starts_with("  "))
            .filter(|l| l.contains("oauthctl"))
            .count();
        assert!(lines >= 1, "{args:?}: no example lines:\n{help}");
    }
    env.cmd()
        .arg("--version")
        .assert()
        .success()
        .stdout(format!("oauthctl {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn inspect_decodes_a_jwt_with_times() {
    let now = unix_now();
    let token = jwt(
        serde_json::json!({"sub": "sa-1", "scope": "profile tsg_id:1", "iat": now - 60, "exp": now + 840}),
    );
    let env = TestEnv::new("");
    let out = env
        .cmd()
        .args(["inspect", "-"])
        .write_stdin(format!("{token}\n"))
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(json["type"], "jwt");
    assert_eq!(json["header"]["kid"], "k1");
    assert_eq!(json["claims"]["scope"], "profile tsg_id:1");
    assert_eq!(json["times"]["exp"]["unix"], now + 840);
    let exp = humantime::parse_rfc3339(json["times"]["exp"]["time"].as_str().unwrap()).unwrap();
    assert_eq!(
        exp.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(),
        now + 840
    );
    assert!(
        json["times"]["exp"]["relative"]
            .as_str()
            .unwrap()
            .starts_with("in 1"),
        "{json}"
    );
    assert!(
        json["times"]["iat"]["relative"]
            .as_str()
            .unwrap()
            .ends_with("ago"),
        "{json}"
    );
    assert_eq!(json["expired"], false);
}

#[test]
fn inspect_reports_opaque_tokens_and_rejects_garbage_clearly() {
    let env = TestEnv::new("");
    let out = env
        .cmd()
        .args(["inspect", "decc891e-4bee-3831-a321-38b1db1fece0"])
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(json["type"], "opaque");
    assert_eq!(json["length"], 36);
    env.cmd()
        .args(["inspect", "eyJhbGciOiJSUzI1NiJ9.!!!not-base64!!!.sig"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "oauthctl: the JWT's claims is not base64url",
        ))
        .stderr(predicate::str::contains("panicked").not());
    let not_json = format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode("{}"),
        URL_SAFE_NO_PAD.encode("not json")
    );
    env.cmd()
        .args(["inspect", &not_json])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the JWT's claims is not JSON"));
}

#[test]
fn inspect_reads_the_profile_cached_token_without_network() {
    let token = jwt(serde_json::json!({"sub": "sa-1", "exp": 4_102_444_800u64}));
    let (_server, env) = token_server(&token);
    env.cmd()
        .args(["inspect", "-p", "scm"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no cached token for profile scm"));
    env.cmd()
        .args(["token", "-p", "scm"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let out = env.cmd().args(["inspect", "-p", "scm"]).assert().success();
    assert!(
        stdout_of(&out).contains("\"time\": \"2100-01-01T00:00:00Z\""),
        "{}",
        stdout_of(&out)
    );
}

#[test]
fn token_check_answers_without_any_request() {
    let server = MockServer::start();
    let mock = token_endpoint(&server);
    let env = TestEnv::new(&generic_profile("scm", &server.url(TOKEN_PATH), ""));
    env.cmd()
        .args(["token", "--check"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(1)
        .stdout("")
        .stderr("");
    mock.assert_calls(0);
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    env.cmd()
        .args(["token", "--check"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    mock.assert_calls(1);
}

#[test]
fn cache_list_shows_profiles_and_scope_never_the_token() {
    let (_server, env) = token_server(TOKEN);
    env.cmd()
        .arg("cache")
        .arg("list")
        .assert()
        .success()
        .stdout("");
    env.cmd()
        .args(["token", "-p", "scm"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let out = env.cmd().args(["cache", "list"]).assert().success();
    let text = stdout_of(&out);
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("PROFILES"), "{text}");
    // Both profiles share the identity, so both map to the one entry.
    assert!(lines[1].starts_with("iot,scm "), "{text}");
    assert!(lines[1].contains("tsg_id:1234567890"), "{text}");
    assert!(lines[1].contains("14m"), "{text}");

    env.cmd()
        .args(["cache", "clear", "-p", "scm"])
        .assert()
        .success();
    env.cmd()
        .args(["token", "--check", "-p", "iot"])
        .assert()
        .code(1);
    env.cmd()
        .args(["token", "-p", "scm"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    env.cmd()
        .args(["cache", "clear"])
        .assert()
        .success()
        .stderr(predicate::str::contains("removed 1 cached token"));
    env.cmd()
        .args(["cache", "list"])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn exec_passes_the_token_by_environment_and_the_exit_code_through() {
    let (_server, env) = token_server(TOKEN);
    env.cmd()
        .args([
            "exec",
            "-p",
            "scm",
            "--",
            "sh",
            "-c",
            &format!("test \"$OAUTHCTL_TOKEN\" = '{TOKEN}' && exit 7"),
        ])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(7)
        .stdout("")
        .stderr("");
    env.cmd()
        .args([
            "exec",
            "-p",
            "scm",
            "--env",
            "SCM_TOKEN",
            "--",
            "sh",
            "-c",
            "printf %s \"$SCM_TOKEN\" | wc -c",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(TOKEN.len().to_string()));
    // A command that cannot be started exits as in a shell (issue 11; it was 1).
    env.cmd()
        .args(["exec", "-p", "scm", "--", "/nonexistent/tool"])
        .assert()
        .code(127)
        .stderr(predicate::str::contains("cannot run `/nonexistent/tool`"));
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
        text.contains("client secret  $SCM_SECRET, then the Secret Service")
            || cfg!(not(target_os = "linux")),
        "{text}"
    );
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
fn doctor_on_a_broken_file_and_a_good_one() {
    let env = TestEnv::new("[profiles.scm]\nclient_id = \"a\ntsg_id = 1\n");
    env.cmd()
        .arg("doctor")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("✗ "))
        .stdout(predicate::str::contains("TOML parse error at line 2"))
        .stdout(predicate::str::contains("  fix: "));

    let server = MockServer::start();
    let probe = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .header_missing("authorization")
            .form_urlencoded_tuple("grant_type", "urn:oauthctl:doctor:invalid-grant")
            .body_excludes("s3cr");
        then.status(400)
            .json_body(serde_json::json!({"error": "unsupported_grant_type"}));
    });
    env.write_profiles(&generic_profile("scm", &server.url(TOKEN_PATH), ""));
    let out = env
        .cmd()
        .args(["doctor", "--network"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let text = stdout_of(&out);
    assert_eq!(text.matches("✓ ").count(), 5, "{text}");
    // The endpoint is plain http on loopback: not "over TLS" (issue 11).
    assert!(
        text.contains("answers over plain http on loopback, not TLS (400 unsupported_grant_type"),
        "{text}"
    );
    assert!(!text.contains(SECRET));
    probe.assert_calls(1);
    // Without a secret anywhere, the secret line fails with its fix.
    env.cmd()
        .arg("doctor")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("✗ no client secret for"))
        .stdout(predicate::str::contains(
            "fix: `oauthctl secret set -p scm`",
        ));
}

// ---- Issue 11: smaller ones ----

#[test]
fn doctor_network_says_tls_only_when_it_is_tls() {
    let server = MockServer::start();
    let probe = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH);
        then.status(400)
            .json_body(serde_json::json!({"error": "unsupported_grant_type"}));
    });
    let env = TestEnv::new(&generic_profile("scm", &server.url(TOKEN_PATH), ""));
    let out = env
        .cmd()
        .args(["doctor", "--network"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let text = stdout_of(&out);
    assert!(
        text.contains(&format!(
            "✓ token endpoint 127.0.0.1:{} answers over plain http on loopback, not TLS (400 unsupported_grant_type, as expected for an invalid grant)\n",
            server.address().port()
        )),
        "{text}"
    );
    assert!(!text.contains("over TLS"), "{text}");
    probe.assert_calls(1);

    // Over https it is TLS, and doctor says so.
    const HOST: &str = "auth.example.com";
    let pki = tls::Pki::new();
    let front = tls::TlsFront::start(&pki, &pki.issue(&[HOST], false), false, server.port());
    std::fs::write(env.dir.path().join("ca.pem"), &pki.ca_pem).unwrap();
    env.write_profiles(&generic_profile(
        "scm",
        &format!("https://{HOST}/oauth2/access_token"),
        "ca_file = \"ca.pem\"\n",
    ));
    let out = env
        .cmd()
        .args(["doctor", "--network"])
        .env("SCM_SECRET", SECRET)
        .env("OAUTHCTL_RESOLVE", front.resolve(HOST))
        .assert()
        .success();
    let text = stdout_of(&out);
    assert!(
        text.contains(&format!(
            "✓ token endpoint {HOST} answers over TLS (400 unsupported_grant_type, as expected for an invalid grant)\n"
        )),
        "{text}"
    );
    probe.assert_calls(2);
}

/// Completes `words` (the last one being completed) with the committed bash script, as bash's
/// programmable completion would call it, and returns COMPREPLY.
fn bash_complete(env: &TestEnv, words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| shell_quote(w)).collect();
    let script = format!(
        "source {}/completions/oauthctl.bash\nCOMP_WORDS=({})\nCOMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))\n_oauthctl_with_profiles oauthctl \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\necho \"${{COMPREPLY[@]}}\"",
        env!("CARGO_MANIFEST_DIR"),
        quoted.join(" ")
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .current_dir(env.dir.path())
        .env(
            "PATH",
            format!(
                "{}:{}",
                oauthctl_bin().parent().unwrap().display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("HOME", env.dir.path().join("home"))
        .env("OAUTHCTL_CONFIG", env.config())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn bash_completion_lists_the_profiles_of_the_file_config_names() {
    // $OAUTHCTL_CONFIG names one file, --config on the line being completed another.
    let env = TestEnv::new(&generic_profile("fromenv", "https://a.example/t", ""));
    let other = generic_profile("alpha", "https://a.example/t", "")
        + &generic_profile("beta", "https://a.example/t", "");
    std::fs::write(env.dir.path().join("x.toml"), &other).unwrap();
    std::fs::write(env.dir.path().join("my x.toml"), &other).unwrap();
    std::fs::write(env.dir.path().join("home/h.toml"), &other).unwrap();
    assert_eq!(
        bash_complete(&env, &["oauthctl", "token", "-p", ""]),
        "fromenv\n"
    );
    for words in [
        &["oauthctl", "--config", "x.toml", "token", "-p", ""][..],
        // bash splits --config=x.toml at the `=`.
        &["oauthctl", "--config", "=", "x.toml", "token", "-p", ""],
        &["oauthctl", "--config=x.toml", "token", "-p", ""],
        &["oauthctl", "token", "--config", "x.toml", "--profile", ""],
        &["oauthctl", "--config", "\"my x.toml\"", "token", "-p", ""],
        &["oauthctl", "--config", "my\\ x.toml", "token", "-p", ""],
        &["oauthctl", "--config", "~/h.toml", "token", "-p", ""],
    ] {
        assert_eq!(bash_complete(&env, words), "alpha beta\n", "{words:?}");
    }
    assert_eq!(
        bash_complete(&env, &["oauthctl", "--config", "x.toml", "call", "-p", "b"]),
        "beta\n"
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
fn exec_of_a_command_that_cannot_run_exits_as_a_shell_does() {
    let (_server, env) = token_server(TOKEN);
    let not_executable = env.dir.path().join("script.sh");
    std::fs::write(&not_executable, "#!/bin/sh\necho hi\n").unwrap();
    let folder = env.dir.path().join("home");
    let cases: [(&str, u8, String); 4] = [
        (
            "no-such-command-oauthctl-test",
            127,
            "oauthctl: cannot run `no-such-command-oauthctl-test`: command not found\nhint: check its name, or give its path ($PATH is searched)\n".into(),
        ),
        (
            "/nonexistent/tool",
            127,
            "oauthctl: cannot run `/nonexistent/tool`: no such file\nhint: check the path\n".into(),
        ),
        (
            not_executable.to_str().unwrap(),
            126,
            format!(
                "oauthctl: cannot run `{}`: permission denied\nhint: it must be a file you may execute (chmod +x), not a folder\n",
                not_executable.display()
            ),
        ),
        (
            folder.to_str().unwrap(),
            126,
            format!(
                "oauthctl: cannot run `{}`: permission denied\nhint: it must be a file you may execute (chmod +x), not a folder\n",
                folder.display()
            ),
        ),
    ];
    for (command, code, stderr) in cases {
        env.cmd()
            .args(["exec", "-p", "scm", "--", command, "arg"])
            .env("SCM_SECRET", SECRET)
            .assert()
            .code(i32::from(code))
            .stdout("")
            .stderr(stderr);
    }
}
