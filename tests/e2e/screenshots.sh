#!/usr/bin/env bash
# Retakes docs/screenshots/ under a private Xvfb display (see screenshots.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
display=":$(( 80 + RANDOM % 9 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do DISPLAY="$display" xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done
export DISPLAY="$display"
node tests/e2e/screenshots.mjs
