//! Files that must never be seen half-written or by other users, in folders that other users may
//! once have been able to write to (a cache folder that was 0777 for a while).
//!
//! Whatever another user planted in such a folder (a symbolic link to a file of theirs, a FIFO
//! that blocks the first reader, a folder where a file should be, a file of theirs) must neither
//! receive what we write nor hang or feed what we read. So every file is created exclusively
//! (`O_CREAT|O_EXCL`, never through a link) under a name nobody can guess, a file is opened with
//! `O_NOFOLLOW|O_NONBLOCK` and looked at (`fstat`) before a byte is read, and what is read is
//! bounded.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// A path as the profile file writes it: `~/` is the home folder, and a relative path is relative
/// to the folder of the file it is written in (not to wherever the command runs).
pub fn path_in_file(dir: &Path, path: &Path) -> PathBuf {
    if let Ok(rest) = path.strip_prefix("~")
        && let Some(home) = dirs::home_dir()
    {
        return home.join(rest);
    }
    dir.join(path)
}

/// Why [`read_private`] or [`open_lock`] refused a file that is there. Its text completes a
/// sentence that starts with the file's name: "`<file>` is a FIFO, not a regular file".
/// [`refusal`] finds it in an `io::Error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// A symbolic link, which is never followed.
    Symlink,
    /// A folder, a FIFO, a socket or a device: what it is, with its article ("a FIFO").
    NotAFile(&'static str),
    /// A file of another user, who could have put anything in it: who (`uid 1001` on Unix, the
    /// owner's SID on Windows).
    Foreign(String),
    /// Larger than the caller's limit, in bytes.
    TooLarge { size: u64, limit: u64 },
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Symlink => write!(f, "is a symbolic link, not a regular file"),
            Refused::NotAFile(what) => write!(f, "is {what}, not a regular file"),
            Refused::Foreign(who) => write!(f, "belongs to another user ({who})"),
            Refused::TooLarge { size, limit } => {
                write!(f, "is {size} bytes, more than the {limit} expected at most")
            }
        }
    }
}

impl std::error::Error for Refused {}

impl Refused {
    fn into_io(self) -> io::Error {
        let kind = match self {
            Refused::Symlink | Refused::NotAFile(_) => io::ErrorKind::InvalidInput,
            Refused::Foreign(_) => io::ErrorKind::PermissionDenied,
            Refused::TooLarge { .. } => io::ErrorKind::FileTooLarge,
        };
        io::Error::new(kind, self)
    }
}

/// The [`Refused`] inside `err`, when `err` is a refusal rather than the system's error.
pub fn refusal(err: &io::Error) -> Option<&Refused> {
    err.get_ref()?.downcast_ref::<Refused>()
}

/// `O_NOFOLLOW|O_NONBLOCK|O_NOCTTY`: a link is not followed, and neither a FIFO nor a device can
/// make the open wait or take the terminal.
#[cfg(unix)]
fn no_surprises(options: &mut OpenOptions) {
    std::os::unix::fs::OpenOptionsExt::custom_flags(
        options,
        libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY,
    );
}

/// `FILE_FLAG_OPEN_REPARSE_POINT`: a symbolic link or junction is opened as itself, not followed
/// (and then refused by [`check_ours`]). Windows has no FIFOs or devices in a folder.
#[cfg(windows)]
fn no_surprises(options: &mut OpenOptions) {
    std::os::windows::fs::OpenOptionsExt::custom_flags(
        options,
        windows_sys::Win32::Storage::FileSystem::FILE_FLAG_OPEN_REPARSE_POINT,
    );
}

/// Reads a small file of ours from a folder other users may once have written to. `Ok(None)`
/// when there is no such file. Refused with a [`Refused`] error, before a byte is read: a
/// symbolic link (not followed), anything but a regular file (a planted FIFO cannot hang the read:
/// it is opened without blocking and looked at first), a file of another user than the effective
/// one, and a file of more than `limit` bytes (also one that grows past it while being read).
pub fn read_private(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let mut options = OpenOptions::new();
    options.read(true);
    no_surprises(&mut options);
    let file = match options.open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(explain(path, err)),
    };
    let size = check_ours(&file)?;
    if size > limit {
        return Err(Refused::TooLarge { size, limit }.into_io());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    let read = bytes.len() as u64;
    if read > limit {
        return Err(Refused::TooLarge { size: read, limit }.into_io());
    }
    Ok(Some(bytes))
}

