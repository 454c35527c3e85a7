/* The search page of the static export: reads ?q=, searches with static-search.js (over the
 * index in search-index/ beside static/) and shows the hits twenty at a time.
 */
(function (root) {
  "use strict";

  var thisScript = document.currentScript;

  function text(tag, className, content) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (content !== undefined) el.textContent = content;
    return el;
  }

  function start() {
    var box = document.querySelector("[data-static-search]");
    var script = thisScript || document.querySelector("script[data-static-search-script]");
    if (!box || !root.MiniSearch || !root.StaticSearch || !root.fetch) return;
    // The page's words, in its language (a Traditional page is converted as a whole, attributes too).
    var words = { loading: box.dataset.loading, found: box.dataset.found, failed: box.dataset.failed, kinds: {} };
    Object.keys(box.dataset).forEach(function (key) {
      if (key.indexOf("kind") === 0) words.kinds[key.slice(4).toLowerCase()] = box.dataset[key];
    });
    var base = new URL("../../search-index/", script.src);
    var home = new URL(box.getAttribute("data-home"), document.baseURI);
    var q = new URLSearchParams(root.location.search).get("q") || "";
    var input = document.getElementById("search-q");
    if (input) input.value = q;
    if (!q.trim()) return;
    var status = box.querySelector("[role=status]"), list = box.querySelector("ol"), more = box.querySelector("button");
    status.textContent = words.loading;
    var searcher = root.StaticSearch.createSearcher(function (name) {
      return fetch(new URL(name, base)).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      });
    }, root.MiniSearch);
    var lang = box.dataset.lang, shown = 0, result;
    // Text with the query's matches in <mark>, as the server's results are.
    function marked(parent, content) {
      root.StaticSearch.marks(content, result.needles, result.normalize).forEach(function (piece) {
        parent.appendChild(piece[1] ? text("mark", "", piece[0]) : document.createTextNode(piece[0]));
      });
      return parent;
    }
    function page() {
      return searcher.describe(result, shown, shown + 20, lang).then(function (hits) {
        hits.forEach(function (hit) {
          var li = text("li", "search-hit");
          var meta = text("p", "hit-meta");
          var department = text("a", "", hit.departmentName);
          department.href = new URL(hit.departmentPage, home).href;
          meta.appendChild(text("span", "hit-kind", words.kinds[hit.kind] || hit.kind));
          meta.appendChild(document.createTextNode(" · "));
          meta.appendChild(department);
          meta.appendChild(document.createTextNode(" · "));
          meta.appendChild(text("span", "code", hit.code));
          var h2 = text("h2", "hit-title"), a = marked(text("a", ""), hit.title);
          a.href = new URL(hit.page, home).href;
          h2.appendChild(a);
          li.appendChild(meta);
          li.appendChild(h2);
          hit.snippets.forEach(function (snippet) {
            var p = text("p", "hit-snippet");
            p.appendChild(text("span", "hit-field", snippet[0]));
            p.appendChild(document.createTextNode(" "));
            li.appendChild(marked(p, snippet[1]));
          });
          list.appendChild(li);
        });
        shown += hits.length;
        more.hidden = shown >= result.hits.length;
      });
    }
    searcher.search(q).then(function (found) {
      result = found;
      status.textContent = words.found.replace("%(q)s", q).replace("%(total)s", String(found.hits.length));
      more.addEventListener("click", page);
      return page();
    }).catch(function () { status.textContent = words.failed; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(window);
