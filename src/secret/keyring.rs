//! The OS keyring: the macOS Keychain, the Windows Credential Manager, or the Secret Service
//! (reached over D-Bus), through the keyring crate. A failure names the keyring and says what to
//! do instead.

use anyhow::{Result, anyhow};

use super::{Secret, SecretKind};

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

fn keyring_entry(kind: SecretKind, account: &str) -> Result<keyring::Entry> {
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

/// True where one keyring entry holds too little for some secrets: the Windows Credential Manager
/// keeps at most 2,560 bytes a value (1,280 UTF-16 characters), less than an X.509 private key of
/// 4,096 bits in PEM. There every secret is kept as refresh tokens are, split over several entries
/// when it is longer (see [`super::refresh`]); elsewhere a secret is one entry, as it always was.
const SPLIT: bool = cfg!(windows);

/// Reads the secret stored for `account`; `Ok(None)` when the keyring works but holds none.
pub fn keyring_get(kind: SecretKind, account: &str) -> Result<Option<Secret>> {
    if SPLIT {
        return super::refresh::join(&mut KeyringEntries(kind), account);
    }
    entry_get(kind, account)
}

/// Reads one keyring entry.
fn entry_get(kind: SecretKind, account: &str) -> Result<Option<Secret>> {
    match keyring_entry(kind, account)?.get_password() {
        Ok(value) => Ok(Some(Secret::new(value))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(err) => Err(keyring_error(err, "read")),
    }
}

/// Stores the secret for `account`. A failure says what could not be stored and what to do
/// instead: headless machines have no keyring, and the profile can give the secret another way.
pub fn keyring_set(kind: SecretKind, account: &str, secret: &Secret) -> Result<()> {
    keyring_set_named(kind, kind.noun(), account, secret)
}

/// [`keyring_set`], naming the secret `noun` in messages (an X.509 private key is no client
/// secret, though stored as one).
pub fn keyring_set_named(
    kind: SecretKind,
    noun: &str,
    account: &str,
    secret: &Secret,
) -> Result<()> {
    if SPLIT {
        let mut entries = Named {
            kind,
            noun,
            account,
        };
        return super::refresh::split(&mut entries, account, secret, super::refresh::KEYRING_LIMIT);
    }
    entry_set(kind, noun, account, account, secret)
}

/// Writes one keyring entry, `entry`; a failure names the secret as the `noun` for `account`.
fn entry_set(
    kind: SecretKind,
    noun: &str,
    account: &str,
    entry: &str,
    secret: &Secret,
) -> Result<()> {
    let result = keyring::Entry::new(kind.keyring_service(), entry)
        .and_then(|entry| entry.set_password(secret.expose()));
    let Err(err) = result else {
        return Ok(());
    };
    let hint = match &err {
        keyring::Error::NoDefaultStore | keyring::Error::PlatformFailure(_) => {
            let instead = match kind {
                SecretKind::ClientCredential => "client_secret_env or client_secret_command",
                SecretKind::Password => "password_env",
                SecretKind::RefreshToken => "refresh_token_store = \"file\"",
                SecretKind::DpopKey => "dpop_key_store = \"file\"",
                SecretKind::ClientKey => "client_key (the PEM file's path)",
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

/// Removes the stored secret (all its parts); `Ok(false)` when there was none.
pub fn keyring_delete(kind: SecretKind, account: &str) -> Result<bool> {
    if SPLIT {
        return super::refresh::remove(&mut KeyringEntries(kind), account);
    }
    entry_delete(kind, account)
}

/// Removes one keyring entry; `Ok(false)` when there was none.
fn entry_delete(kind: SecretKind, account: &str) -> Result<bool> {
    match keyring_entry(kind, account)?.delete_credential() {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(err) => Err(keyring_error(err, "delete")),
    }
}

/// The keyring entries of one kind, each on its own, for values split over several (see
/// [`super::refresh`]).
pub struct KeyringEntries(pub SecretKind);

impl super::refresh::Entries for KeyringEntries {
    fn get(&mut self, account: &str) -> Result<Option<String>> {
        Ok(entry_get(self.0, account)?.map(|s| s.expose().to_string()))
    }
    fn set(&mut self, account: &str, value: &str) -> Result<()> {
        entry_set(self.0, self.0.noun(), account, account, &Secret::new(value))
    }
    fn delete(&mut self, account: &str) -> Result<bool> {
        entry_delete(self.0, account)
    }
}

/// [`KeyringEntries`] whose failures to write name the secret as the user knows it (`noun` for
/// `account`), not the entry that holds a part of it.
struct Named<'a> {
    kind: SecretKind,
    noun: &'a str,
    account: &'a str,
}

impl super::refresh::Entries for Named<'_> {
    fn get(&mut self, entry: &str) -> Result<Option<String>> {
        KeyringEntries(self.kind).get(entry)
    }
    fn set(&mut self, entry: &str, value: &str) -> Result<()> {
        entry_set(
            self.kind,
            self.noun,
            self.account,
            entry,
            &Secret::new(value),
        )
    }
    fn delete(&mut self, entry: &str) -> Result<bool> {
        KeyringEntries(self.kind).delete(entry)
    }
}
