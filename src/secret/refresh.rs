//! Where a profile that signs a person in keeps the refresh token the sign-in left (RFC 6749
//! §6), and how a value larger than a keyring entry takes is kept in several entries.
//!
//! The keyring is the default and the only place without the profile saying otherwise; a file
//! (`refresh_token_store = "file"`) is an explicit choice, never a silent fallback. A refresh
//! token's entries have a keyring service of their own, so they never meet a client secret's.
//!
//! Windows Credential Manager holds at most 2,560 bytes a credential (UTF-16, so 1,280
//! characters); a longer refresh token is split over several entries (see [`split`]), never cut.
//! On Windows every secret in the keyring is kept this way (a client secret, a password, an X.509
//! private key: see `keyring::SPLIT`); elsewhere only a refresh token over [`KEYRING_LIMIT`] is.
//! The first entry names the generation and the number of parts; the parts are written before
//! it and the old generation's removed after it, so that a reader sees the old token or the new
//! one, whole.

use anyhow::Result;
use serde::Deserialize;

use super::Secret;

/// The values of `refresh_token_store`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefreshTokenStore {
    /// The OS keyring (the default).
    #[default]
    Keyring,
    /// A 0600 file in the cache folder, created as the cache's files are.
    File,
}

impl RefreshTokenStore {
    pub fn as_str(self) -> &'static str {
        match self {
            RefreshTokenStore::Keyring => "keyring",
            RefreshTokenStore::File => "file",
        }
    }
}

/// The most characters one keyring entry holds on this platform.
pub const KEYRING_LIMIT: usize = if cfg!(windows) { 1_200 } else { 100_000 };

/// What the first entry holds when the value is split: a line break, which no token has (they are
/// visible ASCII), then the generation and the number of parts.
const SPLIT_MARK: &str = "\noauthctl-parts:";

/// A store of named values: the keyring, or a map in the tests.
pub trait Entries {
    fn get(&mut self, account: &str) -> Result<Option<String>>;
    fn set(&mut self, account: &str, value: &str) -> Result<()>;
    /// Removes an entry; `Ok(false)` when there was none.
    fn delete(&mut self, account: &str) -> Result<bool>;
}

fn part_account(account: &str, generation: &str, index: usize) -> String {
    format!("{account}#{generation}.{index}")
}

/// The parts the first entry names: `(generation, count)`.
fn parts_of(first: &str) -> Option<(String, usize)> {
    let rest = first.strip_prefix(SPLIT_MARK)?;
    let (generation, count) = rest.split_once(':')?;
    Some((generation.to_string(), count.parse().ok()?))
}

/// Stores `value` under `account`, in parts of at most `limit` characters when it is longer.
pub fn split(entries: &mut dyn Entries, account: &str, value: &Secret, limit: usize) -> Result<()> {
    let old = entries.get(account)?;
    let value = value.expose();
    if value.len() <= limit {
        entries.set(account, value)?;
    } else {
        let generation = format!("{:08x}", getrandom::u32().unwrap_or(0));
        let chunks = cut(value, limit);
        for (index, chunk) in chunks.iter().enumerate() {
            entries.set(&part_account(account, &generation, index), chunk)?;
        }
        entries.set(
            account,
            &format!("{SPLIT_MARK}{generation}:{}", chunks.len()),
        )?;
    }
    if let Some((generation, count)) = old.as_deref().and_then(parts_of) {
        for index in 0..count {
            let _ = entries.delete(&part_account(account, &generation, index));
        }
    }
    Ok(())
}

