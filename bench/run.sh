#!/usr/bin/env bash
# bench/run.sh -- `make bench`: every benchmark in one run, peers measured alongside.
#
# The large Debian image (348 MB) is built on first use by ../shared/tools/build-dev-images.sh
# (root; a few minutes) into $BENCH_IMAGES (default /work/bench-images, outside the repository),
# and peers are installed by ../shared/tools/peers.sh. Each script prints its own ratios;
# compare ratios within one run (peers' wall times vary between runs on a shared machine).
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_IMAGES="${BENCH_IMAGES:-/work/bench-images}"
export STRATA_BIN="${STRATA_BIN:-$PWD/.build/release/strata}"
shared="${SHARED_DIR:-$PWD/../shared}"
if [ ! -f "$BENCH_IMAGES/out/images/large-debian.tar" ]; then
  [ -x "$shared/tools/build-dev-images.sh" ] || { echo "bench: need ../shared/tools/build-dev-images.sh to build the large image" >&2; exit 2; }
  mkdir -p "$BENCH_IMAGES"
  bash "$shared/tools/build-dev-images.sh" "$BENCH_IMAGES/out"
fi
if [ ! -x "$HOME/.cache/strata-peers/bin/kingfisher" ] && [ -x "$shared/tools/peers.sh" ]; then
  bash "$shared/tools/peers.sh" >/dev/null
fi
echo "================ bench/corpus.py (secrets corpus, scored by score.py)"
python3 bench/corpus.py --score "$shared/tools/score.py" || echo "bench/corpus.py failed"
echo "================ bench/scan-recall.py (image fixtures: occurrences at the right layer, path, status)"
python3 bench/scan-recall.py "$STRATA_BIN" || echo "bench/scan-recall.py failed"
for script in index detect scan scanner explore-keys explore-open registry; do
  [ -f "bench/$script.sh" ] || continue
  echo "================ bench/$script.sh"
  bash "bench/$script.sh" || echo "bench/$script.sh failed (exit $?)"
done
