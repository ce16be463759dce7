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
    /// The token endpoint refused the request (its 400 or 401), or no token could be had.
    pub const TOKEN_REFUSED: u8 = 3;
}

/// A failure that has its own exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The token endpoint answered 400 or 401: bad client id or secret, wrong scope, and so on.
    #[error("{0}")]
    TokenRefused(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::TokenRefused(_) => code::TOKEN_REFUSED,
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

/// True when the error is a closed stdout (`oauthctl ... | head`), which is not worth a message.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
