#!/usr/bin/env bash
# Runs a command with DISPLAY set to a private Xvfb display, stopped again when it ends.
set -euo pipefail
display=":$(( 80 + RANDOM % 19 ))"
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  DISPLAY="$display" xdpyinfo >/dev/null 2>&1 && break
  sleep 0.1
done
DISPLAY="$display" "$@"
