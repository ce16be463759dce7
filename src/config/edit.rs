//! Changing the profile file in place: `default_profile`, and a new profile's table. The file is
//! edited with toml_edit (the crate cargo edits `Cargo.toml` with), so the user's comments, order
//! and spacing stay as they were; only the changed key or the added table is new.
//!
//! The file is read without following a link and bounded, and written through a private
//! temporary file and a rename (`fsutil::write_atomic`), as every file oauthctl writes: a reader
//! sees the old file or the new one, never half of one. A profile file that is a symbolic link
//! (a dotfiles repository) is refused rather than replaced by a copy, which would silently cut it
//! off from the file it pointed to; the message names the file to edit instead. Every change is
//! read back through the profile file's own loader before it is written, so an edit that would
//! leave a file oauthctl cannot read is refused and the file stays as it was.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use toml_edit::{DocumentMut, Item, Table, Value};

use super::file::ProfileFile;
use crate::fsutil;

/// A profile file is a few kilobytes; anything over this is not one.
const MAX_FILE_BYTES: u64 = 1 << 20;

/// The profile file, open for a change.
#[derive(Debug, Clone)]
pub struct FileEdit {
    path: PathBuf,
    doc: DocumentMut,
    /// False when there was no file yet: saving creates it (and its folder).
    existed: bool,
}

