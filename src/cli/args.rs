//! Command-line arguments: clap's derive types and nothing else.
//!
//! Every doc comment on a field is `--help` text, written for the user. The parent module turns
//! these into the plain values the commands take, so that no module outside `cli/` depends on
//! clap (but `commands/completions.rs`, which renders this definition as scripts and a man page).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::MAX_PARALLEL;
use crate::http::client::DEFAULT_TIMEOUT_SECS;
use crate::http::rate::RateLimit;

/// Fetch, cache and use OAuth 2.0 access tokens for vendor APIs.
///
/// Profiles live in a TOML file; client secrets live in the OS keyring.
#[derive(Debug, Parser)]
#[command(name = "oauthctl", version, max_term_width = 100)]
#[command(after_help = "Examples:
  oauthctl secret set -p scm          store the client secret of profile scm in the OS keyring
  TOKEN=$(oauthctl token -p scm)      a cached access token for scripts
  oauthctl token -p scm --format json the token response, with expires_at")]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Profile file to read [default: <config dir>/oauthctl/profiles.toml]
    #[arg(long, global = true, env = "OAUTHCTL_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Profile to use [default: the file's default_profile, or its only profile]; `env` reads
    /// it from OAUTHCTL_* variables, as oauthctl does when there is no profile file
    #[arg(
        short = 'p',
        long,
        global = true,
        env = "OAUTHCTL_PROFILE",
        value_name = "NAME"
    )]
    pub profile: Option<String>,

    /// Set a profile key for this run, over the profile's own (repeatable): tsg_id=1111111111,
    /// region=eu, scope=... A list or table is written in TOML: 'scope=["a", "b"]'. For
    /// `profiles add`, a key of the new profile
    #[arg(long = "set", global = true, value_name = "KEY=VALUE", value_parser = key_value)]
    pub set: Vec<(String, String)>,

    /// The Tenant Service Group to ask a token for (Strata Cloud Manager): --set tsg_id=ID
    #[arg(long, global = true, value_name = "ID")]
    pub tsg_id: Option<String>,
}

/// `KEY=VALUE` of `--set`: the key is checked against the profile's keys later, when the profile
/// and its provider are known.
fn key_value(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => {
            Ok((key.trim().to_string(), value.to_string()))
        }
        _ => Err(format!(
            "`{text}` is not KEY=VALUE (for example tsg_id=1111111111)"
        )),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print an access token for the profile, from the cache while it is valid
    #[command(after_help = "Examples:
  TOKEN=$(oauthctl token -p scm)
  curl -H \"$(oauthctl token -p scm --format header)\" https://api.strata.paloaltonetworks.com/config/setup/v1/devices
  eval \"$(oauthctl token -p scm --format env --env SCM_TOKEN)\"
  oauthctl token -p scm --format env --shell fish | source
  oauthctl token -p scm --check || echo \"a token request would be needed\"")]
    Token(TokenArgs),

    /// Sign a person in now (grant = "authorization_code"), in the browser, and cache the token
    #[command(after_help = "Examples:
  oauthctl login -p asgardeo              opens the browser; the token and refresh token are kept
  oauthctl login -p asgardeo --no-browser prints the URL to open instead
  oauthctl login -p btp --paste           for a browser on another machine: paste the address it ends at

token, call, exec and batch sign in by themselves when a person is at the terminal; scripts and CI
get exit 3 and a hint to run this. login needs no terminal: it opens $BROWSER (or prints the URL)
and waits. Another oauthctl that needs the same token meanwhile waits for this sign-in.")]
    Login {
        #[command(flatten)]
        sign_in: SignInArgs,

        /// Seconds the token request may take
        #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,

        /// Show the token request and response on stderr, with secrets and tokens redacted
        #[arg(short, long)]
        verbose: bool,
    },

    /// Sign out: revoke the refresh and access tokens at revocation_url, then forget them here
    #[command(after_help = "Examples:
  oauthctl logout -p asgardeo
  oauthctl logout -p asgardeo --no-revoke   forget the tokens here without telling the server

