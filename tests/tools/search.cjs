// Opens the search page, types a query, picks a place, submits, and prints the result links
// as JSON: {"results": [...], "status": "...", "external": [...], "errors": [...], "bytes": total
// bytes received, "queryBytes": bytes received after submitting}.
// Usage: node search.cjs URL QUERY PLACE_SLUG
const { chromium } = require('playwright-core');

(async () => {
  const [url, query, place] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const external = [];
  const errors = [];
  let bytes = 0, queryBytes = 0, submitted = false;
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', async (r) => {
      const body = await r.body().catch(() => Buffer.alloc(0));
      bytes += body.length;
      if (submitted) queryBytes += body.length;
    });
    await page.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      if (host !== '127.0.0.1' && host !== 'localhost') {
        external.push(route.request().url());
        return route.abort();
      }
      return route.continue();
    });
    await page.goto(url, { waitUntil: 'load' });
    // The filters are filled from the index once it has loaded.
    await page.waitForFunction(() => document.querySelectorAll('#place option').length > 1);
    await page.fill('#q', query);
    if (place) await page.selectOption('#place', place);
    submitted = true;
    await page.click('#search-form button[type=submit]');
    await page.waitForFunction(() => document.getElementById('search-status').dataset.state === 'done');
    const results = await page.$$eval('#search-results a', (as) => as.map((a) => a.getAttribute('href')));
    const status = await page.textContent('#search-status');
    console.log(JSON.stringify({ results, status, external, errors, location: page.url(), bytes, queryBytes }));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
