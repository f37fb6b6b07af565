#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerates the /docs pages (docs/api.html, docs/voting.html) from the
# bundled contracts: tools/embed_spec.py bundles each root document, Redocly
# renders it with Redoc's scripts inlined, and the server-rendered markup is
# dropped (its links assume the page sits at /, and it carries Redocly's
# attribution link): the inlined script renders the page in the browser, with
# hash routing. The result loads nothing from another origin; this script
# fails if it finds an http(s) URL in a src or href attribute.
#
# Usage: ./build-docs.sh [OUTDIR]   (default: docs/ next to this script)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/docs}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here"
for name in api voting; do
    /usr/bin/python3 ../tools/embed_spec.py --bundle "$name.yaml" "$tmp/$name.json"
    REDOCLY_TELEMETRY=off node_modules/.bin/redocly build-docs "$tmp/$name.json" \
        --inlineBundle -o "$tmp/$name.html" >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; exit 1; }
    /usr/bin/python3 - "$tmp/$name.html" "$out/$name.html" <<'PY'
import re
import sys

page = open(sys.argv[1], encoding="utf-8").read()
start = page.index('<div id="redoc">') + len('<div id="redoc">')
end = page.index('</div>\n      <script type="module">', start)
page = page[:start] + page[end:]
external = re.findall(r'''\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//[^"'\s>]*''', page)
if external:
    sys.exit("%s: external URLs in src/href: %s" % (sys.argv[1], external[:5]))
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write(page)
PY
done
