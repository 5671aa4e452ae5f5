// Full-page screenshots of the five pages of pages.cjs of a built archive, at 390 px (a phone,
// touch, no zoom) and 1280 px (a desktop) wide, in the light colour scheme:
// DEST/<page>-<width>.png (home-390.png, report-ar-1280.png, ...). The archive must have been
// built with a base URL whose path is BASE_PATH (default /sub/path/); it is served on
// 127.0.0.1 for the run. Requests leaving localhost are aborted; they, script errors and
// pages wider than the window are reported as warnings.
// Options: --pages=home,place (some of the five only), --scheme=dark (the dark colour
// scheme), --prefix=ar- (DEST/<prefix><page>-<width>.png).
// Usage: node screenshots.cjs OUT_DIR DEST [BASE_PATH] [--pages=...] [--scheme=...] [--prefix=...]
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { pickPages, BROWSER_ARGS } = require('./pages.cjs');
const { serve } = require('./serve.cjs');

const VIEWPORTS = [
  { width: 390, height: 844, isMobile: true, hasTouch: true },
  { width: 1280, height: 800, isMobile: false, hasTouch: false },
];

(async () => {
  const args = process.argv.slice(2);
  const option = (name, otherwise) => {
    const given = args.find((a) => a.startsWith(`--${name}=`));
    return given ? given.slice(name.length + 3) : otherwise;
  };
  const [outDir, dest, basePath = '/sub/path/'] = args.filter((a) => !a.startsWith('--'));
  if (!outDir || !dest) throw new Error('usage: node screenshots.cjs OUT_DIR DEST [BASE_PATH] [--pages=...] [--scheme=...] [--prefix=...]');
  const only = option('pages', '').split(',').filter(Boolean);
  const scheme = option('scheme', 'light');
  const prefix = option('prefix', '');
  const pages = pickPages(outDir).filter((p) => !only.length || only.includes(p.name));
  if (only.length && pages.length !== only.length) throw new Error(`no page among ${only.join(', ')}`);
  fs.mkdirSync(dest, { recursive: true });
  const server = await serve(outDir, basePath);
  const base = `http://127.0.0.1:${server.port}${basePath}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: BROWSER_ARGS,
  });
  const problems = [];
  try {
    for (const { width, height, isMobile, hasTouch } of VIEWPORTS) {
      const context = await browser.newContext({
        viewport: { width, height }, deviceScaleFactor: 1, isMobile, hasTouch,
        colorScheme: scheme, reducedMotion: 'reduce',
      });
      await context.route('**/*', (route) => {
        const url = route.request().url();
        const host = new URL(url).hostname;
        if (host !== '127.0.0.1' && host !== 'localhost') {
          problems.push(`request leaving localhost: ${url}`);
          return route.abort();
        }
        return route.continue();
      });
      for (const page of pages) {
        const tab = await context.newPage();
        tab.on('pageerror', (e) => problems.push(`${page.name}: ${e}`));
        const response = await tab.goto(new URL(page.url, base).href, { waitUntil: 'load' });
        if (!response || response.status() !== 200) {
          problems.push(`${page.name}: HTTP ${response && response.status()}`);
        }
        await tab.evaluate(() => document.fonts.ready);
        const wide = await tab.evaluate(() => document.documentElement.scrollWidth);
        if (wide > width) problems.push(`${page.name} at ${width} px: the page is ${wide} px wide (scrolls sideways)`);
        const file = path.join(dest, `${prefix}${page.name}-${width}.png`);
        await tab.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
        console.log(`${file} (${page.url || 'home'}, ${fs.statSync(file).size} bytes)`);
        await tab.close();
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  for (const p of problems) console.error(`warning: ${p}`);
})().catch((e) => { console.error(e); process.exit(1); });