Without revocation_url the tokens are only forgotten here: the refresh token stays good at the
server until it expires. A revocation that fails removes nothing, so that logout can be retried.")]
    Logout {
        /// Forget the tokens here without revoking them at the server
        #[arg(long)]
        no_revoke: bool,

        /// Seconds each revocation request may take
        #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
    },

    /// Store, remove or check the profile's client secret in the OS keyring
    #[command(subcommand)]
    Secret(SecretCommand),

    /// List, show and locate profiles; import SAP BTP service keys
    #[command(subcommand)]
    Profiles(ProfilesCommand),

    /// Run a command with the profile's token in its environment, never in its arguments
    #[command(after_help = "Examples:
  oauthctl exec -p scm -- sh -c 'curl -sH \"Authorization: Bearer $OAUTHCTL_TOKEN\" https://api.strata.paloaltonetworks.com/config/setup/v1/devices'
  oauthctl exec -p saas --env SAAS_TOKEN -- python3 pull_incidents.py

The command's exit code is oauthctl's.")]
    Exec {
        /// The environment variable that carries the token
        #[arg(long = "env", value_name = "VAR", default_value = "OAUTHCTL_TOKEN")]
        var: String,
        /// The command and its arguments, after `--`
        #[arg(
            required = true,
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "COMMAND"
        )]
        command: Vec<std::ffi::OsString>,
    },

    /// Decode a JWT's header and claims (without verifying them), or say that a token is opaque
    #[command(after_help = "Examples:
  oauthctl inspect -p scm                 the profile's cached token (no network)
  oauthctl token -p scm | oauthctl inspect -
  oauthctl inspect \"$TOKEN\" | jq .claims.scope")]
    Inspect {
        /// The token, or - to read it from stdin [default: the profile's cached token]
        token: Option<String>,
    },

    /// List or clear cached tokens (never shows a token)
    #[command(subcommand)]
    Cache(CacheCommand),

    /// Check the profile file, the profile, its secret, the cache folder and (--network) the token endpoint
    #[command(after_help = "Examples:
  oauthctl doctor
  oauthctl doctor -p btp --network        also asks the token endpoint (with an invalid grant, never the secret)")]
    Doctor {
        /// Also send the token endpoint a deliberately invalid request, to check DNS, TLS and that it answers
        #[arg(long)]
        network: bool,
    },

    /// Print a shell completion script
    #[command(after_help = "Examples:
  oauthctl completions bash > ~/.local/share/bash-completion/completions/oauthctl
  oauthctl completions zsh > \"${fpath[1]}/_oauthctl\"
  oauthctl completions fish > ~/.config/fish/completions/oauthctl.fish")]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the man page (roff)
    #[command(after_help = "Examples:
  oauthctl man > /usr/local/share/man/man1/oauthctl.1
  oauthctl man | man -l -")]
    Man,

    /// Send a request to the profile's API with a cached token; the response body goes to stdout
    #[command(after_help = "Examples:
  oauthctl call GET /config/security/v1/security-rules -q folder=Shared -q position=pre
  oauthctl call -p iot GET /iot/pub/v1/device/list -q pagelength=100 | jq '.devices[].hostname'
  oauthctl call -p asgardeo POST /scim2/Users --json @user.json -H 'Accept: application/scim+json'
  oauthctl call -p iot GET /iot/pub/v1/device/list -q detail=true --paginate --ndjson > devices.ndjson
  oauthctl call /config/objects/v1/addresses -q folder=Shared --paginate --jq .name
  oauthctl call /config/objects/v1/tags -q folder=Shared -f name=prod -f color=Red
  oauthctl call /config/security/v1/security-rules -q folder=Shared -o rules.json -w '%{http_code} %{time_total}s\\n'

Exit codes: 0 for 1xx-3xx, 4 for 4xx, 5 for 5xx (the body still goes to stdout), 3 when no token
could be had, 1 for network and file errors, 2 for usage.")]
    Call(Box<CallArgs>),

    /// Send many requests, one per line of FILE or stdin, with one token and shared connections;
    /// one JSON line per answer on stdout
    #[command(after_help = "Examples:
  oauthctl batch -p scm requests.txt > answers.ndjson
  oauthctl batch -P 8 < new-addresses.ndjson | jq -c 'select(.status >= 400)'
  jq -r '\"DELETE /config/objects/v1/addresses/\" + .id' old.ndjson | oauthctl batch --unordered

