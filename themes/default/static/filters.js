// Filters and sorting of the incident list (index.html).
//
// The page is the first hundred incidents, newest first, with links to the
// next pages, which is the whole list without JavaScript. Filtering or
// sorting reads the archive's columns under list/ (written at build time,
// see src/render/list_data.rs) as <script> files, so it works from disk
// too: first the columns of the filters in use, then the table rows of the
// first PAGE matches (more on "Show more"), then the other columns for the
// counts. A filter on 100,000 incidents downloads what it tests and shows.
// Filters combine with AND (any of the chosen values within severity and
// service); the counts next to each choice say how many incidents it would
// show with the other filters kept. The header's search box filters too:
// its words match as the search does (search.js's hindsightSearchMatch).
// The state lives in the URL query (?severity=P1&service=payment-svc), so a
// filtered view is a link; each change is a history entry (typing in the
// text box replaces its own entry) and the back button restores it.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var table = document.querySelector('table.incidents');
  if (!form || !table || !table.tBodies.length) return;
  var tbody = table.tBodies[0];
  var statusEl = document.getElementById('filter-status');
  var moreRow = document.getElementById('more-row');
  var moreButton = document.getElementById('show-more');
  var serviceFind = document.getElementById('service-find');
  // The text filter is the header's search box: one box on the page.
  var textBox = document.getElementById('site-search-q');
  var PAGE = 100;
  var MULTI = ['severity', 'service'];
  var SINGLE = ['tag', 'status', 'year', 'recurring', 'q', 'sort'];

  function words(s) {
    return (s || '').split(' ').filter(Boolean);
  }

  var severityRank = {};
  form.querySelectorAll('input[name="severity"]').forEach(function (el, i) {
    severityRank[el.value] = i;
  });

  // The rows the page was built with, and its build-time counts, shown
  // again whenever no filter or sort is in use.
  var staticRows = Array.prototype.slice.call(tbody.rows);
  var pager = document.querySelector('nav.pager');
  var builtCounts = [];
  form.querySelectorAll('[data-count-for]').forEach(function (el) {
    builtCounts.push([el, el.textContent, el.parentNode.classList.contains('zero')]);
  });
  form.querySelectorAll('option').forEach(function (opt) {
    builtCounts.push([opt, opt.textContent, null]);
  });

  // The files under list/, as search.js loads search/: get() gives a file
  // that has arrived, or asks for it and marks the render as missing it.
  var store = window.hindsightList = window.hindsightList || {};
  var requested = {};
  var missing = false;
  var broken = false;
  function get(name) {
    if (Object.prototype.hasOwnProperty.call(store, name)) return store[name];
    missing = true;
    if (requested[name]) return undefined;
    requested[name] = true;
    var script = document.createElement('script');
    script.src = table.getAttribute('data-root') + 'list/' + name + '.js';
    script.onload = scheduleRender;
    script.onerror = function () {
      broken = true;
      statusEl.textContent = 'The list data could not be loaded.';
    };
    document.head.appendChild(script);
    return undefined;
  }

  // Values of incident `d` for filter `k`, from its column.
  function cell(man, k, d) {
    var v = store['c/' + k][d];
    var names = man.values[k];
    if (typeof v === 'number') return [names[v]];
    return v.map(function (i) { return names[i]; });
  }

  // The table row of incident `d`, parsed once from its row file.
  var parsed = {};
  function rowOf(man, d) {
    if (parsed[d]) return parsed[d];
    var n = Math.floor(d / man.per);
    var file = get('r/' + n);
    if (!file) return undefined;
    var doc = new DOMParser().parseFromString('<table><tbody>' + file.join('') + '</tbody></table>', 'text/html');
    Array.prototype.forEach.call(doc.querySelector('tbody').rows, function (tr, i) {
      parsed[n * man.per + i] = document.importNode(tr, true);
    });
    return parsed[d];
  }

  var total = parseInt(table.getAttribute('data-count'), 10) || staticRows.length;
  var state = readUrl();
  var shown = PAGE;
  var lastChange = '';

  function readUrl() {
    var params = new URLSearchParams(window.location.search);
    var s = {};
    MULTI.forEach(function (k) { s[k] = params.getAll(k); });
    SINGLE.forEach(function (k) { s[k] = params.get(k) || ''; });
    return s;
  }

  function readForm() {
    var s = {};
    MULTI.forEach(function (k) {
      s[k] = Array.prototype.filter
        .call(form.querySelectorAll('input[name="' + k + '"]'), function (el) { return el.checked; })
        .map(function (el) { return el.value; });
    });
    SINGLE.forEach(function (k) { s[k] = field(k) ? field(k).value : ''; });
    return s;
  }

  function writeForm(s) {
    MULTI.forEach(function (k) {
      form.querySelectorAll('input[name="' + k + '"]').forEach(function (el) {
        el.checked = s[k].indexOf(el.value) >= 0;
      });
    });
    SINGLE.forEach(function (k) {
      var el = field(k);
      if (!el) { s[k] = ''; return; }
      el.value = s[k];
      // A value no option has (an old link) falls back to "any".
      if (el.value !== s[k]) s[k] = el.value = '';
    });
  }

  function query(s) {
    var params = new URLSearchParams();
    MULTI.forEach(function (k) { s[k].forEach(function (v) { params.append(k, v); }); });
    SINGLE.forEach(function (k) { if (s[k]) params.set(k, s[k]); });
    var q = params.toString();
    return window.location.pathname + (q ? '?' + q : '') + window.location.hash;
  }

  // Which filters incident `d` passes, one boolean per filter name.
  function tests(man, d, s, matched) {
    var t = {};
    ['severity', 'service', 'tag', 'status', 'year', 'recurring'].forEach(function (k) {
      var chosen = Array.isArray(s[k]) ? s[k] : s[k] ? [s[k]] : [];
      t[k] = !chosen.length || cell(man, k, d).some(function (v) { return chosen.indexOf(v) >= 0; });
    });
    t.q = !matched || matched.has(d);
    return t;
  }

  var COLUMNS = ['severity', 'service', 'tag', 'status', 'year', 'recurring'];
  var FILTERS = ['severity', 'service', 'tag', 'status', 'year', 'recurring', 'q'];

  // The control of a single-valued filter, if the page has one.
  function field(k) {
    return k === 'q' ? textBox : form.elements[k];
  }

  function passesAllBut(t, skip) {
    for (var i = 0; i < FILTERS.length; i++) {
      if (FILTERS[i] !== skip && !t[FILTERS[i]]) return false;
    }
    return true;
  }

  function compare(sort) {
    var date = store['c/date'];
    var order = function (a, b) { return a - b; };
    // Undated incidents ("" dates) stay last, in archive order, either way.
    if (sort === 'oldest') {
      return function (a, b) {
        if (!date[a] || !date[b]) return (!date[a]) - (!date[b]) || a - b;
        return date[a] < date[b] ? -1 : date[a] > date[b] ? 1 : b - a;
      };
    }
    if (sort === 'severity') {
      var sev = store['c/severity'];
      var names = store.index.values.severity;
      var rank = function (d) {
        var name = names[sev[d]];
        return name in severityRank ? severityRank[name] : 1e9;
      };
      return function (a, b) { return rank(a) - rank(b) || a - b; };
    }
    if (sort === 'duration') {
      var dur = store['c/duration'];
      return function (a, b) { return dur[b] - dur[a] || a - b; };
    }
    return order;
  }

  // The columns sorting by `sort` reads.
  var SORT_COLUMN = { oldest: 'date', severity: 'severity', duration: 'duration' };

  function updateCounts(counts) {
    form.querySelectorAll('[data-count-for]').forEach(function (el) {
      var c = counts[el.getAttribute('data-count-for')][el.getAttribute('data-value')] || 0;
      el.textContent = c;
      el.parentNode.classList.toggle('zero', c === 0);
    });
    ['tag', 'status', 'year', 'recurring'].forEach(function (k) {
      if (!field(k)) return;
      Array.prototype.forEach.call(field(k).options, function (opt) {
        if (!opt.value) return;
        if (!opt.hasAttribute('data-label')) opt.setAttribute('data-label', opt.textContent.replace(/ \(\d+\)$/, ''));
        opt.textContent = opt.getAttribute('data-label') + ' (' + (counts[k][opt.value] || 0) + ')';
      });
    });
  }

  function restoreCounts() {
    builtCounts.forEach(function (c) {
      c[0].textContent = c[1];
      if (c[2] !== null) c[0].parentNode.classList.toggle('zero', c[2]);
    });
  }

  function isFiltered(s) {
    return FILTERS.some(function (k) { return k === 'q' ? words(s.q).length : s[k].length; });
  }

  function render() {
    var filtered = isFiltered(state);
    if (!filtered && !state.sort && shown <= staticRows.length) {
      tbody.replaceChildren.apply(tbody, staticRows);
      restoreCounts();
      table.removeAttribute('data-loading');
      if (pager) pager.hidden = false;
      moreRow.hidden = true;
      statusEl.textContent = total + ' incidents' + (staticRows.length < total ? ', showing the first ' + staticRows.length : '') + '.';
      updateFold();
      return;
    }
    if (pager) pager.hidden = true;
    // Until the rows below are shown, the table still holds the built
    // page's: say so, also on a first load from a filtered address.
    table.setAttribute('data-loading', '');
    missing = false;
    var man = get('index');
    if (!man || broken) return;
    var active = ['severity', 'service', 'tag', 'status', 'year', 'recurring'].filter(function (k) { return state[k].length; });
    active.forEach(function (k) { get('c/' + k); });
    if (SORT_COLUMN[state.sort]) get('c/' + SORT_COLUMN[state.sort]);
    var matched = null;
    if (words(state.q).length) {
      matched = window.hindsightSearchMatch ? window.hindsightSearchMatch(state.q, scheduleRender) : new Set();
      if (!matched) missing = true;
    }
    if (missing) return;
    var matches = [];
    var d;
    for (d = 0; d < man.n; d++) {
      var t = tests(man, d, state, matched);
      if (passesAllBut(t, '')) matches.push(d);
    }
    matches.sort(compare(state.sort));
    var end = Math.min(shown, matches.length);
    var trs = [];
    for (var j = 0; j < end; j++) trs.push(rowOf(man, matches[j]));
    if (missing) return;
    tbody.replaceChildren.apply(tbody, trs);
    table.removeAttribute('data-loading');
    moreRow.hidden = end >= matches.length;
    var text = filtered
      ? matches.length + ' of ' + man.n + ' incidents match'
      : man.n + ' incidents';
    if (end < matches.length) text += ', showing the first ' + end;
    statusEl.textContent = text + '.';
    updateFold();
    // The counts need every column: asked for once the rows are shown.
    var absent = COLUMNS.filter(function (k) { return !Object.prototype.hasOwnProperty.call(store, 'c/' + k); });
    if (absent.length) {
      window.setTimeout(function () { absent.forEach(function (k) { get('c/' + k); }); }, 0);
      return;
    }
    var counts = {};
    FILTERS.forEach(function (k) { counts[k] = {}; });
    var add = function (k, d) {
      cell(man, k, d).forEach(function (v) { counts[k][v] = (counts[k][v] || 0) + 1; });
    };
    for (d = 0; d < man.n; d++) {
      var u = tests(man, d, state, matched);
      ['severity', 'status', 'year', 'recurring', 'service', 'tag'].forEach(function (k) {
        if (passesAllBut(u, k)) add(k, d);
      });
    }
    updateCounts(counts);
  }

  function updateFold() {
    if (foldCount) {
      var on = MULTI.reduce(function (n, k) { return n + state[k].length; }, 0) +
        ['tag', 'status', 'year', 'recurring'].filter(function (k) { return state[k]; }).length;
      foldCount.textContent = on ? ' (' + on + ' on)' : '';
    }
  }

  var frame = 0;
  function scheduleRender() {
    if (frame) return;
    frame = window.requestAnimationFrame(function () {
      frame = 0;
      render();
    });
  }

  function changed(kind) {
    state = readForm();
    table.setAttribute('data-loading', '');
    shown = PAGE;
    var url = query(state);
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      // Typing in the text box updates its own history entry.
      if (kind === 'q' && lastChange === 'q') window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    }
    lastChange = kind;
    scheduleRender();
  }

  form.addEventListener('change', function (e) {
    if (e.target === serviceFind) return;
    changed(e.target.name);
  });
  if (textBox) textBox.addEventListener('input', function () { changed('q'); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('reset', function () {
    if (textBox) textBox.value = '';
    window.setTimeout(function () {
      if (serviceFind) filterServices('');
      changed('reset');
    }, 0);
  });
  moreButton.addEventListener('click', function () {
    shown += PAGE;
    render();
  });
  window.addEventListener('popstate', function () {
    state = readUrl();
    writeForm(state);
    shown = PAGE;
    lastChange = '';
    render();
  });

  // Type-ahead over a long service list: checked services stay visible.
  function filterServices(text) {
    var needle = text.trim().toLowerCase();
    form.querySelectorAll('#service-choices label').forEach(function (label) {
      var box = label.querySelector('input');
      label.hidden = !!needle && !box.checked && label.getAttribute('data-name').indexOf(needle) < 0;
    });
  }
  if (serviceFind) {
    serviceFind.addEventListener('input', function () { filterServices(serviceFind.value); });
    serviceFind.addEventListener('keydown', function (e) {
      // Enter picks the first service the text matches.
      if (e.key !== 'Enter') return;
      e.preventDefault();
      var first = form.querySelector('#service-choices label:not([hidden]) input:not(:checked)');
      if (first) {
        first.checked = true;
        changed('service');
      }
    });
  }

  // Open on wide screens, folded behind its summary on a phone.
  var fold = form.querySelector('details.fold');
  var foldCount = form.querySelector('[data-fold-count]');
  if (fold && window.matchMedia) {
    var narrow = window.matchMedia('(max-width: 40rem)');
    var setFold = function () { fold.open = !narrow.matches; };
    setFold();
    if (narrow.addEventListener) narrow.addEventListener('change', setFold);
  }

  writeForm(state);
  form.hidden = false;
  render();
})();
