#!/usr/bin/env bash
# Runs the end-to-end tests against the built app under a private Xvfb display.
# Expects target/debug/lvzhi-desktop and target/debug/lvzhi to be built (make test does it).
set -euo pipefail
cd "$(dirname "$0")/../.."

display=":$(( 90 + RANDOM % 9 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  DISPLAY="$display" xdpyinfo >/dev/null 2>&1 && break
  sleep 0.1
done
export DISPLAY="$display"
node --test --test-concurrency=1 tests/e2e/*.test.mjs
