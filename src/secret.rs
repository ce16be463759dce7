//! Client secrets: a type that cannot be printed by accident, and the places a secret comes from.
//!
//! Order (the README documents it): the profile's `client_secret_env`, then its
//! `client_secret_command`, then the OS keyring (Keychain, Windows Credential Manager, the Secret
//! Service). There is no plaintext fallback: when no keyring is reachable the error says so.
//! The keyring entry is keyed by the client's identity (client id and token host), not by the
//! profile name, so profiles sharing a service account share one secret.

use std::fmt;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, anyhow, bail};

/// What a [`SecretSource`] yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The client's credential: a client secret, or an X.509 private key for mutual TLS.
    Client,
    /// A user's password (password grant), kept per user name.
    Password,
}

impl Kind {
    /// The keyring "service" under which oauthctl stores this kind.
    fn keyring_service(self) -> &'static str {
        match self {
            Kind::Client => "oauthctl",
            Kind::Password => "oauthctl-password",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            Kind::Client => "client secret",
            Kind::Password => "password",
        }
    }

    fn env_key(self) -> &'static str {
        match self {
            Kind::Client => "client_secret_env",
            Kind::Password => "password_env",
        }
    }

    fn set_hint(self, profile: &str) -> String {
        match self {
            Kind::Client => format!("oauthctl secret set -p {profile}"),
            Kind::Password => format!("oauthctl secret set -p {profile} --password"),
        }
    }
}

/// A client secret, password or token. Its `Debug` is redacted, it has no `Display`, and only the
/// code that puts it on the wire calls [`Secret::expose`].
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

/// Where a profile's secret may come from, as configured.
#[derive(Debug, Clone)]
pub struct SecretSource {
    pub kind: Kind,
    /// `client_secret_env` / `password_env`: an environment variable holding the secret.
    pub env: Option<String>,
    /// `client_secret_command`: a shell command whose first stdout line is the secret.
    pub command: Option<String>,
    /// The keyring entry's account: `<client_id>@<token host>`, or `<username>@<token host>`.
    pub keyring_account: String,
    /// An SAP BTP service key file and the field that holds the secret (`clientsecret` or
    /// `key`), read when the keyring has nothing (`client_secret_from = "service_key"`).
    pub service_key: Option<(PathBuf, &'static str)>,
}

impl SecretSource {
    /// Finds the secret, trying the sources in the documented order.
    pub fn resolve(&self, profile: &str) -> Result<Secret> {
        let noun = self.kind.noun();
        if let Some(secret) = self.env_value() {
            return Ok(secret);
        }
        if let Some(command) = &self.command {
            return run_secret_command(command)
                .with_context(|| format!("profile {profile}: client_secret_command failed"));
        }
        let keyring = keyring_get(self.kind, &self.keyring_account);
        if let Ok(Some(secret)) = keyring {
            return Ok(secret);
        }
        if let Some((path, field)) = &self.service_key {
            return crate::service_key::read_secret(path, field).with_context(|| {
                let keyring = match &keyring {
                    Ok(_) => format!("{} has none for {}", keyring_name(), self.keyring_account),
                    Err(_) => format!("{} is not reachable", keyring_name()),
                };
                let env = self
                    .empty_env()
                    .map(|var| format!("${var} is set but empty, "))
                    .unwrap_or_default();
                format!(
                    "profile {profile}: no {noun}: {env}{keyring}, and the service key has none"
                )
            });
        }
        if self.kind == Kind::Password && std::io::stdin().is_terminal() {
            let prompt = format!("Password for {}: ", self.keyring_account);
            return read_secret_input(&prompt);
        }
        if let Some(var) = self.empty_env() {
            // The first source was meant to give it: CI hands a secret it may not pass (a job
            // started from a fork) to the job as an empty variable. The keyring is beside the
            // point.
            bail!(
                "no {noun} for profile {profile}: ${var} is set but empty ({} = \"{var}\")\n\
                 hint: give ${var} the {noun}; in CI, check that the job receives the secret (jobs started from forks often get secrets as empty variables)",
                self.kind.env_key()
            );
        }
        match keyring {
            Ok(_) => {
                let unset = self
                    .env
                    .as_ref()
                    .map(|var| format!(" ({} names ${var}, which is not set)", self.kind.env_key()))
                    .unwrap_or_default();
                bail!(
                    "no {noun} for profile {profile}{unset}: {} has none for {}\n\
                     hint: store it with `{}`",
                    keyring_name(),
                    self.keyring_account,
                    self.kind.set_hint(profile)
                )
            }
            Err(err) => Err(err.context(format!(
                "profile {profile}: cannot read the {noun}\n\
                 hint: where no keyring can be used, set `{}`{} in the profile",
                self.kind.env_key(),
                if self.kind == Kind::Client {
                    " or `client_secret_command`"
                } else {
                    ""
                }
            ))),
        }
    }

