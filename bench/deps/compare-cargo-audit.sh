#!/usr/bin/env bash
# Compares the advisories Palisade reports on Cargo.lock files with cargo-audit's, both
# offline against the same RustSec snapshot (../shared/data: the OSV export for Palisade, the
# native advisory-db layout for cargo-audit).
#
#   cargo install cargo-audit --locked     # once
#   bench/deps/compare-cargo-audit.sh [Cargo.lock ...]   # default: the workspace's Cargo.lock
#
# Prints, per lockfile, the RUSTSEC ids each tool reports and the differences.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="${PALISADE_SHARED_DIR:-$root/../shared}"
locks=("$@")
[ ${#locks[@]} -eq 0 ] && locks=("$root/Cargo.lock")

command -v cargo-audit >/dev/null || { echo "cargo-audit not installed (cargo install cargo-audit --locked)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# cargo-audit wants a writable git checkout of the advisory database.
cp -r "$shared/data/rustsec-advisory-db" "$work/advisory-db"
chmod -R u+w "$work/advisory-db"
git -C "$work/advisory-db" init -q
git -C "$work/advisory-db" add -A
git -C "$work/advisory-db" -c user.name=bench -c user.email=bench@example.invalid commit -qm snapshot

cargo build -q --release -p palisade-deps --example audit_ids
ours_bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/audit_ids"

for lock in "${locks[@]}"; do
  echo "== $lock"
  start=$(date +%s%N)
  cargo audit --db "$work/advisory-db" --no-fetch --no-yanked --json -f "$lock" > "$work/audit.json" || true
  audit_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  python3 - "$work/audit.json" > "$work/theirs.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ids = set()
for v in d.get("vulnerabilities", {}).get("list", []):
    ids.add((v["package"]["name"], v["package"]["version"], v["advisory"]["id"]))
for kind, items in (d.get("warnings") or {}).items():
    for w in items:
        adv = w.get("advisory") or {}
        if adv.get("id"):
            ids.add((w["package"]["name"], w["package"]["version"], adv["id"]))
for t in sorted(ids):
    print(" ".join(t))
PY
  start=$(date +%s%N)
  "$ours_bin" "$shared/data/osv/crates.io.zip" "$lock" | awk '{print $1, $2, $3}' | sort -u > "$work/ours.txt"
  ours_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "cargo-audit: $(wc -l < "$work/theirs.txt") advisories (${audit_ms} ms); palisade: $(wc -l < "$work/ours.txt") (${ours_ms} ms, including the import)"
  if diff <(sort -u "$work/theirs.txt") "$work/ours.txt" > "$work/diff.txt"; then
    echo "identical"
  else
    echo "differences (< cargo-audit only, > palisade only):"
    cat "$work/diff.txt"
  fi
done
