//! `oauthctl exec`: run a command with the token in an environment variable, so it never lands in
//! a process's arguments (where `ps` and shell history would show it).

use std::ffi::OsString;
use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

use super::Selection;
use crate::error::Failure;
use crate::tokens;

pub fn run(
    selection: &Selection,
    var: &str,
    command: &[OsString],
    options: &tokens::Options,
) -> Result<()> {
    if var.is_empty() || var.contains('=') || var.contains('\0') {
        bail!("--env `{var}` is not a valid environment variable name");
    }
    let (program, args) = command
        .split_first()
        .ok_or_else(|| anyhow!("no command to run"))?;
    let (_, profile) = selection.resolve()?;
    let entry = tokens::get(&profile, options)?;
    let token = entry.access_token().unwrap_or_default();
    let status = Command::new(program)
        .args(args)
        .env(var, token)
        .status()
        .with_context(|| format!("cannot run {}", program.to_string_lossy()))?;
    match exit_code(&status) {
        0 => Ok(()),
        code => Err(Failure::Exit(code).into()),
    }
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
