#!/usr/bin/env python3
"""Scores Palisade's built-in rules on the taint benchmark, the way the OWASP Benchmark scorecard
does: a case counts as flagged when some finding in its file has the case's CWE; per (language,
category) TPR = flagged true cases / true cases, FPR = flagged false cases / false cases,
score = TPR - FPR; then the average score per language and overall.

    python3 bench/sast/taint-benchmark/score.py [--findings FILE] [--markdown]

Without --findings it runs the scanner itself (a debug build of the `scan_dir` example; build
it first with `cargo build -p palisade-sast --example scan_dir`, or give --scanner PATH). The
findings format is scan_dir's `--cwe` output: `path:line rule-id CWE-1,CWE-2`.
"""

import argparse
import collections
import csv
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def run_scanner(scanner):
    out = subprocess.run(
        [scanner, os.path.join(HERE, "cases"), "--cwe"],
        check=True,
        capture_output=True,
        text=True,
    )
    sys.stderr.write(out.stderr)
    return out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--findings", help="scan_dir --cwe output to score instead of running it")
    ap.add_argument(
        "--scanner",
        default=os.path.join(ROOT, "target", "debug", "examples", "scan_dir"),
        help="the scan_dir binary",
    )
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args()

    text = open(args.findings).read() if args.findings else run_scanner(args.scanner)
    flagged = collections.defaultdict(set)  # test name -> CWE ids reported in its file
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) < 3:
            continue
        name = os.path.splitext(os.path.basename(parts[0].rsplit(":", 1)[0]))[0]
        for cwe in parts[2].split(","):
            if cwe.startswith("CWE-"):
                flagged[name].add(int(cwe[4:]))

    # (language, category) -> [tp, fn, fp, tn]
    cells = collections.OrderedDict()
    misses = []
    with open(os.path.join(HERE, "expectedresults.csv")) as fh:
        for row in csv.reader(fh):
            if not row or row[0].startswith("#"):
                continue
            name, lang, cat, real, cwe, variant = row
            hit = int(cwe) in flagged.get(name, set())
            c = cells.setdefault((lang, cat), [0, 0, 0, 0])
            if real == "true":
                c[0 if hit else 1] += 1
                if not hit:
                    misses.append(f"FN {name} {lang}/{cat} {variant}")
            else:
                c[2 if hit else 3] += 1
                if hit:
                    misses.append(f"FP {name} {lang}/{cat} {variant}")

    per_lang = collections.OrderedDict()
    rows = []
    for (lang, cat), (tp, fn, fp, tn) in cells.items():
        tpr = tp / (tp + fn) if tp + fn else 0.0
        fpr = fp / (fp + tn) if fp + tn else 0.0
        rows.append((lang, cat, tp, fn, fp, tn, tpr, fpr, tpr - fpr))
        per_lang.setdefault(lang, []).append(tpr - fpr)

    if args.markdown:
        print("| Language | Category | TP | FN | FP | TN | TPR | FPR | Score |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for lang, cat, tp, fn, fp, tn, tpr, fpr, sc in rows:
            print(f"| {lang} | {cat} | {tp} | {fn} | {fp} | {tn} | {tpr:.0%} | {fpr:.0%} | {sc:.0%} |")
        print()
        print("| Language | Categories | Average score |")
        print("|---|---:|---:|")
        for lang, scores in per_lang.items():
            print(f"| {lang} | {len(scores)} | {sum(scores) / len(scores):.0%} |")
        allscores = [s for v in per_lang.values() for s in v]
        print(f"| all | {len(allscores)} | {sum(allscores) / len(allscores):.0%} |")
    else:
        for lang, cat, tp, fn, fp, tn, tpr, fpr, sc in rows:
            print(f"{lang:11} {cat:11} TP={tp:2} FN={fn:2} FP={fp:2} TN={tn:2} TPR={tpr:4.0%} FPR={fpr:4.0%} score={sc:4.0%}")
        for lang, scores in per_lang.items():
            print(f"{lang:11} average score {sum(scores) / len(scores):.0%} over {len(scores)} categories")
        for m in misses:
            print(m)


if __name__ == "__main__":
    main()
