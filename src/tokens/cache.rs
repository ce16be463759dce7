//! The token cache: one JSON file per token identity, written atomically, shared by processes.
//!
//! Layout: `<cache dir>/<sha256 of the identity>.json` beside a `.lock` file of the same stem.
//! The folder is 0700 and the files 0600. A write goes to a temporary file in the same folder and
//! is renamed into place, so a reader sees the old entry or the new one, never half of one. A
//! process that finds no valid entry takes the lock (std `File::lock`), reads again under it, and
//! only then asks the token endpoint: N processes on a cold cache send one request.
//!
//! The folder may once have been open to other users, who could have planted anything in it, so
//! nothing in it is trusted (see [`crate::fsutil`]): a folder that is a link, or whose parent other
//! users can write to, is not used; an entry is read only when it is a regular file of ours of at
//! most [`MAX_ENTRY`] bytes, opened without following a link or blocking; files are created
//! exclusively under names nobody can guess; a lock file that is not a regular file of ours is
//! removed (or, when it cannot be, the token is fetched without the lock).
//! Cache trouble is never fatal: a corrupt entry is replaced, a folder that cannot be written is
//! reported on stderr and the token is still printed.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Profile;
use crate::dpop::{self, DpopKey};
use crate::fsutil::{self, Refused};

/// Format version of an entry; an entry of another version is ignored and replaced.
const VERSION: u32 = 1;

/// The most bytes an entry may have: twice the largest token response oauthctl accepts. A larger
/// file is corrupt (or planted) and is replaced without being read.
pub const MAX_ENTRY: u64 = 2 * 1024 * 1024;

/// The last second RFC 3339 can write (9999-12-31T23:59:59Z). An expiry is capped here, so that a
/// lifetime of `1e30` seconds means "for as long as anyone can say", and every expiry can be
/// turned into a time to print without overflowing `SystemTime`.
pub const LATEST: u64 = 253_402_300_799;

/// Everything that makes two tokens different: two profiles that agree on all of it may share a
/// token, and two tenants never do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub token_url: String,
    pub client_id: String,
    pub grant: String,
    pub scope: Option<String>,
    pub extra_params: Vec<(String, String)>,
    pub username: Option<String>,
    /// `dpop = true`: its tokens are bound to the client's DPoP key. Left out when false, so that
    /// the entries of profiles without DPoP keep their names.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dpop: bool,
}

impl Identity {
    pub fn of(profile: &Profile) -> Identity {
        let request = &profile.token_request;
        Identity {
            token_url: request.url.to_string(),
            client_id: request.client_id.clone(),
            grant: request.grant.grant_type().as_str().into(),
            scope: request.scope.clone(),
            extra_params: request
                .extra_params
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            username: request.grant.username().map(str::to_string),
            dpop: profile.dpop.is_some(),
        }
    }

    /// The entry's file stem: a hash, so that ids and URLs do not become file names.
    pub fn key(&self) -> String {
        let canonical = serde_json::to_vec(self).expect("identity serializes");
        Sha256::digest(&canonical)
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// One cached token: the identity it answers, when it was fetched, and the token response.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub version: u32,
    pub identity: Identity,
    /// Unix seconds when the token request was sent.
    pub obtained_at: u64,
    /// Unix seconds when the token expires; `None` when the server gave no `expires_in`.
    pub expires_at: Option<u64>,
    /// The token response as received: `access_token`, `token_type`, `scope`, extra fields.
    pub response: serde_json::Map<String, serde_json::Value>,
    /// For a DPoP-bound token (`token_type` DPoP), the thumbprint of the key it is bound to
    /// (RFC 9449 §6's `jkt`): a token bound to a key that was replaced is not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jkt: Option<String>,
}

impl Entry {
    /// The entry of `response`, bound to `dpop` when the token endpoint made it a DPoP token.
    pub fn new(
        identity: Identity,
        obtained_at: u64,
        response: crate::oauth::response::TokenResponse,
        dpop: Option<&DpopKey>,
    ) -> Entry {
        let expires_at = match response.expires_in {
            Some(seconds) => Some(obtained_at.saturating_add(seconds)),
            // RFC 6749 §5.1 only recommends expires_in. A JWT's `exp` claim says when it ends;
            // it is read without verifying the token, as it only decides when to fetch again.
            None => jwt_expiry(&response.fields),
        };
        let mut fields = response.fields;
        // oauthctl never uses a refresh token, and one from a password grant stands in for the
        // user's password for weeks: it is neither written to disk nor printed.
        fields.remove("refresh_token");
        let token_type = fields.get("token_type").and_then(|t| t.as_str());
        let jkt = dpop
            .filter(|_| dpop::is_dpop(token_type))
            .map(|key| key.thumbprint().to_string());
        Entry {
            version: VERSION,
            identity,
            obtained_at,
            expires_at: expires_at.map(|at| at.min(LATEST)),
            response: fields,
            jkt,
        }
    }

