//! `oauthctl profiles ...`: changes to the profile file.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::Selection;
use crate::fsutil;
use crate::profile::{self, ProfileFile};
use crate::secret::{self, keyring_name};
use crate::service_key;

/// Writes an `sap-btp` profile for a service key. The key's secret (or X.509 private key) goes
/// to the keyring; the profile points at a copy of the key without it, beside the profile file,
/// so the download can be deleted and no secret stays on disk.
pub fn import_sap_key(
    selection: &Selection,
    key_file: &Path,
    name: &str,
    api: Option<&str>,
) -> Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        bail!("profile name `{name}` may hold only letters, digits, `-` and `_`");
    }
    let path = match &selection.config {
        Some(path) => path.clone(),
        None => profile::default_path()?,
    };
    let existing = if path.exists() {
        let file = ProfileFile::load(&path)?;
        if file.names().contains(&name) {
            bail!(
                "{} already has a profile named {name}\nhint: choose another --name, or remove [profiles.{name}] first",
                path.display()
            );
        }
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?
    } else {
        String::new()
    };

    let key = service_key::load(key_file)?;
    let secret = service_key::read_secret(key_file, key.secret_field())?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let copy = dir.join("sap-keys").join(format!("{name}.json"));

    let table = |key_path: &Path| {
        let mut table = format!(
            "\n# Imported from {} by `oauthctl profiles import-sap-key`; the {} is in the OS keyring.\n[profiles.{name}]\nprovider = \"sap-btp\"\nservice_key = {}\n",
            key_file.display(),
            if key.is_x509() {
                "X.509 private key"
            } else {
                "client secret"
            },
            toml::Value::String(key_path.display().to_string())
        );
        if let Some(api) = api {
            table.push_str(&format!("api = {}\n", toml::Value::String(api.to_string())));
        }
        table
    };
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }

    // Check the new profile (against the download, which is still there) before anything is
    // written, so that a failure leaves no trace.
    let profile = ProfileFile::parse(&path, &format!("{text}{}", table(key_file)))
        .and_then(|f| f.select(Some(name)))
        .context("the imported profile does not resolve")?;
    secret::keyring_set(profile.secret.kind, &profile.secret.keyring_account, &secret).map_err(|err| {
        err.context(format!(
            "cannot store the service key's secret; nothing was written\nhint: without a keyring, add the profile yourself with service_key = \"{}\" and client_secret_from = \"service_key\"",
            key_file.display()
        ))
    })?;
    let sanitized = serde_json::to_vec_pretty(&service_key::without_secrets(key_file)?)?;
    std::fs::create_dir_all(copy.parent().unwrap_or(dir))
        .and_then(|()| fsutil::write_atomic(&copy, &sanitized))
        .with_context(|| format!("cannot write {}", copy.display()))?;
    text.push_str(&table(&copy));
    fsutil::write_atomic(&path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!(
        "oauthctl: added profile {name} to {} (token endpoint {}, API {}); its secret is in {} for {}",
        path.display(),
        profile.token_url,
        profile.api_base.as_ref().map(|u| u.as_str()).unwrap_or("-"),
        keyring_name(),
        profile.secret.keyring_account
    );
    eprintln!(
        "oauthctl: the profile reads {}; {} still holds the secret and can be deleted",
        copy.display(),
        key_file.display()
    );
    Ok(())
}