    /// The variable `client_secret_env` / `password_env` names, when it is set but empty.
    fn empty_env(&self) -> Option<&str> {
        let var = self.env.as_deref()?;
        std::env::var_os(var)
            .is_some_and(|v| v.is_empty())
            .then_some(var)
    }

    fn env_value(&self) -> Option<Secret> {
        let var = self.env.as_ref()?;
        std::env::var(var)
            .ok()
            .filter(|v| !v.is_empty())
            .map(Secret::new)
    }

    /// One line per source, for `secret status`. Never reads a secret's value into the output.
    pub fn status(&self) -> (Vec<String>, Option<&'static str>) {
        let env_key = self.kind.env_key();
        let mut lines = Vec::new();
        let mut in_use = None;
        match &self.env {
            Some(var) if self.env_value().is_some() => {
                lines.push(format!("{env_key}: ${var} is set"));
                in_use = Some("env");
            }
            Some(var) if self.empty_env().is_some() => {
                lines.push(format!("{env_key}: ${var} is set but empty"));
            }
            Some(var) => lines.push(format!("{env_key}: ${var} is not set")),
            None => lines.push(format!("{env_key}: not configured")),
        }
        if self.kind == Kind::Client {
            match &self.command {
                Some(command) => {
                    lines.push(format!("client_secret_command: configured ({command})"));
                    in_use = in_use.or(Some("command"));
                }
                None => lines.push("client_secret_command: not configured".into()),
            }
        }
        if let Some(first) = in_use {
            let key = if first == "env" {
                env_key
            } else {
                "client_secret_command"
            };
            lines.push(format!("keyring: not consulted ({key} comes first)"));
            return (lines, in_use);
        }
        let keyring = keyring_name();
        let account = &self.keyring_account;
        match keyring_get(self.kind, account) {
            Ok(Some(_)) => {
                lines.push(format!(
                    "keyring: {keyring} holds a {} for {account}",
                    self.kind.noun()
                ));
                in_use = Some("keyring");
            }
            Ok(None) => lines.push(format!(
                "keyring: {keyring} has no {} for {account}",
                self.kind.noun()
            )),
            Err(err) => lines.push(format!("keyring: {err:#}")),
        }
        if let Some((path, field)) = &self.service_key
            && in_use.is_none()
        {
            lines.push(format!("service key: {} (field {field})", path.display()));
            in_use = Some("service key");
        }
        (lines, in_use)
    }
}

/// A core dump of oauthctl would hold the client secret, the password and the token, and lands
/// where other tools (or users) read it. So, before anything is read: no core file (`RLIMIT_CORE`
/// 0, soft limit only, so a command that `exec` starts may raise it again), and on Linux not
/// dumpable at all (`PR_SET_DUMPABLE` 0), which also covers a `core_pattern` that pipes the dump to
/// a collector, and keeps other processes of the same user from reading this one's memory through
/// /proc or ptrace. Best effort: a failure leaves things as they were.
pub fn no_core_dumps() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed to them. Should
        // getrlimit fail, both limits stay 0.
        unsafe {
            libc::getrlimit(libc::RLIMIT_CORE, &mut limit);
            limit.rlim_cur = 0;
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: PR_SET_DUMPABLE takes one integer argument and changes only this process.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0 as libc::c_ulong, 0, 0, 0);
    }
}

/// Runs `client_secret_command` through the shell and returns the first line of its stdout.
/// Its stderr and stdin stay the user's, so a password manager can prompt. Neither its output nor
/// its exit status message can carry the secret into an error.
fn run_secret_command(command: &str) -> Result<Secret> {
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

/// The name of this platform's keyring, for messages.
pub fn keyring_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "the macOS Keychain"
    } else if cfg!(windows) {
        "the Windows Credential Manager"
    } else {
        "the Secret Service"
    }
}

fn keyring_entry(kind: Kind, account: &str) -> Result<keyring::Entry> {
    keyring::Entry::new(kind.keyring_service(), account).map_err(|err| keyring_error(err, "open"))
}

/// True where the keyring is the Secret Service, reached over D-Bus.
const SECRET_SERVICE: bool = cfg!(all(
    unix,
    not(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "android"
    ))
));

