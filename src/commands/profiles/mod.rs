//! `oauthctl profiles list|show|path|use|example|import-sap-key`: the profiles of the profile
//! file, one resolved as oauthctl sees it, where the file is, the default one, a commented example
//! file, and a new profile for an SAP BTP service key. (`profiles add` is `add.rs`'s.)

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result, bail};

mod add;

pub use add::{Add, add};

use super::Selection;
use crate::config::edit::FileEdit;
use crate::config::{Origin, Profile, ProfileFile, Undiscovered};
use crate::error::Failure;
use crate::fsutil;
use crate::http::client::DEFAULT_TIMEOUT_SECS;
use crate::oauth::client_auth::{ClientAuth, PrivateKey};
use crate::oauth::grant::authorization_code::CALLBACK_PATH;
use crate::oauth::grant::{Grant, PasswordGrant, Redirect};
use crate::providers::sap_btp::service_key;
use crate::secret::{self, SecretSource, keyring_name};
use crate::tokens::discovery::Discovery;

/// What `profiles import-sap-key` writes besides the key: the profile's name and the keys the
/// command line gives it.
#[derive(Debug, Clone)]
pub struct Import {
    /// Name of the new profile.
    pub name: String,
    /// `api`: which `endpoints` entry is the API base.
    pub api: Option<String>,
    /// `username`: the user of the password grant.
    pub username: Option<String>,
    /// `password_env`: the environment variable holding that user's password.
    pub password_env: Option<String>,
}

