// sijill search: reads the static index under search/ (see src/output/search/mod.rs).
// No server, no third party: every file comes from this site.
(function () {
  'use strict';
  // Words as the index has them (src/output/search/words.rs): marks removed, lowercase, the
  // spellings of one Arabic letter made one (أ إ آ ٱ → ا, ة → ه, ى → ي, no tatweel), the
  // article ال taken off when two letters or more remain, two characters or more.
  var ARTICLE = '\u0627\u0644';
  function words(text) {
    return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
      .replace(/\u0640/g, '').replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
      .replace(/\u0629/g, '\u0647').replace(/\u0649/g, '\u064a')
      .split(/[^\p{L}\p{N}]+/u)
      .map(function (w) { return w.startsWith(ARTICLE) && Array.from(w).length >= 4 ? w.slice(2) : w; })
      .filter(function (w) { return Array.from(w).length >= 2; });
  }

  // The CSV of a search is cut from data/reports.csv with range requests (csvBytes).
  // Rows lie in id order, so a search's rows are scattered over the file. A gap between two
  // wanted rows narrower than GAP_BYTES is fetched rather than skipped: a request costs a
  // round trip and its headers, about as long as that many bytes take on a common link.
  var GAP_BYTES = 16384;
  // At most this many requests for one CSV, however scattered its rows (the narrowest gaps
  // are closed first until this many remain): 174 rows scattered over the 55 MB file of
  // 100,000 reports stay 175 small requests, while a perpetrator's 10,000 rows do not
  // become 10,000 round trips.
  var MAX_RANGE_REQUESTS = 256;
  // Requests in flight at once: fewer than a browser's six connections to the host.
  var RANGE_PARALLEL = 4;
  // Past this fraction of the file, the ranges are not worth it: the whole file in one
  // request (which a server may also compress, unlike a range).
  var WHOLE_FILE_FRACTION = 0.5;

  /**
   * The byte ranges to request for `wanted`, pieces [start, end) of a file of `size` bytes
   * (0: unknown), at most `max` of them: the pieces sorted, those that touch, overlap or
   * lie less than `gap` bytes apart joined, then the smallest remaining gaps closed until
   * `max` remain (which fetches the fewest bytes in that many requests). When those would
   * hold more than `wholeFraction` of the file, [[0, size]]: the whole file. Sorted
   * [start, end) pairs.
   */
  function planRanges(wanted, size, max, wholeFraction, gap) {
    gap = gap || 0;
    var ranges = [];
    wanted.slice().sort(function (x, y) { return x[0] - y[0] || x[1] - y[1]; }).forEach(function (r) {
      var last = ranges[ranges.length - 1];
      if (last && r[0] <= last[1] + gap) last[1] = Math.max(last[1], r[1]); else ranges.push([r[0], r[1]]);
    });
    if (ranges.length > max) {
      // Keep the max - 1 widest gaps (the earlier of equal ones), close the others.
      var gaps = [];
      for (var i = 1; i < ranges.length; i++) gaps.push(i);
      gaps.sort(function (a, b) {
        return (ranges[b][0] - ranges[b - 1][1]) - (ranges[a][0] - ranges[a - 1][1]) || a - b;
      });
      var kept = {};
      gaps.slice(0, max - 1).forEach(function (g) { kept[g] = true; });
      var merged = [];
      ranges.forEach(function (r, k) {
        if (k > 0 && !kept[k]) merged[merged.length - 1][1] = r[1]; else merged.push(r);
      });
      ranges = merged;
    }
    var bytes = ranges.reduce(function (n, r) { return n + r[1] - r[0]; }, 0);
    return size && bytes > size * wholeFraction ? [[0, size]] : ranges;
  }

  // The message for `n` results: Arabic words a count by its last two digits (as
  // arabic_counted in src/render/i18n.rs); the English messages of few, many and other
  // are one.
  function foundKey(n) {
    if (n <= 2) return ['none', 'one', 'two'][n];
    var last = n % 100;
    return last >= 3 && last <= 10 ? 'few' : last >= 11 ? 'many' : 'other';
  }

  // Under Node (tests/tools/search_words.cjs, search_plan.cjs) only the pure functions.
  if (typeof document === 'undefined') {
    module.exports = { words: words, planRanges: planRanges, foundKey: foundKey };
    return;
  }
  var script = document.currentScript;
  var base = script.getAttribute('data-base');
  var root = base + 'search/';
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var PAGE = 20;
  var FIELDS = ['q', 'place', 'type', 'perpetrator', 'tag', 'from', 'to', 'day'];
  var cache = {};

  function get(path, json) {
    if (!cache[path]) {
      cache[path] = fetch(root + path).then(function (r) {
        if (r.status === 404) return null;
        if (!r.ok) throw new Error(path + ': ' + r.status);
        return json ? r.json() : r.text();
      });
    }
    return cache[path];
  }

  // The documents of query word `w`: those of every word it begins when it is long enough
  // (meta.prefix characters), else of the word itself. Every word that begins with the same
  // meta.prefix characters is in one shard, the one of those characters.
  function lookup(w) {
    var chars = Array.from(w);
    var key = chars.slice(0, meta.prefix).join('');
    return get('w/' + (fnv1a(key) % meta.shards) + '.json', true).then(function (shard) {
      if (!shard) return [];
      if (chars.length < meta.prefix) return decode(shard[w]);
      return union(Object.keys(shard).filter(function (k) { return k.startsWith(w); })
        .map(function (k) { return decode(shard[k]); }));
    });
  }

  function fnv1a(word) {
    var h = 0x811c9dc5;
    var bytes = new TextEncoder().encode(word);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  // Posting list text → sorted array of document numbers.
  function decode(s) {
    var out = [];
    if (!s) return out;
    if (s[0] === 'd') {
      var last = -1, gap = 0, shift = 0;
      for (var i = 1; i < s.length; i++) {
        var v = ALPHABET.indexOf(s[i]);
        gap += (v & 31) * Math.pow(2, shift);
        if (v & 32) { shift += 5; continue; }
        last = last + gap + 1;
        out.push(last);
        gap = 0; shift = 0;
      }
    } else {
      var bits = [];
      for (var j = 1; j < s.length; j += 4) {
        var n = 0, k;
        for (k = 0; k < 4; k++) n = n * 64 + (j + k < s.length ? ALPHABET.indexOf(s[j + k]) : 0);
        bits.push((n >> 16) & 255, (n >> 8) & 255, n & 255);
      }
      for (var b = 0; b < bits.length; b++) {
        for (var t = 0; t < 8; t++) if (bits[b] & (1 << t)) out.push(b * 8 + t);
      }
    }
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  function union(lists) {
    var seen = {}, out = [];
    lists.forEach(function (l) { l.forEach(function (d) { if (!seen[d]) { seen[d] = 1; out.push(d); } }); });
    return out.sort(function (x, y) { return x - y; });
  }

  var form = document.getElementById('search-form');
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var csvLink = document.querySelector('#search-csv a');
  var meta, results = [], shown = 0, csvUrl;

  function option(select, value, label) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  function fill(filters, params) {
    filters.places.forEach(function (p) {
      var depth = p[0].split('/').length - 1;
      option(form.place, p[1], '\u00a0\u00a0'.repeat(depth) + p[0].split('/').pop());
    });
    filters.types.forEach(function (t) { option(form.type, t[1], t[0]); });
    filters.perpetrators.forEach(function (t) { option(form.perpetrator, t[1], t[0]); });
    filters.tags.forEach(function (t) { option(form.tag, t[1], t[0]); });
    if (filters.months.length) {
      form.from.min = form.to.min = filters.months[0];
      form.from.max = form.to.max = filters.months[filters.months.length - 1];
    }
    FIELDS.forEach(function (name) {
      if (params.get(name)) form[name].value = params.get(name);
    });
  }

  function months(from, to, all) {
    return all.filter(function (m) { return (!from || m >= from) && (!to || m <= to); });
  }

  // Shows the status message `key` (a data- attribute of the status line, in the page's
  // language), with {n} replaced by `n`, its thousands grouped as the pages group them.
  function say(key, n, error) {
    status.dataset.state = key;
    var count = typeof n === 'number' ? n.toLocaleString('en-US') : n;
    status.textContent = status.getAttribute('data-' + key).replace('{n}', count).replace('{error}', error);
  }


  function run(params, filters) {
    var lists = [];
    var q = words(params.get('q') || '');
    q.forEach(function (w) { lists.push(lookup(w)); });
    [['place', 'p/'], ['type', 't/'], ['perpetrator', 'x/'], ['tag', 'g/']].forEach(function (f) {
      var v = params.get(f[0]);
      if (v) lists.push(get(f[1] + v + '.txt', false).then(decode));
    });
    // A day: the reports of its month, then those whose period holds the day (see onDay).
    var day = params.get('day');
    if (day) {
      lists.push(/^\d{4}-\d\d-\d\d$/.test(day) ? get('m/' + day.slice(0, 7) + '.txt', false).then(decode) : []);
    }
    var from = params.get('from'), to = params.get('to');
    if (from || to) {
      var ms = months(from, to, filters.months);
      lists.push(Promise.all(ms.map(function (m) { return get('m/' + m + '.txt', false).then(decode); })).then(union));
    }
    if (!lists.length) {
      say('hint');
      return Promise.resolve();
    }
    say('searching');
    csvLink.parentNode.hidden = true;
    return Promise.all(lists).then(function (all) {
      var found = all.reduce(intersect);
      return day ? onDay(found, day) : found;
    }).then(function (found) {
      results = found.reverse();
      shown = 0;
      list.textContent = '';
      return showMore().then(function () {
        say(foundKey(results.length), results.length);
        status.dataset.state = 'done';
        return offerCsv(params, params.get('csv') === '1');
      });
    });
  }

  // The documents `ds` (numbers), in the same order, from the chunks they are in.
  function docs(ds) {
    var chunks = union([ds.map(function (d) { return Math.floor(d / meta.chunk); })]);
    return Promise.all(chunks.map(function (c) { return get('d/' + c + '.json', true); })).then(function (loaded) {
      var byChunk = {};
      chunks.forEach(function (c, i) { byChunk[c] = loaded[i]; });
      return ds.map(function (d) { return byChunk[Math.floor(d / meta.chunk)][d % meta.chunk]; });
    });
  }

  // [start, end] of a document's period, ISO dates (`dates` is `start` or `start/end`).
  function period(doc) {
    var p = doc[4].split('/');
    return [p[0], p[1] || p[0]];
  }

  // Keeps the documents whose period holds `day` (YYYY-MM-DD dates compare as strings).
  function onDay(ds, day) {
    return docs(ds).then(function (loaded) {
      return ds.filter(function (d, i) {
        var p = period(loaded[i]);
        return p[0] <= day && day <= p[1];
      });
    });
  }

  function showMore() {
    var page = results.slice(shown, shown + PAGE);
    return docs(page).then(function (loaded) {
      loaded.forEach(function (doc) {
        // Title, period and places each isolated: an Arabic title must not pull the
        // day of an English date across to its side, nor the other way round.
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = base + 'reports/' + doc[0] + '/';
        var title = document.createElement('bdi');
        title.textContent = doc[1];
        a.appendChild(title);
        var small = document.createElement('small');
        [doc[2]].concat(doc[3]).forEach(function (text, i) {
          small.appendChild(document.createTextNode(i === 0 ? ' ' : i === 1 ? ' · ' : '; '));
          var part = document.createElement('bdi');
          part.textContent = text;
          small.appendChild(part);
        });
        li.appendChild(a);
        li.appendChild(small);
        list.appendChild(li);
      });
      shown += page.length;
      more.hidden = shown >= results.length;
    });
  }

  // The CSV of the results: the rows of data/reports.csv for their reports, newest first,
  // after its byte order mark and header, cut from at most MAX_RANGE_REQUESTS ranges of it
  // (or the whole file) fetched from where search/o/ says they are (docs/search-csv.md).
  // A server that ignores ranges sends the whole file once, and the rows are cut from it.
  // `ranges` are [start, end) pairs; the answer is their bytes, in that order.
  function bytesOf(file, ranges, size) {
    var whole = null;
    function one(r) {
      if (whole) return Promise.resolve(whole.subarray(r[0], r[1]));
      // The whole file without Range, so that the server may compress it.
      var all = r[0] === 0 && r[1] === size;
      var init = all ? {} : { headers: { Range: 'bytes=' + r[0] + '-' + (r[1] - 1) } };
      return fetch(base + file, init).then(function (res) {
        if (!res.ok) throw new Error(file + ': ' + res.status);
        return res.arrayBuffer().then(function (buf) {
          var bytes = new Uint8Array(buf);
          if (res.status === 206) return bytes;
          whole = bytes;
          return bytes.subarray(r[0], r[1]);
        });
      });
    }
    // The first alone (it tells whether ranges work), then RANGE_PARALLEL at a time.
    var out = [];
    var next = 1;
    function worker() {
      if (next >= ranges.length) return Promise.resolve();
      var i = next++;
      return one(ranges[i]).then(function (b) { out[i] = b; return worker(); });
    }
    return one(ranges[0]).then(function (b) {
      out[0] = b;
      var workers = [];
      for (var k = 0; k < RANGE_PARALLEL; k++) workers.push(worker());
      return Promise.all(workers);
    }).then(function () { return out; });
  }

  // Decodes a file of search/o/: per document, the zigzag difference of its row's offset
  // from the previous one's, and its length.
  function spans(s) {
    var out = [], nums = [], n = 0, shift = 0, last = 0;
    for (var i = 0; i < s.length; i++) {
      var v = ALPHABET.indexOf(s[i]);
      n += (v & 31) * Math.pow(2, shift);
      if (v & 32) { shift += 5; continue; }
      nums.push(n);
      n = 0; shift = 0;
    }
    for (var j = 0; j + 1 < nums.length; j += 2) {
      var z = nums[j];
      last += z % 2 ? -(z + 1) / 2 : z / 2;
      out.push([last, nums[j + 1]]);
    }
    return out;
  }

  // The CSV bytes of documents `ds`, in that order.
  function csvBytes(ds) {
    return get('rows.json', true).then(function (rows) {
      var chunks = union([ds.map(function (d) { return Math.floor(d / rows.chunk); })]);
      return Promise.all(chunks.map(function (c) { return get('o/' + c + '.txt', false); })).then(function (loaded) {
        var byChunk = {};
        chunks.forEach(function (c, i) { byChunk[c] = spans(loaded[i]); });
        // The header, then each document's row.
        var wanted = [[0, rows.header]].concat(ds.map(function (d) {
          var sp = byChunk[Math.floor(d / rows.chunk)][d % rows.chunk];
          return [sp[0], sp[0] + sp[1]];
        }));
        var ranges = planRanges(wanted, rows.size, MAX_RANGE_REQUESTS, WHOLE_FILE_FRACTION, GAP_BYTES);
        return bytesOf(rows.file, ranges, rows.size).then(function (parts) {
          // Each piece, cut from the range that holds it.
          var pieces = wanted.map(function (r) {
            var lo = 0, hi = ranges.length - 1;
            while (lo < hi) {
              var mid = (lo + hi + 1) >> 1;
              if (ranges[mid][0] <= r[0]) lo = mid; else hi = mid - 1;
            }
            return parts[lo].subarray(r[0] - ranges[lo][0], r[1] - ranges[lo][0]);
          });
          return pieces;
        });
      });
    });
  }

  // The download link of the results: built at once when the URL asks for it (`csv=1`, the
  // links of place and date pages), else when it is first clicked.
  var csvFor = null;
  function offerCsv(params, now) {
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = null;
    csvFor = results;
    var name = ['reports'];
    ['place', 'type', 'perpetrator', 'tag', 'day', 'from', 'to'].forEach(function (f) {
      if (params.get(f)) name.push(params.get(f).replace(/[^\p{L}\p{N}]+/gu, '-'));
    });
    csvLink.setAttribute('href', '#');
    csvLink.download = name.join('-') + '.csv';
    var label = csvLink.getAttribute(results.length === 1 ? 'data-one' : 'data-many');
    csvLink.textContent = label.replace('{n}', results.length);
    csvLink.parentNode.hidden = results.length === 0;
    return now && results.length ? buildCsv() : Promise.resolve();
  }

  function buildCsv() {
    var forResults = csvFor;
    return csvBytes(forResults).then(function (pieces) {
      if (forResults !== csvFor) return false;
      csvUrl = URL.createObjectURL(new Blob(pieces, { type: 'text/csv;charset=utf-8' }));
      csvLink.href = csvUrl;
      return true;
    });
  }

  csvLink.addEventListener('click', function (e) {
    if (csvUrl) return;
    e.preventDefault();
    var before = status.textContent;
    say('preparing');
    buildCsv().then(function (built) {
      status.textContent = before;
      status.dataset.state = 'done';
      if (built) csvLink.click();
    }, function (err) {
      say('failed', 0, err.message);
    });
  });

  Promise.all([get('meta.json', true), get('filters.json', true)]).then(function (loaded) {
    meta = loaded[0];
    var filters = loaded[1];
    var params = new URLSearchParams(location.search);
    fill(filters, params);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var p = new URLSearchParams();
      FIELDS.forEach(function (name) {
        if (form[name].value) p.set(name, form[name].value);
      });
      if (params.get('csv') === '1') p.set('csv', '1');
      history.replaceState(null, '', '?' + p.toString());
      run(p, filters);
    });
    more.addEventListener('click', showMore);
    if (params.toString()) run(params, filters); else say('hint');
  }).catch(function (e) {
    say('failed', 0, e.message);
  });
})();
