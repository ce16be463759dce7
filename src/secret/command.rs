//! `client_secret_command`: a shell command whose first line of stdout is the secret.

use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow, bail};

use super::Secret;

/// Runs `client_secret_command` through the shell and returns the first line of its stdout.
/// Its stderr and stdin stay the user's, so a password manager can prompt. Neither its output nor
/// its exit status message can carry the secret into an error.
pub(super) fn run_secret_command(command: &str) -> Result<Secret> {
    #[cfg(windows)]
    let mut cmd = {
        let mut c = Command::new("cmd");
        c.args(["/C", command]);
        c
    };
    #[cfg(not(windows))]
    let mut cmd = {
        let mut c = Command::new("sh");
        c.args(["-c", command]);
        c
    };
    let output = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .stdin(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run `{command}`"))?;
    if !output.status.success() {
        bail!("`{command}` exited with {}", output.status);
    }
    let stdout = String::from_utf8(output.stdout)
        .map_err(|_| anyhow!("`{command}` printed something that is not UTF-8"))?;
    let first = stdout.lines().next().unwrap_or("").trim_end_matches('\r');
    if first.is_empty() {
        bail!("`{command}` printed nothing on its first line");
    }
    Ok(Secret::new(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The commands are sh's here and cmd's on Windows, where `exit /b 3` is the exit code.
    #[cfg(unix)]
    #[test]
    fn secret_command_first_line_is_the_secret() {
        let s = run_secret_command("printf 'abc\\nsecond\\n'").unwrap();
        assert_eq!(s.expose(), "abc");
    }

    #[cfg(unix)]
    #[test]
    fn failing_secret_command_does_not_echo_its_output() {
        let err = run_secret_command("printf 'leaked%s' -value; exit 3").unwrap_err();
        let msg = format!("{err:#}");
        assert!(!msg.contains("leaked-value"), "{msg}");
        assert!(msg.contains("exit status: 3"), "{msg}");
    }

    #[cfg(windows)]
    #[test]
    fn secret_command_first_line_is_the_secret_through_cmd() {
        let s = run_secret_command("echo abc& echo second").unwrap();
        assert_eq!(s.expose(), "abc");
    }

    #[cfg(windows)]
    #[test]
    fn failing_secret_command_through_cmd_does_not_echo_its_output() {
        let err = run_secret_command("echo leaked^-value& exit /b 3").unwrap_err();
        let msg = format!("{err:#}");
        assert!(!msg.contains("leaked-value"), "{msg}");
        assert!(msg.contains("exit code: 3"), "{msg}");
    }
}