A line is `METHOD PATH_OR_URL`, or a JSON object with method (default GET), path or url, query,
headers (a value null leaves the profile's header out), and json or body; blank lines and lines
starting with # are passed over. Each request is checked and sent as `oauthctl call` sends one.
Each answer is one line, {\"index\":0,\"line\":1,\"status\":201,\"body\":...}, in the input's order
(unless --unordered), with \"error\" when no answer came; a summary goes to stderr.

Exit codes: 0 when every answer is 1xx-3xx; else 5 if any was 5xx, 4 if any was 4xx, 3 if no token
could be had, 1 for a bad line or a request without an answer; 2 for usage.")]
    Batch(BatchArgs),
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// The requests, one per line; - or nothing reads stdin
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,

    /// Send up to N requests at once
    #[arg(short = 'P', long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallel: u16,

    /// Write each answer as it comes, not in the input's order
    #[arg(long)]
    pub unordered: bool,

    /// Send at most N requests a second (N/s) or a minute (N/min), all lines together; none lifts
    /// the profile's or provider's limit [default: the profile's rate, else the provider's]
    #[arg(long, value_name = "RATE")]
    pub rate: Option<RateLimit>,

    /// Follow redirects; the Authorization header never goes to another origin
    #[arg(short = 'L', long)]
    pub location: bool,

    /// No line for each 4xx/5xx, no retry messages and no summary on stderr (other errors still show)
    #[arg(short, long)]
    pub silent: bool,

    /// Seconds to wait for each answer to begin, and for each part of its body
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,

    /// How often to retry a 429, 502, 503 or 504 (waiting as Retry-After says, at most 60 s)
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,

    /// Retry POST, PATCH and other methods that are not idempotent, too
    #[arg(long)]
    pub retry_all: bool,

    /// Ask for no compressed answers (no Accept-Encoding), and leave an answer as it comes
    #[arg(long, overrides_with = "compressed")]
    pub no_compressed: bool,

    /// Ask for compressed answers and decode them: the default
    #[arg(long, overrides_with = "no_compressed")]
    pub compressed: bool,

    /// One-time two-factor passcode, appended to the password if a token must be fetched
    #[arg(long, value_name = "CODE")]
    pub passcode: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum CacheCommand {
    /// One row per cached token: the profiles it serves, its scope and how long it has left
    #[command(after_help = "Examples:
  oauthctl cache list")]
    List,
    /// Remove the selected profile's cached token (-p or $OAUTHCTL_PROFILE), or every cached token
    #[command(after_help = "Examples:
  oauthctl cache clear -p scm
  oauthctl cache clear")]
    Clear,
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// List the profiles in the profile file
    #[command(after_help = "Examples:
  oauthctl profiles list
  oauthctl profiles list --names          one name per line, for scripts and completion")]
    List {
        /// Names only, one per line
        #[arg(long)]
        names: bool,
    },

    /// Show the resolved profile: preset values marked, the secret's source, never a secret
    #[command(after_help = "Examples:
  oauthctl profiles show -p scm")]
    Show,

    /// Print which profile file is used, and why
    #[command(after_help = "Examples:
  oauthctl profiles path
  $EDITOR \"$(oauthctl profiles path 2>/dev/null)\"")]
    Path,

    /// Add a profile: on a terminal it asks for each value; a token request checks it before it is written
    #[command(after_help = "Examples:
  oauthctl profiles add                   asks for the provider, its keys, the client id and the secret
  printf '%s\\n' \"$SCM_SECRET\" | oauthctl profiles add tenant-a --provider scm \\
      --client-id sa@1234567890.iam.panserviceaccount.com --set tsg_id=1234567890
  oauthctl profiles add tenant-b --provider scm --client-id sa@1234567890.iam.panserviceaccount.com \\
      --set tsg_id=1111111111 </dev/null      the keyring already holds this client's secret

On a terminal, what the flags leave out is asked for, the secret without echo. Without one,
--provider (or --set token_url=URL for another server) and --client-id are needed, and the secret
is read from stdin. The secret goes to the OS keyring; where there is none, give
--set client_secret_env=VAR or --set client_secret_command=COMMAND instead. Nothing is written
unless the token request succeeds. SAP BTP profiles come from `profiles import-sap-key`.")]
    Add {
        /// Name of the new profile [default: the provider's name]
        name: Option<String>,
        /// The provider: scm, saas-security, asgardeo, entra, okta, keycloak, auth0, oidc
        #[arg(long, value_name = "NAME")]
        provider: Option<String>,
        /// The OAuth client id (service account)
        #[arg(long, value_name = "ID")]
        client_id: Option<String>,
        /// Make the new profile the default one
        #[arg(long)]
        default: bool,
        /// Seconds the token request may take
        #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
        timeout: u64,
    },

    /// Make NAME the default profile: sets default_profile in the file, keeping its comments and layout
    #[command(after_help = "Examples:
  oauthctl profiles use tenant-b
  oauthctl token                          now a token for tenant-b

-p NAME and $OAUTHCTL_PROFILE still come before the default.")]
    Use {
        /// The profile that commands use when neither -p nor $OAUTHCTL_PROFILE names one
        name: String,
    },

    /// Print a commented example profile file, with a profile for each provider
    #[command(after_help = "Examples:
  oauthctl profiles example
  oauthctl profiles example > \"$(oauthctl profiles path 2>/dev/null)\"   start from it (no file there yet)")]
    Example,

    /// Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring
    #[command(after_help = "Examples:
  oauthctl profiles import-sap-key ~/Downloads/cis-key.json --name btp --username jane@example.com
  oauthctl profiles import-sap-key key.json --name btp-events --api events_service_url

