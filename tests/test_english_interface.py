"""English pages speak English in their own words: labels the portal computes and the scorecard's
transparency gaps are translated like the declared ones."""

from __future__ import annotations

import re

from tests.helpers import visible_text

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def test_the_complaints_list_heads_every_column_in_english(client):
    html = client.get("/en/complaints/").get_data(as_text=True)
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Working days taken" in visible_text(head)
    assert not CHINESE.search(visible_text(head))
    assert 'data-label="办理天数"' not in html


def test_commitment_columns_computed_on_publish_are_english(client):
    html = client.get("/en/data/commitments/").get_data(as_text=True)
    assert "Statutory time limit (working days)" in visible_text(html)


def test_the_scorecard_names_a_guide_without_its_process_in_english(client):
    html = client.get("/en/departments/99010001FG/").get_data(as_text=True)
    gaps = visible_text(html.split('<ul class="gap-list">', 1)[1].split("</ul>", 1)[0])
    assert "Process not published" in gaps
    assert not CHINESE.search(gaps)


def test_the_data_dictionary_gives_the_chinese_header_the_downloads_use(client):
    html = client.get("/en/data/powers/").get_data(as_text=True)
    header = client.get("/data/powers.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert "事项名称" in header.split(",")
    row = next(r for r in html.split("<tr>") if "<code>name</code>" in r)
    assert '<span lang="zh-Hans">事项名称</span>' in row  # as the CSV heads it, read as Chinese
    assert "Item name" in visible_text(row)  # and what it means


def test_the_data_dictionary_gives_the_values_the_downloads_hold(client):
    html = client.get("/en/data/powers/").get_data(as_text=True)
    assert "行政许可" in client.get("/data/powers.csv").get_data(as_text=True)
    row = next(r for r in html.split("<tr>") if "<code>power_type</code>" in r)
    assert '<span lang="zh-Hans">行政许可</span> (Administrative licensing)' in row
