//! Where a secret comes from, as the profile says, and finding it there in the documented order.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::Secret;
use super::command::run_secret_command;
use super::keyring::{KeyringEntries, keyring_get, keyring_name};
use super::prompt::read_secret_input;

/// What a [`SecretSource`] yields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// What the client proves itself with: a client secret, or the private key of its X.509
    /// certificate for mutual TLS (stored as a client secret is).
    ClientCredential,
    /// A user's password (password grant), kept per user name.
    Password,
    /// The refresh token a sign-in left (see [`super::refresh`]), kept per token identity.
    RefreshToken,
    /// The private key of a profile's DPoP key pair (see `tokens::dpop_key`), kept per client.
    DpopKey,
    /// The private key that signs the client's assertions (private_key_jwt), as PEM; kept per
    /// client (client id and token host), split over several entries where one holds too little
    /// (see [`super::refresh::split`]).
    ClientKey,
}

impl SecretKind {
    /// The keyring "service" under which oauthctl stores this kind.
    pub(super) fn keyring_service(self) -> &'static str {
        match self {
            SecretKind::ClientCredential => "oauthctl",
            SecretKind::Password => "oauthctl-password",
            SecretKind::RefreshToken => "oauthctl-refresh-token",
            SecretKind::DpopKey => "oauthctl-dpop-key",
            SecretKind::ClientKey => "oauthctl-client-key",
        }
    }

    pub fn noun(self) -> &'static str {
        match self {
            SecretKind::ClientCredential => "client secret",
            SecretKind::Password => "password",
            SecretKind::RefreshToken => "refresh token",
            SecretKind::DpopKey => "DPoP private key",
            SecretKind::ClientKey => "client private key",
        }
    }

    fn env_key(self) -> &'static str {
        match self {
            SecretKind::ClientCredential => "client_secret_env",
            SecretKind::Password => "password_env",
            SecretKind::RefreshToken => "refresh_token_store",
            SecretKind::DpopKey => "dpop_key_store",
            SecretKind::ClientKey => "client_key",
        }
    }

    fn set_hint(self, profile: &str) -> String {
        match self {
            SecretKind::ClientCredential => format!("oauthctl secret set -p {profile}"),
            SecretKind::Password => format!("oauthctl secret set -p {profile} --password"),
            SecretKind::RefreshToken => format!("oauthctl login -p {profile}"),
            SecretKind::DpopKey => format!("oauthctl token -p {profile}"),
            SecretKind::ClientKey => format!("oauthctl secret set -p {profile} --key-file key.pem"),
        }
    }
}

/// A secret handed to oauthctl in a variable of its own, which it read once at start and removed
/// from its environment then, so that no command it runs (`exec`'s, `client_secret_command`)
/// inherits it: `$OAUTHCTL_CLIENT_SECRET` of the profile from the environment.
#[derive(Debug, Clone)]
pub struct HandedSecret {
    /// The variable, for messages.
    pub var: &'static str,
    pub value: Handed,
}

/// What the variable of a [`HandedSecret`] held at start.
#[derive(Debug, Clone)]
pub enum Handed {
    Unset,
    /// Set but empty: how CI hands a secret to a job that may not see it.
    Empty,
    Value(Secret),
}

/// Where a profile's secret may come from, as configured.
#[derive(Debug, Clone)]
pub struct SecretSource {
    pub kind: SecretKind,
    /// A secret handed over at start ([`HandedSecret`]); it comes first.
    pub handed: Option<&'static HandedSecret>,
    /// `client_secret_env` / `password_env`: an environment variable holding the secret.
    pub env: Option<String>,
    /// `client_secret_command`: a shell command whose first stdout line is the secret.
    pub command: Option<String>,
    /// The keyring entry's account: `<client_id>@<token host>`, or `<username>@<token host>`.
    pub keyring_account: String,
    /// A file read when the keyring has nothing: an SAP BTP service key under
    /// `client_secret_from = "service_key"`.
    pub file: Option<SecretFile>,
    /// A secret already in hand, used before every other source: the one `profiles add` was
    /// just given, which a token request proves before it is stored anywhere. Never from a
    /// profile file.
    pub given: Option<Secret>,
}

/// A file that holds the secret in one of its fields, read when the keyring has none. The provider
/// that names the file (SAP BTP's service key) says how to read it, so that this module knows
/// nothing of its format.
#[derive(Debug, Clone)]
pub struct SecretFile {
    /// What the file is, for messages: `service key`.
    pub what: &'static str,
    pub path: PathBuf,
    /// The field that holds the secret (`clientsecret`, or `key` for an X.509 private key).
    pub field: &'static str,
    /// Reads `field` from the file at the path.
    pub read: fn(&Path, &str) -> Result<Secret>,
}

