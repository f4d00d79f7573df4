#!/usr/bin/env node
// What a reader's browser downloads, gzipped, in headless Chromium: to
// reach a first search result from an incident page, and a first filter
// result on the index. The site is served over HTTP from SITE; each file's
// weight is its gzip -6 size (what a static host sends compressed).
//
//   node scripts/browser-weight.mjs SITE [QUERY ...]
//
// Needs playwright-core (tests/browser: npm ci) and Chromium
// (CHROMIUM, default /usr/bin/chromium). Not a test: it prints figures.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../tests/browser/package.json'));
const { chromium } = require('playwright-core');

const [siteArg, ...queryArgs] = process.argv.slice(2);
if (!siteArg) {
  console.error('usage: node scripts/browser-weight.mjs SITE [QUERY ...]');
  process.exit(2);
}
const site = resolve(siteArg);
const queries = queryArgs.length ? queryArgs : ['connection pool', 'timeout', 'conection'];

const served = [];
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = normalize(join(site, path));
  if (file.endsWith('/')) file = join(file, 'index.html');
  try {
    const body = readFileSync(file);
    served.push({ path, raw: body.length, gz: gzipSync(body, { level: 6 }).length });
    res.writeHead(200);
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

function total(list) {
  return list.reduce((a, f) => ({ raw: a.raw + f.raw, gz: a.gz + f.gz, n: a.n + 1 }), { raw: 0, gz: 0, n: 0 });
}
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
function report(what, list) {
  const t = total(list);
  console.log(`${what}: ${kb(t.gz)} gzipped (${kb(t.raw)} raw) in ${t.n} files`);
  const big = [...list].sort((a, b) => b.gz - a.gz).slice(0, 4);
  console.log('  largest: ' + big.map((f) => `${f.path} ${kb(f.gz)}`).join(', '));
}

// An incident page: the first folder under incidents/.
const incident = readdirSync(join(site, 'incidents')).find((d) => statSync(join(site, 'incidents', d)).isDirectory());
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  for (const q of queries) {
    const page = await browser.newPage();
    served.length = 0;
    await page.goto(`${base}/incidents/${incident}/index.html`, { waitUntil: 'load' });
    const pageFiles = served.length;
    await page.fill('#site-search-q', q);
    await page.waitForSelector('#site-search-results a, #site-search-results li.no-hits', { timeout: 60000 });
    const status = await page.textContent('#site-search-status');
    report(`search "${q}" from an incident page (${status})`, served);
    report('  of which the search itself', served.slice(pageFiles));
    await page.close();
  }

  const page = await browser.newPage();
  served.length = 0;
  await page.goto(`${base}/index.html`, { waitUntil: 'load' });
  await page.waitForSelector('#filters:not([hidden])');
  const pageFiles = served.length;
  report('index page', served);
  const box = page.locator('#filters input[name="severity"]').first();
  const value = await box.getAttribute('value');
  // The moment the filtered rows are in the table: the files asked for
  // before it are what the first result needed; the filter counts' columns
  // are asked for after.
  await page.evaluate(() => {
    const table = document.querySelector('table.incidents');
    window.__shown = null;
    new MutationObserver(() => {
      if (window.__shown === null && !table.hasAttribute('data-loading')) window.__shown = performance.now();
    }).observe(table, { attributes: true, attributeFilter: ['data-loading'] });
  });
  await box.check();
  await page.waitForSelector('table.incidents:not([data-loading])', { timeout: 60000 });
  const rows = await page.locator('table.incidents tbody tr').count();
  const status = await page.textContent('#filter-status');
  await page.waitForTimeout(2000);
  const before = await page.evaluate(() => performance.getEntriesByType('resource')
    .filter((r) => window.__shown === null || r.startTime < window.__shown)
    .map((r) => new URL(r.name).pathname));
  const filterFiles = served.slice(pageFiles);
  report(`first filter result, severity ${value} (${rows} rows; ${status.trim()})`,
    served.slice(0, pageFiles).concat(filterFiles.filter((f) => before.includes(f.path))));
  report('  of which the filter itself', filterFiles.filter((f) => before.includes(f.path)));
  report('  then the counts beside every choice', filterFiles.filter((f) => !before.includes(f.path)));
  await page.close();
} finally {
  await browser.close();
  server.close();
}
