//! oauthctl: fetch, cache and use OAuth 2.0 access tokens for vendor APIs.
//!
//! `main` parses the command line (cli.rs), turns it into plain values, runs one command, and is
//! the one place that prints an error and picks the exit code (error.rs). The binary is a shim
//! over [`main`]; the library exists so that `fuzz/` can reach the parsers it feeds (the `pub`
//! modules). It has no stable API.

mod basic_memo;
mod cache;
mod cli;
mod commands;
mod error;
mod fsutil;
pub mod jwt;
mod oauth;
mod output;
pub mod paging;
mod preset;
pub mod profile;
mod progress;
pub mod request;
mod secret;
mod service_key;
mod tokens;
mod verbose;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

use cli::{CacheCommand, Cli, Command, PagingStyle, ProfilesCommand, SecretCommand, TokenFormat};
use commands::Selection;

/// The whole program: parse the command line, run one command, print any error, pick the exit
/// code.
pub fn main() -> ExitCode {
    no_core_dumps();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are not errors; everything else clap rejects is a usage error.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                error::code::USAGE
            } else {
                error::code::OK
            });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::from(error::code::OK),
        Err(err) if error::is_broken_pipe(&err) => ExitCode::from(error::code::OK),
        Err(err) if error::is_quiet(&err) => ExitCode::from(error::exit_code(&err)),
        Err(err) => {
            eprintln!("{}", render_error(&err));
            ExitCode::from(error::exit_code(&err))
        }
    }
}

