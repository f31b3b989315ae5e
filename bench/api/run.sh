#!/usr/bin/env bash
# API benchmark: seed N findings, start the server, measure with wrk (32 connections, loopback).
#
#   bench/api/run.sh sqlite   [FINDINGS]     # default 1000000
#   bench/api/run.sh postgres [FINDINGS]     # PostgreSQL at 127.0.0.1:5432, database "test"
#
# Needs: wrk (apt-get install wrk), curl, python3. Builds the release examples first.
# Measures: p50/p99 of GET /findings?severity=critical,high&limit=100 (first and 100th page),
# requests/s of GET /projects/{id}, and the time to store each 10,000-finding scan.
set -euo pipefail
cd "$(dirname "$0")/../.."
backend=${1:-sqlite}
total=${2:-1000000}
per_scan=10000
projects=$(( total / per_scan ))
duration=${DURATION:-20s}
work="bench/work/api-$backend"
rm -rf "$work"
mkdir -p "$work"

[ -n "${SKIP_BUILD:-}" ] || cargo build --release -q -p palisade-server --examples
case "$backend" in
  sqlite) url="sqlite://$PWD/$work/palisade.db" ;;
  postgres)
    schema=bench_api
    psql -q -h 127.0.0.1 -U postgres test -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema;"
    url="postgres://postgres@127.0.0.1:5432/test?options=-c%20search_path%3D$schema"
    ;;
  *) echo "usage: $0 sqlite|postgres [FINDINGS]" >&2; exit 2 ;;
esac

echo "== seeding $total findings ($projects scans of $per_scan) into $backend"
${CARGO_TARGET_DIR:-target}/release/examples/bench_seed --database-url "$url" --projects "$projects" --per-scan "$per_scan" \
  --token-file "$work/token" > "$work/seed.log"
tail -n 2 "$work/seed.log"
if [ "$backend" = postgres ]; then
  # A bulk load leaves the planner without statistics until autovacuum's next analyze (it then
  # estimates 0.7 % of rows per organisation and sorts 400k rows per page); measure the steady
  # state, as a server that has been running sees it.
  psql -q -h 127.0.0.1 -U postgres test -c "SET search_path = $schema; ANALYZE;"
fi
token=$(cat "$work/token")
project=$(awk '/first project/ {print $3}' "$work/seed.log")

port=18080
PALISADE_DATABASE_URL="$url" ${CARGO_TARGET_DIR:-target}/release/examples/bench_serve --listen "127.0.0.1:$port" \
  --data-dir "$work" --workers 0 --log-level warn &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

first="$base/api/v1/findings?severity=critical,high&limit=100"
page="$first"
for _ in $(seq 1 99); do
  next=$(curl -sf -H "Authorization: Bearer $token" "$page" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])')
  page="$base$next"
done

run() {
  echo "== $1"
  wrk -t2 -c32 -d"$duration" --latency -H "Authorization: Bearer $token" "$2" | tee "$work/wrk-$1.txt" \
    | grep -E '^\s+(50|99)%|Requests/sec|Non-2xx'
}
run findings-page-1 "$first"
run findings-page-100 "$page"
run project-get "$base/api/v1/projects/$project"
