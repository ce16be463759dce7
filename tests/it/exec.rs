//! `oauthctl exec`: a command run with the token in its environment, and its exit code passed
//! through as a shell would.

use crate::common::*;
use predicates::prelude::*;

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
    // A command that cannot be started exits as a shell would: 127.
    env.cmd()
        .args(["exec", "-p", "scm", "--", "/nonexistent/tool"])
        .assert()
        .code(127)
        .stderr(predicate::str::contains("cannot run `/nonexistent/tool`"));
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
