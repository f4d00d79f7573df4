// Every page type of four archives, in headless Chromium, as a reader at
// 3 a.m. meets them: the example archive, a folder of postmortems without
// front matter (tests/fixtures/archives/plain-template) and a Hugo
// status-page site with its own severities and no headings
// (tests/fixtures/archives/hugo-status), those two built with the
// configuration `hindsight adopt` suggests, and a service owner's small
// archive (tests/fixtures/owners).
//
// Each page is checked in light and dark mode, at 390 and 1280 px (and
// the search panel at 1440): zero axe-core violations, no console errors
// (a CSP violation is one), no sideways scroll on a phone, chart text
// readable, and the page's own promises (summary first, one timeline,
// empty things hidden, ...). The sites are served under a sub-path by a
// small static server; 404.html is also opened from disk.
//
// Run from the repository root:  (cd tests/browser && npm ci && npm test)
// Environment: CHROMIUM (default /usr/bin/chromium), HINDSIGHT_BIN (default:
// `cargo run --quiet --`), SCREENSHOTS=DIR to also write the screenshots of
// docs/screenshots/ into DIR.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'hindsight-site-'));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const failures = [];

function hindsight(args, opts = {}) {
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
  if (process.env.HINDSIGHT_BIN) return execFileSync(process.env.HINDSIGHT_BIN, args, { env, ...opts });
  return execFileSync('cargo', ['run', '--quiet', '--', ...args], { cwd: repo, env, ...opts });
}

// The example archive, and each fixture built as a new user would:
// `hindsight adopt DIR > hindsight.toml`, then `hindsight build`.
function buildSites() {
  const sites = {};
  hindsight(['build', '--root', repo, '--output', join(work, 'example')], { stdio: ['ignore', 'ignore', 'ignore'] });
  sites.example = join(work, 'example');
  for (const name of ['plain-template', 'hugo-status']) {
    const src = join(work, `src-${name}`);
    cpSync(join(repo, 'tests/fixtures/archives', name), src, { recursive: true });
    const toml = hindsight(['adopt', src], { stdio: ['ignore', 'pipe', 'ignore'] });
    writeFileSync(join(src, 'hindsight.toml'), toml);
    hindsight(['build', '--root', src, '--output', join(work, name)], { stdio: ['ignore', 'ignore', 'ignore'] });
    sites[name] = join(work, name);
  }
  // A small archive as a service owner meets it: one service written three
  // ways, action-item tables with overdue items, recurrences, a body with
  // its own "Related Incidents" section (tests/fixtures/owners).
  hindsight(['build', '--root', join(repo, 'tests/fixtures/owners'), '--output', join(work, 'owners')], { stdio: ['ignore', 'ignore', 'ignore'] });
  sites.owners = join(work, 'owners');
  return sites;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
};

// Serves each site under /sub/<name>/, as a static host serving a project
// under a sub-path would; a missing file gets the site's 404.html.
function serve(sites) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const m = /^\/sub\/([^/]+)\/(.*)$/.exec(path);
    const root = m && sites[m[1]];
    if (!root) { res.writeHead(404); res.end(); return; }
    let file = normalize(join(root, m[2] || 'index.html'));
    if (file.endsWith('/')) file = join(file, 'index.html');
    if (!file.startsWith(root) || !existsSync(file) || !/\.[a-z]+$/.test(file)) {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(readFileSync(join(root, '404.html')));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

function check(ok, message) {
  if (!ok) failures.push(message);
  return ok;
}

// The pages of each type in `site`, relative to its root.
function pagesOf(name, dir) {
  const incidents = JSON.parse(readFileSync(join(dir, 'incidents.json'), 'utf8'));
  const pick = (pred) => incidents.find(pred) || incidents[0];
  const rel = (url) => url.replace(/^\/+/, '');
  const pages = {
    index: 'index.html',
    incident: rel(pick((i) => i.related && i.related.length && i.services.length).url),
    timeline: 'timeline/index.html',
    stats: 'stats/index.html',
    actions: 'actions/index.html',
    services: 'services/index.html',
    tags: 'tags/index.html',
    severities: 'severity/index.html',
    graph: 'graph/index.html',
    notfound: '404.html',
  };
  const withService = incidents.find((i) => i.services.length);
  if (withService) {
    const html = readFileSync(join(dir, rel(withService.url)), 'utf8');
    const href = /href="\.\.\/\.\.\/(services\/[^"]+\/index\.html)"/.exec(html);
    if (href) pages.service = href[1];
  }
  pages.severity = 'severity/' + readFileSync(join(dir, 'severity/index.html'), 'utf8')
    .match(/href="([^"/]+)\/index\.html"/)[1] + '/index.html';
  return { pages, incidents };
}

