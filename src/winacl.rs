//! Who a Windows folder or file lets in: the owner and the access control list (ACL) of its
//! security descriptor, and the two questions the cache asks of them.
//!
//! Windows has no modes. A folder is private when its ACL allows nobody but you (and SYSTEM and
//! the Administrators group, who can take any file anyway, as root can on Unix); what is created in
//! it inherits those entries. So the cache folder is created with such an ACL, protected from
//! what its parent would pass down, and an existing one whose ACL lets anyone else in is given it.
//!
//! The reading and the deciding are apart: [`sys`] (Windows only) reads a descriptor into a
//! [`Security`], with every SID (security identifier) as its string (`S-1-5-21-…`), and the
//! questions are answered here, on plain data, so that they are tested on every platform.

// The questions are only asked on Windows; elsewhere only the tests ask them.
#![cfg_attr(not(windows), allow(dead_code))]

/// NT AUTHORITY\SYSTEM.
pub const SYSTEM: &str = "S-1-5-18";
/// BUILTIN\Administrators.
pub const ADMINISTRATORS: &str = "S-1-5-32-544";
/// NT SERVICE\TrustedInstaller, the owner of `C:\` and of the system's folders.
pub const TRUSTED_INSTALLER: &str =
    "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464";
/// CREATOR OWNER: an inheritable entry for it becomes one for whoever creates the file.
pub const CREATOR_OWNER: &str = "S-1-3-0";
/// OWNER RIGHTS: what the file's owner, whoever that is, may do.
pub const OWNER_RIGHTS: &str = "S-1-3-4";

/// Deleting a file in a folder, whatever the file's own ACL says (FILE_DELETE_CHILD).
const DELETE_CHILD: u32 = 0x0000_0040;
/// Deleting (or renaming) the object itself.
const DELETE: u32 = 0x0001_0000;
/// Changing the ACL.
const WRITE_DAC: u32 = 0x0004_0000;
/// Taking ownership.
const WRITE_OWNER: u32 = 0x0008_0000;
/// Everything (GENERIC_ALL), before the system maps it to a file's rights.
const GENERIC_ALL: u32 = 0x1000_0000;

/// What lets someone replace what is in a folder, or the folder itself.
const SWAP: u32 = DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_ALL;

/// One entry of an ACL that allows access (entries that deny only take access away, and are not
/// kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    /// Whom it allows, as a SID string.
    pub sid: String,
    /// What it allows (an ACCESS_MASK).
    pub mask: u32,
    /// Only passed down to what is created in the folder (INHERIT_ONLY_ACE), not applied to it.
    pub inherit_only: bool,
}

/// The owner and the ACL of a folder or a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Security {
    /// The owner's SID string, `None` when the descriptor names none.
    pub owner: Option<String>,
    /// The entries that allow access; `None` is a NULL ACL, which lets everyone do everything.
    pub allows: Option<Vec<Allow>>,
}

impl Security {
    /// Whether the owner is `me`, or SYSTEM or the Administrators group, who own what an elevated
    /// program creates and can take anything anyway. Another user who owns a folder can give
    /// themselves any access to it.
    pub fn owned_by(&self, me: &str) -> bool {
        owned_by(self.owner.as_deref(), me)
    }

    /// The owner, for a message.
    pub fn owner_name(&self) -> String {
        owner_name(self.owner.as_deref())
    }

    /// The others (SIDs, and names where Windows has a fixed one) that the ACL lets at the folder
    /// or at what is created in it: anyone but `me`, SYSTEM, Administrators, and the creator or
    /// owner of a file (who can only be one of those, as nobody else may create files there).
    /// Empty for a private folder.
    pub fn others_allowed(&self, me: &str) -> Vec<String> {
        let Some(allows) = &self.allows else {
            return vec!["everyone (the folder has no ACL)".into()];
        };
        let trusted = [me, SYSTEM, ADMINISTRATORS, CREATOR_OWNER, OWNER_RIGHTS];
        named(
            allows
                .iter()
                .filter(|ace| ace.mask != 0 && !trusted.contains(&ace.sid.as_str())),
        )
    }

