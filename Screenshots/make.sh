#!/usr/bin/env bash
# Remakes the PNGs in Screenshots/ from the real explorer on the built-in demo image, with
# ../shared/tools/termshot.py (tmux + pyte + pillow + a DejaVu mono font). Run after any change
# to how the explorer looks:  bash Screenshots/make.sh [STRATA_BIN]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-.build/release/strata}"
shot="${TERMSHOT:-../shared/tools/termshot.py}"
export STRATA_CACHE_DIR="$(mktemp -d)"
trap 'rm -rf "$STRATA_CACHE_DIR"' EXIT
take() { local name=$1 keys=$2; python3 "$shot" --cols 120 --rows 36 --keys "$keys" --png "Screenshots/$name.png" -- "$bin" explore --demo; }
take layers-and-files        "j j Tab"                  # the layer whose RUN deleted the token: its whiteout
take viewer-deleted-token    "j Tab j j Enter"          # .npmrc as layer 1 wrote it, the token masked
take viewer-env-two-secrets  "j j j Tab j j j j j j j j j j j Enter"  # app/.env swept in by COPY . (past a hostile name, shown escaped)
take findings                "f"                        # grouped by secret, with status and fix
take help                    "?"                        # generated from the action table
