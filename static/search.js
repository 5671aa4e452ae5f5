// sijill search: reads the static index under search/ (see src/output/search.rs).
// No server, no third party: every file comes from this site.
(function () {
  'use strict';
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

  // Words as the index has them: marks removed, lowercase, two characters or more.
  function words(text) {
    return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
      .split(/[^\p{L}\p{N}]+/u).filter(function (w) { return Array.from(w).length >= 2; });
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

  function run(params, filters) {
    var lists = [];
    var q = words(params.get('q') || '');
    q.forEach(function (w) {
      lists.push(get('w/' + (fnv1a(w) % meta.shards) + '.json', true).then(function (shard) {
        return decode(shard && shard[w]);
      }));
    });
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
      status.textContent = 'Type words to search for, or choose a filter.';
      return Promise.resolve();
    }
    status.textContent = 'Searching…';
    csvLink.parentNode.hidden = true;
    return Promise.all(lists).then(function (all) {
      var found = all.reduce(intersect);
      return day ? onDay(found, day) : found;
    }).then(function (found) {
      results = found.reverse();
      shown = 0;
      list.textContent = '';
      return showMore().then(function () {
        status.textContent = results.length === 1 ? '1 report found.' : results.length + ' reports found.';
        if (params.get('csv') === '1') return offerCsv(params);
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
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.href = base + 'reports/' + doc[0] + '/';
        a.textContent = doc[1];
        var small = document.createElement('small');
        small.textContent = ' ' + doc[2] + ' · ' + doc[3].join('; ');
        li.appendChild(a);
        li.appendChild(small);
        list.appendChild(li);
      });
      shown += page.length;
      more.hidden = shown >= results.length;
    });
  }

  // CSV as data/reports.csv writes it (docs/search-csv.md): RFC 4180, CRLF, a byte order
  // mark, and a leading ' on text cells that a spreadsheet would run as a formula.
  var HEADER = 'id,url,title,period_start,period_end,places,killed_min,killed_max,injured_min,injured_max,incident,counted';

  function cell(value, text) {
    var s = String(value);
    if (text && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  // A document's count (n, [min] or [min, max]; null or absent when not given) → [min, max].
  function minMax(c) {
    if (c == null) return ['', ''];
    if (typeof c === 'number') return [c, c];
    return [c[0], c.length > 1 ? c[1] : ''];
  }

  // A document's incident and whether it is counted (format v2): given only when it is not
  // a counted incident of its own.
  function incident(doc) {
    var linked = doc[7];
    return linked ? [cell(linked[0]), linked[1] ? 'true' : 'false'] : [cell(doc[0]), 'true'];
  }

  function csvRow(doc) {
    var url = location.origin + base + 'reports/' + doc[0] + '/';
    return [cell(doc[0]), cell(url), cell(doc[1], true)].concat(period(doc), cell(doc[3].join('; '), true),
      minMax(doc[5]), minMax(doc[6]), incident(doc)).join(',');
  }

  // Every result, newest first, as a CSV file behind the download link.
  function offerCsv(params) {
    return docs(results).then(function (loaded) {
      var rows = [HEADER].concat(loaded.map(csvRow));
      if (csvUrl) URL.revokeObjectURL(csvUrl);
      csvUrl = URL.createObjectURL(new Blob(['\ufeff' + rows.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' }));
      var name = ['reports'];
      ['place', 'type', 'perpetrator', 'tag', 'day', 'from', 'to'].forEach(function (f) {
        if (params.get(f)) name.push(params.get(f).replace(/[^\p{L}\p{N}]+/gu, '-'));
      });
      csvLink.href = csvUrl;
      csvLink.download = name.join('-') + '.csv';
      var label = csvLink.getAttribute(results.length === 1 ? 'data-one' : 'data-many');
      csvLink.textContent = label.replace('{n}', results.length);
      csvLink.parentNode.hidden = false;
    });
  }

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
    if (params.toString()) run(params, filters);
  }).catch(function (e) {
    status.textContent = 'The search index could not be loaded (' + e.message + ').';
  });
})();
