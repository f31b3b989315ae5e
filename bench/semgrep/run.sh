#!/usr/bin/env bash
# SAST wall time and findings, palisade vs Semgrep CE, same rules, same tree, same parallelism.
#
#   bench/semgrep/run.sh PALISADE_BIN SEMGREP_BIN TREE OUT_DIR
#
# TREE comes from prepare.sh. Timed (hyperfine, RUNS runs each, default 3, page cache warmed
# first): palisade --threads J, Semgrep --jobs J with its default per-rule timeout (5 s, the
# way users run it), and Semgrep --timeout 0 (no timeout: slower on a few huge files, but its
# findings are then complete, so that is the run the findings are compared with).
# J defaults to 2 (this machine's cores). Then compare.py prints the per-rule comparison.
set -euo pipefail
if [ $# -ne 4 ]; then sed -n '2,11p' "$0" >&2; exit 2; fi
PALISADE=$1 SEMGREP=$2 TREE=$3 OUT=$4
RUNS=${RUNS:-3}
J=${JOBS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
RULES=$HERE/rules.yaml
mkdir -p "$OUT"
command -v hyperfine >/dev/null || { echo "hyperfine not found (apt-get install -y hyperfine)" >&2; exit 2; }

find "$TREE" -type f -exec cat {} + >/dev/null
python3 "$HERE/compare.py" "$TREE" --count-lines | tee "$OUT/lines.txt"
data=$(mktemp -d)
SG="$SEMGREP --metrics=off --disable-version-check --jobs $J --config $RULES --json"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine --runs "$RUNS" --export-json "$OUT/hyperfine.json" \
    -n palisade "$PALISADE scan $TREE --kinds sast --no-builtin --config $RULES --format json --fail-on none -q --threads $J --data-dir $data -o $OUT/palisade.json" \
    -n semgrep "$SG -o $OUT/semgrep.json $TREE" \
    -n semgrep-no-timeout "$SG --timeout 0 -o $OUT/semgrep-t0.json $TREE"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$data"

python3 - "$OUT/hyperfine.json" "$OUT/lines.txt" <<'EOF'
import json, statistics, sys
runs = json.load(open(sys.argv[1]))["results"]
lines = int(open(sys.argv[2]).read().split("total")[1].split()[2])
med = {r["command"]: statistics.median(r["times"]) for r in runs}
for r in runs:
    m = med[r["command"]]
    print(f"{r['command']:<20} median {m:7.2f} s (runs: {', '.join(f'{t:.2f}' for t in r['times'])})"
          f"  {lines / m:>10,.0f} lines/s")
print(f"palisade vs semgrep: {med['semgrep'] / med['palisade']:.1f}x; "
      f"vs semgrep --timeout 0: {med['semgrep-no-timeout'] / med['palisade']:.1f}x")
EOF
python3 "$HERE/compare.py" "$TREE" --palisade-json "$OUT/palisade.json" --semgrep-json "$OUT/semgrep-t0.json" \
    --examples 5 | tee "$OUT/compare.txt"
