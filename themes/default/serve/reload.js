// Live reload for `hindsight serve` only: never part of a built site.
// After every rebuild that changed something the server sends `reload`
// with the site paths whose bytes changed (or "*" for every page); a page
// reloads only when its own path is among them. On connect, `hello`
// carries this page's current version: a page that changed while it was
// loading reloads at once, one that did not stays as it is.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  var page = sitePath(window.location.pathname);
  var url = "/__hindsight/events?page=" + encodeURIComponent(window.location.pathname);
  var source = null;
  var reloading = false;

  // The server's site_path(): percent-decoded, empty segments dropped,
  // a trailing "/" meaning its index.html.
  function sitePath(pathname) {
    var decoded;
    try {
      decoded = decodeURIComponent(pathname);
    } catch (e) {
      decoded = pathname;
    }
    var rel = decoded.split("/").filter(function (s) { return s !== ""; }).join("/");
    if (decoded.charAt(decoded.length - 1) === "/") {
      rel = rel === "" ? "index.html" : rel + "/index.html";
    }
    return rel;
  }

  function reload() {
    if (!reloading) {
      reloading = true;
      close();
      window.location.reload();
    }
  }

  function close() {
    if (source !== null) {
      source.close();
      source = null;
    }
  }

  function open() {
    if (source !== null || reloading) {
      return;
    }
    source = new EventSource(url);
    source.addEventListener("hello", function (event) {
      if (version !== null && event.data !== version) {
        reload();
      }
    });
    source.addEventListener("reload", function (event) {
      var paths = "*";
      try {
        paths = JSON.parse(event.data).paths;
      } catch (e) {
        // An unreadable event reloads, as before paths were sent.
      }
      if (paths === "*" || (Array.isArray(paths) && paths.indexOf(page) !== -1)) {
        reload();
      }
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      close();
    } else {
      open();
    }
  });
  if (document.visibilityState !== "hidden") {
    open();
  }
})();
