//! One module per subcommand. Each takes plain values, never clap types.

pub mod cache;
pub mod call;
pub mod completions;
pub mod doctor;
pub mod exec;
pub mod inspect;
pub mod profiles;
pub mod secret;
pub mod token;

use std::path::PathBuf;

use anyhow::Result;

use crate::profile::{self, Profile, ProfileFile};

/// Which profile file and profile the user chose, before anything is read.
#[derive(Debug, Clone)]
pub struct Selection {
    /// `--config` or `$OAUTHCTL_CONFIG`; `None` means the platform default.
    pub config: Option<PathBuf>,
    /// `-p` or `$OAUTHCTL_PROFILE`; `None` means the file's default.
    pub profile: Option<String>,
}

impl Selection {
    pub fn load_file(&self) -> Result<ProfileFile> {
        let path = match &self.config {
            Some(path) => path.clone(),
            None => profile::default_path()?,
        };
        ProfileFile::load(&path)
    }

    /// Loads the file and resolves the chosen profile.
    pub fn resolve(&self) -> Result<(ProfileFile, Profile)> {
        let file = self.load_file()?;
        let profile = file.select(self.profile.as_deref())?;
        Ok((file, profile))
    }
}
