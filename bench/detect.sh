#!/bin/sh
# Detection throughput: MB/s of Detector.standard() over 64 MB of keyword-dense config text
# and 64 MB of random bytes, in a release build. Optional: STRATA_SCAN_DIR=/some/root also
# surveys a directory tree (e.g. an extracted Debian root) and prints every finding at
# medium or above, with the time taken.
#
#   bench/detect.sh                 # throughput only
#   STRATA_SCAN_DIR=/usr bench/detect.sh
set -eu
cd "$(dirname "$0")/.."
# Its own build directory: built with -enable-testing, it must not relink the release binary
# that the other benches measure (scripts/build-release.sh builds that one).
scratch=.build/bench-detect
swift build -c release --build-tests -Xswiftc -enable-testing --scratch-path "$scratch" >/dev/null
STRATA_BENCH=1 swift test -c release -Xswiftc -enable-testing --scratch-path "$scratch" --skip-build --filter 'DetectionBenchmark' 2>&1 \
    | grep -E '^(detect-bench|survey)' || true
