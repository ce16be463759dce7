//! `oauthctl profiles add [NAME]`: a profile written for the user, so that a first run needs no
//! TOML. On a terminal it asks for what the command line left out: the provider (a list), only
//! that provider's own keys, the client id, and the client secret without echo. Without one
//! (a script, CI) every answer comes from flags and the secret from stdin.
//!
//! Nothing is written until a token request with the new profile has succeeded: then the secret
//! goes to the OS keyring (or, where there is none, the profile names where it is read from
//! instead), and the profile's table is added to the file through `config::edit`, which keeps
//! the file's comments and layout and reads the result back through the profile loader. Each
//! `--set KEY=VALUE` and each answer is checked by that loader too, as a key written by hand is.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use dialoguer::{Confirm, Input, Password, Select};

use super::{Import, Selection, check_name, import_sap_key};
use crate::config::Profile;
use crate::config::edit::{FileEdit, values_of};
use crate::error::Failure;
use crate::providers::{self, Provider};
use crate::secret::{self, Secret, keyring_name};
use crate::tokens;

/// What the command line gave `profiles add`; what it leaves out is asked on a terminal.
#[derive(Debug, Clone)]
pub struct Add {
    /// The new profile's name.
    pub name: Option<String>,
    /// `--provider`.
    pub provider: Option<String>,
    /// `--client-id`.
    pub client_id: Option<String>,
    /// `--set KEY=VALUE`, in the order given.
    pub set: Vec<(String, String)>,
    /// `--default`: make the new profile the default one.
    pub default: bool,
    /// The token request's time limit.
    pub timeout: Duration,
}

/// What the new profile is for: a provider, or a server no provider knows.
#[derive(Clone, Copy)]
enum Kind {
    Provider(&'static Provider),
    /// Another OAuth 2.0 server: its token endpoint is asked for.
    Generic,
}

/// The keys asked for a server no provider knows, with what each is.
const GENERIC_KEYS: &[(&str, &str)] = &[
    ("token_url", "the token endpoint, https://..."),
    ("api_base", "the API's base URL; empty for none"),
    (
        "scope",
        "the scopes to ask for, separated by spaces; empty for none",
    ),
];

impl Kind {
    fn named(name: &str) -> Result<Kind> {
        providers::find(name).map(Kind::Provider).ok_or_else(|| {
            usage(format!(
                "unknown provider `{name}`; known providers: {}\nhint: for another OAuth 2.0 server, leave out --provider and give --set token_url=URL",
                providers::names().join(", ")
            ))
        })
    }

    /// The keys to ask for besides the client id: the provider's own, or a generic server's.
    fn keys(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Kind::Provider(p) => p.keys,
            Kind::Generic => GENERIC_KEYS,
        }
    }

    fn default_name(self) -> &'static str {
        match self {
            Kind::Provider(p) => p.name,
            Kind::Generic => "default",
        }
    }
}

fn usage(message: String) -> anyhow::Error {
    Failure::Usage(message).into()
}

/// Turns a prompt's failure (the terminal went away, Ctrl-C) into an error that says so.
fn answered<T>(answer: dialoguer::Result<T>) -> Result<T> {
    answer.map_err(|err| anyhow!("no answer: {err}; nothing was written"))
}

