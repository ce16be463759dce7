//! The command line: what the user typed ([`args`], clap's types), turned into what the commands
//! take (`commands::Invocation`, plain values).
//!
//! This is the one place that maps clap's types, so that the commands, and everything below them,
//! can be used and tested without clap, and a flag's meaning is decided once. ripgrep splits its
//! flags the same way (`LowArgs` as typed, `HiArgs` as used).

mod args;

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches};

use crate::commands::{self, Command, Invocation, Selection};
use crate::config::Override;
use crate::error;
use crate::http::client::DEFAULT_TIMEOUT_SECS;
use crate::http::retry::RetryPolicy;
use crate::output::ItemLayout;
use crate::paging::PageStyle;
use crate::secret::Secret;
use crate::tokens;
use args::{
    BatchArgs, CacheCommand, CallArgs, Cli, Command as Typed, EnvShell, PagingStyle,
    ProfilesCommand, SecretCommand, SignInArgs, TokenFormat,
};

/// The command line, parsed and turned into plain values. `Err` is the exit code after clap has
/// printed what it had to say: 0 for `--help` and `--version`, 2 for everything it rejects.
pub fn parse() -> Result<Invocation, ExitCode> {
    let parsed = Cli::command().try_get_matches().and_then(|matches| {
        let cli = checked(Cli::from_arg_matches(&matches)?)?;
        Ok((cli, matches))
    });
    match parsed {
        Ok((cli, matches)) => Ok(invocation(cli, &matches)),
        Err(err) => {
            let _ = err.print();
            Err(ExitCode::from(if err.use_stderr() {
                error::code::USAGE
            } else {
                error::code::OK
            }))
        }
    }
}

/// What clap cannot check by itself: options that only go with a value of another.
fn checked(cli: Cli) -> Result<Cli, clap::Error> {
    if let Typed::Token(args) = &cli.command
        && args.format != TokenFormat::Env
        && (args.env.is_some() || args.shell.is_some())
    {
        let mut command = Cli::command();
        // Built, so that the usage line names `oauthctl token`.
        command.build();
        let token = command
            .find_subcommand_mut("token")
            .expect("token is a subcommand");
        return Err(token.error(
            clap::error::ErrorKind::ArgumentConflict,
            "--env and --shell go with --format env",
        ));
    }
    Ok(cli)
}

/// The clap definition itself, for the completion scripts and the man page.
fn definition() -> Box<clap::Command> {
    Box::new(Cli::command())
}

