// The search box in every page's header.
//
// The index is a set of small scripts under search/ (written at build time,
// see src/render/search/shards.rs): a manifest, loaded when the box gets
// focus, then only the files a query needs: the term files holding its
// words, the document files of the results shown, the severity lists of
// severity words, and the word lists by length when a word is misspelt.
// Scripts are added as <script> elements that register themselves in
// self.hindsightSearch: unlike fetch(), that also works when the site is
// opened from disk (file://). A query is evaluated again each time files
// it asked for arrive, until it has all it needs.
//
// Queries are tokenized exactly as src/text.rs tokenizes documents:
// lower-cased letter/digit runs of two or more characters, and CJK runs as
// overlapping character bigrams. Every query word must match (the last one
// as a prefix, while it is being typed); documents rank by the sum of
// idf-weighted, saturated field weights, with a bonus when the whole query
// appears in the title or summary. Matches are highlighted with <mark>,
// built as DOM nodes (never innerHTML), so no indexed text can inject markup.

// The tokenizer, apart so tests can run it under Node (tests/it/text.rs).
var hindsightText = (function () {
  'use strict';
  // Same ranges as is_cjk in src/text.rs.
  var CJK = /[\u3040-\u30FF\u31F0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF66-\uFF9F\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF\u{20000}-\u{2FFFF}]/u;
  var ALNUM = /[\p{Alphabetic}\p{N}]/u;

  // Tokens of `text`, each `{t: token, cjk: bool, last: bool}`; `last` marks
  // tokens of the final word when the text does not end in a separator.
  function tokenize(text) {
    var out = [];
    var word = '';
    var cjk = [];
    function flushWord() {
      var n = Array.from(word).length;
      if (n >= 2 && n <= 32) out.push({ t: word, cjk: false });
      word = '';
    }
    function flushCjk() {
      if (cjk.length === 1) out.push({ t: cjk[0], cjk: true });
      for (var i = 0; i + 1 < cjk.length; i++) out.push({ t: cjk[i] + cjk[i + 1], cjk: true });
      cjk = [];
    }
    for (var c of text) {
      if (CJK.test(c)) {
        flushWord();
        cjk.push(c);
      } else if (ALNUM.test(c)) {
        flushCjk();
        word += c.toLowerCase();
      } else {
        flushWord();
        flushCjk();
      }
    }
    var open = word !== '';
    flushWord();
    flushCjk();
    if (open && out.length && !out[out.length - 1].cjk) out[out.length - 1].last = true;
    return out;
  }

  return { CJK: CJK, ALNUM: ALNUM, tokenize: tokenize };
})();

// The box itself is made here: it is of no use without this script, and
// written into every page it weighed more than half a kilobyte a page. A
// theme that writes its own (id "site-search", with "data-root") keeps it.
function hindsightSearchBox(script) {
  var form = document.getElementById('site-search');
  if (form) return form;
  var header = document.querySelector('.site-header .header-row') || document.querySelector('.site-header');
  var src = script && script.getAttribute('src');
  if (!header || !src || !/static\/search\.js$/.test(src)) return null;
  var root = src.slice(0, src.length - 'static/search.js'.length);
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var name in attrs) e.setAttribute(name, attrs[name]);
    if (text) e.textContent = text;
    return e;
  }
  form = el('form', { 'class': 'site-search', id: 'site-search', role: 'search', action: root + 'index.html', 'data-root': root, hidden: '' });
  form.appendChild(el('label', { 'for': 'site-search-q', 'class': 'visually-hidden' }, 'Search incidents'));
  form.appendChild(el('input', { type: 'search', id: 'site-search-q', name: 'q', placeholder: 'Search incidents', autocomplete: 'off', 'aria-controls': 'site-search-results', 'aria-describedby': 'site-search-status' }));
  form.appendChild(el('p', { 'class': 'visually-hidden', id: 'site-search-status', role: 'status', 'aria-live': 'polite' }));
  form.appendChild(el('ol', { 'class': 'search-results', id: 'site-search-results', hidden: '' }));
  header.appendChild(form);
  return form;
}

