"""Item pages say each thing once, with its unit, and keep time ranges whole."""

from __future__ import annotations

import re

import pytest

from tests.helpers import visible_text

SERVICE = "99010001FG-FW-0001"


def _details(html: str) -> str:
    return html.split('<dl class="fields">', 1)[1].split("</dl>", 1)[0]


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_a_case_page_does_not_repeat_its_heading_and_facts_in_the_details(client, lang):
    html = client.get(f"/{lang}/complaints/2024-XN-0001/").get_data(as_text=True)
    labels = re.findall(r"<dt>([^<]*)</dt>", _details(html))
    repeated = {"zh-hans": {"被投诉单位", "问题类别", "核查结论", "处理结果", "处理人数"},
                "zh-hant": {"被投訴單位", "問題類別", "核查結論", "處理結果", "處理人數"},
                "en": {"Department complained about", "Problem type", "Finding", "Action taken",
                       "Staff held to account"}}[lang]
    assert labels and not repeated & set(labels), labels
    assert "—" not in visible_text(_details(html))  # an empty optional field has no row


def test_service_hours_on_a_commitment_keep_each_time_range_on_one_line(client):
    html = client.get(f"/zh-hans/commitments/{SERVICE}/").get_data(as_text=True)
    assert re.search(r'<span class="nowrap">\d{1,2}:\d{2}-\d{1,2}:\d{2}</span>', _details(html))


def test_in_person_visits_are_counted_in_english(client):
    text = visible_text(client.get(f"/en/commitments/{SERVICE}/").get_data(as_text=True))
    assert re.search(r"\b1 visit in person\b", text)
    assert "1 visits" not in text
