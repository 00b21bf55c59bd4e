#!/usr/bin/env bash
# bench/scanner.sh -- the persistent layer cache, measured on the large Debian image.
#
#   1. cold scan (empty cache) vs warm re-scan (every layer cached): target warm >= 20x faster;
#   2. a second image that shares the large image's base layers plus one new layer: scanned with
#      the base cached it should cost about what its new layer costs, not the whole image.
# Both the docker-archive and the OCI layout are measured.
#
# usage: bench/scanner.sh            (builds the release binary if missing)
# env:   STRATA_BIN=path/to/strata   BENCH_IMAGES=/work/bench-images (images in $BENCH_IMAGES/out)   RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STRATA=${STRATA_BIN:-$ROOT/.build/release/strata}
BENCH_IMAGES=${BENCH_IMAGES:-/work/bench-images}
RUNS=${RUNS:-3}
ARCHIVE=$BENCH_IMAGES/out/images/large-debian.tar
OCI=$BENCH_IMAGES/out/oci/large-debian

if [ ! -f "$ARCHIVE" ]; then
  shared="${SHARED_DIR:-$ROOT/../shared}"
  if [ -x "$shared/tools/build-dev-images.sh" ]; then
    echo "building the large image into $BENCH_IMAGES/out (once)" >&2
    mkdir -p "$BENCH_IMAGES"
    bash "$shared/tools/build-dev-images.sh" "$BENCH_IMAGES/out" >&2
  else
    echo "bench/scanner.sh: $ARCHIVE is missing; build it with build-dev-images.sh" >&2
    exit 2
  fi
fi
[ -x "$STRATA" ] || bash scripts/build-release.sh --product strata >&2

