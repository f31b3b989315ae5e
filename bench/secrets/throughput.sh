#!/usr/bin/env bash
# Secrets-scanning throughput, palisade vs gitleaks, on the same directory trees.
#
#   bench/secrets/throughput.sh PALISADE_BIN GITLEAKS_BIN OUT_DIR TREE...
#
# For each TREE: hyperfine runs each tool RUNS times (default 3, after one warm-up run that also
# fills the page cache), alternating tools is not possible in one hyperfine call, so the
# tools are run one after the other per tree; the load average is printed before each tree.
# Both tools use the machine's 2 cores: palisade with --threads 2; gitleaks has no thread flag
# and runs its goroutines on GOMAXPROCS = the number of cores.
# Writes OUT_DIR/<tree>.hyperfine.json and one report of each tool per tree (bytes scanned,
# findings), and prints MB/s = tree size (bytes of regular files) / median wall time.
set -euo pipefail

if [ $# -lt 4 ]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi
PALISADE=$1 GITLEAKS=$2 OUT=$3
shift 3
RUNS=${RUNS:-3}
THREADS=${THREADS:-2}
mkdir -p "$OUT"
command -v hyperfine >/dev/null || { echo "hyperfine not found (apt-get install -y hyperfine)" >&2; exit 2; }

for tree in "$@"; do
    name=$(basename "$tree")
    bytes=$(find "$tree" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    files=$(find "$tree" -type f | wc -l)
    echo "== $name: $files files, $bytes bytes; load: $(cut -d' ' -f1-3 /proc/loadavg)"
    data=$(mktemp -d)
    hyperfine --warmup 1 --runs "$RUNS" --export-json "$OUT/$name.hyperfine.json" \
        -n palisade "$PALISADE scan $tree --kinds secrets --format json --fail-on none -q --threads $THREADS --data-dir $data -o $OUT/$name.palisade.json" \
        -n gitleaks "$GITLEAKS dir $tree --no-banner --report-format json --report-path $OUT/$name.gitleaks.json --exit-code 0 --log-level error"
    rm -rf "$data"
    echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 - "$OUT/$name.hyperfine.json" "$bytes" "$OUT/$name.palisade.json" "$OUT/$name.gitleaks.json" <<'EOF'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))["results"]
size = int(sys.argv[2])
pal = json.load(open(sys.argv[3]))
gl = json.load(open(sys.argv[4]))
med = {}
for r in runs:
    m = statistics.median(r["times"])
    med[r["command"]] = m
    print(f"   {r['command']:<9} median {m:7.2f} s  (runs: {', '.join(f'{t:.2f}' for t in r['times'])})"
          f"  {size / m / 1e6:7.1f} MB/s")
print(f"   palisade read {pal['stats']['bytes_scanned'] / 1e6:.1f} MB in {pal['stats']['files_scanned']} files "
      f"({pal['stats']['files_skipped']} skipped), {len(pal['findings'])} findings; gitleaks {len(gl)} findings")
print(f"   ratio: palisade is {med['gitleaks'] / med['palisade']:.1f}x gitleaks' throughput")
EOF
done
