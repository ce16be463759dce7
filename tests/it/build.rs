//! What the build itself must give, beyond any one command.

use std::io::BufRead;

use crate::common::oauthctl_bin;

/// aws-lc is built without CPU jitter entropy (`AWS_LC_SYS_NO_JITTER_ENTROPY` in
/// `.cargo/config.toml`; the README's security notes say why): setting that source up cost every
/// process that opens a TLS connection some 420 M instructions (BENCHMARKS.md). A cargo that did
/// not apply the setting, or an aws-lc-sys that renamed it, would bring the source back without a
/// word, and its functions with it. The binary under test keeps its symbols, so their names say
/// what was linked; aws-lc's own `RAND_bytes` shows that they are there to be read.
#[test]
fn aws_lc_is_built_without_cpu_jitter_entropy() {
    let binary = std::fs::read(oauthctl_bin()).unwrap();
    assert!(
        contains(&binary, b"RAND_bytes"),
        "the binary under test has no symbol names to check (a stripped build?)"
    );
    assert!(
        !contains(&binary, b"jent_entropy_collector_alloc"),
        "aws-lc was built with CPU jitter entropy: is AWS_LC_SYS_NO_JITTER_ENTROPY in .cargo/config.toml still the name aws-lc-sys reads?"
    );
}

/// Whether `needle` is in `haystack`: `read_until` finds each candidate first byte with std's
/// memchr, quick even in a debug build of a 150 MB binary.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let mut rest = haystack;
    let mut passed = Vec::new();
    while rest.read_until(needle[0], &mut passed).unwrap() > 0 {
        if rest.starts_with(&needle[1..]) {
            return true;
        }
        passed.clear();
    }
    false
}
