#!/usr/bin/env python3
"""Bytes a search downloads, computed from a built site's files as search.js fetches them.

Usage:
    search_size.py SITE_DIR [QUERY ...]

Each QUERY is a search page query string (`q=Aleppo`, `place=syria&type=shelling`,
`from=2019-01&to=2019-12`); without any, a set of common queries is measured: the most
frequent governorate (as words and as the place filter), the country, the most frequent
perpetrator (words and filter), a year, an incident type alone, and every three-letter
prefix of the index (the worst one is named). For each query it prints the files fetched
after the page has loaded (word shards, posting lists, the document chunks of the first 20
results) and, separately, what the CSV of all its results fetches (search/rows.json, the
files of search/o/ and the byte ranges of data/reports.csv, at most 16, or
the whole file when they would hold more than half of it). Sizes are as stored; GitHub
Pages sends JSON and text gzip-compressed, so "gzip" gives that size too. The page load
(search/meta.json and search/filters.json, fetched once) is printed apart.

Stdlib only; follows static/search.js (words, shards, posting lists, the `day` filter is
left out).
"""

import gzip
import json
import os
import sys
import unicodedata
from urllib.parse import parse_qs

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
VALUE = {c: i for i, c in enumerate(ALPHABET)}
PAGE = 20


def words(text):
    """The words of `text` as search.js makes them (src/output/search/words.rs)."""
    t = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.category(c).startswith("M"))
    t = t.lower().replace("\u0640", "")
    for a in "\u0622\u0623\u0625\u0671":
        t = t.replace(a, "\u0627")
    t = t.replace("\u0629", "\u0647").replace("\u0649", "\u064a")
    out, cur = [], ""
    for c in t + " ":
        if unicodedata.category(c)[0] in "LN":
            cur += c
            continue
        if cur:
            if cur.startswith("\u0627\u0644") and len(cur) >= 4:
                cur = cur[2:]
            if len(cur) >= 2:
                out.append(cur)
        cur = ""
    return out


def fnv1a(word):
    h = 0x811C9DC5
    for b in word.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


def decode(s):
    if not s:
        return []
    out = []
    if s[0] == "d":
        last, gap, shift = -1, 0, 0
        for c in s[1:]:
            v = VALUE[c]
            gap += (v & 31) << shift
            if v & 32:
                shift += 5
                continue
            last += gap + 1
            out.append(last)
            gap, shift = 0, 0
    else:
        bits = bytearray()
        body = s[1:]
        for j in range(0, len(body), 4):
            n = 0
            for k in range(4):
                n = n * 64 + (VALUE[body[j + k]] if j + k < len(body) else 0)
            bits += bytes([(n >> 16) & 255, (n >> 8) & 255, n & 255])
        for b, byte in enumerate(bits):
            for t in range(8):
                if byte & (1 << t):
                    out.append(b * 8 + t)
    return out


def varints(s):
    nums, n, shift = [], 0, 0
    for c in s:
        v = VALUE[c]
        n += (v & 31) << shift
        if v & 32:
            shift += 5
            continue
        nums.append(n)
        n, shift = 0, 0
    return nums


class Site:
    def __init__(self, root):
        self.root = root
        self.search = os.path.join(root, "search")
        self.meta = self.json("meta.json")
        self.filters = self.json("filters.json")
        self.texts = {}

    def path(self, rel):
        return os.path.join(self.search, rel)

    def json(self, rel):
        with open(self.path(rel), encoding="utf-8") as f:
            return json.load(f)

    def text(self, rel):
        if rel not in self.texts:
            p = self.path(rel)
            self.texts[rel] = open(p, encoding="utf-8").read() if os.path.exists(p) else None
        return self.texts[rel]

    def shard(self, key):
        return "w/%d.json" % (fnv1a(key) % self.meta["shards"])


