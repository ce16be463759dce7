//! Crash safety of the token cache: `oauthctl token --refresh` processes are killed with
//! SIGKILL before, during and after they write the cache, many times and several at once; after
//! every round each entry in the cache folder is complete, the next `oauthctl token` works, and the
//! temporary files that killed writers leave behind neither break anything nor pile up.
//!
//! Nothing here measures speed. Two ways of choosing when to kill make sure the write itself is
//! hit, not only the moments around it: a spread of delays over a process's whole life, and "as
//! soon as this process's temporary file appears". The test counts what it hit (processes that
//! died of the signal, temporary files left by writers killed before their rename) and asserts
//! that both counts are real, so that it cannot pass by killing nothing.
//!
//! And a crash must not write the secret to disk: a process that holds it cannot dump core.

use std::collections::BTreeSet;
#[cfg(unix)]
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::common::*;
use httpmock::prelude::*;
use serde_json::Value;

/// Three profiles, three cache entries; each round runs two processes per profile, so that kills
/// also land on processes that hold or wait for an entry's lock.
const PROFILES: [(&str, &str, &str); 3] = [
    (
        "a",
        "tsg_id:1000000001",
        "crash-token-a.eyJzdWIiOiJhIn0.c2lnLWE",
    ),
    (
        "b",
        "tsg_id:1000000002",
        "crash-token-b.eyJzdWIiOiJiIn0.c2lnLWI",
    ),
    (
        "c",
        "tsg_id:1000000003",
        "crash-token-c.eyJzdWIiOiJjIn0.c2lnLWM",
    ),
];
const ROUNDS: usize = 40;
/// A large extra field in the token response (oauthctl keeps every field a server sends): the
/// entry is then long enough that its write takes a while, and a kill can land inside it.
const PADDING: usize = 512 << 10;

fn profiles_toml(server: &MockServer) -> String {
    PROFILES
        .iter()
        .map(|(name, scope, _)| {
            format!(
                "[profiles.{name}]\ntoken_url = \"{}\"\nclient_id = \"{CLIENT_ID}\"\nscope = \"{scope}\"\nclient_secret_env = \"SCM_SECRET\"\n",
                server.url(TOKEN_PATH)
            )
        })
        .collect()
}

/// A token endpoint that answers each profile of [`PROFILES`] with its token, and [`PADDING`]
/// bytes more in the answer, so that writing the cache entry takes long enough to be hit.
fn padded_token_server() -> MockServer {
    let server = MockServer::start();
    for (_, scope, token) in PROFILES {
        let mut answer = scm_token_response(token, 899);
        answer["scope"] = Value::from(scope);
        answer["padding"] = Value::from("p".repeat(PADDING));
        server.mock(|when, then| {
            when.method(POST)
                .path(TOKEN_PATH)
                .form_urlencoded_tuple("scope", scope);
            then.status(200).json_body(answer);
        });
    }
    server
}

/// What a file in the cache folder is.
#[derive(Debug, PartialEq, Eq)]
enum CacheFile {
    /// A complete entry, of the profile at this index of `PROFILES`.
    Entry(usize),
    Lock,
    /// A writer's temporary file (`.<entry>.tmp<pid>.<random>`).
    Temp(String),
}

/// Reads every file in the cache folder; any file that is neither a complete, correct entry, a
/// lock file nor a temporary file is a failure.
fn survey(dir: &Path) -> Vec<CacheFile> {
    let mut found = Vec::new();
    for file in std::fs::read_dir(dir).unwrap().flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.contains(".json.tmp") {
            found.push(CacheFile::Temp(name));
        } else if name.ends_with(".lock") {
            found.push(CacheFile::Lock);
        } else if name.ends_with(".json") {
            found.push(CacheFile::Entry(check_entry(&file.path())));
        } else {
            panic!("unexpected file {name} in the cache folder");
        }
    }
    found
}

