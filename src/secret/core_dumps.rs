//! No core dumps: a core file of oauthctl would hold the client secret, the password and the
//! token.

/// A core dump of oauthctl would hold the client secret, the password and the token, and lands
/// where other tools (or users) read it. So, before anything is read: no core file (`RLIMIT_CORE`
/// 0, soft limit only, so a command that `exec` starts may raise it again), and on Linux not
/// dumpable at all (`PR_SET_DUMPABLE` 0), which also covers a `core_pattern` that pipes the dump to
/// a collector, and keeps other processes of the same user from reading this one's memory through
/// /proc or ptrace. Best effort: a failure leaves things as they were.
pub fn forbid_core_dumps() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed to them. Should
        // getrlimit fail, both limits stay 0.
        unsafe {
            libc::getrlimit(libc::RLIMIT_CORE, &mut limit);
            limit.rlim_cur = 0;
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
        }
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: PR_SET_DUMPABLE takes one integer argument and changes only this process.
    unsafe {
        libc::prctl(libc::PR_SET_DUMPABLE, 0 as libc::c_ulong, 0, 0, 0);
    }
}
