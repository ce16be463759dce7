//! `oauthctl doctor`: each piece a token depends on, checked in order, with a fix for what fails.

use std::io::Write;
use std::time::Duration;

use anyhow::Result;
use reqwest::header::{ACCEPT, CONTENT_TYPE};

use super::Selection;
use crate::config::{Profile, Undiscovered};
use crate::error::Exit;
use crate::http::client::{ClientOptions, DEFAULT_TIMEOUT_SECS, tls_client};
use crate::http::no_response::describe_reqwest_error;
use crate::oauth::grant::{AuthorizationCode, Grant, PasswordGrant};
use crate::output;
use crate::secret::{SecretKind, SecretSource, keyring_name};
use crate::tokens::cache;
use crate::tokens::discovery::Discovery;
use crate::tokens::refresh::RefreshStore;

struct Report {
    failed: usize,
    colour: bool,
}

impl Report {
    fn ok(&mut self, what: &str) {
        let mark = if self.colour {
            "\x1b[32m✓\x1b[0m"
        } else {
            "✓"
        };
        println!("{mark} {what}");
    }

    fn fail(&mut self, what: &str, fix: &str) {
        self.failed += 1;
        let mark = if self.colour {
            "\x1b[31m✗\x1b[0m"
        } else {
            "✗"
        };
        println!("{mark} {what}");
        if !fix.is_empty() {
            println!("  fix: {fix}");
        }
    }
}

/// Every check, each on a line of its own; exit 1 when any failed.
pub fn run(selection: &Selection, network: bool) -> Result<Exit> {
    let colour = output::colour_on_stdout();
    let mut report = Report { failed: 0, colour };
    check(selection, network, &mut report);
    std::io::stdout().flush()?;
    Ok(if report.failed > 0 {
        Exit(1)
    } else {
        Exit::SUCCESS
    })
}

fn first_line(err: &anyhow::Error) -> String {
    format!("{err:#}").lines().next().unwrap_or("").to_string()
}

fn check(selection: &Selection, network: bool, report: &mut Report) {
    // Without --network, only an issuer's metadata already cached.
    let discovery = match network {
        true => Discovery::fetching(Duration::from_secs(DEFAULT_TIMEOUT_SECS)),
        false => Discovery::cached(),
    };
    if selection.from_env() {
        match selection.resolve_discovering(&discovery) {
            Ok((_, profile)) => {
                report.ok(&format!(
                    "the profile from the environment (OAUTHCTL_* variables) resolves (token endpoint {})",
                    profile.token_request.url
                ));
                return check_profile(&profile, network, report);
            }
            Err(err) => {
                return report.fail(
                    &first_line(&err),
                    "set the OAUTHCTL_* variables the README's \"CI\" section lists",
                );
            }
        }
    }
    let file = match selection.load_file() {
        Ok(file) => {
            report.ok(&format!(
                "profile file {} is valid ({} profiles)",
                file.path.display(),
                file.names().len()
            ));
            file
        }
        Err(err) => {
            return report.fail(
                &first_line(&err),
                "create the file with `oauthctl profiles add`, or correct it (`oauthctl profiles example` has one profile per provider); `oauthctl profiles path` says which file is read",
            );
        }
    };
    let profile = match selection.select_in(&file, &discovery) {
        Ok(profile) => {
            report.ok(&format!(
                "profile {} resolves (token endpoint {})",
                profile.name, profile.token_request.url
            ));
            profile
        }
        Err(err) => {
            // Everything but the endpoints was checked; those are the network's to tell.
            if let Some(undiscovered) = err.downcast_ref::<Undiscovered>() {
                return report.ok(&format!(
                    "profile {} resolves; its endpoints come from issuer {}, not discovered yet (`oauthctl doctor --network` fetches them)",
                    undiscovered.need.profile, undiscovered.need.issuer
                ));
            }
            return report.fail(
                &first_line(&err),
                "see `oauthctl profiles show`, and the profile keys in the README",
            );
        }
    };
    check_profile(&profile, network, report);
}

/// The checks of a resolved profile: its user, its secret, the cache, the token endpoint.
fn check_profile(profile: &Profile, network: bool, report: &mut Report) {
    if let Err(err) = profile.require_user() {
        report.fail(
            &first_line(&err),
            &format!(
                "add username = \"...\" to [profiles.{}], then `oauthctl secret set -p {} --password` (or set password_env)",
                profile.name, profile.name
            ),
        );
    }
    check_secret(profile, report);
    check_sign_in(profile, report);
    check_cache(report);
    if network {
        check_endpoint(profile, report);
    }
}

