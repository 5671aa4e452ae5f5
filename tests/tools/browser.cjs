// Opens a page of every kind of a built archive served at BASE_URL (pageKinds of pages.cjs),
// 1280 px wide (a desktop) and 390 px wide (a phone: touch, no zoom), each in the light and
// the dark colour scheme, in one headless Chromium, and prints one JSON object:
//   {"pages": [{"name", "url", "width", "scheme", "status", "lang", "dir", "direction",
//     "errors", "external", "failed", "violations", "incomplete", "overflow", "cut",
//     "entries", "misplaced"}, ...]}
// errors: console errors and uncaught exceptions; external: requests to any host other than
// localhost (aborted); failed: localhost requests that failed or answered 400 or more;
// violations: axe-core violations of every impact (the caller judges), each with its nodes;
// incomplete: axe's "needs review" results for colour contrast (contrast axe could not
// compute, e.g. text over an image).
// overflow: how many pixels the page is wider than the window (0: none); cut: the tables and
// other `.scroll` boxes wider than their room (they scroll sideways inside the page).
// broken: the words of tables (names of places, counts, weekdays) split across two lines,
// as "<word> (<table>)".
// entries: the listing entries whose title is in a language other than the page's
// (`.reports li > a[lang]`, or such a link first in any `li`), measured; misplaced: those
// of them with a piece of the text after the title (its dates) on the title's far side or
// on a line above it, as "<title> | <dates>: <why>": the title must read first, then its
// dates, in the page's direction.
// Further pages can be added as NAME=PATH (PATH relative to BASE_URL).
// Usage: node browser.cjs BASE_URL OUT_DIR [NAME=PATH...]
const path = require('path');
const { chromium } = require('playwright-core');
const { pageKinds, BROWSER_ARGS } = require('./pages.cjs');

const VIEWPORTS = [
  { width: 1280, height: 800, isMobile: false },
  { width: 390, height: 844, isMobile: true },
];

const AXE = path.join(__dirname, 'node_modules', 'axe-core', 'axe.min.js');

function nodes(result) {
  return result.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary }));
}

// Runs in the page: the listing entries with a title in another language than the page's,
// and those whose dates do not follow the title in the page's direction.
function measureEntries() {
  const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
  const pageLang = document.documentElement.getAttribute('lang');
  const misplaced = [];
  let entries = 0;
  for (const li of document.querySelectorAll('li')) {
    const title = li.firstElementChild;
    if (!title || title.tagName !== 'A' || !title.hasAttribute('lang') || title.getAttribute('lang') === pageLang) continue;
    if (!title.nextSibling) continue;
    entries += 1;
    const rest = document.createRange();
    rest.setStartAfter(title);
    rest.setEndAfter(li.lastChild);
    const last = [...title.getClientRects()].pop();
    const why = [];
    for (const r of rest.getClientRects()) {
      if (r.width < 1) continue;
      if (r.bottom <= last.top + 1) why.push(`a piece at ${Math.round(r.left)}-${Math.round(r.right)} is on a line above the title's end`);
      else if (r.top >= last.bottom - 1) continue; // on a line below: read after the title
      else if (!rtl && r.left < last.right - 1) why.push(`a piece at ${Math.round(r.left)}-${Math.round(r.right)} px is left of the title's end (${Math.round(last.right)} px)`);
      else if (rtl && r.right > last.left + 1) why.push(`a piece at ${Math.round(r.left)}-${Math.round(r.right)} px is right of the title's end (${Math.round(last.left)} px)`);
    }
    if (why.length) misplaced.push(`${title.textContent} | ${rest.toString().trim()}: ${why.join('; ')}`);
  }
  return { entries, misplaced };
}

// Runs in the page: the words in tables that are split across lines.
function brokenWords() {
  const broken = [];
  for (const table of document.querySelectorAll('table')) {
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.textContent.matchAll(/\S+/g)) {
        const word = document.createRange();
        word.setStart(node, m.index);
        word.setEnd(node, m.index + m[0].length);
        const tops = new Set([...word.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(`${m[0]} (${table.className || 'table'})`);
      }
    }
  }
  return broken;
}

async function check(context, base, page, scheme, width) {
  const url = new URL(page.url, base).href;
  const tab = await context.newPage();
  const result = { name: page.name, url, width, scheme, errors: [], external: [], failed: [] };
  try {
    await tab.emulateMedia({ colorScheme: scheme });
    tab.on('console', (m) => { if (m.type() === 'error') result.errors.push(m.text()); });
    tab.on('pageerror', (e) => result.errors.push(String(e)));
    tab.on('websocket', (ws) => result.external.push(ws.url()));
    tab.on('requestfailed', (r) => {
      if (!result.external.includes(r.url())) result.failed.push(`${r.url()}: ${r.failure().errorText}`);
    });
    tab.on('response', (r) => { if (r.status() >= 400) result.failed.push(`${r.url()}: HTTP ${r.status()}`); });
    await tab.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host !== '127.0.0.1' && host !== 'localhost') {
        result.external.push(route.request().url());
        return route.abort();
      }
      return route.continue();
    });
    const response = await tab.goto(url, { waitUntil: 'load' });
    result.status = response ? response.status() : null;
    await tab.evaluate(() => document.fonts.ready);
    Object.assign(result, await tab.evaluate((width) => ({
      lang: document.documentElement.getAttribute('lang'),
      dir: document.documentElement.getAttribute('dir'),
      direction: getComputedStyle(document.documentElement).direction,
      background: getComputedStyle(document.body).backgroundColor,
      color: getComputedStyle(document.body).color,
      // Against the window's width, not innerWidth: a phone widens its layout viewport to a
      // page without `<meta name=viewport>`, and zooms out of a page wider than it.
      overflow: Math.max(0, document.documentElement.scrollWidth - width),
      cut: [...document.querySelectorAll('.scroll')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1)
        .map((e) => `${e.firstElementChild ? e.firstElementChild.className || e.firstElementChild.tagName : '?'}: ${e.scrollWidth} px in ${e.clientWidth}`),
    }), width));
    Object.assign(result, await tab.evaluate(measureEntries));
    result.broken = await tab.evaluate(brokenWords);
    await tab.addScriptTag({ path: AXE });
    const axe = await tab.evaluate(async () => {
      // Every rule axe runs by default; only the details of passing checks are left out.
      const r = await window.axe.run(document, { resultTypes: ['violations', 'incomplete'] });
      return { violations: r.violations, incomplete: r.incomplete.filter((i) => i.id === 'color-contrast') };
    });
    result.violations = axe.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: nodes(v),
    }));
    result.incomplete = axe.incomplete.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: nodes(v),
    }));
  } finally {
    await tab.close();
  }
  return result;
}

(async () => {
  const [base, outDir, ...extra] = process.argv.slice(2);
  const pages = pageKinds(outDir).concat(extra.map((arg) => {
    const [name, url] = arg.split('=');
    return { name, url };
  }));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
  const results = [];
  try {
    for (const { width, height, isMobile } of VIEWPORTS) {
      const context = await browser.newContext({ viewport: { width, height }, isMobile, hasTouch: isMobile });
      // The two schemes side by side, in two tabs of the one browser.
      const schemes = await Promise.all(['light', 'dark'].map(async (scheme) => {
        const done = [];
        for (const page of pages) done.push(await check(context, base, page, scheme, width));
        return done;
      }));
      results.push(...schemes.flat());
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ pages: results }));
})().catch((e) => { console.error(e); process.exit(1); });
