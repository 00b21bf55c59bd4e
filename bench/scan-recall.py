#!/usr/bin/env python3
"""Occurrence recall of strata and its peers on the image fixtures.

    bench/scan-recall.py STRATA_BIN [FIXTURES_DIR] [PEERS_BIN_DIR]

For every planted secret occurrence in truth/*.truth.json (a layer file, a config field, a
history step) a tool gets credit when it reported the secret there:
  strata      the exact layer, path and status; the config field; the history index;
  betterleaks the layer named by its diff_id in the archive path, and the file path;
              config and history occurrences: the secret in the config JSON;
  kingfisher  the file path (it does not name layers); config and history: the config JSON.
Each reported finding credits at most one occurrence. Negatives reported are counted too.
"""
import glob, json, os, subprocess, sys, tempfile

strata = sys.argv[1]
fixtures = os.path.realpath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "../Tests/Fixtures/images"))
peers = sys.argv[3] if len(sys.argv) > 3 else os.path.expanduser("~/.cache/strata-peers/bin")

def json_docs(text):
    dec, i, out = json.JSONDecoder(), 0, []
    while i < len(text):
        while i < len(text) and text[i].isspace(): i += 1
        if i >= len(text): break
        obj, i = dec.raw_decode(text, i)
        out.append(obj)
    return out

def run_strata(archive):
    p = subprocess.run([strata, "scan", archive, "--no-cache", "--format", "json", "--show-secrets", "--fail-on", "none"],
                       capture_output=True, text=True)
    doc = json.loads(p.stdout)
    out = []
    for f in doc["findings"]:
        l = f["location"]
        out.append(dict(secret=f["secret"], source=l["source"], layer=l.get("layer"), path=l.get("path"),
                        status=f["status"], removed=f.get("removedInLayer"), field=l.get("field"), history=l.get("historyIndex")))
    return out

def run_kingfisher(archive):
    p = subprocess.run([f"{peers}/kingfisher", "scan", "docker", "--archive", archive, "--no-validate", "--no-dedup", "--format", "json"],
                       capture_output=True, text=True)
    out = []
    for doc in json_docs(p.stdout):
        findings = doc.get("findings", [])
        for f in findings if isinstance(findings, list) else []:
            path = f["finding"]["path"].split(" | ")[-1]
            out.append(dict(secret=f["finding"]["snippet"], path=path))
    return out

def run_betterleaks(archive):
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "r.json")
        subprocess.run([f"{peers}/betterleaks", "fs", archive, "--max-archive-depth", "8", "--no-banner", "-o", report],
                       capture_output=True, text=True)
        data = json.load(open(report)) if os.path.exists(report) else {}
    if isinstance(data, list):  # gitleaks-style report
        return [dict(secret=f.get("Secret", ""), path=f.get("File", "")) for f in data]
    return [dict(secret=f["match"].get("value") or f["match"].get("full", ""), path=f["location"]["path"])
            for f in data.get("findings", [])]

def holds(secret, item):
    if item["kind"] == "private-key" and secret.startswith("-----BEGIN") and "PRIVATE KEY" in secret[:60]:
        return item["needle"] in secret or len(secret) < 200  # a peer that shows only the PEM header
    return item["needle"] in secret or (len(secret) >= 8 and secret in item["value"])

def credit(tool, finding, occ, item, truth):
    if not holds(finding["secret"], item): return False
    loc = occ["location"]
    if tool == "strata":
        if loc == "layer":
            path = occ["path"].lstrip("/").replace("!/", "!")
            st = {"present-in-final": "present"}.get(occ["status"], "removed" if occ["status"].startswith("deleted") else "overwritten")
            return (finding["source"] == "layer" and finding["layer"] == occ["layer_index"] and finding["path"] == path
                    and finding["status"] == st and (st == "present" or finding["removed"] == occ["removed_by_layer_index"]))
        if loc.startswith("config:"):
            return finding["status"] == "config" and finding["field"] == f'{loc[7:]}[{occ.get("entry")}]'
        return finding["status"] == "history" and finding["history"] == int(loc.split(":")[1])
    path = finding["path"]
    config_hex = truth["oci_config_digest"].split(":")[1]
    if loc == "layer":
        member = occ["path"].lstrip("/").split("!")[0]
        if tool == "betterleaks":
            return occ["diff_id"].split(":")[1] in path and path.endswith(member)
        return path.endswith(member)
    return path.endswith(".json") and (config_hex in path or tool == "kingfisher")

tools = {"strata": run_strata}
if os.path.exists(f"{peers}/kingfisher"): tools["kingfisher"] = run_kingfisher
if os.path.exists(f"{peers}/betterleaks"): tools["betterleaks"] = run_betterleaks
totals = {t: [0, 0, 0] for t in tools}  # found, total, negatives reported
for tpath in sorted(glob.glob(os.path.join(fixtures, "truth", "*.truth.json"))):
    truth = json.load(open(tpath))
    archive = os.path.join(fixtures, "docker-archive", truth["image"] + ".tar")
    line = [truth["image"]]
    for tool, fn in tools.items():
        findings = fn(archive)
        used = set()
        found = total = 0
        for item in truth["secrets"]:
            if item["intent"] != "positive": continue
            for occ in item["occurrences"]:
                total += 1
                for i, f in enumerate(findings):
                    if i not in used and credit(tool, f, occ, item, truth):
                        used.add(i); found += 1; break
        negatives = sum(1 for f in findings for item in truth["negatives"] if holds(f["secret"], item))
        totals[tool][0] += found; totals[tool][1] += total; totals[tool][2] += negatives
        line.append(f"{tool} {found}/{total} neg {negatives}")
    print("  ".join(line))
print()
for tool, (found, total, neg) in totals.items():
    print(f"{tool:12s} occurrence recall {found}/{total} = {found / max(total, 1):.2f}   negatives reported: {neg}")
