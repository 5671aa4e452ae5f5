// Opens a search page URL as it is (filters in the query, as place and date pages link to
// it), waits for the results and, when the URL asks for CSV, for the download link, and
// prints JSON: {"results": [hrefs], "status": "...", "csv": null | {"bytes": [...], "download":
// file name, "label": link text}, "csvHidden": bool, "external": [...], "errors": [...]}.
// Usage: node search_csv.cjs URL
const { chromium } = require('playwright-core');

(async () => {
  const [url] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const external = [];
  const errors = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.route('**/*', (route) => {
      const u = new URL(route.request().url());
      if (u.protocol !== 'blob:' && u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') {
        external.push(u.href);
        return route.abort();
      }
      return route.continue();
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => /found/.test(document.getElementById('search-status').textContent));
    let csv = null;
    if (new URL(url).searchParams.get('csv') === '1') {
      await page.waitForSelector('#search-csv:not([hidden]) a[href^="blob:"]');
      // The bytes as a download would save them (text() would drop the byte order mark).
      csv = await page.$eval('#search-csv a', async (a) => ({
        bytes: Array.from(new Uint8Array(await (await fetch(a.href)).arrayBuffer())),
        download: a.getAttribute('download'),
        label: a.textContent,
      }));
    }
    const results = await page.$$eval('#search-results a', (as) => as.map((a) => a.getAttribute('href')));
    const status = await page.textContent('#search-status');
    const csvHidden = await page.$eval('#search-csv', (p) => p.hidden);
    console.log(JSON.stringify({ results, status, csv, csvHidden, external, errors }));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
