//! What oauthctl says about itself: every subcommand's `--help`, `--version`, the man page, and
//! exit code 2 for a command line it cannot parse.

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
