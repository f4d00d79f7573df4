// Filters a list by the selects of `form[data-facets]`: an item
// (`[data-facet-item]`) stays when, for every chosen value, its
// `data-<select name>` JSON array holds that value. Groups
// (`[data-facet-group]`) with no item left are hidden. The state lives in
// the URL query, so a filtered view is a shareable link. Without
// JavaScript the form stays hidden and the whole list shows.
(function () {
  "use strict";
  var form = document.querySelector("form[data-facets]");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-facet-item]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-facet-group]"));
  var count = form.querySelector("[data-facet-count]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
  var params = new URLSearchParams(window.location.search);

  selects.forEach(function (s) {
    var wanted = params.get(s.name);
    var known = Array.prototype.some.call(s.options, function (o) { return o.value === wanted; });
    if (wanted !== null && known) s.value = wanted;
  });

  function values(item, name) {
    try {
      var v = JSON.parse(item.getAttribute("data-" + name) || "[]");
      return Array.isArray(v) ? v : [];
    } catch (e) {
      return [];
    }
  }

  function apply() {
    var active = selects.filter(function (s) { return s.value !== ""; });
    var shown = 0;
    items.forEach(function (item) {
      var keep = active.every(function (s) { return values(item, s.name).indexOf(s.value) !== -1; });
      item.hidden = !keep;
      if (keep) shown += 1;
    });
    groups.forEach(function (g) {
      g.hidden = !g.querySelector("[data-facet-item]:not([hidden])");
    });
    if (count) count.textContent = shown + " of " + items.length + " shown";
    var query = new URLSearchParams();
    active.forEach(function (s) { query.set(s.name, s.value); });
    var qs = query.toString();
    try {
      window.history.replaceState(null, "", (qs ? "?" + qs : window.location.pathname) + window.location.hash);
    } catch (e) {
      // Some browsers refuse history updates on file:// pages; filtering still works.
    }
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  apply();
})();