pub fn add(selection: &Selection, opts: &Add) -> Result<()> {
    let ask = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let (path, _) = selection.file_path()?;
    let mut edit = FileEdit::open(&path)?;
    let given = |key: &str| opts.set.iter().any(|(k, _)| k == key);
    let set_provider = opts
        .set
        .iter()
        .rev()
        .find(|(k, _)| k == "provider")
        .map(|(_, v)| v.as_str());
    let kind = match opts.provider.as_deref().or(set_provider) {
        Some(name) => Kind::named(name)?,
        // On a terminal the list is shown all the same; --set token_url then overrides the
        // chosen provider's endpoint.
        None if ask => pick_kind()?,
        None if given("token_url") => Kind::Generic,
        None => {
            return Err(usage(format!(
                "profiles add needs --provider without a terminal: {}\nhint: for another OAuth 2.0 server, give --set token_url=URL (or --set issuer=URL, whose metadata names the endpoints) instead",
                providers::names().join(", ")
            )));
        }
    };

    let name = match &opts.name {
        Some(name) => name.clone(),
        None => {
            let mut suggested = kind.default_name().to_string();
            let mut n = 2;
            while edit.has_profile(&suggested) {
                suggested = format!("{}-{n}", kind.default_name());
                n += 1;
            }
            if ask {
                let taken = edit.profile_names();
                answered(
                    Input::<String>::new()
                        .with_prompt("Profile name")
                        .default(suggested)
                        .validate_with(|name: &String| -> Result<(), String> {
                            check_name(name).map_err(|e| e.to_string())?;
                            if taken.contains(name) {
                                return Err(format!("there is a profile named {name} already"));
                            }
                            Ok(())
                        })
                        .interact_text(),
                )?
            } else {
                suggested
            }
        }
    };
    check_name(&name).map_err(|err| usage(err.to_string()))?;
    if edit.has_profile(&name) {
        bail!(
            "{} already has a profile named {name}; nothing was written\nhint: give another NAME, or remove [profiles.{name}] first",
            path.display()
        );
    }

    if let Kind::Provider(p) = kind
        && p.name == "sap-btp"
    {
        // A service key holds the token endpoint, the client id and the secret: importing it is
        // the whole setup.
        if !ask {
            return Err(usage(format!(
                "an SAP BTP profile comes from its service key\nhint: oauthctl profiles import-sap-key KEY.json --name {name}"
            )));
        }
        let key: String = answered(
            Input::new()
                .with_prompt(
                    "Path of the service key JSON (from the SAP BTP cockpit or `cf service-key`)",
                )
                .interact_text(),
        )?;
        let import = Import {
            name,
            api: None,
            username: None,
            password_env: None,
        };
        return import_sap_key(selection, &PathBuf::from(key), &import);
    }

    edit.add_profile(&name, "Added by `oauthctl profiles add`.")?;
    if let Kind::Provider(p) = kind {
        edit.set_key(&name, "provider", p.name.into());
    }
    for (key, value) in &opts.set {
        if key == "provider" {
            continue;
        }
        // The value is not repeated: a secret given by mistake (`--set client_secret=...`)
        // must not reach stderr.
        edit = with_key(&edit, &name, key, value)
            .map_err(|err| usage(format!("--set {key}: {}", unplaced(&err, &path))))?;
    }
    if let Some(id) = &opts.client_id {
        edit = with_key(&edit, &name, "client_id", id)
            .map_err(|err| usage(format!("--client-id: {}", unplaced(&err, &path))))?;
    }

    if ask {
        for (key, help) in kind.keys() {
            if !given(key) {
                edit = ask_key(edit, &name, key, help)?;
            }
        }
        if opts.client_id.is_none() && !given("client_id") {
            edit = ask_key(edit, &name, "client_id", "the OAuth client id")?;
        }
    } else if opts.client_id.is_none() && !given("client_id") {
        return Err(usage(
            "profiles add needs --client-id without a terminal".to_string(),
        ));
    }
    let not_added = || format!("profile {name} was not added, nothing was written");
    let profile = resolve(&edit, &name)
        .map_err(|err| {
            let hint = if ask {
                ""
            } else {
                "\nhint: give the profile's keys with --set KEY=VALUE"
            };
            anyhow!("{err:#}{hint}")
        })
        .with_context(not_added)?;

    let secret = where_the_secret_is(&mut edit, &name, &profile, ask).with_context(not_added)?;
    let mut profile = resolve(&edit, &name).with_context(not_added)?;
    if let Some(in_hand) = &secret.in_hand
        && let Some(source) = profile.token_request.client_auth.credential_source_mut()
    {
        source.given = Some(in_hand.clone());
    }
    let options = tokens::Options {
        // A token cached for the same client and scope proves nothing about this secret.
        refresh: true,
        no_cache: false,
        timeout: opts.timeout,
        verbose: false,
        passcode: None,
        sign_in: Default::default(),
    };
    tokens::get(&profile, &options)
        .map_err(|err| crate::http::no_response::with_timeout_hint(err, opts.timeout))
        .with_context(|| format!("{}: the token request failed", not_added()))?;
    eprintln!(
        "oauthctl: {} issued a token for {}",
        profile.token_host(),
        profile.token_request.client_id
    );

    if let (Some(in_hand), Some(source)) = (
        &secret.to_store,
        profile.token_request.client_auth.credential_source(),
    ) {
        secret::keyring_set(source.kind, &source.keyring_account, in_hand)
            .with_context(not_added)?;
    }
    let others = edit.profile_names().len() > 1;
    let make_default = opts.default
        || (ask
            && others
            && answered(
                Confirm::new()
                    .with_prompt(format!("Make {name} the default profile?"))
                    .default(false)
                    .interact(),
            )?);
    if make_default {
        edit.set_default(&name);
    }
    edit.save()?;
    eprintln!(
        "oauthctl: added profile {name} to {}{}",
        path.display(),
        secret.said
    );
    if let Some(note) = secret.note {
        eprintln!("oauthctl: {note}");
    }
    let dash_p = if make_default || !others {
        String::new()
    } else {
        format!(" -p {name}")
    };
    eprintln!("oauthctl: try `oauthctl token{dash_p}`, or `oauthctl profiles show{dash_p}`");
    Ok(())
}

