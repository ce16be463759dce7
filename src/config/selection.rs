//! Which profile file and which profile the user chose, before anything is read.

use std::path::PathBuf;

use anyhow::Result;

use super::env::{self, ENV_PROFILE};
use super::file::{ProfileFile, default_path};
use super::layers::Override;
use super::profile::Profile;
use crate::oauth::discovery::{Discover, Nowhere};
use crate::secret::any_handed;

/// The `--config`, `-p` and `--set` of a command line.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `--config` or `$OAUTHCTL_CONFIG` (clap reads both); `None` means the platform default.
    pub config: Option<PathBuf>,
    /// `-p` or `$OAUTHCTL_PROFILE`; `None` means the file's default. `env` is the profile from
    /// the environment.
    pub profile: Option<String>,
    /// `--set KEY=VALUE` and its shorthands, in the order they apply.
    pub overrides: Vec<Override>,
}

impl Selection {
    /// The profile file, and why that one: `$OAUTHCTL_CONFIG`, `--config`, or the platform's
    /// default.
    pub fn file_path(&self) -> Result<(PathBuf, &'static str)> {
        Ok(match &self.config {
            Some(path)
                if std::env::var_os("OAUTHCTL_CONFIG").is_some_and(|v| *v == *path.as_os_str()) =>
            {
                (path.clone(), "from $OAUTHCTL_CONFIG")
            }
            Some(path) => (path.clone(), "from --config"),
            None => (default_path()?, "the default for this platform"),
        })
    }

    pub fn load_file(&self) -> Result<ProfileFile> {
        ProfileFile::load(&self.file_path()?.0)
    }

    /// Whether the profile comes from `OAUTHCTL_*` variables: asked for with `-p env`, or no
    /// profile is named, there is no profile file, and such variables are set.
    pub fn from_env(&self) -> bool {
        match self.profile.as_deref() {
            Some(name) => name == ENV_PROFILE,
            None => {
                (env::any_set() || any_handed())
                    && self.file_path().is_ok_and(|(path, _)| !path.exists())
            }
        }
    }

    /// The chosen profile of `file`, with `--set` over it.
    pub fn select_in(&self, file: &ProfileFile, discover: &dyn Discover) -> Result<Profile> {
        file.select_discovering(self.profile.as_deref(), &self.overrides, discover)
    }

    /// Loads the file and resolves the chosen profile; the profile from the environment has no
    /// file. Touches no network: a profile whose endpoints come from its issuer is
    /// [`Undiscovered`](super::Undiscovered) here (see [`Self::resolve_discovering`]).
    pub fn resolve(&self) -> Result<(Option<ProfileFile>, Profile)> {
        self.resolve_discovering(&Nowhere)
    }

    /// [`Self::resolve`], an issuer's metadata from `discover` (`tokens::discovery`: the cache,
    /// then the network, for the commands that need endpoints).
    pub fn resolve_discovering(
        &self,
        discover: &dyn Discover,
    ) -> Result<(Option<ProfileFile>, Profile)> {
        if self.from_env() {
            return Ok((None, env::profile(&self.overrides, discover)?));
        }
        let file = self.load_file()?;
        let profile =
            file.select_discovering(self.profile.as_deref(), &self.overrides, discover)?;
        Ok((Some(file), profile))
    }
}
