# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_oauthctl_global_optspecs
    string join \n config= p/profile= set= tsg-id= h/help V/version
end

function __fish_oauthctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_oauthctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_oauthctl_using_subcommand
    set -l cmd (__fish_oauthctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c oauthctl -n "__fish_oauthctl_needs_command" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_needs_command" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_needs_command" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -s V -l version -d 'Print version'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "token" -d 'Print an access token for the profile, from the cache while it is valid'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "login" -d 'Sign a person in now (grant = "authorization_code"), in the browser, and cache the token'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "logout" -d 'Sign out: revoke the refresh and access tokens at revocation_url, then forget them here'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "secret" -d 'Store, remove or check the profile\'s client secret in the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "profiles" -d 'List, show and locate profiles; import SAP BTP service keys'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "exec" -d 'Run a command with the profile\'s token in its environment, never in its arguments'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "inspect" -d 'Decode a JWT\'s header and claims (without verifying them), or say that a token is opaque'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "cache" -d 'List or clear cached tokens (never shows a token)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "doctor" -d 'Check the profile file, the profile, its secret, the cache folder and (--network) the token endpoint'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "man" -d 'Print the man page (roff)'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "call" -d 'Send a request to the profile\'s API with a cached token; the response body goes to stdout'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "batch" -d 'Send many requests, one per line of FILE or stdin, with one token and shared connections; one JSON line per answer on stdout'
complete -c oauthctl -n "__fish_oauthctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l format -d 'What to print on stdout' -r -f -a "raw\t'The access token alone, then a newline'
header\t'`Authorization: Bearer <token>`, for curl -H'
json\t'The token response with `expires_at` (RFC 3339) and `profile` added'
env\t'`export OAUTHCTL_TOKEN=\'<token>\'`, for eval "$(...)" (see --env and --shell)'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l timeout -d 'Seconds the whole token request may take' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l passcode -d 'One-time two-factor passcode, appended to the password (password grant)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l login-timeout -d 'Seconds to wait for the person to finish signing in' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l env -d 'With --format env: the variable to set [default: OAUTHCTL_TOKEN]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l shell -d 'With --format env: the shell whose syntax to write [default: posix]' -r -f -a "posix\t'sh, bash, zsh, dash, ksh: `export VAR=\'...\'`, for eval'
fish\t'`set -gx VAR \'...\'`, for `| source`'
powershell\t'`$env:VAR = \'...\'`, for `| Invoke-Expression`'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l refresh -d 'Fetch a new token whatever the cache holds, and cache it'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l check -d 'Print nothing; exit 0 when a cached token has more than min_ttl left, 1 when a fetch is needed'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l no-cache -d 'Neither read nor write the token cache'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -s v -l verbose -d 'Show the token request and response on stderr, with secrets and tokens redacted'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l no-browser -d 'Print the sign-in URL on stderr instead of opening a browser'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -l paste -d 'For a browser on another machine: print the URL, then read the address the browser was sent to (or the code) from stdin'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l login-timeout -d 'Seconds to wait for the person to finish signing in' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l timeout -d 'Seconds the token request may take' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l no-browser -d 'Print the sign-in URL on stderr instead of opening a browser'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -l paste -d 'For a browser on another machine: print the URL, then read the address the browser was sent to (or the code) from stdin'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -s v -l verbose -d 'Show the token request and response on stderr, with secrets and tokens redacted'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand login" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l timeout -d 'Seconds each revocation request may take' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -l no-revoke -d 'Forget the tokens here without revoking them at the server'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand logout" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -f -a "set" -d 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -f -a "delete" -d 'Remove the profile\'s client secret (or --password) from the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -f -a "status" -d 'Say where the profile\'s client secret comes from and whether it is there (never prints it)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and not __fish_seen_subcommand_from set delete status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from set" -l key-file -d 'A PEM file of the private key that signs client assertions (client_auth = "private_key_jwt"), or - for stdin; once stored, the file can be deleted' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from set" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from set" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from set" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from set" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from set" -l password -d 'The user\'s password (grant = "password") instead of the client secret'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from delete" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from delete" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from delete" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from delete" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from delete" -l password -d 'The user\'s password (grant = "password") instead of the client secret'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from status" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from status" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from status" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from status" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "set" -d 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Remove the profile\'s client secret (or --password) from the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "status" -d 'Say where the profile\'s client secret comes from and whether it is there (never prints it)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand secret; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -f -a "list" -d 'List the profiles in the profile file'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -f -a "show" -d 'Show the resolved profile: preset values marked, the secret\'s source, never a secret'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -f -a "path" -d 'Print which profile file is used, and why'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -f -a "add" -d 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -f -a "use" -d 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -f -a "example" -d 'Print a commented example profile file, with a profile for each provider'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -f -a "import-sap-key" -d 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and not __fish_seen_subcommand_from list show path add use example import-sap-key help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from list" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from list" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from list" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from list" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from list" -l names -d 'Names only, one per line'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from show" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from show" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from show" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from show" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from path" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from path" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from path" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from path" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -l provider -d 'The provider: scm, saas-security, asgardeo, entra, okta, keycloak, auth0, oidc' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -l client-id -d 'The OAuth client id (service account)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -l timeout -d 'Seconds the token request may take' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -l default -d 'Make the new profile the default one'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from use" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from use" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from use" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from use" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from example" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from example" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from example" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from example" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from example" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -l name -d 'Name of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -l api -d 'Which `endpoints` entry is the API base [default: accounts_service_url]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -l username -d 'The user of the password grant (keys of grant_type user_token), written as `username`' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -l password-env -d 'The environment variable holding that user\'s password, written as `password_env`' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from import-sap-key" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the profiles in the profile file'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the resolved profile: preset values marked, the secret\'s source, never a secret'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print which profile file is used, and why'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "example" -d 'Print a commented example profile file, with a profile for each provider'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "import-sap-key" -d 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand profiles; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exec" -l env -d 'The environment variable that carries the token' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exec" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exec" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exec" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exec" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand exec" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -f -a "list" -d 'One row per cached token: the profiles it serves, its scope and how long it has left'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -f -a "clear" -d 'Remove the selected profile\'s cached token (-p or $OAUTHCTL_PROFILE), or every cached token'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and not __fish_seen_subcommand_from list clear help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from list" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from list" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from list" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from list" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from clear" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from clear" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from clear" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from clear" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from clear" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "list" -d 'One row per cached token: the profiles it serves, its scope and how long it has left'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "clear" -d 'Remove the selected profile\'s cached token (-p or $OAUTHCTL_PROFILE), or every cached token'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand cache; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -l network -d 'Also send the token endpoint a deliberately invalid request, to check DNS, TLS and that it answers'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand doctor" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand completions" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand completions" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand completions" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand completions" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand man" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand man" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand man" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand man" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand man" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s q -l query -d 'Add NAME=VALUE to the query string, percent-encoded (repeatable)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s H -l header -d 'Add a header over the profile\'s headers (repeatable); \'Name:\' removes one. With an Authorization header of your own, no token is fetched' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s d -l data -d 'Send DATA as the body, as is; @FILE reads a file, @- stdin. Content-Type is application/x-www-form-urlencoded unless a header says otherwise' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l json -d 'Send DATA (or @FILE, @-) as is, with Content-Type and Accept set to application/json' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s f -l raw-field -d 'Add a string field to a JSON body, as gh api does (repeatable): `a[b]=x` nests, `a[]=x` appends to an array, `a[]` is an empty one. With GET (as under --paginate) they go in the query' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s F -l field -d 'Add a typed field, as -f does: true, false, null and integers are JSON\'s own; @FILE is the file\'s text, @- stdin\'s; anything else a string (repeatable)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l jq -d 'Filter the JSON answer with a jq expression, in-process; strings are written raw (as jq -r writes them), other values as compact JSON, one a line. With --paginate it runs on each item. An error answer (4xx, 5xx) is written unfiltered' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s w -l write-out -d 'After the answer, write FORMAT to stderr (stdout carries the body alone), as curl -w does: %{http_code} %{time_total} %{url_effective} %{content_type} %{size_download} %{method}, \\n for a newline' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s o -l output -d 'Write the body to FILE instead of stdout' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l timeout -d 'Seconds to wait for the answer to begin, and for each part of its body' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l retries -d 'How often to retry a 429, 502, 503 or 504 (waiting as Retry-After says, at most 60 s)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l passcode -d 'One-time two-factor passcode, appended to the password if a token must be fetched' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l paging -d 'How the list pages [default: the profile\'s paging, else the provider\'s for this path]' -r -f -a "offset-limit\t'offset and limit; items in `data` (Strata Cloud Manager)'
offset-pagelength\t'offset and pagelength; items in `devices` or `items` (IoT Security)'
scim\t'startIndex (from 1) and count; items in `Resources` (SCIM 2, Asgardeo)'
page-number\t'pageNum (from 0) and pageSize; items in `events`, until morePages is false (SAP BTP)'
next-path\t'limit, then the answer\'s nextPath; items in `resources` (SaaS Security)'"
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l max-items -d 'With --paginate: stop after N items' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l start -d 'With --paginate: begin at this offset, startIndex or pageNum (next-path: a path), as a walk that stopped says' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l page-size -d 'With --paginate: ask for N items a page [default: the largest the vendor documents]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l parallel -d 'With --paginate: up to N pages in flight at once after the first tells the list\'s length; the items are still written in order [default: the profile\'s parallel, else the provider\'s, else 1]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l rate -d 'With --paginate: send at most N requests a second (N/s) or a minute (N/min); none lifts the profile\'s or provider\'s limit [default: the profile\'s rate, else the provider\'s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s i -l include -d 'Put the status line and response headers before the body'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s L -l location -d 'Follow redirects; the Authorization header never goes to another origin'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s s -l silent -d 'No status line for 4xx/5xx and no retry messages on stderr (other errors still show)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s v -l verbose -d 'Show request and response headers on stderr, with the token shown as REDACTED'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l pretty -d 'Indent JSON bodies even when stdout is not a terminal'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l raw -d 'Write the body exactly as received (after decompression), even on a terminal'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l no-compressed -d 'Ask for no compressed answer (no Accept-Encoding) and write an answer as it comes, compressed or not. By default oauthctl asks for zstd, gzip or brotli and decodes them'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l compressed -d 'Ask for a compressed answer and decode it: the default, accepted as curl users type it'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l retry-all -d 'Retry POST, PATCH and other methods that are not idempotent, too'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l paginate -d 'Fetch every page of a list (GET only) and write its items as one JSON array'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -l ndjson -d 'With --paginate: one item per line (NDJSON) instead of a JSON array'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand call" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -s P -l parallel -d 'Send up to N requests at once' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l rate -d 'Send at most N requests a second (N/s) or a minute (N/min), all lines together; none lifts the profile\'s or provider\'s limit [default: the profile\'s rate, else the provider\'s]' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l timeout -d 'Seconds to wait for each answer to begin, and for each part of its body' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l retries -d 'How often to retry a 429, 502, 503 or 504 (waiting as Retry-After says, at most 60 s)' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l passcode -d 'One-time two-factor passcode, appended to the password if a token must be fetched' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l config -d 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]' -r -F
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -s p -l profile -d 'Profile to use [default: the file\'s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l set -d 'Set a profile key for this run, over the profile\'s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: \'scope=["a", "b"]\'. For `profiles add`, a key of the new profile' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l tsg-id -d 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID' -r
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l unordered -d 'Write each answer as it comes, not in the input\'s order'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -s L -l location -d 'Follow redirects; the Authorization header never goes to another origin'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -s s -l silent -d 'No line for each 4xx/5xx, no retry messages and no summary on stderr (other errors still show)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l retry-all -d 'Retry POST, PATCH and other methods that are not idempotent, too'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l no-compressed -d 'Ask for no compressed answers (no Accept-Encoding), and leave an answer as it comes'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -l compressed -d 'Ask for compressed answers and decode them: the default'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand batch" -s h -l help -d 'Print help'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "token" -d 'Print an access token for the profile, from the cache while it is valid'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "login" -d 'Sign a person in now (grant = "authorization_code"), in the browser, and cache the token'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "logout" -d 'Sign out: revoke the refresh and access tokens at revocation_url, then forget them here'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "secret" -d 'Store, remove or check the profile\'s client secret in the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "profiles" -d 'List, show and locate profiles; import SAP BTP service keys'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "exec" -d 'Run a command with the profile\'s token in its environment, never in its arguments'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "inspect" -d 'Decode a JWT\'s header and claims (without verifying them), or say that a token is opaque'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "cache" -d 'List or clear cached tokens (never shows a token)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "doctor" -d 'Check the profile file, the profile, its secret, the cache folder and (--network) the token endpoint'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "completions" -d 'Print a shell completion script'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "man" -d 'Print the man page (roff)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "call" -d 'Send a request to the profile\'s API with a cached token; the response body goes to stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "batch" -d 'Send many requests, one per line of FILE or stdin, with one token and shared connections; one JSON line per answer on stdout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and not __fish_seen_subcommand_from token login logout secret profiles exec inspect cache doctor completions man call batch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "set" -d 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "delete" -d 'Remove the profile\'s client secret (or --password) from the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from secret" -f -a "status" -d 'Say where the profile\'s client secret comes from and whether it is there (never prints it)'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "list" -d 'List the profiles in the profile file'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "show" -d 'Show the resolved profile: preset values marked, the secret\'s source, never a secret'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "path" -d 'Print which profile file is used, and why'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "add" -d 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "use" -d 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "example" -d 'Print a commented example profile file, with a profile for each provider'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from profiles" -f -a "import-sap-key" -d 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "list" -d 'One row per cached token: the profiles it serves, its scope and how long it has left'
complete -c oauthctl -n "__fish_oauthctl_using_subcommand help; and __fish_seen_subcommand_from cache" -f -a "clear" -d 'Remove the selected profile\'s cached token (-p or $OAUTHCTL_PROFILE), or every cached token'

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
