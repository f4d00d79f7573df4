// The header search finds the same incidents, in the same order, with the
// same snippets, as the pinned list in search-expected.json, for queries
// that exercise every path of the search: words, phrases, a word being
// typed (prefix), typos, severity words, CJK, other scripts, nothing found.
// search.js runs under Node (search-harness.mjs) against the example
// archive as built by the current hindsight.
//
// Run from tests/browser: node search.test.mjs   (UPDATE=1 rewrites the
// pinned list; only do so when a change of results is intended.)

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { runQueries } from './search-harness.mjs';

export const QUERIES = [
  'connection pool', 'connection', 'conection', 'conect', 'pool', 'po', 'datab', 'database',
  'P1', 'p0', 'p1 ledger', 'P2 checkout', 'ledger', 'certificate expiry', 'certifcate',
  'dns timeout', 'kafka lag', 'cache stampede', '缓存雪崩', '缓存', '雪', '数据库', 'タイムアウト',
  'black friday', 'friday', 'checkout-web', 'auth gateway', 'roster', 'token mismatch',
  'the', 'and the', 'zzzzqx', 'incident', 'payment svc pool', 'resolver', 'resolv',
  'queue backlog', 'disk full', 'clock skew', 'stale images', 'reindex', 'edge cert',
];

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const work = mkdtempSync(join(tmpdir(), 'hindsight-search-'));
const site = join(work, 'example');
const env = { ...process.env, SOURCE_DATE_EPOCH: '1700000000' };
const args = ['build', '--root', repo, '--output', site];
if (process.env.HINDSIGHT_BIN) execFileSync(process.env.HINDSIGHT_BIN, args, { env, stdio: 'ignore' });
else execFileSync('cargo', ['run', '--quiet', '--', ...args], { cwd: repo, env, stdio: 'ignore' });

const got = await runQueries(site, QUERIES);
rmSync(work, { recursive: true, force: true });
const pinned = join(here, 'search-expected.json');
if (process.env.UPDATE) {
  writeFileSync(pinned, JSON.stringify(got, null, 1) + '\n');
  console.log(`wrote ${pinned}`);
} else {
  const expected = JSON.parse(readFileSync(pinned, 'utf8'));
  assert.equal(got.length, expected.length, 'one answer per query');
  for (let i = 0; i < expected.length; i++) assert.deepEqual(got[i], expected[i], `query "${expected[i].query}"`);
  assert.ok(got.some((r) => r.hits.length >= 5), 'some query finds several incidents');
  assert.ok(got.some((r) => r.status === 'No incident matches.'), 'some query finds nothing');
  console.log(`search: ${got.length} queries give the pinned results`);
}
