// Runs the site's search.js under Node against a built site, with just
// enough of a DOM for it: the header's search form, scripts loaded from
// the site's folder when search.js adds them. Returns, per query, what a
// reader sees: the status line and the result links in order.
//
// Used by search.test.mjs (the same incidents as the pinned list) and by
// hand: node search-harness.mjs SITE 'query' ['query' ...]

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';

class Node {
  constructor(tag) {
    this.tagName = tag;
    this.childNodes = [];
    this.attrs = {};
    this.listeners = {};
    this.hidden = false;
    this.className = '';
    this._text = '';
  }
  appendChild(child) { this.childNodes.push(child); if (this.onappend) this.onappend(child); return child; }
  get textContent() { return this._text + this.childNodes.map((c) => c.textContent).join(''); }
  set textContent(v) { this._text = String(v); this.childNodes = []; }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return k in this.attrs ? this.attrs[k] : null; }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  dispatch(type, event = {}) { (this.listeners[type] || []).forEach((fn) => fn({ target: this, preventDefault() {}, ...event })); }
  contains() { return false; }
  querySelectorAll(sel) {
    const out = [];
    const walk = (n) => n.childNodes.forEach((c) => { if (c.tagName && c.tagName.toLowerCase() === sel) out.push(c); walk(c); });
    walk(this);
    return out;
  }
}

// A fresh page of `site` with search.js running in it.
export function openPage(site) {
  const byId = {};
  for (const id of ['site-search', 'site-search-q', 'site-search-results', 'site-search-status']) byId[id] = new Node(id === 'site-search-q' ? 'INPUT' : 'DIV');
  byId['site-search'].attrs['data-root'] = '';
  byId['site-search-q'].value = '';
  byId['site-search-q'].focus = () => {};
  const head = new Node('HEAD');
  const loads = { pending: 0 };
  const document = {
    getElementById: (id) => byId[id] || null,
    createElement: (tag) => new Node(tag.toUpperCase()),
    createTextNode: (text) => ({ textContent: String(text), childNodes: [] }),
    addEventListener() {},
    head,
  };
  const context = vm.createContext({ document, console, Set, Map, Promise, setTimeout, clearTimeout });
  context.window = context;
  context.self = context;
  context.requestAnimationFrame = (fn) => setTimeout(fn, 0);
  context.location = { href: '' };
  // A script search.js adds is read from the site and run in the page;
  // onload or onerror follows on a later turn, as in a browser.
  head.onappend = (el) => {
    if (el.tagName !== 'SCRIPT') return;
    loads.pending++;
    setTimeout(() => {
      loads.pending--;
      let code;
      try {
        code = readFileSync(join(site, decodeURIComponent(el.src)), 'utf8');
      } catch {
        if (el.onerror) el.onerror();
        return;
      }
      vm.runInContext(code, context, { filename: el.src });
      if (el.onload) el.onload();
    }, 0);
  };
  vm.runInContext(readFileSync(join(site, 'static/search.js'), 'utf8'), context, { filename: 'search.js' });
  return { context, input: byId['site-search-q'], list: byId['site-search-results'], status: byId['site-search-status'], loads };
}

const idle = () => new Promise((r) => setTimeout(r, 0));

// Types `query` into the box and waits until no script is loading and the
// results have settled.
export async function query(page, q) {
  page.input.value = q;
  page.input.dispatch('focus');
  page.input.dispatch('input');
  let quiet = 0;
  while (quiet < 5) {
    await idle();
    quiet = page.loads.pending ? 0 : quiet + 1;
  }
  return {
    query: q,
    status: page.status.textContent,
    hits: page.list.querySelectorAll('a').map((a) => [a.href, a.textContent]),
  };
}

export async function runQueries(site, queries) {
  const page = openPage(site);
  const out = [];
  for (const q of queries) out.push(await query(page, q));
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [site, ...queries] = process.argv.slice(2);
  console.log(JSON.stringify(await runQueries(site, queries), null, 1));
}