// Polls `fn` in the page until it returns true (waitForFunction's own
// polling evaluates a string, which the pages' CSP refuses).
async function until(page, fn, arg) {
  for (let i = 0; i < 600; i++) {
    if (await page.evaluate(fn, arg)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${fn}`);
}

async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + ((n.any[0] || n.all[0] || {}).message || '')).join(' | ')}`);
  });
}

// Elements wider than the window, on a phone: the page must not scroll
// sideways (code blocks and the body's own wide tables scroll inside
// themselves, which is fine).
async function sideways(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > w + 1) out.push(`page is ${document.documentElement.scrollWidth} px wide`);
    for (const el of document.querySelectorAll('.table-wrap, .chart figure, .graph-figure')) {
      if (el.closest('.body') || el.closest('details:not([open])')) continue;
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className || el.tagName} scrolls sideways (${el.scrollWidth} > ${el.clientWidth})`);
    }
    return out;
  });
}

// Chart text drawn smaller than 9 CSS px (a viewBox scaled down).
async function tinyChartText(page) {
  return page.evaluate(() => {
    const out = [];
    for (const svg of document.querySelectorAll('svg.chart-svg')) {
      const vb = svg.viewBox.baseVal;
      if (!vb || !vb.width || !svg.getBoundingClientRect().width) continue;
      const scale = svg.getBoundingClientRect().width / vb.width;
      for (const t of svg.querySelectorAll('text')) {
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (px < 9) { out.push(`${svg.getAttribute('aria-labelledby')}: "${t.textContent}" at ${px.toFixed(1)} px`); break; }
      }
    }
    return out;
  });
}

async function main() {
  const sites = buildSites();
  const server = await serve(sites);
  const base = `http://127.0.0.1:${server.address().port}/sub`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const shots = process.env.SCREENSHOTS;
  try {
    for (const [name, dir] of Object.entries(sites)) {
      const { pages, incidents } = pagesOf(name, dir);
      for (const scheme of ['light', 'dark']) {
        for (const width of [390, 1280]) {
          const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
          const page = await context.newPage();
          let errors = [];
          page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
          page.on('pageerror', (e) => errors.push(String(e)));
          for (const [type, rel] of Object.entries(pages)) {
            const where = `${name} ${type} ${scheme} ${width}px`;
            errors = [];
            await page.goto(`${base}/${name}/${rel}`);
            await page.waitForLoadState('load');
            check(!errors.length, `${where}: console errors: ${errors.join(' | ')}`);
            const violations = await axe(page);
            check(!violations.length, `${where}: axe: ${violations.join(' || ')}`);
            if (width === 390) {
              const wide = await sideways(page);
              check(!wide.length, `${where}: ${wide.join('; ')}`);
            }
            const tiny = await tinyChartText(page);
            check(!tiny.length, `${where}: chart text too small: ${tiny.join('; ')}`);
            check(!(await page.$('[style]')), `${where}: an element carries a style attribute (the CSP blocks it)`);
            if (shots) {
              mkdirSync(shots, { recursive: true });
              await page.screenshot({ path: join(shots, `${name}-${type}-${width}-${scheme}.png`), fullPage: false });
            }
          }
          await pageChecks(page, name, pages, incidents, `${base}/${name}`, `${scheme} ${width}px`, width);
          await context.close();
        }
      }
    }
    await ownerPages(browser, `${base}/owners`);
    await searchPanel(browser, `${base}/example`);
    await finding(browser, `${base}/example`);
    await notFound(browser, base, sites);
    await withoutScript(browser, base, sites);
  } finally {
    await browser.close();
    server.close();
  }
  if (failures.length) {
    console.error(`${failures.length} problem(s):\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  rmSync(work, { recursive: true, force: true });
  console.log('site test passed');
}

// What each page type promises, beyond the checks every page gets.
async function pageChecks(page, name, pages, incidents, site, mode, width) {
  const where = (type) => `${name} ${type} ${mode}`;
  // A body without `##` headings uses the full text width, not the table
  // of contents' column.
  await page.goto(`${site}/${pages.incident}`);
  const widths = await page.evaluate(() => {
    const body = document.querySelector('.incident .body');
    const main = document.querySelector('main');
    return { body: body.getBoundingClientRect().width, main: main.getBoundingClientRect().width, toc: !!document.querySelector('.toc') };
  });
  if (!widths.toc) check(widths.body >= widths.main * 0.9, `${where('incident')}: body ${widths.body} px of ${widths.main} px without a table of contents`);
  // Summary first, one timeline, each date once.
  const order = await page.evaluate(() => {
    const timelines = document.querySelectorAll('.incident-timeline');
    const summary = [...document.querySelectorAll('.body h2')].find((h) => /summary/i.test(h.textContent));
    const t = timelines[0];
    const times = t ? [...t.querySelectorAll('.vt-time')].map((e) => e.textContent.trim()) : [];
    const dated = times.filter((x) => /^\d{4}-\d{2}-\d{2}/.test(x)).map((x) => x.slice(0, 10));
    return {
      count: timelines.length,
      summaryFirst: !summary || !t || summary.getBoundingClientRect().top < t.getBoundingClientRect().top,
      repeatedDates: dated.length !== new Set(dated).size,
    };
  });
  check(order.count <= 1, `${where('incident')}: ${order.count} timelines`);
  check(order.summaryFirst, `${where('incident')}: the timeline comes before the summary`);
  check(!order.repeatedDates, `${where('incident')}: the timeline repeats a date`);
  // The index draws no column without values, and no "unrated" on every row.
  await page.goto(`${site}/index.html`);
  const empty = await page.evaluate(() => {
    const out = [];
    for (const c of ['c-svc', 'c-dur', 'c-sev']) {
      const cells = [...document.querySelectorAll(`table.incidents td.${c}`)].filter((td) => td.offsetParent !== null);
      if (cells.length && cells.every((td) => !td.textContent.trim() || td.textContent.trim() === 'unrated')) out.push(c);
    }
    return out;
  });
  check(!empty.length, `${where('index')}: columns drawn without values: ${empty.join(', ')}`);
}

// Action items on an incident page: a status badge each, the overdue one
// marked, due dates on one line; a service page opens with its owner's
// summary above the incidents. At a phone's width and a desktop's.
async function ownerPages(browser, site) {
  for (const width of [390, 1280]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${site}/incidents/2023-03-01-cache-proxy-disk-full/index.html`);
    const marks = await page.evaluate(() => ({
      badges: [...document.querySelectorAll('.body table .status')].filter((e) => e.offsetParent).length,
      overdue: [...document.querySelectorAll('.body table .overdue-badge')].filter((e) => e.offsetParent).length,
      wrapped: [...document.querySelectorAll('.body table .nowrap, .body .overdue-badge')].filter((e) => e.getClientRects().length !== 1).map((e) => e.textContent),
    }));
    check(marks.badges === 2, `owners incident at ${width}px: ${marks.badges} status badges`);
    check(marks.overdue === 1, `owners incident at ${width}px: ${marks.overdue} overdue marks`);
    check(!marks.wrapped.length, `owners incident at ${width}px: wrapped mid-date: ${marks.wrapped.join(', ')}`);
    await page.goto(`${site}/services/artifact-caching-proxy/index.html`);
    const owner = await page.evaluate(() => {
      const summary = document.querySelector('.owner');
      const list = document.querySelector('table.incidents');
      const charts = [...document.querySelectorAll('.owner-chart svg.chart-svg')].filter((e) => e.getBoundingClientRect().width > 0);
      return {
        above: !!summary && !!list && summary.getBoundingClientRect().top < list.getBoundingClientRect().top,
        charts: charts.length,
        lists: ['.owner-actions li', '.owner-recurrences li', '.owner-together li'].map((q) => document.querySelectorAll(q).length),
      };
    });
    check(owner.above, `owners service page at ${width}px: the summary is not above the incidents`);
    check(owner.charts === 2, `owners service page at ${width}px: ${owner.charts} charts shown`);
    check(owner.lists.every((n) => n > 0), `owners service page at ${width}px: empty owner lists ${owner.lists}`);
    await context.close();
  }
}

// The header search panel opens inside the window at every width.
async function searchPanel(browser, site) {
  for (const width of [390, 1280, 1366, 1440]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    for (const rel of ['index.html', 'stats/index.html']) {
      await page.goto(`${site}/${rel}`);
      await page.getByRole('searchbox', { name: 'Search incidents' }).fill('connection');
      await page.locator('#site-search-results a').first().waitFor();
      const box = await page.locator('#site-search-results').boundingBox();
      check(box.x >= 0 && box.x + box.width <= width, `search panel at ${width}px on ${rel}: ${Math.round(box.x)}..${Math.round(box.x + box.width)}`);
    }
    await context.close();
  }
}

// One search box, typo tolerance, the "/" shortcut, severity words.
async function finding(browser, site) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${site}/index.html`);
  await page.waitForSelector('#filters:not([hidden])');
  check((await page.locator('main input[type=search]:not(#service-find), main input[type=text]').count()) === 0, 'the index has a second text box besides the header search');
  await page.locator('body').press('/');
  check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'site-search-q'), '"/" does not focus the search box');
  const first = async (query) => {
    await page.fill('#site-search-q', query);
    const hit = page.locator('#site-search-results a').first();
    await hit.waitFor();
    return { title: (await hit.locator('.hit-title').textContent()).trim(), sev: (await hit.locator('.sev').textContent()).trim() };
  };
  const typo = await first('conection pool');
  check(/connection/i.test(typo.title), `"conection pool" finds ${typo.title}`);
  const p1 = await first('P1 checkout');
  check(p1.sev === 'P1', `"P1 checkout" ranks a ${p1.sev} first (${p1.title})`);
  // The header box filters the index's rows too.
  await page.fill('#site-search-q', 'ledger');
  await until(page, () => /match/.test(document.getElementById('filter-status').textContent));
  await context.close();
}

