#!/usr/bin/env bash
# Screenshots of the default theme: builds the bundled archive with a sub-path base URL (as
# GitHub Pages serves a project site), serves it on 127.0.0.1 and saves full-page PNGs of
# five pages (home, a place, a month, a report, the Arabic report; tests/tools/pages.cjs picks
# them) at 390 px and 1280 px wide: docs/screenshots/<page>-<width>.png; the home page and the
# report in the dark colour scheme, dark-<page>-<width>.png; and, from a build of the same
# archive with an Arabic interface (`language: ar`), its home, place and month pages,
# ar-<page>-<width>.png.
#
#   scripts/screenshots.sh [DEST]      default: docs/screenshots
#
# Needs Debian's chromium (CHROMIUM=/path/to/chrome to use another) and Node.js; installs the
# npm tools of tests/tools when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:-docs/screenshots}

if [ ! -d tests/tools/node_modules/playwright-core ]; then
  npm install --prefix tests/tools --no-audit --no-fund --ignore-scripts >/dev/null
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "screenshots.sh: chromium not found (apt-get install chromium, or set CHROMIUM)" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sijill-screenshots.XXXXXX")
trap 'rm -rf "$work"' EXIT
cargo build --quiet
target/debug/sijill build --root . --out "$work/site" --base-url https://example.org/sub/path/ \
  2>"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
node tests/tools/screenshots.cjs "$work/site" "$dest" /sub/path/
node tests/tools/screenshots.cjs "$work/site" "$dest" /sub/path/ --scheme=dark --pages=home,report \
  --prefix=dark-
mkdir -p "$work/ar"
cp -R content "$work/ar/content"
printf 'title: "سجل الحوادث"\ndescription: "سجل موثق لحوادث قتل المدنيين وإصابتهم"\nlanguage: ar\n' >"$work/ar/site.yaml"
target/debug/sijill build --root "$work/ar" --out "$work/site-ar" --base-url https://example.org/sub/path/ \
  2>"$work/build-ar.log" || { cat "$work/build-ar.log" >&2; exit 1; }
node tests/tools/screenshots.cjs "$work/site-ar" "$dest" /sub/path/ --pages=home,place,month --prefix=ar-
