//! What oauthctl says about itself: every subcommand's `--help`, `--version`, the man page (and
//! that the committed `man/oauthctl.1`, which packages install, is that page), and exit code 2 for
//! a command line it cannot parse.

use crate::common::*;

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

/// `man/oauthctl.1` is what packages install (the .deb, the release archives, Homebrew), so it
/// must be what the binary prints.
#[test]
fn committed_man_page_matches_the_binary() {
    let env = TestEnv::new("");
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/man/oauthctl.1")).unwrap();
    let now = env.cmd().arg("man").assert().success();
    assert!(
        stdout_of(&now) == committed,
        "man/oauthctl.1 is out of date: run `oauthctl man > man/oauthctl.1`"
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

/// The man page is one complete page: the profile keys, the exit codes, the environment and the
/// files, and no reference to pages that do not exist. groff checks it is well-formed roff.
// groff checks the page (Debian's groff-base; macOS has mandoc).
#[cfg(target_os = "linux")]
#[test]
fn man_page_is_complete_and_well_formed() {
    let env = TestEnv::new("");
    let out = env.cmd().arg("man").assert().success();
    let page = stdout_of(&out);
    for section in [
        ".SH \"PROFILE KEYS\"",
        ".SH \"EXIT STATUS\"",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    // Keys of every kind: common, SCM's, SAP's; exit codes and variables by name.
    for word in [
        "\\fBtoken_url\\fR",
        "\\fBtsg_id\\fR",
        "\\fBclient_secret_from\\fR",
        "OAUTHCTL_CACHE_DIR",
        "OAUTHCTL_CONFIG",
    ] {
        assert!(page.contains(word), "the man page does not mention {word}");
    }
    assert!(
        !page.contains("oauthctl\\-token(1)"),
        "names a page that does not exist"
    );
    let groff = std::process::Command::new("groff")
        .args(["-man", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("groff (Debian: groff-base) checks the man page");
    use std::io::Write;
    groff
        .stdin
        .as_ref()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let checked = groff.wait_with_output().unwrap();
    assert!(checked.status.success());
    assert_eq!(String::from_utf8_lossy(&checked.stderr), "", "groff warns");
}

#[test]
fn a_timeout_of_zero_is_a_usage_error_for_token_and_call() {
    let env = TestEnv::new(&generic_profile("p", "https://auth.example/t", ""));
    for args in [
        &["token", "--timeout", "0"][..],
        &["call", "GET", "/x", "--timeout", "0"],
    ] {
        env.cmd()
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicates::str::contains("--timeout"));
    }
}