    /// True for a DPoP-bound token (`token_type` DPoP): it goes only with a proof, never as a
    /// bearer token.
    pub fn is_dpop(&self) -> bool {
        dpop::is_dpop(self.response.get("token_type").and_then(|t| t.as_str()))
    }

    /// Whether the token can be sent with `key` (the profile's DPoP key, if it uses DPoP): a
    /// bearer token can, and a DPoP-bound one only with the key it is bound to.
    pub fn bound_to(&self, key: Option<&DpopKey>) -> bool {
        !self.is_dpop() || key.is_some_and(|k| self.jkt.as_deref() == Some(k.thumbprint()))
    }

    /// Usable when more than `min_ttl` seconds remain (or the token has no known expiry).
    pub fn is_fresh(&self, min_ttl: u64, now: u64) -> bool {
        match self.expires_at {
            Some(at) => at > now.saturating_add(min_ttl),
            None => true,
        }
    }

    /// The token, when it is one: an entry whose token is not visible ASCII is never served.
    pub fn access_token(&self) -> Option<&str> {
        let token = self.response.get("access_token").and_then(|v| v.as_str());
        token.filter(|t| crate::oauth::response::is_token(t))
    }
}

/// The `exp` claim of a JWT access token, if the token is a JWT and has one.
fn jwt_expiry(response: &serde_json::Map<String, serde_json::Value>) -> Option<u64> {
    let token = response.get("access_token")?.as_str()?;
    match crate::jwt::decode(token).ok()? {
        crate::jwt::Decoded::Jwt { claims, .. } => claims.get("exp")?.as_u64(),
        crate::jwt::Decoded::Opaque { .. } => None,
    }
}

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `$OAUTHCTL_CACHE_DIR`, else `<platform cache dir>/oauthctl`.
pub fn default_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("OAUTHCTL_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    dirs::cache_dir()
        .map(|d| d.join("oauthctl"))
        .ok_or_else(|| {
            anyhow!("cannot find the cache folder (is $HOME set?); set $OAUTHCTL_CACHE_DIR")
        })
}

/// The cache folder, and the entries and locks in it.
#[derive(Debug)]
pub struct TokenCache {
    dir: PathBuf,
}

/// Holds the lock of one entry until dropped.
pub struct Lock {
    _file: File,
    /// True when another process held the lock and this one waited for it.
    pub waited: bool,
}

impl TokenCache {
    pub fn new(dir: PathBuf) -> TokenCache {
        // Without a trailing slash, which would make the system follow a link at the end of the
        // path (`link/` is the folder it points to) when the folder is looked at.
        TokenCache {
            dir: dir.components().collect(),
        }
    }

    fn entry_path(&self, id: &Identity) -> PathBuf {
        self.dir.join(format!("{}.json", id.key()))
    }

    /// Reads the entry for `id`; a missing, unreadable, corrupt or foreign entry is `None`.
    pub fn read(&self, id: &Identity) -> Option<Entry> {
        self.load(id).ok().flatten()
    }

