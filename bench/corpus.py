#!/usr/bin/env python3
"""bench/corpus.py -- precision and recall on the labelled secrets corpus, strata and the peers
in the same run, scored by ../shared/tools/score.py.

    bench/corpus.py [--strata BIN] [--peers DIR] [--score PATH]

The corpus (Tests/Fixtures/secrets/dev) is copied outside any `fixtures` directory first (some
scanners key on path words). Each tool's findings are converted to score.py's JSONL
({"file", "line", "rule", "secret"}, paths relative to dev/, archive members named by the
archive file) and scored. Prints one table row per tool.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
ap = argparse.ArgumentParser()
ap.add_argument("--strata", default=os.environ.get("STRATA_BIN", os.path.join(root, ".build/release/strata")))
ap.add_argument("--peers", default=os.path.expanduser("~/.cache/strata-peers/bin"))
ap.add_argument("--score", default=os.path.join(root, "..", "shared", "tools", "score.py"))
args = ap.parse_args()

def rel(path):
    path = path.split("!")[0]
    i = path.find("dev/")
    return path[i + 4:] if i >= 0 else path

def strata(corpus):
    p = subprocess.run([args.strata, "scan", corpus, "--no-cache", "--format", "json", "--show-secrets", "--fail-on", "none"],
                       capture_output=True, text=True)
    for f in json.loads(p.stdout)["findings"]:
        l = f["location"]
        yield dict(file=rel(l["path"]), line=l.get("line"), rule=f["rule"], secret=f.get("secret", ""))

def kingfisher(corpus):
    p = subprocess.run([f"{args.peers}/kingfisher", "scan", corpus, "--no-validate", "--no-dedup", "--format", "json"],
                       capture_output=True, text=True)
    doc = json.JSONDecoder().raw_decode(p.stdout.lstrip())[0]
    for f in doc.get("findings", []):
        yield dict(file=rel(f["finding"]["path"]), line=f["finding"].get("line"), rule=f["rule"]["id"], secret=f["finding"]["snippet"])

def betterleaks(corpus):
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "r.json")
        subprocess.run([f"{args.peers}/betterleaks", "fs", corpus, "--max-archive-depth", "8", "--no-banner", "-o", report],
                       capture_output=True, text=True)
        data = json.load(open(report))
    for f in data.get("findings", []):
        m = f["match"]
        yield dict(file=rel(f["location"]["path"]), line=f["location"].get("start_line"), rule=f["rule_id"],
                   secret=m.get("value") or m.get("full", ""))

tools = [("strata", strata)]
for name, fn in (("kingfisher", kingfisher), ("betterleaks", betterleaks)):
    if os.path.exists(f"{args.peers}/{name}"):
        tools.append((name, fn))

with tempfile.TemporaryDirectory() as work:
    corpus = os.path.join(work, "dev")
    shutil.copytree(os.path.join(root, "Tests/Fixtures/secrets/dev"), corpus)
    truth = os.path.join(root, "Tests/Fixtures/secrets/dev.truth.jsonl")
    print(f"{'tool':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'time':>7}")
    for name, fn in tools:
        start = time.time()
        findings = list(fn(corpus))
        elapsed = time.time() - start
        out = os.path.join(work, f"{name}.jsonl")
        with open(out, "w") as fh:
            for f in findings:
                fh.write(json.dumps(f) + "\n")
        scored = os.path.join(work, f"{name}.score.json")
        subprocess.run([sys.executable, args.score, truth, out, "--json", scored, "--quiet"], capture_output=True, text=True)
        s = json.load(open(scored))
        o = s.get("overall", s)
        print(f"{name:<12} {o['precision']:>9.3f} {o['recall']:>7.3f} {o['f1']:>6.3f} {elapsed:>6.2f}s")