fn check_secret(profile: &Profile, report: &mut Report) {
    let request = &profile.token_request;
    let mut sources: Vec<&SecretSource> = Vec::new();
    sources.extend(request.client_auth.credential_source());
    if let Grant::Password(PasswordGrant { user: Some(user) }) = &request.grant {
        sources.push(&user.password);
    }
    for source in sources {
        let noun = source.kind.noun();
        let (lines, in_use) = source.status();
        match in_use {
            Some(from) => report.ok(&format!(
                "the {noun} for {} comes from the {from} source",
                source.keyring_account
            )),
            None => {
                let why = lines
                    .iter()
                    .find(|l| l.starts_with("keyring:"))
                    .cloned()
                    .unwrap_or_default();
                let fix = match source.kind {
                    SecretKind::Password => format!(
                        "`oauthctl secret set -p {} --password`, or set client_secret_env / client_secret_command",
                        profile.name
                    ),
                    SecretKind::ClientKey => format!(
                        "`oauthctl secret set -p {} --key-file key.pem`, or set client_key to the PEM file's path",
                        profile.name
                    ),
                    _ => format!(
                        "`oauthctl secret set -p {}`, or set client_secret_env / client_secret_command",
                        profile.name
                    ),
                };
                report.fail(
                    &format!(
                        "no {noun} for {} ({why}; keyring backend: {})",
                        source.keyring_account,
                        keyring_name()
                    ),
                    &fix,
                );
            }
        }
    }
}

/// A profile that signs a person in: where, whether the redirect port can be listened on, and
/// whether a refresh token is kept (never its value).
fn check_sign_in(profile: &Profile, report: &mut Report) {
    match &profile.token_request.grant {
        Grant::AuthorizationCode(grant) => {
            report.ok(&format!(
                "people sign in at {} (authorization code with PKCE S256)",
                grant.authorization_url
            ));
            check_redirect(grant, report);
        }
        Grant::DeviceCode(grant) => report.ok(&format!(
            "people sign in with a code from {} (device flow)",
            grant.device_authorization_url
        )),
        Grant::ClientCredentials | Grant::Password(_) => return,
    }
    check_refresh_token(profile, report);
}

/// Whether the browser can come back: a fixed redirect port must be free.
fn check_redirect(grant: &AuthorizationCode, report: &mut Report) {
    let (addr, path) = grant.redirect.listen_on();
    if addr.port() == 0 {
        report.ok(&format!(
            "the browser comes back to a free port of {}, path {path}",
            addr.ip()
        ));
    } else {
        match std::net::TcpListener::bind(addr) {
            Ok(_) => report.ok(&format!(
                "redirect port {} of {} is free",
                addr.port(),
                addr.ip()
            )),
            Err(err) => report.fail(
                &format!(
                    "redirect port {} of {} cannot be listened on: {err}",
                    addr.port(),
                    addr.ip()
                ),
                "close the program that uses it, or change redirect_port / redirect_uri (and what the server registered)",
            ),
        }
    }
}

/// Whether a refresh token is kept (never its value), and when a token was last had with it or by
/// a sign-in: the cached entry's fetch.
fn check_refresh_token(profile: &Profile, report: &mut Report) {
    let name = &profile.name;
    let Ok(dir) = cache::default_dir() else {
        return;
    };
    let cache = cache::TokenCache::new(dir);
    let identity = cache::Identity::of(profile);
    let store = RefreshStore::of(profile, &cache, &identity);
    match store.load() {
        Ok(Some(_)) => {
            let last = match cache.read(&identity) {
                Some(entry) => format!(
                    "; last used (or given) {} ago, for the token now cached",
                    humantime::format_duration(Duration::from_secs(
                        cache::now().saturating_sub(entry.obtained_at)
                    ))
                ),
                None => String::from("; no token fetched with it is cached"),
            };
            report.ok(&format!(
                "a refresh token is kept in {}{last}",
                store.describe()
            ))
        }
        Ok(None) => report.ok(&format!(
            "no refresh token is kept in {}: the next token needs a sign-in (`oauthctl login -p {name}`)",
            store.describe()
        )),
        Err(err) => report.fail(
            &format!("the refresh token cannot be read: {}", first_line(&err)),
            &format!(
                "start a keyring, or set refresh_token_store = \"file\" in [profiles.{name}]"
            ),
        ),
    }
}

