#!/usr/bin/env bash
# Taint rules vs search rules on the same code: the 33 built-in taint rules against 33 of the
# pattern-only injection rules they replaced (taken from git history at commit 81ff2a0), on ten
# copies of the taint benchmark's cases (every file a request handler with a source and a sink,
# so the taint rules never take their early exit: the worst case for them).
#
#   bash bench/sast/taint-speed.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
cargo build --release -q -p palisade-sast --example scan_dir
bin=target/release/examples/scan_dir
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 10); do cp -r bench/sast/taint-benchmark/cases "$work/corpus$i"; done
mkdir -p "$work/old"
git archive 81ff2a0 crates/sast/rules | tar -x -C "$work/old"
old_ids="py-sqli-concat py-sqli-fstring py-sqli-percent-format py-sqli-str-format
py-django-raw-sql-format py-sqlalchemy-text-format py-os-system-injection py-os-popen-injection
py-eval-injection py-exec-injection js-sqli-concat js-sqli-template-literal js-child-process-exec
java-sqli-prepare-concat java-sqli-statement-concat java-sqli-string-format java-spring-jdbc-concat
java-jpa-query-concat java-runtime-exec go-sqli-concat go-sqli-sprintf py-path-traversal-open
py-ssrf-requests py-flask-open-redirect py-flask-response-xss py-ldap-injection py-xpath-injection
js-path-traversal-fs js-express-response-xss js-ssrf-request-url js-open-redirect"
search=()
for id in $old_ids; do search+=(--config "$(ls "$work"/old/crates/sast/rules/*/"$id".yaml)"); done
search+=(--config "$work/old/crates/sast/rules/javascript/js-eval-injection.yaml")
search+=(--config "$work/old/crates/sast/rules/java/java-path-traversal-request.yaml")
taint=()
for f in $(grep -l "mode: taint" crates/sast/rules/*/*.yaml); do taint+=(--config "$f"); done
echo "search rules: $((${#search[@]} / 2)), taint rules: $((${#taint[@]} / 2))"
# CPU seconds (user + system) of one scan: on a machine shared with other builds this varies far
# less than wall time, and both cores are busy either way.
secs() {
  local TIMEFORMAT='%U %S'
  { time "$bin" "$work" "$@" >/dev/null 2>&1; } 2>&1 | awk '{ printf "%.2f\n", $1 + $2 }'
}
ts=(); ss=()
for _ in $(seq 1 "$runs"); do
  ts+=("$(secs "${taint[@]}")")
  ss+=("$(secs "${search[@]}")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
t=$(median "${ts[@]}"); s=$(median "${ss[@]}")
lines=$(cat "$work"/corpus*/*/*/* | wc -l)
echo "corpus: $lines lines; CPU seconds, taint: ${t} (runs: ${ts[*]}); search: ${s} (runs: ${ss[*]})"
awk -v t="$t" -v s="$s" 'BEGIN { printf "taint / search = %.2f\n", t / s }'
