// A list longer than a page, in headless Chromium from disk (file://): the
// index shows the first hundred incidents with links to the next pages;
// filters and sorting reach all of them through the list data (list/),
// and agree with incidents.json; "Show more" adds the next hundred; the
// header box filters by the search's matches; the actions page's filters
// reach the items of every page through its data (actions/data/) and agree
// with actions.json. Any script error or CSP violation fails the test.
//
// Run from tests/browser: node paging.test.mjs
// Environment: CHROMIUM (default /usr/bin/chromium), HINDSIGHT_BIN.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'hindsight-paging-'));
const src = join(work, 'src');
const site = join(work, 'site');

// 250 incidents, one a day from 2020-01-01: severity P1..P3 in turn,
// services svc-0..svc-3, tags t0 and t1.
mkdirSync(join(src, 'content'), { recursive: true });
for (let i = 0; i < 250; i++) {
  const day = new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10);
  writeFileSync(join(src, 'content', `${day}-n${i}.md`),
    `---\ntitle: Incident number ${i}\ndate: ${day}\nseverity: P${i % 3 + 1}\nservices: [svc-${i % 4}]\ntags: [t${i % 2}]\nduration_minutes: ${i}\n---\n\n## Summary\n\nThing ${i} broke${i === 77 ? ' with a flux capacitor' : ''}.\n\n## Action items\n\n| Action | Owner | Priority | Status |\n|---|---|---|---|\n| Fix thing ${i} | ${i % 5 === 0 ? 'dba' : 'sre'} | P${i % 2 + 1} | open |\n| Check thing ${i} | sre | P2 | done |\n`);
}
const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
const args = ['build', '--root', src, '--output', site];
if (process.env.HINDSIGHT_BIN) execFileSync(process.env.HINDSIGHT_BIN, args, { env, stdio: 'ignore' });
else execFileSync('cargo', ['run', '--quiet', '--', ...args], { cwd: repo, env, stdio: 'ignore' });
const incidents = JSON.parse(readFileSync(join(site, 'incidents.json'), 'utf8'));
const actions = JSON.parse(readFileSync(join(site, 'actions.json'), 'utf8')).items;

