//! `oauthctl completions SHELL` and `oauthctl man`: generated from the clap definition, which
//! `cli/` hands over, so they never drift from the real flags. The completion scripts are written
//! here; the man page in `man.rs`. The generated completion files are also committed under
//! `completions/`, and a test fails when they differ from what the binary prints.

use std::io::Write;

use anyhow::Result;
use clap_complete::Shell;

/// What to generate from the command line's definition, which `cli/` hands over.
#[derive(Debug)]
pub enum Generate {
    /// `completions SHELL`.
    Completions {
        shell: Shell,
        cli: Box<clap::Command>,
    },
    /// `man`.
    Man { cli: Box<clap::Command> },
}

pub fn run(what: Generate) -> Result<()> {
    let text = match what {
        Generate::Completions { shell, cli } => script(shell, *cli).into_bytes(),
        Generate::Man { cli } => super::man::render(*cli)?,
    };
    let mut out = std::io::stdout().lock();
    out.write_all(&text)?;
    Ok(out.flush()?)
}

/// The completion script for `shell`. For bash, zsh, fish and PowerShell, the values of
/// `-p/--profile` come from `oauthctl profiles list --names` at completion time, so profile names
/// complete too; the `--config` of the command line being completed is passed on, so that the
/// names are those of the file the command will read.
fn script(shell: Shell, mut cli: clap::Command) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cli, "oauthctl", &mut buf);
    let mut text = String::from_utf8(buf).expect("clap_complete writes UTF-8");
    match shell {
        Shell::Bash => text.push_str(BASH_PROFILES),
        Shell::Fish => text.push_str(FISH_PROFILES),
        Shell::Zsh => {
            // Defined before the script's last lines, which may call _oauthctl at once.
            text = text.replace(":NAME:_default", ":NAME:_oauthctl_profiles");
            let tail = "if [ \"$funcstack[1]\" = \"_oauthctl\" ]; then";
            text = match text.rfind(tail) {
                Some(at) => format!("{}{ZSH_PROFILES}{}", &text[..at], &text[at..]),
                None => format!("{text}\n{ZSH_PROFILES}"),
            };
        }
        Shell::PowerShell => {
            let anchor = "    $commandElements = $commandAst.CommandElements\n";
            text = text.replacen(anchor, &format!("{anchor}{POWERSHELL_PROFILES}"), 1);
        }
        _ => {}
    }
    text
}

/// bash: COMP_WORDS holds the words as typed (quotes, `~`), and splits `--config=PATH` at `=`.
const BASH_PROFILES: &str = r#"
# Profile names for -p/--profile, from the profile file (the one --config names, if any).
_oauthctl_config_arg() {
    local word="$1"
    case "$word" in
        \'*\') word="${word:1:${#word}-2}" ;;
        \"*\") word="${word:1:${#word}-2}" ;;
        *) word="${word//\\/}" ;;
    esac
    [[ "$word" == "~/"* ]] && word="$HOME/${word:2}"
    printf '%s' "$word"
}
_oauthctl_with_profiles() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    if [[ "$prev" == "-p" || "$prev" == "--profile" ]]; then
        local i next config=()
        for (( i = 1; i < ${#COMP_WORDS[@]}; i++ )); do
            case "${COMP_WORDS[i]}" in
                --) break ;;
                --config)
                    next="${COMP_WORDS[i+1]}"
                    [[ "$next" == "=" ]] && next="${COMP_WORDS[i+2]}"
                    config=(--config "$(_oauthctl_config_arg "$next")") ;;
                --config=*) config=(--config "$(_oauthctl_config_arg "${COMP_WORDS[i]#--config=}")") ;;
            esac
        done
        COMPREPLY=($(compgen -W "$(oauthctl "${config[@]}" profiles list --names 2>/dev/null)" -- "$cur"))
        return 0
    fi
    _oauthctl "$@"
}
complete -F _oauthctl_with_profiles -o nosort -o bashdefault -o default oauthctl
"#;

/// zsh: `$words` holds the command line's words as typed; `(Q)` removes their quoting.
const ZSH_PROFILES: &str = r#"# Profile names for -p/--profile, from the profile file (the one --config names, if any).
(( $+functions[_oauthctl_profiles] )) ||
_oauthctl_profiles() {
    local -a names config
    local i
    for (( i = 2; i <= $#words; i++ )); do
        case ${words[i]} in
            --) break ;;
            --config) config=(--config "${(Q)words[i+1]}") ;;
            --config=*) config=(--config "${(Q)${words[i]#--config=}}") ;;
        esac
    done
    [[ ${config[2]} == '~/'* ]] && config[2]="$HOME/${config[2]#\~/}"
    names=(${(f)"$(oauthctl $config profiles list --names 2>/dev/null)"})
    _describe 'profile' names
}

"#;

/// fish: `commandline -op` gives the tokens of the command being completed, unquoted.
const FISH_PROFILES: &str = r#"
# Profile names for -p/--profile, from the profile file (the one --config names, if any).
function __oauthctl_profiles
    set -l tokens (commandline -op)
    set -l config
    for i in (seq (count $tokens))
        switch $tokens[$i]
            case --
                break
            case --config
                if test $i -lt (count $tokens)
                    set config --config $tokens[(math $i + 1)]
                end
            case '--config=*'
                set config --config (string replace -- --config= '' $tokens[$i])
        end
    end
    if set -q config[2]
        set config[2] (string replace -r -- '^~/' "$HOME/" $config[2])
    end
    oauthctl $config profiles list --names 2>/dev/null
end
complete -c oauthctl -s p -l profile -x -a '(__oauthctl_profiles)'
"#;

/// PowerShell: the elements before the cursor are those that end before it (the word being
/// completed ends at it). `-cin`, not `-in`: `-P` is `batch --parallel`. A value that is a string
/// constant (bare or quoted) has its quotes taken off by `.Value`.
const POWERSHELL_PROFILES: &str = r#"
    # Profile names for -p/--profile, from the profile file (the one --config names, if any).
    $before = @($commandElements | Where-Object { $_.Extent.EndOffset -lt $cursorPosition })
    if ($before.Count -gt 1 -and $before[-1].Extent.Text -cin '-p', '--profile') {
        $config = @()
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $text = $commandElements[$i].Extent.Text
            if ($text -ceq '--') { break }
            if ($text -ceq '--config' -and $i + 1 -lt $commandElements.Count) {
                $value = $commandElements[$i + 1]
                $path = if ($value -is [StringConstantExpressionAst]) { $value.Value } else { $value.Extent.Text }
                $config = @('--config', $path)
            } elseif ($text -clike '--config=*') {
                $config = @('--config', $text.Substring(9))
            }
        }
        @(& oauthctl @config profiles list --names 2>$null) |
            Where-Object { $_ -like "$wordToComplete*" } |
            ForEach-Object { [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_) }
        return
    }
"#;
