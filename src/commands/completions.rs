//! `oauthctl completions SHELL` and `oauthctl man`: generated from the clap definition, so they
//! never drift from the real flags. The generated completion files are also committed under
//! `completions/`, and a test fails when they differ from what the binary prints.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

/// The completion script for `shell`. For bash, zsh and fish, the values of `-p/--profile` come
/// from `oauthctl profiles list --names` at completion time, so profile names complete too.
pub fn script(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "oauthctl", &mut buf);
    let mut text = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    match shell {
        Shell::Bash => text.push_str(
            r#"
# Profile names for -p/--profile, from the profile file.
_oauthctl_with_profiles() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ "$prev" == "-p" || "$prev" == "--profile" ]]; then
        COMPREPLY=($(compgen -W "$(oauthctl profiles list --names 2>/dev/null)" -- "$cur"))
        return 0
    fi
    _oauthctl "$@"
}
complete -F _oauthctl_with_profiles -o nosort -o bashdefault -o default oauthctl
"#,
        ),
        Shell::Fish => text.push_str(
            "\n# Profile names for -p/--profile, from the profile file.\ncomplete -c oauthctl -s p -l profile -x -a '(oauthctl profiles list --names 2>/dev/null)'\n",
        ),
        Shell::Zsh => {
            // Defined before the script's last lines, which may call _oauthctl at once.
            let helper = "# Profile names for -p/--profile, from the profile file.\n(( $+functions[_oauthctl_profiles] )) ||\n_oauthctl_profiles() {\n    local -a names\n    names=(${(f)\"$(oauthctl profiles list --names 2>/dev/null)\"})\n    _describe 'profile' names\n}\n\n";
            text = text.replace(":NAME:_default", ":NAME:_oauthctl_profiles");
            let tail = "if [ \"$funcstack[1]\" = \"_oauthctl\" ]; then";
            text = match text.rfind(tail) {
                Some(at) => format!("{}{helper}{}", &text[..at], &text[at..]),
                None => format!("{text}\n{helper}"),
            };
        }
        _ => {}
    }
    text
}

pub fn completions(shell: Shell) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(script(shell).as_bytes())?;
    Ok(out.flush()?)
}

pub fn man() -> Result<()> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    // One page with every subcommand, as `man oauthctl` is where people look.
    for sub in Cli::command().get_subcommands() {
        let mut section = Vec::new();
        let man = clap_mangen::Man::new(sub_command(sub.get_name()));
        man.render_name_section(&mut section)?;
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        man.render_options_section(&mut section)?;
        man.render_subcommands_section(&mut section)?;
        man.render_extra_section(&mut section)?;
        buf.extend(section_title(sub.get_name()));
        buf.extend(strip_headers(section));
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&buf)?;
    Ok(out.flush()?)
}

fn sub_command(name: &str) -> clap::Command {
    let cmd = Cli::command();
    let sub = cmd
        .find_subcommand(name)
        .expect("listed subcommand exists")
        .clone();
    sub.name(format!("oauthctl-{name}"))
}

fn section_title(name: &str) -> Vec<u8> {
    format!(".SH \"OAUTHCTL {}\"\n", name.to_uppercase()).into_bytes()
}

/// Each subcommand's sections become subsections of the one page.
fn strip_headers(section: Vec<u8>) -> Vec<u8> {
    String::from_utf8_lossy(&section)
        .replace(".SH ", ".SS ")
        .into_bytes()
}
