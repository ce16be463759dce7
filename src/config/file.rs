//! The profile file: TOML in, profiles out.
//!
//! The file is parsed once and read in passes over the parsed document. The first keeps every
//! key's position, so that an unknown key is reported with its line and the nearest valid key
//! (`keys.rs`); the second reads the typed values, and each profile's provider reads its own keys,
//! so that a wrong type is reported by toml with line and column. A profile is resolved
//! (`resolve.rs`) when it is selected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::keys::{check_keys, line_of, named_provider};
use super::layers::{Keys, Origin, Override, Written, apply_overrides, resolve_keys};
use super::profile::Profile;
use super::raw::{FileDoc, FileKeys};
use crate::oauth::discovery::{Discover, Nowhere};
use crate::providers::KeyTable;

/// The profile file, parsed.
#[derive(Debug)]
pub struct ProfileFile {
    pub path: PathBuf,
    doc: FileDoc,
    /// Each profile's keys as written: the names it sets itself, and the values its provider
    /// reads its own keys from.
    tables: BTreeMap<String, toml::Table>,
}

/// The platform's place for the profile file: `<config dir>/oauthctl/profiles.toml`.
pub fn default_path() -> Result<PathBuf> {
    let dir = dirs::config_dir().ok_or_else(|| {
        anyhow!("cannot find the config folder (is $HOME set?)\nhint: name the profile file with --config PATH or $OAUTHCTL_CONFIG")
    })?;
    Ok(dir.join("oauthctl").join("profiles.toml"))
}

