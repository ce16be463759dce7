//! Reading a secret from the user, never from the command line.

use std::io::{IsTerminal, Read};

use anyhow::{Context, Result, bail};

use super::Secret;

/// Reads a secret from the user: without echo when stdin is a terminal, else one line of stdin
/// (all of it when it is a PEM private key). Never from the command line, where it would land in
/// shell history and `ps`.
pub fn read_secret_input(prompt: &str) -> Result<Secret> {
    let value = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).context("cannot read from the terminal")?
    } else {
        read_secret_stdin()?
            .map(|s| s.expose().to_string())
            .unwrap_or_default()
    };
    if value.is_empty() {
        bail!("the secret is empty; nothing was stored");
    }
    Ok(Secret::new(value))
}

/// The secret on stdin when it is not a terminal: its first line (all of it when it is a PEM
/// private key); `None` when stdin holds nothing.
pub fn read_secret_stdin() -> Result<Option<Secret>> {
    let mut text = String::new();
    std::io::stdin()
        .lock()
        .read_to_string(&mut text)
        .context("cannot read the secret from stdin")?;
    let value = if text.starts_with("-----BEGIN") {
        text.trim_end().to_string()
    } else {
        text.lines()
            .next()
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_string()
    };
    Ok((!value.is_empty()).then(|| Secret::new(value)))
}
