//! Files that must never be seen half-written or by other users.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Opens a file readable by its owner only (0600 on Unix). `fresh` truncates it.
pub fn open_private(path: &Path, fresh: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(fresh);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Writes `bytes` to `path` through a private temporary file in the same folder and a rename, so
/// a reader (or a crash) sees the old content or the new, never a mix, and never a lost file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_file_name(format!("{}{}", temp_prefix(path), std::process::id()));
    let result = (|| {
        let mut file = open_private(&tmp, true)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The temporary files of `path` are `.<name>.tmp<pid>`: one per writer, so that two writers
/// never share one.
fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    format!(".{name}.tmp")
}

/// Removes the temporary files that writers of `path` killed mid-write left behind (a rename
/// never happened, so nothing else removes them). Only for a caller that knows no other writer of
/// `path` is running, such as one that holds the path's lock. Best effort: a file that cannot be
/// removed now is tried again by the next caller.
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
            let _ = fs::remove_file(file.path());
        }
    }
}
