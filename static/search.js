// sijill search: reads the static index under search/ (see src/output/search.rs).
// No server, no third party: every file comes from this site.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = script.getAttribute('data-base');
  var root = base + 'search/';
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var PAGE = 20;
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
  var meta, results = [], shown = 0;

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
    if (filters.months.length) {
      form.from.min = form.to.min = filters.months[0];
      form.from.max = form.to.max = filters.months[filters.months.length - 1];
    }
    ['q', 'place', 'type', 'perpetrator', 'from', 'to'].forEach(function (name) {
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
    [['place', 'p/'], ['type', 't/'], ['perpetrator', 'x/']].forEach(function (f) {
      var v = params.get(f[0]);
      if (v) lists.push(get(f[1] + v + '.txt', false).then(decode));
    });
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
    return Promise.all(lists).then(function (all) {
      results = all.reduce(intersect).reverse();
      shown = 0;
      list.textContent = '';
      return showMore().then(function () {
        status.textContent = results.length === 1 ? '1 report found.' : results.length + ' reports found.';
      });
    });
  }

  function showMore() {
    var page = results.slice(shown, shown + PAGE);
    var chunks = union([page.map(function (d) { return Math.floor(d / meta.chunk); })]);
    return Promise.all(chunks.map(function (c) { return get('d/' + c + '.json', true); })).then(function (loaded) {
      var byChunk = {};
      chunks.forEach(function (c, i) { byChunk[c] = loaded[i]; });
      page.forEach(function (d) {
        var doc = byChunk[Math.floor(d / meta.chunk)][d % meta.chunk];
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

  Promise.all([get('meta.json', true), get('filters.json', true)]).then(function (loaded) {
    meta = loaded[0];
    var filters = loaded[1];
    var params = new URLSearchParams(location.search);
    fill(filters, params);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var p = new URLSearchParams();
      ['q', 'place', 'type', 'perpetrator', 'from', 'to'].forEach(function (name) {
        if (form[name].value) p.set(name, form[name].value);
      });
      history.replaceState(null, '', '?' + p.toString());
      run(p, filters);
    });
    more.addEventListener('click', showMore);
    if (params.toString()) run(params, filters);
  }).catch(function (e) {
    status.textContent = 'The search index could not be loaded (' + e.message + ').';
  });
})();
