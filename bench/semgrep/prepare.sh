#!/usr/bin/env bash
# Build the SAST benchmark tree from packages (no git, no network but the package registries).
#
#   bench/semgrep/prepare.sh OUT_DIR
#
# OUT_DIR/python  Django 4.2 (sdist from PyPI) + Flask, Werkzeug, requests, Jinja2, Click
#                 (installed with pip into a scratch directory)
# OUT_DIR/js      express, lodash, rxjs 7 (TS sources + CommonJS build), axios, webpack 5,
#                 body-parser (from the npm registry; *.d.ts, source maps and the other rxjs
#                 builds removed so each piece of code is there once)
# OUT_DIR/java    OpenJDK 17 sources (Debian openjdk-17-source): java.util, java.io, java.net,
#                 java.sql, java.net.http
# OUT_DIR/go      Go 1.19 standard library (Debian golang-1.19-src): net, crypto, os, database,
#                 html
# Files over 1 MB (Semgrep's default --max-target-bytes) and *.min.js are removed, and an empty
# .semgrepignore is written so Semgrep does not apply its default ignores (tests/, vendor/…):
# both tools then read the same files.
set -euo pipefail
OUT=${1:?usage: prepare.sh OUT_DIR}
if [ -e "$OUT" ]; then echo "$OUT exists; remove it first" >&2; exit 2; fi
SRCZIP=$(ls /usr/lib/jvm/*17*/lib/src.zip 2>/dev/null | head -1 || true)
GOSRC=/usr/share/go-1.19/src
if [ -z "$SRCZIP" ] || [ ! -d "$GOSRC" ]; then
    echo "needs: apt-get install -y openjdk-17-source golang-1.19-src" >&2
    exit 2
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$OUT/python" "$OUT/js" "$OUT/java" "$OUT/go"

pip download -q --no-deps --no-binary :all: "django==4.2.30" -d "$scratch/dl"
tar xzf "$scratch"/dl/django-4.2.30.tar.gz -C "$scratch/dl"
cp -r "$scratch"/dl/django-4.2.30/django "$OUT/python/django"
pip install -q --no-deps --target "$scratch/py" flask==3.1.3 werkzeug==3.1.8 requests==2.34.2 jinja2==3.1.6 click==8.4.0
for p in flask werkzeug requests jinja2 click; do cp -r "$scratch/py/$p" "$OUT/python/$p"; done

(cd "$scratch" && mkdir js && cd js && npm init -y >/dev/null &&
    npm install --silent --ignore-scripts express@5.3.0 lodash@4.18.1 rxjs@7.8.2 axios@1.21.1 webpack@5.113.0)
for p in express lodash rxjs axios webpack body-parser; do cp -r "$scratch/js/node_modules/$p" "$OUT/js/$p"; done
rm -rf "$OUT"/js/rxjs/dist/{esm,esm5,bundles,types}

(cd "$OUT/java" && unzip -q "$SRCZIP" 'java.base/java/util/*' 'java.base/java/io/*' 'java.base/java/net/*' \
    'java.sql/*' 'java.net.http/*' && mv java.base/java/* java.base/ && rmdir java.base/java)

for d in net crypto os database html; do cp -r "$GOSRC/$d" "$OUT/go/go-$d"; done

find "$OUT" \( -name '*.d.ts' -o -name '*.map' -o -name '*.min.js' -o -name '.gitignore' \) -delete
find "$OUT" -name __pycache__ -type d -prune -exec rm -rf {} +
find "$OUT" -type f -size +1M -delete
printf '# Empty on purpose: without it Semgrep applies default ignores (tests/, vendor/, ...)\n# that palisade does not, and the tools would not read the same files.\n' > "$OUT/.semgrepignore"
python3 "$(dirname "$0")/compare.py" "$OUT" --count-lines