/// Asserts that the file is a whole entry: it parses, and holds the token of the profile whose
/// scope it names and the whole of the response's padding.
fn check_entry(path: &Path) -> usize {
    let bytes = std::fs::read(path).unwrap();
    let entry: Value = serde_json::from_slice(&bytes).unwrap_or_else(|err| {
        panic!(
            "half-written cache entry {} ({} bytes): {err}",
            path.display(),
            bytes.len()
        )
    });
    let scope = entry["identity"]["scope"].as_str().unwrap_or_default();
    let index = PROFILES
        .iter()
        .position(|(_, s, _)| *s == scope)
        .unwrap_or_else(|| panic!("entry {} has scope {scope:?}", path.display()));
    assert_eq!(entry["version"], 1, "{}", path.display());
    assert_eq!(
        entry["response"]["access_token"],
        PROFILES[index].2,
        "{}",
        path.display()
    );
    assert_eq!(
        entry["response"]["padding"].as_str().map(str::len),
        Some(PADDING),
        "{}",
        path.display()
    );
    index
}

fn temps(found: &[CacheFile]) -> BTreeSet<String> {
    found
        .iter()
        .filter_map(|f| match f {
            CacheFile::Temp(name) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

/// When to kill a process.
#[derive(Debug, Clone, Copy)]
enum Kill {
    After(Duration),
    /// As soon as the process's temporary file exists: in the middle of its write, or just after.
    WhenWriting,
}

/// How one process ended.
#[derive(Debug)]
struct Ending {
    killed: bool,
    /// The exit code of a process that was not killed.
    code: Option<i32>,
}

fn spawn(env: &TestEnv, profile: &str) -> Child {
    env.std_cmd()
        .args(["token", "--refresh", "-p", profile])
        .env("SCM_SECRET", SECRET)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Where one process's temporary file appears: its name starts with the entry's name, the
/// process id and a dot, and ends with random characters.
struct Temp {
    dir: PathBuf,
    prefix: String,
}

impl Temp {
    fn exists(&self) -> bool {
        std::fs::read_dir(&self.dir).is_ok_and(|d| {
            d.flatten()
                .any(|f| f.file_name().to_string_lossy().starts_with(&self.prefix))
        })
    }
}

/// Waits as `kill` says, sends SIGKILL (std's `Child::kill`), and reaps the process. A process
/// counts as killed only when its exit status says the signal ended it.
fn kill(mut child: Child, kill: Kill, temp: Temp) -> Ending {
    match kill {
        Kill::After(delay) => thread::sleep(delay),
        Kill::WhenWriting => {
            let give_up = Instant::now() + Duration::from_secs(10);
            while !temp.exists() && child.try_wait().unwrap().is_none() && Instant::now() < give_up
            {
                thread::sleep(Duration::from_micros(200));
            }
        }
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    #[cfg(unix)]
    let killed = status.signal() == Some(9);
    // std's `Child::kill` is TerminateProcess with exit code 1 here, which the status does not
    // tell from an oauthctl that exited 1 itself; the other processes of a round exit 0.
    #[cfg(windows)]
    let killed = status.code() == Some(1);
    Ending {
        killed,
        code: status.code(),
    }
}

/// `oauthctl token -p NAME` (no --refresh): exits 0 and prints the profile's token.
fn assert_next_token_works(env: &TestEnv, round: usize) {
    for (name, _, token) in PROFILES {
        let out = env
            .std_cmd()
            .args(["token", "-p", name])
            .env("SCM_SECRET", SECRET)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stdout == format!("{token}\n").as_bytes(),
            "round {round}: `oauthctl token -p {name}` after the kills: exit {:?}, stdout {:?}, stderr {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn killed_cache_writers_never_leave_a_half_written_entry() {
    let server = padded_token_server();
    let env = TestEnv::new(&profiles_toml(&server));

    // How long a whole `token --refresh` lives here, so that the delays spread over the start,
    // the fetch, the write and the exit. The first runs also create the entries, whose file names
    // give the temporary files' names.
    let mut lives = Vec::new();
    for _ in 0..3 {
        for (name, _, _) in PROFILES {
            let started = Instant::now();
            assert!(spawn(&env, name).wait().unwrap().success());
            lives.push(started.elapsed());
        }
    }
    lives.sort();
    let life = lives[lives.len() / 2];
    let mut stems = [String::new(), String::new(), String::new()];
    for file in std::fs::read_dir(env.cache_dir()).unwrap().flatten() {
        let name = file.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") {
            stems[check_entry(&file.path())] = name;
        }
    }
    assert!(stems.iter().all(|s| !s.is_empty()), "entries: {stems:?}");

    let mut spawned = 0usize;
    let mut killed = 0usize;
    let mut finished = 0usize;
    let mut left_behind = BTreeSet::new();
    let mut most_temps = 0;
    for round in 0..ROUNDS {
        let mut handles = Vec::new();
        for slot in 0..PROFILES.len() * 2 {
            let index = slot % PROFILES.len();
            let plan = if slot >= PROFILES.len() && round % 2 == 0 {
                Kill::WhenWriting
            } else {
                // A low-discrepancy spread over 0–1.5 lives: before, during and after the write.
                let fraction = (spawned as f64 * 0.618_033_988_7).fract();
                Kill::After(life.mul_f64(1.5 * fraction))
            };
            spawned += 1;
            let child = spawn(&env, PROFILES[index].0);
            let temp = Temp {
                dir: env.cache_dir(),
                prefix: format!(".{}.tmp{}.", stems[index], child.id()),
            };
            handles.push(thread::spawn(move || kill(child, plan, temp)));
        }
        for handle in handles {
            let ending = handle.join().unwrap();
            if ending.killed {
                killed += 1;
            } else {
                assert_eq!(
                    ending.code,
                    Some(0),
                    "round {round}: a `token --refresh` that was not killed failed"
                );
                finished += 1;
            }
        }

        // Every process of the round is gone: whatever is in the folder now is what they left.
        let found = survey(&env.cache_dir());
        let temps = temps(&found);
        most_temps = most_temps.max(temps.len());
        assert!(
            temps.len() <= PROFILES.len(),
            "round {round}: {} temporary files pile up in the cache folder: {temps:?}",
            temps.len()
        );
        left_behind.extend(temps);
        assert_next_token_works(&env, round);
    }

    eprintln!(
        "{spawned} processes: {killed} killed by SIGKILL, {finished} finished first; {} temporary files left by writers killed mid-write (at most {most_temps} at once); a process lives about {life:?}",
        left_behind.len()
    );
    assert!(
        killed * 3 >= spawned,
        "only {killed} of {spawned} processes were still running when killed"
    );
    assert!(
        !left_behind.is_empty(),
        "no process was killed in the middle of its write ({killed} killed of {spawned})"
    );

    // The next writer of each entry removes what killed writers left; nothing else remains.
    for (name, _, _) in PROFILES {
        assert!(spawn(&env, name).wait().unwrap().success());
    }
    let found = survey(&env.cache_dir());
    assert_eq!(temps(&found), BTreeSet::new());
    let mut entries: Vec<usize> = found
        .iter()
        .filter_map(|f| match f {
            CacheFile::Entry(i) => Some(*i),
            _ => None,
        })
        .collect();
    entries.sort();
    assert_eq!(entries, [0, 1, 2]);
}

#[test]
fn temp_files_of_killed_writers_are_harmless_and_removed_by_the_next_writer() {
    let server = padded_token_server();
    let env = TestEnv::new(&profiles_toml(&server));
    let run = |args: &[&str]| {
        env.std_cmd()
            .args(args)
            .env("SCM_SECRET", SECRET)
            .output()
            .unwrap()
    };
    assert!(run(&["token", "-p", "a"]).status.success());
    let dir = env.cache_dir();
    let entry = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|f| f.file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with(".json"))
        .unwrap();
    let bytes = std::fs::read(dir.join(&entry)).unwrap();
    // What writers killed at different points leave: nothing written yet, half an entry, and all
    // of it just before the rename. Plus one of another entry, whose writer may still be alive.
    let ours = [
        (format!(".{entry}.tmp4000001"), &bytes[..0]),
        (format!(".{entry}.tmp4000002"), &bytes[..bytes.len() / 2]),
        (format!(".{entry}.tmp4000003"), &bytes[..]),
    ];
    for (name, content) in &ours {
        std::fs::write(dir.join(name), content).unwrap();
    }
    let other = ".0123456789abcdef0123456789abcdef.json.tmp4000004";
    std::fs::write(dir.join(other), &bytes[..100]).unwrap();

    let token_a = format!("{}\n", PROFILES[0].2);
    let out = run(&["token", "-p", "a"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), token_a);
    let out = run(&["cache", "list"]);
    assert!(out.status.success());
    let listed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.contains("\na "), "{listed}");

    let out = run(&["token", "--refresh", "-p", "a"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), token_a);
    let left = temps(&survey(&dir));
    assert_eq!(left, BTreeSet::from([other.to_string()]));

    let out = run(&["cache", "clear"]);
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

// ---------------------------------------------------------------------------------------------
// Core dumps: a core of a process that holds the secret would hold it too
// ---------------------------------------------------------------------------------------------

/// `program args...` as nobody through setpriv, started with core dumps allowed without limit
/// (`ulimit -c unlimited`, soft and hard), as a developer's shell may have them.
#[cfg(unix)]
fn as_nobody_with_cores(env: &TestEnv, program: &Path, args: &[&str]) -> Child {
    use std::os::unix::process::CommandExt;
    let mut cmd = env.as_nobody(program);
    cmd.args(args)
        .env("SCM_SECRET", SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: only setrlimit, which is async-signal-safe, between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let unlimited = libc::rlimit {
                rlim_cur: libc::RLIM_INFINITY,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_CORE, &unlimited) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    cmd.spawn().unwrap()
}

/// What /proc says of a running process: the soft "Max core file size", and who owns its
/// /proc/PID/environ (root when it is not dumpable, so that nobody else can read it; whoever runs it
/// otherwise).
#[cfg(unix)]
fn core_state(pid: u32) -> (String, u32) {
    use std::os::unix::fs::MetadataExt;
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let soft = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .and_then(|l| l["Max core file size".len()..].split_whitespace().next())
        .unwrap()
        .to_string();
    let owner = std::fs::metadata(format!("/proc/{pid}/environ"))
        .unwrap()
        .uid();
    (soft, owner)
}

#[cfg(unix)]
fn command_name(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .unwrap_or_default()
        .trim_end()
        .to_string()
}

#[cfg(unix)]
fn runs_as_nobody(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap()
        .lines()
        .any(|l| {
            l.starts_with("Uid:")
                && l.split_whitespace().nth(2).and_then(|uid| uid.parse().ok()) == Some(NOBODY)
        })
}

#[test]
#[ignore = "needs root"]
#[cfg(unix)]
fn a_process_holding_the_secret_cannot_dump_core() {
    use std::io::{Read, Write};
    assert!(
        running_as_root(),
        "run as root: the processes run as nobody, through setpriv"
    );
    // A token endpoint that holds the request while the test looks at the process: by then the
    // secret has been read and sent.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let env = TestEnv::new(&generic_profile(
        "scm",
        &format!("http://127.0.0.1:{port}{TOKEN_PATH}"),
        "",
    ));
    // nobody must reach the profile file.
    std::fs::set_permissions(
        env.dir.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();

    // The control: a process that does nothing about core dumps, as nobody, is dumpable and keeps
    // the unlimited core size, and /proc shows it.
    let mut control = as_nobody_with_cores(&env, Path::new("/bin/sleep"), &["30"]);
    // Wait for sleep itself, not only for the change of user: between setpriv's setuid and its
    // exec the kernel marks the process not dumpable, and /proc/PID/environ belongs to root.
    let give_up = Instant::now() + Duration::from_secs(10);
    while !(runs_as_nobody(control.id()) && command_name(control.id()) == "sleep")
        && Instant::now() < give_up
    {
        thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(
        core_state(control.id()),
        ("unlimited".to_string(), NOBODY),
        "the control process"
    );
    control.kill().unwrap();
    control.wait().unwrap();

    let child = as_nobody_with_cores(&env, &oauthctl_bin(), &["token", "--no-cache"]);
    let pid = child.id();
    listener.set_nonblocking(true).unwrap();
    let give_up = Instant::now() + Duration::from_secs(20);
    let mut conn = loop {
        match listener.accept() {
            Ok((conn, _)) => break conn,
            Err(err) if err.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    Instant::now() < give_up,
                    "oauthctl never sent its token request"
                );
                thread::sleep(Duration::from_millis(10));
            }
            Err(err) => panic!("accept: {err}"),
        }
    };
    conn.set_nonblocking(false).unwrap();
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut buf).unwrap();
        assert!(n > 0, "the token request ended early");
        request.extend_from_slice(&buf[..n]);
    }

    // Mid-request, as nobody, holding the secret: no core file, and not dumpable at all.
    assert!(runs_as_nobody(pid));
    assert_eq!(
        core_state(pid),
        ("0".to_string(), 0),
        "core size limit and owner of /proc/{pid}/environ while oauthctl holds the secret"
    );

    let body = scm_token_response(TOKEN, 899).to_string();
    write!(
        conn,
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    drop(conn);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{TOKEN}\n"));
}
