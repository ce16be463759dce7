//! Which profile file and which profile the user chose, before anything is read.

use std::path::PathBuf;

use anyhow::Result;

use super::file::{ProfileFile, default_path};
use super::profile::Profile;

/// The `--config` and `-p` of a command line.
#[derive(Debug, Clone)]
pub struct Selection {
    /// `--config` or `$OAUTHCTL_CONFIG` (clap reads both); `None` means the platform default.
    pub config: Option<PathBuf>,
    /// `-p` or `$OAUTHCTL_PROFILE`; `None` means the file's default.
    pub profile: Option<String>,
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

    /// Loads the file and resolves the chosen profile.
    pub fn resolve(&self) -> Result<(ProfileFile, Profile)> {
        let file = self.load_file()?;
        let profile = file.select(self.profile.as_deref())?;
        Ok((file, profile))
    }
}
