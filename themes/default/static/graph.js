// Graph page: highlight the incidents of one service. The graph itself is
// drawn at build time; without this script it is shown whole.
(function () {
  "use strict";
  var select = document.getElementById("graph-service");
  var svg = document.querySelector("svg.graph");
  if (!select || !svg) return;
  var form = select.form;
  form.hidden = false;
  function apply() {
    var service = select.value;
    svg.classList.toggle("filtered", service !== "");
    svg.querySelectorAll(".nodes a").forEach(function (a) {
      var services = (a.getAttribute("data-services") || "").split(" ");
      a.classList.toggle("match", service !== "" && services.indexOf(service) >= 0);
    });
    var url = new URL(window.location.href);
    if (service) url.searchParams.set("service", service); else url.searchParams.delete("service");
    window.history.replaceState(null, "", url);
  }
  var initial = new URL(window.location.href).searchParams.get("service");
  if (initial) select.value = initial;
  select.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
