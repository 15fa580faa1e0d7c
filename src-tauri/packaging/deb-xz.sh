#!/usr/bin/env bash
# Recompresses the .deb that the Tauri CLI wrote (its data.tar is gzip) with xz, as Debian's own
# packages are: the same files, owners and modes, 1.9 MiB smaller (issue #13's ≤ 6 MiB). Every
# dpkg since 1.15.6 (2010) reads xz, so do UOS and Kylin. Run by `make package`.
set -euo pipefail
deb=${1:?usage: deb-xz.sh <package.deb>}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dpkg-deb --raw-extract "$deb" "$work/root"
dpkg-deb -Zxz --root-owner-group --build "$work/root" "$work/out.deb" >/dev/null
# The files (mode, size, path) and the control fields must be what the Tauri CLI wrote.
files() { dpkg-deb --contents "$1" | awk '$1 !~ /^d/ { p = $6; sub(/^\.\//, "", p); print $1, $3, p }' | sort; }
cmp <(files "$deb") <(files "$work/out.deb") \
  || { echo "deb-xz: the recompressed package lists other files" >&2; exit 1; }
cmp <(dpkg-deb --field "$deb") <(dpkg-deb --field "$work/out.deb") \
  || { echo "deb-xz: the recompressed package has other control fields" >&2; exit 1; }
before=$(stat -c %s "$deb")
mv "$work/out.deb" "$deb"
echo "deb-xz: $deb $before -> $(stat -c %s "$deb") bytes"
