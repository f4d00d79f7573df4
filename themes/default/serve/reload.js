// Live reload for `hindsight serve` only: never part of a built site.
// The server sends `reload` after every rebuild that changed the site or
// its error state; `hello` on connect carries the current generation, so a
// page rendered before a rebuild it missed reloads at once.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generation") : null;
  var source = new EventSource("/__hindsight/events");
  source.addEventListener("hello", function (event) {
    if (generation !== null && event.data !== generation) {
      window.location.reload();
    }
  });
  source.addEventListener("reload", function () {
    window.location.reload();
  });
})();
