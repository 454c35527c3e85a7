"""What the whoosh index stores for one search document: its fields, codes and gram terms."""

from __future__ import annotations

from .documents import LABEL_BREAK, Document
from .index_terms import index_terms
from .text_normalize import normalize


def code_terms(code: str) -> list[str]:
    """A code and its prefixes at each hyphen, normalised: 99010001fg, 99010001fg-xk, …"""
    code = normalize(code)
    parts = code.split("-")
    return ["-".join(parts[:i]) for i in range(1, len(parts) + 1)]


def stored_text(doc: Document) -> str:
    """A hit's texts as stored for snippets: one `label<LABEL_BREAK>value` per line."""
    labels = doc.labels + [""] * (len(doc.texts) - 1 - len(doc.labels))
    return "\n".join(f"{label}{LABEL_BREAK}{' '.join(value.split())}"
                     for label, value in zip(labels, doc.texts[1:]))


def document_fields(doc: Document) -> dict:
    """The whoosh fields of a document, as `whoosh_schema.schema` declares them."""
    terms = index_terms(doc.texts)
    title = index_terms([doc.title, *doc.headline])  # what ranks with the title

    codes = sorted({t for c in doc.codes for t in code_terms(c)})
    return {
        "id": doc.key,
        "kind": doc.kind.encode(),
        "department": doc.department.encode(),
        "power_type": (doc.power_type or "-").encode(),
        "year": (doc.year or "-").encode(),
        "size": terms[1],
        "title_size": title[1],
        "codes": " ".join(codes),
        "title": title,
        "all": terms,
        "code": doc.code,
        "heading": doc.title,
        "text": stored_text(doc),
    }