/// Opens (creating it, 0600) a lock file: only a regular file of ours, never through a link.
/// Anything else there is a [`Refused`] error; [`remove_planted`] clears it away.
pub fn open_lock(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    no_surprises(&mut options);
    let file = options.open(path).map_err(|err| explain(path, err))?;
    check_ours(&file)?;
    Ok(file)
}

/// Removes what [`read_private`] or [`open_lock`] refused at `path`: a link (not what it points
/// to), a FIFO, another user's file, or an empty folder. A folder with something in it stays, and
/// is an error.
pub fn remove_planted(path: &Path) -> io::Result<()> {
    if fs::symlink_metadata(path)?.is_dir() {
        fs::remove_dir(path)
    } else {
        fs::remove_file(path)
    }
}

/// The size of an open file that is a regular file of the effective user; a [`Refused`] error
/// for anything else.
fn check_ours(file: &File) -> io::Result<u64> {
    let meta = file.metadata()?;
    if meta.file_type().is_symlink() {
        return Err(Refused::Symlink.into_io());
    }
    if !meta.is_file() {
        return Err(Refused::NotAFile(what(&meta.file_type())).into_io());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != euid() {
            return Err(Refused::Foreign(format!("uid {}", meta.uid())).into_io());
        }
    }
    // Windows: the owner, which is whoever created the file (or Administrators, for a program
    // run elevated); the cache folder's ACL keeps others from creating files, but it may once
    // have let them.
    #[cfg(windows)]
    {
        let owner = crate::winacl::sys::owner_of(file)?;
        if !crate::winacl::owned_by(owner.as_deref(), crate::winacl::sys::me()?) {
            let who = crate::winacl::owner_name(owner.as_deref());
            return Err(Refused::Foreign(who).into_io());
        }
    }
    Ok(meta.len())
}

/// Turns the system's answer to an `O_NOFOLLOW` open of something that is not a regular file of
/// ours (a link: `ELOOP`, or `EMLINK` on the BSDs; a folder opened for writing: `EISDIR`; another
/// user's file: `EACCES`) into a [`Refused`] that says what is there.
fn explain(path: &Path, err: io::Error) -> io::Error {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Refused::Symlink.into_io(),
        Ok(meta) if !meta.is_file() => Refused::NotAFile(what(&meta.file_type())).into_io(),
        // Another user's file that we may not open (0600): theirs all the same.
        #[cfg(unix)]
        Ok(meta) if std::os::unix::fs::MetadataExt::uid(&meta) != euid() => Refused::Foreign(
            format!("uid {}", std::os::unix::fs::MetadataExt::uid(&meta)),
        )
        .into_io(),
        _ => err,
    }
}

/// "a folder", "a FIFO", ...: what a file that is not a regular file is.
fn what(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// The effective user id, which owns every file oauthctl creates.
#[cfg(unix)]
pub fn euid() -> u32 {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() }
}