The profile points at a copy of the key without its secret, kept beside the profile file, so the
downloaded file can be deleted. A key of grant_type user_token (SAP's default) uses the password
grant: give --username (and --password-env, or store the password with
`oauthctl secret set -p NAME --password`).")]
    ImportSapKey {
        /// The service key JSON downloaded from the SAP BTP cockpit or `cf service-key`
        file: PathBuf,
        /// Name of the new profile
        #[arg(long)]
        name: String,
        /// Which `endpoints` entry is the API base [default: accounts_service_url]
        #[arg(long, value_name = "ENDPOINT")]
        api: Option<String>,
        /// The user of the password grant (keys of grant_type user_token), written as `username`
        #[arg(long, value_name = "USER")]
        username: Option<String>,
        /// The environment variable holding that user's password, written as `password_env`
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
    },
}

#[derive(Debug, Args)]
// `[METHOD] PATH_OR_URL`: one word is the path, two are the method and the path.
#[command(allow_missing_positional = true)]
pub struct CallArgs {
    /// HTTP method, in any case: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or another
    /// [default: GET, or POST with a body (-d, --json, -f, -F)]
    pub method: Option<String>,

    /// A path, joined to the profile's api_base (keeping a path prefix it has), or a full URL on
    /// api_base's origin or one in the profile's allowed_origins
    #[arg(value_name = "PATH_OR_URL")]
    pub target: String,

    /// Add NAME=VALUE to the query string, percent-encoded (repeatable)
    #[arg(short = 'q', long = "query", value_name = "NAME=VALUE")]
    pub query: Vec<String>,

    /// Add a header over the profile's headers (repeatable); 'Name:' removes one. With an
    /// Authorization header of your own, no token is fetched
    #[arg(short = 'H', long = "header", value_name = "Name: value")]
    pub header: Vec<String>,

    /// Send DATA as the body, as is; @FILE reads a file, @- stdin. Content-Type is
    /// application/x-www-form-urlencoded unless a header says otherwise
    #[arg(short = 'd', long, value_name = "DATA", conflicts_with = "json")]
    pub data: Option<String>,

    /// Send DATA (or @FILE, @-) as is, with Content-Type and Accept set to application/json
    #[arg(long, value_name = "DATA")]
    pub json: Option<String>,