/// The list of providers, and another server.
fn pick_kind() -> Result<Kind> {
    let mut items: Vec<String> = providers::PROVIDERS
        .iter()
        .map(|p| format!("{:<14} {}", p.name, p.title))
        .collect();
    items.push(format!("{:<14} another OAuth 2.0 server", "other"));
    let choice = answered(
        Select::new()
            .with_prompt("Provider")
            .items(&items)
            .default(0)
            .interact(),
    )?;
    Ok(providers::PROVIDERS
        .get(choice)
        .map_or(Kind::Generic, |p| Kind::Provider(p)))
}

/// Asks for `key` until the loader takes the answer; an empty answer leaves the key out (the
/// provider's default, when it has one; else the loader says what is missing, and it is asked
/// again).
fn ask_key(edit: FileEdit, name: &str, key: &str, help: &str) -> Result<FileEdit> {
    let mut result = None;
    let answer: String = answered(
        Input::new()
            .with_prompt(format!("{key} ({help})"))
            .allow_empty(true)
            .validate_with(|text: &String| -> Result<(), String> {
                let candidate = if text.trim().is_empty() {
                    let mut e = edit.clone();
                    e.remove_key(name, key);
                    e
                } else {
                    with_key(&edit, name, key, text.trim())
                        .map_err(|e| unplaced(&e, edit.path()))?
                };
                // The client id comes last: a stand-in lets the keys before it be checked.
                let mut probe = candidate.clone();
                if !probe.has_key(name, "client_id") {
                    probe.set_key(name, "client_id", "client-id".into());
                }
                match resolve(&probe, name) {
                    Ok(_) => Ok(()),
                    // Another key's absence (a template's) is not this answer's fault.
                    Err(err) if key != "client_id" && !mentions(&err, key) => Ok(()),
                    Err(err) => Err(first_line(&err)),
                }
            })
            .interact_text(),
    )?;
    if !answer.trim().is_empty() {
        result = Some(with_key(&edit, name, key, answer.trim())?);
    }
    Ok(result.unwrap_or(edit))
}

/// `edit` with `key` set to what `text` stands for: the first of its readings (a TOML value,
/// then the string) that the profile loader takes, else the loader's error for the first.
fn with_key(edit: &FileEdit, name: &str, key: &str, text: &str) -> Result<FileEdit> {
    let mut first_err = None;
    for value in values_of(text) {
        let mut candidate = edit.clone();
        candidate.set_key(name, key, value);
        match candidate.check() {
            Ok(_) => return Ok(candidate),
            Err(err) => {
                first_err.get_or_insert(err);
            }
        }
    }
    Err(first_err.expect("values_of gives at least the string"))
}

/// The new profile, resolved as `token` would: the endpoints an issuer names are fetched (the
/// keyring account of its secret names the token endpoint's host).
fn resolve(edit: &FileEdit, name: &str) -> Result<Profile> {
    let discovery = crate::tokens::discovery::Discovery::fetching(std::time::Duration::from_secs(
        crate::http::client::DEFAULT_TIMEOUT_SECS,
    ));
    edit.check()?
        .select_discovering(Some(name), &[], &discovery)
}

fn first_line(err: &anyhow::Error) -> String {
    format!("{err:#}").lines().next().unwrap_or("").to_string()
}

/// The loader's first line without the file and line it names: a value from the command line or
/// a prompt is in no file yet.
fn unplaced(err: &anyhow::Error, path: &std::path::Path) -> String {
    let line = first_line(err);
    let line = line
        .strip_prefix(&format!("{}: ", path.display()))
        .unwrap_or(&line);
    match line
        .strip_prefix("line ")
        .and_then(|rest| rest.split_once(": "))
    {
        Some((number, rest)) if number.bytes().all(|b| b.is_ascii_digit()) => rest.to_string(),
        _ => line.to_string(),
    }
}

fn mentions(err: &anyhow::Error, key: &str) -> bool {
    format!("{err:#}").contains(key)
}

/// Where the new profile's client secret is, as settled before the token request.
#[derive(Default)]
struct SecretPlace {
    /// The secret as typed or piped, for the token request that proves it.
    in_hand: Option<Secret>,
    /// The same, to store in the keyring once proved.
    to_store: Option<Secret>,
    /// The end of the "added profile" line: where the secret is.
    said: String,
    /// A line to add after it.
    note: Option<String>,
}

