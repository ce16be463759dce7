//! `oauthctl secret set|delete|status`: the client secret, a user's password, or the private key
//! of a client that signs assertions (private_key_jwt), in the OS keyring.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::http::client::DEFAULT_TIMEOUT_SECS;
use crate::tokens::discovery::Discovery;

use anyhow::{Context, Result, anyhow, bail};

use super::Selection;
use crate::config::Profile;
use crate::oauth::client_auth::{ClientAuth, PrivateKey, SigningKey, private_key_jwt};
use crate::oauth::grant::{Grant, PasswordGrant};
use crate::secret::{self, Secret, SecretKind, SecretSource, keyring_name};
use crate::tokens::cache::{self, Identity, TokenCache};
use crate::tokens::refresh::RefreshStore;

#[derive(Debug, Clone)]
pub enum Action {
    /// `key_file`: the PEM file of a private_key_jwt client's private key (`-`: stdin).
    Set {
        password: bool,
        key_file: Option<PathBuf>,
    },
    Delete {
        password: bool,
    },
    Status,
}

/// The source of the client credential, or with `--password` the user's password, which only the
/// password grant has.
fn target(profile: &Profile, password: bool) -> Result<&SecretSource> {
    let name = &profile.name;
    if !password {
        return profile
            .token_request
            .client_auth
            .credential_source()
            .ok_or_else(|| match &profile.token_request.client_auth {
                ClientAuth::PrivateKeyJwt(SigningKey {
                    key: PrivateKey::File(path),
                    ..
                }) => anyhow!(
                    "profile {name} reads its private key from the client_key file {}, not from {}\nhint: to keep the key in {} instead, remove client_key from the profile, then run `oauthctl secret set -p {name} --key-file {}`",
                    path.display(),
                    keyring_name(),
                    keyring_name(),
                    path.display()
                ),
                _ => anyhow!(
                    "profile {name} reads no client secret: it authenticates with the certificate and private key of its client_cert and client_key files"
                ),
            });
    }
    match &profile.token_request.grant {
        // The password's keyring entry is named after the user.
        Grant::Password(grant) => Ok(&grant.user(name)?.password),
        Grant::ClientCredentials | Grant::AuthorizationCode(_) | Grant::DeviceCode(_) => {
            Err(anyhow!(
                "profile {name} does not use the password grant, so it has no password\nhint: set grant = \"password\" and username = \"...\" in the profile"
            ))
        }
    }
}

pub fn run(selection: &Selection, action: Action) -> Result<()> {
    // The keyring account names the token endpoint's host, which may be the issuer's to tell.
    let (file, profile) = selection.resolve_discovering(&Discovery::fetching(
        Duration::from_secs(DEFAULT_TIMEOUT_SECS),
    ))?;
    match action {
        Action::Set { password, key_file } => {
            let source = target(&profile, password)?;
            let account = &source.keyring_account;
            let noun = source.kind.noun();
            let value = if source.kind == SecretKind::ClientKey {
                read_private_key(&profile.name, key_file.as_deref())?
            } else {
                if key_file.is_some() {
                    bail!(
                        "profile {} does not sign client assertions with a private key (client_auth = \"{}\"): --key-file is for client_auth = \"private_key_jwt\"",
                        profile.name,
                        profile.token_request.client_auth.method()
                    );
                }
                let prompt = match password {
                    false => format!(
                        "Client secret for {} at {}: ",
                        profile.token_request.client_id,
                        profile.token_host()
                    ),
                    true => format!("Password for {account}: "),
                };
                secret::read_secret_input(&prompt)?
            };
            source.keyring_set(&value)?;
            // Profiles of one service account (or one user) share one keyring entry; say which.
            let sharing: Vec<String> = file
                .map(|f| f.resolve_all(&Discovery::cached()))
                .unwrap_or_else(|| vec![profile.clone()])
                .into_iter()
                .filter(|p| target(p, password).is_ok_and(|s| s.keyring_account == *account))
                .map(|p| p.name)
                .collect();
            eprintln!(
                "oauthctl: stored the {noun} for {account} in {}; used by profile{} {}",
                keyring_name(),
                if sharing.len() == 1 { "" } else { "s" },
                sharing.join(", ")
            );
            let env_set = source
                .env
                .as_ref()
                .is_some_and(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()));
            if env_set || source.command.is_some() {
                eprintln!(
                    "oauthctl: note: this profile's environment variable or command comes before the keyring"
                );
            }
            if let Some(path) = key_file.filter(|p| p != Path::new("-")) {
                eprintln!(
                    "oauthctl: {} is no longer needed by oauthctl; delete it if nothing else uses it",
                    path.display()
                );
            }
            drop_cached_tokens(source.kind, account, "fetched with the old one");
        }
        Action::Delete { password } => {
            let source = target(&profile, password)?;
            let (account, noun) = (&source.keyring_account, source.kind.noun());
            if source.keyring_delete()? {
                eprintln!(
                    "oauthctl: removed the {noun} for {account} from {}",
                    keyring_name()
                );
            } else {
                eprintln!(
                    "oauthctl: {} holds no {noun} for {account}; nothing to remove",
                    keyring_name()
                );
            }
            drop_cached_tokens(source.kind, account, "fetched with it");
        }
        Action::Status => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "profile: {}", profile.name)?;
            let mut missing = Vec::new();
            let mut sources = Vec::new();
            let request = &profile.token_request;
            match request.client_auth.credential_source() {
                Some(source) => sources.push(("client", source)),
                None if matches!(request.client_auth, ClientAuth::None) => writeln!(
                    out,
                    "client: {} (a public client: client_auth = \"none\", no secret)",
                    request.client_id
                )?,
                None => match &request.client_auth {
                    ClientAuth::PrivateKeyJwt(SigningKey {
                        key: PrivateKey::File(path),
                        ..
                    }) => writeln!(
                        out,
                        "client: {} (private_key_jwt, its private key in the client_key file {})",
                        request.client_id,
                        path.display()
                    )?,
                    _ => writeln!(
                        out,
                        "client: {} (mutual TLS with client_cert and client_key files)",
                        request.client_id
                    )?,
                },
            }
            if let Grant::Password(PasswordGrant { user: Some(user) }) = &request.grant {
                sources.push(("user", &user.password));
            }
            for (label, source) in sources {
                let (lines, in_use) = source.status();
                writeln!(out, "{label}: {}", source.keyring_account)?;
                for line in lines {
                    writeln!(out, "  {line}")?;
                }
                writeln!(out, "  in use: {}", in_use.unwrap_or("none"))?;
                if in_use.is_none() {
                    missing.push(source.kind.noun());
                }
            }
            if request.grant.is_interactive() {
                let id = Identity::of(&profile);
                let cache = TokenCache::new(cache::default_dir()?);
                let store = RefreshStore::of(&profile, &cache, &id);
                writeln!(out, "refresh token: {}", store.describe())?;
                let state = match store.load() {
                    Ok(Some(_)) => "kept (from the last sign-in)".to_string(),
                    Ok(None) => format!(
                        "none: the next token needs a sign-in (oauthctl login -p {})",
                        profile.name
                    ),
                    Err(err) => format!(
                        "cannot be read: {}",
                        crate::error::one_line(&format!("{err:#}"), 300)
                    ),
                };
                writeln!(out, "  {state}")?;
            }
            out.flush()?;
            profile.require_user()?;
            if !missing.is_empty() {
                bail!(
                    "profile {} has no {}\nhint: store it with `oauthctl secret set -p {}{}`{}",
                    profile.name,
                    missing.join(" and no "),
                    profile.name,
                    if missing.contains(&SecretKind::ClientKey.noun()) {
                        " --key-file key.pem"
                    } else {
                        ""
                    },
                    if missing.contains(&"password") {
                        " (add --password for the password)"
                    } else {
                        ""
                    }
                );
            }
        }
    }
    Ok(())
}