fn check_cache(report: &mut Report) {
    let dir = match cache::default_dir() {
        Ok(dir) => dir,
        Err(err) => return report.fail(&first_line(&err), "set $OAUTHCTL_CACHE_DIR"),
    };
    // What token, cache list and the rest refuse: a link, a folder of another user, one in a
    // folder that others can write to.
    if let Err(err) = cache::TokenCache::new(dir.clone()).inspect_dir() {
        let text = format!("{err:#}");
        let fix = text
            .lines()
            .find_map(|l| l.strip_prefix("hint: "))
            .unwrap_or("set $OAUTHCTL_CACHE_DIR")
            .to_string();
        return report.fail(&format!("{} (not used)", first_line(&err)), &fix);
    }
    let Ok(meta) = std::fs::metadata(&dir) else {
        let how = if cfg!(windows) {
            "an ACL for you alone"
        } else {
            "mode 0700"
        };
        return report.ok(&format!(
            "cache folder {} will be created ({how}) with the first token",
            dir.display()
        ));
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return report.fail(
                &format!(
                    "cache folder {} is open to other users (mode {mode:o})",
                    dir.display()
                ),
                &format!(
                    "chmod 700 {} (oauthctl also does so with the next token it caches)",
                    dir.display()
                ),
            );
        }
    }
    #[cfg(windows)]
    {
        match crate::winacl::sys::others_allowed(&dir) {
            Ok(others) if others.is_empty() => {}
            Ok(others) => {
                return report.fail(
                    &format!(
                        "cache folder {} is open to other users (its ACL lets in {})",
                        dir.display(),
                        others.join(", ")
                    ),
                    "oauthctl gives it an ACL for you, SYSTEM and Administrators alone with the next token it caches",
                );
            }
            Err(err) => {
                return report.fail(
                    &format!(
                        "cannot read the ACL of cache folder {}: {err}",
                        dir.display()
                    ),
                    "set $OAUTHCTL_CACHE_DIR to a folder of yours",
                );
            }
        }
    }
    if meta.permissions().readonly() {
        return report.fail(
            &format!("cache folder {} is read-only", dir.display()),
            "make it writable, or set $OAUTHCTL_CACHE_DIR",
        );
    }
    report.ok(&format!("cache folder {} is private", dir.display()));
}

/// Asks the token endpoint with a grant type that does not exist and no secret: any OAuth response
/// proves DNS, TLS and the endpoint; the secret never leaves the machine.
fn check_endpoint(profile: &Profile, report: &mut Report) {
    let host = profile.token_host();
    let options = ClientOptions {
        profile: profile.name.clone(),
        ca_file: profile.ca_file.clone(),
        timeout: Duration::from_secs(15),
        compressed: true,
    };
    let client = match tls_client(&profile.token_request.url, &options, None) {
        Ok(client) => client,
        Err(err) => return report.fail(&first_line(&err), "check ca_file"),
    };
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "urn:oauthctl:doctor:invalid-grant")
        .append_pair("client_id", &profile.token_request.client_id)
        .finish();
    let response = client
        .post(profile.token_request.url.clone())
        .header(ACCEPT, "application/json")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send();
    // Plain http is allowed for loopback hosts only; say which one was used.
    let over = if profile.token_request.url.scheme() == "https" {
        "over TLS"
    } else {
        "over plain http on loopback, not TLS"
    };
    match response {
        Ok(response) => {
            let status = response.status();
            let error = response
                .json::<serde_json::Value>()
                .ok()
                .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_string));
            match error {
                Some(code) => report.ok(&format!("token endpoint {host} answers {over} ({} {code}, as expected for an invalid grant)", status.as_u16())),
                None if status.is_server_error() => report.fail(
                    &format!("token endpoint {host} answered {status}"),
                    "the service may be down, or a proxy is in the way; try again later",
                ),
                None => report.ok(&format!("token endpoint {host} answers {over} ({status})")),
            }
        }
        Err(err) => report.fail(
            &format!("token endpoint {host} cannot be reached: {}", describe_reqwest_error(&err)),
            "check the host name, your network or HTTPS_PROXY, and ca_file for a TLS-inspecting proxy",
        ),
    }
}
