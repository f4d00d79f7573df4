// The not-found page is served for a missing address at any depth, where
// its relative links would point below the site. Find the site's root (the
// nearest folder above the address that holds this page) and point the
// links, the search box and its script there. From disk the page is only
// ever opened at the root, where the links are right as written.
(function () {
  function fix(root) {
    document.querySelectorAll('a[href]').forEach(function (a) {
      var href = a.getAttribute('href');
      if (!/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(href)) a.setAttribute('href', root + href);
    });
    var form = document.getElementById('site-search');
    if (form) {
      form.setAttribute('data-root', root);
      form.setAttribute('action', root + 'index.html');
    }
    var script = document.createElement('script');
    script.src = root + 'static/search.js';
    document.body.appendChild(script);
  }
  if (location.protocol === 'file:' || !window.fetch) { fix(''); return; }
  var parts = location.pathname.split('/');
  parts.pop();
  var dirs = [];
  for (; parts.length; parts.pop()) dirs.push(parts.join('/') + '/');
  // Every folder is asked at once; the deepest that answers is the root.
  Promise.all(dirs.map(function (dir) {
    return fetch(dir + '404.html', { method: 'HEAD', cache: 'no-store' })
      .then(function (r) { return r.ok; }, function () { return false; });
  })).then(function (found) {
    var at = found.indexOf(true);
    if (at >= 0) fix(dirs[at]);
  });
})();