const titles = (page) => page.$$eval('table.incidents tbody tr .incident-link', (as) => as.map((a) => a.textContent.trim()));
// Polls `fn` in the page until it returns true (waitForFunction's own
// polling evaluates a string, which the pages' CSP refuses).
async function until(page, fn, arg) {
  for (let i = 0; i < 600; i++) {
    if (await page.evaluate(fn, arg)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${fn}`);
}
async function settled(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  await page.waitForSelector('table.incidents:not([data-loading])');
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const problems = [];
try {
  const page = await browser.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  page.on('pageerror', (err) => problems.push(String(err)));
  const index = pathToFileURL(join(site, 'index.html')).href;
  await page.goto(index);
  await page.waitForSelector('#filters:not([hidden])');
  const first = await titles(page);
  assert.equal(first.length, 100, 'the first page');
  assert.equal(first[0], 'Incident number 249');
  assert.ok(await page.isVisible('nav.pager'), 'links to the next pages');

  // P1: 84 incidents from all three pages, as incidents.json has them.
  await page.getByRole('checkbox', { name: /^P1\b/ }).check();
  await settled(page);
  const p1 = incidents.filter((i) => i.severity === 'P1').map((i) => i.title);
  assert.equal(p1.length, 84);
  assert.deepEqual(await titles(page), p1, 'P1 across every page, newest first');
  assert.ok(!(await page.isVisible('nav.pager')), 'no pager under a filtered list');
  assert.match(await page.textContent('#filter-status'), /^84 of 250 incidents match/);
  // The counts beside the other filters follow (svc-0 within P1).
  await until(page, () => document.querySelector('[data-count-for="service"][data-value="svc-0"]').textContent === '21');

  // Oldest first over everything, then "Show more".
  await page.goto(`${index}?sort=oldest`);
  await settled(page);
  let rows = await titles(page);
  assert.equal(rows.length, 100);
  assert.equal(rows[0], 'Incident number 0');
  await page.click('#show-more');
  await until(page, () => document.querySelectorAll('table.incidents tbody tr').length === 200);
  rows = await titles(page);
  assert.equal(rows[199], 'Incident number 199');

  // Longest first reads the duration column.
  await page.goto(`${index}?sort=duration&tag=t0`);
  await settled(page);
  rows = await titles(page);
  assert.equal(rows[0], 'Incident number 248');
  assert.match(await page.textContent('#filter-status'), /^125 of 250 incidents match, showing the first 100/);

  // The header box filters by what the search finds.
  await page.goto(index);
  await page.waitForSelector('#filters:not([hidden])');
  await page.fill('#site-search-q', 'flux capacitor');
  await until(page, () => /^1 of 250 incidents match/.test(document.getElementById('filter-status').textContent));
  assert.deepEqual(await titles(page), ['Incident number 77']);

  // Without a filter, the built page comes back with its pager.
  await page.goto(`${index}?severity=P2`);
  await settled(page);
  await page.getByRole('checkbox', { name: /^P2\b/ }).uncheck();
  await settled(page);
  assert.deepEqual(await titles(page), first);
  assert.ok(await page.isVisible('nav.pager'));

  // The actions page: 500 items on three pages; a filter reaches them all.
  const actionsUrl = pathToFileURL(join(site, 'actions', 'index.html')).href;
  const actionTexts = (p) => p.$$eval('table.actions tbody tr td:first-child', (tds) => tds.map((td) => td.textContent.trim()));
  await page.goto(actionsUrl);
  await page.waitForSelector('form[data-facets]:not([hidden])');
  assert.equal((await actionTexts(page)).length, 200, 'the first page of actions');
  await page.selectOption('select[name="owner"]', 'dba');
  const dba = actions.filter((a) => a.owner === 'dba').map((a) => a.action);
  assert.equal(dba.length, 50);
  await until(page, (n) => document.querySelectorAll('table.actions tbody tr').length === n, dba.length);
  assert.deepEqual(await actionTexts(page), dba, "dba's items from every page, in the page order");
  assert.ok(!(await page.isVisible('nav.pager')), 'no pager under a filtered list');
  assert.match(await page.textContent('[data-facet-count]'), /^50 of 500 match$/);
  // Open P2 items: more than a page, so "Show more" adds the rest.
  await page.goto(`${actionsUrl}?status=open&priority=P2`);
  const openP2 = actions.filter((a) => !a.done && a.priority === 'P2').map((a) => a.action);
  assert.equal(openP2.length, 125);
  await until(page, (n) => document.querySelectorAll('table.actions tbody tr').length === n, openP2.length);
  assert.deepEqual(await actionTexts(page), openP2);
  await page.goto(`${actionsUrl}?priority=P2`);
  const p2 = actions.filter((a) => a.priority === 'P2').map((a) => a.action);
  assert.equal(p2.length, 375);
  await until(page, () => document.querySelectorAll('table.actions tbody tr').length === 200);
  assert.match(await page.textContent('[data-facet-count]'), /^375 of 500 match, the first 200 shown$/);
  await page.click('[data-facet-more] button');
  await until(page, (n) => document.querySelectorAll('table.actions tbody tr').length === n, p2.length);
  assert.deepEqual(await actionTexts(page), p2);
  assert.ok(!(await page.isVisible('[data-facet-more]')), 'nothing more to show');
  // Cleared, the built page and its pager come back.
  await page.click('button[type="reset"]');
  await until(page, () => document.querySelectorAll('table.actions tbody tr').length === 200);
  assert.ok(await page.isVisible('nav.pager'));

  // A later page from disk: its rows and links, no filters.
  await page.goto(pathToFileURL(join(site, 'page-3.html')).href);
  rows = await titles(page);
  assert.equal(rows.length, 50);
  assert.equal(rows[49], 'Incident number 0');
} finally {
  await browser.close();
}
assert.deepEqual(problems, [], 'no script errors or CSP violations');
rmSync(work, { recursive: true, force: true });
console.log('paging test passed');