WORK=$(mktemp -d "${TMPDIR:-/tmp}/strata-bench-scanner.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export STRATA_CACHE_DIR=$WORK/cache

# A second image: the large image's first two layers (the Debian base) plus one new 24 MB layer,
# written as a docker-archive next to the original (layers shared byte for byte, so same diff_ids).
DERIVED=$WORK/derived.tar
NEWONLY=$WORK/new-layer-only.tar
python3 - "$ARCHIVE" "$DERIVED" "$NEWONLY" <<'PY'
import hashlib, io, json, random, sys, tarfile
src, dst, dst_new = sys.argv[1], sys.argv[2], sys.argv[3]
with tarfile.open(src) as t:
    manifest = json.load(t.extractfile("manifest.json"))[0]
    config = json.load(t.extractfile(manifest["Config"]))
    keep = manifest["Layers"][:2]
    blobs = {name: t.extractfile(name).read() for name in keep}
rng = random.Random(7)
words = [b"alpha", b"bravo", b"charlie", b"delta", b"echo", b"foxtrot", b"golf", b"hotel"]
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as layer:
    for i in range(24):
        data = b" ".join(rng.choice(words) for _ in range(190_000))[:1 << 20]
        info = tarfile.TarInfo(f"srv/data/part{i:02}.txt"); info.size = len(data); info.mtime = 0
        layer.addfile(info, io.BytesIO(data))
new = buf.getvalue()
new_name = hashlib.sha256(new).hexdigest() + ".tar"
blobs[new_name] = new
diff_ids = config["rootfs"]["diff_ids"][:2] + ["sha256:" + hashlib.sha256(new).hexdigest()]
history = [h for h in config.get("history", []) if not h.get("empty_layer")][:2]
history.append({"created": "1970-01-01T00:00:00Z", "created_by": "/bin/sh -c #(nop) COPY dir:data in /srv/data"})
def write(path, layer_names, diff_ids, history):
    cfg = dict(config)
    cfg["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
    cfg["history"] = history
    cbytes = json.dumps(cfg, sort_keys=True).encode()
    cname = hashlib.sha256(cbytes).hexdigest() + ".json"
    manifest = [{"Config": cname, "RepoTags": ["bench/derived:latest"], "Layers": layer_names}]
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as out:
        def add(name, data):
            info = tarfile.TarInfo(name); info.size = len(data); info.mtime = 0
            out.addfile(info, io.BytesIO(data))
        for name in layer_names:
            add(name, blobs[name])
        add(cname, cbytes)
        add("manifest.json", json.dumps(manifest).encode())
write(dst, keep + [new_name], diff_ids, history)
write(dst_new, [new_name], diff_ids[2:], history[2:])
PY

# Best of RUNS: "WALL CPU" seconds of `strata scan` (CPU = user + sys, which a busy machine
# inflates less than wall time). $1 = "cold" to clear the cache before every run, rest = scan args.
best() {
  local mode=$1; shift
  local wall="" cpu=""
  for _ in $(seq "$RUNS"); do
    [ "$mode" = cold ] && "$STRATA" cache clear >/dev/null
    # Timed to the microsecond (a warm scan takes ~30 ms: /usr/bin/time's 10 ms steps are too coarse).
    python3 - "$WORK/time" "$STRATA" scan --format json --output "$WORK/out.json" "$@" >/dev/null 2>"$WORK/err" <<'PY' \
      || { cat "$WORK/err" >&2; exit 2; }
import os, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write(f"{wall:.4f} {usage.ru_utime + usage.ru_stime:.4f}\n")
sys.exit(0 if code in (0, 1) else 2)
PY
    read -r w c < <(tail -1 "$WORK/time")
    wall=$(python3 -c "import sys; a=float(sys.argv[1]); b=sys.argv[2]; print(min(a, float(b)) if b else a)" "$w" "$wall")
    cpu=$(python3 -c "import sys; a=float(sys.argv[1]); b=sys.argv[2]; print(min(a, float(b)) if b else a)" "$c" "$cpu")
  done
  echo "$wall $cpu"
}
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/max(float(sys.argv[2]),1e-6):.1f}')" "$1" "$2"; }

line() { # label, "WALL CPU", [reference "WALL CPU" for the ratio], [note]
  local w c; read -r w c <<<"$2"
  if [ -n "${3:-}" ]; then
    local rw rc; read -r rw rc <<<"$3"
    printf '%-30s %8.4f %8.4f   %5sx wall %5sx cpu  %s\n' "$1" "$w" "$c" "$(ratio "$rw" "$w")" "$(ratio "$rc" "$c")" "${4:-}"
  else
    printf '%-30s %8.4f %8.4f\n' "$1" "$w" "$c"
  fi
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-30s %8s %8s\n' "scan (best of $RUNS)" "wall s" "cpu s"
echo "(wall: perf_counter; cpu: getrusage, which the kernel samples per tick: coarse for runs under ~50 ms)"
for target in "$ARCHIVE" "$OCI"; do
  label=$(basename "$target"); [ -d "$target" ] && label="$label (oci)"
  cold=$(best cold "$target")
  "$STRATA" cache clear >/dev/null
  "$STRATA" scan --format json --output "$WORK/out.json" "$target" >/dev/null 2>&1 || true
  warm=$(best warm "$target")
  line "$label cold" "$cold"
  line "$label warm" "$warm" "$cold" "faster (target >= 20x)"
done

# The derived image: alone with an empty cache, then after the large image filled the cache.
derived_cold=$(best cold "$DERIVED")
"$STRATA" cache clear >/dev/null
"$STRATA" scan --format json --output "$WORK/out.json" "$ARCHIVE" >/dev/null 2>&1 || true
derived_shared=$(RUNS=1 best warm "$DERIVED")
newonly=$(best cold "$NEWONLY")
new_bytes=$(python3 -c "import tarfile,json,sys; t=tarfile.open(sys.argv[1]); m=json.load(t.extractfile('manifest.json'))[0]; print(t.getmember(m['Layers'][-1]).size, 'of', sum(t.getmember(l).size for l in m['Layers']))" "$DERIVED")
line "derived image, empty cache" "$derived_cold"
line "derived image, base cached" "$derived_shared" "$derived_cold" "faster (its new layer: $new_bytes bytes)"
line "new layer alone, empty cache" "$newonly" "" 
echo "(the last line is the floor for the one above it: what the derived image's own layer costs)"
"$STRATA" cache stats
