#!/usr/bin/env bash
# Runs the end-to-end tests against the built app under a private Xvfb display.
# Expects target/debug/lvzhi-desktop and target/debug/lvzhi to be built (make test does it).
set -euo pipefail
cd "$(dirname "$0")/../.."
# A private D-Bus session bus too: the app keeps to one instance per ledger through a D-Bus
# name, and a test checks that a second launch hands over to the first.
tests/e2e/with-xvfb.sh dbus-run-session -- node --test --test-concurrency=1 tests/e2e/*.test.mjs
