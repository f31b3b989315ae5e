#!/usr/bin/env bash
# Compares palisade-webcheck with Mozilla's HTTP Observatory scanner (httpobs 0.9.3, PyPI) on
# the same local site (examples/bench_site.rs): the grade, each graded test's result, and the
# wall time of one full passive scan. Run from the repository root:
#   bash crates/webcheck/benches/httpobs_compare.sh [RUNS]
set -euo pipefail
RUNS="${1:-20}"
PORT=18080
VENV="${HTTPOBS_VENV:-/tmp/httpobs-venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  # httpobs pins server-side packages (celery, uWSGI, psycopg2) the local scanner never imports.
  "$VENV/bin/pip" install -q --no-deps httpobs==0.9.3
  "$VENV/bin/pip" install -q requests beautifulsoup4 publicsuffixlist
fi
cargo build -q --release -p palisade-webcheck --example bench_site --example scan_url
target/release/examples/bench_site "$PORT" &
SITE=$!
trap 'kill "$SITE"' EXIT
sleep 1
echo "== palisade-webcheck ($RUNS runs)"
target/release/examples/scan_url "http://127.0.0.1:$PORT/" "$RUNS"
echo "== httpobs 0.9.3 ($RUNS runs)"
"$VENV/bin/python" - "$PORT" "$RUNS" <<'PY'
import json, sys, time
from httpobs.scanner.local import scan
port, runs = int(sys.argv[1]), int(sys.argv[2])
start = time.perf_counter()
for _ in range(runs):
    r = scan("127.0.0.1", http_port=port, https_port=port + 1, verify=False)
ms = (time.perf_counter() - start) * 1000 / runs
tests = {k: {"result": v["result"], "modifier": v["score_modifier"]} for k, v in sorted(r["tests"].items())}
print(json.dumps({"grade": r["scan"]["grade"], "score": r["scan"]["score"], "tests": tests, "ms_per_scan": ms}, indent=2))
PY
