"""Chinese text for search: one normalisation, index terms, the query plan, highlighting.

Everything that decides whether a document matches a query lives here, so the
index and the query can never disagree:

* `normalize` folds what a reader treats as the same text: NFKC (full-width
  ＡＢＣ１２３ and half-width abc123 are equal), lower case, and Traditional
  characters to Simplified, character by character (發/髮 → 发, 臺 → 台), so a
  Traditional query finds Simplified content and the other way round. Folding
  character by character keeps substrings substrings, which a phrase-based
  converter would not.
* Han text is indexed as overlapping character bigrams. A run of Han characters
  continues across spaces and punctuation (工程,规划 yields the bigram 程规),
  and breaks at anything else (letters, digits, field boundaries), so a bigram
  phrase matches exactly the documents that contain the query's Han text once
  spaces and punctuation are ignored: no word list decides what can be found.
* Letters and digits are indexed as whole tokens; codes also go into a field
  of their own for exact and prefix matches (`codes`).
"""

from __future__ import annotations

from .highlighting import highlight, labelled_snippets, snippet
from .index_terms import bigrams, index_terms
from .query_plan import MAX_QUERY, QueryPlan, Term, looks_like_code, parse
from .text_normalize import FIELD_BREAK, HAN, compact, han_text, is_han, normalize

__all__ = [
    "FIELD_BREAK", "HAN", "MAX_QUERY", "QueryPlan", "Term", "bigrams", "compact", "han_text",
    "highlight", "index_terms", "labelled_snippets", "is_han", "looks_like_code", "normalize", "parse", "snippet",
]
