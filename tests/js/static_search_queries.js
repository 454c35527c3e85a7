// Runs the export's search script in node over an index directory: one JSON line of hits per query.
// Usage: node static_search_queries.js VENDOR_MINISEARCH STATIC_SEARCH_JS INDEX_DIR < queries (one per line)
"use strict";
const fs = require("fs");
const path = require("path");
const [minisearchPath, scriptPath, indexDir] = process.argv.slice(2);
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
    const hits = await searcher.describe(result, 0, result.hits.length);
    process.stdout.write(JSON.stringify({ q, hits: hits.map((h) => h.kind + ":" + h.code), files: [...loaded] }) + "\n");
  }
})().catch((e) => { console.error(e); process.exit(1); });
