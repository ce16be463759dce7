//! `oauthctl man`: one complete man page, generated from what `--help` is generated from (the clap
//! definition: every command, option and example) and, for what clap does not hold, from the
//! tables the code itself checks against: the profile keys (`config::keys::COMMON_KEYS` and each
//! provider's own) and the exit codes (`error::EXIT_CODES`).
//!
//! Every command is a section of this one page (`OAUTHCTL TOKEN`, ...), as `man oauthctl` is
//! where people look; no other page is named, as there are none.

use std::fmt::Write as _;

use anyhow::Result;
use roff::{Roff, bold, italic, roman};

use crate::config::keys::COMMON_KEYS;
use crate::error::EXIT_CODES;
use crate::providers::PROVIDERS;

/// Environment variables that change what oauthctl does, besides those clap reads for options
/// (`$OAUTHCTL_CONFIG`, `$OAUTHCTL_PROFILE`), which the page takes from the definition.
const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "OAUTHCTL_CACHE_DIR",
        "The token cache folder, instead of <cache dir>/oauthctl.",
    ),
    (
        "OAUTHCTL_TOKEN",
        "Where exec puts the token for its command, unless --env names another variable.",
    ),
    (
        "OAUTHCTL_RESOLVE",
        "HOST=IP:PORT[,HOST=IP:PORT...]: connections for HOST go to IP:PORT, as curl's --connect-to sends them; TLS still verifies HOST.",
    ),
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        "Proxies, as curl reads them (lower case too). A loopback host is never reached through a proxy.",
    ),
    (
        "NO_COLOR",
        "Set and not empty: no colour in indented JSON or in doctor's marks (https://no-color.org).",
    ),
    (
        "DBUS_SESSION_BUS_ADDRESS",
        "The D-Bus session bus on which the Secret Service (the keyring on Linux) is reached.",
    ),
    (
        "OAUTHCTL_<KEY>",
        "With no profile file, or with -p env, the profile is read from these variables, one per profile key in upper case: OAUTHCTL_PROVIDER, OAUTHCTL_CLIENT_ID, OAUTHCTL_TSG_ID, ... A variable set but empty is an error.",
    ),
    (
        "OAUTHCTL_CLIENT_SECRET, OAUTHCTL_PASSWORD",
        "The client secret and the user's password of the profile from the environment. oauthctl reads them once when it starts and removes them from its environment, so the commands it runs (exec, client_secret_command) never see them.",
    ),
    (
        "the profile's client_secret_env and password_env",
        "The variables a profile names hold its client secret and its user's password; they come before the keyring.",
    ),
];

/// Files oauthctl reads and writes.
const FILES: &[(&str, &str)] = &[
    (
        "<config dir>/oauthctl/profiles.toml",
        "The profile file, unless --config or $OAUTHCTL_CONFIG names another. The config dir is ~/.config on Linux, ~/Library/Application Support on macOS, %APPDATA% on Windows.",
    ),
    (
        "sap-keys/NAME.json beside the profile file",
        "The copy of a service key that profiles import-sap-key keeps for profile NAME, without its secret.",
    ),
    (
        "<cache dir>/oauthctl/",
        "The token cache (mode 0700): one HASH.json entry per token (mode 0600, never a refresh token), its HASH.lock, and HASH.basic notes of the HTTP Basic spelling a token endpoint took. The cache dir is ~/.cache on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows.",
    ),
];

