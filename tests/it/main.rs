//! oauthctl's integration tests: one binary that runs the real `oauthctl` against servers on
//! loopback, one module per command, and the safety suites that cut across all of them.

mod common;

// Each command's own tests.
mod batch;
mod cache;
mod call;
mod client_assertion;
mod completions;
mod compression;
// The sign-in tests play the user with sh scripts (tests/oidc/*.sh).
#[cfg(unix)]
mod device;
mod discovery;
mod doctor;
mod dpop;
// exec through sh; windows.rs has its cmd counterpart.
#[cfg(unix)]
mod exec;
mod help;
mod inspect;
#[cfg(unix)]
mod login;
mod oidc;
mod paginate;
mod profile_sources;
mod profiles;
mod providers;
mod secret;
mod token;

// What the build must give (how aws-lc is built), read from the ELF or Mach-O binary's symbols.
#[cfg(unix)]
mod build;

// The safety rules, proven across the whole tool (the README's table).
mod bad_input;
mod crash;
mod leaks;

// What only Windows does (cmd, 32-bit exit codes, the Credential Manager, ACLs); run on the
// Windows runner and under Wine (.ci/windows-tests).
#[cfg(windows)]
mod windows;
