/* Search in the static export: the server's search, done in the browser over the index the
 * export writes (portal/staticsearch: search-index/ beside static/), with MiniSearch.
 *
 * The query is read as the server reads it (portal/search/query_plan.py): the same
 * normalisation (NFKC, lower case, Traditional folded to Simplified with the shipped
 * table), Han text as character bigrams, words whole, a trailing * for a prefix, codes
 * by prefix, every term required, and the everyday-words dictionary. Only the shards
 * holding the query's terms are fetched. On the dynamic site this file is not loaded.
 */
(function (root) {
  "use strict";

  var HAN = "\\u3007\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
  var IS_HAN = new RegExp("^[" + HAN + "]$", "u");
  var NOT_HAN = new RegExp("[^" + HAN + "]+", "gu");
  // A Han run (bridging spaces and punctuation) or a run of other letters and digits.
  var RUNS = new RegExp("([" + HAN + "](?:[^\\p{L}\\p{N}_\\x1e]*[" + HAN + "])*)|((?:(?![" + HAN +
                        "])[\\p{L}\\p{N}_])+)", "gu");
  var NOT_WORD = /[^\p{L}\p{N}]+/gu;
  var CODE = /^[0-9a-z]+(?:-[0-9a-z]+)*-?$/;
  var SERIAL = /^0[0-9]{2,5}$/; /* a city code's zero-padded serial, as the server's query_plan */
  var OPERATORS = { "and": 1, "or": 1, "not": 1, "&&": 1, "||": 1 };
  var MAX_QUERY = 80, MAX_ALTERNATIVES = 8;

  function normalizer(fold) {
    return function (text) {
      var out = "";
      for (var ch of text.normalize("NFKC").toLowerCase()) out += fold[ch] || ch;
      return out;
    };
  }

  function looksLikeCode(term) {
    return CODE.test(term) && /[0-9]/.test(term) &&
      (term.indexOf("-") >= 0 || Array.from(term).length >= 6 || SERIAL.test(term));
  }

  function makeTerm(chunk) {
    var stripped = chunk.replace(/\*+$/, "");
    var term = { text: stripped, phrases: [], words: [], prefix: false, code: null, alternatives: [] };
    if (looksLikeCode(stripped)) term.code = stripped;
    for (var m of stripped.matchAll(RUNS)) {
      if (m[1]) term.phrases.push(m[1].replace(NOT_HAN, ""));
      else if (m[2]) term.words.push(m[2]);
    }
    var last = term.words[term.words.length - 1];
    term.prefix = chunk !== stripped && !!last && stripped.endsWith(last);
    return term.phrases.length || term.words.length ? term : null;
  }

  function han(term) { return term.phrases.join(""); }

  function joinSingles(terms) {
    var out = [];
    terms.forEach(function (term) {
      var prev = out[out.length - 1];
      var single = !term.words.length && !term.code && Array.from(han(term)).length === 1;
      var prevPlain = prev && !prev.words.length && !prev.code && prev.phrases.length;
      if (single && prevPlain) {
        prev.phrases[prev.phrases.length - 1] += han(term);
        prev.text += term.text;
      } else if (prevPlain && Array.from(han(prev)).length === 1 && !term.code && !term.words.length) {
        term.phrases[0] = han(prev) + term.phrases[0];
        term.text = prev.text + term.text;
        out[out.length - 1] = term;
      } else {
        out.push(term);
      }
    });
    return out;
  }

  function alternatives(text, entries, normalize) {
    var key = normalize(text).replace(NOT_WORD, "");
    var found = (entries[key] || []).slice();
    Object.keys(entries).forEach(function (word) {
      if (word !== key && key.indexOf(word) >= 0) {
        entries[word].forEach(function (other) { found.push(key.split(word).join(other)); });
      }
    });
    return found.filter(function (f, i) { return f !== key && found.indexOf(f) === i; }).slice(0, MAX_ALTERNATIVES);
  }

  /* What a visitor typed, as the server's query_plan.parse reads it. */
  function parse(query, normalize, synonyms) {
    var raw = Array.from((query || "").split(/\s+/).filter(Boolean).join(" ")).slice(0, MAX_QUERY).join("");
    var parts = normalize(raw).split('"');
    if (parts.length % 2 === 0) {
      parts = parts.slice(0, -2).concat([parts[parts.length - 2] + " " + parts[parts.length - 1]]);
    }
    var chunks = [];
    parts.forEach(function (part, i) {
      if (i % 2) chunks.push(part);
      else chunks.push.apply(chunks, part.split(/\s+/).filter(Boolean));
    });
    var terms = [];
    chunks.forEach(function (chunk) {
      var c = chunk.trim();
      if (!c || OPERATORS[c]) return;
      var term = makeTerm(c);
      if (term) terms.push(term);
    });
    terms = joinSingles(terms);
    terms.forEach(function (term) {
      term.alternatives = alternatives(term.text, synonyms || {}, normalize).map(makeTerm).filter(Boolean);
    });
    return { raw: raw, terms: terms };
  }

  function bigrams(chars) {
    var c = Array.from(chars), out = [];
    if (c.length < 2) return c;
    for (var i = 0; i < c.length - 1; i++) out.push(c[i] + c[i + 1]);
    return out;
  }

  /* The MiniSearch query of a term's text: every part required (a lone character by prefix). */
  function textQuery(term) {
    var phrases = term.phrases.length + term.words.length > 1
      ? term.phrases.filter(function (p) { return Array.from(p).length > 1; }) : term.phrases;
    var parts = [];
    phrases.forEach(function (p) {
      if (Array.from(p).length === 1) parts.push({ queries: [p], prefix: true });
      else parts.push({ queries: [bigrams(p).join(" ")], combineWith: "AND" });
    });
    term.words.forEach(function (w, i) {
      parts.push({ queries: [w], prefix: term.prefix && i === term.words.length - 1 });
    });
    return { queries: parts, combineWith: "AND" };
  }

  function termQuery(term) {
    var options = [term].concat(term.alternatives).map(textQuery);
    if (term.code) options.push({ queries: [term.code], fields: ["c"], prefix: true });
    return { queries: options, combineWith: "OR" };
  }

  /* Every index term a plan may need, with whether it is looked up by prefix. */
  function tokens(plan) {
    var out = [];
    plan.terms.forEach(function (term) {
      [term].concat(term.alternatives).forEach(function (t) {
        t.phrases.forEach(function (p) {
          if (Array.from(p).length === 1) out.push([p, true]);
          else bigrams(p).forEach(function (g) { out.push([g, false]); });
        });
        t.words.forEach(function (w) { out.push([w, t.prefix]); });
      });
      if (term.code) out.push([term.code, true]);
    });
    return out;
  }

  function shardKey(term) {
    var first = Array.from(term)[0];
    return IS_HAN.test(first) ? first : Array.from(term).slice(0, 2).join("");
  }

  function shardOf(key, shards) {
    var h = 0;
    for (var ch of key) h = (Math.imul(h, 31) + ch.codePointAt(0)) >>> 0;
    return h % shards;
  }

  /* A searcher over the index files, fetched through `load(name)` → Promise of parsed JSON. */
  function createSearcher(load, MiniSearch) {
    var cache = {};
    function get(name) { return cache[name] || (cache[name] = load(name)); }
    var ready = Promise.all([get("manifest.json"), get("fold.json"), get("synonyms.json")]);

    function shardNames(plan, manifest) {
      var width = String(manifest.shards - 1).length, names = {};
      tokens(plan).forEach(function (pair) {
        var term = pair[0], prefix = pair[1], n;
        if (prefix && !IS_HAN.test(Array.from(term)[0]) && Array.from(term).length < 2) {
          for (n = 0; n < manifest.shards; n++) names[n] = 1;  // one letter: any shard may hold its words
        } else {
          names[shardOf(shardKey(term), manifest.shards)] = 1;
        }
      });
      return Object.keys(names).sort().map(function (n) {
        return "terms-" + String(n).padStart(width, "0") + ".json";
      });
    }

    /* lengths.json: [id, field lengths] in the server index's order; a document's rank in it
     * breaks ties as the server does. */
    function index(manifest, lengths, shards) {
      var ids = {}, fieldLength = {}, order = {};
      lengths.forEach(function (entry, i) { ids[entry[0]] = entry[0]; fieldLength[entry[0]] = entry[1]; order[entry[0]] = i; });
      var json = {
        documentCount: manifest.documents, nextId: manifest.next_id, documentIds: ids,
        fieldIds: manifest.fields, fieldLength: fieldLength, averageFieldLength: manifest.average_lengths,
        storedFields: {}, dirtCount: 0, index: [].concat.apply([], shards), serializationVersion: 2
      };
      var split = function (text) { return text.split(" ").filter(Boolean); };
      var same = function (term) { return term; };
      var mini = MiniSearch.loadJSON(JSON.stringify(json), {
        fields: Object.keys(manifest.fields), tokenize: split, processTerm: same,
        searchOptions: { tokenize: split, processTerm: same, fields: ["t", "x"], boost: { t: 3 } }
      });
      mini.order = order;
      return mini;
    }

    /* Every hit of `query`, best first: [{id, kind, code, title, department, result, page}]. */
    function search(query) {
      return ready.then(function (base) {
        var manifest = base[0], normalize = normalizer(base[1]), plan = parse(query, normalize, base[2]);
        if (!plan.terms.length) return { plan: plan, hits: [] };
        var files = ["lengths.json"].concat(shardNames(plan, manifest));
        return Promise.all(files.map(get)).then(function (loaded) {
          var mini = index(manifest, loaded[0], loaded.slice(1));
          var query = { queries: plan.terms.map(termQuery), combineWith: "AND" };
          var found = mini.search(query);
          var titleTerms = plan.terms.map(function (term) {
            return [term].concat(term.alternatives).map(function (t) {
              return t.phrases.filter(function (p) { return Array.from(p).length > 1; })
                .reduce(function (all, p) { return all.concat(bigrams(p)); }, []).concat(t.words);
            });
          });
          found.forEach(function (hit) {
            var inTitle = 0;
            titleTerms.forEach(function (options) {
              var yes = options.some(function (grams) {
                return grams.length && grams.every(function (g) { return (hit.match[g] || []).indexOf("t") >= 0; });
              });
              if (yes) inTitle += 1;
            });
            hit.tier = inTitle;
          });
          found.sort(function (a, b) {
            return (b.tier - a.tier) || (b.score - a.score) || (mini.order[a.id] - mini.order[b.id]);
          });
          return { plan: plan, hits: found.map(function (h) { return { id: h.id }; }), manifest: manifest,
                   needles: needles(plan), normalize: normalize };
        });
      });
    }

    /* What the hits `from` to `to` show in language `lang` (zh-hans, zh-hant, en), read from
     * that language's hit chunks they are in (Traditional already converted as its pages are). */
    function describe(result, from, to, lang) {
      var manifest = result.manifest || {}, chunk = manifest.stored_chunk || 1;
      var languages = manifest.languages || [];
      lang = languages.indexOf(lang) >= 0 ? lang : languages[0];
      var shown = result.hits.slice(from, to);
      var chunkName = function (h) { return "hits-" + lang + "-" + Math.floor(h.id / chunk) + ".json"; };
      var names = {};
      shown.forEach(function (h) { names[chunkName(h)] = 1; });
      var list = Object.keys(names);
      return Promise.all(list.map(get)).then(function (chunks) {
        var byName = {};
        list.forEach(function (name, i) { byName[name] = chunks[i]; });
        return shown.map(function (h) {
          var row = byName[chunkName(h)][h.id];
          return { id: h.id, kind: row[0], code: row[1], title: row[2], departmentName: row[3], department: row[4],
                   snippets: row[5], page: row[6], departmentPage: manifest.department_pages[row[4]] };
        });
      });
    }

    return { search: search, describe: describe };
  }

  /* What to mark in titles and snippets, as the server's QueryPlan.highlights: phrases, words, codes. */
  function needles(plan) {
    var found = [];
    plan.terms.forEach(function (term) {
      [term].concat(term.alternatives).forEach(function (one) {
        found = found.concat(one.phrases, one.words);
        if (one.code) found.push(one.code);
      });
    });
    return found.filter(function (f, i) { return f && found.indexOf(f) === i; })
      .sort(function (a, b) { return Array.from(b).length - Array.from(a).length; });
  }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  /* `text` cut into [part, marked?] pieces where it matches `needles`, matched as the server's
   * highlighting does: on the normalised text (so a Traditional title matches a Simplified
   * needle), Han needles across spaces and punctuation. */
  function marks(text, needleList, normalize) {
    var chars = Array.from(text || ""), folded = "", owner = [];
    chars.forEach(function (ch, i) {
      var out = normalize(ch);
      folded += out;
      for (var k = 0; k < out.length; k++) owner.push(i);
    });
    var parts = (needleList || []).filter(Boolean).map(function (needle) {
      var hanOnly = Array.from(needle).every(function (c) { return IS_HAN.test(c); });
      return hanOnly ? Array.from(needle).map(escapeRegExp).join("[^\\p{L}\\p{N}_\\n]*") : escapeRegExp(needle);
    });
    if (!parts.length) return [[text || "", false]];
    var pattern = new RegExp(parts.join("|"), "gu"), pieces = [], last = 0, m;
    while ((m = pattern.exec(folded)) !== null) {
      if (!m[0].length) { pattern.lastIndex += 1; continue; }
      var start = owner[m.index], end = owner[m.index + m[0].length - 1] + 1;
      if (start < last) continue;
      if (start > last) pieces.push([chars.slice(last, start).join(""), false]);
      pieces.push([chars.slice(start, end).join(""), true]);
      last = end;
    }
    if (last < chars.length) pieces.push([chars.slice(last).join(""), false]);
    return pieces;
  }

  var api = { parse: parse, normalizer: normalizer, createSearcher: createSearcher, shardOf: shardOf,
              shardKey: shardKey, marks: marks };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.StaticSearch = api;
})(typeof window !== "undefined" ? window : globalThis);
