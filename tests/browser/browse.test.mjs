// Browser test of the built example archive, in headless Chromium, opened
// from disk (file://) exactly as a reader would open public/index.html.
//
// It builds the example archive into a temp folder with the hindsight binary,
// then: applies a severity and a service filter, and the recurrence filter, checks the visible rows
// against incidents.json and the URL query, reloads that URL and sees the
// same rows, goes back in history, searches a phrase (and a CJK phrase),
// and opens the first hit. Any script error or CSP violation fails the test.
//
// Run from the repository root:  (cd tests/browser && npm ci && npm test)
// Environment: CHROMIUM (default /usr/bin/chromium), HINDSIGHT_BIN (default:
// `cargo run --quiet --`).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'hindsight-browser-'));
const site = join(work, 'site');

function build() {
  const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
  if (process.env.HINDSIGHT_BIN) {
    execFileSync(process.env.HINDSIGHT_BIN, ['build', '--root', repo, '--output', site], { env, stdio: 'inherit' });
  } else {
    execFileSync('cargo', ['run', '--quiet', '--', 'build', '--root', repo, '--output', site], { cwd: repo, env, stdio: 'inherit' });
  }
}

// A change of the filters updates the URL at once and re-renders the rows
// once the list data it needs has loaded (the table is marked
// data-loading until then): wait for that before reading them.
async function afterRender(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => done())));
  await page.waitForSelector('table.incidents:not([data-loading])');
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

async function visibleTitles(page) {
  return page.$$eval('table.incidents tbody tr .incident-link', (as) => as.map((a) => a.textContent.trim()));
}

async function main() {
  build();
  const incidents = JSON.parse(readFileSync(join(site, 'incidents.json'), 'utf8'));
  const index = pathToFileURL(join(site, 'index.html')).href;

  const context = await chromium.launchPersistentContext(join(work, 'profile'), {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const problems = [];
  context.on('console', (msg) => { if (msg.type() === 'error') problems.push(msg.text()); });
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (err) => problems.push(String(err)));

  try {
    await page.goto(index);
    await page.waitForSelector('#filters:not([hidden])');
    assert.equal((await visibleTitles(page)).length, incidents.length, 'all incidents listed first');

    // Severity P1, then service payment-svc.
    await page.getByRole('checkbox', { name: /^P1\b/ }).check();
    await page.waitForURL(/\?severity=P1$/);
    await afterRender(page);
    const p1 = incidents.filter((i) => i.severity === 'P1').map((i) => i.title);
    assert.ok(p1.length > 1, 'the example archive has several P1 incidents');
    assert.deepEqual(await visibleTitles(page), p1, 'severity filter shows the P1 incidents, newest first');

    await page.getByRole('checkbox', { name: /^payment-svc\b/ }).check();
    await page.waitForURL(/\?severity=P1&service=payment-svc$/);
    await afterRender(page);
    const both = incidents
      .filter((i) => i.severity === 'P1' && i.services.includes('payment-svc'))
      .map((i) => i.title);
    assert.ok(both.length >= 1 && both.length < p1.length, 'the service filter narrows the list');
    const rows = await visibleTitles(page);
    assert.deepEqual(rows, both, 'severity AND service');
    assert.match(await page.textContent('#filter-status'), new RegExp(`^${both.length} of ${incidents.length} incidents match`));
    const filteredUrl = page.url();
    assert.ok(filteredUrl.endsWith('index.html?severity=P1&service=payment-svc'), filteredUrl);

    // The URL alone restores the view.
    await page.goto('about:blank');
    await page.goto(filteredUrl);
    await page.waitForSelector('#filters:not([hidden])');
    await until(page, (n) => document.querySelectorAll('table.incidents tbody tr').length === n, rows.length);
    assert.deepEqual(await visibleTitles(page), rows, 'reloading the URL shows the same rows');
    assert.ok(await page.getByRole('checkbox', { name: /^payment-svc\b/ }).isChecked());

    // Back to the severity-only view, through history.
    await page.goto(filteredUrl);
    await page.getByRole('checkbox', { name: /^payment-svc\b/ }).uncheck();
    await page.waitForURL(/\?severity=P1$/);
    await page.goBack();
    await page.waitForURL(/service=payment-svc$/);
    await until(page, (n) => document.querySelectorAll('table.incidents tbody tr').length === n, both.length);
    await afterRender(page);
    assert.deepEqual(await visibleTitles(page), rows, 'the back button restores the filtered view');

    // Sorting by severity puts the most severe first.
    await page.goto(index);
    await page.selectOption('select[name="sort"]', 'severity');
    await page.waitForURL(/\?sort=severity$/);
    await afterRender(page);
    const firstSeverity = await page.$eval('table.incidents tbody tr .c-sev', (td) => td.textContent.trim());
    assert.equal(firstSeverity, 'P0');

    // Recurring failures only: the incidents that recur an earlier one or
    // that a later one recurs, by incidents.json's recurrence_of.
    await page.goto(index);
    await page.selectOption('select[name="recurring"]', 'yes');
    await page.waitForURL(/\?recurring=yes$/);
    await afterRender(page);
    const recurring = new Set();
    incidents.forEach((i) => { if (i.recurrence_of) { recurring.add(i.id); recurring.add(i.recurrence_of); } });
    assert.ok(recurring.size > 1 && recurring.size < incidents.length, 'the example archive has recurring failures');
    const recurringTitles = incidents.filter((i) => recurring.has(i.id)).map((i) => i.title);
    assert.deepEqual(await visibleTitles(page), recurringTitles, 'the recurrence filter shows the recurring failures');

    // Full-text search: a phrase, then CJK text; open the first hit.
    await search(page, 'CJK', '缓存雪崩', (t) => t.includes('缓存雪崩'));
    await search(page, 'phrase', 'connection pool', (t) => /connection pool/i.test(t), true);
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, [], 'no script errors or CSP violations');
  rmSync(work, { recursive: true, force: true });
  console.log('browser test passed');
}

async function search(page, what, query, titleOk, open = false) {
  await page.goto(pathToFileURL(join(site, 'services/index.html')).href);
  const box = page.getByRole('searchbox', { name: 'Search incidents' });
  await box.fill(query);
  const first = page.locator('#site-search-results a').first();
  await first.waitFor();
  const title = (await first.locator('.hit-title').textContent()).trim();
  assert.ok(titleOk(title), `${what} search: first hit is ${title}`);
  assert.ok((await first.locator('mark').count()) > 0, `${what} search highlights the match`);
  if (open) {
    await first.click();
    await page.waitForURL(/\/incidents\/[^/]+\/index\.html$/);
    assert.equal((await page.textContent('h1')).trim(), title, 'the first hit opens its incident');
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