def run(site, query):
    """(result documents, files fetched) of `query`, as search.js runs it."""
    params = {k: v[0] for k, v in parse_qs(query).items()}
    files, lists = [], []
    prefix = site.meta["prefix"]
    for w in words(params.get("q", "")):
        rel = site.shard(w[:prefix])
        files.append(rel)
        text = site.text(rel)
        shard = json.loads(text) if text else {}
        if len(w) < prefix:
            lists.append(set(decode(shard.get(w))))
        else:
            lists.append({d for k, p in shard.items() if k.startswith(w) for d in decode(p)})
    for name, folder in (("place", "p"), ("type", "t"), ("perpetrator", "x"), ("tag", "g")):
        if params.get(name):
            rel = "%s/%s.txt" % (folder, params[name])
            files.append(rel)
            lists.append(set(decode(site.text(rel))))
    if params.get("from") or params.get("to"):
        lo, hi = params.get("from", ""), params.get("to", "")
        months = [m for m in site.filters["months"] if (not lo or m >= lo) and (not hi or m <= hi)]
        found = set()
        for m in months:
            rel = "m/%s.txt" % m
            files.append(rel)
            found |= set(decode(site.text(rel)))
        lists.append(found)
    found = sorted(set.intersection(*lists), reverse=True) if lists else []
    chunks = sorted({d // site.meta["chunk"] for d in found[:PAGE]})
    files += ["d/%d.json" % c for c in chunks]
    return found, files


# As static/search.js: GAP_BYTES, MAX_RANGE_REQUESTS, WHOLE_FILE_FRACTION.
GAP_BYTES = 16384
MAX_RANGE_REQUESTS = 256
WHOLE_FILE_FRACTION = 0.5


def plan_ranges(wanted, size, most, whole_fraction, gap=0):
    """planRanges of static/search.js: pieces joined when less than `gap` bytes apart, the
    smallest gaps closed until `most` ranges remain; the whole file when they would hold
    more than `whole_fraction` of it."""
    ranges = []
    for a, b in sorted(wanted):
        if ranges and a <= ranges[-1][1] + gap:
            ranges[-1][1] = max(ranges[-1][1], b)
        else:
            ranges.append([a, b])
    if len(ranges) > most:
        gaps = sorted(range(1, len(ranges)), key=lambda i: (-(ranges[i][0] - ranges[i - 1][1]), i))
        kept = set(gaps[:most - 1])
        merged = []
        for i, r in enumerate(ranges):
            if i > 0 and i not in kept:
                merged[-1][1] = r[1]
            else:
                merged.append(r)
        ranges = merged
    if size and sum(b - a for a, b in ranges) > size * whole_fraction:
        return [[0, size]]
    return ranges


def csv_cost(site, found):
    """(files, bytes, requests, whole) that the CSV of documents `found` fetches: `whole`
    when that is all of data/reports.csv in one request."""
    rows = site.json("rows.json")
    files = ["rows.json"]
    spans = {}
    for c in sorted({d // rows["chunk"] for d in found}):
        rel = "o/%d.txt" % c
        files.append(rel)
        nums, last = varints(site.text(rel)), 0
        for i in range(0, len(nums) - 1, 2):
            z = nums[i]
            last += -(z + 1) // 2 if z % 2 else z // 2
            spans[c * rows["chunk"] + i // 2] = (last, last + nums[i + 1])
    wanted = [(0, rows["header"])] + [spans[d] for d in found]
    ranges = plan_ranges(wanted, rows["size"], MAX_RANGE_REQUESTS, WHOLE_FILE_FRACTION, GAP_BYTES)
    whole = ranges == [[0, rows["size"]]]
    return files, sum(b - a for a, b in ranges), len(ranges), whole


def sizes(site, files):
    raw = gz = 0
    for rel in sorted(set(files)):
        data = open(site.path(rel), "rb").read()
        raw += len(data)
        gz += len(gzip.compress(data, 6))
    return raw, gz


def common_queries(site):
    def biggest(folder, slugs):
        return max(slugs, key=lambda s: os.path.getsize(site.path("%s/%s.txt" % (folder, s))))

    govs = [(path, slug) for path, slug in site.filters["places"] if path.count("/") == 1]
    gov = biggest("p", [s for _, s in govs])
    gov_name = next(p for p, s in govs if s == gov).split("/")[-1]
    perp = biggest("x", [s for _, s in site.filters["perpetrators"]])
    perp_name = next(n for n, s in site.filters["perpetrators"] if s == perp)
    typ = biggest("t", [s for _, s in site.filters["types"]])
    year = site.filters["months"][-13][:4]
    return [
        "q=" + gov_name,
        "place=" + gov,
        "q=syria",
        "place=syria",
        "q=" + perp_name,
        "perpetrator=" + perp,
        "from=%s-01&to=%s-12" % (year, year),
        "type=" + typ,
        "q=kil",
        "q=" + gov_name + "&from=%s-01&to=%s-12" % (year, year),
    ]


def worst_prefix(site):
    """The three-letter query whose shard is the largest."""
    best = None
    for n in range(site.meta["shards"]):
        rel = "w/%d.json" % n
        size = os.path.getsize(site.path(rel))
        if best is None or size > best[0]:
            best = (size, rel)
    shard = site.json(best[1])
    keys = {}
    for w, p in shard.items():
        if len(w) >= 3:
            keys[w[:3]] = keys.get(w[:3], 0) + len(w) + len(p)
    return "q=" + max(keys, key=keys.get)


def main():
    root = sys.argv[1]
    site = Site(root)
    queries = sys.argv[2:] or common_queries(site) + [worst_prefix(site)]
    load = sizes(site, ["meta.json", "filters.json"])
    print("page load (meta.json, filters.json): %d bytes, %d gzip" % load)
    print("| query | results | files | bytes | gzip | CSV requests | CSV bytes | CSV gzip-able index bytes | CSV whole file |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for q in queries:
        found, files = run(site, q)
        raw, gz = sizes(site, files)
        if found:
            cfiles, cbytes, requests, whole = csv_cost(site, found)
            craw, _ = sizes(site, cfiles)
        else:
            craw = cbytes = requests = 0
            whole = False
        print("| `%s` | %d | %d | %d | %d | %d | %d | %d | %s |" % (
            q, len(found), len(set(files)), raw, gz, requests, cbytes + craw, craw,
            "yes" if whole else "no"))


if __name__ == "__main__":
    main()
