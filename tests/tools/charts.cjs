// Measures the labels of the charts of some pages, as a reader's browser lays them out, at
// 390, 800 and 1280 px wide (a phone, and each of the stylesheet's wider layouts), in the
// light and the dark colour scheme, in one headless Chromium,
// and prints one JSON object:
//   {"pages": [{"name", "url", "width", "scheme", "status", "charts": [{"plot": BOX,
//     "labels": [{"text", "font", "box": BOX}], "first", "last"}]}]}
// BOX is {left, right, top, bottom} in CSS px. A chart's labels are every text of its plot
// that is displayed: the scale's number, the labels under the bars, and any SVG <text>.
// font is the size the reader sees, in CSS px: the computed font size, times the SVG's
// scale for SVG text (an SVG drawn narrower than its viewBox shrinks its text with it).
// The plot's box is the SVG's: labels must stay inside it, side to side. first and last
// are the labels of the chart's first and last bar, from the table of its numbers.
// Usage: node charts.cjs NAME=URL...
const { chromium } = require('playwright-core');
const { BROWSER_ARGS } = require('./pages.cjs');

async function measure(tab) {
  return tab.evaluate(() => {
    const box = (r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
    return [...document.querySelectorAll('figure.chart')].map((figure) => {
      const svg = figure.querySelector('svg');
      const labels = [...figure.querySelectorAll('.plot .peak, ol.ticks span, svg text')]
        .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
        .map((el) => {
          const size = parseFloat(getComputedStyle(el).fontSize);
          const scale = el instanceof SVGElement ? el.getScreenCTM().a : 1;
          return { text: el.textContent, font: size * scale, box: box(el.getBoundingClientRect()) };
        });
      // The labels of the first and the last bar, as the chart's table gives them.
      const rows = [...figure.querySelectorAll('details tbody tr td:first-child')].map((td) => td.textContent);
      return { plot: svg ? box(svg.getBoundingClientRect()) : null, labels, first: rows[0], last: rows[rows.length - 1] };
    });
  });
}

(async () => {
  const pages = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
  const results = [];
  try {
    for (const width of [390, 800, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      for (const scheme of ['light', 'dark']) {
        const tab = await context.newPage();
        await tab.emulateMedia({ colorScheme: scheme });
        for (const arg of pages) {
          const at = arg.indexOf('=');
          const [name, url] = [arg.slice(0, at), arg.slice(at + 1)];
          const response = await tab.goto(url, { waitUntil: 'load' });
          await tab.evaluate(() => document.fonts.ready);
          results.push({
            name, url, width, scheme,
            status: response ? response.status() : null,
            charts: await measure(tab),
          });
        }
        await tab.close();
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ pages: results }));
})().catch((e) => { console.error(e); process.exit(1); });
