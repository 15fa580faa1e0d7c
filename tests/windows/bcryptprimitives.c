/* bcryptprimitives.dll for Wine builds that lack ProcessPrng (Debian 12's Wine 8).
 * Rust's std (1.78+) takes its random bytes from ProcessPrng; Windows 10/11 have it.
 * This shim forwards to RtlGenRandom (advapi32's SystemFunction036). Test use only:
 * tests/windows/wine-runner.sh puts it next to the .exe under wine. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
