//! The grant the token request asks with (the profile's `grant`), one file per grant: the client
//! acting for itself (`client_credentials`), a user's name and password ([`password`]), and a
//! person signing in through a browser ([`authorization_code`], with PKCE) or on another device
//! ([`device_code`]); plus the refresh token that a sign-in leaves (RFC 6749 §6), which is no
//! grant of a profile but a request of its own. Adding a grant is a variant of [`Grant`] and of
//! [`GrantType`], and a file.

pub mod authorization_code;
mod client_credentials;
pub mod device_code;
pub mod password;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Result, bail};
use serde::Deserialize;

pub use authorization_code::{AuthorizationCode, Redirect};
pub use device_code::DeviceCode;
pub use password::{PasswordGrant, User};

use super::TokenRequest;
use super::response::TokenResponse;
use crate::secret::Secret;

/// The grant, with what it needs: the password grant's user and where the password comes from;
/// the authorization code grant's authorization endpoint and redirect.
#[derive(Debug, Clone)]
pub enum Grant {
    /// RFC 6749 §4.4: the client acts for itself.
    ClientCredentials,
    /// RFC 6749 §4.3: a user's name and password (SAP BTP's default).
    Password(PasswordGrant),
    /// RFC 6749 §4.1 with PKCE (RFC 7636): a person signs in in a browser.
    AuthorizationCode(AuthorizationCode),
    /// RFC 8628: a person signs in in a browser, anywhere, with a code oauthctl shows.
    DeviceCode(DeviceCode),
}

/// The values of `grant`, as the profile file names them and `grant_type` sends them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    ClientCredentials,
    Password,
    AuthorizationCode,
    DeviceCode,
}

impl GrantType {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantType::ClientCredentials => "client_credentials",
            GrantType::Password => "password",
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::DeviceCode => "device_code",
        }
    }
}

/// How an interactive sign-in goes: the user's choices (`--login-timeout`, `--no-browser`,
/// `--paste`), where its messages go, and what the token request that follows it needs.
#[derive(Debug, Clone)]
pub struct SignIn<'a> {
    /// How long to wait for the person to finish signing in.
    pub login_timeout: Duration,
    /// A browser may be opened (`false`: `--no-browser`, the URL is printed instead).
    pub open_browser: bool,
    /// Read the redirected URL, or the code, from stdin instead of listening for the browser.
    pub paste: bool,
    /// Says something to the person signing in (stderr).
    pub say: fn(&str),
    /// The profile's name, for messages.
    pub profile: String,
    /// Extra trusted roots for the token endpoint.
    pub ca_file: Option<PathBuf>,
    /// The token request's time limit.
    pub timeout: Duration,
    /// `-v` for the token request.
    pub verbose: bool,
    /// The profile's DPoP key, for the code's exchange (RFC 9449 §5).
    pub dpop: Option<&'a crate::dpop::DpopKey>,
}

/// Writes a sign-in message on stderr.
pub fn say_on_stderr(message: &str) {
    eprintln!("{message}");
}

