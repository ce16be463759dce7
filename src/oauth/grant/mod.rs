//! The grant the token request asks with (the profile's `grant`), one file per grant: the client
//! acting for itself (`client_credentials`), a user's name and password ([`password`]), and a
//! person signing in on another device ([`device_code`]). Adding a grant (authorization code,
//! refresh) is a variant of [`Grant`] and of [`GrantType`], and a file.

mod client_credentials;
pub mod device_code;
pub mod password;

use anyhow::{Result, bail};
use serde::Deserialize;

pub use device_code::DeviceCode;
pub use password::{PasswordGrant, User};

use crate::secret::Secret;

/// The grant, with what it needs: the password grant's user and where the password comes from.
#[derive(Debug, Clone)]
pub enum Grant {
    /// RFC 6749 §4.4: the client acts for itself.
    ClientCredentials,
    /// RFC 6749 §4.3: a user's name and password (SAP BTP's default).
    Password(PasswordGrant),
    /// RFC 8628: a person signs in in a browser, anywhere, with a code oauthctl shows.
    DeviceCode(DeviceCode),
}

/// The values of `grant`, as the profile file names them and `grant_type` sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    ClientCredentials,
    Password,
    DeviceCode,
}

impl GrantType {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::ClientCredentials => "client_credentials",
            GrantType::Password => "password",
            GrantType::DeviceCode => "device_code",
        }
    }
}

/// A grant with its secrets read, for one token request.
#[derive(Debug)]
pub enum GrantProof {
    ClientCredentials,
    Password {
        username: String,
        password: Secret,
    },
    /// The device authorization request (RFC 8628 §3.1), before there is a device code: it sends
    /// the client's authentication, the scope and the extra parameters, and no grant.
    DeviceAuthorization,
    /// A poll of the token endpoint with the device code the device authorization gave
    /// (RFC 8628 §3.4).
    DeviceCode {
        device_code: Secret,
    },
}

impl Grant {
    pub fn grant_type(&self) -> GrantType {
        match self {
            Grant::ClientCredentials => GrantType::ClientCredentials,
            Grant::Password(_) => GrantType::Password,
            Grant::DeviceCode(_) => GrantType::DeviceCode,
        }
    }

    /// The password grant's user, when it has one.
    pub fn username(&self) -> Option<&str> {
        match self {
            Grant::Password(grant) => grant.username(),
            Grant::ClientCredentials | Grant::DeviceCode(_) => None,
        }
    }

    /// Refuses a grant that cannot ask for a token as it is: a password grant without a user
    /// (see [`PasswordGrant::user`]). Everything that would read the password or ask for a token
    /// calls this first.
    pub fn require_user(&self, profile: &str) -> Result<()> {
        match self {
            Grant::Password(grant) => grant.user(profile).map(drop),
            Grant::ClientCredentials | Grant::DeviceCode(_) => Ok(()),
        }
    }

    /// Reads the grant's secrets: the user's password, with a two-factor `passcode` appended. The
    /// device flow has none to read: its device code comes from [`device_code::sign_in`], which is
    /// how its token is asked for.
    pub fn read(&self, profile: &str, passcode: Option<&Secret>) -> Result<GrantProof> {
        match self {
            Grant::ClientCredentials => Ok(GrantProof::ClientCredentials),
            Grant::Password(grant) => grant.read(profile, passcode),
            Grant::DeviceCode(_) => bail!(
                "profile {profile} signs people in with the device flow, which this command does not run"
            ),
        }
    }
}

impl GrantProof {
    /// The grant's fields of the token request: `grant_type` and what it carries.
    pub fn fields(&self) -> Vec<(&str, &str)> {
        match self {
            GrantProof::ClientCredentials => client_credentials::fields(),
            GrantProof::Password { username, password } => password::fields(username, password),
            GrantProof::DeviceAuthorization => Vec::new(),
            GrantProof::DeviceCode { device_code } => device_code::fields(device_code),
        }
    }

    /// Whether the request carries the profile's `scope` and `extra_params`. A device code's
    /// poll does not (RFC 8628 §3.4): the scope was asked for with the device authorization.
    pub fn asks_scope(&self) -> bool {
        !matches!(self, GrantProof::DeviceCode { .. })
    }

    /// The device code a poll carries: never shown, cut out of what the server sends back.
    pub fn device_code(&self) -> Option<&Secret> {
        match self {
            GrantProof::DeviceCode { device_code } => Some(device_code),
            _ => None,
        }
    }

    /// The user's password the request carries, if any.
    pub fn password(&self) -> Option<&Secret> {
        match self {
            GrantProof::Password { password, .. } => Some(password),
            _ => None,
        }
    }
}
