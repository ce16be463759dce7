//! Command-line arguments: clap's derive types and nothing else.
//!
//! Every doc comment on a field is `--help` text, written for the user. `main.rs` turns these into
//! the plain values the work modules take, so no other module depends on clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

    /// Profile to use [default: the file's default_profile, or its only profile]
    #[arg(
        short = 'p',
        long,
        global = true,
        env = "OAUTHCTL_PROFILE",
        value_name = "NAME"
    )]
    pub profile: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print an access token for the profile, from the cache while it is valid
    #[command(after_help = "Examples:
  TOKEN=$(oauthctl token -p scm)
  curl -H \"$(oauthctl token -p scm --format header)\" https://api.strata.paloaltonetworks.com/config/setup/v1/devices
  oauthctl token -p scm --refresh --format json")]
    Token(TokenArgs),

    /// Store, remove or check the profile's client secret in the OS keyring
    #[command(subcommand)]
    Secret(SecretCommand),

    /// Manage the profile file
    #[command(subcommand)]
    Profiles(ProfilesCommand),
}

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// Add a profile for an SAP BTP service key; its secret (or X.509 private key) goes to the OS keyring
    #[command(after_help = "Examples:
  oauthctl profiles import-sap-key ~/Downloads/cis-key.json --name btp
  oauthctl profiles import-sap-key key.json --name btp-events --api events_service_url

The profile points at a copy of the key without its secret, kept beside the profile file, so the
downloaded file can be deleted.")]
    ImportSapKey {
        /// The service key JSON downloaded from the SAP BTP cockpit or `cf service-key`
        file: PathBuf,
        /// Name of the new profile
        #[arg(long)]
        name: String,
        /// Which `endpoints` entry is the API base [default: accounts_service_url]
        #[arg(long, value_name = "ENDPOINT")]
        api: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// What to print on stdout
    #[arg(long, value_enum, default_value_t = TokenFormat::Raw)]
    pub format: TokenFormat,

    /// Fetch a new token whatever the cache holds, and cache it
    #[arg(long, conflicts_with = "no_cache")]
    pub refresh: bool,

    /// Neither read nor write the token cache
    #[arg(long)]
    pub no_cache: bool,

    /// Seconds the whole token request may take
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,

    /// Show the token request and response on stderr, with secrets and tokens redacted
    #[arg(short, long)]
    pub verbose: bool,

    /// One-time two-factor passcode, appended to the password (password grant)
    #[arg(long, value_name = "CODE")]
    pub passcode: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TokenFormat {
    /// The access token alone, then a newline
    Raw,
    /// `Authorization: Bearer <token>`, for curl -H
    Header,
    /// The token response with `expires_at` (RFC 3339) and `profile` added
    Json,
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Read the client secret (no echo on a terminal, one line when piped) and store it in the OS keyring
    #[command(after_help = "Examples:
  oauthctl secret set -p scm                      prompts without echo
  pass show paloalto/scm | oauthctl secret set -p scm
  oauthctl secret set -p btp --password           the user's password, for grant = \"password\"")]
    Set(SecretTarget),

    /// Remove the profile's client secret (or --password) from the OS keyring
    Delete(SecretTarget),

    /// Say where the profile's client secret comes from and whether it is there (never prints it)
    Status,
}

#[derive(Debug, Args)]
pub struct SecretTarget {
    /// The user's password (grant = "password") instead of the client secret
    #[arg(long)]
    pub password: bool,
}