/// A grant with its secrets read, for one token request.
#[derive(Debug)]
pub enum GrantProof {
    ClientCredentials,
    Password {
        username: String,
        password: Secret,
    },
    /// The code the browser brought back, with the redirect URI it was sent to and the PKCE
    /// verifier (RFC 6749 §4.1.3, RFC 7636 §4.5).
    AuthorizationCode {
        code: Secret,
        redirect_uri: String,
        code_verifier: Secret,
    },
    /// RFC 6749 §6.
    RefreshToken(Secret),
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
            Grant::AuthorizationCode(_) => GrantType::AuthorizationCode,
            Grant::DeviceCode(_) => GrantType::DeviceCode,
        }
    }

    /// True for a grant in which a person signs in: its tokens come from a sign-in, then from the
    /// refresh token it left.
    pub fn is_interactive(&self) -> bool {
        matches!(self, Grant::AuthorizationCode(_) | Grant::DeviceCode(_))
    }

    /// The password grant's user, when it has one.
    pub fn username(&self) -> Option<&str> {
        match self {
            Grant::Password(grant) => grant.username(),
            Grant::ClientCredentials | Grant::AuthorizationCode(_) | Grant::DeviceCode(_) => None,
        }
    }

    /// Refuses a grant that cannot ask for a token as it is: a password grant without a user
    /// (see [`PasswordGrant::user`]). Everything that would read the password or ask for a token
    /// calls this first.
    pub fn require_user(&self, profile: &str) -> Result<()> {
        match self {
            Grant::Password(grant) => grant.user(profile).map(drop),
            Grant::ClientCredentials | Grant::AuthorizationCode(_) | Grant::DeviceCode(_) => Ok(()),
        }
    }

    /// Reads the grant's secrets: the user's password, with a two-factor `passcode` appended.
    /// An interactive grant has none to read: its token comes from [`Grant::sign_in`].
    pub fn read(&self, profile: &str, passcode: Option<&Secret>) -> Result<GrantProof> {
        match self {
            Grant::ClientCredentials => Ok(GrantProof::ClientCredentials),
            Grant::Password(grant) => grant.read(profile, passcode),
            Grant::AuthorizationCode(_) | Grant::DeviceCode(_) => bail!(
                "profile {profile} signs a person in (grant = \"{}\"): its token comes from a sign-in\nhint: run oauthctl login -p {profile}",
                self.grant_type().as_str()
            ),
        }
    }

    /// Signs a person in with the profile's interactive grant and returns the token endpoint's
    /// answer.
    pub fn sign_in(&self, request: &TokenRequest, opts: &SignIn) -> Result<TokenResponse> {
        match self {
            Grant::AuthorizationCode(grant) => authorization_code::sign_in(request, grant, opts),
            Grant::DeviceCode(grant) => device_code::sign_in(
                request,
                grant,
                &device_code::DeviceSignIn {
                    profile: &opts.profile,
                    ca_file: opts.ca_file.as_deref(),
                    token: &super::Options {
                        timeout: opts.timeout,
                        verbose: opts.verbose,
                        passcode: None,
                        memo: None,
                        dpop: opts.dpop,
                    },
                },
            ),
            Grant::ClientCredentials | Grant::Password(_) => bail!(
                "profile {} uses grant = \"{}\", in which nobody signs in\nhint: `oauthctl token -p {}` fetches its tokens",
                opts.profile,
                self.grant_type().as_str(),
                opts.profile
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
            GrantProof::AuthorizationCode {
                code,
                redirect_uri,
                code_verifier,
            } => authorization_code::fields(code, redirect_uri, code_verifier),
            GrantProof::RefreshToken(token) => {
                vec![
                    ("grant_type", "refresh_token"),
                    ("refresh_token", token.expose()),
                ]
            }
            GrantProof::DeviceAuthorization => Vec::new(),
            GrantProof::DeviceCode { device_code } => device_code::fields(device_code),
        }
    }

    /// True when the request sends the profile's `scope`. The code's request does not: the scope
    /// went with the authorization request (RFC 6749 §4.1.3); a refresh keeps the granted scope
    /// when it names none (§6).
    /// The device authorization request carries it; a device code's poll does not (RFC 8628
    /// §3.4).
    pub fn sends_scope(&self) -> bool {
        matches!(
            self,
            GrantProof::ClientCredentials
                | GrantProof::Password { .. }
                | GrantProof::DeviceAuthorization
        )
    }

    /// True when the request sends the profile's `extra_params`: all but a device code's poll,
    /// whose parameters went with the device authorization.
    pub fn sends_extra_params(&self) -> bool {
        !matches!(self, GrantProof::DeviceCode { .. })
    }

    /// The secrets the request carries: the user's password, the authorization code and its
    /// verifier, the refresh token.
    pub fn secrets(&self) -> Vec<&Secret> {
        match self {
            GrantProof::ClientCredentials => vec![],
            GrantProof::Password { password, .. } => vec![password],
            GrantProof::AuthorizationCode {
                code,
                code_verifier,
                ..
            } => vec![code, code_verifier],
            GrantProof::RefreshToken(token) => vec![token],
            GrantProof::DeviceAuthorization => vec![],
            GrantProof::DeviceCode { device_code } => vec![device_code],
        }
    }
}
