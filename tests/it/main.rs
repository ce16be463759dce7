//! oauthctl's integration tests: one binary that runs the real `oauthctl` against servers on
//! loopback.

#[macro_use]
mod common;

mod bad_input;
mod call;
mod crash;
mod leaks;
mod paginate;
mod profiles;
mod providers;
mod token;
mod tools;
