
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'oauthctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements

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
    $command = @(
        'oauthctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'oauthctl' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print an access token for the profile, from the cache while it is valid')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign a person in now (grant = "authorization_code"), in the browser, and cache the token')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out: revoke the refresh and access tokens at revocation_url, then forget them here')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Store, remove or check the profile''s client secret in the OS keyring')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List, show and locate profiles; import SAP BTP service keys')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with the profile''s token in its environment, never in its arguments')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Decode a JWT''s header and claims (without verifying them), or say that a token is opaque')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'List or clear cached tokens (never shows a token)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the profile file, the profile, its secret, the cache folder and (--network) the token endpoint')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Send a request to the profile''s API with a cached token; the response body goes to stdout')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Send many requests, one per line of FILE or stdin, with one token and shared connections; one JSON line per answer on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;token' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'What to print on stdout')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the whole token request may take')
            [CompletionResult]::new('--passcode', '--passcode', [CompletionResultType]::ParameterName, 'One-time two-factor passcode, appended to the password (password grant)')
            [CompletionResult]::new('--login-timeout', '--login-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the person to finish signing in')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'With --format env: the variable to set [default: OAUTHCTL_TOKEN]')
            [CompletionResult]::new('--shell', '--shell', [CompletionResultType]::ParameterName, 'With --format env: the shell whose syntax to write [default: posix]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--refresh', '--refresh', [CompletionResultType]::ParameterName, 'Fetch a new token whatever the cache holds, and cache it')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Print nothing; exit 0 when a cached token has more than min_ttl left, 1 when a fetch is needed')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Neither read nor write the token cache')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the token request and response on stderr, with secrets and tokens redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the token request and response on stderr, with secrets and tokens redacted')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the sign-in URL on stderr instead of opening a browser')
            [CompletionResult]::new('--paste', '--paste', [CompletionResultType]::ParameterName, 'For a browser on another machine: print the URL, then read the address the browser was sent to (or the code) from stdin')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oauthctl;login' {
            [CompletionResult]::new('--login-timeout', '--login-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the person to finish signing in')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the token request may take')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--no-browser', '--no-browser', [CompletionResultType]::ParameterName, 'Print the sign-in URL on stderr instead of opening a browser')
            [CompletionResult]::new('--paste', '--paste', [CompletionResultType]::ParameterName, 'For a browser on another machine: print the URL, then read the address the browser was sent to (or the code) from stdin')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show the token request and response on stderr, with secrets and tokens redacted')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show the token request and response on stderr, with secrets and tokens redacted')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;logout' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds each revocation request may take')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--no-revoke', '--no-revoke', [CompletionResultType]::ParameterName, 'Forget the tokens here without revoking them at the server')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;secret' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove the profile''s client secret (or --password) from the OS keyring')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say where the profile''s client secret comes from and whether it is there (never prints it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;secret;set' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'A PEM file of the private key that signs client assertions (client_auth = "private_key_jwt"), or - for stdin; once stored, the file can be deleted')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The user''s password (grant = "password") instead of the client secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;secret;delete' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--password', '--password', [CompletionResultType]::ParameterName, 'The user''s password (grant = "password") instead of the client secret')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;secret;status' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;secret;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove the profile''s client secret (or --password) from the OS keyring')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say where the profile''s client secret comes from and whether it is there (never prints it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;secret;help;set' {
            break
        }
        'oauthctl;secret;help;delete' {
            break
        }
        'oauthctl;secret;help;status' {
            break
        }
        'oauthctl;secret;help;help' {
            break
        }
        'oauthctl;profiles' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles in the profile file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved profile: preset values marked, the secret''s source, never a secret')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print which profile file is used, and why')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout')
            [CompletionResult]::new('example', 'example', [CompletionResultType]::ParameterValue, 'Print a commented example profile file, with a profile for each provider')
            [CompletionResult]::new('import-sap-key', 'import-sap-key', [CompletionResultType]::ParameterValue, 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;profiles;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'Names only, one per line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;profiles;show' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;profiles;path' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;profiles;add' {
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'The provider: scm, saas-security, asgardeo, entra, okta, keycloak, auth0, oidc')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The OAuth client id (service account)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds the token request may take')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'Make the new profile the default one')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;profiles;use' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;profiles;example' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;profiles;import-sap-key' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name of the new profile')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'Which `endpoints` entry is the API base [default: accounts_service_url]')
            [CompletionResult]::new('--username', '--username', [CompletionResultType]::ParameterName, 'The user of the password grant (keys of grant_type user_token), written as `username`')
            [CompletionResult]::new('--password-env', '--password-env', [CompletionResultType]::ParameterName, 'The environment variable holding that user''s password, written as `password_env`')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;profiles;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles in the profile file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved profile: preset values marked, the secret''s source, never a secret')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print which profile file is used, and why')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout')
            [CompletionResult]::new('example', 'example', [CompletionResultType]::ParameterValue, 'Print a commented example profile file, with a profile for each provider')
            [CompletionResult]::new('import-sap-key', 'import-sap-key', [CompletionResultType]::ParameterValue, 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;profiles;help;list' {
            break
        }
        'oauthctl;profiles;help;show' {
            break
        }
        'oauthctl;profiles;help;path' {
            break
        }
        'oauthctl;profiles;help;add' {
            break
        }
        'oauthctl;profiles;help;use' {
            break
        }
        'oauthctl;profiles;help;example' {
            break
        }
        'oauthctl;profiles;help;import-sap-key' {
            break
        }
        'oauthctl;profiles;help;help' {
            break
        }
        'oauthctl;exec' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'The environment variable that carries the token')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;inspect' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;cache' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One row per cached token: the profiles it serves, its scope and how long it has left')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the selected profile''s cached token (-p or $OAUTHCTL_PROFILE), or every cached token')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;cache;list' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;cache;clear' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;cache;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One row per cached token: the profiles it serves, its scope and how long it has left')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the selected profile''s cached token (-p or $OAUTHCTL_PROFILE), or every cached token')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;cache;help;list' {
            break
        }
        'oauthctl;cache;help;clear' {
            break
        }
        'oauthctl;cache;help;help' {
            break
        }
        'oauthctl;doctor' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--network', '--network', [CompletionResultType]::ParameterName, 'Also send the token endpoint a deliberately invalid request, to check DNS, TLS and that it answers')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;completions' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;man' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;call' {
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Add NAME=VALUE to the query string, percent-encoded (repeatable)')
            [CompletionResult]::new('--query', '--query', [CompletionResultType]::ParameterName, 'Add NAME=VALUE to the query string, percent-encoded (repeatable)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'Add a header over the profile''s headers (repeatable); ''Name:'' removes one. With an Authorization header of your own, no token is fetched')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Add a header over the profile''s headers (repeatable); ''Name:'' removes one. With an Authorization header of your own, no token is fetched')
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Send DATA as the body, as is; @FILE reads a file, @- stdin. Content-Type is application/x-www-form-urlencoded unless a header says otherwise')
            [CompletionResult]::new('--data', '--data', [CompletionResultType]::ParameterName, 'Send DATA as the body, as is; @FILE reads a file, @- stdin. Content-Type is application/x-www-form-urlencoded unless a header says otherwise')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Send DATA (or @FILE, @-) as is, with Content-Type and Accept set to application/json')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Add a string field to a JSON body, as gh api does (repeatable): `a[b]=x` nests, `a[]=x` appends to an array, `a[]` is an empty one. With GET (as under --paginate) they go in the query')
            [CompletionResult]::new('--raw-field', '--raw-field', [CompletionResultType]::ParameterName, 'Add a string field to a JSON body, as gh api does (repeatable): `a[b]=x` nests, `a[]=x` appends to an array, `a[]` is an empty one. With GET (as under --paginate) they go in the query')
            [CompletionResult]::new('-F', '-F ', [CompletionResultType]::ParameterName, 'Add a typed field, as -f does: true, false, null and integers are JSON''s own; @FILE is the file''s text, @- stdin''s; anything else a string (repeatable)')
            [CompletionResult]::new('--field', '--field', [CompletionResultType]::ParameterName, 'Add a typed field, as -f does: true, false, null and integers are JSON''s own; @FILE is the file''s text, @- stdin''s; anything else a string (repeatable)')
            [CompletionResult]::new('--jq', '--jq', [CompletionResultType]::ParameterName, 'Filter the JSON answer with a jq expression, in-process; strings are written raw (as jq -r writes them), other values as compact JSON, one a line. With --paginate it runs on each item. An error answer (4xx, 5xx) is written unfiltered')
            [CompletionResult]::new('-w', '-w', [CompletionResultType]::ParameterName, 'After the answer, write FORMAT to stderr (stdout carries the body alone), as curl -w does: %{http_code} %{time_total} %{url_effective} %{content_type} %{size_download} %{method}, \n for a newline')
            [CompletionResult]::new('--write-out', '--write-out', [CompletionResultType]::ParameterName, 'After the answer, write FORMAT to stderr (stdout carries the body alone), as curl -w does: %{http_code} %{time_total} %{url_effective} %{content_type} %{size_download} %{method}, \n for a newline')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write the body to FILE instead of stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write the body to FILE instead of stdout')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the answer to begin, and for each part of its body')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often to retry a 429, 502, 503 or 504 (waiting as Retry-After says, at most 60 s)')
            [CompletionResult]::new('--passcode', '--passcode', [CompletionResultType]::ParameterName, 'One-time two-factor passcode, appended to the password if a token must be fetched')
            [CompletionResult]::new('--paging', '--paging', [CompletionResultType]::ParameterName, 'How the list pages [default: the profile''s paging, else the provider''s for this path]')
            [CompletionResult]::new('--max-items', '--max-items', [CompletionResultType]::ParameterName, 'With --paginate: stop after N items')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'With --paginate: begin at this offset, startIndex or pageNum (next-path: a path), as a walk that stopped says')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'With --paginate: ask for N items a page [default: the largest the vendor documents]')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'With --paginate: up to N pages in flight at once after the first tells the list''s length; the items are still written in order [default: the profile''s parallel, else the provider''s, else 1]')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'With --paginate: send at most N requests a second (N/s) or a minute (N/min); none lifts the profile''s or provider''s limit [default: the profile''s rate, else the provider''s]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Put the status line and response headers before the body')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Put the status line and response headers before the body')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow redirects; the Authorization header never goes to another origin')
            [CompletionResult]::new('--location', '--location', [CompletionResultType]::ParameterName, 'Follow redirects; the Authorization header never goes to another origin')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'No status line for 4xx/5xx and no retry messages on stderr (other errors still show)')
            [CompletionResult]::new('--silent', '--silent', [CompletionResultType]::ParameterName, 'No status line for 4xx/5xx and no retry messages on stderr (other errors still show)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr, with the token shown as REDACTED')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Show request and response headers on stderr, with the token shown as REDACTED')
            [CompletionResult]::new('--pretty', '--pretty', [CompletionResultType]::ParameterName, 'Indent JSON bodies even when stdout is not a terminal')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Write the body exactly as received (after decompression), even on a terminal')
            [CompletionResult]::new('--no-compressed', '--no-compressed', [CompletionResultType]::ParameterName, 'Ask for no compressed answer (no Accept-Encoding) and write an answer as it comes, compressed or not. By default oauthctl asks for zstd, gzip or brotli and decodes them')
            [CompletionResult]::new('--compressed', '--compressed', [CompletionResultType]::ParameterName, 'Ask for a compressed answer and decode it: the default, accepted as curl users type it')
            [CompletionResult]::new('--retry-all', '--retry-all', [CompletionResultType]::ParameterName, 'Retry POST, PATCH and other methods that are not idempotent, too')
            [CompletionResult]::new('--paginate', '--paginate', [CompletionResultType]::ParameterName, 'Fetch every page of a list (GET only) and write its items as one JSON array')
            [CompletionResult]::new('--ndjson', '--ndjson', [CompletionResultType]::ParameterName, 'With --paginate: one item per line (NDJSON) instead of a JSON array')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'oauthctl;batch' {
            [CompletionResult]::new('-P', '-P ', [CompletionResultType]::ParameterName, 'Send up to N requests at once')
            [CompletionResult]::new('--parallel', '--parallel', [CompletionResultType]::ParameterName, 'Send up to N requests at once')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Send at most N requests a second (N/s) or a minute (N/min), all lines together; none lifts the profile''s or provider''s limit [default: the profile''s rate, else the provider''s]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for each answer to begin, and for each part of its body')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'How often to retry a 429, 502, 503 or 504 (waiting as Retry-After says, at most 60 s)')
            [CompletionResult]::new('--passcode', '--passcode', [CompletionResultType]::ParameterName, 'One-time two-factor passcode, appended to the password if a token must be fetched')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]')
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile')
            [CompletionResult]::new('--tsg-id', '--tsg-id', [CompletionResultType]::ParameterName, 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID')
            [CompletionResult]::new('--unordered', '--unordered', [CompletionResultType]::ParameterName, 'Write each answer as it comes, not in the input''s order')
            [CompletionResult]::new('-L', '-L ', [CompletionResultType]::ParameterName, 'Follow redirects; the Authorization header never goes to another origin')
            [CompletionResult]::new('--location', '--location', [CompletionResultType]::ParameterName, 'Follow redirects; the Authorization header never goes to another origin')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'No line for each 4xx/5xx, no retry messages and no summary on stderr (other errors still show)')
            [CompletionResult]::new('--silent', '--silent', [CompletionResultType]::ParameterName, 'No line for each 4xx/5xx, no retry messages and no summary on stderr (other errors still show)')
            [CompletionResult]::new('--retry-all', '--retry-all', [CompletionResultType]::ParameterName, 'Retry POST, PATCH and other methods that are not idempotent, too')
            [CompletionResult]::new('--no-compressed', '--no-compressed', [CompletionResultType]::ParameterName, 'Ask for no compressed answers (no Accept-Encoding), and leave an answer as it comes')
            [CompletionResult]::new('--compressed', '--compressed', [CompletionResultType]::ParameterName, 'Ask for compressed answers and decode them: the default')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'oauthctl;help' {
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print an access token for the profile, from the cache while it is valid')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign a person in now (grant = "authorization_code"), in the browser, and cache the token')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out: revoke the refresh and access tokens at revocation_url, then forget them here')
            [CompletionResult]::new('secret', 'secret', [CompletionResultType]::ParameterValue, 'Store, remove or check the profile''s client secret in the OS keyring')
            [CompletionResult]::new('profiles', 'profiles', [CompletionResultType]::ParameterValue, 'List, show and locate profiles; import SAP BTP service keys')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Run a command with the profile''s token in its environment, never in its arguments')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Decode a JWT''s header and claims (without verifying them), or say that a token is opaque')
            [CompletionResult]::new('cache', 'cache', [CompletionResultType]::ParameterValue, 'List or clear cached tokens (never shows a token)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check the profile file, the profile, its secret, the cache folder and (--network) the token endpoint')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff)')
            [CompletionResult]::new('call', 'call', [CompletionResultType]::ParameterValue, 'Send a request to the profile''s API with a cached token; the response body goes to stdout')
            [CompletionResult]::new('batch', 'batch', [CompletionResultType]::ParameterValue, 'Send many requests, one per line of FILE or stdin, with one token and shared connections; one JSON line per answer on stdout')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'oauthctl;help;token' {
            break
        }
        'oauthctl;help;login' {
            break
        }
        'oauthctl;help;logout' {
            break
        }
        'oauthctl;help;secret' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Remove the profile''s client secret (or --password) from the OS keyring')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Say where the profile''s client secret comes from and whether it is there (never prints it)')
            break
        }
        'oauthctl;help;secret;set' {
            break
        }
        'oauthctl;help;secret;delete' {
            break
        }
        'oauthctl;help;secret;status' {
            break
        }
        'oauthctl;help;profiles' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the profiles in the profile file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the resolved profile: preset values marked, the secret''s source, never a secret')
            [CompletionResult]::new('path', 'path', [CompletionResultType]::ParameterValue, 'Print which profile file is used, and why')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout')
            [CompletionResult]::new('example', 'example', [CompletionResultType]::ParameterValue, 'Print a commented example profile file, with a profile for each provider')
            [CompletionResult]::new('import-sap-key', 'import-sap-key', [CompletionResultType]::ParameterValue, 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring')
            break
        }
        'oauthctl;help;profiles;list' {
            break
        }
        'oauthctl;help;profiles;show' {
            break
        }
        'oauthctl;help;profiles;path' {
            break
        }
        'oauthctl;help;profiles;add' {
            break
        }
        'oauthctl;help;profiles;use' {
            break
        }
        'oauthctl;help;profiles;example' {
            break
        }
        'oauthctl;help;profiles;import-sap-key' {
            break
        }
        'oauthctl;help;exec' {
            break
        }
        'oauthctl;help;inspect' {
            break
        }
        'oauthctl;help;cache' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'One row per cached token: the profiles it serves, its scope and how long it has left')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Remove the selected profile''s cached token (-p or $OAUTHCTL_PROFILE), or every cached token')
            break
        }
        'oauthctl;help;cache;list' {
            break
        }
        'oauthctl;help;cache;clear' {
            break
        }
        'oauthctl;help;doctor' {
            break
        }
        'oauthctl;help;completions' {
            break
        }
        'oauthctl;help;man' {
            break
        }
        'oauthctl;help;call' {
            break
        }
        'oauthctl;help;batch' {
            break
        }
        'oauthctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
