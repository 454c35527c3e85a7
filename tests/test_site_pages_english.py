"""Site pages read in English on English pages, where an English body is written, and say so in `lang`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.catalog import pages as site_pages
from tests.helpers import visible_text

CONTENT_PAGES = Path(__file__).parent.parent / "content" / "pages"


def _body(html: str) -> str:
    return html.split('<article class="prose">', 1)[1].split("</article>", 1)[0]


def test_an_english_page_has_an_english_body_marked_as_english(client):
    html = client.get("/en/pages/about/").get_data(as_text=True)
    body = _body(html)
    assert "Test City's <strong>efficiency disclosures</strong>." in body
    assert "<script" not in body  # sanitised like the Chinese body
    assert 'lang="zh-Hans"' not in body
    assert "效能公开" not in body


@pytest.mark.parametrize("lang, words, marked", [("zh-hans", "测试市的", False), ("zh-hant", "測試市的", False)])
def test_chinese_pages_keep_the_chinese_body(client, lang, words, marked):
    body = _body(client.get(f"/{lang}/pages/about/").get_data(as_text=True))
    assert words in visible_text(body)
    assert ('lang="zh-Hans"' in body) is marked


def test_the_json_twin_carries_the_english_body(client):
    data = client.get("/en/pages/about.json").get_json()
    assert data["title"] == "About this site" and "efficiency disclosures" in data["html"]


def test_every_published_site_page_has_an_english_body_and_summary():
    for slug, found in site_pages.all_pages(CONTENT_PAGES).items():
        english = found.in_language("en")
        assert english.body_lang == "en" and english.text_lang == "en", slug
        # Written English: no Chinese left in it beyond the portal's own name.
        assert not re.search(r"[\u4e00-\u9fff]", re.sub("明镜", "", str(english.html) + english.summary)), slug