    /// The others that may replace what is in this folder, or the folder itself: those allowed to
    /// delete in it, delete or rename it, or change its ACL or owner (entries only passed down do
    /// not count). Anyone but `me`, SYSTEM, Administrators and TrustedInstaller. Creating new
    /// files does not count: everyone may create folders in `C:\`, but not take ours away.
    pub fn others_who_can_swap(&self, me: &str) -> Vec<String> {
        let Some(allows) = &self.allows else {
            return vec!["everyone (the folder has no ACL)".into()];
        };
        let trusted = [me, SYSTEM, ADMINISTRATORS, TRUSTED_INSTALLER];
        named(allows.iter().filter(|ace| {
            !ace.inherit_only && ace.mask & SWAP != 0 && !trusted.contains(&ace.sid.as_str())
        }))
    }

    /// Whether the owner is one who may hold a folder that ours is in: `me`, SYSTEM,
    /// Administrators, or TrustedInstaller (`C:\`).
    pub fn parent_owned_by(&self, me: &str) -> bool {
        self.owned_by(me) || self.owner.as_deref() == Some(TRUSTED_INSTALLER)
    }
}

/// Whether `owner` is `me`, SYSTEM or Administrators (see [`Security::owned_by`]).
pub fn owned_by(owner: Option<&str>, me: &str) -> bool {
    owner.is_some_and(|owner| owner == me || owner == SYSTEM || owner == ADMINISTRATORS)
}

/// An owner's SID for a message (see [`display`]), or "no owner".
pub fn owner_name(owner: Option<&str>) -> String {
    owner.map_or_else(|| "no owner".into(), display)
}

