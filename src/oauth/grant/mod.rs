//! The grant the token request asks with (the profile's `grant`), one file per grant: the client
//! acting for itself (`client_credentials`) and a user's name and password ([`password`]).
//! Adding a grant (authorization code, device code, refresh) is a variant of [`Grant`] and of
//! [`GrantType`], and a file.

mod client_credentials;
pub mod password;

use anyhow::Result;
use serde::Deserialize;

pub use password::{PasswordGrant, User};

use crate::secret::Secret;

/// The grant, with what it needs: the password grant's user and where the password comes from.
#[derive(Debug, Clone)]
pub enum Grant {
    /// RFC 6749 §4.4: the client acts for itself.
    ClientCredentials,
    /// RFC 6749 §4.3: a user's name and password (SAP BTP's default).
    Password(PasswordGrant),
}

/// The values of `grant`, as the profile file names them and `grant_type` sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    ClientCredentials,
    Password,
}

impl GrantType {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::ClientCredentials => "client_credentials",
            GrantType::Password => "password",
        }
    }
}

/// A grant with its secrets read, for one token request.
#[derive(Debug)]
pub enum GrantProof {
    ClientCredentials,
    Password { username: String, password: Secret },
}

impl Grant {
    pub fn grant_type(&self) -> GrantType {
        match self {
            Grant::ClientCredentials => GrantType::ClientCredentials,
            Grant::Password(_) => GrantType::Password,
        }
    }

    /// The password grant's user, when it has one.
    pub fn username(&self) -> Option<&str> {
        match self {
            Grant::Password(grant) => grant.username(),
            Grant::ClientCredentials => None,
        }
    }

    /// Refuses a grant that cannot ask for a token as it is: a password grant without a user
    /// (see [`PasswordGrant::user`]). Everything that would read the password or ask for a token
    /// calls this first.
    pub fn require_user(&self, profile: &str) -> Result<()> {
        match self {
            Grant::Password(grant) => grant.user(profile).map(drop),
            Grant::ClientCredentials => Ok(()),
        }
    }

    /// Reads the grant's secrets: the user's password, with a two-factor `passcode` appended.
    pub fn read(&self, profile: &str, passcode: Option<&Secret>) -> Result<GrantProof> {
        match self {
            Grant::ClientCredentials => Ok(GrantProof::ClientCredentials),
            Grant::Password(grant) => grant.read(profile, passcode),
        }
    }
}

impl GrantProof {
    /// The grant's fields of the token request: `grant_type` and what it carries.
    pub fn fields(&self) -> Vec<(&str, &str)> {
        match self {
            GrantProof::ClientCredentials => client_credentials::fields(),
            GrantProof::Password { username, password } => password::fields(username, password),
        }
    }

    /// The user's password the request carries, if any.
    pub fn password(&self) -> Option<&Secret> {
        match self {
            GrantProof::Password { password, .. } => Some(password),
            GrantProof::ClientCredentials => None,
        }
    }
}
