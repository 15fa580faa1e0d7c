#!/usr/bin/env bash
# `make fuzz`: builds every fuzz target, runs each for FUZZ_SECONDS (one after another, one
# worker), then prints per target the inputs executed and the crashes found. Exits non-zero
# when any target crashed, after running them all; the crashing inputs are in
# fuzz/artifacts/<target>/.
#
#   FUZZ_SECONDS=90          seconds per target (9 targets: 13.5 minutes in all)
#   FUZZ_TARGETS="a b"       only these targets
#   FUZZ_FORK=1              keep fuzzing past a crash (libFuzzer -fork=1 -ignore_crashes=1 ...),
#                            to collect several distinct crashes in one run
#
# The working corpus is fuzz/target/corpus-work/<target>, seeded from the committed
# fuzz/corpus/<target>, which the runs never write to. Logs: fuzz/target/logs/<target>.log.
# The toolchain is stable: cargo fuzz's nightly flags are allowed by RUSTC_BOOTSTRAP=1.
set -uo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-90}
FUZZ_TARGETS=${FUZZ_TARGETS:-sheet_xlsx sheet_xlsx_xml sheet_xls sheet_csv sheet_html package_open package_merge roster_preview signin_preview}
FUZZ_FORK=${FUZZ_FORK:-0}
export RUSTC_BOOTSTRAP=1

# The longest input each target is given.
max_len() {
  case $1 in
    sheet_xlsx | roster_preview | signin_preview) echo 65536 ;;
    package_open) echo 32768 ;;
    sheet_xls | sheet_xlsx_xml | package_merge) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "Installing cargo-fuzz..."
  cargo install cargo-fuzz --locked || exit 1
fi

echo "Building the fuzz targets..."
cargo fuzz build --fuzz-dir fuzz || exit 1
# The binaries are run directly, so every target runs the one build made above (cargo fuzz
# run would rebuild whenever crates/ changed in the meantime).
bin=fuzz/target/$(rustc -vV | sed -n "s/^host: //p")/release
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}

mkdir -p fuzz/target/logs
declare -A EXECS CRASHES SPEED STATUS NEW
failed=0
for t in $FUZZ_TARGETS; do
  work=fuzz/target/corpus-work/$t
  artifacts=fuzz/artifacts/$t
  log=fuzz/target/logs/$t.log
  mkdir -p "$work" "$artifacts"
  cp -n fuzz/corpus/"$t"/* "$work"/ 2>/dev/null
  marker=$(mktemp)
  flags=(-max_total_time="$FUZZ_SECONDS" -rss_limit_mb=4096 -timeout=30
    -max_len="$(max_len "$t")" -print_final_stats=1)
  if [ "$FUZZ_FORK" = 1 ]; then
    flags+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  fi
  echo "== $t: ${FUZZ_SECONDS}s (log: $log)"
  start=$SECONDS
  "$bin/$t" "${flags[@]}" -artifact_prefix="$artifacts/" "$work" >"$log" 2>&1
  rc=$?
  elapsed=$((SECONDS - start))
  # Crashes, OOMs, timeouts and leaks written during this run.
  new=$(find "$artifacts" -type f -newer "$marker" | sort)
  found=$(printf '%s' "$new" | grep -c .)
  NEW[$t]=$new
  rm -f "$marker"
  if [ "$FUZZ_FORK" = 1 ]; then
    # The fork-mode parent's last status line: "#N: cov: ... exec/s: E ...".
    execs=$(grep -oE '^#[0-9]+: cov' "$log" | tail -n1 | tr -dc 0-9)
  else
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+$')
  fi
  execs=${execs:-0}
  EXECS[$t]=$execs
  CRASHES[$t]=$found
  SPEED[$t]=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+$')
  SPEED[$t]=${SPEED[$t]:-$((execs / (elapsed > 0 ? elapsed : 1)))}
  if [ "$found" -gt 0 ]; then
    STATUS[$t]=CRASH
    failed=1
  elif [ "$rc" -ne 0 ]; then
    STATUS[$t]="FAILED (exit $rc, see $log)"
    failed=1
  else
    STATUS[$t]=ok
  fi
done

echo
printf '%-16s %12s %8s %8s  %s\n' target executions exec/s crashes status
for t in $FUZZ_TARGETS; do
  printf '%-16s %12s %8s %8s  %s\n' "$t" "${EXECS[$t]}" "${SPEED[$t]}" "${CRASHES[$t]}" "${STATUS[$t]}"
done
if [ "$failed" = 1 ]; then
  echo
  echo "Crashing inputs (each rerun once to show what it does):"
  for t in $FUZZ_TARGETS; do
    for f in ${NEW[$t]}; do
      echo "  $f ($(wc -c <"$f") bytes)"
      "$bin/$t" -rss_limit_mb=4096 -timeout=30 "$f" 2>&1 |
        grep -a -m1 -A1 -E "panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer" |
        grep -a -v -E "^(stack backtrace|note:|--)" | sed 's/^/      /'
    done
  done
  echo
  echo "Crashes found. Inputs: fuzz/artifacts/<target>/; reproduce with" >&2
  echo "  RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz <target> fuzz/artifacts/<target>/<file>" >&2
  exit 1
fi
echo "No crashes."
