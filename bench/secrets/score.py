#!/usr/bin/env python3
"""Score palisade and gitleaks on a corpus written by make_corpus.py.

Usage:
  score.py CORPUS [--palisade BIN] [--gitleaks BIN] [--threads N] [--details]
  score.py CORPUS --palisade-json P.json --gitleaks-json G.json   (score saved reports)

A tool's finding is a (file, line) it flags; several rules on one line count once. A flagged
line inside a labelled secret (a private key spans several lines) finds that secret: a true
positive. A flagged line on a decoy, or on a line with no label at all, is a false positive.
A secret no finding touches is a false negative.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict


def run_palisade(binary: str, corpus: str, threads: int | None) -> dict:
    with tempfile.TemporaryDirectory() as data:
        cmd = [binary, "scan", corpus, "--kinds", "secrets", "--format", "json", "--fail-on", "none", "-q",
               "--data-dir", data]
        if threads:
            cmd += ["--threads", str(threads)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def run_gitleaks(binary: str, corpus: str) -> list:
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "gitleaks.json")
        cmd = [binary, "dir", corpus, "--no-banner", "--report-format", "json", "--report-path", report,
               "--exit-code", "0", "--log-level", "error"]
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        with open(report) as f:
            return json.load(f)


def rel(path: str, root: str) -> str:
    """Both tools' paths relative to the scanned root (gitleaks reports them as given, prefix and all)."""
    path = os.path.normpath(path)
    if not os.path.isabs(path) and not path.startswith(os.path.normpath(root) + os.sep):
        return path
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root))


Hit = tuple[str, int, int, str]  # file, first line, last line, rule


def palisade_hits(report: dict, corpus: str) -> list[Hit]:
    hits = []
    for f in report.get("findings", []):
        loc = f.get("location", {})
        region = loc.get("region", loc)
        start = int(region["start_line"])
        hits.append((rel(loc["path"], corpus), start, int(region.get("end_line", start)), f["rule_id"]))
    return hits


def gitleaks_hits(report: list, corpus: str) -> list[Hit]:
    return [(rel(f["File"], corpus), int(f["StartLine"]), int(f.get("EndLine", f["StartLine"])), f["RuleID"])
            for f in report]


def score(labels: list[dict], hits: list[Hit]) -> dict:
    by_file: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by_file[lab["file"]].append(i)
    found: set[int] = set()
    fps: list[dict] = []
    rules_at: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    for path, start, end, rule in hits:
        rules_at[(path, start, end)].add(rule)
    for (path, line, end), rules in sorted(rules_at.items()):
        # A finding's span overlapping a label's span is about that label.
        match = [i for i in by_file.get(path, []) if labels[i]["line"] <= end and line <= labels[i]["end_line"]]
        secret = [i for i in match if labels[i]["is_secret"]]
        if secret:
            found.update(secret)
        elif match:
            lab = labels[match[0]]
            fps.append({"file": path, "line": line, "rules": sorted(rules), "kind": lab["kind"],
                        "format": lab["format"]})
        else:
            fps.append({"file": path, "line": line, "rules": sorted(rules), "kind": "unlabelled", "format": ""})
    secrets = [i for i, lab in enumerate(labels) if lab["is_secret"]]
    fns = [labels[i] for i in secrets if i not in found]
    tp = len([i for i in secrets if i in found])
    return {"tp": tp, "fp": len(fps), "fn": len(fns), "fps": fps, "fns": fns, "found": found,
            "precision": tp / (tp + len(fps)) if tp + len(fps) else 0.0,
            "recall": tp / len(secrets) if secrets else 0.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus")
    ap.add_argument("--palisade", default="palisade")
    ap.add_argument("--gitleaks", default="gitleaks")
    ap.add_argument("--palisade-json")
    ap.add_argument("--gitleaks-json")
    ap.add_argument("--threads", type=int)
    ap.add_argument("--details", action="store_true", help="list every false positive and false negative")
    args = ap.parse_args()

    try:
        with open(os.path.join(args.corpus, "labels.json")) as f:
            labels = json.load(f)
        if args.palisade_json:
            with open(args.palisade_json) as f:
                pal = json.load(f)
        else:
            pal = run_palisade(args.palisade, args.corpus, args.threads)
        if args.gitleaks_json:
            with open(args.gitleaks_json) as f:
                gl = json.load(f)
        else:
            gl = run_gitleaks(args.gitleaks, args.corpus)
    except (OSError, ValueError) as e:
        print(f"score.py: {e}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as e:
        print(f"score.py: {' '.join(e.cmd[:2])} failed with exit code {e.returncode}: {e.stderr.strip()[:500]}",
              file=sys.stderr)
        return 2

    results = {"palisade": score(labels, palisade_hits(pal, args.corpus)),
               "gitleaks": score(labels, gitleaks_hits(gl, args.corpus))}

    n_secrets = sum(1 for lab in labels if lab["is_secret"])
    n_decoys = len(labels) - n_secrets
    providers = sorted({lab["provider"] for lab in labels if lab["is_secret"]})
    print(f"corpus: {n_secrets} secrets from {len(providers)} providers, {n_decoys} decoys, "
          f"{len({lab['file'] for lab in labels})} labelled files\n")
    print(f"{'tool':<10} {'TP':>5} {'FP':>5} {'FN':>5} {'precision':>10} {'recall':>8} {'F1':>6}")
    for tool, r in results.items():
        p, rc = r["precision"], r["recall"]
        f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
        print(f"{tool:<10} {r['tp']:>5} {r['fp']:>5} {r['fn']:>5} {p:>10.3f} {rc:>8.3f} {f1:>6.3f}")

    print(f"\nper provider (found / total){'':<6} palisade  gitleaks")
    for prov in providers:
        idx = [i for i, lab in enumerate(labels) if lab["is_secret"] and lab["provider"] == prov]
        cells = [f"{sum(1 for i in idx if i in results[t]['found'])}/{len(idx)}" for t in results]
        print(f"  {prov:<32} {cells[0]:>8}  {cells[1]:>8}")

    print("\nfalse positives by decoy class       palisade  gitleaks")
    kinds = sorted({fp["kind"] for r in results.values() for fp in r["fps"]})
    for kind in kinds:
        cells = [str(sum(1 for fp in results[t]["fps"] if fp["kind"] == kind)) for t in results]
        print(f"  {kind:<34} {cells[0]:>8}  {cells[1]:>8}")

    print("\nmissed formats (false negatives)     palisade  gitleaks")
    fmts = sorted({(fn["provider"], fn["format"]) for r in results.values() for fn in r["fns"]})
    for prov, fmt in fmts:
        cells = [str(sum(1 for fn in results[t]["fns"] if (fn["provider"], fn["format"]) == (prov, fmt)))
                 for t in results]
        print(f"  {prov + '/' + fmt:<34} {cells[0]:>8}  {cells[1]:>8}")

    if args.details:
        for tool, r in results.items():
            print(f"\n== {tool}: false positives")
            for fp in r["fps"]:
                print(f"  {fp['file']}:{fp['line']}  {','.join(fp['rules'])}  [{fp['kind']} {fp['format']}]")
            print(f"== {tool}: false negatives")
            for fn in r["fns"]:
                print(f"  {fn['file']}:{fn['line']}  {fn['provider']}/{fn['format']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
