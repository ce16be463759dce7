//! The resource owner password credentials grant (RFC 6749 §4.3): a user's name and password
//! beside the client's own authentication, SAP BTP's default for its service keys (`grant_type`
//! `user_token`, docs/providers.md §5). With two-factor authentication SAP wants the one-time
//! passcode appended to the password.

use anyhow::{Result, bail};

use super::GrantProof;
use crate::secret::{Secret, SecretSource};

/// The password grant's user. A profile without one still resolves, so that an imported SAP key
/// can be listed, shown and fixed before its user is added; [`PasswordGrant::user`] is where a
/// missing user stops a token request.
#[derive(Debug, Clone)]
pub struct PasswordGrant {
    pub user: Option<User>,
}

/// A user: the name sent as `username`, and where the password comes from.
#[derive(Debug, Clone)]
pub struct User {
    pub name: String,
    pub password: SecretSource,
}

impl PasswordGrant {
    pub fn username(&self) -> Option<&str> {
        self.user.as_ref().map(|u| u.name.as_str())
    }

    /// The user, or the error that says how to add one.
    pub fn user(&self, profile: &str) -> Result<&User> {
        match &self.user {
            Some(user) => Ok(user),
            None => bail!(
                "profile {profile} uses the password grant but has no username\n\
                 hint: add username = \"you@example.com\" to [profiles.{profile}]\n\
                 hint: then store the user's password with `oauthctl secret set -p {profile} --password`, or name an environment variable holding it with password_env = \"VAR\""
            ),
        }
    }

    pub(super) fn read(&self, profile: &str, passcode: Option<&Secret>) -> Result<GrantProof> {
        let user = self.user(profile)?;
        let password = user.password.resolve(profile)?;
        let password = match passcode {
            Some(code) => Secret::new(format!("{}{}", password.expose(), code.expose())),
            None => password,
        };
        Ok(GrantProof::Password {
            username: user.name.clone(),
            password,
        })
    }
}

pub(super) fn fields<'a>(username: &'a str, password: &'a Secret) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "password"),
        ("username", username),
        ("password", password.expose()),
    ]
}
