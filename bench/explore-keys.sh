#!/usr/bin/env bash
# Keypress-to-frame time of the explorer on a layer of 100 000 entries (reduce + full redraw
# into the grid; curses writes only changed rows on top of that). Target: p99 under 50 ms.
# Usage: bench/explore-keys.sh [ENTRIES]
set -euo pipefail
cd "$(dirname "$0")/.."
entries="${1:-100000}"
bash scripts/build-release.sh --product strata >/dev/null
.build/release/strata explore --bench-keys --bench-entries "$entries"
