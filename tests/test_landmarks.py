"""A screen reader's list of regions names each one once: no two landmarks share a name."""

from __future__ import annotations

import collections

import lxml.html
import pytest

from tests.browser_support import PAGE_TYPES

LANDMARK_TAGS = {"main", "nav", "aside", "header", "footer", "form"}


def _landmark_names(html: str) -> list[str]:
    """The accessible names of the page's named landmarks: a section or form is a landmark only
    when named, and role="region" always is."""
    doc = lxml.html.fromstring(html)
    names = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        named = el.get("aria-labelledby") or el.get("aria-label")
        landmark = el.get("role") in ("region", "search", "navigation") or el.tag in LANDMARK_TAGS or (
            el.tag == "section" and named)
        if landmark and named:
            if el.get("aria-label"):
                name = el.get("aria-label")
            else:
                name = " ".join(doc.get_element_by_id(i).text_content().strip()
                                for i in el.get("aria-labelledby").split())
            role = el.get("role") or {"section": "region", "form": "form"}.get(el.tag, el.tag)
            names.append(f"{role}:{name}")
    return names


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
@pytest.mark.parametrize("path", sorted({*PAGE_TYPES.values(), "/data/powers/", "/feeds/"}))
def test_no_two_landmarks_share_a_name(client, lang, path):
    names = _landmark_names(client.get(f"/{lang}{path}", follow_redirects=True).get_data(as_text=True))
    assert [n for n, seen in collections.Counter(names).items() if seen > 1] == []