/// The principals of `aces`, each once, in the ACL's order, for a message.
fn named<'a>(aces: impl Iterator<Item = &'a Allow>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for ace in aces {
        let name = display(&ace.sid);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// A SID for a message: the name of a well-known group, with its SID, or the SID alone.
pub fn display(sid: &str) -> String {
    let name = match sid {
        "S-1-1-0" => "Everyone",
        "S-1-5-11" => "Authenticated Users",
        "S-1-5-32-545" => "Users",
        "S-1-5-32-546" => "Guests",
        "S-1-5-7" => "Anonymous",
        "S-1-5-4" => "Interactive",
        "S-1-5-2" => "Network",
        "S-1-3-1" => "Creator Group",
        _ => return sid.to_string(),
    };
    format!("{name} ({sid})")
}

/// Reading and setting security descriptors through the Win32 API.
#[cfg(windows)]
pub mod sys {
    use std::ffi::OsStr;
    use std::io;
    use std::os::windows::ffi::OsStrExt;
    use std::os::windows::io::AsRawHandle;
    use std::path::Path;
    use std::sync::OnceLock;

    use windows_sys::Win32::Foundation::{CloseHandle, ERROR_SUCCESS, HANDLE, HLOCAL, LocalFree};
    use windows_sys::Win32::Security::Authorization::{
        ConvertSidToStringSidW, ConvertStringSecurityDescriptorToSecurityDescriptorW,
        GetNamedSecurityInfoW, GetSecurityInfo, SDDL_REVISION_1, SE_FILE_OBJECT,
        SetNamedSecurityInfoW,
    };
    use windows_sys::Win32::Security::{
        ACE_HEADER, ACL, DACL_SECURITY_INFORMATION, GetAce, GetSecurityDescriptorDacl,
        GetTokenInformation, INHERIT_ONLY_ACE, OWNER_SECURITY_INFORMATION,
        PROTECTED_DACL_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID, SECURITY_ATTRIBUTES,
        TOKEN_QUERY, TOKEN_USER, TokenUser,
    };
    use windows_sys::Win32::Storage::FileSystem::CreateDirectoryW;
    use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

    use super::{Allow, Security};

    /// ACE types whose SID follows the mask at once (ACCESS_ALLOWED_ACE, and its callback form).
    const ALLOWED: [u8; 2] = [0x0, 0x9];
    /// ACE types with an object type between the mask and the SID (ACCESS_ALLOWED_OBJECT_ACE,
    /// and its callback form).
    const ALLOWED_OBJECT: [u8; 2] = [0x5, 0xB];

    /// The others that the ACL of the folder at `path` lets in (see
    /// [`Security::others_allowed`]).
    pub fn others_allowed(path: &Path) -> io::Result<Vec<String>> {
        Ok(of_path(path)?.others_allowed(me()?))
    }

    /// The SID string of the user this process runs as.
    pub fn me() -> io::Result<&'static str> {
        static ME: OnceLock<String> = OnceLock::new();
        if let Some(me) = ME.get() {
            return Ok(me);
        }
        let sid = user_sid()?;
        Ok(ME.get_or_init(|| sid))
    }

    fn user_sid() -> io::Result<String> {
        let mut token: HANDLE = std::ptr::null_mut();
        // SAFETY: the pseudo-handle of the current process needs no closing; `token` is written.
        if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
            return Err(io::Error::last_os_error());
        }
        let result = (|| {
            // TOKEN_USER followed by the SID it points to; 256 bytes hold any SID (at most 68).
            let mut buf = [0u64; 32];
            let mut len = 0u32;
            // SAFETY: `buf` is 256 writable, aligned bytes and `len` is written.
            let ok = unsafe {
                GetTokenInformation(
                    token,
                    TokenUser,
                    buf.as_mut_ptr().cast(),
                    std::mem::size_of_val(&buf) as u32,
                    &mut len,
                )
            };
            if ok == 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: on success the buffer starts with a TOKEN_USER.
            let user = unsafe { &*(buf.as_ptr() as *const TOKEN_USER) };
            sid_string(user.User.Sid)
        })();
        // SAFETY: `token` was opened above and is closed once.
        unsafe { CloseHandle(token) };
        result
    }

    /// A SID as its string, `S-1-…`.
    fn sid_string(sid: PSID) -> io::Result<String> {
        let mut text: *mut u16 = std::ptr::null_mut();
        // SAFETY: `sid` is a valid SID from the system; `text` is written with a LocalAlloc'd
        // string on success.
        if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a NUL-terminated UTF-16 string from the system.
        let len = (0..).take_while(|&i| unsafe { *text.add(i) } != 0).count();
        let string = String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(text, len) });
        // SAFETY: allocated by ConvertSidToStringSidW with LocalAlloc, freed once.
        unsafe { LocalFree(text as HLOCAL) };
        Ok(string)
    }

    fn wide(path: &Path) -> Vec<u16> {
        OsStr::new(path).encode_wide().chain(Some(0)).collect()
    }

    /// A security descriptor the system allocated, freed when dropped.
    struct Descriptor(PSECURITY_DESCRIPTOR);

    impl Drop for Descriptor {
        fn drop(&mut self) {
            // SAFETY: allocated by the system with LocalAlloc, freed once.
            unsafe { LocalFree(self.0 as HLOCAL) };
        }
    }

    /// The owner and ACL of the folder or file at `path`, not following a link at its end.
    pub fn of_path(path: &Path) -> io::Result<Security> {
        let name = wide(path);
        let (mut owner, mut dacl, mut sd): (PSID, *mut ACL, PSECURITY_DESCRIPTOR) = (
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        );
        // SAFETY: `name` is NUL-terminated; the out pointers are written on success, into `sd`.
        let status = unsafe {
            GetNamedSecurityInfoW(
                name.as_ptr(),
                SE_FILE_OBJECT,
                OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                &mut owner,
                std::ptr::null_mut(),
                &mut dacl,
                std::ptr::null_mut(),
                &mut sd,
            )
        };
        if status != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(status as i32));
        }
        let _sd = Descriptor(sd);
        read(owner, dacl)
    }

    /// The owner of an open file, whose handle may read its security (any handle opened for
    /// reading may).
    pub fn owner_of(file: &std::fs::File) -> io::Result<Option<String>> {
        let (mut owner, mut sd): (PSID, PSECURITY_DESCRIPTOR) =
            (std::ptr::null_mut(), std::ptr::null_mut());
        // SAFETY: the handle is open for the call; the out pointers are written on success.
        let status = unsafe {
            GetSecurityInfo(
                file.as_raw_handle() as HANDLE,
                SE_FILE_OBJECT,
                OWNER_SECURITY_INFORMATION,
                &mut owner,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                &mut sd,
            )
        };
        if status != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(status as i32));
        }
        let _sd = Descriptor(sd);
        if owner.is_null() {
            return Ok(None);
        }
        sid_string(owner).map(Some)
    }

    /// Reads the owner and the allowing entries of an ACL the system handed out.
    fn read(owner: PSID, dacl: *mut ACL) -> io::Result<Security> {
        let owner = if owner.is_null() {
            None
        } else {
            Some(sid_string(owner)?)
        };
        if dacl.is_null() {
            return Ok(Security {
                owner,
                allows: None,
            });
        }
        let mut allows = Vec::new();
        // SAFETY: `dacl` is a valid ACL inside a descriptor that lives until the caller drops it.
        let count = unsafe { (*dacl).AceCount };
        for index in 0..u32::from(count) {
            let mut ace: *mut std::ffi::c_void = std::ptr::null_mut();
            // SAFETY: `index` is below the ACL's count.
            if unsafe { GetAce(dacl, index, &mut ace) } == 0 {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: every ACE starts with a header, then (for the types read here) the mask.
            let header = unsafe { &*(ace as *const ACE_HEADER) };
            let mask = unsafe { std::ptr::read_unaligned(ace.cast::<u8>().add(4).cast::<u32>()) };
            let sid_offset = if ALLOWED.contains(&header.AceType) {
                8
            } else if ALLOWED_OBJECT.contains(&header.AceType) {
                // After the mask: a flags word, then each object type GUID the flags name.
                let flags =
                    unsafe { std::ptr::read_unaligned(ace.cast::<u8>().add(8).cast::<u32>()) };
                12 + 16 * ((flags & 1) + ((flags >> 1) & 1)) as usize
            } else {
                // Entries that deny, audit or label: none lets anyone in.
                continue;
            };
            // SAFETY: the SID of an allowing ACE is at `sid_offset`, inside the ACE.
            let sid = unsafe { ace.cast::<u8>().add(sid_offset) } as PSID;
            allows.push(Allow {
                sid: sid_string(sid)?,
                mask,
                inherit_only: u32::from(header.AceFlags) & INHERIT_ONLY_ACE != 0,
            });
        }
        Ok(Security {
            owner,
            allows: Some(allows),
        })
    }

    /// The private descriptor for `me`: full control for you, SYSTEM and Administrators, passed
    /// down to everything created inside, and nothing inherited from the parent.
    fn private_descriptor() -> io::Result<Descriptor> {
        descriptor(&format!(
            "D:P(A;OICI;FA;;;{})(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)",
            me()?
        ))
    }

    /// A descriptor written in SDDL, the security descriptor language.
    fn descriptor(sddl: &str) -> io::Result<Descriptor> {
        let sddl: Vec<u16> = sddl.encode_utf16().chain(Some(0)).collect();
        let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
        // SAFETY: `sddl` is NUL-terminated; `sd` is written with a LocalAlloc'd descriptor.
        let ok = unsafe {
            ConvertStringSecurityDescriptorToSecurityDescriptorW(
                sddl.as_ptr(),
                SDDL_REVISION_1,
                &mut sd,
                std::ptr::null_mut(),
            )
        };
        if ok == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(Descriptor(sd))
    }

    /// Creates the folder `path` (its parent must be there) with the private descriptor, so that
    /// nobody else can open it even for a moment.
    pub fn create_private_dir(path: &Path) -> io::Result<()> {
        let sd = private_descriptor()?;
        let attributes = SECURITY_ATTRIBUTES {
            nLength: std::mem::size_of::<SECURITY_ATTRIBUTES>() as u32,
            lpSecurityDescriptor: sd.0,
            bInheritHandle: 0,
        };
        let name = wide(path);
        // SAFETY: `name` is NUL-terminated and `attributes` outlives the call.
        if unsafe { CreateDirectoryW(name.as_ptr(), &attributes) } == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Gives the folder at `path` the private ACL; the system passes its entries down to what is
    /// in the folder.
    pub fn make_private(path: &Path) -> io::Result<()> {
        set_dacl(path, &private_descriptor()?)
    }

    /// Gives `path` the ACL of `sd`, protected from what its parent passes down when `sd` says so.
    fn set_dacl(path: &Path, sd: &Descriptor) -> io::Result<()> {
        let (mut present, mut defaulted, mut dacl) = (0, 0, std::ptr::null_mut());
        // SAFETY: `sd` is a valid descriptor; the out pointers are written.
        if unsafe { GetSecurityDescriptorDacl(sd.0, &mut present, &mut dacl, &mut defaulted) } == 0
        {
            return Err(io::Error::last_os_error());
        }
        let name = wide(path);
        // SAFETY: `name` is NUL-terminated and `dacl` lives in `sd` until after the call.
        let status = unsafe {
            SetNamedSecurityInfoW(
                name.as_ptr(),
                SE_FILE_OBJECT,
                DACL_SECURITY_INFORMATION | PROTECTED_DACL_SECURITY_INFORMATION,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                dacl,
                std::ptr::null(),
            )
        };
        if status != ERROR_SUCCESS {
            return Err(io::Error::from_raw_os_error(status as i32));
        }
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::winacl::display;

        const EVERYONE_READS: &str = "D:P(A;OICI;FA;;;SY)(A;OICI;0x1200a9;;;WD)";

        #[test]
        fn me_is_a_user_sid() {
            let me = me().unwrap();
            assert!(me.starts_with("S-1-5-"), "{me}");
            assert_eq!(me, user_sid().unwrap());
        }

        #[test]
        fn a_folder_created_private_lets_nobody_else_in_nor_passes_anyone_else_down() {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("cache");
            create_private_dir(&dir).unwrap();
            let security = of_path(&dir).unwrap();
            let me = me().unwrap();
            assert_eq!(
                security.others_allowed(me),
                Vec::<String>::new(),
                "{security:?}"
            );
            assert!(security.owned_by(me), "{security:?}");
            assert!(
                security
                    .allows
                    .as_ref()
                    .unwrap()
                    .iter()
                    .any(|ace| ace.sid == me),
                "{security:?}"
            );
            // A file created in it is private too, and ours.
            let file = dir.join("entry.json");
            std::fs::write(&file, b"{}").unwrap();
            assert_eq!(
                of_path(&file).unwrap().others_allowed(me),
                Vec::<String>::new()
            );
            // Owned by us, or (on Windows Server, for a program run elevated) by Administrators.
            let opened = std::fs::File::open(&file).unwrap();
            let owner = owner_of(&opened).unwrap();
            assert!(
                owner.as_deref() == Some(me)
                    || owner.as_deref() == Some(super::super::ADMINISTRATORS),
                "{owner:?}"
            );
            assert_eq!(
                create_private_dir(&dir).unwrap_err().kind(),
                io::ErrorKind::AlreadyExists
            );
        }

        #[test]
        fn an_open_folder_is_seen_and_made_private_with_what_is_in_it() {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("cache");
            std::fs::create_dir(&dir).unwrap();
            std::fs::write(dir.join("entry.json"), b"{}").unwrap();
            set_dacl(&dir, &descriptor(EVERYONE_READS).unwrap()).unwrap();
            let me = me().unwrap();
            let everyone = display("S-1-1-0");
            assert_eq!(
                of_path(&dir).unwrap().others_allowed(me),
                [everyone.as_str()]
            );
            assert_eq!(
                of_path(&dir.join("entry.json")).unwrap().others_allowed(me),
                [everyone]
            );

            make_private(&dir).unwrap();
            assert_eq!(
                of_path(&dir).unwrap().others_allowed(me),
                Vec::<String>::new()
            );
            assert_eq!(
                of_path(&dir.join("entry.json")).unwrap().others_allowed(me),
                Vec::<String>::new()
            );
        }

        #[test]
        fn a_folder_others_may_delete_in_is_seen() {
            let tmp = tempfile::tempdir().unwrap();
            let parent = tmp.path().join("shared");
            std::fs::create_dir(&parent).unwrap();
            let me = me().unwrap();
            // Authenticated Users may create folders: not swapping.
            set_dacl(
                &parent,
                &descriptor(&format!("D:P(A;OICI;FA;;;{me})(A;;0x4;;;AU)")).unwrap(),
            )
            .unwrap();
            assert_eq!(
                of_path(&parent).unwrap().others_who_can_swap(me),
                Vec::<String>::new()
            );
            // ... delete what is in it: swapping.
            set_dacl(
                &parent,
                &descriptor(&format!("D:P(A;OICI;FA;;;{me})(A;;0x44;;;AU)")).unwrap(),
            )
            .unwrap();
            assert_eq!(
                of_path(&parent).unwrap().others_who_can_swap(me),
                [display("S-1-5-11")]
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: &str = "S-1-5-21-1004336348-1177238915-682003330-1001";
    const BOB: &str = "S-1-5-21-1004336348-1177238915-682003330-1002";

    fn allow(sid: &str, mask: u32) -> Allow {
        Allow {
            sid: sid.into(),
            mask,
            inherit_only: false,
        }
    }

    fn security(owner: &str, allows: Vec<Allow>) -> Security {
        Security {
            owner: Some(owner.into()),
            allows: Some(allows),
        }
    }

    /// `%LOCALAPPDATA%` as Windows makes it: you, SYSTEM and Administrators, full control.
    fn profile_folder() -> Security {
        security(
            ME,
            vec![
                allow(SYSTEM, 0x1F01FF),
                allow(ADMINISTRATORS, 0x1F01FF),
                allow(ME, 0x1F01FF),
            ],
        )
    }

    #[test]
    fn the_profile_folder_is_private_and_nobody_else_can_swap_in_it() {
        assert!(profile_folder().others_allowed(ME).is_empty());
        assert!(profile_folder().others_who_can_swap(ME).is_empty());
        assert!(profile_folder().owned_by(ME));
        assert!(profile_folder().parent_owned_by(ME));
    }

    #[test]
    fn any_access_for_another_user_or_group_is_seen_and_named() {
        let mut open = profile_folder();
        let allows = open.allows.as_mut().unwrap();
        allows.push(allow("S-1-1-0", 0x120089)); // Everyone: read
        allows.push(allow(BOB, 0x1)); // Bob: list the folder
        assert_eq!(
            open.others_allowed(ME),
            ["Everyone (S-1-1-0)".to_string(), BOB.to_string()]
        );
    }

    #[test]
    fn an_entry_passed_down_to_new_files_counts_for_privacy() {
        let mut open = profile_folder();
        open.allows.as_mut().unwrap().push(Allow {
            sid: "S-1-5-32-545".into(),
            mask: 0x120089,
            inherit_only: true,
        });
        assert_eq!(open.others_allowed(ME), ["Users (S-1-5-32-545)"]);
        // ... but not for swapping: it does not apply to the folder itself.
        assert!(open.others_who_can_swap(ME).is_empty());
    }

    #[test]
    fn an_entry_that_allows_nothing_and_the_creator_and_owner_entries_are_private() {
        let mut folder = profile_folder();
        let allows = folder.allows.as_mut().unwrap();
        allows.push(allow(BOB, 0));
        allows.push(Allow {
            sid: CREATOR_OWNER.into(),
            mask: 0x10000000,
            inherit_only: true,
        });
        allows.push(allow(OWNER_RIGHTS, 0x1F01FF));
        assert!(folder.others_allowed(ME).is_empty());
    }

    #[test]
    fn no_acl_at_all_lets_everyone_in() {
        let open = Security {
            owner: Some(ME.into()),
            allows: None,
        };
        assert_eq!(
            open.others_allowed(ME),
            ["everyone (the folder has no ACL)"]
        );
        assert_eq!(
            open.others_who_can_swap(ME),
            ["everyone (the folder has no ACL)"]
        );
        // An empty ACL is the opposite: nobody may do anything.
        assert!(security(ME, vec![]).others_allowed(ME).is_empty());
    }

    /// `C:\` as Windows sets it up: everyone signed in may create folders there, which lets them
    /// take a name, not take away ours.
    #[test]
    fn creating_folders_is_not_swapping_but_deleting_renaming_or_reowning_is() {
        let root = security(
            TRUSTED_INSTALLER,
            vec![
                allow(ADMINISTRATORS, 0x1F01FF),
                allow(SYSTEM, 0x1F01FF),
                allow("S-1-5-32-545", 0x1200A9), // Users: read and execute
                allow("S-1-5-11", 0x4),          // Authenticated Users: create folders
                Allow {
                    sid: "S-1-5-11".into(),
                    mask: 0x1301BF, // Modify, passed down only
                    inherit_only: true,
                },
            ],
        );
        assert!(root.others_who_can_swap(ME).is_empty());
        assert!(root.parent_owned_by(ME));
        assert!(
            !root.owned_by(ME),
            "TrustedInstaller may own a parent, not the cache"
        );
        for (right, mask) in [
            ("delete child", DELETE_CHILD),
            ("delete", DELETE),
            ("write dac", WRITE_DAC),
            ("write owner", WRITE_OWNER),
            ("generic all", GENERIC_ALL),
        ] {
            let mut open = root.clone();
            open.allows.as_mut().unwrap().push(allow(BOB, mask | 0x1));
            assert_eq!(open.others_who_can_swap(ME), [BOB], "{right}");
        }
        let mut writable = root.clone();
        writable.allows.as_mut().unwrap().push(allow(BOB, 0x120116)); // FILE_GENERIC_WRITE: add files, not remove them
        assert!(writable.others_who_can_swap(ME).is_empty());
    }

    #[test]
    fn well_known_groups_are_named_and_anyone_else_is_their_sid() {
        for (sid, name) in [
            ("S-1-1-0", "Everyone"),
            ("S-1-5-11", "Authenticated Users"),
            ("S-1-5-32-545", "Users"),
            ("S-1-5-32-546", "Guests"),
            ("S-1-5-7", "Anonymous"),
            ("S-1-5-4", "Interactive"),
            ("S-1-5-2", "Network"),
            ("S-1-3-1", "Creator Group"),
        ] {
            assert_eq!(display(sid), format!("{name} ({sid})"));
        }
        assert_eq!(display(BOB), BOB);
    }

    #[test]
    fn owners() {
        assert!(security(SYSTEM, vec![]).owned_by(ME));
        assert!(security(ADMINISTRATORS, vec![]).owned_by(ME));
        assert!(!security(BOB, vec![]).owned_by(ME));
        assert!(!security(BOB, vec![]).parent_owned_by(ME));
        let unowned = Security {
            owner: None,
            allows: Some(vec![]),
        };
        assert!(!unowned.owned_by(ME));
        assert!(!unowned.parent_owned_by(ME));
    }
}
