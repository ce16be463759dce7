//! Secrets: a type that cannot be printed by accident ([`Secret`]), the places a client secret or a
//! user's password comes from ([`SecretSource`]: an environment variable, a command, the OS keyring,
//! a file a provider names), and a process that keeps them out of core dumps.
//!
//! Order (the README documents it): the profile's `client_secret_env`, then its
//! `client_secret_command`, then the OS keyring (Keychain, Windows Credential Manager, the Secret
//! Service). There is no plaintext fallback: when no keyring is reachable the error says so.
//! The keyring entry is keyed by the client's identity (client id and token host), not by the
//! profile name, so profiles sharing a service account share one secret.

mod command;
mod core_dumps;
mod handed;
mod keyring;
mod prompt;
pub mod refresh;
mod source;

use std::fmt;

pub use core_dumps::forbid_core_dumps;
pub use handed::{CLIENT_SECRET_VAR, PASSWORD_VAR, any_handed, handed_secret, take_handed_secrets};
pub use keyring::{
    KeyringEntries, keyring_delete, keyring_get, keyring_name, keyring_set, keyring_set_named,
};
pub use prompt::{read_secret_input, read_secret_stdin};
pub use refresh::RefreshTokenStore;
pub use source::{Handed, HandedSecret, SecretFile, SecretKind, SecretSource};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_secret_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "(redacted)");
        assert_eq!(format!("{:?}", Some(&s)), "Some((redacted))");
    }
}
