// Measures a built site in headless Chromium: the bytes the index page and
// the search index weigh, how long the filters take per change, and how long
// a search takes. Not a test (timings vary); run it by hand on a large
// archive:  node measure.mjs /path/to/public
import { readFileSync, statSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const site = process.argv[2];
if (!site) {
  console.error('usage: node measure.mjs SITE_DIR');
  process.exit(2);
}

function size(rel) {
  const bytes = readFileSync(join(site, rel));
  return { raw: statSync(join(site, rel)).size, gzip: gzipSync(bytes).length };
}
const page = ['index.html', 'static/style.css', 'static/severity.css', 'static/highlight.css',
  'static/filters.js', 'static/search.js'].map(size);
const sum = (k) => page.reduce((n, s) => n + s[k], 0);
console.log(`index page with scripts and styles: ${sum('raw')} bytes (${sum('gzip')} gzipped)`);
const index = size('search/index.js');
console.log(`search/index.js (the manifest; files per query: scripts/browser-weight.mjs): ${index.raw} bytes (${index.gzip} gzipped)`);

const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'hindsight-measure-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const tab = context.pages()[0] || (await context.newPage());
const t0 = Date.now();
await tab.goto(pathToFileURL(join(site, 'index.html')).href);
await tab.waitForSelector('#filters:not([hidden])');
console.log(`index loaded and filters ready: ${Date.now() - t0} ms`);

// Time from a change to the table being updated (the next animation frame).
const perChange = await tab.evaluate(async () => {
  const q = document.getElementById('site-search-q');
  const times = [];
  for (const text of ['p', 'po', 'poo', 'pool', 'pool ', 'pool e', 'pool ex', '']) {
    const start = performance.now();
    q.value = text;
    q.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    times.push(Math.round(performance.now() - start));
  }
  const rows = document.querySelectorAll('table.incidents tbody tr').length;
  return { times, rows };
});
console.log(`filter per keystroke (ms): ${perChange.times.join(', ')}; rows in the table: ${perChange.rows}`);

const searchTimes = await tab.evaluate(async () => {
  const box = document.getElementById('site-search-q');
  box.focus();
  const start = performance.now();
  await new Promise((r) => { const t = setInterval(() => { if (window.hindsightSearch && window.hindsightSearch.index) { clearInterval(t); r(); } }, 5); });
  const load = Math.round(performance.now() - start);
  const times = [];
  for (const text of ['c', 'co', 'con', 'conn', 'connection', 'connection p', 'connection pool']) {
    const s = performance.now();
    box.value = text;
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    times.push(Math.round(performance.now() - s));
  }
  return { load, times, hits: document.getElementById('site-search-status').textContent };
});
console.log(`search manifest load: ${searchTimes.load} ms; per keystroke (ms): ${searchTimes.times.join(', ')}; ${searchTimes.hits}`);
await context.close();
