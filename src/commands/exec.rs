//! `oauthctl exec`: run a command with the token in an environment variable, so it never lands in
//! a process's arguments (where `ps` and shell history would show it).

use crate::tokens::discovery::Discovery;
use std::ffi::OsString;
use std::io::ErrorKind;
use std::process::Command;

use anyhow::{Result, anyhow, bail};

use super::Selection;
use crate::error::code::{CANNOT_EXECUTE, NOT_FOUND};
use crate::error::{Exit, Failure, render_error};
use crate::tokens;

/// Runs the command; its exit code is oauthctl's.
pub fn run(
    selection: &Selection,
    var: &str,
    command: &[OsString],
    options: &tokens::Options,
) -> Result<Exit> {
    if var.is_empty() || var.contains('=') || var.contains('\0') {
        bail!("--env `{var}` is not a valid environment variable name");
    }
    let (program, args) = command
        .split_first()
        .ok_or_else(|| anyhow!("no command to run"))?;
    let (_, profile) = selection.resolve_discovering(&Discovery::for_token(options))?;
    let entry = tokens::get(&profile, options)?;
    if entry.is_dpop() {
        return Err(Failure::Usage(format!(
            "the token of profile {} is DPoP-bound: each request needs a DPoP proof signed with the profile's key, which a command run by exec cannot make, so exec does not hand it over\nhint: send the requests with oauthctl call or oauthctl batch, which sign a proof for each",
            profile.name
        ))
        .into());
    }
    let token = entry.access_token().unwrap_or_default();
    match Command::new(program).args(args).env(var, token).status() {
        Ok(status) => {
            #[cfg(windows)]
            if let Some(code) = wide_code(&status) {
                // Nothing of oauthctl's is left to write: the command had stdout and stderr.
                std::process::exit(code);
            }
            Ok(Exit(exit_code(&status)))
        }
        Err(err) => Ok(cannot_run(&program.to_string_lossy(), &err)),
    }
}

/// A command that could not be started exits as shells exit for it: 127 when it is not found,
/// 126 when it is found but cannot be run (not executable, a folder). The message is printed here,
/// as the exit code is not 1.
fn cannot_run(program: &str, err: &std::io::Error) -> Exit {
    let (code, why) = match err.kind() {
        ErrorKind::NotFound if program.contains(std::path::is_separator) => {
            (NOT_FOUND, "no such file\nhint: check the path".to_string())
        }
        ErrorKind::NotFound => (
            NOT_FOUND,
            "command not found\nhint: check its name, or give its path ($PATH is searched)"
                .to_string(),
        ),
        ErrorKind::PermissionDenied => (
            CANNOT_EXECUTE,
            "permission denied\nhint: it must be a file you may execute (chmod +x), not a folder"
                .to_string(),
        ),
        _ => (CANNOT_EXECUTE, err.to_string()),
    };
    let err = anyhow!("cannot run `{program}`: {why}");
    eprintln!("{}", render_error(&err));
    Exit(code)
}

/// A Windows exit code is 32 bits, and a crash ends a process with an NTSTATUS such as
/// 0xC0000005: a code that does not fit oauthctl's own (0 to 255) is passed on whole, never cut to
/// its low byte (where 256 would read as success).
#[cfg(windows)]
fn wide_code(status: &std::process::ExitStatus) -> Option<i32> {
    status.code().filter(|code| u8::try_from(*code).is_err())
}

/// The child's exit code, or 128 + the signal that ended it, as shells report it.
fn exit_code(status: &std::process::ExitStatus) -> u8 {
    if let Some(code) = status.code() {
        return u8::try_from(code & 0xff).unwrap_or(1);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return u8::try_from(128 + signal).unwrap_or(1);
        }
    }
    1
}

#[cfg(all(test, windows))]
mod tests {
    use super::*;
    use std::os::windows::process::ExitStatusExt;

    #[test]
    fn a_windows_code_over_255_is_passed_on_whole_and_a_small_one_as_it_is() {
        let status = |code: u32| std::process::ExitStatus::from_raw(code);
        assert_eq!(
            wide_code(&status(0xC000_0005)),
            Some(0xC000_0005_u32 as i32)
        );
        assert_eq!(wide_code(&status(256)), Some(256));
        assert_eq!(wide_code(&status(3)), None);
        assert_eq!(exit_code(&status(3)), 3);
    }
}
