#!/usr/bin/env bash
# bench/index.sh: how fast strata indexes a large image, against the decompression floor.
#
# usage: bench/index.sh [OCI_LAYOUT_DIR]
#   image: $1, else $STRATA_BENCH_IMAGE, else $BENCH_IMAGES/out/oci/large-debian
#          (BENCH_IMAGES defaults to /work/bench-images, outside the repository). When the
#          image is missing it is built with ../shared/tools/build-dev-images.sh (root; several
#          minutes; debootstrap), or $BUILD_DEV_IMAGES if set.
#   binary: $STRATA_BIN, else .build/release/strata (built when missing).
#
# Prints, in one run: the time of `gzip -dc` over the image's gzip layers (one core, one after
# the other: the decompression floor), strata's time to index every layer (`strata layers`,
# layers in parallel), their ratio, strata's CPU use (>100% = several cores busy) and peak
# RSS (/usr/bin/time -v). Also the same for the docker-archive next to it, when present.
# Targets: ratio >= 1 (at least gzip -dc's throughput), both cores busy, peak RSS < 100 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IMAGES=${BENCH_IMAGES:-/work/bench-images}
OCI=${1:-${STRATA_BENCH_IMAGE:-$IMAGES/out/oci/large-debian}}
BIN=${STRATA_BIN:-$ROOT/.build/release/strata}

if [ ! -f "$OCI/index.json" ]; then
  builder=${BUILD_DEV_IMAGES:-$ROOT/../shared/tools/build-dev-images.sh}
  [ -x "$builder" ] || builder=/work/shared/tools/build-dev-images.sh
  echo "bench: $OCI missing; building the dev images with $builder (root, a few minutes)" >&2
  mkdir -p "$IMAGES"
  "$builder" "$IMAGES/out" > "$IMAGES/build.log" 2>&1
fi
if [ ! -x "$BIN" ]; then
  echo "bench: building the release binary" >&2
  bash scripts/build-release.sh --product strata >&2
fi
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

# The gzip layer blobs of the image's manifest (first manifest of index.json).
layers=$(python3 - "$OCI" <<'PY'
import json, sys
root = sys.argv[1]
def blob(d): return f"{root}/blobs/{d.split(':')[0]}/{d.split(':')[1]}"
index = json.load(open(f"{root}/index.json"))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
for layer in manifest["layers"]:
    print(blob(layer["digest"]))
PY
)
count=$(echo "$layers" | wc -l)
compressed=$(echo "$layers" | xargs stat -c %s | awk '{s+=$1} END {print s}')

now() { date +%s.%N; }
# Warm the page cache so both sides read from memory.
cat $layers > /dev/null

uncompressed=0
for blob in $layers; do
  n=$(gzip -dc "$blob" | wc -c)
  uncompressed=$((uncompressed + n))
done
start=$(now)
gzip_cpu=$( { /usr/bin/time -f '%U %S' sh -c 'for b in "$@"; do gzip -dc "$b" > /dev/null; done' sh $layers; } 2>&1 | tail -1 | awk '{print $1 + $2}')
gzip_time=$(echo "$(now) - $start" | bc -l)

measure() { # measure LABEL REF → sets wall, cpu, rss
  local log; log=$(mktemp)
  /usr/bin/time -v "$BIN" layers "$2" --format json > /dev/null 2> "$log" || { cat "$log" >&2; rm -f "$log"; exit 1; }
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  cpu_s=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$log")
  rm -f "$log"
}

printf 'image: %s (%d layers, %.1f MB compressed, %.1f MB uncompressed)\n' "$OCI" "$count" \
  "$(echo "$compressed / 1000000" | bc -l)" "$(echo "$uncompressed / 1000000" | bc -l)"
printf 'gzip -dc (1 core, sequential): %6.2f s  %6.1f MB/s uncompressed  (CPU %.2f s: %.1f MB/s per core)\n' "$gzip_time" \
  "$(echo "$uncompressed / 1000000 / $gzip_time" | bc -l)" "$gzip_cpu" "$(echo "$uncompressed / 1000000 / $gzip_cpu" | bc -l)"

load=$(cut -d' ' -f1 /proc/loadavg)
measure oci "$OCI"
printf 'strata layers (oci):           %6.2f s  %6.1f MB/s  ratio gzip/strata %.2f  CPU %s  peak RSS %.1f MB\n' \
  "$wall" "$(echo "$uncompressed / 1000000 / $wall" | bc -l)" "$(echo "$gzip_time / $wall" | bc -l)" "$cpu" "$(echo "$rss / 1024" | bc -l)"
printf '  per core: CPU %.2f s: %.1f MB/s per core, ratio of CPU time gzip/strata %.2f (strata also hashes blob, diff_id and every file)\n' \
  "$cpu_s" "$(echo "$uncompressed / 1000000 / $cpu_s" | bc -l)" "$(echo "$gzip_cpu / $cpu_s" | bc -l)"

printf 'load average before the run: %s on %s cores (other processes skew the timings)\n' "$load" "$(nproc)"
STRATA_JOBS=1 measure oci-1 "$OCI"
printf 'strata layers (oci, STRATA_JOBS=1): %6.2f s  %6.1f MB/s  ratio gzip/strata %.2f  CPU %s  peak RSS %.1f MB\n' \
  "$wall" "$(echo "$uncompressed / 1000000 / $wall" | bc -l)" "$(echo "$gzip_time / $wall" | bc -l)" "$cpu" "$(echo "$rss / 1024" | bc -l)"

archive=$(dirname "$(dirname "$OCI")")/images/$(basename "$OCI").tar
if [ -f "$archive" ]; then
  cat "$archive" > /dev/null
  measure docker-archive "$archive"
  printf 'strata layers (docker-archive, uncompressed): %6.2f s  %6.1f MB/s  CPU %s  peak RSS %.1f MB\n' \
    "$wall" "$(echo "$uncompressed / 1000000 / $wall" | bc -l)" "$cpu" "$(echo "$rss / 1024" | bc -l)"
fi
