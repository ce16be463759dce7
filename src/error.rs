//! Exit codes, and the few failures whose exit code is not 1.
//!
//! The work returns `anyhow::Error`; `main` prints it once and asks [`exit_code`] for the code,
//! which looks for a [`Failure`] anywhere in the chain. The codes are public interface (README).

/// Documented, stable exit codes.
pub mod code {
    pub const OK: u8 = 0;
    /// Any failure without a code of its own: network, files, configuration.
    pub const FAILURE: u8 = 1;
    /// The command line was wrong (clap's code).
    pub const USAGE: u8 = 2;
    /// The token endpoint refused the request (its 400 or 401), or `call` could not get a token.
    pub const TOKEN_REFUSED: u8 = 3;
    /// `call`: the API answered 4xx (the body still went to stdout).
    pub const HTTP_CLIENT_ERROR: u8 = 4;
    /// `call`: the API answered 5xx (the body still went to stdout).
    pub const HTTP_SERVER_ERROR: u8 = 5;
}

/// A failure that has its own exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The token endpoint answered 400 or 401: bad client id or secret, wrong scope, and so on.
    #[error("{0}")]
    TokenRefused(String),
    /// `call` found no token to send: the token endpoint, the secret or the network failed. The
    /// source says which; the exit code says "no token" whatever it was.
    #[error("no access token for profile {profile}")]
    NoToken {
        profile: String,
        #[source]
        source: anyhow::Error,
    },
    /// Something wrong on the command line that clap cannot see: a malformed `-H` or `-q` item, a
    /// URL whose origin the profile does not allow.
    #[error("{0}")]
    Usage(String),
    /// The API answered 4xx. `quiet` (`call -s`) means the summary is not printed.
    #[error("{summary}")]
    HttpClientError { summary: String, quiet: bool },
    /// The API answered 5xx. `quiet` (`call -s`) means the summary is not printed.
    #[error("{summary}")]
    HttpServerError { summary: String, quiet: bool },
    /// Exit with this code and say nothing: `token --check`'s "no", `exec`'s child's own code,
    /// `doctor`'s failed checks (which it has already printed).
    #[error("exit {0}")]
    Exit(u8),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::TokenRefused(_) | Failure::NoToken { .. } => code::TOKEN_REFUSED,
            Failure::Usage(_) => code::USAGE,
            Failure::HttpClientError { .. } => code::HTTP_CLIENT_ERROR,
            Failure::HttpServerError { .. } => code::HTTP_SERVER_ERROR,
            Failure::Exit(code) => *code,
        }
    }
}

/// The exit code for an error: the first [`Failure`] in its chain decides, else 1.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Failure>())
        .map(Failure::exit_code)
        .unwrap_or(code::FAILURE)
}

/// True when the error asks not to be printed: an HTTP status under `call -s`, where the exit code
/// says it all, as with curl's `-s`.
pub fn is_quiet(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<Failure>(),
            Some(
                Failure::HttpClientError { quiet: true, .. }
                    | Failure::HttpServerError { quiet: true, .. }
                    | Failure::Exit(_)
            )
        )
    })
}

/// True when the error is a closed stdout (`oauthctl ... | head`), which is not worth a message.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
