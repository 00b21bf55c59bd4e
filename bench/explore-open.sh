#!/usr/bin/env bash
# bench/explore-open.sh -- opening files in the explorer's viewer, on the large image's biggest layer:
# 20 files spread through the layer, each streamed from the layer's start (how every open used to
# work) against strata's random access (first opens in tar order, then again in reverse order).
# Both the OCI layout (gzip blobs: checkpoints) and the docker-archive (plain tar: offsets).
set -euo pipefail
cd "$(dirname "$0")/.."
images=${BENCH_IMAGES:-/work/bench-images}/out
bin=${STRATA_BIN:-.build/release/strata}
[ -x "$bin" ] || bash scripts/build-release.sh --product strata >/dev/null
for image in "$images/oci/large-debian" "$images/images/large-debian.tar"; do
  [ -e "$image" ] || { echo "missing $image: build it with ../shared/tools/build-dev-images.sh" >&2; exit 2; }
  echo "$(basename "$image"):"
  "$bin" explore "$image" --bench-open
done
