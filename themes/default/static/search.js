// The search box in every page's header.
//
// The index (search-index.js, written at build time) is loaded only when the
// box gets focus, by injecting a <script> that defines a global: unlike
// fetch(), that also works when the site is opened from disk (file://).
// Queries are tokenized exactly as src/render/search.rs tokenizes documents:
// lower-cased letter/digit runs of two or more characters, and CJK runs as
// overlapping character bigrams. Every query word must match (the last one
// as a prefix, while it is being typed); documents rank by the sum of
// idf-weighted, saturated field weights, with a bonus when the whole query
// appears in the title or summary. Matches are highlighted with <mark>,
// built as DOM nodes (never innerHTML), so no indexed text can inject markup.
(function () {
  'use strict';
  var form = document.getElementById('site-search');
  var input = document.getElementById('site-search-q');
  var list = document.getElementById('site-search-results');
  var status = document.getElementById('site-search-status');
  if (!form || !input || !list) return;
  var root = form.getAttribute('data-root') || '';
  var MAX_RESULTS = 10;
  var MAX_EXPANSIONS = 40;
  var index = null;
  var words = null;
  var stop = new Set();
  var loading = false;
  var pending = 0;

  form.hidden = false;

  // Same ranges as is_cjk in src/render/search.rs.
  var CJK = /[\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\u{20000}-\u{2FFFF}]/u;
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

  function load() {
    if (index || loading) return;
    loading = true;
    var script = document.createElement('script');
    script.src = root + 'search-index.js';
    script.onload = function () {
      index = window.hindsightSearchIndex;
      if (!index) return;
      words = Object.keys(index.terms).sort();
      stop = new Set(index.stop || []);
      search();
    };
    script.onerror = function () {
      loading = false;
      status.textContent = 'The search index could not be loaded.';
    };
    document.head.appendChild(script);
  }

  // Index words starting with `prefix`, by binary search in the sorted list.
  function expand(prefix) {
    var lo = 0;
    var hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (words[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    var out = [];
    for (var i = lo; i < words.length && out.length < MAX_EXPANSIONS; i++) {
      if (words[i].lastIndexOf(prefix, 0) !== 0) break;
      out.push(words[i]);
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
  function nearWords(t, prefix) {
    var max = t.length >= 8 ? 2 : 1;
    if (t.length < 4) return [];
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

  // Map doc -> score of one query token, over its index words.
  function scoreToken(tok) {
    var n = index.docs.length;
    var candidates = tok.last ? expand(tok.t) : (index.terms[tok.t] ? [tok.t] : []);
    var typo = false;
    if (!candidates.length && !tok.cjk) {
      candidates = nearWords(tok.t, tok.last);
      typo = candidates.length > 0;
      fuzzy = fuzzy.concat(candidates);
    }
    var scores = new Map();
    candidates.forEach(function (w) {
      var postings = index.terms[w];
      var df = postings.length / 2;
      var idf = Math.log(1 + n / df);
      var exact = typo ? 0.5 : w === tok.t ? 1 : 0.7;
      var doc = 0;
      for (var i = 0; i < postings.length; i += 2) {
        doc += postings[i];
        var weight = postings[i + 1];
        var s = idf * exact * (weight / (weight + 3));
        var prev = scores.get(doc);
        if (prev === undefined || s > prev) scores.set(doc, s);
      }
    });
    return scores;
  }

  function rank(query) {
    fuzzy = [];
    // A word naming a severity ("P1 checkout") ranks that severity's
    // incidents first instead of being searched as text.
    var levels = {};
    index.docs.forEach(function (d) { levels[String(d[3]).toLowerCase()] = true; });
    var wanted = [];
    var all = tokenize(query).filter(function (t) {
      if (levels[t.t]) {
        wanted.push(t.t);
        return false;
      }
      return true;
    });
    if (!all.length && wanted.length) {
      var only = [];
      index.docs.forEach(function (d, doc) {
        if (wanted.indexOf(String(d[3]).toLowerCase()) >= 0) only.push({ doc: doc, score: 1 });
      });
      return only;
    }
    // Words most incidents have in their body are indexed only where they
    // stand out (title, services, tags, summary): they add to the score
    // but are not required, unless the query has nothing else.
    var required = all.filter(function (t) { return !stop.has(t.t) || t.last; });
    var optional = all.filter(function (t) { return stop.has(t.t) && !t.last; });
    var total = null;
    for (var k = 0; k < required.length; k++) {
      var scores = scoreToken(required[k]);
      if (total === null) {
        total = scores;
      } else {
        var next = new Map();
        total.forEach(function (s, doc) {
          var t = scores.get(doc);
          if (t !== undefined) next.set(doc, s + t);
        });
        total = next;
      }
      if (!total.size) return [];
    }
    optional.forEach(function (tok) {
      var scores = scoreToken(tok);
      if (total === null) total = new Map();
      var free = !required.length;
      scores.forEach(function (s, doc) {
        var prev = total.get(doc);
        if (prev !== undefined) total.set(doc, prev + s);
        else if (free) total.set(doc, s);
      });
    });
    if (!total) return [];
    var phrase = query.trim().toLowerCase();
    var hits = [];
    total.forEach(function (s, doc) {
      var d = index.docs[doc];
      if (d[1].toLowerCase().indexOf(phrase) >= 0) s *= 2;
      else if (d[5].toLowerCase().indexOf(phrase) >= 0) s *= 1.3;
      hits.push({ doc: doc, score: s });
    });
    if (wanted.length) {
      hits.forEach(function (h) {
        if (wanted.indexOf(String(index.docs[h.doc][3]).toLowerCase()) >= 0) h.score += 1000;
      });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return hits;
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

  function render(query, hits) {
    list.textContent = '';
    var re = highlighter(query);
    hits.slice(0, MAX_RESULTS).forEach(function (h) {
      var d = index.docs[h.doc];
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
    else if (!hits.length) {
      var li = document.createElement('li');
      li.className = 'no-hits';
      li.textContent = 'No incident matches.';
      list.appendChild(li);
      status.textContent = 'No incident matches.';
    } else {
      status.textContent = hits.length + (hits.length === 1 ? ' match' : ' matches') +
        (hits.length > MAX_RESULTS ? ', showing the best ' + MAX_RESULTS : '');
    }
  }

  function search() {
    if (!index) return;
    var query = input.value;
    render(query, rank(query));
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