/// A core dump of oauthctl would hold the client secret, the password and the token, and lands
/// where other tools (or users) read it. So, before anything is read: no core file (`RLIMIT_CORE`
/// 0, soft limit only, so a command that `exec` starts may raise it again), and on Linux not
/// dumpable at all (`PR_SET_DUMPABLE` 0), which also covers a `core_pattern` that pipes the dump to
/// a collector, and keeps other processes of the same user from reading this one's memory through
/// /proc or ptrace. Best effort: a failure leaves things as they were.
fn no_core_dumps() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed to them. Should
        // getrlimit fail, both limits stay 0.
        unsafe {
            libc::getrlimit(libc::RLIMIT_CORE, &mut limit);
            limit.rlim_cur = 0;
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: PR_SET_DUMPABLE takes one integer argument and changes only this process.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0 as libc::c_ulong, 0, 0, 0);
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let selection = Selection {
        config: cli.global.config,
        profile: cli.global.profile,
    };
    match cli.command {
        Command::Token(args) if args.check => commands::token::check(&selection),
        Command::Token(args) => {
            let format = match args.format {
                TokenFormat::Raw => commands::token::Format::Raw,
                TokenFormat::Header => commands::token::Format::Header,
                TokenFormat::Json => commands::token::Format::Json,
            };
            let options = tokens::Options {
                refresh: args.refresh,
                no_cache: args.no_cache,
                timeout: Duration::from_secs(args.timeout),
                verbose: args.verbose,
                passcode: args.passcode.map(secret::Secret::new),
            };
            commands::token::run(&selection, format, &options)
        }
        Command::Secret(sub) => {
            use commands::secret::Action;
            let action = match sub {
                SecretCommand::Set(t) => Action::Set {
                    password: t.password,
                },
                SecretCommand::Delete(t) => Action::Delete {
                    password: t.password,
                },
                SecretCommand::Status => Action::Status,
            };
            commands::secret::run(&selection, action)
        }
        Command::Profiles(ProfilesCommand::ImportSapKey {
            file,
            name,
            api,
            username,
            password_env,
        }) => commands::profiles::import_sap_key(
            &selection,
            &file,
            &commands::profiles::Import {
                name,
                api,
                username,
                password_env,
            },
        ),
        Command::Profiles(ProfilesCommand::List { names }) => {
            commands::profiles::list(&selection, names)
        }
        Command::Profiles(ProfilesCommand::Show) => commands::profiles::show(&selection),
        Command::Profiles(ProfilesCommand::Path) => commands::profiles::path(&selection),
        Command::Cache(CacheCommand::List) => commands::cache::list(&selection),
        Command::Cache(CacheCommand::Clear) => commands::cache::clear(&selection),
        Command::Inspect { token } => commands::inspect::run(&selection, token.as_deref()),
        Command::Exec { var, command } => {
            let options = tokens::Options {
                refresh: false,
                no_cache: false,
                timeout: Duration::from_secs(30),
                verbose: false,
                passcode: None,
            };
            commands::exec::run(&selection, &var, &command, &options)
        }
        Command::Doctor { network } => commands::doctor::run(&selection, network),
        Command::Completions { shell } => commands::completions::completions(shell),
        Command::Man => commands::completions::man(),
        Command::Call(args) => {
            use commands::call::{BodyFormat, Data};
            let data = match (args.data, args.json) {
                (Some(data), _) => Some(Data::Form(data)),
                (None, Some(json)) => Some(Data::Json(json)),
                (None, None) => None,
            };
            let body_format = if args.pretty {
                BodyFormat::Pretty
            } else if args.raw {
                BodyFormat::Raw
            } else {
                BodyFormat::Auto
            };
            let paginate = args.paginate.then(|| commands::call::Paginate {
                style: args.paging.map(|style| match style {
                    PagingStyle::OffsetLimit => paging::PageStyle::OffsetLimit,
                    PagingStyle::OffsetPagelength => paging::PageStyle::OffsetPagelength,
                    PagingStyle::Scim => paging::PageStyle::Scim,
                    PagingStyle::PageNumber => paging::PageStyle::PageNumber,
                    PagingStyle::NextPath => paging::PageStyle::NextPath,
                }),
                start: args.start,
                max_items: args.max_items,
                layout: if args.ndjson {
                    output::ItemLayout::Lines
                } else {
                    output::ItemLayout::Array
                },
            });
            let options = commands::call::Options {
                passcode: args.passcode.map(secret::Secret::new),
                method: args.method,
                target: args.target,
                query: args.query,
                headers: args.header,
                data,
                output: args.output,
                include: args.include,
                follow: args.location,
                silent: args.silent,
                verbose: args.verbose,
                timeout: Duration::from_secs(args.timeout),
                body_format,
                retry: request::RetryPolicy {
                    retries: args.retries,
                    retry_all: args.retry_all,
                },
                paginate,
            };
            commands::call::run(&selection, options)
        }
    }
}

/// `oauthctl: <message>: <cause>: ...`, then every `hint:` line of the chain at the end, as cargo
/// does.
pub(crate) fn render_error(err: &anyhow::Error) -> String {
    render(err, "oauthctl: ", "")
}

/// A problem that does not stop the command, as [`render_error`] shows an error:
/// `oauthctl: warning: <message>; <what oauthctl does instead>`, then the hints.
pub(crate) fn render_warning(err: &anyhow::Error, instead: &str) -> String {
    render(err, "oauthctl: warning: ", &format!("; {instead}"))
}

/// `<head><messages><tail>`, then the chain's `hint:` lines, one per line.
fn render(err: &anyhow::Error, head: &str, tail: &str) -> String {
    let (message, hints) = message_and_hints(err);
    let mut out = format!("{head}{message}{tail}");
    for hint in hints {
        out.push('\n');
        out.push_str(&hint);
    }
    out
}

/// The chain's messages joined with `: ` (each once), and its `hint:` lines.
fn message_and_hints(err: &anyhow::Error) -> (String, Vec<String>) {
    let mut messages = Vec::new();
    let mut hints = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        let mut main = Vec::new();
        for line in text.lines() {
            if line.starts_with("hint:") {
                hints.push(line.to_string());
            } else {
                main.push(line);
            }
        }
        let main = main.join("\n");
        if !main.is_empty() && !messages.contains(&main) {
            messages.push(main);
        }
    }
    (messages.join(": "), hints)
}