impl SecretSource {
    /// Finds the secret, trying the sources in the documented order.
    pub fn resolve(&self, profile: &str) -> Result<Secret> {
        let noun = self.kind.noun();
        if let Some(secret) = &self.given {
            return Ok(secret.clone());
        }
        if let Some(HandedSecret {
            value: Handed::Value(secret),
            ..
        }) = &self.handed
        {
            return Ok(secret.clone());
        }
        if let Some(secret) = self.env_value() {
            return Ok(secret);
        }
        if let Some(command) = &self.command {
            return run_secret_command(command)
                .with_context(|| format!("profile {profile}: client_secret_command failed"));
        }
        let keyring = self.keyring_get();
        if let Ok(Some(secret)) = keyring {
            return Ok(secret);
        }
        if let Some(file) = &self.file {
            return (file.read)(&file.path, file.field).with_context(|| {
                let keyring = match &keyring {
                    Ok(_) => format!("{} has none for {}", keyring_name(), self.keyring_account),
                    Err(_) => format!("{} is not reachable", keyring_name()),
                };
                let env = self
                    .empty_env()
                    .or(self.handed_empty())
                    .map(|var| format!("${var} is set but empty, "))
                    .unwrap_or_default();
                format!(
                    "profile {profile}: no {noun}: {env}{keyring}, and the {} has none",
                    file.what
                )
            });
        }
        if self.kind == SecretKind::Password && std::io::stdin().is_terminal() {
            let prompt = format!("Password for {}: ", self.keyring_account);
            return read_secret_input(&prompt);
        }
        if let Some(var) = self.handed_empty() {
            bail!(
                "no {noun} for profile {profile}: ${var} is set but empty\n\
                 hint: give ${var} the {noun}; in CI, check that the job receives the secret (jobs started from forks often get secrets as empty variables)"
            );
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
        if let Some(var) = self.handed_unset() {
            // The profile from the environment: its variable is the way to give the secret, and
            // the keyring only a fallback.
            let keyring = match &keyring {
                Ok(_) => format!("{} has none for {}", keyring_name(), self.keyring_account),
                Err(err) => format!("{err:#}"),
            };
            bail!(
                "no {noun} for profile {profile}: ${var} is not set, and {keyring}\n\
                 hint: set ${var} to the {noun} (in CI, from the job's secrets)"
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
                if self.kind == SecretKind::ClientCredential {
                    " or `client_secret_command`"
                } else {
                    ""
                }
            ))),
        }
    }

    /// The keyring's value, whole: a private key may be kept in several entries.
    fn keyring_get(&self) -> Result<Option<Secret>> {
        match self.kind {
            SecretKind::ClientKey => {
                super::refresh::join(&mut KeyringEntries(self.kind), &self.keyring_account)
            }
            _ => keyring_get(self.kind, &self.keyring_account),
        }
    }

    /// Stores `value` as this source's keyring entry (several, for a private key too long for
    /// one).
    pub fn keyring_set(&self, value: &Secret) -> Result<()> {
        match self.kind {
            SecretKind::ClientKey => super::refresh::split(
                &mut KeyringEntries(self.kind),
                &self.keyring_account,
                value,
                super::refresh::KEYRING_LIMIT,
            ),
            _ => super::keyring::keyring_set(self.kind, &self.keyring_account, value),
        }
    }

    /// Removes this source's keyring entry (and its parts); `Ok(false)` when there was none.
    pub fn keyring_delete(&self) -> Result<bool> {
        match self.kind {
            SecretKind::ClientKey => {
                super::refresh::remove(&mut KeyringEntries(self.kind), &self.keyring_account)
            }
            _ => super::keyring::keyring_delete(self.kind, &self.keyring_account),
        }
    }

    /// The handed-over variable, when it was set but empty.
    fn handed_empty(&self) -> Option<&'static str> {
        match &self.handed {
            Some(HandedSecret {
                var,
                value: Handed::Empty,
            }) => Some(var),
            _ => None,
        }
    }

    /// The handed-over variable, when it was not set.
    fn handed_unset(&self) -> Option<&'static str> {
        match &self.handed {
            Some(HandedSecret {
                var,
                value: Handed::Unset,
            }) => Some(var),
            _ => None,
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
        // What comes first, for the keyring's "not consulted" line.
        let mut first = String::new();
        if let Some(HandedSecret { var, value }) = &self.handed {
            lines.push(match value {
                Handed::Value(_) => {
                    in_use = Some("env");
                    first = format!("${var}");
                    format!("${var}: set (read when oauthctl started)")
                }
                Handed::Empty => format!("${var}: set but empty"),
                Handed::Unset => format!("${var}: not set"),
            });
        }
        match &self.env {
            Some(var) if self.env_value().is_some() => {
                lines.push(format!("{env_key}: ${var} is set"));
                if in_use.is_none() {
                    in_use = Some("env");
                    first = env_key.to_string();
                }
            }
            Some(var) if self.empty_env().is_some() => {
                lines.push(format!("{env_key}: ${var} is set but empty"));
            }
            Some(var) => lines.push(format!("{env_key}: ${var} is not set")),
            None => lines.push(format!("{env_key}: not configured")),
        }
        if self.kind == SecretKind::ClientCredential {
            match &self.command {
                Some(command) => {
                    lines.push(format!("client_secret_command: configured ({command})"));
                    if in_use.is_none() {
                        in_use = Some("command");
                        first = "client_secret_command".to_string();
                    }
                }
                None => lines.push("client_secret_command: not configured".into()),
            }
        }
        if in_use.is_some() {
            lines.push(format!("keyring: not consulted ({first} comes first)"));
            return (lines, in_use);
        }
        let keyring = keyring_name();
        let account = &self.keyring_account;
        match self.keyring_get() {
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
        if let Some(file) = &self.file
            && in_use.is_none()
        {
            lines.push(format!(
                "{}: {} (field {})",
                file.what,
                file.path.display(),
                file.field
            ));
            in_use = Some(file.what);
        }
        (lines, in_use)
    }
}