impl ProfileFile {
    pub fn load(path: &Path) -> Result<ProfileFile> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => bail!(
                "no profile file at {}\nhint: run `oauthctl profiles add` to write one, or start from `oauthctl profiles example`; or name another file with --config PATH; or, as in CI, give the profile in OAUTHCTL_* variables (OAUTHCTL_PROVIDER, OAUTHCTL_CLIENT_ID, OAUTHCTL_CLIENT_SECRET, ...)",
                path.display()
            ),
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot read profile file {}", path.display()));
            }
        };
        Self::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<ProfileFile> {
        let shown = path.display();
        let toml_error =
            |err: toml::de::Error| anyhow!("{shown}: {}", plain_words(err.to_string().trim_end()));
        let root = DeTable::parse(text).map_err(toml_error)?;
        let keys: FileKeys = read(&root, text).map_err(toml_error)?;
        let in_file = |msg: String| anyhow!("{shown}: {msg}");
        let bases = check_extends(text, &keys).map_err(in_file)?;
        let mut providers = BTreeMap::new();
        for (name, table) in &keys.profiles {
            // A profile that names no provider has its base's, and may set that provider's keys.
            let mut inherited = None;
            let mut base = bases.get(name.as_str());
            while let Some(&b) = base {
                if let Some(p) = named_provider(text, b, &keys.profiles[b]).map_err(in_file)? {
                    inherited = Some(p);
                    break;
                }
                base = bases.get(b);
            }
            let provider = check_keys(text, name, table, inherited).map_err(in_file)?;
            providers.insert(name.as_str(), provider);
        }
        let doc: FileDoc = read(&root, text).map_err(toml_error)?;
        // Each provider checks the types of its own keys now, as the common keys' were above.
        for (name, table) in profile_tables(&root) {
            if let Some(Some(provider)) = providers.get(name) {
                (provider.check_keys)(&KeyTable::Parsed { table, text }).map_err(toml_error)?;
            }
        }
        let tables = keys
            .profiles
            .into_iter()
            .map(|(name, table)| {
                let values = table
                    .into_iter()
                    .map(|(k, v)| (k.into_inner(), v))
                    .collect();
                (name, values)
            })
            .collect();
        Ok(ProfileFile {
            path: path.to_path_buf(),
            doc,
            tables,
        })
    }

    /// Profile names in file order is lost by TOML tables; they are listed sorted.
    pub fn names(&self) -> Vec<&str> {
        self.doc.profiles.keys().map(String::as_str).collect()
    }

    /// Picks the profile: the one asked for, else `default_profile`, else the only one.
    pub fn select(&self, asked: Option<&str>) -> Result<Profile> {
        self.select_with(asked, &[])
    }

    /// [`select`](Self::select), with keys given on the command line over the profile's.
    pub fn select_with(&self, asked: Option<&str>, overrides: &[Override]) -> Result<Profile> {
        self.select_discovering(asked, overrides, &Nowhere)
    }

    /// [`select_with`](Self::select_with), an issuer's metadata from `discover`.
    pub fn select_discovering(
        &self,
        asked: Option<&str>,
        overrides: &[Override],
        discover: &dyn Discover,
    ) -> Result<Profile> {
        let name = match asked.or(self.doc.default_profile.as_deref()) {
            Some(name) => name.to_string(),
            None => match self.names().as_slice() {
                [only] => only.to_string(),
                [] => bail!(
                    "{} holds no profiles\nhint: add one with `oauthctl profiles add`, or a [profiles.NAME] table (`oauthctl profiles example` has one for each provider)",
                    self.path.display()
                ),
                names => bail!(
                    "{} holds {} profiles and no default_profile; choose one with -p NAME: {}\nhint: or set default_profile = \"NAME\" at the top of the file",
                    self.path.display(),
                    names.len(),
                    names.join(", ")
                ),
            },
        };
        if !self.doc.profiles.contains_key(&name) {
            let known = self.names();
            let from = if asked.is_some() {
                ""
            } else {
                " (named by default_profile)"
            };
            let hint = if asked.is_some() {
                format!(
                    "choose one with -p NAME (or $OAUTHCTL_PROFILE), or add a [profiles.{name}] table"
                )
            } else {
                "set default_profile to one of them".to_string()
            };
            bail!(
                "no profile named {name}{from} in {}; known profiles: {}\nhint: {hint}",
                self.path.display(),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            );
        }
        self.resolve(&name, overrides, discover)
    }

    fn resolve(
        &self,
        name: &str,
        overrides: &[Override],
        discover: &dyn Discover,
    ) -> Result<Profile> {
        let mut keys = Keys::new();
        // The furthest base first, so that each profile's keys replace its base's.
        for (depth, link) in self.chain(name).iter().enumerate().rev() {
            let from = match depth {
                0 => Origin::Profile,
                _ => Origin::Extended(link.to_string()),
            };
            for (key, value) in self.tables.get(*link).into_iter().flatten() {
                if key == "extends" && depth > 0 {
                    continue;
                }
                keys.insert(
                    key.clone(),
                    Written {
                        value: value.clone(),
                        from: from.clone(),
                    },
                );
            }
        }
        apply_overrides(name, &mut keys, overrides)?;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        resolve_keys(name, keys, dir, false, discover)
    }

    /// Profile `name`, then the profile it extends, and so on (the file was checked for cycles
    /// when it was read).
    fn chain<'a>(&'a self, name: &'a str) -> Vec<&'a str> {
        let mut chain = vec![name];
        while let Some(base) = self
            .tables
            .get(*chain.last().unwrap_or(&name))
            .and_then(|t| t.get("extends"))
            .and_then(toml::Value::as_str)
        {
            if chain.contains(&base) {
                break;
            }
            chain.push(base);
        }
        chain
    }

    /// The provider profile `name` names (or the profile it extends does), as written.
    pub fn provider_name(&self, name: &str) -> Option<&str> {
        self.chain(name)
            .iter()
            .find_map(|link| self.tables.get(*link)?.get("provider")?.as_str())
    }

    /// `default_profile`, as written.
    pub fn default_profile(&self) -> Option<&str> {
        self.doc.default_profile.as_deref()
    }

    /// Every profile that resolves, for finding the ones sharing a secret or a cache entry; an
    /// issuer's metadata from `discover` (a profile without it is left out).
    pub fn resolve_all(&self, discover: &dyn Discover) -> Vec<Profile> {
        self.names()
            .into_iter()
            .filter_map(|name| self.resolve(name, &[], discover).ok())
            .collect()
    }
}

/// Each profile's `extends`, checked: it names another profile of the file, and no chain of them
/// comes back to where it began. Returns the base of each profile that has one.
fn check_extends<'k>(text: &str, keys: &'k FileKeys) -> Result<BTreeMap<&'k str, &'k str>, String> {
    let mut bases = BTreeMap::new();
    for (name, table) in &keys.profiles {
        let Some((key, value)) = table.iter().find(|(k, _)| k.get_ref() == "extends") else {
            continue;
        };
        let line = line_of(text, key.span().start);
        // A value of another type is reported with the other keys' types.
        let Some(base) = value.as_str() else { continue };
        if !keys.profiles.contains_key(base) {
            let nearest = keys
                .profiles
                .keys()
                .filter(|other| *other != name)
                .map(|other| (strsim::jaro_winkler(base, other), other))
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let hint = match nearest {
                Some((_, other)) => format!("; did you mean `{other}`?"),
                None => {
                    let names: Vec<&str> = keys.profiles.keys().map(String::as_str).collect();
                    format!("; profiles: {}", names.join(", "))
                }
            };
            return Err(format!(
                "line {line}: profile {name} extends `{base}`, which is not a profile in this file{hint}"
            ));
        }
        bases.insert(name.as_str(), base);
    }
    for &start in bases.keys() {
        let mut chain = vec![start];
        let mut at = start;
        while let Some(&base) = bases.get(at) {
            chain.push(base);
            if base == start {
                let line = keys.profiles[start]
                    .keys()
                    .find(|k| k.get_ref() == "extends")
                    .map(|k| line_of(text, k.span().start))
                    .unwrap_or(0);
                return Err(format!(
                    "line {line}: profile {start} extends itself through a cycle: {}\nhint: remove `extends` from one of them",
                    chain.join(" -> ")
                ));
            }
            if chain[..chain.len() - 1].contains(&base) {
                // A cycle further up, reported from one of its own profiles.
                break;
            }
            at = base;
        }
    }
    Ok(bases)
}

