// Opens the five pages of pages.cjs of a built archive served at BASE_URL, in the light and
// the dark colour scheme, in one headless Chromium, and prints one JSON object:
//   {"pages": [{"name", "url", "scheme", "status", "lang", "dir", "direction", "errors",
//     "external", "failed", "violations", "incomplete"}, ...]}
// errors: console errors and uncaught exceptions; external: requests to any host other than
// localhost (aborted); failed: localhost requests that failed or answered 400 or more;
// violations: axe-core violations of every impact (the caller judges), each with its nodes;
// incomplete: axe's "needs review" results for colour contrast (contrast axe could not
// compute, e.g. text over an image).
// Further pages can be added as NAME=PATH (PATH relative to BASE_URL).
// Usage: node browser.cjs BASE_URL OUT_DIR [NAME=PATH...]
const path = require('path');
const { chromium } = require('playwright-core');
const { pickPages, BROWSER_ARGS } = require('./pages.cjs');

const AXE = path.join(__dirname, 'node_modules', 'axe-core', 'axe.min.js');

function nodes(result) {
  return result.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary }));
}

async function check(context, base, page, scheme) {
  const url = new URL(page.url, base).href;
  const tab = await context.newPage();
  const result = { name: page.name, url, scheme, errors: [], external: [], failed: [] };
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
    Object.assign(result, await tab.evaluate(() => ({
      lang: document.documentElement.getAttribute('lang'),
      dir: document.documentElement.getAttribute('dir'),
      direction: getComputedStyle(document.documentElement).direction,
      background: getComputedStyle(document.body).backgroundColor,
      color: getComputedStyle(document.body).color,
    })));
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
  const pages = pickPages(outDir).concat(extra.map((arg) => {
    const [name, url] = arg.split('=');
    return { name, url };
  }));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
  let results;
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // The two schemes side by side, in two tabs of the one browser.
    const schemes = await Promise.all(['light', 'dark'].map(async (scheme) => {
      const done = [];
      for (const page of pages) done.push(await check(context, base, page, scheme));
      return done;
    }));
    results = schemes.flat();
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ pages: results }));
})().catch((e) => { console.error(e); process.exit(1); });
