//! Secrets handed to oauthctl in variables of their own (`OAUTHCTL_CLIENT_SECRET`,
//! `OAUTHCTL_PASSWORD`), as CI jobs hand them: read once when oauthctl starts and removed from its
//! environment then, so that no command it runs (`exec`'s, a `client_secret_command`) inherits
//! them.

use std::sync::OnceLock;

use super::Secret;
use super::source::{Handed, HandedSecret};

/// The client secret of the profile from the environment.
pub const CLIENT_SECRET_VAR: &str = "OAUTHCTL_CLIENT_SECRET";
/// The password of the profile from the environment (grant = "password").
pub const PASSWORD_VAR: &str = "OAUTHCTL_PASSWORD";

static HANDED: OnceLock<[HandedSecret; 2]> = OnceLock::new();

/// Takes the handed secrets out of the environment. Call it first thing in `main`, while the
/// process has one thread: changing the environment is only sound then.
pub fn take_handed_secrets() {
    HANDED.get_or_init(|| {
        [CLIENT_SECRET_VAR, PASSWORD_VAR].map(|var| {
            let value = match std::env::var_os(var) {
                None => Handed::Unset,
                Some(v) if v.is_empty() => Handed::Empty,
                // A secret that is not UTF-8 cannot go on the wire as one; it reads as empty, so
                // the message says to give the variable the secret.
                Some(v) => v
                    .into_string()
                    .map(|s| Handed::Value(Secret::new(s)))
                    .unwrap_or(Handed::Empty),
            };
            // SAFETY: called at the start of `main`, before any thread is started, so nothing
            // reads the environment while it changes.
            unsafe { std::env::remove_var(var) };
            HandedSecret { var, value }
        })
    });
}

/// What `var` held when oauthctl started (unset when the secrets were never taken, as in unit
/// tests). A reference to the one copy, which lives as long as the process.
pub fn handed_secret(var: &'static str) -> &'static HandedSecret {
    static NEVER_TAKEN: [HandedSecret; 2] = [
        HandedSecret {
            var: CLIENT_SECRET_VAR,
            value: Handed::Unset,
        },
        HandedSecret {
            var: PASSWORD_VAR,
            value: Handed::Unset,
        },
    ];
    let all = HANDED.get().unwrap_or(&NEVER_TAKEN);
    let found = all.iter().find(|h| h.var == var);
    found.unwrap_or(&NEVER_TAKEN[0])
}

/// Whether any handed secret variable was set at start (even empty): a sign that the profile is
/// meant to come from the environment.
pub fn any_handed() -> bool {
    HANDED
        .get()
        .is_some_and(|all| all.iter().any(|h| !matches!(h.value, Handed::Unset)))
}
