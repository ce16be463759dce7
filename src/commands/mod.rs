//! One module per subcommand. Each takes plain values, which `cli/` makes of the command line;
//! none sees clap but `completions`, which renders clap's definition as scripts and a man page.

pub mod batch;
pub mod cache;
pub mod call;
pub mod completions;
pub mod doctor;
pub mod exec;
pub mod inspect;
pub mod login;
pub mod man;
pub mod profiles;
pub mod secret;
pub mod token;

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::Result;

pub use crate::config::Selection;
use crate::error::Exit;
use crate::tokens;

/// A command line, understood: which profile, and what to do with it.
#[derive(Debug)]
pub struct Invocation {
    pub selection: Selection,
    pub command: Command,
}

/// What to do, with the options each command takes.
#[derive(Debug)]
pub enum Command {
    /// `token`: print a token.
    Token {
        format: token::Format,
        options: tokens::Options,
    },
    /// `token --check`: is a fresh token cached?
    TokenCheck,
    /// `login`: sign a person in now.
    Login(tokens::Options),
    /// `logout`: revoke and forget the profile's tokens.
    Logout {
        revoke: bool,
        timeout: std::time::Duration,
    },
    /// `secret set|delete|status`.
    Secret(secret::Action),
    /// `profiles import-sap-key FILE`.
    ImportSapKey {
        file: PathBuf,
        import: profiles::Import,
    },
    /// `profiles list [--names]`.
    ProfilesList { names: bool },
    /// `profiles show`.
    ProfilesShow,
    /// `profiles path`.
    ProfilesPath,
    /// `profiles add [NAME]`.
    ProfilesAdd(profiles::Add),
    /// `profiles use NAME`.
    ProfilesUse { name: String },
    /// `profiles example`.
    ProfilesExample,
    /// `cache list`.
    CacheList,
    /// `cache clear`.
    CacheClear,
    /// `inspect [TOKEN|-]`.
    Inspect { token: Option<String> },
    /// `exec [--env VAR] -- COMMAND...`.
    Exec {
        var: String,
        command: Vec<OsString>,
        options: tokens::Options,
    },
    /// `doctor [--network]`.
    Doctor { network: bool },
    /// `completions SHELL` and `man`.
    Generate(completions::Generate),
    /// `call [METHOD] PATH_OR_URL` (boxed: its options are many times the size of the others).
    Call(Box<call::Options>),
    /// `batch [FILE|-]`.
    Batch(batch::Options),
}

/// Runs the command. `Ok` carries the exit code of a command that did its work: 0, or the "no"
/// of `token --check`, `doctor` and `exec`'s child.
pub fn run(invocation: Invocation) -> Result<Exit> {
    let selection = &invocation.selection;
    let done = |result: Result<()>| result.map(|()| Exit::SUCCESS);
    match invocation.command {
        Command::Token { format, options } => done(token::run(selection, format, &options)),
        Command::TokenCheck => token::check(selection),
        Command::Login(options) => done(login::login(selection, &options)),
        Command::Logout { revoke, timeout } => done(login::logout(selection, revoke, timeout)),
        Command::Secret(action) => done(secret::run(selection, action)),
        Command::ImportSapKey { file, import } => {
            done(profiles::import_sap_key(selection, &file, &import))
        }
        Command::ProfilesList { names } => done(profiles::list(selection, names)),
        Command::ProfilesShow => done(profiles::show(selection)),
        Command::ProfilesPath => done(profiles::path(selection)),
        Command::ProfilesAdd(add) => done(profiles::add(selection, &add)),
        Command::ProfilesUse { name } => done(profiles::use_profile(selection, &name)),
        Command::ProfilesExample => done(profiles::example()),
        Command::CacheList => done(cache::list(selection)),
        Command::CacheClear => done(cache::clear(selection)),
        Command::Inspect { token } => done(inspect::run(selection, token.as_deref())),
        Command::Exec {
            var,
            command,
            options,
        } => exec::run(selection, &var, &command, &options),
        Command::Doctor { network } => doctor::run(selection, network),
        Command::Generate(what) => done(completions::run(what)),
        Command::Call(options) => done(call::run(selection, *options)),
        Command::Batch(options) => batch::run(selection, options),
    }
}
