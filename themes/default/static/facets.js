// Filters a list by the controls of `form[data-facets]`: checkbox groups
// (any of the checked values) and selects (one value). The state lives in
// the URL query (repeated for several values), so a filtered view is a
// shareable link. On a phone the controls fold behind one button. Without
// JavaScript the form stays hidden and the whole list shows, page by page.
//
// Two kinds of list:
// - A list split into pages (the actions page) names its filter data in
//   `data-list` (written at build time, see src/render/list_data.rs): the
//   columns of the filters in use are loaded as <script> files, so it
//   works from disk too, then the rows of the first PAGE matches from
//   every page (more on "Show more"). A filter downloads what it tests
//   and shows.
// - A list on one page (the timeline) keeps each item's values in the
//   page: an item (`[data-facet-item]`) stays when, for every filter in
//   use, its `data-<name>` JSON array holds one of the chosen values.
//   Groups (`[data-facet-group]`) with no item left are hidden.
(function () {
  "use strict";
  var form = document.querySelector("form[data-facets]");
  if (!form) return;
  var PAGE = 200;
  var count = form.querySelector("[data-facet-count]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var names = [];
  selects.concat(boxes).forEach(function (el) { if (names.indexOf(el.name) < 0) names.push(el.name); });
  var params = new URLSearchParams(window.location.search);

  selects.forEach(function (s) {
    var wanted = params.get(s.name);
    var known = Array.prototype.some.call(s.options, function (o) { return o.value === wanted; });
    if (wanted !== null && known) s.value = wanted;
  });
  boxes.forEach(function (b) { b.checked = params.getAll(b.name).indexOf(b.value) >= 0; });

  function chosen() {
    var out = {};
    selects.forEach(function (s) { if (s.value !== "") out[s.name] = [s.value]; });
    boxes.forEach(function (b) {
      if (b.checked) (out[b.name] = out[b.name] || []).push(b.value);
    });
    return out;
  }

  var list = document.querySelector("[data-facet-group]");
  if (!list) return;
  var show = form.hasAttribute("data-list") ? fromData(form.getAttribute("data-list")) : inPage();

  function apply(more) {
    var active = chosen();
    var keys = names.filter(function (n) { return active[n]; });
    show(active, keys, more === true);
    var foldCount = form.querySelector("[data-fold-count]");
    var n = keys.reduce(function (a, k) { return a + active[k].length; }, 0);
    if (foldCount) foldCount.textContent = n ? " (" + n + " on)" : "";
    if (more === true) return;
    var query = new URLSearchParams();
    keys.forEach(function (k) { active[k].forEach(function (v) { query.append(k, v); }); });
    var qs = query.toString();
    try {
      window.history.replaceState(null, "", (qs ? "?" + qs : window.location.pathname) + window.location.hash);
    } catch (e) {
      // Some browsers refuse history updates on file:// pages; filtering still works.
    }
  }

  // The items of this page, filtered by the values they carry.
  function inPage() {
    var items = Array.prototype.slice.call(document.querySelectorAll("[data-facet-item]"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-facet-group]"));
    function values(item, name) {
      try {
        var v = JSON.parse(item.getAttribute("data-" + name) || "[]");
        return Array.isArray(v) ? v : [];
      } catch (e) {
        return [];
      }
    }
    return function (active, keys) {
      var shown = 0;
      items.forEach(function (item) {
        var keep = keys.every(function (k) {
          var have = values(item, k);
          return active[k].some(function (v) { return have.indexOf(v) !== -1; });
        });
        item.hidden = !keep;
        if (keep) shown += 1;
      });
      groups.forEach(function (g) {
        g.hidden = !g.querySelector("[data-facet-item]:not([hidden])");
      });
      if (count) count.textContent = shown + " of " + items.length + " shown";
    };
  }

  // The items of every page, from the list's data files.
  function fromData(base) {
    var tbody = list;
    var staticRows = Array.prototype.slice.call(tbody.children);
    var pager = document.querySelector("nav.pager");
    var more = document.querySelector("[data-facet-more]");
    var store = window.hindsightList = window.hindsightList || {};
    var requested = {};
    var parsed = {};
    var limit = PAGE;
    var waiting = false;

    function get(name) {
      if (Object.prototype.hasOwnProperty.call(store, name)) return store[name];
      waiting = true;
      if (requested[name]) return undefined;
      requested[name] = true;
      var script = document.createElement("script");
      script.src = base + name + ".js";
      script.onload = function () { apply(true); };
      script.onerror = function () { if (count) count.textContent = "The list data could not be loaded."; };
      document.head.appendChild(script);
      return undefined;
    }

    // The row of item `d`, parsed once from its row file.
    function rowOf(man, d) {
      if (parsed[d]) return parsed[d];
      var n = Math.floor(d / man.per);
      var file = get("r/" + n);
      if (!file) return undefined;
      var doc = new DOMParser().parseFromString("<table><tbody>" + file.join("") + "</tbody></table>", "text/html");
      Array.prototype.forEach.call(doc.querySelector("tbody").rows, function (tr, i) {
        parsed[n * man.per + i] = document.importNode(tr, true);
      });
      return parsed[d];
    }

    if (more) {
      more.querySelector("button").addEventListener("click", function () {
        limit += PAGE;
        apply(true);
      });
    }

    return function (active, keys, keepLimit) {
      if (!keepLimit) limit = PAGE;
      if (!keys.length) {
        tbody.replaceChildren.apply(tbody, staticRows);
        if (pager) pager.hidden = false;
        if (more) more.hidden = true;
        if (count) count.textContent = "";
        return;
      }
      waiting = false;
      var man = get("index");
      var columns = keys.map(function (k) { return get("c/" + k); });
      if (waiting) return;
      // Per filter in use, the ids of its chosen values.
      var wanted = keys.map(function (k) {
        var ids = {};
        man.values[k].forEach(function (v, id) { if (active[k].indexOf(v) !== -1) ids[id] = true; });
        return ids;
      });
      var matches = [];
      for (var d = 0; d < man.n; d++) {
        var keep = true;
        for (var j = 0; j < keys.length && keep; j++) {
          var v = columns[j][d];
          keep = typeof v === "number" ? wanted[j][v] === true : v.some(function (id) { return wanted[j][id] === true; });
        }
        if (keep) matches.push(d);
      }
      var end = Math.min(limit, matches.length);
      var rows = [];
      for (var i = 0; i < end; i++) rows.push(rowOf(man, matches[i]));
      if (waiting) return;
      tbody.replaceChildren.apply(tbody, rows);
      if (pager) pager.hidden = true;
      if (more) more.hidden = end >= matches.length;
      if (count) {
        count.textContent = matches.length + " of " + man.n + " match" +
          (end < matches.length ? ", the first " + end + " shown" : "");
      }
    };
  }

  // Open on wide screens, folded behind its summary on a phone.
  var fold = form.querySelector("details.fold");
  if (fold && window.matchMedia) {
    var narrow = window.matchMedia("(max-width: 40rem)");
    var set = function () { fold.open = !narrow.matches; };
    set();
    if (narrow.addEventListener) narrow.addEventListener("change", set);
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
})();