/// The page, in roff.
pub fn render(cli: clap::Command) -> Result<Vec<u8>> {
    let mut page = String::new();
    let top = clap_mangen::Man::new(cli.clone());
    page.push_str(&rendered(|w| top.render_title(w))?);
    page.push_str(&section(|w| top.render_name_section(w))?);
    page.push_str(&section(|w| top.render_synopsis_section(w))?);
    page.push_str(&section(|w| top.render_description_section(w))?);
    page.push_str(&section(|w| top.render_options_section(w))?);
    page.push_str(&commands_overview(&cli));
    let commands: Vec<&clap::Command> = cli
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
        .collect();
    for sub in commands {
        page.push_str(&command_section(sub)?);
    }
    page.push_str(&profile_keys());
    page.push_str(&exit_status());
    page.push_str(&environment(&cli));
    page.push_str(&definitions("FILES", FILES));
    page.push_str(&examples("EXAMPLES", &cli));
    let mut see_also = Roff::new();
    see_also.control("SH", ["SEE ALSO"]).text([
        bold("curl"),
        roman("(1), "),
        bold("jq"),
        roman("(1); the README, and docs/providers.md for each vendor's token request, errors and paging."),
    ]);
    page.push_str(&body(see_also.render()));
    Ok(page.into_bytes())
}

/// One line per command, as `oauthctl --help` lists them.
fn commands_overview(cli: &clap::Command) -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]).text([roman(
        "--config and -p/--profile (see OPTIONS) go with every command, before or after its name. Each command has a section of its own below.",
    )]);
    for sub in cli.get_subcommands().filter(|s| s.get_name() != "help") {
        roff.control("TP", [])
            .text([bold(format!("oauthctl {}", sub.get_name()))])
            .text([roman(about(sub))]);
    }
    body(roff.render())
}

/// A command's section: what it does, then its synopsis, options and examples; a command with
/// commands of its own (`secret`, `profiles`, `cache`) gets a part for each.
fn command_section(sub: &clap::Command) -> Result<String> {
    let mut out = String::new();
    let mut head = Roff::new();
    head.control(
        "SH",
        [format!("OAUTHCTL {}", sub.get_name().to_uppercase()).as_str()],
    )
    .text([roman(about(sub))]);
    out.push_str(&body(head.render()));
    let leaves: Vec<(String, &clap::Command)> = if sub.has_subcommands() {
        sub.get_subcommands()
            .filter(|leaf| leaf.get_name() != "help")
            .map(|leaf| (format!("{} {}", sub.get_name(), leaf.get_name()), leaf))
            .collect()
    } else {
        vec![(sub.get_name().to_string(), sub)]
    };
    let nested = sub.has_subcommands();
    for (path, leaf) in leaves {
        let name = format!("oauthctl {path}");
        let man = clap_mangen::Man::new(leaf.clone().bin_name(&name));
        if nested {
            let mut title = Roff::new();
            title
                .control("SS", [name.as_str()])
                .text([roman(about(leaf))]);
            out.push_str(&body(title.render()));
        }
        // The command's own parts, one level down: .SH becomes .SS (or, for the parts of a
        // nested command, a bold paragraph title).
        for part in [
            section(|w| man.render_synopsis_section(w))?,
            section(|w| man.render_options_section(w))?,
        ] {
            out.push_str(&demoted(&part, nested));
        }
        out.push_str(&examples_part(leaf, nested));
    }
    Ok(out)
}

/// A command's `after_help`, which opens with "Examples:", as a block kept as typed.
fn examples_part(cmd: &clap::Command, nested: bool) -> String {
    let Some(text) = cmd.get_after_help().map(|t| t.to_string()) else {
        return String::new();
    };
    let text = text.strip_prefix("Examples:\n").unwrap_or(&text);
    let mut roff = Roff::new();
    if nested {
        roff.control("PP", [])
            .text([italic("Examples")])
            .control("br", []);
    } else {
        roff.control("SS", ["EXAMPLES"]);
    }
    preformatted(&mut roff, text);
    body(roff.render())
}

/// The top-level command's examples, as their own section.
fn examples(title: &str, cli: &clap::Command) -> String {
    let Some(text) = cli.get_after_help().map(|t| t.to_string()) else {
        return String::new();
    };
    let text = text.strip_prefix("Examples:\n").unwrap_or(&text);
    let mut roff = Roff::new();
    roff.control("SH", [title]);
    preformatted(&mut roff, text);
    roff.text([roman(
        "Each command's section above ends with examples of its own.",
    )]);
    body(roff.render())
}

