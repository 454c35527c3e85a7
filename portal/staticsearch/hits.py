"""What a browser-search hit shows, in each language, as the server's search page shows it.

The server's zh-hant pages are Simplified pages converted whole (`i18n.display.to_traditional`,
with the city's proper nouns protected), and its English pages name departments and field
labels in English while the disclosures stay as published. The browser fills its results in
after the page is converted, so each language gets hit rows of its own, converted here at
export time with the same converter and the same labels.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, g
from flask_babel import force_locale

from ..i18n.display import converter, shown_title, term
from ..search.documents import Document


def _snippets(doc: Document) -> list[list[str]]:
    """The texts that rank with the title (a service's 办理结果名称), each with its field's label."""
    out = []
    for text in doc.headline:
        try:  # one scan of the texts, which a guide's tables make long (no copy of them either)
            at = doc.texts.index(text, 1)
        except ValueError:
            at = 0
        label = doc.labels[at - 1] if at else ""
        out.append([term(label) if label else "", text])
    return out


def rows(lang: str, docs: Iterable[Document], pages: Iterable[str],
         departments: dict[str, tuple[str, str | None]]) -> list[list]:
    """The hit rows of `docs` in `lang`: [kind, code, title, department's name, department's code,
    [[label, text]…], page]; `departments` maps a code to (name, English name)."""
    with current_app.test_request_context(f"/{lang}/"), force_locale(current_app.config["LOCALES"][lang]):
        g.lang = lang
        out = []
        for doc, page in zip(docs, pages):
            name, name_en = departments.get(doc.department, (doc.department, None))
            shown = name_en if lang == "en" and name_en else name
            row = [doc.kind, doc.code, shown_title(doc.kind, doc.title, shown), shown,
                   doc.department, _snippets(doc), page]
            if lang == "zh-hant":
                convert = converter().convert
                row[2], row[3] = convert(row[2]), convert(row[3])
                row[5] = [[convert(label), convert(text)] for label, text in row[5]]
            out.append(row)
        return out
