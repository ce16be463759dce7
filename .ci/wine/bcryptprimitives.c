/* bcryptprimitives.dll for Wine 8 (Debian 12), which lacks it: Rust's standard library asks its
 * ProcessPrng for random bytes since Rust 1.78, so no Rust program of today starts there without
 * it. This one fills the buffer from RtlGenRandom (advapi32's SystemFunction036), which Wine has.
 * Built by .ci/windows-tests with mingw-w64 into the test prefix only; never shipped. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID, ULONG);
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
