// Runs the export's search script in node over an index directory: one JSON line of hits per query.
// Usage: node static_search_queries.js VENDOR_MINISEARCH STATIC_SEARCH_JS INDEX_DIR [LANG] < queries (one per line)
// Each line: the query, its hits (kind:code), what the first ten show in LANG (default zh-hans), the files loaded.
"use strict";
const fs = require("fs");
const path = require("path");
const [minisearchPath, scriptPath, indexDir, lang = "zh-hans"] = process.argv.slice(2);
const { marks } = require(path.resolve(scriptPath));
const MiniSearch = require(path.resolve(minisearchPath));
const { createSearcher } = require(path.resolve(scriptPath));
const read = (name) => Promise.resolve(JSON.parse(fs.readFileSync(path.join(indexDir, name), "utf8")));
const queries = fs.readFileSync(0, "utf8").split("\n").filter((q) => q.length);
(async () => {
  for (const q of queries) {
    // A fresh searcher per query, as a visitor's page load is: it records every file it fetches.
    const loaded = new Set();
    const searcher = createSearcher((name) => { loaded.add(name); return read(name); }, MiniSearch);
    const result = await searcher.search(q);
    const hits = await searcher.describe(result, 0, result.hits.length, lang);
    const marked = (text) => marks(text, result.needles, result.normalize)
      .map(([part, yes]) => (yes ? "<mark>" + part + "</mark>" : part)).join("");
    const describe = (h) => ({
      code: h.code, title: h.title, title_html: marked(h.title), department: h.departmentName, department_page: h.departmentPage,
      page: h.page, snippets: h.snippets.map(([label, text]) => [label, marked(text)]),
    });
    const shown = hits.slice(0, 10).map(describe);
    // Every hit's description by its code, when asked for (LANG given): what a later page shows.
    const all = process.argv[5] ? Object.fromEntries(hits.map((h) => [h.code, describe(h)])) : undefined;
    process.stdout.write(JSON.stringify({ q, hits: hits.map((h) => h.kind + ":" + h.code), shown, all,
                                          files: [...loaded] }) + "\n");
  }
})().catch((e) => { console.error(e); process.exit(1); });
