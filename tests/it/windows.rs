//! What only Windows does: `cmd /C` for `client_secret_command` and `exec`'s 32-bit exit codes,
//! the Credential Manager's small entries, and the cache folder's ACL. They run on the Windows CI
//! runner and, here on Linux, under Wine (`.ci/windows-tests`), but for the ACL test: Wine keeps a
//! file's ACL as Unix modes, not as Windows does.

use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

/// A profile `w` that reads its secret from the Credential Manager, under a client id of its own
/// so that two runs (or a developer's own secrets) never meet.
fn keyring_profile(server: &MockServer, client_id: &str) -> TestEnv {
    TestEnv::new(&format!(
        "[profiles.w]\ntoken_url = \"{}\"\nclient_id = \"{client_id}\"\nclient_auth = \"post\"\n",
        server.url(TOKEN_PATH)
    ))
}

fn unique(what: &str) -> String {
    format!("oauthctl-test-{what}-{}-{}", std::process::id(), unix_now())
}

#[test]
fn exec_passes_the_token_and_a_whole_32_bit_exit_code_through_cmd() {
    let (_server, env) = token_server(TOKEN);
    env.cmd()
        .args(["exec", "-p", "scm", "--", "cmd", "/C"])
        .arg(format!("if \"%OAUTHCTL_TOKEN%\"==\"{TOKEN}\" exit 7"))
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(7)
        .stdout("")
        .stderr("");
    // A crash's code (STATUS_ACCESS_VIOLATION) stays whole, not its low byte.
    env.cmd()
        .args(["exec", "-p", "scm", "--", "cmd", "/C", "exit -1073741819"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .code(0xC000_0005_u32 as i32);
}

#[test]
fn client_secret_command_runs_through_cmd_and_its_first_line_is_the_secret() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST).path(TOKEN_PATH).header(
            "authorization",
            format!(
                "Basic {}",
                basic_credentials(&form_urlencoded(CLIENT_ID), "from-cmd")
            ),
        );
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = TestEnv::new(&generic_profile(
        "scm",
        &server.url(TOKEN_PATH),
        "client_secret_command = 'echo from-cmd& echo second line'",
    ));
    env.cmd()
        .args(["token", "-p", "scm"])
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr("");
    mock.assert();
    // A failing command is named with cmd's exit code, and what it printed is not repeated.
    env.write_profiles(&generic_profile(
        "scm",
        &server.url(TOKEN_PATH),
        "client_secret_command = 'echo not-a-sec^ret& exit /b 3'",
    ));
    env.cmd()
        .args(["token", "-p", "scm", "--no-cache"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::contains("exit code: 3")
                .and(predicate::str::contains("not-a-secret").not()),
        );
}

/// An X.509 private key of 4,096 bits in PEM is about 3,300 characters, more than a Credential
/// Manager entry holds (2,560 bytes): it is split over entries and joined when read.
#[test]
fn a_secret_longer_than_a_credential_manager_entry_is_split_and_read_back() {
    let secret: String = (0..3300).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(POST)
            .path(TOKEN_PATH)
            .form_urlencoded_tuple("client_secret", &secret);
        then.status(200).json_body(scm_token_response(TOKEN, 899));
    });
    let env = keyring_profile(&server, &unique("long"));
    env.cmd()
        .args(["secret", "set", "-p", "w"])
        .write_stdin(format!("{secret}\n"))
        .assert()
        .success()
        .stdout("");
    env.cmd()
        .args(["token", "-p", "w"])
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert();
    env.cmd()
        .args(["secret", "status", "-p", "w"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("in use: keyring")
                .and(predicate::str::contains(&secret[..40]).not()),
        );
    env.cmd()
        .args(["secret", "delete", "-p", "w"])
        .assert()
        .success();
    env.cmd()
        .args(["secret", "status", "-p", "w"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("in use: none"));
}

/// Runs `icacls` with `args`, and returns what it printed.
fn icacls(args: &[&std::ffi::OsStr]) -> String {
    let out = std::process::Command::new("icacls")
        .args(args)
        .output()
        .expect("icacls runs");
    assert!(out.status.success(), "icacls {args:?}: {out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A cache folder that lets Everyone read is given oauthctl's own ACL back, and says so; one it
/// creates lets nobody else in from the start. Not under Wine (see the module's notes).
#[test]
fn the_cache_folder_is_private_by_its_acl() {
    let (_server, env) = token_server(TOKEN);
    let dir = env.cache_dir();
    env.cmd()
        .args(["token", "-p", "scm"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stderr("");
    let acl = icacls(&[dir.as_os_str()]);
    for other in ["Everyone", "Users", "Authenticated Users"] {
        assert!(
            !acl.contains(&format!("\\{other}:")) && !acl.contains(&format!(" {other}:")),
            "{acl}"
        );
    }

    icacls(&[
        dir.as_os_str(),
        "/grant".as_ref(),
        "*S-1-1-0:(OI)(CI)R".as_ref(),
    ]);
    env.cmd()
        .args(["token", "-p", "iot"])
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr(format!(
            "oauthctl: cache folder {} was open to other users (its ACL let in Everyone (S-1-1-0)); made it private (you, SYSTEM and Administrators)\n",
            dir.display()
        ));
    let acl = icacls(&[dir.as_os_str()]);
    assert!(!acl.contains("Everyone"), "{acl}");
    // And it stays so: nothing to say the next time.
    env.cmd()
        .args(["token", "-p", "iot"])
        .assert()
        .success()
        .stderr("");
}
