// The node half of scripts/bench_static_search.py: builds the same bigram-tokenised documents
// into MiniSearch and FlexSearch (and pagefind's index), and measures size and recall.
// Usage: node bench_static_search.js WORKDIR   (WORKDIR holds docs.json, queries.json, node_modules)
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const work = path.resolve(process.argv[2]);
const need = (name) => require(path.join(work, "node_modules", name));
const MiniSearch = require(path.join(__dirname, "..", "static", "vendor", "minisearch-7.2.0", "minisearch.js"));
const { Index } = need("flexsearch");
const { parse, normalizer } = require(path.join(__dirname, "..", "static", "js", "static-search.js"));

const docs = JSON.parse(fs.readFileSync(path.join(work, "docs.json"), "utf8"));
const { queries, fold, synonyms } = JSON.parse(fs.readFileSync(path.join(work, "queries.json"), "utf8"));
const normalize = normalizer(fold);
const gz = (s) => zlib.gzipSync(Buffer.from(s), { level: 9 }).length;
const split = (s) => s.split(" ").filter(Boolean);
const same = (t) => t;

function bigrams(p) {
  const c = Array.from(p);
  if (c.length < 2) return c;
  return c.slice(0, -1).map((ch, i) => ch + c[i + 1]);
}

// What each term of a query needs, per alternative: [[token, prefix], …] (and a code, by prefix).
function plan(q) {
  return parse(q, normalize, synonyms).terms.map((term) => {
    const options = [term, ...term.alternatives].map((t) => {
      const parts = [];
      const phrases = t.phrases.length + t.words.length > 1 ? t.phrases.filter((p) => Array.from(p).length > 1) : t.phrases;
      phrases.forEach((p) => (Array.from(p).length === 1 ? parts.push([p, true]) : bigrams(p).forEach((g) => parts.push([g, false]))));
      t.words.forEach((w, i) => parts.push([w, t.prefix && i === t.words.length - 1]));
      return parts;
    });
    return { options, code: term.code };
  });
}

function evaluate(name, lookup) {
  // lookup(token, prefix, field) → Set of doc keys; AND over terms, OR over a term's wordings.
  let wanted = 0, found = 0, started = process.hrtime.bigint();
  for (const [q, server] of Object.entries(queries)) {
    let result = null;
    for (const term of plan(q)) {
      let any = new Set();
      for (const parts of term.options) {
        let all = null;
        for (const [token, prefix] of parts) {
          const hit = lookup(token, prefix, "text");
          all = all === null ? hit : new Set([...all].filter((d) => hit.has(d)));
        }
        (all || []).forEach((d) => any.add(d));
      }
      if (term.code) lookup(term.code, true, "codes").forEach((d) => any.add(d));
      result = result === null ? any : new Set([...result].filter((d) => any.has(d)));
    }
    wanted += server.length;
    found += server.filter((k) => result && result.has(k)).length;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { name, recall: found / wanted, found, wanted, query_ms: ms / Object.keys(queries).length };
}

const report = {};

// MiniSearch: one index over three fields; prefix search where the server expands.
{
  const t0 = Date.now();
  const mini = new MiniSearch({ fields: ["t", "x", "c"], tokenize: split, processTerm: same, idField: "id" });
  mini.addAll(docs);
  const json = JSON.stringify(mini);
  const byKey = new Map(docs.map((d, i) => [d.id, d.key]));
  const lookup = (token, prefix, field) => new Set(mini.search(token, {
    fields: field === "codes" ? ["c"] : ["t", "x"], prefix, combineWith: "AND", tokenize: split, processTerm: same,
  }).map((r) => byKey.get(r.id)));
  report.minisearch = { build_ms: Date.now() - t0, bytes: json.length, gzip: gz(json), ...evaluate("minisearch", lookup) };
}

// FlexSearch: one Index per field, tokens as given (strict: no prefixes, so a lone character matches itself only).
{
  const t0 = Date.now();
  const text = new Index({ tokenize: "strict", encode: split, resolution: 1 });
  const codes = new Index({ tokenize: "forward", encode: split, resolution: 1 });
  docs.forEach((d, i) => { text.add(i, d.x); codes.add(i, d.c); });
  const chunks = [];
  text.export((key, data) => chunks.push(String(data || "")));
  codes.export((key, data) => chunks.push(String(data || "")));
  const all = chunks.join("");
  const lookup = (token, prefix, field) => new Set(
    (field === "codes" ? codes : text).search(token, { limit: docs.length }).map((i) => docs[i].key));
  report.flexsearch = { build_ms: Date.now() - t0, bytes: all.length, gzip: gz(all), ...evaluate("flexsearch", lookup) };
}

// pagefind: its own index from the same tokens (custom records); recall is measured in a browser by the Python half.
(async () => {
  try {
    const pagefind = await import(path.join(work, "node_modules", "pagefind", "lib", "index.js"));
    const t0 = Date.now();
    const { index } = await pagefind.createIndex({ forceLanguage: "en", keepIndexUrl: true });
    for (const d of docs) {
      await index.addCustomRecord({ url: "/d/" + d.key, content: d.x + " " + d.c, language: "en" });
    }
    const out = path.join(work, "pagefind");
    fs.rmSync(out, { recursive: true, force: true });
    await index.writeFiles({ outputPath: out });
    let bytes = 0, files = 0, gzip = 0;
    const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return walk(p);
      const size = fs.statSync(p).size;
      bytes += size; files += 1; gzip += size;  // pagefind's files are already compressed
    });
    walk(out);
    report.pagefind = { build_ms: Date.now() - t0, bytes, gzip, files, output: out };
    await pagefind.close();
  } catch (error) {
    report.pagefind = { error: String(error) };
  }
  process.stdout.write(JSON.stringify(report) + "\n");
})();
