// Filters a list by the controls of `form[data-facets]`: checkbox groups
// (any of the checked values) and selects (one value). An item
// (`[data-facet-item]`) stays when, for every filter in use, its
// `data-<name>` JSON array holds one of the chosen values. Groups
// (`[data-facet-group]`) with no item left are hidden. The state lives in
// the URL query (repeated for several values), so a filtered view is a
// shareable link. On a phone the controls fold behind one button. Without
// JavaScript the form stays hidden and the whole list shows.
(function () {
  "use strict";
  var form = document.querySelector("form[data-facets]");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-facet-item]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-facet-group]"));
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

  function values(item, name) {
    try {
      var v = JSON.parse(item.getAttribute("data-" + name) || "[]");
      return Array.isArray(v) ? v : [];
    } catch (e) {
      return [];
    }
  }

  function chosen() {
    var out = {};
    selects.forEach(function (s) { if (s.value !== "") out[s.name] = [s.value]; });
    boxes.forEach(function (b) {
      if (b.checked) (out[b.name] = out[b.name] || []).push(b.value);
    });
    return out;
  }

  function apply() {
    var active = chosen();
    var keys = names.filter(function (n) { return active[n]; });
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
    var foldCount = form.querySelector("[data-fold-count]");
    var n = keys.reduce(function (a, k) { return a + active[k].length; }, 0);
    if (foldCount) foldCount.textContent = n ? " (" + n + " on)" : "";
    var query = new URLSearchParams();
    keys.forEach(function (k) { active[k].forEach(function (v) { query.append(k, v); }); });
    var qs = query.toString();
    try {
      window.history.replaceState(null, "", (qs ? "?" + qs : window.location.pathname) + window.location.hash);
    } catch (e) {
      // Some browsers refuse history updates on file:// pages; filtering still works.
    }
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
