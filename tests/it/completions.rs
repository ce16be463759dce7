//! `oauthctl completions`: the committed scripts are what the binary prints, and bash completes
//! profile names from the profile file that the line being completed names.

use crate::common::*;

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

/// Completes `words` (the last one being completed) with the committed bash script, as bash's
/// programmable completion would call it, and returns COMPREPLY.
#[cfg(unix)]
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

// bash runs the script.
#[cfg(unix)]
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

// bash runs the script.
#[cfg(unix)]
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
