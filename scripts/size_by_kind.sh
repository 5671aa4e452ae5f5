#!/usr/bin/env bash
# Bytes and files of a built site, per kind of page or file, as a Markdown table.
#
#   scripts/size_by_kind.sh OUT_DIR
#
# Bytes are the files' sizes (what GitHub Pages counts), not the blocks they take on disk.
# Kinds: report pages; place, year, month, day and term pages (first pages apart from
# the pages after the first, `page/N/`); the index pages (home, /places/, /dates/, the
# three taxonomy indexes, search, 404); feeds; sitemaps; the search index; `data/` by
# file; static files; the rest.
set -euo pipefail
out=${1:?usage: size_by_kind.sh OUT_DIR}
cd "$out"
find . -type f -printf '%s %P\n' | LC_ALL=C awk '
function th(n,   s) {
  n = sprintf("%d", n); s = ""
  while (length(n) > 3) { s = "," substr(n, length(n) - 2) s; n = substr(n, 1, length(n) - 3) }
  return n s
}
function kind(p) {
  if (p ~ /^reports\/[^\/]+\/index\.html$/) return "report pages"
  if (p ~ /(^|\/)feed\.xml$/) return "feeds"
  if (p == "sitemap.xml" || p ~ /^sitemaps\//) return "sitemaps"
  if (p ~ /^search\/./ && p != "search/index.html") return "search index"
  if (p ~ /^data\//) return p
  if (p ~ /\/page\/[0-9]+\/index\.html$/) {
    if (p ~ /^places\//) return "places, page 2+"
    if (p ~ /^dates\//) return "dates, page 2+"
    return "terms, page 2+"
  }
  if (p ~ /^places\/.+\/index\.html$/) return "place pages"
  if (p ~ /^dates\/[0-9]+\/index\.html$/) return "year pages"
  if (p ~ /^dates\/[0-9]+\/[0-9]+\/index\.html$/) return "month pages"
  if (p ~ /^dates\/[0-9]+\/[0-9]+\/[0-9]+\/index\.html$/) return "day pages"
  if (p ~ /^(types|perpetrators|tags)\/[^\/]+\/index\.html$/) return "term pages"
  if (p ~ /(^|\/)index\.html$/ || p == "404.html") return "index pages"
  if (p == ".sijill-output" || p == "robots.txt") return "other"
  return "static"
}
{
  size = $1; sub(/^[0-9]+ /, ""); k = kind($0)
  bytes[k] += size; files[k]++; total += size; count++
}
END {
  order = "report pages|place pages|places, page 2+|year pages|month pages|day pages|dates, page 2+|term pages|terms, page 2+|index pages|feeds|sitemaps|search index|data/reports.json|data/reports.csv|data/reports.geojson|data/places.json|data/dates.json|static|other"
  n = split(order, ks, "|")
  printf "| kind | bytes | files | bytes/file |\n|---|---:|---:|---:|\n"
  for (i = 1; i <= n; i++) {
    k = ks[i]
    if (!(k in bytes)) continue
    printf "| %s | %s | %s | %s |\n", k, th(bytes[k]), th(files[k]), th(bytes[k] / files[k])
    delete bytes[k]
  }
  for (k in bytes) printf "| %s | %s | %s | %s |\n", k, th(bytes[k]), th(files[k]), th(bytes[k] / files[k])
  printf "| **total** | **%s** | **%s** | %s |\n", th(total), th(count), th(total / count)
}'
