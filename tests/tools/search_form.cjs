// Opens a search page URL on a phone-sized screen (390 × 844), waits for the results and
// prints JSON about how the page reads: {"status", "dir": the page's direction,
// "overflow": page width past the screen in pixels, "controls": [{id, left, right}] of the
// form's fields, "fields": {id: {type, placeholder, dir}} of the date fields, "items":
// [{title, titleIsolated, parts: [isolated texts of the line under the title]}] of the
// results, "errors": [...]}.
// Usage: node search_form.cjs URL
const { chromium } = require('playwright-core');

(async () => {
  const [url] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('response', (r) => { if (r.status() >= 400) errors.push(r.status() + ' ' + r.url()); });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() =>
      ['done', 'hint', 'failed'].includes(document.getElementById('search-status').dataset.state));
    const found = await page.evaluate(() => {
      const rect = (e) => e.getBoundingClientRect();
      const controls = Array.from(document.querySelectorAll('#search-form input, #search-form select'))
        .map((e) => ({ id: e.id, left: Math.round(rect(e).left), right: Math.round(rect(e).right) }));
      const fields = {};
      ['from', 'to', 'day'].forEach((id) => {
        const e = document.getElementById(id);
        fields[id] = { type: e.type, placeholder: e.placeholder, dir: e.dir };
      });
      const items = Array.from(document.querySelectorAll('#search-results li')).map((li) => {
        const a = li.querySelector('a');
        const title = a.querySelector('bdi');
        return {
          title: a.textContent,
          titleIsolated: !!title && title.textContent === a.textContent,
          parts: Array.from(li.querySelectorAll('small > bdi')).map((b) => b.textContent),
        };
      });
      return {
        status: document.getElementById('search-status').textContent,
        dir: document.documentElement.dir,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        controls,
        fields,
        items,
      };
    });
    found.errors = errors;
    console.log(JSON.stringify(found));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