/// Lines kept as typed (no filling, no adjusting), indented.
fn preformatted(roff: &mut Roff, text: &str) {
    roff.control("RS", ["4"]).control("nf", []);
    for line in text.lines() {
        roff.text([roman(line)]);
    }
    roff.control("fi", []).control("RE", []);
}

/// The common keys, then each provider's own.
fn profile_keys() -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["PROFILE KEYS"]).text([roman(
        "Profiles are tables under [profiles.NAME] in the profile file (TOML). A key a profile sets itself overrides what its provider fills in; an unknown key is an error naming its line and the nearest valid key. File paths may start with ~/; a relative path is relative to the profile file's folder.",
    )]);
    for (key, meaning) in COMMON_KEYS {
        roff.control("TP", [])
            .text([bold(*key)])
            .text([roman(*meaning)]);
    }
    for provider in PROVIDERS {
        roff.control(
            "SS",
            [format!("Keys of provider {}", provider.name).as_str()],
        )
        .text([roman(format!("{}.", provider.title))]);
        for (key, meaning) in provider.keys {
            roff.control("TP", [])
                .text([bold(*key)])
                .text([roman(*meaning)]);
        }
    }
    body(roff.render())
}

fn exit_status() -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_CODES {
        roff.control("TP", [])
            .text([bold(*code)])
            .text([roman(*meaning)]);
    }
    body(roff.render())
}

/// The variables clap reads for options, then the others.
fn environment(cli: &clap::Command) -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["ENVIRONMENT"]);
    for arg in cli.get_arguments() {
        if let Some(var) = arg.get_env() {
            let option = arg
                .get_long()
                .map(|long| format!("--{long}"))
                .unwrap_or_default();
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            roff.control("TP", [])
                .text([bold(var.to_string_lossy())])
                .text([roman(format!("As {option}: {help}."))]);
        }
    }
    for (name, meaning) in ENVIRONMENT {
        roff.control("TP", [])
            .text([bold(*name)])
            .text([roman(*meaning)]);
    }
    body(roff.render())
}

/// A section of terms and what each is.
fn definitions(title: &str, entries: &[(&str, &str)]) -> String {
    let mut roff = Roff::new();
    roff.control("SH", [title]);
    for (term, meaning) in entries {
        roff.control("TP", [])
            .text([italic(*term)])
            .text([roman(*meaning)]);
    }
    body(roff.render())
}

fn about(cmd: &clap::Command) -> String {
    cmd.get_about().map(|a| a.to_string()).unwrap_or_default()
}

/// What a clap_mangen render writes, as text.
fn rendered(render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Result<String> {
    let mut buf = Vec::new();
    render(&mut buf)?;
    Ok(String::from_utf8(buf)?)
}

/// The same, without the preamble each render repeats (the page has it once, from the title).
fn section(render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> Result<String> {
    Ok(body(rendered(render)?))
}

/// roff's output less its preamble (two lines that define the apostrophe string).
fn body(text: String) -> String {
    let mut lines = text.lines().peekable();
    let mut out = String::new();
    while lines
        .peek()
        .is_some_and(|l| l.starts_with(".ie \\n(.g") || l.starts_with(".el .ds Aq"))
    {
        lines.next();
    }
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    out
}

/// A command's part one level down: `.SH SYNOPSIS` becomes `.SS SYNOPSIS`, or within a nested
/// command's part, an italic paragraph title.
fn demoted(part: &str, nested: bool) -> String {
    let mut out = String::new();
    for line in part.lines() {
        match line.strip_prefix(".SH ") {
            Some(title) if nested => {
                let title = title.trim_matches('"');
                let word = format!("{}{}", &title[..1], title[1..].to_lowercase());
                let _ = writeln!(out, ".PP\n\\fI{word}\\fR\n.br");
            }
            Some(title) => {
                let _ = writeln!(out, ".SS {title}");
            }
            None => {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    out
}
