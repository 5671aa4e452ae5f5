// Opens each search page URL as it is (filters in the query, as place and date pages link
// to it), waits for the results and, when the URL asks for CSV (csv=1), for the download
// link; with the fragment #click-csv it clicks the link of an ordinary search and takes the
// file downloaded. Prints one JSON line per URL: {"results": [hrefs shown], "all": [hrefs
// of every result, clicking "More results"], "status": "...", "csv": null | {"bytes": [...],
// "download": file name, "label": link text}, "csvHidden": bool, "rangeBytes": bytes of
// data/reports.csv received, "rangeStatuses": [HTTP statuses], "ranges": [[status,
// Content-Length, Content-Range] of each response of data/reports.csv], "queryBytes": bytes received
// for the search (page, script and style excepted), "external": [...], "errors": [...]}.
// Usage: node search_csv.cjs URL...
const fs = require('fs');
const { chromium } = require('playwright-core');

(async () => {
  const urls = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    for (const url of urls) {
      const external = [];
      const errors = [];
      const rangeStatuses = [];
      const ranges = [];
      let rangeBytes = 0, queryBytes = 0;
      const context = await browser.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('response', async (r) => {
        const body = await r.body().catch(() => Buffer.alloc(0));
        const path = new URL(r.url()).pathname;
        if (path.endsWith('/data/reports.csv')) {
          // As sent (the body as Chromium hands it may have lost a byte order mark).
          const headers = await r.allHeaders();
          rangeBytes += Number(headers['content-length']);
          rangeStatuses.push(r.status());
          ranges.push([r.status(), headers['content-length'], headers['content-range'] || null]);
        }
        if (!/(\/search\/|\.js|\.css)$/.test(path)) queryBytes += body.length;
      });
      await page.route('**/*', (route) => {
        const u = new URL(route.request().url());
        if (u.protocol !== 'blob:' && u.hostname !== '127.0.0.1' && u.hostname !== 'localhost') {
          external.push(u.href);
          return route.abort();
        }
        return route.continue();
      });
      await page.goto(url, { waitUntil: 'load' });
      const settled = () => page.waitForFunction(() =>
        ['done', 'hint', 'failed'].includes(document.getElementById('search-status').dataset.state));
      await settled();
      const results = await page.$$eval('#search-results a', (as) => as.map((a) => a.getAttribute('href')));
      let csv = null;
      const u = new URL(url);
      if (u.searchParams.get('csv') === '1') {
        await page.waitForSelector('#search-csv:not([hidden]) a[href^="blob:"]');
        // The bytes as a download would save them (text() would drop the byte order mark).
        csv = await page.$eval('#search-csv a', async (a) => ({
          bytes: Array.from(new Uint8Array(await (await fetch(a.href)).arrayBuffer())),
          download: a.getAttribute('download'),
          label: a.textContent,
        }));
      } else if (u.hash === '#click-csv') {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#search-csv a')]);
        csv = {
          bytes: Array.from(fs.readFileSync(await download.path())),
          download: download.suggestedFilename(),
          label: await page.textContent('#search-csv a'),
        };
      }
      while (await page.$('#search-more:not([hidden])')) {
        const n = await page.$$eval('#search-results li', (l) => l.length);
        await page.click('#search-more');
        await page.waitForFunction((k) => document.querySelectorAll('#search-results li').length > k, n);
      }
      const all = await page.$$eval('#search-results a', (as) => as.map((a) => a.getAttribute('href')));
      const status = await page.textContent('#search-status');
      const csvHidden = await page.$eval('#search-csv', (p) => p.hidden);
      console.log(JSON.stringify({
        results, all, status, csv, csvHidden, rangeBytes, rangeStatuses, ranges, queryBytes, external, errors,
      }));
      await context.close();
    }
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
