#!/usr/bin/env bash
# bench/scan.sh -- wall time and peak RSS of `strata scan` on the large image, next to the peers.
#
#   bench/scan.sh [IMAGES_DIR]     (default: /work/bench-images/out, as built by
#                                   ../shared/tools/build-dev-images.sh)
#
# Runs, each RUNS times (default 3; the best wall time and its RSS are reported):
#   strata scan --no-cache  on the docker-archive and on the OCI layout (cold: no cache)
#   kingfisher scan docker --archive FILE --no-validate --no-limits
#   betterleaks fs FILE --max-archive-depth 8
#   gzip -dc over the OCI layer blobs (the decompression floor)
# and checks that strata finds the planted secrets of the large image and nothing else at
# medium or above (the Debian files themselves must produce no findings).
#
# Targets (2 cores): >= 10x faster than kingfisher, >= 3x faster than betterleaks,
# within 1.3x of gzip -dc, peak RSS <= 150 MB.
# Peers come from ../shared/tools/peers.sh (default $HOME/.cache/strata-peers).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
images=${1:-${BENCH_IMAGES:-/work/bench-images}/out}
runs=${RUNS:-3}
peers=${PEERS:-$HOME/.cache/strata-peers/bin}
archive=$images/images/large-debian.tar
oci=$images/oci/large-debian
truth=$images/truth/truth-large.json
for f in "$archive" "$oci/index.json" "$truth"; do
  [ -e "$f" ] || { echo "missing $f: build the images with ../shared/tools/build-dev-images.sh $images" >&2; exit 2; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ -z "${STRATA_BIN:-}" ]; then
  bash "$here/scripts/build-release.sh" --product strata >/dev/null
  STRATA_BIN="$here/.build/release/strata"
fi

# measure NAME CMD...: best wall time (s) and the peak RSS (MB) of that run.
# CPU seconds (user + system) are printed too: on a busy machine they vary less than wall time.
declare -A wall rss
measure() {
  local name=$1; shift
  local best="" best_rss="" best_cpu=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M %U %S" -o "$out/time" "$@" >"$out/$name.out" 2>"$out/$name.err" || true
    read -r t m u s < <(tail -n 1 "$out/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; best_rss=$m; best_cpu=$(awk "BEGIN{print $u + $s}"); fi
  done
  wall[$name]=$best
  rss[$name]=$(awk "BEGIN{printf \"%.0f\", $best_rss/1024}")
  printf '%-22s %8.2f s  %6s MB  %8.2f CPU s\n' "$name" "$best" "${rss[$name]}" "$best_cpu"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "large image: $(du -h "$archive" | cut -f1) docker-archive, $(du -sh "$oci" | cut -f1) OCI; $(nproc) cores; best of $runs"
measure strata-archive "$STRATA_BIN" scan "$archive" --no-cache --format json --output "$out/strata-archive.json" --fail-on none
measure strata-oci "$STRATA_BIN" scan "$oci" --no-cache --format json --output "$out/strata-oci.json" --fail-on none
measure gzip-dc sh -c "for b in \$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1]+\"/index.json\"))[\"manifests\"][0][\"digest\"].split(\":\")[1]; print(\" \".join(l[\"digest\"].split(\":\")[1] for l in json.load(open(sys.argv[1]+\"/blobs/sha256/\"+m))[\"layers\"]))' $oci); do gzip -dc $oci/blobs/sha256/\$b; done >/dev/null"
if [ -x "$peers/kingfisher" ]; then
  measure kingfisher "$peers/kingfisher" scan docker --archive "$archive" --no-validate --no-limits --format json
fi
if [ -x "$peers/betterleaks" ]; then
  measure betterleaks "$peers/betterleaks" fs "$archive" --max-archive-depth 8 --no-banner -o "$out/betterleaks.json"
fi

echo
# Ratios against the targets.
python3 - <<PY
w = {k: float(v) for k, v in [$(for k in "${!wall[@]}"; do printf '("%s", "%s"),' "$k" "${wall[$k]}"; done)]}
r = {k: int(v) for k, v in [$(for k in "${!rss[@]}"; do printf '("%s", "%s"),' "$k" "${rss[$k]}"; done)]}
for s in ("strata-archive", "strata-oci"):
    line = [s]
    if "kingfisher" in w: line.append("%.1fx faster than kingfisher (target 10x)" % (w["kingfisher"] / w[s]))
    if "betterleaks" in w: line.append("%.1fx faster than betterleaks (target 3x)" % (w["betterleaks"] / w[s]))
    line.append("%.2fx gzip -dc (target <= 1.3x)" % (w[s] / w["gzip-dc"]))
    line.append("RSS %d MB (target <= 150)" % r[s])
    print("; ".join(line))
PY

# Correctness on the large image: planted secrets at every occurrence, nothing else >= medium.
"$STRATA_BIN" scan "$archive" --no-cache --format json --show-secrets --fail-on none --output "$out/check.json"
python3 - "$truth" "$out/check.json" "$out/strata-archive.json" "$out/strata-oci.json" <<'PY'
import json, sys
truth = json.load(open(sys.argv[1]))
image = truth["images"][0] if "images" in truth else truth
doc = json.load(open(sys.argv[2]))
fs = doc["findings"]
a, o = (json.load(open(p))["findings"] for p in sys.argv[3:5])
print("docker-archive and OCI findings identical:", json.dumps(a, sort_keys=True) == json.dumps(o, sort_keys=True))
def holds(secret, item):
    return item["needle"] in secret or (len(secret) >= 8 and secret in item["value"])
found = total = 0
missing = []
for item in image["secrets"]:
    for occ in item["occurrences"]:
        total += 1
        loc = occ["location"]
        def ok(f):
            l = f["location"]
            if not holds(f["secret"], item): return False
            if loc == "layer":
                st = "present" if occ["status"] == "present-in-final" else ("removed" if occ["status"].startswith("deleted") else "overwritten")
                return l.get("layer") == occ["layer_index"] and l.get("path") == occ["path"].lstrip("/").replace("!/", "!") and f["status"] == st
            if loc.startswith("config:"):
                return f["status"] == "config" and l.get("field") == "%s[%s]" % (loc[7:], occ.get("entry"))
            return f["status"] == "history" and l.get("historyIndex") == int(loc.split(":")[1])
        if any(ok(f) for f in fs): found += 1
        else: missing.append("%s %s %s" % (item["id"], loc, occ.get("path") or ""))
rank = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
extra = [f for f in fs if rank[f["severity"]] >= 2 and not any(holds(f["secret"], i) for i in image["secrets"])]
debian = [f for f in extra if f["location"].get("layer") == 0]
print("planted occurrences found: %d/%d %s" % (found, total, ("missing: " + "; ".join(missing)) if missing else ""))
print("findings at medium or above in the Debian base layer (false positives): %d" % len(debian))
print("findings at medium or above elsewhere that are not planted: %d" % (len(extra) - len(debian)))
for f in extra[:20]:
    print("   ", f["rule"], "layer", f["location"].get("layer"), f["location"].get("path") or f["location"].get("field"))
PY
