#!/usr/bin/env bash
# The install test: the release .deb (built by `make package`) installed with dpkg into a
# scratch root, the installed binary launched under Xvfb on a fresh ledger, the window and
# the first screen checked and photographed, then the package removed and the person's
# ledger found where it was.
#
# dpkg --root installs into tests/install/artifacts/root without touching the system's own
# package database; the binary then runs against the system's WebKitGTK (what the package
# declares in Depends, checked below).
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=$(ls -t target/release/bundle/deb/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "no .deb: run make package first" >&2; exit 1; }
art=tests/install/artifacts
rm -rf "$art"; mkdir -p "$art"
work=$(mktemp -d); trap 'kill $xvfb $app 2>/dev/null || true; rm -rf "$work"' EXIT
xvfb=""; app=""
root="$work/root"; home="$work/home"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers" "$home"
touch "$root/var/lib/dpkg/status"

echo "== package: $deb ($(du -k "$deb" | cut -f1) KiB)"
# make package recompresses the .deb with xz (src-tauri/packaging/deb-xz.sh); issue #13 sets
# 6 MiB as what a member downloads.
ar t "$deb" | grep -qx 'data.tar.xz' || { echo "the .deb's data is not xz-compressed" >&2; exit 1; }
size=$(stat -c %s "$deb")
[ "$size" -le $((6 * 1024 * 1024)) ] || { echo "the .deb is $size bytes, over 6 MiB" >&2; exit 1; }
deps=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $deps"
case "$deps" in *libwebkit2gtk-4.1*) ;; *) echo "the .deb does not declare WebKitGTK 4.1" >&2; exit 1 ;; esac
contents=$(dpkg-deb -c "$deb")
grep -q 'usr/share/applications/.*\.desktop' <<<"$contents" || { echo "no desktop entry" >&2; exit 1; }

dpkg --root="$root" --force-depends --force-not-root -i "$deb" >"$art/dpkg-install.log" 2>&1 \
  || { cat "$art/dpkg-install.log" >&2; exit 1; }
bin="$root/usr/bin/lvzhi-desktop"
[ -x "$bin" ] || { echo "installed binary missing: $bin" >&2; exit 1; }
desktop=$(ls "$root"/usr/share/applications/*.desktop)
grep -q '^Name=履职台账$' "$desktop" || { echo "desktop entry lacks Name=履职台账" >&2; cat "$desktop" >&2; exit 1; }
grep -q '^Categories=.*Office' "$desktop" || { echo "desktop entry lacks a valid category" >&2; exit 1; }
icon=$(sed -n 's/^Icon=//p' "$desktop")
ls "$root"/usr/share/icons/hicolor/*/apps/"$icon".png >/dev/null || { echo "icon $icon not installed" >&2; exit 1; }
if grep -q LVZHI_E2E "$bin"; then echo "test hooks compiled into the release binary" >&2; exit 1; fi
echo "installed: $bin, $(basename "$desktop"), icon $icon"

display=":$((200 + RANDOM % 500))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
sleep 1
# A fresh ledger in a fresh home: the first launch asks whose computer this is.
env -u LVZHI_DB DISPLAY="$display" HOME="$home" XDG_DATA_HOME="$home/.local/share" \
  XDG_CONFIG_HOME="$home/.config" dbus-run-session -- "$bin" >"$art/app.log" 2>&1 & app=$!
for _ in $(seq 1 200); do
  grep -q 'first screen rendered' "$art/app.log" && break
  kill -0 "$app" 2>/dev/null || { cat "$art/app.log" >&2; echo "the app exited" >&2; exit 1; }
  sleep 0.1
done
grep 'first screen rendered' "$art/app.log" || { cat "$art/app.log" >&2; echo "no first-screen mark" >&2; exit 1; }
DISPLAY="$display" xwininfo -root -tree | grep -q '履职台账' || { echo "no window titled 履职台账" >&2; exit 1; }
sleep 1
DISPLAY="$display" import -window root "$art/installed.png"
spread=$(convert "$art/installed.png" -colorspace gray -format '%[fx:standard_deviation]' info:)
awk -v s="$spread" 'BEGIN { exit !(s > 0.02) }' || { echo "the screen is blank (sd $spread)" >&2; exit 1; }
echo "window shown and painted; screenshot $art/installed.png"
kill "$app"; wait "$app" 2>/dev/null || true; app=""

ledger="$home/.local/share/cn.lvzhi.ledger/lvzhi.db"
[ -f "$ledger" ] || { echo "the app made no ledger at $ledger" >&2; exit 1; }
before=$(sha256sum "$ledger" | cut -d' ' -f1)
dpkg --root="$root" --force-depends --force-not-root -r lvzhi >"$art/dpkg-remove.log" 2>&1 \
  || { cat "$art/dpkg-remove.log" >&2; exit 1; }
[ ! -e "$bin" ] || { echo "removal left the binary" >&2; exit 1; }
[ "$(sha256sum "$ledger" | cut -d' ' -f1)" = "$before" ] || { echo "removal touched the ledger" >&2; exit 1; }
echo "removed; the ledger is where it was, unchanged"
echo "1 passed, 0 failed"
