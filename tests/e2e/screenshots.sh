#!/usr/bin/env bash
# Retakes docs/screenshots/ under a private Xvfb display (see screenshots.mjs).
set -euo pipefail
cd "$(dirname "$0")/../.."
tests/e2e/with-xvfb.sh node tests/e2e/screenshots.mjs