    /// Add a string field to a JSON body, as gh api does (repeatable): `a[b]=x` nests, `a[]=x`
    /// appends to an array, `a[]` is an empty one. With GET (as under --paginate) they go in the query
    #[arg(
        short = 'f',
        long = "raw-field",
        value_name = "KEY=VALUE",
        conflicts_with_all = ["data", "json"]
    )]
    pub raw_field: Vec<String>,

    /// Add a typed field, as -f does: true, false, null and integers are JSON's own; @FILE is the
    /// file's text, @- stdin's; anything else a string (repeatable)
    #[arg(
        short = 'F',
        long = "field",
        value_name = "KEY=VALUE",
        conflicts_with_all = ["data", "json"]
    )]
    pub field: Vec<String>,

    /// Filter the JSON answer with a jq expression, in-process; strings are written raw (as jq -r
    /// writes them), other values as compact JSON, one a line. With --paginate it runs on each
    /// item. An error answer (4xx, 5xx) is written unfiltered
    #[arg(long, value_name = "EXPR", conflicts_with_all = ["include", "raw"])]
    pub jq: Option<String>,

    /// After the answer, write FORMAT to stderr (stdout carries the body alone), as curl -w does:
    /// %{http_code} %{time_total} %{url_effective} %{content_type} %{size_download} %{method},
    /// \n for a newline
    #[arg(short = 'w', long, value_name = "FORMAT", conflicts_with = "paginate")]
    pub write_out: Option<String>,

    /// Write the body to FILE instead of stdout
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Put the status line and response headers before the body
    #[arg(short, long)]
    pub include: bool,

    /// Follow redirects; the Authorization header never goes to another origin
    #[arg(short = 'L', long)]
    pub location: bool,

    /// No status line for 4xx/5xx and no retry messages on stderr (other errors still show)
    #[arg(short, long)]
    pub silent: bool,

    /// Show request and response headers on stderr, with the token shown as REDACTED
    #[arg(short, long)]
    pub verbose: bool,

    /// Seconds to wait for the answer to begin, and for each part of its body
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,

    /// Indent JSON bodies even when stdout is not a terminal
    #[arg(long, conflicts_with = "raw")]
    pub pretty: bool,

    /// Write the body exactly as received (after decompression), even on a terminal
    #[arg(long)]
    pub raw: bool,

    /// Ask for no compressed answer (no Accept-Encoding) and write an answer as it comes,
    /// compressed or not. By default oauthctl asks for zstd, gzip or brotli and decodes them
    #[arg(long, overrides_with = "compressed")]
    pub no_compressed: bool,

    /// Ask for a compressed answer and decode it: the default, accepted as curl users type it
    #[arg(long, overrides_with = "no_compressed")]
    pub compressed: bool,

    /// How often to retry a 429, 502, 503 or 504 (waiting as Retry-After says, at most 60 s)
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub retries: u32,

    /// Retry POST, PATCH and other methods that are not idempotent, too
    #[arg(long)]
    pub retry_all: bool,

    /// One-time two-factor passcode, appended to the password if a token must be fetched
    #[arg(long, value_name = "CODE")]
    pub passcode: Option<String>,

    /// Fetch every page of a list (GET only) and write its items as one JSON array
    #[arg(long, conflicts_with_all = ["include", "data", "json"])]
    pub paginate: bool,

    /// How the list pages [default: the profile's paging, else the provider's for this path]
    #[arg(long, value_enum, value_name = "STYLE", requires = "paginate")]
    pub paging: Option<PagingStyle>,

    /// With --paginate: one item per line (NDJSON) instead of a JSON array
    #[arg(long, requires = "paginate", conflicts_with = "pretty")]
    pub ndjson: bool,

    /// With --paginate: stop after N items
    #[arg(long, value_name = "N", requires = "paginate", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_items: Option<u64>,

    /// With --paginate: begin at this offset, startIndex or pageNum (next-path: a path), as a
    /// walk that stopped says
    #[arg(long, value_name = "POSITION", requires = "paginate")]
    pub start: Option<String>,

    /// With --paginate: ask for N items a page [default: the largest the vendor documents]
    #[arg(long, value_name = "N", requires = "paginate", value_parser = clap::value_parser!(u64).range(1..))]
    pub page_size: Option<u64>,

    /// With --paginate: up to N pages in flight at once after the first tells the list's length;
    /// the items are still written in order [default: the profile's parallel, else the
    /// provider's, else 1]
    #[arg(long, value_name = "N", requires = "paginate", value_parser = clap::value_parser!(u64).range(1..=MAX_PARALLEL as u64))]
    pub parallel: Option<u64>,

    /// With --paginate: send at most N requests a second (N/s) or a minute (N/min); none lifts
    /// the profile's or provider's limit [default: the profile's rate, else the provider's]
    #[arg(long, value_name = "RATE", requires = "paginate")]
    pub rate: Option<RateLimit>,
}

