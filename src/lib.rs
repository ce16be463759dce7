//! oauthctl: fetch, cache and use OAuth 2.0 access tokens for vendor APIs.
//!
//! The binary is a shim over [`main`]; the library exists so that `fuzz/` can reach the parsers it
//! feeds (the `pub` modules). It has no stable API. The README's "Development" section maps the
//! modules.

mod cli;
mod commands;
pub mod config;
mod dpop;
mod error;
mod fsutil;
pub mod http;
pub mod jwt;
pub mod oauth;
mod output;
pub mod paging;
pub mod providers;
mod scalar;
pub mod secret;
mod tokens;
mod winacl;

use std::process::ExitCode;

/// The whole program: secrets handed in variables taken out of the environment, no core dumps, the
/// command line, one command, its exit code (or its error on stderr and the code for it).
pub fn main() -> ExitCode {
    secret::take_handed_secrets();
    secret::forbid_core_dumps();
    match cli::parse() {
        Ok(invocation) => error::exit(commands::run(invocation)),
        Err(code) => code,
    }
}
