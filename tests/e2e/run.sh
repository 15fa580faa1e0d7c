#!/usr/bin/env bash
# Runs the end-to-end tests against the built app under a private Xvfb display.
# Expects target/debug/lvzhi-desktop and target/debug/lvzhi to be built (make test does it).
set -euo pipefail
cd "$(dirname "$0")/../.."
tests/e2e/with-xvfb.sh node --test --test-concurrency=1 tests/e2e/*.test.mjs