/// Settles where the secret comes from: the keyring (asked or read from stdin, stored once a
/// token proves it), the one the keyring already holds for this client, or where there is no
/// keyring, an environment variable or a command the user names (written as
/// `client_secret_env` / `client_secret_command`). A profile that already names one (`--set
/// client_secret_env=VAR`), or that reads no secret (mutual TLS), needs nothing here.
fn where_the_secret_is(
    edit: &mut FileEdit,
    name: &str,
    profile: &Profile,
    ask: bool,
) -> Result<SecretPlace> {
    let Some(source) = profile.token_request.client_auth.credential_source() else {
        return Ok(SecretPlace::default());
    };
    let named = match (&source.env, &source.command) {
        (Some(var), _) => Some(format!("${var}")),
        (None, Some(command)) => Some(format!("`{command}`")),
        (None, None) => None,
    };
    if let Some(named) = named {
        return Ok(SecretPlace {
            said: format!("; its client secret is read from {named}"),
            ..SecretPlace::default()
        });
    }
    let account = &source.keyring_account;
    let in_keyring = format!("; its client secret is in {} for {account}", keyring_name());
    let prompt = format!(
        "Client secret for {} at {}",
        profile.token_request.client_id,
        profile.token_host()
    );
    match secret::keyring_get(source.kind, account) {
        Ok(stored) => {
            let typed = if ask {
                if stored.is_some()
                    && answered(
                        Confirm::new()
                            .with_prompt(format!(
                                "{} already holds the client secret for {account}. Use it?",
                                keyring_name()
                            ))
                            .default(true)
                            .interact(),
                    )?
                {
                    None
                } else {
                    Some(Secret::new(answered(
                        Password::new().with_prompt(&prompt).interact(),
                    )?))
                }
            } else {
                match (secret::read_secret_stdin()?, stored) {
                    (Some(secret), _) => Some(secret),
                    (None, Some(_)) => None,
                    (None, None) => bail!(
                        "no client secret on stdin\nhint: pipe it in: `printf '%s\\n' \"$SECRET\" | oauthctl profiles add ...`, or run profiles add on a terminal"
                    ),
                }
            };
            Ok(SecretPlace {
                in_hand: typed.clone(),
                to_store: typed,
                said: in_keyring,
                note: None,
            })
        }
        Err(err) if !ask => Err(err.context(
            "the client secret cannot be stored\nhint: without a keyring, name where the secret is read from: --set client_secret_env=VAR, or --set client_secret_command=COMMAND",
        )),
        Err(err) => {
            eprintln!(
                "oauthctl: {}",
                format!("{err:#}").lines().next().unwrap_or("")
            );
            let choice = answered(
                Select::new()
                    .with_prompt("Where should oauthctl read the client secret from?")
                    .items([
                        "an environment variable (client_secret_env)",
                        "a command's output, such as a password manager's (client_secret_command)",
                    ])
                    .default(0)
                    .interact(),
            )?;
            if choice == 0 {
                let suggested = format!("{}_CLIENT_SECRET", name.to_uppercase().replace('-', "_"));
                let var: String = answered(
                    Input::new()
                        .with_prompt("Variable")
                        .default(suggested)
                        .validate_with(|v: &String| -> Result<(), String> {
                            if crate::commands::token::is_variable_name(v) {
                                Ok(())
                            } else {
                                Err(format!("`{v}` is not a variable name (letters, digits, _)"))
                            }
                        })
                        .interact_text(),
                )?;
                edit.set_key(name, "client_secret_env", var.as_str().into());
                let set = std::env::var_os(&var).is_some_and(|v| !v.is_empty());
                let in_hand = if set {
                    None
                } else {
                    Some(Secret::new(answered(
                        Password::new()
                            .with_prompt(format!("{prompt} (to check it now; not stored)"))
                            .interact(),
                    )?))
                };
                Ok(SecretPlace {
                    in_hand,
                    to_store: None,
                    said: format!("; its client secret is read from ${var}"),
                    note: (!set).then(|| {
                        format!("set ${var} to the client secret before using profile {name}")
                    }),
                })
            } else {
                let command: String = answered(
                    Input::new()
                        .with_prompt("Command (its first line of output is the secret)")
                        .interact_text(),
                )?;
                edit.set_key(name, "client_secret_command", command.as_str().into());
                Ok(SecretPlace {
                    said: format!("; its client secret is read from `{command}`"),
                    ..SecretPlace::default()
                })
            }
        }
    }
}
