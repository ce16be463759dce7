
use builtin;
use str;

set edit:completion:arg-completer[oauthctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'oauthctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'oauthctl'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand token 'Print an access token for the profile, from the cache while it is valid'
            cand login 'Sign a person in now (grant = "authorization_code"), in the browser, and cache the token'
            cand logout 'Sign out: revoke the refresh and access tokens at revocation_url, then forget them here'
            cand secret 'Store, remove or check the profile''s client secret in the OS keyring'
            cand profiles 'List, show and locate profiles; import SAP BTP service keys'
            cand exec 'Run a command with the profile''s token in its environment, never in its arguments'
            cand inspect 'Decode a JWT''s header and claims (without verifying them), or say that a token is opaque'
            cand cache 'List or clear cached tokens (never shows a token)'
            cand doctor 'Check the profile file, the profile, its secret, the cache folder and (--network) the token endpoint'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand call 'Send a request to the profile''s API with a cached token; the response body goes to stdout'
            cand batch 'Send many requests, one per line of FILE or stdin, with one token and shared connections; one JSON line per answer on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;token'= {
            cand --format 'What to print on stdout'
            cand --timeout 'Seconds the whole token request may take'
            cand --passcode 'One-time two-factor passcode, appended to the password (password grant)'
            cand --login-timeout 'Seconds to wait for the person to finish signing in'
            cand --env 'With --format env: the variable to set [default: OAUTHCTL_TOKEN]'
            cand --shell 'With --format env: the shell whose syntax to write [default: posix]'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --refresh 'Fetch a new token whatever the cache holds, and cache it'
            cand --check 'Print nothing; exit 0 when a cached token has more than min_ttl left, 1 when a fetch is needed'
            cand --no-cache 'Neither read nor write the token cache'
            cand -v 'Show the token request and response on stderr, with secrets and tokens redacted'
            cand --verbose 'Show the token request and response on stderr, with secrets and tokens redacted'
            cand --no-browser 'Print the sign-in URL on stderr instead of opening a browser'
            cand --paste 'For a browser on another machine: print the URL, then read the address the browser was sent to (or the code) from stdin'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oauthctl;login'= {
            cand --login-timeout 'Seconds to wait for the person to finish signing in'
            cand --timeout 'Seconds the token request may take'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --no-browser 'Print the sign-in URL on stderr instead of opening a browser'
            cand --paste 'For a browser on another machine: print the URL, then read the address the browser was sent to (or the code) from stdin'
            cand -v 'Show the token request and response on stderr, with secrets and tokens redacted'
            cand --verbose 'Show the token request and response on stderr, with secrets and tokens redacted'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;logout'= {
            cand --timeout 'Seconds each revocation request may take'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --no-revoke 'Forget the tokens here without revoking them at the server'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;secret'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
            cand set 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring'
            cand delete 'Remove the profile''s client secret (or --password) from the OS keyring'
            cand status 'Say where the profile''s client secret comes from and whether it is there (never prints it)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;secret;set'= {
            cand --key-file 'A PEM file of the private key that signs client assertions (client_auth = "private_key_jwt"), or - for stdin; once stored, the file can be deleted'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --password 'The user''s password (grant = "password") instead of the client secret'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;secret;delete'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --password 'The user''s password (grant = "password") instead of the client secret'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;secret;status'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;secret;help'= {
            cand set 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring'
            cand delete 'Remove the profile''s client secret (or --password) from the OS keyring'
            cand status 'Say where the profile''s client secret comes from and whether it is there (never prints it)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;secret;help;set'= {
        }
        &'oauthctl;secret;help;delete'= {
        }
        &'oauthctl;secret;help;status'= {
        }
        &'oauthctl;secret;help;help'= {
        }
        &'oauthctl;profiles'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'List the profiles in the profile file'
            cand show 'Show the resolved profile: preset values marked, the secret''s source, never a secret'
            cand path 'Print which profile file is used, and why'
            cand add 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written'
            cand use 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout'
            cand example 'Print a commented example profile file, with a profile for each provider'
            cand import-sap-key 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;profiles;list'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --names 'Names only, one per line'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;profiles;show'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;profiles;path'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;profiles;add'= {
            cand --provider 'The provider: scm, saas-security, asgardeo, entra, okta, keycloak, auth0, oidc'
            cand --client-id 'The OAuth client id (service account)'
            cand --timeout 'Seconds the token request may take'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --default 'Make the new profile the default one'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;profiles;use'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;profiles;example'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;profiles;import-sap-key'= {
            cand --name 'Name of the new profile'
            cand --api 'Which `endpoints` entry is the API base [default: accounts_service_url]'
            cand --username 'The user of the password grant (keys of grant_type user_token), written as `username`'
            cand --password-env 'The environment variable holding that user''s password, written as `password_env`'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;profiles;help'= {
            cand list 'List the profiles in the profile file'
            cand show 'Show the resolved profile: preset values marked, the secret''s source, never a secret'
            cand path 'Print which profile file is used, and why'
            cand add 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written'
            cand use 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout'
            cand example 'Print a commented example profile file, with a profile for each provider'
            cand import-sap-key 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;profiles;help;list'= {
        }
        &'oauthctl;profiles;help;show'= {
        }
        &'oauthctl;profiles;help;path'= {
        }
        &'oauthctl;profiles;help;add'= {
        }
        &'oauthctl;profiles;help;use'= {
        }
        &'oauthctl;profiles;help;example'= {
        }
        &'oauthctl;profiles;help;import-sap-key'= {
        }
        &'oauthctl;profiles;help;help'= {
        }
        &'oauthctl;exec'= {
            cand --env 'The environment variable that carries the token'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;inspect'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;cache'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
            cand list 'One row per cached token: the profiles it serves, its scope and how long it has left'
            cand clear 'Remove the selected profile''s cached token (-p or $OAUTHCTL_PROFILE), or every cached token'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;cache;list'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;cache;clear'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;cache;help'= {
            cand list 'One row per cached token: the profiles it serves, its scope and how long it has left'
            cand clear 'Remove the selected profile''s cached token (-p or $OAUTHCTL_PROFILE), or every cached token'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;cache;help;list'= {
        }
        &'oauthctl;cache;help;clear'= {
        }
        &'oauthctl;cache;help;help'= {
        }
        &'oauthctl;doctor'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --network 'Also send the token endpoint a deliberately invalid request, to check DNS, TLS and that it answers'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;completions'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;man'= {
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;call'= {
            cand -q 'Add NAME=VALUE to the query string, percent-encoded (repeatable)'
            cand --query 'Add NAME=VALUE to the query string, percent-encoded (repeatable)'
            cand -H 'Add a header over the profile''s headers (repeatable); ''Name:'' removes one. With an Authorization header of your own, no token is fetched'
            cand --header 'Add a header over the profile''s headers (repeatable); ''Name:'' removes one. With an Authorization header of your own, no token is fetched'
            cand -d 'Send DATA as the body, as is; @FILE reads a file, @- stdin. Content-Type is application/x-www-form-urlencoded unless a header says otherwise'
            cand --data 'Send DATA as the body, as is; @FILE reads a file, @- stdin. Content-Type is application/x-www-form-urlencoded unless a header says otherwise'
            cand --json 'Send DATA (or @FILE, @-) as is, with Content-Type and Accept set to application/json'
            cand -f 'Add a string field to a JSON body, as gh api does (repeatable): `a[b]=x` nests, `a[]=x` appends to an array, `a[]` is an empty one. With GET (as under --paginate) they go in the query'
            cand --raw-field 'Add a string field to a JSON body, as gh api does (repeatable): `a[b]=x` nests, `a[]=x` appends to an array, `a[]` is an empty one. With GET (as under --paginate) they go in the query'
            cand -F 'Add a typed field, as -f does: true, false, null and integers are JSON''s own; @FILE is the file''s text, @- stdin''s; anything else a string (repeatable)'
            cand --field 'Add a typed field, as -f does: true, false, null and integers are JSON''s own; @FILE is the file''s text, @- stdin''s; anything else a string (repeatable)'
            cand --jq 'Filter the JSON answer with a jq expression, in-process; strings are written raw (as jq -r writes them), other values as compact JSON, one a line. With --paginate it runs on each item. An error answer (4xx, 5xx) is written unfiltered'
            cand -w 'After the answer, write FORMAT to stderr (stdout carries the body alone), as curl -w does: %{http_code} %{time_total} %{url_effective} %{content_type} %{size_download} %{method}, \n for a newline'
            cand --write-out 'After the answer, write FORMAT to stderr (stdout carries the body alone), as curl -w does: %{http_code} %{time_total} %{url_effective} %{content_type} %{size_download} %{method}, \n for a newline'
            cand -o 'Write the body to FILE instead of stdout'
            cand --output 'Write the body to FILE instead of stdout'
            cand --timeout 'Seconds to wait for the answer to begin, and for each part of its body'
            cand --retries 'How often to retry a 429, 502, 503 or 504 (waiting as Retry-After says, at most 60 s)'
            cand --passcode 'One-time two-factor passcode, appended to the password if a token must be fetched'
            cand --paging 'How the list pages [default: the profile''s paging, else the provider''s for this path]'
            cand --max-items 'With --paginate: stop after N items'
            cand --start 'With --paginate: begin at this offset, startIndex or pageNum (next-path: a path), as a walk that stopped says'
            cand --page-size 'With --paginate: ask for N items a page [default: the largest the vendor documents]'
            cand --parallel 'With --paginate: up to N pages in flight at once after the first tells the list''s length; the items are still written in order [default: the profile''s parallel, else the provider''s, else 1]'
            cand --rate 'With --paginate: send at most N requests a second (N/s) or a minute (N/min); none lifts the profile''s or provider''s limit [default: the profile''s rate, else the provider''s]'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand -i 'Put the status line and response headers before the body'
            cand --include 'Put the status line and response headers before the body'
            cand -L 'Follow redirects; the Authorization header never goes to another origin'
            cand --location 'Follow redirects; the Authorization header never goes to another origin'
            cand -s 'No status line for 4xx/5xx and no retry messages on stderr (other errors still show)'
            cand --silent 'No status line for 4xx/5xx and no retry messages on stderr (other errors still show)'
            cand -v 'Show request and response headers on stderr, with the token shown as REDACTED'
            cand --verbose 'Show request and response headers on stderr, with the token shown as REDACTED'
            cand --pretty 'Indent JSON bodies even when stdout is not a terminal'
            cand --raw 'Write the body exactly as received (after decompression), even on a terminal'
            cand --no-compressed 'Ask for no compressed answer (no Accept-Encoding) and write an answer as it comes, compressed or not. By default oauthctl asks for zstd, gzip or brotli and decodes them'
            cand --compressed 'Ask for a compressed answer and decode it: the default, accepted as curl users type it'
            cand --retry-all 'Retry POST, PATCH and other methods that are not idempotent, too'
            cand --paginate 'Fetch every page of a list (GET only) and write its items as one JSON array'
            cand --ndjson 'With --paginate: one item per line (NDJSON) instead of a JSON array'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'oauthctl;batch'= {
            cand -P 'Send up to N requests at once'
            cand --parallel 'Send up to N requests at once'
            cand --rate 'Send at most N requests a second (N/s) or a minute (N/min), all lines together; none lifts the profile''s or provider''s limit [default: the profile''s rate, else the provider''s]'
            cand --timeout 'Seconds to wait for each answer to begin, and for each part of its body'
            cand --retries 'How often to retry a 429, 502, 503 or 504 (waiting as Retry-After says, at most 60 s)'
            cand --passcode 'One-time two-factor passcode, appended to the password if a token must be fetched'
            cand --config 'Profile file to read [default: <config dir>/oauthctl/profiles.toml]'
            cand -p 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --profile 'Profile to use [default: the file''s default_profile, or its only profile]; `env` reads it from OAUTHCTL_* variables, as oauthctl does when there is no profile file'
            cand --set 'Set a profile key for this run, over the profile''s own (repeatable): tsg_id=1111111111, region=eu, scope=... A list or table is written in TOML: ''scope=["a", "b"]''. For `profiles add`, a key of the new profile'
            cand --tsg-id 'The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID'
            cand --unordered 'Write each answer as it comes, not in the input''s order'
            cand -L 'Follow redirects; the Authorization header never goes to another origin'
            cand --location 'Follow redirects; the Authorization header never goes to another origin'
            cand -s 'No line for each 4xx/5xx, no retry messages and no summary on stderr (other errors still show)'
            cand --silent 'No line for each 4xx/5xx, no retry messages and no summary on stderr (other errors still show)'
            cand --retry-all 'Retry POST, PATCH and other methods that are not idempotent, too'
            cand --no-compressed 'Ask for no compressed answers (no Accept-Encoding), and leave an answer as it comes'
            cand --compressed 'Ask for compressed answers and decode them: the default'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'oauthctl;help'= {
            cand token 'Print an access token for the profile, from the cache while it is valid'
            cand login 'Sign a person in now (grant = "authorization_code"), in the browser, and cache the token'
            cand logout 'Sign out: revoke the refresh and access tokens at revocation_url, then forget them here'
            cand secret 'Store, remove or check the profile''s client secret in the OS keyring'
            cand profiles 'List, show and locate profiles; import SAP BTP service keys'
            cand exec 'Run a command with the profile''s token in its environment, never in its arguments'
            cand inspect 'Decode a JWT''s header and claims (without verifying them), or say that a token is opaque'
            cand cache 'List or clear cached tokens (never shows a token)'
            cand doctor 'Check the profile file, the profile, its secret, the cache folder and (--network) the token endpoint'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff)'
            cand call 'Send a request to the profile''s API with a cached token; the response body goes to stdout'
            cand batch 'Send many requests, one per line of FILE or stdin, with one token and shared connections; one JSON line per answer on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'oauthctl;help;token'= {
        }
        &'oauthctl;help;login'= {
        }
        &'oauthctl;help;logout'= {
        }
        &'oauthctl;help;secret'= {
            cand set 'Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring'
            cand delete 'Remove the profile''s client secret (or --password) from the OS keyring'
            cand status 'Say where the profile''s client secret comes from and whether it is there (never prints it)'
        }
        &'oauthctl;help;secret;set'= {
        }
        &'oauthctl;help;secret;delete'= {
        }
        &'oauthctl;help;secret;status'= {
        }
        &'oauthctl;help;profiles'= {
            cand list 'List the profiles in the profile file'
            cand show 'Show the resolved profile: preset values marked, the secret''s source, never a secret'
            cand path 'Print which profile file is used, and why'
            cand add 'Add a profile: on a terminal it asks for each value; a token request checks it before it is written'
            cand use 'Make NAME the default profile: sets default_profile in the file, keeping its comments and layout'
            cand example 'Print a commented example profile file, with a profile for each provider'
            cand import-sap-key 'Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring'
        }
        &'oauthctl;help;profiles;list'= {
        }
        &'oauthctl;help;profiles;show'= {
        }
        &'oauthctl;help;profiles;path'= {
        }
        &'oauthctl;help;profiles;add'= {
        }
        &'oauthctl;help;profiles;use'= {
        }
        &'oauthctl;help;profiles;example'= {
        }
        &'oauthctl;help;profiles;import-sap-key'= {
        }
        &'oauthctl;help;exec'= {
        }
        &'oauthctl;help;inspect'= {
        }
        &'oauthctl;help;cache'= {
            cand list 'One row per cached token: the profiles it serves, its scope and how long it has left'
            cand clear 'Remove the selected profile''s cached token (-p or $OAUTHCTL_PROFILE), or every cached token'
        }
        &'oauthctl;help;cache;list'= {
        }
        &'oauthctl;help;cache;clear'= {
        }
        &'oauthctl;help;doctor'= {
        }
        &'oauthctl;help;completions'= {
        }
        &'oauthctl;help;man'= {
        }
        &'oauthctl;help;call'= {
        }
        &'oauthctl;help;batch'= {
        }
        &'oauthctl;help;help'= {
        }
    ]
    $completions[$command]
}