(function () {
  'use strict';
  var form = hindsightSearchBox(document.currentScript);
  var input = document.getElementById('site-search-q');
  var list = document.getElementById('site-search-results');
  var status = document.getElementById('site-search-status');
  if (!form || !input || !list) return;
  var root = form.getAttribute('data-root') || '';
  var MAX_RESULTS = 10;
  var MAX_EXPANSIONS = 40;
  // Postings' weight bits: the word is in the title, in the summary.
  var WEIGHT = 63;
  var IN_TITLE = 64;
  var IN_SUMMARY = 128;
  var CJK = hindsightText.CJK;
  var ALNUM = hindsightText.ALNUM;
  var tokenize = hindsightText.tokenize;
  var store = window.hindsightSearch = window.hindsightSearch || {};
  var requested = {};
  var inFlight = 0;
  var broken = false;
  // Set while a query is evaluated when a file it needs has not arrived.
  var missing = false;
  var man = null;
  var pending = 0;

  form.hidden = false;

  // The file `name` (search/<name>.js) if it has arrived; otherwise asks
  // for it and marks the evaluation as missing something.
  function get(name) {
    if (Object.prototype.hasOwnProperty.call(store, name)) return store[name];
    missing = true;
    if (requested[name]) return undefined;
    requested[name] = true;
    inFlight++;
    var script = document.createElement('script');
    script.src = root + 'search/' + name + '.js';
    script.onload = function () {
      inFlight--;
      if (inFlight) return;
      schedule();
      var then = waiting;
      waiting = [];
      then.forEach(function (f) { f(); });
    };
    script.onerror = function () {
      inFlight--;
      broken = true;
      status.textContent = 'The search index could not be loaded.';
    };
    document.head.appendChild(script);
    return undefined;
  }

  function load() {
    man = get('index') || null;
  }

  function startsWith(s, p) { return s.lastIndexOf(p, 0) === 0; }

  // The first index of a sorted `arr` whose value is not below `x`.
  function lowerBound(arr, x) {
    var lo = 0;
    var hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (arr[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // The term file that would hold `w`: the last whose first word is not
  // after it (0 when `w` comes before them all).
  function fileOf(w) {
    var i = lowerBound(man.t, w);
    if (i < man.t.length && man.t[i] === w) return i;
    return Math.max(0, i - 1);
  }

  // Postings of index word `w`, null if it has none, undefined while its
  // file is on its way.
  function postings(w) {
    if (!man.t.length) return null;
    var f = get('t/' + fileOf(w));
    if (!f) return undefined;
    var i = lowerBound(f.w, w);
    return f.w[i] === w ? f.p[i] : null;
  }

  // Index words starting with `prefix`, in order, at most MAX_EXPANSIONS;
  // undefined while a file is on its way.
  function expand(prefix) {
    var out = [];
    for (var n = fileOf(prefix); n < man.t.length && out.length < MAX_EXPANSIONS; n++) {
      var f = get('t/' + n);
      if (!f) return undefined;
      for (var i = lowerBound(f.w, prefix); i < f.w.length && out.length < MAX_EXPANSIONS; i++) {
        if (!startsWith(f.w[i], prefix)) return out;
        out.push(f.w[i]);
      }
      if (n + 1 < man.t.length && !startsWith(man.t[n + 1], prefix)) break;
    }
    return out;
  }

  // Edit distance of a and b, or max + 1 once it must exceed max.
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var cur = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a.charCodeAt(i - 1) === b.charCodeAt(k - 1) ? 0 : 1;
        var v = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + cost);
        cur.push(v);
        if (v < best) best = v;
      }
      if (best > max) return max + 1;
      prev = cur;
    }
    return prev[b.length];
  }

  // Index words within one typo of `t` (two for words of eight letters or
  // more), for a word the index does not have: "conection" finds
  // "connection". A word still being typed also matches a word's start.
  // Reads the word lists of the lengths that can match; undefined while
  // one is on its way.
  function nearWords(t, prefix) {
    var max = t.length >= 8 ? 2 : 1;
    if (t.length < 4) return [];
    var words = [];
    var waiting = false;
    man.v.forEach(function (len) {
      if (len < t.length - max || (len > t.length + max && !prefix)) return;
      var f = get('v/' + len);
      if (f) words = words.concat(f);
      else waiting = true;
    });
    if (waiting) return undefined;
    words.sort();
    var out = [];
    for (var i = 0; i < words.length && out.length < MAX_EXPANSIONS; i++) {
      var w = words[i];
      if (distance(t, w, max) <= max) out.push(w);
      else if (prefix && w.length > t.length && distance(t, w.slice(0, t.length), max) <= max) out.push(w);
    }
    return out;
  }

  // Words matched through a typo, highlighted like the words typed.
  var fuzzy = [];

  // The index words a query token stands for: the words it begins when it
  // is the last one typed, else itself if indexed (or none); undefined
  // while a file is on its way.
  function candidatesOf(tok) {
    if (tok.last) return expand(tok.t);
    var own = postings(tok.t);
    return own === undefined ? undefined : own ? [tok.t] : [];
  }

  // {scores: doc -> score, bits: doc -> title/summary bits} of one query
  // token over its index words; undefined while a file is on its way.
  function scoreToken(tok) {
    var candidates = candidatesOf(tok);
    if (!candidates) return undefined;
    var typo = false;
    if (!candidates.length && !tok.cjk) {
      candidates = nearWords(tok.t, tok.last);
      if (!candidates) return undefined;
      typo = candidates.length > 0;
      fuzzy = fuzzy.concat(candidates);
    }
    var scores = new Map();
    var bits = new Map();
    var waiting = false;
    candidates.forEach(function (w) {
      var p = postings(w);
      if (!p) { waiting = true; return; }
      var df = p.length / 2;
      var idf = Math.log(1 + man.n / df);
      var exact = typo ? 0.5 : w === tok.t ? 1 : 0.7;
      var doc = 0;
      for (var i = 0; i < p.length; i += 2) {
        doc += p[i];
        var weight = p[i + 1] & WEIGHT;
        var s = idf * exact * (weight / (weight + 3));
        var prev = scores.get(doc);
        if (prev === undefined || s > prev) scores.set(doc, s);
        // A misspelt word is in no title or summary as typed, so the
        // phrase cannot be either.
        if (!typo) bits.set(doc, (bits.get(doc) || 0) | (p[i + 1] & (IN_TITLE | IN_SUMMARY)));
      }
    });
    return waiting ? undefined : { scores: scores, bits: bits };
  }

  // {bits: doc -> title/summary bits} of a word searched for no score
  // (a severity word), from its index words; undefined while a file is on
  // its way.
  function bitsOf(tok) {
    var candidates = candidatesOf(tok);
    if (!candidates) return undefined;
    var bits = new Map();
    for (var c = 0; c < candidates.length; c++) {
      var p = postings(candidates[c]);
      if (!p) return undefined;
      var doc = 0;
      for (var i = 0; i < p.length; i += 2) {
        doc += p[i];
        bits.set(doc, (bits.get(doc) || 0) | (p[i + 1] & (IN_TITLE | IN_SUMMARY)));
      }
    }
    return { scores: new Map(), bits: bits };
  }

  // Documents of the severities numbered `levels`, ascending; undefined
  // while a list is on its way.
  function severityDocs(levels) {
    var docs = [];
    var waiting = false;
    levels.forEach(function (k) {
      var gaps = get('s/' + k);
      if (!gaps) { waiting = true; return; }
      var doc = 0;
      gaps.forEach(function (g) { doc += g; docs.push(doc); });
    });
    if (waiting) return undefined;
    docs.sort(function (a, b) { return a - b; });
    return docs.filter(function (d, i) { return i === 0 || docs[i - 1] !== d; });
  }

  // What results show of document `doc`, or undefined while its file is on
  // its way.
  function doc(n) {
    var f = get('d/' + Math.floor(n / man.per));
    return f && f[n % man.per];
  }

  // The documents matching `query`, unranked: {only: documents} when it
  // names severities alone, else {total: doc -> score, each: per query
  // word its scores and bits, favoured: documents of named severities or
  // null}; undefined while a file is on its way.
  function matches(query) {
    fuzzy = [];
    // A word naming a severity ("P1 checkout") ranks that severity's
    // incidents first instead of being searched as text.
    var wanted = [];
    var named = [];
    var all = tokenize(query).filter(function (t) {
      var k = man.levels.indexOf(t.t);
      if (k < 0) return true;
      if (wanted.indexOf(k) < 0) wanted.push(k);
      named.push(t);
      return false;
    });
    var favoured = null;
    var each = [];
    if (wanted.length) {
      var docs = severityDocs(wanted);
      if (!docs) return undefined;
      if (!all.length) return { only: docs };
      favoured = new Set(docs);
      // The phrase holds the severity words too: only where they are in
      // the title or summary can the phrase be.
      for (var n = 0; n < named.length; n++) {
        var b = bitsOf(named[n]);
        if (!b) return undefined;
        each.push(b);
      }
    }
    // Words most incidents have in their body are indexed only where they
    // stand out (title, services, tags, summary): they add to the score
    // but are not required, unless the query has nothing else.
    var stop = new Set(man.stop);
    var required = all.filter(function (t) { return !stop.has(t.t) || t.last; });
    var optional = all.filter(function (t) { return stop.has(t.t) && !t.last; });
    var total = null;
    for (var k = 0; k < required.length; k++) {
      var r = scoreToken(required[k]);
      if (!r) return undefined;
      each.push(r);
      if (total === null) {
        total = new Map(r.scores);
      } else {
        var next = new Map();
        total.forEach(function (s, d) {
          var t = r.scores.get(d);
          if (t !== undefined) next.set(d, s + t);
        });
        total = next;
      }
      if (!total.size) return { total: total, each: each, favoured: favoured };
    }
    for (var o = 0; o < optional.length; o++) {
      var opt = scoreToken(optional[o]);
      if (!opt) return undefined;
      each.push(opt);
      if (total === null) total = new Map();
      var free = !required.length;
      opt.scores.forEach(function (s, d) {
        var prev = total.get(d);
        if (prev !== undefined) total.set(d, prev + s);
        else if (free) total.set(d, s);
      });
    }
    return { total: total || new Map(), each: each, favoured: favoured };
  }

  // {count, top}: how many documents match `query` and the best
  // MAX_RESULTS as {doc, score}, best first; undefined while a file is on
  // its way.
  function rank(query) {
    var m = matches(query);
    if (!m) return undefined;
    if (m.only) {
      var only = m.only.slice(0, MAX_RESULTS).map(function (d) { return { doc: d, score: 1 }; });
      return resolve(only) && { count: m.only.length, top: only };
    }
    var total = m.total;
    var each = m.each;
    var favoured = m.favoured;
    // The phrase bonus needs a document's title and summary; its bits say
    // which documents can have the phrase there at all (every query word
    // in the title, or in the summary), so candidates are read best bound
    // first and reading stops once no later one can make the list.
    var candidates = [];
    total.forEach(function (s, d) {
      var b = IN_TITLE | IN_SUMMARY;
      each.forEach(function (r) { b &= r.bits.get(d) || 0; });
      var bound = b & IN_TITLE ? s * 2 : b & IN_SUMMARY ? s * 1.3 : s;
      var bonus = favoured && favoured.has(d) ? 1000 : 0;
      candidates.push({ doc: d, base: s, bound: bound + bonus, bonus: bonus });
    });
    candidates.sort(function (a, b) { return b.bound - a.bound || a.doc - b.doc; });
    var phrase = query.trim().toLowerCase();
    var top = [];
    var unread = 0;
    for (var i = 0; i < candidates.length; i++) {
      var c = candidates[i];
      var last = top[MAX_RESULTS - 1];
      if (last && (last.score > c.bound || (last.score === c.bound && last.doc < c.doc))) break;
      var d = doc(c.doc);
      if (!d) {
        if (++unread > 4 * MAX_RESULTS) break;
        continue;
      }
      var s = c.base;
      if (d[1].toLowerCase().indexOf(phrase) >= 0) s *= 2;
      else if (d[5].toLowerCase().indexOf(phrase) >= 0) s *= 1.3;
      s += c.bonus;
      top.push({ doc: c.doc, score: s });
      top.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      if (top.length > MAX_RESULTS) top.pop();
    }
    if (unread) return undefined;
    return { count: candidates.length, top: top };
  }

  // True once every document of `hits` has arrived.
  function resolve(hits) {
    var ok = true;
    hits.forEach(function (h) { if (!doc(h.doc)) ok = false; });
    return ok;
  }

  // Appends `text` to `el`, wrapping the parts `re` matches in <mark>.
  function highlight(el, text, re) {
    var last = 0;
    if (re) {
      re.lastIndex = 0;
      var m;
      while ((m = re.exec(text)) !== null) {
        if (m[0] === '') { re.lastIndex++; continue; }
        el.appendChild(document.createTextNode(text.slice(last, m.index)));
        var mark = document.createElement('mark');
        mark.textContent = m[0];
        el.appendChild(mark);
        last = m.index + m[0].length;
      }
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  function highlighter(query) {
    var parts = [];
    var run = '';
    for (var c of query) {
      if (CJK.test(c) || ALNUM.test(c)) run += c;
      else { if (run) parts.push(run); run = ''; }
    }
    if (run) parts.push(run);
    parts = parts.concat(fuzzy);
    parts = parts.filter(function (p) { return Array.from(p).length >= 2 || CJK.test(p); });
    if (!parts.length) return null;
    parts.sort(function (a, b) { return b.length - a.length; });
    var escaped = parts.map(function (p) { return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
    return new RegExp(escaped.join('|'), 'giu');
  }

  function render(query, result) {
    list.textContent = '';
    var re = highlighter(query);
    var hits = result.top;
    hits.forEach(function (h) {
      var d = doc(h.doc);
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + d[0];
      a.className = 'search-hit';
      var title = document.createElement('span');
      title.className = 'hit-title';
      highlight(title, d[1], re);
      var meta = document.createElement('span');
      meta.className = 'hit-meta';
      var sev = document.createElement('span');
      sev.className = 'sev sev-' + d[4];
      sev.textContent = d[3];
      meta.appendChild(sev);
      meta.appendChild(document.createTextNode(' ' + d[2]));
      a.appendChild(title);
      a.appendChild(meta);
      if (d[5]) {
        var summary = document.createElement('span');
        summary.className = 'hit-summary';
        highlight(summary, d[5], re);
        a.appendChild(summary);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = !query.trim();
    if (!query.trim()) status.textContent = '';
    else if (!result.count) {
      var li = document.createElement('li');
      li.className = 'no-hits';
      li.textContent = 'No incident matches.';
      list.appendChild(li);
      status.textContent = 'No incident matches.';
    } else {
      status.textContent = result.count + (result.count === 1 ? ' match' : ' matches') +
        (result.count > MAX_RESULTS ? ', showing the best ' + MAX_RESULTS : '');
    }
  }

  // For the index's filters, which take the header box's text as a
  // filter: the documents (archive order numbers) matching `query` as a
  // Set, or undefined while a file is on its way, in which case `then`
  // runs once files have arrived.
  var waiting = [];
  window.hindsightSearchMatch = function (query, then) {
    missing = false;
    load();
    var m = man && !broken ? matches(query) : undefined;
    if (missing || !m) {
      if (!broken && waiting.indexOf(then) < 0) waiting.push(then);
      return undefined;
    }
    return new Set(m.only || m.total.keys());
  };

  // Evaluates the query; when a file it needs is still on its way, the
  // file's arrival evaluates it again.
  function search() {
    missing = false;
    load();
    if (!man || broken) return;
    var query = input.value;
    var result = query.trim() ? rank(query) : { count: 0, top: [] };
    if (missing || !result) return;
    render(query, result);
  }

  function schedule() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () {
      pending = 0;
      search();
    });
  }

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll('a'));
  }

  // "/" anywhere but in a text field jumps to the search box.
  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
    input.select();
  });
  input.setAttribute('aria-keyshortcuts', '/');
  input.placeholder = 'Search incidents ( / )';

  input.addEventListener('focus', load);
  input.addEventListener('input', function () {
    load();
    schedule();
  });
  form.addEventListener('submit', function (e) {
    // With results, Enter opens the best one; before the index has loaded
    // the form falls back to the index page's text filter.
    var first = links()[0];
    if (first) {
      e.preventDefault();
      window.location.href = first.href;
    }
  });
  form.addEventListener('keydown', function (e) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (e.key === 'ArrowDown' && all.length) {
      e.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (e.key === 'ArrowUp' && all.length) {
      e.preventDefault();
      if (at <= 0) input.focus();
      else all[at - 1].focus();
    } else if (e.key === 'Escape') {
      list.hidden = true;
      input.focus();
    }
  });
  form.addEventListener('focusout', function (e) {
    if (!form.contains(e.relatedTarget)) list.hidden = true;
  });
  input.addEventListener('focus', function () {
    if (input.value.trim() && list.childNodes.length) list.hidden = false;
  });
})();