fn invocation(cli: Cli, matches: &clap::ArgMatches) -> Invocation {
    let mut overrides: Vec<Override> = cli
        .global
        .set
        .into_iter()
        .map(|(key, value)| Override {
            flag: format!("--set {key}={value}"),
            key,
            value,
        })
        .collect();
    // The shorthand is one more --set, after those written out.
    if let Some(id) = cli.global.tsg_id {
        overrides.push(Override {
            flag: format!("--tsg-id {id}"),
            key: "tsg_id".into(),
            value: id,
        });
    }
    let selection = Selection {
        config: cli.global.config,
        profile: cli.global.profile,
        overrides,
    };
    let command = match cli.command {
        Typed::Token(args) if args.check => Command::TokenCheck,
        Typed::Token(args) => Command::Token {
            format: match args.format {
                TokenFormat::Raw => commands::token::Format::Raw,
                TokenFormat::Header => commands::token::Format::Header,
                TokenFormat::Json => commands::token::Format::Json,
                TokenFormat::Env => commands::token::Format::Env {
                    var: args.env.unwrap_or_else(|| "OAUTHCTL_TOKEN".into()),
                    shell: match args.shell.unwrap_or(EnvShell::Posix) {
                        EnvShell::Posix => commands::token::Shell::Posix,
                        EnvShell::Fish => commands::token::Shell::Fish,
                        EnvShell::Powershell => commands::token::Shell::PowerShell,
                    },
                },
            },
            options: tokens::Options {
                refresh: args.refresh,
                no_cache: args.no_cache,
                timeout: Duration::from_secs(args.timeout),
                verbose: args.verbose,
                passcode: args.passcode.map(Secret::new),
                sign_in: sign_in_choice(&args.sign_in, false),
            },
        },
        Typed::Login {
            sign_in,
            timeout,
            verbose,
        } => Command::Login(tokens::Options {
            refresh: false,
            no_cache: false,
            timeout: Duration::from_secs(timeout),
            verbose,
            passcode: None,
            sign_in: sign_in_choice(&sign_in, true),
        }),
        Typed::Logout { no_revoke, timeout } => Command::Logout {
            revoke: !no_revoke,
            timeout: Duration::from_secs(timeout),
        },
        Typed::Secret(sub) => {
            use commands::secret::Action;
            Command::Secret(match sub {
                SecretCommand::Set(t) => Action::Set {
                    password: t.password,
                    key_file: t.key_file,
                },
                SecretCommand::Delete(t) => Action::Delete {
                    password: t.password,
                },
                SecretCommand::Status => Action::Status,
            })
        }
        Typed::Profiles(ProfilesCommand::ImportSapKey {
            file,
            name,
            api,
            username,
            password_env,
        }) => Command::ImportSapKey {
            file,
            import: commands::profiles::Import {
                name,
                api,
                username,
                password_env,
            },
        },
        Typed::Profiles(ProfilesCommand::List { names }) => Command::ProfilesList { names },
        Typed::Profiles(ProfilesCommand::Show) => Command::ProfilesShow,
        Typed::Profiles(ProfilesCommand::Path) => Command::ProfilesPath,
        Typed::Profiles(ProfilesCommand::Add {
            name,
            provider,
            client_id,
            default,
            timeout,
        }) => Command::ProfilesAdd(commands::profiles::Add {
            name,
            provider,
            client_id,
            // The global --set and --tsg-id: here the keys of the new profile.
            set: selection
                .overrides
                .iter()
                .map(|o| (o.key.clone(), o.value.clone()))
                .collect(),
            default,
            timeout: Duration::from_secs(timeout),
        }),
        Typed::Profiles(ProfilesCommand::Use { name }) => Command::ProfilesUse { name },
        Typed::Profiles(ProfilesCommand::Example) => Command::ProfilesExample,
        Typed::Cache(CacheCommand::List) => Command::CacheList,
        Typed::Cache(CacheCommand::Clear) => Command::CacheClear,
        Typed::Inspect { token } => Command::Inspect { token },
        Typed::Exec { var, command } => Command::Exec {
            var,
            command,
            options: tokens::Options {
                refresh: false,
                no_cache: false,
                timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
                verbose: false,
                passcode: None,
                sign_in: Default::default(),
            },
        },
        Typed::Doctor { network } => Command::Doctor { network },
        Typed::Completions { shell } => {
            Command::Generate(commands::completions::Generate::Completions {
                shell,
                cli: definition(),
            })
        }
        Typed::Man => Command::Generate(commands::completions::Generate::Man { cli: definition() }),
        Typed::Call(args) => {
            let fields = match matches.subcommand() {
                Some(("call", call)) => fields_in_order(call),
                _ => Vec::new(),
            };
            Command::Call(Box::new(call_options(*args, fields)))
        }
        Typed::Batch(args) => Command::Batch(batch_options(args)),
    };
    Invocation { selection, command }
}

/// The sign-in flags; `now` for `login`, which signs in whatever is cached or kept.
fn sign_in_choice(args: &SignInArgs, now: bool) -> tokens::SignInChoice {
    tokens::SignInChoice {
        login_timeout: Duration::from_secs(args.login_timeout),
        open_browser: !args.no_browser && !args.paste,
        paste: args.paste,
        now,
    }
}

/// `-f` and `-F` in the order they were typed, which decides where `a[][b]=1` goes: clap's derive
/// keeps each flag's values apart.
fn fields_in_order(call: &clap::ArgMatches) -> Vec<commands::call::Field> {
    use commands::call::Field;
    let typed = |id: &str, field: fn(String) -> Field| -> Vec<(usize, Field)> {
        match (call.indices_of(id), call.get_many::<String>(id)) {
            (Some(at), Some(values)) => at.zip(values.cloned().map(field)).collect(),
            _ => Vec::new(),
        }
    };
    let mut fields = typed("raw_field", Field::Raw);
    fields.extend(typed("field", Field::Typed));
    fields.sort_by_key(|(at, _)| *at);
    fields.into_iter().map(|(_, field)| field).collect()
}

