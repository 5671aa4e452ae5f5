// The five pages of a built archive that the browser tests check and scripts/screenshots.sh
// shows, picked from its data exports so that they follow the content:
//   home       the home page
//   place      the place (a governorate or deeper) with the most reports
//   month      the month with the most reports
//   report     the report not in Arabic with the most locations
//   report-ar  the report in Arabic (`lang: ar`, not a translation)
// Ties go to the first record of the export. Each URL is relative to the site's base.
// pageKinds adds one page of every other kind, for the checks that hold on every page
// (nothing wider than a phone): the indexes, a year, a day, a term, the search and the 404.
const fs = require('fs');
const path = require('path');

function most(records, count) {
  return records.reduce((best, r) => (best === undefined || count(r) > count(best) ? r : best), undefined);
}

function pickPages(outDir) {
  const read = (name) => JSON.parse(fs.readFileSync(path.join(outDir, 'data', name), 'utf8'));
  const reports = read('reports.json');
  const places = read('places.json');
  const dates = read('dates.json');
  const place = most(places.filter((p) => p.path.split('/').length >= 2), (p) => p.reports);
  const month = most(dates.filter((d) => /^\d{4}-\d{2}$/.test(d.date)), (d) => d.reports);
  const report = most(reports.filter((r) => r.lang !== 'ar'), (r) => r.locations.length);
  // An Arabic report of its own (an archive may also hold Arabic translations).
  const arabic = reports.find((r) => r.lang === 'ar' && !r.translation_of);
  const pages = [
    { name: 'home', url: '' },
    { name: 'place', url: place && place.url },
    { name: 'month', url: month && month.url },
    { name: 'report', url: report && report.url },
    { name: 'report-ar', url: arabic && arabic.url },
  ];
  const missing = pages.filter((p) => typeof p.url !== 'string');
  if (missing.length) {
    throw new Error(`${outDir}: no page for ${missing.map((p) => p.name).join(', ')}`);
  }
  return pages;
}

function pageKinds(outDir) {
  const read = (name) => JSON.parse(fs.readFileSync(path.join(outDir, 'data', name), 'utf8'));
  const dates = read('dates.json');
  const terms = read('terms.json');
  const year = most(dates.filter((d) => /^\d{4}$/.test(d.date)), (d) => d.reports);
  const day = most(dates.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.date)), (d) => d.reports);
  const perpetrator = most(terms.filter((t) => t.kind === 'perpetrators'), (t) => t.reports);
  const pages = pickPages(outDir).concat([
    { name: 'places', url: 'places/' },
    { name: 'dates', url: 'dates/' },
    { name: 'year', url: year && year.url },
    { name: 'day', url: day && day.url },
    { name: 'types', url: 'types/' },
    { name: 'perpetrators', url: 'perpetrators/' },
    { name: 'perpetrator', url: perpetrator && perpetrator.url },
    { name: 'tags', url: 'tags/' },
    { name: 'search', url: 'search/' },
    { name: 'not-found', url: '404.html' },
  ]);
  const missing = pages.filter((p) => typeof p.url !== 'string');
  if (missing.length) {
    throw new Error(`${outDir}: no page for ${missing.map((p) => p.name).join(', ')}`);
  }
  return pages;
}

const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic'];

module.exports = { pickPages, pageKinds, BROWSER_ARGS };
