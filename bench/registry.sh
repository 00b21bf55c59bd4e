#!/usr/bin/env bash
# Registry pull benchmark: a local docker-registry serves a generated image with one large
# gzip layer (default 256 MB uncompressed; SIZE_MB to change). Prints, in the same run:
#   - curl | gzip -dc of the layer blob (the floor: transfer + decompression, no indexing),
#   - `strata layers docker://…` (manifest, config, blob streamed, verified, indexed),
#   - strata's peak RSS.
# Usage: bench/registry.sh [STRATA_BIN]   (default .build/release/strata)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/strata}
SIZE_MB=${SIZE_MB:-256}
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

# A docker-archive with one layer of mixed text and random files.
python3 - "$work/image.tar" "$SIZE_MB" <<'PY'
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
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
skopeo --insecure-policy copy -q --dest-tls-verify=false "docker-archive:$work/image.tar" "docker://127.0.0.1:$port/bench:latest"

manifest=$(curl -fs -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://127.0.0.1:$port/v2/bench/manifests/latest")
blob=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["layers"][0]["digest"])' "$manifest")
blob_size=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["layers"][0]["size"])' "$manifest")

now() { python3 -c 'import time; print(time.time())'; }
t0=$(now); curl -fs "http://127.0.0.1:$port/v2/bench/blobs/$blob" | gzip -dc > /dev/null; t1=$(now)
STRATA_CACHE_DIR="$work/cache" /usr/bin/time -f '%M' -o "$work/rss" "$BIN" layers "docker://127.0.0.1:$port/bench:latest" > /dev/null
t2=$(now)
python3 - "$t0" "$t1" "$t2" "$SIZE_MB" "$blob_size" "$(tail -1 "$work/rss")" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:4]); mb = int(sys.argv[4]); blob = int(sys.argv[5]); rss = int(sys.argv[6])
floor, strata = t1 - t0, t2 - t1
print(f"layer: {mb} MB uncompressed, {blob / 1e6:.1f} MB gzip blob")
print(f"curl | gzip -dc : {floor:6.2f} s  ({mb / floor:6.1f} MB/s uncompressed)")
print(f"strata layers   : {strata:6.2f} s  ({mb / strata:6.1f} MB/s uncompressed)  ratio {strata / floor:.2f}")
print(f"strata peak RSS : {rss / 1024:6.1f} MB")
PY
