// Filters and sorting of the incident list (index.html).
//
// The page is the full list without JavaScript. This script reads each row's
// data-* attributes once into an array, then on every change filters that
// array and puts only the first PAGE matching rows into the table (more on
// "Show more"), so a keystroke never touches more than a page of rows, even
// in an archive of 10,000 incidents. Filters combine with AND (any of the
// chosen values within severity and service); the counts next to each
// choice say how many incidents it would show with the other filters kept.
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
  var SINGLE = ['tag', 'status', 'year', 'q', 'sort'];

  function words(s) {
    return (s || '').split(' ').filter(Boolean);
  }

  var severityRank = {};
  form.querySelectorAll('input[name="severity"]').forEach(function (el, i) {
    severityRank[el.value] = i;
  });

  var rows = Array.prototype.map.call(tbody.rows, function (tr, i) {
    var tags = words(tr.getAttribute('data-tags'));
    var duration = parseInt(tr.getAttribute('data-duration'), 10);
    return {
      tr: tr,
      order: i,
      severity: tr.getAttribute('data-severity') || '',
      service: words(tr.getAttribute('data-services')),
      tag: tags,
      status: tr.getAttribute('data-status') || '',
      year: tr.getAttribute('data-year') || '',
      date: tr.getAttribute('data-date') || '',
      duration: isNaN(duration) ? -1 : duration,
      text: (tr.textContent.replace(/\s+/g, ' ') + ' ' + tags.join(' ')).toLowerCase(),
    };
  });

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

  // Which filters `row` passes, one boolean per filter name.
  function tests(row, s, needles) {
    return {
      severity: !s.severity.length || s.severity.indexOf(row.severity) >= 0,
      service: !s.service.length || row.service.some(function (v) { return s.service.indexOf(v) >= 0; }),
      tag: !s.tag || row.tag.indexOf(s.tag) >= 0,
      status: !s.status || row.status === s.status,
      year: !s.year || row.year === s.year,
      q: needles.every(function (n) { return row.text.indexOf(n) >= 0; }),
    };
  }

  var FILTERS = ['severity', 'service', 'tag', 'status', 'year', 'q'];

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
    // Undated rows (no data-date) stay last, in page order, either way.
    if (sort === 'oldest') {
      return function (a, b) {
        if (!a.date || !b.date) return (!a.date) - (!b.date) || a.order - b.order;
        return a.date < b.date ? -1 : a.date > b.date ? 1 : b.order - a.order;
      };
    }
    if (sort === 'severity') {
      return function (a, b) {
        var ra = a.severity in severityRank ? severityRank[a.severity] : 1e9;
        var rb = b.severity in severityRank ? severityRank[b.severity] : 1e9;
        return ra - rb || a.order - b.order;
      };
    }
    if (sort === 'duration') return function (a, b) { return b.duration - a.duration || a.order - b.order; };
    return function (a, b) { return a.order - b.order; };
  }

  function updateCounts(counts) {
    form.querySelectorAll('[data-count-for]').forEach(function (el) {
      var c = counts[el.getAttribute('data-count-for')][el.getAttribute('data-value')] || 0;
      el.textContent = c;
      el.parentNode.classList.toggle('zero', c === 0);
    });
    ['tag', 'status', 'year'].forEach(function (k) {
      if (!field(k)) return;
      Array.prototype.forEach.call(field(k).options, function (opt) {
        if (!opt.value) return;
        if (!opt.hasAttribute('data-label')) opt.setAttribute('data-label', opt.textContent.replace(/ \(\d+\)$/, ''));
        opt.textContent = opt.getAttribute('data-label') + ' (' + (counts[k][opt.value] || 0) + ')';
      });
    });
  }

  function render() {
    var needles = words(state.q.toLowerCase().replace(/\s+/g, ' '));
    var counts = {};
    FILTERS.forEach(function (k) { counts[k] = {}; });
    var matches = [];
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var t = tests(row, state, needles);
      if (passesAllBut(t, 'severity')) counts.severity[row.severity] = (counts.severity[row.severity] || 0) + 1;
      if (passesAllBut(t, 'status')) counts.status[row.status] = (counts.status[row.status] || 0) + 1;
      if (passesAllBut(t, 'year')) counts.year[row.year] = (counts.year[row.year] || 0) + 1;
      if (passesAllBut(t, 'service')) row.service.forEach(function (v) { counts.service[v] = (counts.service[v] || 0) + 1; });
      if (passesAllBut(t, 'tag')) row.tag.forEach(function (v) { counts.tag[v] = (counts.tag[v] || 0) + 1; });
      if (passesAllBut(t, '')) matches.push(row);
    }
    matches.sort(compare(state.sort));
    var fragment = document.createDocumentFragment();
    var end = Math.min(shown, matches.length);
    for (var j = 0; j < end; j++) fragment.appendChild(matches[j].tr);
    tbody.replaceChildren(fragment);
    updateCounts(counts);
    moreRow.hidden = end >= matches.length;
    var filtered = FILTERS.some(function (k) { return k === 'q' ? needles.length : state[k].length; });
    var text = filtered
      ? matches.length + ' of ' + rows.length + ' incidents match'
      : rows.length + ' incidents';
    if (end < matches.length) text += ', showing the first ' + end;
    statusEl.textContent = text + '.';
    if (foldCount) {
      var on = MULTI.reduce(function (n, k) { return n + state[k].length; }, 0) +
        ['tag', 'status', 'year'].filter(function (k) { return state[k]; }).length;
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
