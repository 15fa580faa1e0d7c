#!/usr/bin/env bash
# Cargo runner for x86_64-pc-windows-gnu: runs a cross-built .exe (a test binary or lvzhi.exe)
# under wine. Set by `make test-windows` through CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER.
#
# - Builds tests/windows/bcryptprimitives.c once into target/x86_64-pc-windows-gnu/ (Debian 12's
#   Wine 8 has no ProcessPrng, which Rust's std needs) and copies it next to the .exe.
# - Uses a private, quiet wine prefix under target/ (no Mono/Gecko prompts, no dialogs).
set -euo pipefail

exe=${1:?usage: wine-runner.sh program.exe [args...]}
shift

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$target_dir/x86_64-pc-windows-gnu
mkdir -p "$out"

# Debian installs wine64 outside PATH; its `wine` wrapper would also pick it.
wine=$(command -v wine64 || { [ -x /usr/lib/wine/wine64 ] && echo /usr/lib/wine/wine64; } || command -v wine || true)
[ -n "$wine" ] || { echo "wine-runner: wine is missing (make deps installs wine64)." >&2; exit 1; }

shim=$out/bcryptprimitives.dll
if [ ! -f "$shim" ] || [ "$here/bcryptprimitives.c" -nt "$shim" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$shim.tmp" "$here/bcryptprimitives.c" \
    "$here/bcryptprimitives.def" -ladvapi32
  mv -f "$shim.tmp" "$shim"
fi
# Beside the program, when it is a file here (not a Windows program such as cmd).
if [ -f "$exe" ] && ! cmp -s "$shim" "$(dirname "$exe")/bcryptprimitives.dll"; then
  cp -f "$shim" "$(dirname "$exe")/bcryptprimitives.dll"
fi
# Test binaries spawn lvzhi.exe, which lives one level up from deps/.
for dir in "$out/debug" "$out/release"; do
  if [ -d "$dir" ] && ! cmp -s "$shim" "$dir/bcryptprimitives.dll"; then
    cp -f "$shim" "$dir/bcryptprimitives.dll"
  fi
done

export WINEPREFIX=${LVZHI_WINEPREFIX:-$out/wineprefix}
export WINEDEBUG=-all
export WINEARCH=win64
if [ ! -f "$WINEPREFIX/.lvzhi-ready" ]; then
  mkdir -p "$WINEPREFIX"
  # Skip the Mono and Gecko installers (and their dialogs); no display is needed.
  WINEDLLOVERRIDES="mscoree,mshtml=" DISPLAY= "$wine" wineboot -i >/dev/null 2>&1 || true
  command -v wineserver >/dev/null && wineserver -w || true
  [ -f "$WINEPREFIX/system.reg" ] || { echo "wine-runner: could not initialise $WINEPREFIX" >&2; exit 1; }
  touch "$WINEPREFIX/.lvzhi-ready"
fi

export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree,mshtml="
export DISPLAY=
exec "$wine" "$exe" "$@"
