#!/usr/bin/env bash
# Registry pull benchmark. A local docker-registry (127.0.0.1, temp storage) serves the large
# Debian image ($BENCH_IMAGES/out/images/large-debian.tar) or, when it is absent, a generated
# image with one large layer (SIZE_MB, default 256). Prints, in the same run:
#   - the floor: curl | gzip -dc of every layer blob (transfer + decompression, nothing else);
#   - a peer's pull: skopeo copy docker://… dir: (transfer + digest checks, written to disk);
#   - strata layers docker://… (manifest, config, blobs streamed, verified, indexed) + peak RSS;
#   - strata scan docker://… against strata scan of the same docker-archive (registry overhead).
# Usage: bench/registry.sh [STRATA_BIN]   (default $STRATA_BIN, else .build/release/strata)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-${STRATA_BIN:-.build/release/strata}}
SIZE_MB=${SIZE_MB:-256}
BENCH_IMAGES=${BENCH_IMAGES:-/work/bench-images}
work=$(mktemp -d)
cleanup() { [ -n "${reg_pid:-}" ] && kill "$reg_pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$work/config.yml" 2>/dev/null &
reg_pid=$!

archive="$BENCH_IMAGES/out/images/large-debian.tar"
if [ ! -f "$archive" ]; then
  archive="$work/image.tar"
  # A docker-archive with one layer of mixed text and random files.
  python3 - "$archive" "$SIZE_MB" <<'PY'
import hashlib, io, json, os, random, sys, tarfile
out, size_mb = sys.argv[1], int(sys.argv[2])
random.seed(7)
layer = io.BytesIO()
with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as t:
    written, i = 0, 0
    words = [b"alpha", b"beta", b"gamma", b"delta", b"config", b"value", b"path", b"token=none"]
    while written < size_mb << 20:
        if i % 3 == 0:
            data = os.urandom(512 * 1024)
        else:
            data = b"\n".join(b" ".join(random.choice(words) for _ in range(12)) for _ in range(8000))
        info = tarfile.TarInfo(f"data/dir{i // 100}/file{i}.txt")
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
        written += len(data)
        i += 1
raw = layer.getvalue()
diff = hashlib.sha256(raw).hexdigest()
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + diff]},
                     "history": [{"created_by": "bench layer"}], "config": {}}).encode()
cid = hashlib.sha256(config).hexdigest()
with tarfile.open(out, "w") as t:
    for name, data in [(f"{diff}.tar", raw), (f"{cid}.json", config),
                       ("manifest.json", json.dumps([{"Config": f"{cid}.json", "RepoTags": ["bench:latest"], "Layers": [f"{diff}.tar"]}]).encode())]:
        info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
PY
fi
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
skopeo --insecure-policy copy -q --dest-tls-verify=false "docker-archive:$archive" "docker://127.0.0.1:$port/bench:latest"
ref="docker://127.0.0.1:$port/bench:latest"

manifest=$(curl -fs -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://127.0.0.1:$port/v2/bench/manifests/latest")
blobs=$(python3 -c 'import json,sys; print(" ".join(l["digest"] for l in json.loads(sys.argv[1])["layers"]))' "$manifest")
blob_bytes=$(python3 -c 'import json,sys; print(sum(l["size"] for l in json.loads(sys.argv[1])["layers"]))' "$manifest")
uncompressed=$(python3 -c 'import os,sys,tarfile; t=tarfile.open(sys.argv[1]); print(sum(m.size for m in t.getmembers() if m.name.endswith(".tar") or "/blobs/" in m.name or m.name.endswith("layer.tar")))' "$archive")

now() { python3 -c 'import time; print(time.time())'; }
t0=$(now)
for b in $blobs; do curl -fs "http://127.0.0.1:$port/v2/bench/blobs/$b" | gzip -dc > /dev/null; done
t1=$(now)
skopeo --insecure-policy copy -q --src-tls-verify=false "$ref" "dir:$work/pulled" >/dev/null
t2=$(now)
/usr/bin/time -f '%M' -o "$work/rss" "$BIN" layers "$ref" > /dev/null
t3=$(now)
STRATA_CACHE_DIR="$work/cache" "$BIN" scan --no-cache --format json "$ref" > "$work/remote.json" || true
t4=$(now)
STRATA_CACHE_DIR="$work/cache" "$BIN" scan --no-cache --format json "$archive" > "$work/local.json" || true
t5=$(now)
python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$uncompressed" "$blob_bytes" "$(tail -1 "$work/rss")" "$archive" <<'PY'
import sys
t = list(map(float, sys.argv[1:7])); raw = int(sys.argv[7]) / 1e6; blob = int(sys.argv[8]) / 1e6; rss = int(sys.argv[9])
floor, skopeo, layers, scan_remote, scan_local = t[1]-t[0], t[2]-t[1], t[3]-t[2], t[4]-t[3], t[5]-t[4]
print(f"image: {sys.argv[10]}  ({raw:.0f} MB of layers, {blob:.0f} MB gzip blobs)")
print(f"curl | gzip -dc (floor)   : {floor:6.2f} s  {raw / floor:6.1f} MB/s")
print(f"skopeo copy to dir:       : {skopeo:6.2f} s  {raw / skopeo:6.1f} MB/s")
print(f"strata layers docker://   : {layers:6.2f} s  {raw / layers:6.1f} MB/s  ratio to floor {layers / floor:.2f}  peak RSS {rss / 1024:.0f} MB")
print(f"strata scan docker://     : {scan_remote:6.2f} s")
print(f"strata scan docker-archive: {scan_local:6.2f} s  registry overhead {scan_remote / scan_local:.2f}x")
PY
