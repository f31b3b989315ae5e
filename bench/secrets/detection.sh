#!/usr/bin/env bash
# Detection benchmark, palisade vs gitleaks, on freshly generated labelled corpora.
#
#   bench/secrets/detection.sh PALISADE_BIN GITLEAKS_BIN OUT_DIR [SEED...]
#
# For each seed (default: 1 2 3) make_corpus.py writes OUT_DIR/corpus-SEED, both tools scan it,
# and score.py prints TP/FP/FN, precision and recall, per provider and per decoy class, and every
# false positive and false negative (OUT_DIR/score-SEED.txt).
set -euo pipefail
if [ $# -lt 3 ]; then sed -n '2,8p' "$0" >&2; exit 2; fi
PALISADE=$1 GITLEAKS=$2 OUT=$3
shift 3
SEEDS=${*:-1 2 3}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
for seed in $SEEDS; do
    corpus=$OUT/corpus-$seed
    rm -rf "$corpus"
    python3 "$HERE/make_corpus.py" "$corpus" --seed "$seed"
    python3 "$HERE/score.py" "$corpus" --palisade "$PALISADE" --gitleaks "$GITLEAKS" --details \
        > "$OUT/score-$seed.txt"
    echo "== seed $seed"
    sed -n '1,6p' "$OUT/score-$seed.txt"
done