// 404.html is styled and its links work under a sub-path, for a missing
// page served by the host at any depth, and opened from disk.
async function notFound(browser, base, sites) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  let errors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !/404 \(Not Found\)/.test(m.text())) errors.push(m.text()); });
  const home = `${base}/example/index.html`;
  for (const url of [
    `${base}/example/404.html`,
    `${base}/example/no-such-page`,
    `${base}/example/incidents/no-such-incident/`,
    `${base}/example/a/b/c/missing`,
    `${base}/example/services/x/y/z/w.html`,
    pathToFileURL(join(sites.example, '404.html')).href,
  ]) {
    errors = [];
    await page.goto(url);
    const styled = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).borderBottomStyle === 'solid');
    check(styled, `404 page unstyled at ${url}`);
    check(!errors.length, `404 page at ${url}: ${errors.join(' | ')}`);
    if (url.startsWith('file:')) continue;
    // The links lead to the site's own pages from any depth, and the
    // header search is there.
    await page.waitForFunction((h) => document.querySelector('main a').href === h, home, { timeout: 15000 }).catch(() => {});
    const link = await page.evaluate(() => document.querySelector('main a').href);
    check(link === home, `404 page at ${url} links home to ${link}`);
    const nav = await page.evaluate(() => document.querySelector('.site-header nav a[href*="stats"]').href);
    check(nav === `${base}/example/stats/index.html`, `404 page at ${url} links the stats page as ${nav}`);
    await page.waitForSelector('#site-search:not([hidden])', { timeout: 15000 }).catch(() => {});
    check(await page.isVisible('#site-search-q'), `404 page at ${url}: no search box`);
  }
  await context.close();
}

// Without JavaScript every page still shows its list and fits a phone.
async function withoutScript(browser, base, sites) {
  const context = await browser.newContext({ viewport: { width: 390, height: 900 }, javaScriptEnabled: false });
  const page = await context.newPage();
  for (const name of Object.keys(sites)) {
    const { pages } = pagesOf(name, sites[name]);
    for (const [type, rel] of Object.entries(pages)) {
      await page.goto(`${base}/${name}/${rel}`);
      const wide = await sideways(page);
      check(!wide.length, `${name} ${type} without JavaScript at 390px: ${wide.join('; ')}`);
    }
    await page.goto(`${base}/${name}/index.html`);
    const rows = await page.locator('table.incidents tbody tr').count();
    check(rows > 0, `${name} index without JavaScript lists no incident`);
  }
  await context.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