/// Turns a keyring failure into a message that names the keyring and the cause.
fn keyring_error(err: keyring::Error, action: &str) -> anyhow::Error {
    let cause = match &err {
        // No store: on Linux no Secret Service answered on D-Bus (no session bus, as on a
        // server or over ssh, or no keyring daemon on it). zbus's own words for that (a socket
        // path and an os error) say less than this does.
        keyring::Error::NoDefaultStore if SECRET_SERVICE => {
            let unset = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|v| v.is_empty());
            return anyhow!(
                "{} is not reachable (nothing answers for it on the D-Bus session bus{})",
                keyring_name(),
                if unset {
                    "; $DBUS_SESSION_BUS_ADDRESS is not set"
                } else {
                    ""
                }
            );
        }
        keyring::Error::NoDefaultStore => match keyring::Entry::store_status() {
            Err(inner) => inner.to_string(),
            Ok(()) => err.to_string(),
        },
        other => other.to_string(),
    };
    anyhow!(
        "{} is not reachable ({action} failed: {cause})",
        keyring_name()
    )
}

/// Reads the secret stored for `account`; `Ok(None)` when the keyring works but holds none.
pub fn keyring_get(kind: Kind, account: &str) -> Result<Option<Secret>> {
    match keyring_entry(kind, account)?.get_password() {
        Ok(value) => Ok(Some(Secret::new(value))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(err) => Err(keyring_error(err, "read")),
    }
}

/// Stores the secret for `account`. A failure says what could not be stored and what to do
/// instead: headless machines have no keyring, and the profile can give the secret another way.
pub fn keyring_set(kind: Kind, account: &str, secret: &Secret) -> Result<()> {
    keyring_set_named(kind, kind.noun(), account, secret)
}

/// [`keyring_set`], naming the secret `noun` in messages (an X.509 private key is no client
/// secret, though stored as one).
pub fn keyring_set_named(kind: Kind, noun: &str, account: &str, secret: &Secret) -> Result<()> {
    let result = keyring::Entry::new(kind.keyring_service(), account)
        .and_then(|entry| entry.set_password(secret.expose()));
    let Err(err) = result else {
        return Ok(());
    };
    let hint = match &err {
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) => {
            let instead = match kind {
                Kind::Client => "client_secret_env or client_secret_command",
                Kind::Password => "password_env",
            };
            let start = if SECRET_SERVICE {
                "\nhint: or start a keyring: log in to a desktop session, or run gnome-keyring-daemon --unlock inside dbus-run-session"
            } else {
                ""
            };
            format!(
                "\nhint: on a machine without a keyring (a server, a container, CI), set {instead} in the profile instead of storing the {noun}{start}"
            )
        }
        keyring::Error::NoStorageAccess(_) => {
            "\nhint: unlock the keyring (or allow oauthctl to use it) and try again".to_string()
        }
        _ => String::new(),
    };
    Err(keyring_error(err, "write").context(format!("cannot store the {noun} for {account}{hint}")))
}

/// Removes the stored secret; `Ok(false)` when there was none.
pub fn keyring_delete(kind: Kind, account: &str) -> Result<bool> {
    match keyring_entry(kind, account)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(err) => Err(keyring_error(err, "delete")),
    }
}

/// Reads a secret from the user: without echo when stdin is a terminal, else one line of stdin
/// (all of it when it is a PEM private key). Never from the command line, where it would land in
/// shell history and `ps`.
pub fn read_secret_input(prompt: &str) -> Result<Secret> {
    let value = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(prompt).context("cannot read from the terminal")?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .lock()
            .read_to_string(&mut text)
            .context("cannot read the secret from stdin")?;
        if text.starts_with("-----BEGIN") {
            text.trim_end().to_string()
        } else {
            text.lines()
                .next()
                .unwrap_or("")
                .trim_end_matches('\r')
                .to_string()
        }
    };
    if value.is_empty() {
        bail!("the secret is empty; nothing was stored");
    }
    Ok(Secret::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_secret_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "(redacted)");
        assert_eq!(format!("{:?}", Some(&s)), "Some((redacted))");
    }

    #[test]
    fn secret_command_first_line_is_the_secret() {
        let s = run_secret_command("printf 'abc\\nsecond\\n'").unwrap();
        assert_eq!(s.expose(), "abc");
    }

    #[test]
    fn failing_secret_command_does_not_echo_its_output() {
        let err = run_secret_command("printf 'leaked%s' -value; exit 3").unwrap_err();
        let msg = format!("{err:#}");
        assert!(!msg.contains("leaked-value"), "{msg}");
        assert!(msg.contains("exit status: 3"), "{msg}");
    }
}
