/* Several filters at once on the static copy of a list.
 *
 * A static host has a page for each filter value on its own (…/by/<filter>/<value>/), which
 * is what every facet link opens without JavaScript. With it, on a page already filtered,
 * choosing a value of another filter reads this page's JSON twin (all its pages) and keeps
 * the rows that also match, without leaving the page; the address's #fragment keeps the
 * choice (#status=在用&power_type=行政许可) so that it can be shared.
 */
(function () {
  "use strict";
  var twinLink = document.querySelector('link[rel="alternate"][type="application/json"]');
  var table = document.querySelector("table.list");
  var chosen = document.querySelector('.facets strong[aria-current="true"]');
  if (!twinLink || !table || !chosen || !window.fetch) { return; }
  var twin = new URL(twinLink.getAttribute("href"), location.href).href;
  var base = twin.replace(/(\/page\/\d+)?\.json$/, "");
  var lang = "/" + document.documentElement.lang.toLowerCase() + "/";
  var here = location.pathname.slice(0, location.pathname.indexOf(lang));
  var fields = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
    return th.getAttribute("data-field");
  });
  var rows = null;

  function allRows() {
    if (rows) { return Promise.resolve(rows); }
    return fetch(twin).then(function (r) { return r.json(); }).then(function (first) {
      var pages = [Promise.resolve(first)];
      for (var n = 2; n <= first.pages; n++) {
        pages.push(fetch(base + "/page/" + n + ".json").then(function (r) { return r.json(); }));
      }
      return Promise.all(pages);
    }).then(function (pages) {
      rows = [].concat.apply([], pages.map(function (p) { return p.items; }));
      return rows;
    });
  }

  function value(item, field) {
    var v = item[field];
    if (field === "department" && v) { return v.code; }
    return v === null || v === undefined ? "" : String(v);
  }

  function text(item, field) {
    var v = item[field];
    if (field === "department" && v) { return v.name; }
    return v === null || v === undefined ? "—" : String(v);
  }

  function pageOf(url) {  // an item's root-relative URL, as a link from this page
    var at = url.indexOf(lang);
    return here + url.slice(at) + (url.slice(-1) === "/" ? "index.html" : "");
  }

  function show(filters) {
    allRows().then(function (items) {
      var kept = items.filter(function (item) {
        return Object.keys(filters).every(function (f) { return value(item, f) === filters[f]; });
      });
      var body = table.tBodies[0];
      body.textContent = "";
      kept.forEach(function (item) {
        var tr = body.insertRow();
        var first = tr.insertCell();
        var a = document.createElement("a");
        a.href = pageOf(item.url);
        a.textContent = item.title;
        first.appendChild(a);
        fields.slice(1).forEach(function (f) { tr.insertCell().textContent = text(item, f); });
      });
      var total = document.querySelector(".list-bar .total");
      if (total) { total.setAttribute("data-combined", String(kept.length)); total.textContent = "∑ " + kept.length; }
      var pager = document.querySelector(".pagination");
      if (pager) { pager.hidden = true; }
    });
  }

  function filtersFromHash() {
    var found = {};
    new URLSearchParams(location.hash.slice(1)).forEach(function (v, k) { found[k] = v; });
    return found;
  }

  document.querySelectorAll(".facets a[data-facet]").forEach(function (link) {
    var facet = link.getAttribute("data-facet");
    if (link.closest("details").querySelector('strong[aria-current="true"]')) { return; }  // same filter
    if (fields.indexOf(facet) < 0) { return; }  // not a column of the rows: the page link it is
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var filters = filtersFromHash();
      filters[facet] = link.getAttribute("data-value");
      location.hash = new URLSearchParams(filters).toString();
      show(filters);
    });
  });
  if (location.hash.length > 1) { show(filtersFromHash()); }
})();
