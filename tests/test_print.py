"""What a page prints: no separators left dangling where a screen-only link is hidden."""

from __future__ import annotations

import pytest

from tests.browser_support import SERVICE, chromium, needs_chromium, served

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_an_items_published_line_prints_without_the_json_link_or_its_separator(city_app, lang):
    with served(city_app) as base, chromium() as browser:
        page = browser.new_page()
        page.emulate_media(media="print")
        page.goto(f"{base}/{lang}/services/{SERVICE}/")
        printed = page.inner_text("p.published").strip()
    assert "JSON" not in printed
    assert not printed.endswith("·")
