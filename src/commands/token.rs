//! `oauthctl token`: print a token for `$(...)` and pipes. stdout gets the token and nothing else.
//!
//! `--format env` writes a line a shell runs to set a variable: POSIX sh (`eval`), fish
//! (`source`) or PowerShell (`Invoke-Expression`), the token quoted in each one's single quotes,
//! where nothing is expanded.

use std::io::Write;
use std::time::{Duration, UNIX_EPOCH};

use anyhow::Result;
use serde_json::Value;

use super::Selection;
use crate::config::Undiscovered;
use crate::error::Exit;
use crate::tokens;
use crate::tokens::cache::{self, Entry, Identity, TokenCache};
use crate::tokens::discovery::Discovery;

/// What `token` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    Raw,
    Header,
    Json,
    /// A line that sets the environment variable `var` to the token in `shell`'s syntax.
    Env {
        var: String,
        shell: Shell,
    },
}

/// The shell whose syntax `--format env` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// The shell is called PowerShell; clippy reads the name as "Power" + the enum's name.
#[allow(clippy::enum_variant_names)]
pub enum Shell {
    /// sh, bash, zsh, dash, ksh: `export VAR='...'`, for `eval "$(...)"`.
    Posix,
    /// `set -gx VAR '...'`, for `| source`.
    Fish,
    /// `$env:VAR = '...'`, for `| Invoke-Expression`.
    PowerShell,
}

/// Whether `name` can be a shell variable in every shell `--format env` writes for: a letter or
/// `_`, then letters, digits and `_` (POSIX's name; fish and PowerShell accept these too).
pub fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

pub fn run(selection: &Selection, format: Format, options: &tokens::Options) -> Result<()> {
    let (_, profile) = selection
        .resolve_discovering(&Discovery::for_token(options))
        .map_err(|err| crate::http::no_response::with_timeout_hint(err, options.timeout))?;
    let entry = tokens::get(&profile, options)
        .map_err(|err| crate::http::no_response::with_timeout_hint(err, options.timeout))?;
    if entry.is_dpop() {
        // It is printed all the same: to look at, or for a tool that makes its own proofs.
        eprintln!(
            "oauthctl: warning: the token of profile {} is DPoP-bound: each request needs, besides Authorization: DPoP, a DPoP proof signed with the profile's key, which only oauthctl call and batch make; curl with this token alone is refused",
            profile.name
        );
    }
    let text = render(&entry, &format, &profile.name);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// `token --check`: is a fresh token cached? No network, no keyring, nothing on stdout: the exit
/// code is the answer (1: a fetch would be needed).
pub fn check(selection: &Selection) -> Result<Exit> {
    let profile = match selection.resolve_discovering(&Discovery::cached()) {
        Ok((_, profile)) => profile,
        // No issuer's metadata cached, so no token either: fetching one would start there.
        Err(err) if err.downcast_ref::<Undiscovered>().is_some() => return Ok(Exit(1)),
        Err(err) => return Err(err),
    };
    let cache = TokenCache::new(cache::default_dir()?);
    let fresh = cache
        .read(&Identity::of(&profile))
        .is_some_and(|e| e.is_fresh(profile.min_ttl, cache::now()));
    Ok(if fresh { Exit::SUCCESS } else { Exit(1) })
}

fn render(entry: &Entry, format: &Format, profile: &str) -> String {
    let token = entry.access_token().unwrap_or_default();
    match format {
        Format::Raw => format!("{token}\n"),
        Format::Header => {
            // RFC 6750 names the scheme "Bearer"; servers send it in any case. Another scheme
            // (DPoP, MAC) is the server's, and goes into the header only when it is one: new
            // answers are checked when they arrive, and this keeps an older entry from adding a
            // header of its own.
            let scheme = match entry.response.get("token_type").and_then(Value::as_str) {
                Some(t)
                    if !t.eq_ignore_ascii_case("bearer")
                        && crate::oauth::response::is_auth_scheme(t) =>
                {
                    t
                }
                _ => "Bearer",
            };
            format!("Authorization: {scheme} {token}\n")
        }
        Format::Json => {
            let mut obj = entry.response.clone();
            // Capped as new entries are, for an entry written before the cap.
            let expires_at = entry.expires_at.map(|at| {
                let at = UNIX_EPOCH + Duration::from_secs(at.min(cache::LATEST));
                humantime::format_rfc3339_seconds(at).to_string()
            });
            obj.insert(
                "expires_at".into(),
                expires_at.map(Value::from).unwrap_or(Value::Null),
            );
            obj.insert("profile".into(), Value::from(profile));
            let mut text =
                serde_json::to_string_pretty(&Value::Object(obj)).expect("JSON serializes");
            text.push('\n');
            text
        }
        Format::Env { var, shell } => env_line(var, token, *shell),
    }
}

/// The line that sets `var` to `value` in `shell`. The value goes in the shell's single quotes,
/// inside which nothing is expanded, whatever it holds: a token is visible ASCII (checked before
/// it is cached), but a quote, `$` or backquote in one must still reach the variable as is.
fn env_line(var: &str, value: &str, shell: Shell) -> String {
    match shell {
        // POSIX single quotes end only at the next `'`: close, write an escaped one, reopen.
        Shell::Posix => format!("export {var}='{}'\n", value.replace('\'', r"'\''")),
        // fish undoes `\\` and `\'` inside single quotes, and nothing else.
        Shell::Fish => format!(
            "set -gx {var} '{}'\n",
            value.replace('\\', r"\\").replace('\'', r"\'")
        ),
        // PowerShell doubles a quote inside single quotes, and takes the typographic single
        // quotes for `'` too.
        Shell::PowerShell => {
            let mut quoted = String::with_capacity(value.len() + 2);
            for c in value.chars() {
                if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
                    quoted.push(c);
                }
                quoted.push(c);
            }
            format!("$env:{var} = '{quoted}'\n")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posix_quoting_closes_escapes_and_reopens_around_a_quote() {
        assert_eq!(
            env_line("T", "a'b$c`d\\e\"f", Shell::Posix),
            "export T='a'\\''b$c`d\\e\"f'\n"
        );
    }

    #[test]
    fn fish_quoting_escapes_backslash_and_quote_only() {
        assert_eq!(
            env_line("T", r"a'b\c$d\", Shell::Fish),
            "set -gx T 'a\\'b\\\\c$d\\\\'\n"
        );
    }

    /// PowerShell is not installed where the tests run: its rules, from the language
    /// specification (§2.3.5.2, single-quote-character), checked here.
    #[test]
    fn powershell_quoting_doubles_every_kind_of_single_quote() {
        assert_eq!(
            env_line("OAUTHCTL_TOKEN", "a'b$c`d\"e", Shell::PowerShell),
            "$env:OAUTHCTL_TOKEN = 'a''b$c`d\"e'\n"
        );
        assert_eq!(
            env_line("T", "\u{2018}x\u{2019}", Shell::PowerShell),
            "$env:T = '\u{2018}\u{2018}x\u{2019}\u{2019}'\n"
        );
    }

    #[test]
    fn variable_names_are_posix_names() {
        for ok in ["OAUTHCTL_TOKEN", "_x", "a1", "SCM_TOKEN_2"] {
            assert!(is_variable_name(ok), "{ok}");
        }
        for bad in ["", "1A", "A-B", "A B", "A=B", "$A", "A;rm", "Ä"] {
            assert!(!is_variable_name(bad), "{bad}");
        }
    }
}