/// Writes an `sap-btp` profile for a service key. The key's secret (or X.509 private key) goes
/// to the keyring; the profile points at a copy of the key without it, beside the profile file,
/// so the download can be deleted and no secret stays on disk.
pub fn import_sap_key(selection: &Selection, key_file: &Path, import: &Import) -> Result<()> {
    let name = import.name.as_str();
    check_name(name)?;
    check_options(import)?;
    let (path, _) = selection.file_path()?;
    // The file is read once: its text is what the new profile is appended to.
    let existing = if path.exists() {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if ProfileFile::parse(&path, &text)?.names().contains(&name) {
            bail!(
                "{} already has a profile named {name}\nhint: choose another --name, or remove [profiles.{name}] first",
                path.display()
            );
        }
        text
    } else {
        String::new()
    };

    let key = service_key::load(key_file)?;
    let password_grant = key.uses_password_grant();
    if !password_grant && (import.username.is_some() || import.password_env.is_some()) {
        return Err(Failure::Usage(format!(
            "--username and --password-env are for the password grant, and {} is a key of grant_type {}\nhint: leave them out, or add grant = \"password\" and username = \"...\" to the profile after the import",
            key_file.display(),
            key.grant_type.as_deref().unwrap_or("client_credentials (it names none)")
        ))
        .into());
    }
    let noun = key.credential_noun();
    let secret = service_key::read_secret(key_file, key.secret_field())?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let copy = dir.join("sap-keys").join(format!("{name}.json"));

    let quoted = |value: &str| toml::Value::String(value.to_string()).to_string();
    let table = |key_path: &Path| {
        let mut table = format!(
            "\n# Imported from {} by `oauthctl profiles import-sap-key`; the {noun} is in the OS keyring.\n[profiles.{name}]\nprovider = \"sap-btp\"\nservice_key = {}\n",
            key_file.display(),
            quoted(&key_path.display().to_string())
        );
        for (k, v) in [
            ("api", &import.api),
            ("username", &import.username),
            ("password_env", &import.password_env),
        ] {
            if let Some(v) = v {
                table.push_str(&format!("{k} = {}\n", quoted(v)));
            }
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
    let source = profile
        .token_request
        .client_auth
        .credential_source()
        .context("the imported profile reads no client credential")?;
    let account = &source.keyring_account;
    secret::keyring_set_named(source.kind, noun, account, &secret).map_err(|err| {
        err.context(format!(
            "profile {name} was not added, nothing was written\nhint: without a keyring, add the profile yourself with service_key = \"{}\" and client_secret_from = \"service_key\"",
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
        "oauthctl: added profile {name} to {} (token endpoint {}, API {}); its {noun} is in {} for {}",
        path.display(),
        profile.token_request.url,
        profile.api_base.as_ref().map(|u| u.as_str()).unwrap_or("-"),
        keyring_name(),
        account
    );
    eprintln!(
        "oauthctl: the profile reads {}; {} still holds the {noun} and can be deleted",
        copy.display(),
        key_file.display()
    );
    if password_grant {
        password_grant_next_steps(&profile, &path, import);
    }
    Ok(())
}

/// A profile name is written as a bare TOML key and typed after `-p`: letters, digits, `-`, `_`.
fn check_name(name: &str) -> Result<()> {
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        bail!("profile name `{name}` may hold only letters, digits, `-` and `_`");
    }
    Ok(())
}

/// The command line's `--username` and `--password-env`, checked before anything is read.
fn check_options(import: &Import) -> Result<()> {
    if let Some(user) = &import.username
        && (user.is_empty() || user.chars().any(char::is_control))
    {
        return Err(Failure::Usage(
            "--username must be a user name (not empty, no control characters)".into(),
        )
        .into());
    }
    if let Some(var) = &import.password_env
        && (var.is_empty() || var.contains(['=', '\0']) || var.chars().any(char::is_whitespace))
    {
        return Err(Failure::Usage(format!(
            "--password-env `{}` is not an environment variable name",
            var.escape_debug()
        ))
        .into());
    }
    Ok(())
}

/// A key of grant_type `user_token` (SAP's default) gets its token with a user's name and
/// password: say what the profile still needs, as the last lines of the import.
fn password_grant_next_steps(profile: &Profile, path: &Path, import: &Import) {
    let name = &profile.name;
    let store = format!("oauthctl secret set -p {name} --password");
    match (profile.token_request.grant.username(), &import.password_env) {
        (None, _) => eprintln!(
            "oauthctl: profile {name} has no username yet: the key's grant_type is user_token, the password grant, which needs a user\n\
             hint: add username = \"you@example.com\" to [profiles.{name}] in {}, or remove that table and import again with --username USER\n\
             hint: then store the user's password with `{store}`{}",
            path.display(),
            if import.password_env.is_some() {
                " (or keep it in the password_env variable)"
            } else {
                ", or name an environment variable holding it with password_env = \"VAR\""
            }
        ),
        (Some(user), None) => eprintln!(
            "oauthctl: profile {name} uses the password grant as {user}\n\
             hint: store the user's password with `{store}`, or name an environment variable holding it with password_env = \"VAR\" (else a token request prompts for it on a terminal)"
        ),
        (Some(user), Some(var)) => eprintln!(
            "oauthctl: profile {name} uses the password grant as {user}, with the password from ${var}"
        ),
    }
}

/// `profiles list`: one row per profile (`--names`: names only, for scripts and completion).
pub fn list(selection: &Selection, names_only: bool) -> Result<()> {
    let file = selection.load_file()?;
    let mut out = std::io::stdout().lock();
    if names_only {
        for name in file.names() {
            writeln!(out, "{name}")?;
        }
        return Ok(out.flush()?);
    }
    let default = file.default_profile();
    for name in file.names() {
        let mark = if Some(name) == default {
            " (default)"
        } else {
            ""
        };
        let detail = match file.select_discovering(Some(name), &[], &Discovery::cached()) {
            Ok(p) => format!(
                "{}  {}",
                p.provider.map(|pr| pr.name).unwrap_or("generic"),
                p.token_host()
            ),
            Err(err) => match err.downcast_ref::<Undiscovered>() {
                Some(undiscovered) => format!(
                    "{}  endpoints from {} (not discovered yet)",
                    file.provider_name(name).unwrap_or("generic"),
                    undiscovered.need.issuer
                ),
                None => format!("error: {}", format!("{err:#}").lines().next().unwrap_or("")),
            },
        };
        writeln!(out, "{name}{mark}  {detail}")?;
    }
    Ok(out.flush()?)
}

/// `profiles show`: the resolved profile, every value marked with where it came from. No secret
/// is read: the secret's sources are named, not consulted.
pub fn show(selection: &Selection) -> Result<()> {
    // What a token request would use, so endpoints an issuer names are fetched when the cache
    // has no fresh copy.
    let timeout = Duration::from_secs(DEFAULT_TIMEOUT_SECS);
    let (_, p) = selection.resolve_discovering(&Discovery::fetching(timeout))?;
    // Keys the profile sets itself are unmarked; the rest say where they came from.
    let from = |key: &str| -> String {
        match p.keys.get(key).map(|w| &w.from) {
            None if p.discovered.contains(&key) => "  (discovered)".into(),
            Some(Origin::Profile) => String::new(),
            Some(Origin::Extended(base)) => format!("  (from profile {base})"),
            Some(Origin::Set) => "  (--set)".into(),
            Some(Origin::Env(var)) => format!("  (${var})"),
            None if p.provider.is_some() && key != "min_ttl" => "  (preset)".into(),
            None => "  (default)".into(),
        }
    };
    let request = &p.token_request;
    let mut lines: Vec<(String, String)> = vec![("profile".into(), p.name.clone())];
    if let Some(base) = p.keys.get("extends").and_then(|w| w.value.as_str()) {
        lines.push(("extends".into(), base.to_string()));
    }
    if let Some(provider) = p.provider {
        lines.push((
            "provider".into(),
            format!("{} ({}){}", provider.name, provider.title, from("provider")),
        ));
        // The provider's own keys (tsg_id, region, ...), which its presets are made of.
        for (key, _) in provider.keys {
            if let Some(written) = p.keys.get(*key) {
                let value = match &written.value {
                    toml::Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                lines.push((key.to_string(), format!("{value}{}", from(key))));
            }
        }
    }
    if let Some(issuer) = &p.issuer {
        lines.push(("issuer".into(), format!("{issuer}{}", from("issuer"))));
    }
    lines.push((
        "token_url".into(),
        format!("{}{}", request.url, from("token_url")),
    ));
    if let Some(base) = &p.api_base {
        lines.push(("api_base".into(), format!("{base}{}", from("api_base"))));
    }
    lines.push((
        "client_id".into(),
        format!("{}{}", request.client_id, from("client_id")),
    ));
    lines.push((
        "client_auth".into(),
        format!("{}{}", request.client_auth.method(), from("client_auth")),
    ));
    lines.push((
        "grant".into(),
        format!("{}{}", request.grant.grant_type().as_str(), from("grant")),
    ));
    match &request.grant {
        Grant::Password(PasswordGrant { user: Some(user) }) => lines.push((
            "username".into(),
            format!("{}{}", user.name, from("username")),
        )),
        Grant::Password(PasswordGrant { user: None }) => lines.push((
            "username".into(),
            format!(
                "none: the password grant needs one (add username = \"...\" to [profiles.{}])",
                p.name
            ),
        )),
        Grant::AuthorizationCode(grant) => {
            lines.push((
                "authorization_url".into(),
                format!("{}{}", grant.authorization_url, from("authorization_url")),
            ));
            lines.push(("redirect".into(), redirect_line(&grant.redirect)));
        }
        Grant::DeviceCode(grant) => lines.push((
            "device_authorization_url".into(),
            format!(
                "{}{}",
                grant.device_authorization_url,
                from("device_authorization_url")
            ),
        )),
        Grant::ClientCredentials => {}
    }
    if let Some(url) = &p.revocation_url {
        lines.push((
            "revocation_url".into(),
            format!("{url}{}", from("revocation_url")),
        ));
    }
    if let Some(scope) = &request.scope {
        lines.push(("scope".into(), format!("{scope}{}", from("scope"))));
    }
    for (k, v) in &request.extra_params {
        lines.push((
            format!("extra_params.{k}"),
            format!("{v}{}", from("extra_params")),
        ));
    }
    for (k, v) in &p.headers {
        lines.push((format!("headers.{k}"), format!("{v}{}", from("headers"))));
    }
    for origin in &p.allowed_origins {
        lines.push((
            "allowed_origin".into(),
            origin.origin().ascii_serialization(),
        ));
    }
    if let Some(ca) = &p.ca_file {
        lines.push((
            "ca_file".into(),
            format!("{}{}", ca.display(), from("ca_file")),
        ));
    }
    lines.push((
        "min_ttl".into(),
        format!("{}{}", p.min_ttl, from("min_ttl")),
    ));
    lines.push(client_credential(&request.client_auth));
    if let Grant::Password(PasswordGrant { user: Some(user) }) = &request.grant {
        lines.push(("password".into(), sources(&user.password)));
    }
    if request.grant.is_interactive() {
        lines.push((
            "refresh token".into(),
            format!(
                "kept in {}{}",
                refresh_token_place(&p),
                from("refresh_token_store")
            ),
        ));
    }
    if p.dpop.is_some() {
        // Where the key is (or would be made), never the key.
        let place = crate::tokens::cache::default_dir()
            .ok()
            .and_then(|dir| {
                crate::tokens::dpop_key::DpopKeyStore::of(
                    &p,
                    &crate::tokens::cache::TokenCache::new(dir),
                )
            })
            .map(|store| store.describe())
            .unwrap_or_else(|| "the cache folder is unknown".into());
        lines.push((
            "DPoP key".into(),
            format!("ES256, kept in {place}{}", from("dpop")),
        ));
    }
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = std::io::stdout().lock();
    for (k, v) in lines {
        writeln!(out, "{k:<width$}  {v}")?;
    }
    Ok(out.flush()?)
}

/// The client credential's line: a client secret, or with mutual TLS the X.509 private key,
/// which comes from the client_key file or, for an SAP X.509 key, from the secret's sources.
fn client_credential(auth: &ClientAuth) -> (String, String) {
    match auth {
        ClientAuth::TlsClientAuth(cert) => (
            "X.509 private key".into(),
            match &cert.key {
                PrivateKey::File(file) => format!("{} (client_key)", file.display()),
                PrivateKey::Stored(source) => sources(source),
            },
        ),
        ClientAuth::Basic(source) | ClientAuth::Post(source) | ClientAuth::Json(source) => {
            ("client secret".into(), sources(source))
        }
        ClientAuth::PrivateKeyJwt(signing) => (
            "client private key".into(),
            match &signing.key {
                PrivateKey::File(file) => format!("{} (client_key)", file.display()),
                PrivateKey::Stored(source) => sources(source),
            },
        ),
        ClientAuth::ClientSecretJwt(jwt) => ("client secret".into(), sources(&jwt.secret)),
        ClientAuth::None => (
            "client secret".into(),
            "none: a public client (client_auth = \"none\")".into(),
        ),
    }
}

/// Where the browser comes back to, in words.
fn redirect_line(redirect: &Redirect) -> String {
    match redirect {
        Redirect::Loopback { port: Some(port) } => {
            format!("http://127.0.0.1:{port}{CALLBACK_PATH} (redirect_port)")
        }
        Redirect::Loopback { port: None } => {
            format!("http://127.0.0.1:<a free port>{CALLBACK_PATH}")
        }
        Redirect::Exact(url) => format!("{url} (redirect_uri)"),
    }
}

/// Where the profile's refresh token is (or would be) kept, never the token: the keyring and its
/// account, or the file.
pub fn refresh_token_place(profile: &Profile) -> String {
    match crate::tokens::cache::default_dir() {
        Ok(dir) => {
            let cache = crate::tokens::cache::TokenCache::new(dir);
            let id = crate::tokens::cache::Identity::of(profile);
            crate::tokens::refresh::RefreshStore::of(profile, &cache, &id).describe()
        }
        Err(err) => format!(
            "{} (cache folder unknown: {err})",
            profile.refresh_token_store.as_str()
        ),
    }
}

/// Where a secret would be looked for, in order, without looking.
fn sources(source: &SecretSource) -> String {
    let mut order = Vec::new();
    if let Some(handed) = &source.handed {
        order.push(format!("${} (read when oauthctl started)", handed.var));
    }
    if let Some(var) = &source.env {
        order.push(format!("${var}"));
    }
    if let Some(command) = &source.command {
        order.push(format!("`{command}`"));
    }
    order.push(format!("{} ({})", keyring_name(), source.keyring_account));
    if let Some(file) = &source.file {
        order.push(format!("{} ({})", file.path.display(), file.field));
    }
    order.join(", then ")
}

/// `profiles path`: the file in use on stdout, and on stderr why that one.
pub fn path(selection: &Selection) -> Result<()> {
    let (path, why) = selection.file_path()?;
    let exists = if path.exists() {
        ""
    } else {
        "; it does not exist yet"
    };
    println!("{}", path.display());
    eprintln!("oauthctl: {why}{exists}");
    Ok(())
}

/// `profiles use NAME`: `default_profile = "NAME"`, changed in place in the file.
pub fn use_profile(selection: &Selection, name: &str) -> Result<()> {
    let (path, _) = selection.file_path()?;
    let mut edit = FileEdit::open(&path)?;
    if !edit.has_profile(name) {
        let known = edit.profile_names();
        bail!(
            "no profile named {name} in {}; known profiles: {}\nhint: add it with `oauthctl profiles add {name}`",
            path.display(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        );
    }
    edit.set_default(name);
    // The loader reads the edited file as any command will, and refuses a profile that does not
    // resolve, before anything is written.
    match edit.check()?.select(Some(name)) {
        Ok(_) => {}
        // Checked but for the endpoints its issuer names, which are not fetched here.
        Err(err) if err.downcast_ref::<Undiscovered>().is_some() => {}
        Err(err) => return Err(err.context(format!("{} was not changed", path.display()))),
    }
    edit.save()?;
    eprintln!(
        "oauthctl: default_profile is now {name} in {}",
        path.display()
    );
    if let Some(asked) = selection.profile.as_deref().filter(|p| *p != name) {
        eprintln!(
            "oauthctl: note: -p or $OAUTHCTL_PROFILE names {asked}, which comes before the default"
        );
    }
    Ok(())
}

/// The commented example file, which also ships in the repository as profiles.example.toml.
pub const EXAMPLE: &str = include_str!("../../../profiles.example.toml");

/// `profiles example`: the example file on stdout.
pub fn example() -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(EXAMPLE.as_bytes())?;
    Ok(out.flush()?)
}