/// `value` in pieces of at most `limit` bytes, each cut where a character ends (a password or a
/// client secret need not be ASCII), so that each piece is text. A byte limit is also a limit in
/// UTF-16 units, which is how Windows counts: no character takes more units than bytes.
fn cut(value: &str, limit: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = value;
    while !rest.is_empty() {
        let mut end = limit.min(rest.len());
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        if end == 0 {
            // A limit smaller than one character: the character alone.
            end = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        pieces.push(&rest[..end]);
        rest = &rest[end..];
    }
    pieces
}

/// Reads the value stored under `account`, joining its parts.
pub fn join(entries: &mut dyn Entries, account: &str) -> Result<Option<Secret>> {
    let Some(first) = entries.get(account)? else {
        return Ok(None);
    };
    let Some((generation, count)) = parts_of(&first) else {
        return Ok(Some(Secret::new(first)));
    };
    let mut value = String::new();
    for index in 0..count {
        match entries.get(&part_account(account, &generation, index))? {
            Some(part) => value.push_str(&part),
            // A part gone missing: the token is not whole, so there is none.
            None => return Ok(None),
        }
    }
    Ok(Some(Secret::new(value)))
}

/// Removes the value under `account` and its parts; `Ok(false)` when there was none.
pub fn remove(entries: &mut dyn Entries, account: &str) -> Result<bool> {
    let first = entries.get(account)?;
    if let Some((generation, count)) = first.as_deref().and_then(parts_of) {
        for index in 0..count {
            let _ = entries.delete(&part_account(account, &generation, index));
        }
    }
    entries.delete(account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Default)]
    struct Map(BTreeMap<String, String>);

    impl Entries for Map {
        fn get(&mut self, account: &str) -> Result<Option<String>> {
            Ok(self.0.get(account).cloned())
        }
        fn set(&mut self, account: &str, value: &str) -> Result<()> {
            // The first entry of a split value is its short, fixed-size header.
            assert!(
                value.len() <= 10 || value.starts_with(SPLIT_MARK) && value.len() < 32,
                "an entry over the limit: {value:?}"
            );
            self.0.insert(account.into(), value.into());
            Ok(())
        }
        fn delete(&mut self, account: &str) -> Result<bool> {
            Ok(self.0.remove(account).is_some())
        }
    }

    #[test]
    fn a_value_over_the_limit_is_split_and_joined_whole() {
        let mut map = Map::default();
        let long = Secret::new("0123456789abcdefghijKLMNOPQRSTUVWXYZ-._~+/");
        split(&mut map, "a@h", &long, 10).unwrap();
        assert_eq!(
            map.0.len(),
            6,
            "the first entry and five parts: {:?}",
            map.0
        );
        assert_eq!(
            join(&mut map, "a@h").unwrap().unwrap().expose(),
            long.expose()
        );

        // Rotated to a short one: one entry, the old parts gone.
        split(&mut map, "a@h", &Secret::new("short"), 10).unwrap();
        assert_eq!(map.0.len(), 1, "{:?}", map.0);
        assert_eq!(join(&mut map, "a@h").unwrap().unwrap().expose(), "short");

        // And back to a long one, then removed with its parts.
        split(&mut map, "a@h", &long, 10).unwrap();
        assert_eq!(
            join(&mut map, "a@h").unwrap().unwrap().expose(),
            long.expose()
        );
        assert!(remove(&mut map, "a@h").unwrap());
        assert!(map.0.is_empty(), "{:?}", map.0);
        assert!(join(&mut map, "a@h").unwrap().is_none());
    }

    #[test]
    fn a_value_that_is_not_ascii_is_cut_between_characters_and_joined_whole() {
        let mut map = Map::default();
        // 2-, 3- and 4-byte characters that a 10-byte cut would land inside.
        let value = Secret::new("pässwörd-日本語の秘密-🔑🔑🔑");
        split(&mut map, "u", &value, 10).unwrap();
        assert!(map.0.len() > 3, "{:?}", map.0);
        assert_eq!(
            join(&mut map, "u").unwrap().unwrap().expose(),
            value.expose()
        );
    }

    #[test]
    fn a_value_at_the_limit_is_one_entry_and_a_missing_part_is_no_value() {
        let mut map = Map::default();
        split(&mut map, "a", &Secret::new("0123456789"), 10).unwrap();
        assert_eq!(map.0.len(), 1);
        split(&mut map, "b", &Secret::new("0123456789X"), 10).unwrap();
        let part = map.0.keys().find(|k| k.starts_with("b#")).unwrap().clone();
        map.0.remove(&part);
        assert!(join(&mut map, "b").unwrap().is_none());
    }
}
