# PowerShell completes profile names after -p and --profile, from the profile file that --config
# names (or $OAUTHCTL_CONFIG): the script `oauthctl completions powershell` prints is loaded as a
# user's $PROFILE loads it, and asked as the console asks at a Tab (TabExpansion2).
#
# CI runs it on GitHub's runners, which have PowerShell (.github/workflows/ci.yml):
#   pwsh tests/completion.ps1 target/debug      (the folder the built oauthctl is in)
param([Parameter(Mandatory)] [string] $Bin)

$ErrorActionPreference = 'Stop'

$env:PATH = (Resolve-Path $Bin).Path + [IO.Path]::PathSeparator + $env:PATH

$dir = Join-Path ([IO.Path]::GetTempPath()) "oauthctl-completion-$PID"
New-Item -ItemType Directory -Path $dir | Out-Null
$file = Join-Path $dir 'profiles.toml'
Set-Content -Path $file -Value @'
[profiles.dev-eu]
token_url = "https://id.example.com/token"
client_id = "a"

[profiles.dev-us]
token_url = "https://id.example.com/token"
client_id = "b"

[profiles.prod]
token_url = "https://id.example.com/token"
client_id = "c"
'@

oauthctl completions powershell | Out-String | Invoke-Expression

$failures = 0
function Complete([string] $line, [int] $cursor) {
    @((TabExpansion2 -inputScript $line -cursorColumn $cursor).CompletionMatches |
            ForEach-Object { $_.CompletionText })
}
# The completions at the end of $line (or at $cursor) are $want, in that order.
function Expect([string] $line, [string[]] $want, [int] $cursor = $line.Length) {
    $got = Complete $line $cursor
    if (($got -join ' ') -cne ($want -join ' ')) {
        Write-Host "FAIL: [$line] completed to [$($got -join ' ')], not [$($want -join ' ')]"
        $script:failures++
    } else {
        Write-Host "ok: [$line] -> [$($got -join ' ')]"
    }
}
# No profile name is among the completions (PowerShell may offer file names instead).
function ExpectNoProfiles([string] $line) {
    $got = Complete $line $line.Length
    if ($got -contains 'prod') {
        Write-Host "FAIL: [$line] completed to profile names: [$($got -join ' ')]"
        $script:failures++
    } else {
        Write-Host "ok: [$line] -> no profile names"
    }
}

$quoted = "'$file'"
Expect "oauthctl --config $quoted token -p " @('dev-eu', 'dev-us', 'prod')
Expect "oauthctl --config $quoted token --profile dev" @('dev-eu', 'dev-us')
Expect "oauthctl --config=$file call -p pr" @('prod')
# The word being completed may come before --config on the line.
Expect "oauthctl -p d --config $quoted" @('dev-eu', 'dev-us') 'oauthctl -p d'.Length
$env:OAUTHCTL_CONFIG = $file
Expect 'oauthctl token -p ' @('dev-eu', 'dev-us', 'prod')
# -P is batch's --parallel, not a profile; after a subcommand's name come subcommands.
ExpectNoProfiles 'oauthctl batch -P '
ExpectNoProfiles 'oauthctl token -p prod '
Remove-Item Env:OAUTHCTL_CONFIG

Remove-Item -Recurse -Force $dir
if ($failures -gt 0) { exit 1 }
