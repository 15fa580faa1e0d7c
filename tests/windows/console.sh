#!/usr/bin/env bash
# lvzhi.exe writing into a Windows console set to code page 936 (a Chinese Windows), under
# wine: `script` gives wine a terminal, so wine gives the program a real console (conhost),
# and the console's text comes back to the terminal as UTF-8. Rust's std writes to a console
# with WriteConsoleW (UTF-16), so the Chinese must come out whole whatever the code page;
# bytes written in UTF-8 and read as GBK would come out garbled.
# (The .bat names only ASCII paths: cmd reads a batch file in the console code page.)
# Usage: tests/windows/console.sh target/x86_64-pc-windows-gnu/debug/lvzhi.exe
set -euo pipefail
exe=$(realpath "${1:?usage: console.sh path/to/lvzhi.exe}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db_win="Z:${work//\//\\}\\ledger.db"
exe_win="Z:${exe//\//\\}"

# A ledger with the demo year, made by the program itself (output redirected).
"$here/wine-runner.sh" "$exe" --db "$db_win" demo >/dev/null

# The same runner, with a terminal: chcp 936, then a listing and an error into the console.
cat >"$work/run.bat" <<BAT
@chcp 936 >nul
@"$exe_win" --db "$db_win" member list
@"$exe_win" --db "$db_win" activity delete 0123456789
@chcp
BAT
script -qec "'$here/wine-runner.sh' cmd /c 'Z:${work//\//\\}\\run.bat'" /dev/null \
  </dev/null >"$work/out.txt" 2>&1 || true
out=$(tr -d '\r' <"$work/out.txt" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g')

fail=0
grep -q '936' <<<"$out" || { echo "console.sh: the console did not switch to code page 936" >&2; fail=1; }
grep -q '王建国' <<<"$out" || { echo "console.sh: the member listing is not in the console as Chinese" >&2; fail=1; }
grep -q '错误：未找到' <<<"$out" || { echo "console.sh: the Chinese error is not in the console" >&2; fail=1; }
if [ "$fail" != 0 ]; then
  echo "--- console output ---" >&2; printf '%s\n' "$out" >&2; exit 1
fi
echo "console.sh: code page 936 console shows the listing and the error in Chinese"