/// Writes `bytes` to `path` through a private temporary file in the same folder and a rename, so
/// a reader (or a crash) sees the old content or the new, never a mix, and never a lost file.
/// The temporary file is created exclusively under a name nobody can guess, never through a link:
/// whatever was planted in the folder does not receive the bytes. The rename replaces whatever is
/// at `path` (a planted link included, not what it points to).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let (tmp, mut file) = create_temp(path)?;
    let result = (|| {
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        // Ours: created by this process, and the name was nobody's before.
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// A new, empty 0600 file beside `path` named `.<name>.tmp<pid>.<random>`, created with
/// `O_CREAT|O_EXCL|O_NOFOLLOW`. A name that is taken (planted, or a one-in-2^64 clash) is skipped
/// for another.
fn create_temp(path: &Path) -> io::Result<(PathBuf, File)> {
    create_temp_named(|| {
        path.with_file_name(format!(
            "{}{}.{:016x}",
            temp_prefix(path),
            std::process::id(),
            random_u64()
        ))
    })
}

/// [`create_temp`] with the names from `name`: 9 tries, then the last error.
fn create_temp_named(mut name: impl FnMut() -> PathBuf) -> io::Result<(PathBuf, File)> {
    let mut tries = 0;
    loop {
        let tmp = name();
        let mut options = OpenOptions::new();
        // create_new is O_CREAT|O_EXCL, which never follows a link at the last component.
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        no_surprises(&mut options);
        match options.open(&tmp) {
            Ok(file) => return Ok((tmp, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && tries < 8 => tries += 1,
            Err(err) => return Err(err),
        }
    }
}

/// 64 random bits, from std's per-process random hash keys (seeded by the operating system) and
/// the time, so that another user cannot guess a temporary file's name.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    if let Ok(since) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        hasher.write_u128(since.as_nanos());
    }
    hasher.finish()
}

/// The temporary files of `path` are `.<name>.tmp<pid>.<random>`: one per write, so that two
/// writers never share one.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    format!(".{name}.tmp")
}

/// Removes the temporary files that writers of `path` killed mid-write left behind (a rename
/// never happened, so nothing else removes them), and anything planted under such a name. Only
/// for a caller that knows no other writer of `path` is running, such as one that holds the
/// path's lock. Nothing is followed: a link is removed, not what it points to. Best effort: a file
/// that cannot be removed now is tried again by the next caller.
pub fn remove_stale_temps(path: &Path) {
    let prefix = temp_prefix(path);
    let Some(dir) = path.parent() else {
        return;
    };
    let Ok(files) = fs::read_dir(dir) else {
        return;
    };
    for file in files.flatten() {
        if file
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix))
        {
            // DirEntry::file_type does not follow links; a folder is left alone.
            if file.file_type().is_ok_and(|t| !t.is_dir()) {
                let _ = fs::remove_file(file.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_private_refuses_what_is_not_a_small_file_of_ours() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        assert_eq!(read_private(&file, 10).unwrap(), None);
        fs::write(&file, b"0123456789").unwrap();
        assert_eq!(read_private(&file, 10).unwrap().unwrap(), b"0123456789");
        let err = read_private(&file, 9).unwrap_err();
        assert_eq!(
            refusal(&err),
            Some(&Refused::TooLarge { size: 10, limit: 9 })
        );
        // Making a link on Windows takes a privilege (or developer mode) that tests cannot count on.
        #[cfg(unix)]
        {
            let link = dir.path().join("l");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            let err = read_private(&link, 10).unwrap_err();
            assert_eq!(refusal(&err), Some(&Refused::Symlink));
        }
        let err = read_private(dir.path(), 10).unwrap_err();
        assert_eq!(refusal(&err), Some(&Refused::NotAFile("a folder")));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_as_a_device() {
        let err = read_private(Path::new("/dev/null"), 10).unwrap_err();
        assert_eq!(refusal(&err), Some(&Refused::NotAFile("a device")));
    }

    #[test]
    fn a_taken_temp_name_is_skipped_eight_times_at_most_and_other_errors_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let taken = dir.path().join("taken");
        fs::write(&taken, "planted").unwrap();
        let free = dir.path().join("free");
        let mut calls = 0;
        let (got, _) = create_temp_named(|| {
            calls += 1;
            if calls < 9 {
                taken.clone()
            } else {
                free.clone()
            }
        })
        .unwrap();
        assert_eq!((got, calls), (free, 9));

        let mut calls = 0;
        let err = create_temp_named(|| {
            calls += 1;
            assert!(calls < 20, "tries without end");
            taken.clone()
        })
        .unwrap_err();
        assert_eq!((err.kind(), calls), (io::ErrorKind::AlreadyExists, 9));
        assert_eq!(fs::read(&taken).unwrap(), b"planted");

        let mut calls = 0;
        let err = create_temp_named(|| {
            calls += 1;
            dir.path().join("no-such-folder/x")
        })
        .unwrap_err();
        assert_eq!((err.kind(), calls), (io::ErrorKind::NotFound, 1));
    }

    #[test]
    fn temp_names_differ_and_skip_taken_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        let (a, _) = create_temp(&path).unwrap();
        let (b, _) = create_temp(&path).unwrap();
        assert_ne!(a, b);
        let name = a.file_name().unwrap().to_str().unwrap().to_owned();
        assert!(
            name.starts_with(&format!(".x.json.tmp{}.", std::process::id())),
            "{name}"
        );
        write_atomic(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
    }
}
