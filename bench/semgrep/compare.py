#!/usr/bin/env python3
"""Compare palisade's and Semgrep CE's findings for the same rules on the same tree.

Usage:
  compare.py TARGET --palisade-json P.json --semgrep-json S.json [--examples N] [--rule ID]
  compare.py TARGET --count-lines

A finding is keyed by (rule id, file, start line); the same key several times (two matches on
one line) counts as many times. Semgrep prefixes rule ids with the config file's directory
(`bench.semgrep.py-eval-exec-nonconst`); the prefix is dropped. For each rule the script prints
how many findings both tools report, and how many only one of them does, then up to N examples
of each difference with the source line, so a difference can be explained by reading it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict

LANG_EXT = {".py": "python", ".js": "javascript", ".mjs": "javascript", ".cjs": "javascript",
            ".ts": "typescript", ".tsx": "typescript", ".jsx": "javascript", ".java": "java", ".go": "go"}


def rel(path: str, root: str) -> str:
    """Both tools' paths relative to the scanned root (gitleaks reports them as given, prefix and all)."""
    path = os.path.normpath(path)
    if not os.path.isabs(path) and not path.startswith(os.path.normpath(root) + os.sep):
        return path
    return os.path.relpath(os.path.abspath(path), os.path.abspath(root))


def palisade_keys(report: dict, target: str) -> Counter:
    keys: Counter = Counter()
    for f in report.get("findings", []):
        loc = f["location"]
        region = loc.get("region", loc)
        keys[(f["rule_id"], rel(loc["path"], target), int(region["start_line"]))] += 1
    return keys


def semgrep_keys(report: dict, target: str) -> Counter:
    keys: Counter = Counter()
    for r in report.get("results", []):
        rule = r["check_id"].rsplit(".", 1)[-1]
        keys[(rule, rel(r["path"], target), int(r["start"]["line"]))] += 1
    return keys


def source_line(target: str, path: str, line: int) -> str:
    try:
        with open(os.path.join(target, path), encoding="utf-8", errors="replace") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text.strip()[:140]
    except OSError:
        pass
    return ""


def count_lines(target: str) -> int:
    per_lang: Counter = Counter()
    files: Counter = Counter()
    for root, _dirs, names in os.walk(target):
        for name in names:
            lang = LANG_EXT.get(os.path.splitext(name)[1])
            if not lang:
                continue
            with open(os.path.join(root, name), "rb") as f:
                per_lang[lang] += f.read().count(b"\n")
            files[lang] += 1
    for lang in sorted(per_lang):
        print(f"{lang:<12} {files[lang]:>6} files {per_lang[lang]:>9} lines")
    total = sum(per_lang.values())
    print(f"{'total':<12} {sum(files.values()):>6} files {total:>9} lines")
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("target")
    ap.add_argument("--palisade-json")
    ap.add_argument("--semgrep-json")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--rule", help="only this rule")
    ap.add_argument("--count-lines", action="store_true")
    args = ap.parse_args()
    if args.count_lines:
        count_lines(args.target)
        return 0
    if not (args.palisade_json and args.semgrep_json):
        ap.error("--palisade-json and --semgrep-json are required")
    try:
        with open(args.palisade_json) as f:
            pal = palisade_keys(json.load(f), args.target)
        with open(args.semgrep_json) as f:
            sg_report = json.load(f)
        sg = semgrep_keys(sg_report, args.target)
    except (OSError, ValueError, KeyError) as e:
        print(f"compare.py: cannot read the reports: {e!r}", file=sys.stderr)
        return 2

    rules = sorted({k[0] for k in pal} | {k[0] for k in sg})
    if args.rule:
        rules = [r for r in rules if r == args.rule]
    both_all = only_p_all = only_s_all = 0
    detail: dict[str, tuple[list, list]] = {}
    print(f"{'rule':<36} {'both':>7} {'only palisade':>14} {'only semgrep':>13}")
    for rule in rules:
        p = Counter({k: v for k, v in pal.items() if k[0] == rule})
        s = Counter({k: v for k, v in sg.items() if k[0] == rule})
        both = sum((p & s).values())
        only_p = p - s
        only_s = s - p
        both_all += both
        only_p_all += sum(only_p.values())
        only_s_all += sum(only_s.values())
        detail[rule] = (sorted(only_p.elements()), sorted(only_s.elements()))
        print(f"{rule:<36} {both:>7} {sum(only_p.values()):>14} {sum(only_s.values()):>13}")
    print(f"{'TOTAL':<36} {both_all:>7} {only_p_all:>14} {only_s_all:>13}")
    total_s = both_all + only_s_all
    if total_s:
        print(f"\nagreement: {both_all}/{total_s} of Semgrep's findings also found by palisade "
              f"({100 * both_all / total_s:.1f}%); palisade reports {only_p_all} more")

    errors = sg_report.get("errors", [])
    if errors:
        kinds = Counter(e.get("type", ["?"])[0] if isinstance(e.get("type"), list) else e.get("type", "?")
                        for e in errors)
        print(f"\nsemgrep errors: {dict(kinds)}")

    if args.examples:
        for rule, (only_p, only_s) in detail.items():
            if not only_p and not only_s:
                continue
            print(f"\n== {rule}")
            for label, items in (("only palisade", only_p), ("only semgrep", only_s)):
                for _, path, line in items[: args.examples]:
                    print(f"  [{label}] {path}:{line}: {source_line(args.target, path, line)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
