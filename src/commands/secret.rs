//! `oauthctl secret set|delete|status`: the client secret in the OS keyring.

use std::io::Write;

use anyhow::{Result, bail};

use super::Selection;
use crate::profile::Profile;
use crate::secret::{self, keyring_name};

#[derive(Debug, Clone, Copy)]
pub enum Action {
    Set,
    Delete,
    Status,
}

pub fn run(selection: &Selection, action: Action) -> Result<()> {
    let (file, profile) = selection.resolve()?;
    let account = &profile.secret.keyring_account;
    // Profiles of one service account share one keyring entry; say which.
    let sharing: Vec<String> = file
        .resolve_all()
        .into_iter()
        .filter(|p: &Profile| p.secret.keyring_account == *account)
        .map(|p| p.name)
        .collect();
    match action {
        Action::Set => {
            let prompt = format!(
                "Client secret for {} at {}: ",
                profile.client_id,
                profile.token_host()
            );
            let value = secret::read_secret_input(&prompt)?;
            secret::keyring_set(account, &value)?;
            eprintln!(
                "oauthctl: stored the client secret for {account} in {}; used by profile{} {}",
                keyring_name(),
                if sharing.len() == 1 { "" } else { "s" },
                sharing.join(", ")
            );
            if profile
                .secret
                .env
                .as_ref()
                .is_some_and(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty()))
                || profile.secret.command.is_some()
            {
                eprintln!(
                    "oauthctl: note: this profile's client_secret_env or client_secret_command comes before the keyring"
                );
            }
        }
        Action::Delete => {
            if secret::keyring_delete(account)? {
                eprintln!(
                    "oauthctl: removed the client secret for {account} from {}",
                    keyring_name()
                );
            } else {
                eprintln!(
                    "oauthctl: {} holds no client secret for {account}; nothing to remove",
                    keyring_name()
                );
            }
        }
        Action::Status => {
            let (lines, in_use) = profile.secret.status();
            let mut out = std::io::stdout().lock();
            writeln!(out, "profile: {}", profile.name)?;
            writeln!(out, "client: {account}")?;
            for line in lines {
                writeln!(out, "{line}")?;
            }
            writeln!(out, "in use: {}", in_use.unwrap_or("none"))?;
            out.flush()?;
            if in_use.is_none() {
                bail!(
                    "profile {} has no client secret\nhint: store one with `oauthctl secret set -p {}`",
                    profile.name,
                    profile.name
                );
            }
        }
    }
    Ok(())
}
