//! The token cache: `oauthctl cache list` and `clear`, and the folder and files that `token`
//! keeps it in. (Hostile cache folders and entries are the bad-input suite's; killed writers the
//! crash suite's.)

use crate::common::*;
use httpmock::prelude::*;
use predicates::prelude::*;

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

#[cfg(unix)]
#[test]
fn cache_folder_is_0700_and_entries_0600_without_the_secret() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start();
    token_endpoint(&server);
    let env = scm_env(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let dir_mode = std::fs::metadata(env.cache_dir())
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(dir_mode, 0o700);
    let files: Vec<_> = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .flatten()
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.path().extension().is_some_and(|e| e == "json"))
    );
    for file in files {
        let mode = file.metadata().unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", file.path().display());
    }
    assert!(!env.all_file_contents().contains(SECRET));
}

#[cfg(unix)]
#[test]
fn cache_folder_open_to_others_is_made_private_and_said() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start();
    token_endpoint(&server);
    let env = scm_env(&server, "");
    std::fs::create_dir(env.cache_dir()).unwrap();
    std::fs::set_permissions(env.cache_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"))
        .stderr(predicate::str::contains(
            "was open to other users (mode 755); made it 0700",
        ));
    assert_eq!(
        std::fs::metadata(env.cache_dir())
            .unwrap()
            .permissions()
            .mode()
            & 0o777,
        0o700
    );
}

#[test]
fn corrupt_cache_entry_is_replaced() {
    let server = MockServer::start();
    let mock = token_endpoint(&server);
    let env = scm_env(&server, "");
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success();
    let entry = std::fs::read_dir(env.cache_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    std::fs::write(&entry, b"{\"version\":1,\"identity\":{\"tok").unwrap();
    env.cmd()
        .arg("token")
        .env("SCM_SECRET", SECRET)
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(2);
    let repaired: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&entry).unwrap()).unwrap();
    assert_eq!(repaired["response"]["access_token"], TOKEN);
    // And the repaired entry serves the next call.
    env.cmd()
        .arg("token")
        .assert()
        .success()
        .stdout(format!("{TOKEN}\n"));
    mock.assert_calls(2);
}