    /// The entry for `id`. `Ok(None)` when there is none, or one this version does not use (another
    /// format version or identity), which is replaced without a word; `Err` says what is wrong with
    /// a file that is there but cannot be used: unreadable, corrupt, too large, another user's, or
    /// not a regular file. A folder that may not be used (see [`Self::inspect_dir`]) is an `Err`.
    pub fn load(&self, id: &Identity) -> Result<Option<Entry>> {
        if self.inspect_dir()?.is_none() {
            return Ok(None);
        }
        let path = self.entry_path(id);
        let Some(entry) = read_entry(&path)? else {
            return Ok(None);
        };
        // A file holds the identity it answers, and only that one is served: an entry of another
        // tenant (or without a token) under this name is not ours to use.
        Ok((entry.identity == *id && entry.access_token().is_some()).then_some(entry))
    }

    /// Looks at the folder and the entry before either is read: a folder that may not be used (see
    /// [`Self::inspect_dir`]) is refused, and a folder or an entry open to other users is made
    /// private, saying so on stderr.
    /// A folder that does not exist yet is fine: the first write creates it.
    pub fn check(&self, id: &Identity) -> Result<()> {
        if self.inspect_dir()?.is_none() {
            return Ok(());
        }
        self.check_dir()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            let path = self.entry_path(id);
            if let Ok(meta) = fs::symlink_metadata(&path)
                && meta.is_file()
                && meta.uid() == fsutil::euid()
                && meta.mode() & 0o077 != 0
            {
                let private = meta.mode() & 0o600;
                fs::set_permissions(&path, fs::Permissions::from_mode(private)).with_context(
                    || {
                        format!(
                            "cache entry {} is open to other users and cannot be made private",
                            path.display()
                        )
                    },
                )?;
                eprintln!(
                    "oauthctl: cache entry {} was open to other users (mode {:o}); made it {private:04o}",
                    path.display(),
                    meta.mode() & 0o777
                );
            }
        }
        // Windows has no modes: an entry has the ACL the folder passes down, which check_dir has
        // just made private (and the system passed down to what was there).
        #[cfg(not(unix))]
        let _ = id;
        Ok(())
    }

    /// Creates the folder with mode 0700, or checks an existing one (see [`Self::check_dir`]).
    pub(super) fn ensure_dir(&self) -> Result<()> {
        if self.inspect_dir()?.is_none() {
            // The first folder that is there decides who could swap what is created under it.
            if let Some(existing) = self.dir.ancestors().skip(1).find(|a| a.is_dir()) {
                check_parent(&self.dir, existing)?;
            }
            create_private_dir(&self.dir)
                .with_context(|| format!("cannot create cache folder {}", self.dir.display()))?;
        }
        self.check_dir()
    }