/// The private key `secret set` stores: the PEM file `key_file`, or stdin (`-`, or no
/// `--key-file` with stdin not a terminal). It must be a key oauthctl signs with; the error never
/// quotes it.
fn read_private_key(profile: &str, key_file: Option<&Path>) -> Result<Secret> {
    let pem = match key_file {
        Some(path) if path != Path::new("-") => private_key_jwt::read_pem_file(path)?,
        None if std::io::stdin().is_terminal() => bail!(
            "profile {profile} signs client assertions with a private key, which cannot be typed\nhint: give its PEM file: oauthctl secret set -p {profile} --key-file key.pem (or --key-file - to read it from stdin)"
        ),
        _ => {
            let mut text = String::new();
            std::io::stdin()
                .lock()
                .take(64 * 1024)
                .read_to_string(&mut text)
                .context("cannot read the private key from stdin")?;
            text
        }
    };
    let what = match key_file {
        Some(path) if path != Path::new("-") => path.display().to_string(),
        _ => "stdin".to_string(),
    };
    let (_, kind) = private_key_jwt::parse_key(&pem)
        .map_err(|err| anyhow!("{what}: {err:#}; nothing was stored"))?;
    eprintln!("oauthctl: {what} holds an {} private key", kind.name());
    Ok(Secret::new(pem.trim_end().to_string() + "\n"))
}

/// After `secret set` or `secret delete`: drops every cached token that was fetched with the
/// keyring entry `account`, so that the next `token` or `call` asks with the new secret (and a
/// wrong one shows at once, not when the old token expires). A client secret's account is
/// `<client_id>@<token host>`: every identity with that client id and token host uses it, whatever
/// its scope (every tenant) or user; a password's is `<user>@<token host>`. Cache trouble is a
/// warning: the keyring has changed all the same.
fn drop_cached_tokens(kind: SecretKind, account: &str, why: &str) {
    let uses = |id: &Identity| {
        let host = url::Url::parse(&id.token_url)
            .map(|u| crate::http::target::host_with_port(&u))
            .unwrap_or_default();
        let who = match kind {
            SecretKind::Password => id.username.as_deref(),
            SecretKind::RefreshToken | SecretKind::DpopKey => None,
            SecretKind::ClientCredential | SecretKind::ClientKey => Some(id.client_id.as_str()),
        };
        who.is_some_and(|who| format!("{who}@{host}") == account)
    };
    let dropped = cache::default_dir().and_then(|dir| TokenCache::new(dir).remove_where(uses));
    match dropped {
        Ok(0) => {}
        Ok(n) => eprintln!(
            "oauthctl: dropped {n} cached token{} of {account} ({why})",
            if n == 1 { "" } else { "s" }
        ),
        Err(err) => eprintln!(
            "{}",
            crate::error::render_warning(
                &err.context(format!(
                    "cannot drop the cached tokens of {account}\nhint: `oauthctl cache clear` removes them"
                )),
                "they are used until they expire"
            )
        ),
    }
}
