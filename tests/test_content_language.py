"""On English pages a screen reader reads the departments' own words as Chinese: what stays as
published is marked lang="zh-Hans" (an address, office hours, appraisal indicators, a flow's
posts, branches and risks)."""

from __future__ import annotations

import re

import lxml.html
import pytest

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _unmarked(html: str, selector: str) -> list[str]:
    """The Chinese texts inside the elements `selector` (XPath) not marked as Chinese."""
    doc = lxml.html.fromstring(html)
    found = []
    for root in doc.xpath(selector):
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for text, holder in ((el.text, el), (el.tail, el.getparent() if el is not root else None)):
                if holder is None or not text or not CHINESE.search(text):
                    continue
                if next((a.get("lang") for a in (holder, *holder.iterancestors()) if a.get("lang")), None) != "zh-Hans":
                    found.append(text.strip())
    return found


@pytest.mark.parametrize("path, selector", [
    ("/en/departments/99010001FG/", "//section[contains(@class, 'facts')]//span[contains(@class, 'fact-value')]"),
    ("/en/departments/99010001FG/", "//section[@id='scorecard']//tbody//th"),
    ("/en/appraisals/2024/", "//thead//th[contains(@class, 'indicator')]"),
    ("/en/services/99010001FG-FW-0001/", "//ol[contains(@class, 'flow-steps')]"),
])
def test_the_departments_words_are_marked_as_chinese(client, path, selector):
    html = client.get(path).get_data(as_text=True)
    assert lxml.html.fromstring(html).xpath(selector), selector
    assert _unmarked(html, selector) == []