/// `T` read from the parsed document, its errors quoting `text` as toml's own do.
fn read<'a, T: Deserialize<'a>>(
    root: &Spanned<DeTable<'a>>,
    text: &str,
) -> Result<T, toml::de::Error> {
    T::deserialize(toml::de::Deserializer::from(root.clone())).map_err(|mut err| {
        err.set_input(Some(text));
        err
    })
}

/// Each profile's table in the parsed document, with its position.
fn profile_tables<'d, 'a>(
    root: &'d Spanned<DeTable<'a>>,
) -> impl Iterator<Item = (&'d str, Spanned<DeTable<'a>>)> {
    let profiles = match root.get_ref().get("profiles").map(Spanned::get_ref) {
        Some(DeValue::Table(profiles)) => Some(profiles),
        _ => None,
    };
    profiles.into_iter().flatten().filter_map(|(name, value)| {
        let DeValue::Table(table) = value.get_ref() else {
            return None;
        };
        Some((
            name.get_ref().as_ref(),
            Spanned::new(value.span(), table.clone()),
        ))
    })
}

/// serde's names for TOML's types, in TOML's words: `min_ttl = "soon"` is told it wants "a whole
/// number", not "u64".
pub(super) fn plain_words(message: &str) -> String {
    [
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected a sequence", "expected a list"),
        ("expected a map", "expected a table"),
        ("invalid type: sequence", "invalid type: list"),
        ("invalid type: map", "invalid type: table"),
    ]
    .iter()
    .fold(message.to_string(), |text, (serde, toml)| {
        text.replace(serde, toml)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::client_auth::ClientAuthMethod;
    use crate::paging::PageStyle;

    fn parse(text: &str) -> Result<ProfileFile> {
        ProfileFile::parse(Path::new("/x/profiles.toml"), text)
    }

    #[test]
    fn the_scm_provider_fills_urls_and_scope() {
        let f = parse(
            "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"sa@1.iam\"\ntsg_id = 1234567890\n",
        )
        .unwrap();
        let p = f.select(None).unwrap();
        assert_eq!(
            p.token_request.url.as_str(),
            "https://auth.apps.paloaltonetworks.com/oauth2/access_token"
        );
        assert_eq!(
            p.api_base.unwrap().as_str(),
            "https://api.strata.paloaltonetworks.com/"
        );
        assert_eq!(p.token_request.scope.as_deref(), Some("tsg_id:1234567890"));
        assert_eq!(
            p.token_request.client_auth.method(),
            ClientAuthMethod::Basic
        );
        assert_eq!(
            p.token_request
                .client_auth
                .credential_source()
                .unwrap()
                .keyring_account,
            "sa@1.iam@auth.apps.paloaltonetworks.com"
        );
    }

    #[test]
    fn profile_keys_override_the_provider() {
        let f = parse(
            "[profiles.scm]\nprovider = \"scm\"\nclient_id = \"a\"\ntsg_id = \"1\"\nscope = [\"x\", \"y\"]\nclient_auth = \"json\"\ntoken_url = \"https://auth.example/t\"\n",
        )
        .unwrap();
        let p = f.select(Some("scm")).unwrap();
        assert_eq!(p.token_request.scope.as_deref(), Some("x y"));
        assert_eq!(p.token_request.client_auth.method(), ClientAuthMethod::Json);
        assert_eq!(p.token_request.url.as_str(), "https://auth.example/t");
    }

    #[test]
    fn unknown_key_names_line_profile_and_nearest_key() {
        let err = parse("[profiles.scm]\nprovider = \"scm\"\nclient_id = \"a\"\ntsgid = \"1\"\n")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "/x/profiles.toml: line 4: profile scm has an unknown key `tsgid`; did you mean `tsg_id`?"
        );
    }

    #[test]
    fn a_provider_key_without_its_provider_is_explained() {
        let err =
            parse("[profiles.x]\ntoken_url = \"https://a/t\"\nclient_id = \"a\"\ntsg_id = \"1\"\n")
                .unwrap_err();
        assert!(
            err.to_string()
                .contains("line 4: profile x sets `tsg_id`, which only provider = \"scm\" uses"),
            "{err}"
        );
    }

    #[test]
    fn broken_toml_reports_line_and_column() {
        let err = parse("[profiles.scm]\nclient_id = \"a\nx=1\n").unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with("/x/profiles.toml: TOML parse error at line 2, column"),
            "{msg}"
        );
    }

    #[test]
    fn wrong_type_reports_line() {
        let err = parse(
            "[profiles.a]\ntoken_url = \"https://a/t\"\nclient_id = \"a\"\nmin_ttl = \"soon\"\n",
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line 4"), "{msg}");
        assert!(msg.contains("expected a whole number (0 or more)"), "{msg}");
        for (value, found) in [
            ("5", "integer"),
            ("[\"a\", 1]", "integer"),
            ("{ a = \"b\" }", "table"),
        ] {
            let err = parse(&format!(
                "[profiles.a]\ntoken_url = \"https://a/t\"\nclient_id = \"a\"\nscope = {value}\n"
            ))
            .unwrap_err();
            assert!(
                err.to_string().contains(&format!(
                    "expected a string or a list of strings, found {found}"
                )),
                "{value}: {err}"
            );
        }
    }

    #[test]
    fn several_profiles_without_default_lists_them() {
        let f = parse("[profiles.a]\nclient_id=\"1\"\ntoken_url=\"https://a/t\"\n[profiles.b]\nclient_id=\"1\"\ntoken_url=\"https://a/t\"\n").unwrap();
        let err = f.select(None).unwrap_err().to_string();
        assert!(err.contains("choose one with -p NAME: a, b"), "{err}");
        let err = f.select(Some("c")).unwrap_err().to_string();
        assert!(
            err.contains("no profile named c in /x/profiles.toml; known profiles: a, b"),
            "{err}"
        );
    }

    #[test]
    fn plain_http_is_refused_except_on_loopback() {
        let f = parse("[profiles.a]\nclient_id=\"1\"\ntoken_url=\"http://auth.example.com/t\"\n")
            .unwrap();
        let err = f.select(None).unwrap_err().to_string();
        assert!(err.contains("is not https"), "{err}");
        for host in ["127.0.0.1:8080", "localhost", "[::1]:99", "127.9.9.9"] {
            let f = parse(&format!(
                "[profiles.a]\nclient_id=\"1\"\ntoken_url=\"http://{host}/t\"\n"
            ))
            .unwrap();
            f.select(None).unwrap();
        }
    }

    #[test]
    fn allowed_origins_are_origins_over_tls() {
        let text = |origins: &str| {
            format!(
                "[profiles.a]\nclient_id=\"1\"\ntoken_url=\"https://a/t\"\nallowed_origins = {origins}\n"
            )
        };
        let p = parse(&text(
            r#"["https://accounts.example.com", "http://127.0.0.1:8080/"]"#,
        ))
        .unwrap()
        .select(None)
        .unwrap();
        let shown: Vec<String> = p
            .allowed_origins
            .iter()
            .map(|u| u.origin().ascii_serialization())
            .collect();
        assert_eq!(
            shown,
            ["https://accounts.example.com", "http://127.0.0.1:8080"]
        );
        let err = parse(&text(r#"["https://accounts.example.com/v1"]"#))
            .unwrap()
            .select(None)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`https://accounts.example.com/v1` is not an origin"),
            "{err}"
        );
        let err = parse(&text(r#"["http://accounts.example.com"]"#))
            .unwrap()
            .select(None)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not https"), "{err}");
    }

    #[test]
    fn paging_names_a_style() {
        let text = |style: &str| {
            format!(
                "[profiles.a]\nclient_id=\"1\"\ntoken_url=\"https://a/t\"\npaging = \"{style}\"\n"
            )
        };
        let p = parse(&text("offset-pagelength"))
            .unwrap()
            .select(None)
            .unwrap();
        assert_eq!(p.paging, Some(PageStyle::OffsetPagelength));
        let err = parse(&text("cursor")).unwrap_err().to_string();
        assert!(
            err.contains("line 4") && err.contains("offset-limit"),
            "{err}"
        );
    }

    #[test]
    fn scm_without_tsg_id_says_what_is_missing() {
        let f = parse("[profiles.scm]\nprovider = \"scm\"\nclient_id = \"a\"\n").unwrap();
        let err = f.select(None).unwrap_err().to_string();
        assert!(
            err.contains("provider scm needs `tsg_id` (your Tenant Service Group id)"),
            "{err}"
        );
    }
}