    /// The folder's metadata when it may be used, `None` when it is not there, and an error for a
    /// folder that may not be used: a symbolic link (whoever made it chose where tokens go), not a
    /// folder, another user's folder, or one in a folder that other users can write to (they could
    /// swap it for one of theirs). Changes nothing.
    pub fn inspect_dir(&self) -> Result<Option<fs::Metadata>> {
        let dir = &self.dir;
        let meta = match fs::symlink_metadata(dir) {
            Ok(meta) => meta,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("cannot read cache folder {}", dir.display()));
            }
        };
        if meta.file_type().is_symlink() {
            let target = fs::read_link(dir)
                .map(|t| t.display().to_string())
                .unwrap_or_else(|_| "?".into());
            bail!(
                "cache folder {} is a symbolic link (to {target}), which oauthctl does not follow\nhint: point $OAUTHCTL_CACHE_DIR at the folder itself if it is yours, or replace the link by a folder",
                dir.display()
            );
        }
        if !meta.is_dir() {
            bail!(
                "cache folder {} is not a folder\nhint: point $OAUTHCTL_CACHE_DIR at a folder, or at a path where one can be created",
                dir.display()
            );
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if meta.uid() != fsutil::euid() {
                bail!(
                    "cache folder {} belongs to another user (uid {})\nhint: point $OAUTHCTL_CACHE_DIR at a folder of your own",
                    dir.display(),
                    meta.uid()
                );
            }
        }
        #[cfg(windows)]
        {
            let me = crate::winacl::sys::me()?;
            let security = crate::winacl::sys::of_path(dir).with_context(|| {
                format!("cannot read the ACL of cache folder {}", dir.display())
            })?;
            if !security.owned_by(me) {
                bail!(
                    "cache folder {} belongs to another user ({})\nhint: point $OAUTHCTL_CACHE_DIR at a folder of your own",
                    dir.display(),
                    security.owner_name()
                );
            }
        }
        if let Some(parent) = dir.parent() {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            check_parent(dir, parent)?;
        }
        Ok(Some(meta))
    }

    /// Refuses a folder that may not be used (see [`Self::inspect_dir`]), and takes away what other
    /// users may do in ours, keeping what its owner may (a folder made read-only stays read-only).
    fn check_dir(&self) -> Result<()> {
        let Some(meta) = self.inspect_dir()? else {
            bail!("cache folder {} is not there", self.dir.display());
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            if meta.mode() & 0o077 != 0 {
                let private = meta.mode() & 0o700;
                fs::set_permissions(&self.dir, fs::Permissions::from_mode(private)).with_context(
                    || {
                        format!(
                            "cache folder {} is open to other users and cannot be made private",
                            self.dir.display()
                        )
                    },
                )?;
                eprintln!(
                    "oauthctl: cache folder {} was open to other users (mode {:o}); made it {private:04o}",
                    self.dir.display(),
                    meta.mode() & 0o777
                );
            }
        }
        #[cfg(windows)]
        {
            let _ = meta;
            let others = crate::winacl::sys::others_allowed(&self.dir).with_context(|| {
                format!("cannot read the ACL of cache folder {}", self.dir.display())
            })?;
            if !others.is_empty() {
                crate::winacl::sys::make_private(&self.dir).with_context(|| {
                    format!(
                        "cache folder {} is open to other users and cannot be made private",
                        self.dir.display()
                    )
                })?;
                eprintln!(
                    "oauthctl: cache folder {} was open to other users (its ACL let in {}); made it private (you, SYSTEM and Administrators)",
                    self.dir.display(),
                    others.join(", ")
                );
            }
        }
        Ok(())
    }

    /// Takes the entry's lock, waiting for another process that holds it. The caller goes on
    /// unlocked when this fails (a read-only folder): the token matters more than the cache.
    pub fn lock(&self, id: &Identity) -> Result<Lock> {
        self.ensure_dir()?;
        let path = self.dir.join(format!("{}.lock", id.key()));
        let file = match fsutil::open_lock(&path) {
            Ok(file) => file,
            Err(err) => match fsutil::refusal(&err).cloned() {
                // Planted (or left from a time the folder was open to others): a lock of someone
                // else's would let them hold us off or read along. Removed, never followed.
                Some(refused) => {
                    fsutil::remove_planted(&path).with_context(|| {
                        format!(
                            "lock file {} {refused}, and oauthctl cannot remove it\nhint: remove {} (oauthctl did not make it)",
                            path.display(),
                            path.display()
                        )
                    })?;
                    eprintln!(
                        "oauthctl: lock file {} {refused}; removed it",
                        path.display()
                    );
                    fsutil::open_lock(&path)
                        .with_context(|| format!("cannot open lock file {}", path.display()))?
                }
                None => {
                    return Err(err)
                        .with_context(|| format!("cannot open lock file {}", path.display()));
                }
            },
        };
        let waited = match file.try_lock() {
            Ok(()) => false,
            Err(std::fs::TryLockError::WouldBlock) => {
                file.lock()
                    .with_context(|| format!("cannot lock {}", path.display()))?;
                true
            }
            Err(std::fs::TryLockError::Error(err)) => {
                return Err(err).with_context(|| format!("cannot lock {}", path.display()));
            }
        };
        // Writers of the entry hold this lock (tokens::get), so a temporary file of the entry
        // now is one a killed writer left; without this they would pile up, one per kill. (A
        // writer that could not take the lock at all may lose its write to this: its token is
        // still printed, only not cached.)
        fsutil::remove_stale_temps(&self.entry_path(id));
        Ok(Lock {
            _file: file,
            waited,
        })
    }

    /// Writes the entry atomically: a private temporary file in the same folder, then a rename.
    /// The folder is checked afresh first, and the temporary file is created exclusively under a
    /// new random name, so a write without the lock (one that could not be taken) neither lands
    /// in a planted file nor writes through a planted link.
    pub fn write(&self, entry: &Entry) -> Result<()> {
        let name = format!("{}.json", entry.identity.key());
        self.write_file(&name, &serde_json::to_vec(entry)?)
    }

    /// Writes the file `name` in the folder as [`Self::write`] writes an entry (an issuer's
    /// metadata, `tokens::discovery`).
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> Result<()> {
        self.ensure_dir()?;
        let path = self.dir.join(name);
        let what = if name.ends_with(".json") {
            "cache entry"
        } else {
            "cache file"
        };
        fsutil::write_atomic(&path, bytes).map_err(|err| {
            let hint = match err.kind() {
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                    format!(
                        "\nhint: make {} writable for you, or point $OAUTHCTL_CACHE_DIR at a folder that is",
                        self.dir.display()
                    )
                }
                _ => String::new(),
            };
            anyhow!("cannot write {what} {}: {err}{hint}", path.display())
        })
    }

    /// The cache folder (where the HTTP Basic spelling notes live too, see
    /// `oauth::client_auth::basic`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every usable entry, for `cache list`: read as [`Self::load`] reads one (a regular file of
    /// ours, bounded, not followed), and only under the file name of the identity it records.
    /// Files that fail are skipped, as `load` skips them. A folder that may not be used is an error.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        if self.inspect_dir()?.is_none() {
            return Ok(Vec::new());
        }
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Ok(Vec::new());
        };
        let mut entries: Vec<Entry> = dir
            .flatten()
            .filter(|f| f.path().extension().is_some_and(|e| e == "json"))
            .filter_map(|f| {
                read_entry(&f.path())
                    .ok()
                    .flatten()
                    .filter(|e| self.entry_path(&e.identity) == f.path())
            })
            .filter(|e| e.access_token().is_some())
            .collect();
        entries.sort_by(|a, b| {
            a.identity
                .token_url
                .cmp(&b.identity.token_url)
                .then(a.identity.scope.cmp(&b.identity.scope))
        });
        Ok(entries)
    }

    /// Removes every entry and lock file (and whatever was planted under such a name, without
    /// following it); returns how many tokens were removed. Goes on past a file that cannot be
    /// removed, and then says which.
    pub fn clear(&self) -> Result<usize> {
        if self.inspect_dir()?.is_none() {
            return Ok(0);
        }
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return Ok(0);
        };
        let mut removed = 0;
        let mut failed = None;
        for file in dir.flatten() {
            let path = file.path();
            let name = file.file_name().to_string_lossy().to_string();
            let ours = name.ends_with(".json")
                || name.ends_with(".lock")
                || name.ends_with(".basic")
                || name.ends_with(".discovery")
                || name.contains(".json.tmp")
                || name.contains(".discovery.tmp");
            if !ours {
                continue;
            }
            // DirEntry::file_type does not follow a link.
            let kind = file.file_type().ok();
            let result = if kind.is_some_and(|k| k.is_dir()) {
                fs::remove_dir(&path)
            } else {
                fs::remove_file(&path)
            };
            match result {
                Ok(()) => {
                    removed +=
                        usize::from(name.ends_with(".json") && kind.is_some_and(|k| k.is_file()));
                }
                Err(err) => {
                    failed.get_or_insert(
                        anyhow!(err).context(format!("cannot remove {}", path.display())),
                    );
                }
            }
        }
        match failed {
            Some(err) => Err(err),
            None => Ok(removed),
        }
    }

    /// Deletes the entry for `id`; a missing entry is not an error. Callers hold the entry's lock.
    pub fn remove(&self, id: &Identity) -> Result<()> {
        if self.inspect_dir()?.is_none() {
            return Ok(());
        }
        let path = self.entry_path(id);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => {
                Err(err).with_context(|| format!("cannot remove cache entry {}", path.display()))
            }
        }
    }

    /// Removes, each under its lock, every entry whose identity `drop` picks (the tokens fetched
    /// with a secret that was just replaced or deleted); returns how many.
    pub fn remove_where(&self, drop: impl Fn(&Identity) -> bool) -> Result<usize> {
        let mut removed = 0;
        for entry in self.entries()? {
            if drop(&entry.identity) {
                // Best effort: without the lock (a read-only folder) the removal says why it failed.
                let _lock = self.lock(&entry.identity).ok();
                self.remove(&entry.identity)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

/// Reads the entry at `path`: `None` when there is none or it has another format version, an
/// error that names the file when it may not be read or is corrupt.
fn read_entry(path: &Path) -> Result<Option<Entry>> {
    let shown = path.display();
    let bytes = match fsutil::read_private(path, MAX_ENTRY) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ok(None),
        Err(err) => {
            return Err(match fsutil::refusal(&err) {
                Some(Refused::TooLarge { size, limit }) => anyhow!(
                    "cache entry {shown} is corrupt ({size} bytes, more than the {limit} an entry may have)"
                ),
                // Someone else could have put any token there, for this identity.
                Some(refused) => anyhow!("cache entry {shown} {refused}"),
                None => anyhow!(err).context(format!("cannot read cache entry {shown}")),
            });
        }
    };
    let corrupt = |err: serde_json::Error| anyhow!("cache entry {shown} is corrupt ({err})");
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(corrupt)?;
    if value.get("version").and_then(serde_json::Value::as_u64) != Some(VERSION.into()) {
        return Ok(None);
    }
    serde_json::from_value(value).map(Some).map_err(corrupt)
}

/// Refuses `dir` when `parent`, the folder it is in, lets another user swap it for a folder or a
/// link of theirs: writable by others without the sticky bit, or owned by another user than us or
/// root.
fn check_parent(dir: &Path, parent: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(meta) = fs::metadata(parent) else {
            return Ok(());
        };
        let (mode, owner) = (meta.mode(), meta.uid());
        if mode & 0o002 != 0 && mode & 0o1000 == 0 {
            bail!(
                "cache folder {} is in {}, which other users can write to (mode {:o}, no sticky bit): they could swap the cache folder for one of theirs\nhint: chmod o-w {} (or point $OAUTHCTL_CACHE_DIR at a folder in a private one)",
                dir.display(),
                parent.display(),
                mode & 0o7777,
                parent.display()
            );
        }
        if owner != fsutil::euid() && owner != 0 {
            bail!(
                "cache folder {} is in {}, which belongs to another user (uid {owner}): they could swap the cache folder for one of theirs\nhint: point $OAUTHCTL_CACHE_DIR at a folder in one of your own",
                dir.display(),
                parent.display()
            );
        }
    }
    #[cfg(windows)]
    {
        let Ok(security) = crate::winacl::sys::of_path(parent) else {
            return Ok(());
        };
        let me = crate::winacl::sys::me()?;
        let others = security.others_who_can_swap(me);
        if !others.is_empty() {
            bail!(
                "cache folder {} is in {}, whose ACL lets {} delete or rename what is in it: they could swap the cache folder for one of theirs\nhint: take that access away (icacls) or point $OAUTHCTL_CACHE_DIR at a folder in a private one, such as %LOCALAPPDATA%",
                dir.display(),
                parent.display(),
                others.join(", ")
            );
        }
        if !security.parent_owned_by(me) {
            bail!(
                "cache folder {} is in {}, which belongs to another user ({}): they could swap the cache folder for one of theirs\nhint: point $OAUTHCTL_CACHE_DIR at a folder in one of your own",
                dir.display(),
                parent.display(),
                security.owner_name()
            );
        }
    }
    #[cfg(not(any(unix, windows)))]
    let _ = (dir, parent);
    Ok(())
}

/// Creates `dir` and the folders it is in. The cache folder itself is private from its first
/// moment: mode 0700 on Unix; on Windows an ACL for you, SYSTEM and Administrators alone, not
/// the one its parent passes down.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(windows)]
    {
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        match crate::winacl::sys::create_private_dir(dir) {
            // Another process made it first: check_dir looks at it next.
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
            other => other,
        }
    }
    #[cfg(not(windows))]
    {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(scope: &str) -> Identity {
        Identity {
            token_url: "https://a/t".into(),
            client_id: "c".into(),
            grant: "client_credentials".into(),
            scope: Some(scope.into()),
            extra_params: vec![],
            username: None,
            dpop: false,
        }
    }

    #[test]
    fn dpop_makes_another_entry_and_its_absence_keeps_the_old_names() {
        let plain = identity("s");
        assert!(
            !String::from_utf8(serde_json::to_vec(&plain).unwrap())
                .unwrap()
                .contains("dpop")
        );
        let bound = Identity {
            dpop: true,
            ..identity("s")
        };
        assert_ne!(plain.key(), bound.key());
    }

    #[test]
    fn different_scopes_are_different_entries() {
        assert_ne!(identity("tsg_id:1").key(), identity("tsg_id:2").key());
        assert_eq!(identity("tsg_id:1").key(), identity("tsg_id:1").key());
    }

    #[test]
    fn freshness_respects_min_ttl_and_missing_expiry() {
        let mut e = Entry {
            version: VERSION,
            identity: identity("s"),
            obtained_at: 1000,
            expires_at: Some(1899),
            response: Default::default(),
            jkt: None,
        };
        assert!(e.is_fresh(60, 1000));
        assert!(!e.is_fresh(60, 1839));
        e.expires_at = None;
        assert!(e.is_fresh(60, u64::MAX - 1));
    }

    #[test]
    fn a_dpop_token_goes_only_with_the_key_it_is_bound_to() {
        let key = DpopKey::generate().unwrap();
        let other = DpopKey::generate().unwrap();
        let mut answer = response("t", Some(900));
        answer.fields.insert("token_type".into(), "DPoP".into());
        let bound = Entry::new(identity("s"), 1000, answer, Some(&key));
        assert_eq!(bound.jkt.as_deref(), Some(key.thumbprint()));
        assert!(bound.bound_to(Some(&key)));
        assert!(!bound.bound_to(Some(&other)));
        assert!(!bound.bound_to(None));
        // A bearer token, even one asked for with a proof, is bound to nothing.
        let bearer = Entry::new(identity("s"), 1000, response("t", Some(900)), Some(&key));
        assert_eq!(bearer.jkt, None);
        assert!(bearer.bound_to(None) && bearer.bound_to(Some(&other)));
    }

    fn response(token: &str, expires_in: Option<u64>) -> crate::oauth::response::TokenResponse {
        let mut fields = serde_json::Map::new();
        fields.insert("access_token".into(), token.into());
        crate::oauth::response::TokenResponse {
            fields,
            expires_in,
            refresh_token: None,
        }
    }

    #[test]
    fn expiry_is_capped_at_the_last_rfc3339_second() {
        let e = Entry::new(identity("s"), 1000, response("t", Some(u64::MAX)), None);
        assert_eq!(e.expires_at, Some(LATEST));
        let e = Entry::new(identity("s"), 1000, response("t", Some(899)), None);
        assert_eq!(e.expires_at, Some(1899));
    }

    #[test]
    fn without_expires_in_a_jwt_expires_at_its_exp_claim() {
        // {"alg":"RS256"} . {"sub":"sa","exp":1700000000} . sig
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYSIsImV4cCI6MTcwMDAwMDAwMH0.c2ln";
        let e = Entry::new(identity("s"), 1000, response(jwt, None), None);
        assert_eq!(e.expires_at, Some(1_700_000_000));
        // expires_in, when given, wins over the claim.
        let e = Entry::new(identity("s"), 1000, response(jwt, Some(60)), None);
        assert_eq!(e.expires_at, Some(1060));
        let e = Entry::new(identity("s"), 1000, response("decc891e-4bee", None), None);
        assert_eq!(e.expires_at, None);
    }
}