impl FileEdit {
    /// Reads the file at `path` for editing; no file yet is an empty one.
    pub fn open(path: &Path) -> Result<FileEdit> {
        let bytes = fsutil::read_private(path, MAX_FILE_BYTES).map_err(|err| {
            let link = matches!(fsutil::refusal(&err), Some(fsutil::Refused::Symlink));
            let hint = if link {
                match std::fs::canonicalize(path) {
                    Ok(target) => format!(
                        "\nhint: oauthctl does not write through links; name the file itself with --config {}",
                        target.display()
                    ),
                    Err(_) => "\nhint: oauthctl does not write through links; name the file itself with --config PATH".to_string(),
                }
            } else {
                String::new()
            };
            anyhow::Error::new(err).context(format!("cannot edit {}{hint}", path.display()))
        })?;
        let existed = bytes.is_some();
        let text = String::from_utf8(bytes.unwrap_or_default())
            .with_context(|| format!("{} is not UTF-8 text", path.display()))?;
        // The loader's message (line, column, unknown keys) comes first: a file it refuses is
        // not edited.
        ProfileFile::parse(path, &text)?;
        let doc = text
            .parse::<DocumentMut>()
            .with_context(|| format!("cannot edit {}", path.display()))?;
        Ok(FileEdit {
            path: path.to_path_buf(),
            doc,
            existed,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file was there before this edit.
    pub fn existed(&self) -> bool {
        self.existed
    }

    /// Whether the file has a `[profiles.NAME]` table.
    pub fn has_profile(&self, name: &str) -> bool {
        self.doc
            .get("profiles")
            .and_then(Item::as_table_like)
            .is_some_and(|profiles| profiles.contains_key(name))
    }

    /// Whether profile `name`'s table sets `key`.
    pub fn has_key(&self, name: &str, key: &str) -> bool {
        self.doc["profiles"][name]
            .as_table_like()
            .is_some_and(|table| table.contains_key(key))
    }

    /// The names of the file's profiles, in file order.
    pub fn profile_names(&self) -> Vec<String> {
        self.doc
            .get("profiles")
            .and_then(Item::as_table_like)
            .map(|profiles| profiles.iter().map(|(k, _)| k.to_string()).collect())
            .unwrap_or_default()
    }

    /// Sets `default_profile = "NAME"`. A value already there is replaced in place, keeping the
    /// comment after it; else the key goes first in the file, before every table.
    pub fn set_default(&mut self, name: &str) {
        let mut value = Value::from(name);
        if let Some(old) = self.doc.get("default_profile").and_then(Item::as_value) {
            *value.decor_mut() = old.decor().clone();
            self.doc["default_profile"] = Item::Value(value);
            return;
        }
        let header = self.take_header();
        self.doc["default_profile"] = Item::Value(value);
        if let Some(mut key) = self.doc.key_mut("default_profile") {
            key.leaf_decor_mut().set_prefix(header);
        }
    }

    /// The comment at the top of the file, taken from the first table's prefix where a blank line
    /// ends it (a comment right above a table is that table's, and stays with it): a key added
    /// before the tables goes below the file's opening comment, not above it.
    fn take_header(&mut self) -> String {
        fn first(table: &mut Table) -> Option<&mut Table> {
            let mut best: Option<&mut Table> = None;
            for (_, item) in table.iter_mut() {
                let Some(child) = item.as_table_mut() else {
                    continue;
                };
                let candidate = if child.is_implicit() {
                    first(child)
                } else {
                    Some(child)
                };
                if let Some(candidate) = candidate
                    && best
                        .as_ref()
                        .is_none_or(|b| candidate.position() < b.position())
                {
                    best = Some(candidate);
                }
            }
            best
        }
        let Some(table) = first(self.doc.as_table_mut()) else {
            return String::new();
        };
        let prefix = table
            .decor()
            .prefix()
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_string();
        match prefix.rfind("\n\n") {
            Some(end) => {
                table.decor_mut().set_prefix(&prefix[end + 1..]);
                prefix[..end + 2].to_string()
            }
            None => String::new(),
        }
    }

    /// Adds an empty `[profiles.NAME]` table after everything else in the file, with `comment`
    /// (lines without their `#`) above it.
    pub fn add_profile(&mut self, name: &str, comment: &str) -> Result<()> {
        if self.has_profile(name) {
            bail!("{} already has a profile named {name}", self.path.display());
        }
        if self.doc.get("profiles").is_none() {
            let mut profiles = Table::new();
            profiles.set_implicit(true);
            self.doc["profiles"] = Item::Table(profiles);
        }
        let Some(profiles) = self.doc["profiles"].as_table_mut() else {
            bail!(
                "{}: `profiles` is not a table of [profiles.NAME] tables",
                self.path.display()
            );
        };
        let mut table = Table::new();
        let lead = if self.existed || !profiles.is_empty() {
            "\n"
        } else {
            ""
        };
        let comment: String = comment.lines().map(|line| format!("# {line}\n")).collect();
        table.decor_mut().set_prefix(format!("{lead}{comment}"));
        profiles.insert(name, Item::Table(table));
        Ok(())
    }

    /// Sets `key = value` in profile `name`'s table (which [`FileEdit::add_profile`] made).
    pub fn set_key(&mut self, name: &str, key: &str, value: Value) {
        self.doc["profiles"][name][key] = Item::Value(value);
    }

    /// Removes `key` from profile `name`'s table.
    pub fn remove_key(&mut self, name: &str, key: &str) {
        if let Some(table) = self.doc["profiles"][name].as_table_like_mut() {
            table.remove(key);
        }
    }

    /// The file as it would be written.
    pub fn text(&self) -> String {
        self.doc.to_string()
    }

    /// The edited file as the loader reads it: its unknown keys, wrong types and bad values are
    /// the loader's errors, as they would be for the same text written by hand.
    pub fn check(&self) -> Result<ProfileFile> {
        ProfileFile::parse(&self.path, &self.text())
    }

    /// Writes the edited file, atomically (creating its folder when there was no file).
    pub fn save(&self) -> Result<()> {
        self.check()?;
        if !self.existed
            && let Some(dir) = self.path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        fsutil::write_atomic(&self.path, self.text().as_bytes())
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// The values `text` may stand for, the likelier first: a TOML value when it reads as one
/// (`120`, `true`, `["a", "b"]`, `"quoted"`), then the string itself. The
/// caller keeps the first one the key takes.
pub fn values_of(text: &str) -> Vec<Value> {
    let string = Value::from(text);
    match text.trim().parse::<Value>() {
        Ok(mut typed) => {
            // As parsed, it keeps the spacing of `text`; cleared, it is written as `key = value`.
            typed.decor_mut().clear();
            vec![typed, string]
        }
        Err(_) => vec![string],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str) -> (tempfile::TempDir, FileEdit) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profiles.toml");
        std::fs::write(&path, text).unwrap();
        let edit = FileEdit::open(&path).unwrap();
        (dir, edit)
    }

    const TWO: &str = "# mine\ndefault_profile = \"a\"  # the usual one\n\n[profiles.a] # first\nclient_id = \"1\"\ntoken_url = \"https://a/t\"\n\n# second\n[profiles.b]\nclient_id = \"1\"\ntoken_url = \"https://a/t\"\n";

    #[test]
    fn the_default_is_replaced_where_it_stands() {
        let (_dir, mut e) = edit(TWO);
        e.set_default("b");
        assert_eq!(e.text(), TWO.replace("= \"a\"  #", "= \"b\"  #"));
    }

    #[test]
    fn a_new_default_goes_before_the_tables() {
        let text = "# mine\n\n[profiles.a]\nclient_id = \"1\"\ntoken_url = \"https://a/t\"\n";
        let (_dir, mut e) = edit(text);
        e.set_default("a");
        let out = e.text();
        assert!(out.starts_with("# mine\n"), "{out}");
        assert!(
            out.find("default_profile = \"a\"").unwrap() < out.find("[profiles.a]").unwrap(),
            "{out}"
        );
        assert_eq!(e.check().unwrap().default_profile(), Some("a"));
    }

    #[test]
    fn a_new_profile_is_appended_with_its_comment() {
        let (_dir, mut e) = edit(TWO);
        e.add_profile("c", "Added by me.").unwrap();
        e.set_key("c", "client_id", Value::from("x"));
        e.set_key("c", "token_url", Value::from("https://c/t"));
        assert_eq!(
            e.text(),
            format!(
                "{TWO}\n# Added by me.\n[profiles.c]\nclient_id = \"x\"\ntoken_url = \"https://c/t\"\n"
            )
        );
        assert!(e.add_profile("a", "").is_err());
    }

    #[test]
    fn a_first_profile_in_an_empty_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/profiles.toml");
        let mut e = FileEdit::open(&path).unwrap();
        assert!(!e.existed());
        e.add_profile("a", "One.").unwrap();
        e.set_key("a", "client_id", Value::from("x"));
        e.set_key("a", "token_url", Value::from("https://c/t"));
        e.save().unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# One.\n[profiles.a]\nclient_id = \"x\"\ntoken_url = \"https://c/t\"\n"
        );
    }

    #[test]
    fn values_read_as_toml_first() {
        let shown =
            |t: &str| -> Vec<String> { values_of(t).iter().map(|v| v.to_string()).collect() };
        assert_eq!(shown("120"), ["120", "\"120\""]);
        assert_eq!(
            shown("[\"a\", \"b\"]"),
            ["[\"a\", \"b\"]", "'[\"a\", \"b\"]'"]
        );
        assert_eq!(shown("eu"), ["\"eu\""]);
        assert_eq!(shown("\"quoted\""), ["\"quoted\"", "'\"quoted\"'"]);
    }
}
