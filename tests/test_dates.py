"""One date format per language on every page; a time of day only beside that same day format."""

from __future__ import annotations

import re

import pytest

DAY = {
    "zh-hans": r"\d{4}年\d{1,2}月\d{1,2}日",
    "zh-hant": r"\d{4}年\d{1,2}月\d{1,2}日",
    "en": r"\d{1,2} [A-Z][a-z]{2} \d{4}",  # British English, as the portal speaks it
}
TIME = dict.fromkeys(DAY, r"\d{2}:\d{2}")  # 24-hour in every language
PAGES = ("/changes/", "/changes/revisions/", "/changes/99010002MZ/complaints/1/", "/complaints/2024-XN-0001/",
         "/services/")
MACHINE = r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?)?"  # HTML's date or global date-time
TIMES = re.compile(r'<time datetime="([^"]+)">([^<]*)</time>')


@pytest.mark.parametrize("lang", DAY)
def test_every_time_element_reads_alike(client, lang):
    seen = 0
    for path in PAGES:
        html = client.get(f"/{lang}{path}", follow_redirects=True).get_data(as_text=True)
        for machine, shown in TIMES.findall(html):
            seen += 1
            assert re.fullmatch(rf"{DAY[lang]}( {TIME[lang]})?", shown), (path, shown)
            assert re.fullmatch(MACHINE, machine), machine
    assert seen


@pytest.mark.parametrize("lang", DAY)
def test_the_change_log_and_item_pages_use_the_same_day_format(client, lang):
    page = client.get(f"/{lang}/complaints/2024-XN-0001/").get_data(as_text=True)
    assert re.search(DAY[lang], page)  # 受理日期, 首次发布 …
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}\s*<", page)  # no ISO dates shown to readers
    revision = client.get(f"/{lang}/changes/99010002MZ/complaints/1/").get_data(as_text=True)
    assert re.search(rf"{DAY[lang]} {TIME[lang]}", revision)  # a revision keeps its time of day
