#!/usr/bin/env bash
# Runs the whole test suite against the debug build; end-to-end tests find the binary via STRATA_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
export STRATA_BIN="$PWD/.build/debug/strata"
swift test --skip-build 2>&1 | tee .build/test.log