/// How a list pages (`--paging`); docs/providers.md compares the styles side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PagingStyle {
    /// offset and limit; items in `data` (Strata Cloud Manager)
    OffsetLimit,
    /// offset and pagelength; items in `devices` or `items` (IoT Security)
    OffsetPagelength,
    /// startIndex (from 1) and count; items in `Resources` (SCIM 2, Asgardeo)
    Scim,
    /// pageNum (from 0) and pageSize; items in `events`, until morePages is false (SAP BTP)
    PageNumber,
    /// limit, then the answer's nextPath; items in `resources` (SaaS Security)
    NextPath,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// What to print on stdout
    #[arg(long, value_enum, default_value_t = TokenFormat::Raw)]
    pub format: TokenFormat,

    /// Fetch a new token whatever the cache holds, and cache it
    #[arg(long, conflicts_with = "no_cache")]
    pub refresh: bool,

    /// Print nothing; exit 0 when a cached token has more than min_ttl left, 1 when a fetch is needed
    #[arg(long, conflicts_with_all = ["refresh", "no_cache", "format"])]
    pub check: bool,

    /// Neither read nor write the token cache
    #[arg(long)]
    pub no_cache: bool,

    /// Seconds the whole token request may take
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,

    /// Show the token request and response on stderr, with secrets and tokens redacted
    #[arg(short, long)]
    pub verbose: bool,

    /// One-time two-factor passcode, appended to the password (password grant)
    #[arg(long, value_name = "CODE")]
    pub passcode: Option<String>,

    #[command(flatten)]
    pub sign_in: SignInArgs,

    /// With --format env: the variable to set [default: OAUTHCTL_TOKEN]
    #[arg(long = "env", value_name = "VAR", value_parser = variable_name)]
    pub env: Option<String>,

    /// With --format env: the shell whose syntax to write [default: posix]
    #[arg(long, value_enum, value_name = "SHELL")]
    pub shell: Option<EnvShell>,
}

/// How a person signs in, when a profile's grant needs it (grant = "authorization_code").
#[derive(Debug, Args)]
pub struct SignInArgs {
    /// Seconds to wait for the person to finish signing in
    #[arg(long, value_name = "SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    pub login_timeout: u64,

    /// Print the sign-in URL on stderr instead of opening a browser
    #[arg(long)]
    pub no_browser: bool,

    /// For a browser on another machine: print the URL, then read the address the browser was
    /// sent to (or the code) from stdin
    #[arg(long)]
    pub paste: bool,
}

/// `--env VAR`: a name every shell of `--format env` takes as a variable.
fn variable_name(name: &str) -> Result<String, String> {
    if crate::commands::token::is_variable_name(name) {
        Ok(name.to_string())
    } else {
        Err("a variable name is a letter or _, then letters, digits and _".into())
    }
}

/// The shells `token --format env` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EnvShell {
    /// sh, bash, zsh, dash, ksh: `export VAR='...'`, for eval
    Posix,
    /// `set -gx VAR '...'`, for `| source`
    Fish,
    /// `$env:VAR = '...'`, for `| Invoke-Expression`
    Powershell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenFormat {
    /// The access token alone, then a newline
    Raw,
    /// `Authorization: Bearer <token>`, for curl -H
    Header,
    /// The token response with `expires_at` (RFC 3339) and `profile` added
    Json,
    /// `export OAUTHCTL_TOKEN='<token>'`, for eval "$(...)" (see --env and --shell)
    Env,
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Read the client secret (no echo on a terminal, one line when piped), or a private key, and store it in the OS keyring
    #[command(after_help = "Examples:
  oauthctl secret set -p scm                      prompts without echo
  pass show paloalto/scm | oauthctl secret set -p scm
  oauthctl secret set -p btp --password           the user's password, for grant = \"password\"
  oauthctl secret set -p entra --key-file key.pem the private key of client_auth = \"private_key_jwt\"; then delete key.pem")]
    Set(SecretSet),

    /// Remove the profile's client secret (or --password) from the OS keyring
    #[command(after_help = "Examples:
  oauthctl secret delete -p scm
  oauthctl secret delete -p btp --password")]
    Delete(SecretTarget),

    /// Say where the profile's client secret comes from and whether it is there (never prints it)
    #[command(after_help = "Examples:
  oauthctl secret status -p scm
  oauthctl secret status -p btp || oauthctl secret set -p btp")]
    Status,
}

#[derive(Debug, Args)]
pub struct SecretSet {
    /// The user's password (grant = "password") instead of the client secret
    #[arg(long, conflicts_with = "key_file")]
    pub password: bool,
    /// A PEM file of the private key that signs client assertions (client_auth = "private_key_jwt"), or - for stdin; once stored, the file can be deleted
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct SecretTarget {
    /// The user's password (grant = "password") instead of the client secret
    #[arg(long)]
    pub password: bool,
}
