#!/usr/bin/env python3
"""Compares Palisade's PyPI matching with a reference PEP 440 matcher.

The reference is `packaging.version` (pip's vendored copy, so nothing needs installing) with the
OSV evaluation algorithm written out plainly below. Test points are every version the real PyPI
advisories mention (their `versions` lists and range events) plus a version above each fix, for
up to N packages; both sides see the same requirements.txt of `name==version` lines.

    bench/deps/compare-pep440.py [N]      # default N = 400 packages
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

try:
    from packaging.version import parse as vparse
except ImportError:  # pip vendors it
    from pip._vendor.packaging.version import parse as vparse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get("PALISADE_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
ZIP = os.path.join(SHARED, "data", "osv", "PyPI.zip")
LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 400


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def in_range(version, events):
    v = vparse(version)
    affected = False
    def key(e):
        val = next(iter(e.values()))
        return (vparse("0") if val == "0" else vparse(val), 0 if "introduced" in e else 1)
    for e in sorted(events, key=key):
        if "introduced" in e and (e["introduced"] == "0" or v >= vparse(e["introduced"])):
            affected = True
        elif "fixed" in e and v >= vparse(e["fixed"]):
            affected = False
        elif "last_affected" in e and v > vparse(e["last_affected"]):
            affected = False
    limits = [e["limit"] for e in events if "limit" in e]
    if affected and limits:
        affected = any(l == "*" or v < vparse(l) for l in limits)
    return affected


def affects(adv, name, version):
    for a in adv.get("affected") or []:
        pkg = a.get("package") or {}
        if pkg.get("ecosystem") != "PyPI" or norm(pkg.get("name", "")) != name:
            continue
        if any(x == version or vparse(x) == vparse(version) for x in a.get("versions") or []):
            return True
        for r in a.get("ranges") or []:
            if r.get("type") == "ECOSYSTEM" and in_range(version, r.get("events") or []):
                return True
    return False


def main():
    by_pkg = {}
    z = zipfile.ZipFile(ZIP)
    for n in z.namelist():
        adv = json.loads(z.read(n))
        if adv.get("withdrawn"):
            continue
        for a in adv.get("affected") or []:
            pkg = a.get("package") or {}
            if pkg.get("ecosystem") == "PyPI" and pkg.get("name"):
                by_pkg.setdefault(norm(pkg["name"]), {})[adv["id"]] = adv
    points = []
    for name in sorted(by_pkg)[:LIMIT]:
        versions = set()
        for adv in by_pkg[name].values():
            for a in adv.get("affected") or []:
                versions.update(a.get("versions") or [])
                for r in a.get("ranges") or []:
                    if r.get("type") != "ECOSYSTEM":
                        continue
                    for e in r.get("events") or []:
                        for k in ("introduced", "fixed", "last_affected"):
                            if e.get(k) and e[k] != "0":
                                versions.add(e[k])
                                if k == "fixed":
                                    versions.add(e[k] + ".post1")
        for v in sorted(versions):
            if re.fullmatch(r"[A-Za-z0-9.!+_-]+", v):
                points.append((name, v))
    expected = {}
    for name, v in points:
        ids = {i for i, adv in by_pkg[name].items() if affects(adv, name, v)}
        expected[(name, v)] = ids
    with tempfile.TemporaryDirectory() as tmp:
        req = os.path.join(tmp, "requirements.txt")
        with open(req, "w") as f:
            for name, v in points:
                f.write(f"{name}=={v}\n")
        out = subprocess.run(
            ["cargo", "run", "-q", "-p", "palisade-deps", "--example", "audit_ids", "--", ZIP, req],
            cwd=ROOT, check=True, capture_output=True, text=True).stdout
    ours = {}
    for line in out.splitlines():
        parts = line.split(" ")
        name, v, primary = norm(parts[0]), parts[1], parts[2]
        aliases = set(parts[3].split(",")) if len(parts) > 3 and parts[3] else set()
        ours.setdefault((name, v), []).append((primary, aliases))
    differences = 0
    for key, ids in sorted(expected.items()):
        found = ours.get(key, [])
        covered = set()
        for primary, aliases in found:
            group = {primary} | aliases
            if not group & ids:
                differences += 1
                print(f"palisade only: {key} {primary}")
            covered |= group
        for i in sorted(ids - covered):
            differences += 1
            print(f"reference only: {key} {i}")
    matched = sum(1 for ids in expected.values() if ids)
    print(f"{len(points)} package versions of {min(LIMIT, len(by_pkg))} packages; "
          f"{matched} affected by the reference; {differences} differences")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