fn call_options(args: CallArgs, fields: Vec<commands::call::Field>) -> commands::call::Options {
    use commands::call::{BodyFormat, Data, Paginate};
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
    let paginate = args.paginate.then(|| Paginate {
        style: args.paging.map(|style| match style {
            PagingStyle::OffsetLimit => PageStyle::OffsetLimit,
            PagingStyle::OffsetPagelength => PageStyle::OffsetPagelength,
            PagingStyle::Scim => PageStyle::Scim,
            PagingStyle::PageNumber => PageStyle::PageNumber,
            PagingStyle::NextPath => PageStyle::NextPath,
        }),
        start: args.start,
        max_items: args.max_items,
        page_size: args.page_size,
        parallel: args.parallel.map(|n| n as usize),
        rate: args.rate,
        layout: if args.ndjson {
            ItemLayout::Lines
        } else {
            ItemLayout::Array
        },
    });
    commands::call::Options {
        passcode: args.passcode.map(Secret::new),
        method: args.method,
        target: args.target,
        query: args.query,
        fields,
        jq: args.jq,
        write_out: args.write_out,
        headers: args.header,
        data,
        output: args.output,
        include: args.include,
        follow: args.location,
        silent: args.silent,
        verbose: args.verbose,
        timeout: Duration::from_secs(args.timeout),
        body_format,
        compressed: !args.no_compressed,
        retry: RetryPolicy {
            retries: args.retries,
            retry_all: args.retry_all,
        },
        paginate,
    }
}

fn batch_options(args: BatchArgs) -> commands::batch::Options {
    commands::batch::Options {
        input: args.file.filter(|path| path.as_os_str() != "-"),
        parallel: usize::from(args.parallel),
        unordered: args.unordered,
        rate: args.rate,
        follow: args.location,
        silent: args.silent,
        timeout: Duration::from_secs(args.timeout),
        retry: RetryPolicy {
            retries: args.retries,
            retry_all: args.retry_all,
        },
        compressed: !args.no_compressed,
        passcode: args.passcode.map(Secret::new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::keys::COMMON_KEYS;
    use crate::providers::PROVIDERS;

    fn man_page() -> String {
        String::from_utf8(commands::man::render(Cli::command()).unwrap()).unwrap()
    }

    #[test]
    fn the_man_page_has_a_section_for_every_command_and_names_no_other_page() {
        let page = man_page();
        for sub in Cli::command().get_subcommands() {
            let title = format!(".SH \"OAUTHCTL {}\"", sub.get_name().to_uppercase());
            assert!(page.contains(&title), "no {title}");
            for leaf in sub.get_subcommands() {
                let title = format!(".SS \"oauthctl {} {}\"", sub.get_name(), leaf.get_name());
                assert!(page.contains(&title), "no {title}");
            }
        }
        assert!(
            !page.contains("oauthctl\\-"),
            "a page that does not exist is named"
        );
        assert!(!page.contains(".SH SUBCOMMANDS"));
    }

    #[test]
    fn the_man_page_lists_every_profile_key_exit_code_and_the_rest() {
        let page = man_page();
        let keys = COMMON_KEYS
            .iter()
            .chain(PROVIDERS.iter().flat_map(|p| p.keys.iter()));
        for (key, _) in keys {
            assert!(
                page.contains(&format!("\\fB{key}\\fR")),
                "no profile key {key}"
            );
        }
        for (code, _) in crate::error::EXIT_CODES {
            assert!(
                page.contains(&format!("\\fB{code}\\fR")),
                "no exit code {code}"
            );
        }
        for section in [
            ".SH \"PROFILE KEYS\"",
            ".SH \"EXIT STATUS\"",
            ".SH ENVIRONMENT",
            ".SH FILES",
            ".SH EXAMPLES",
        ] {
            assert!(page.contains(section), "no {section}");
        }
        assert!(page.contains("\\fBOAUTHCTL_CONFIG\\fR"));
        assert!(page.contains("\\fBOAUTHCTL_CACHE_DIR\\fR"));
    }
}
