"""A complaint is named by its category and the department complained of, its case number beside it."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import feedparser
import pytest
from lxml import html as lxml_html
from sqlalchemy import select

from portal.extensions import db
from portal.models import ChangeEvent, ComplaintCase
from portal.publish.verify import verify_chain
from tests.conftest import make_app
from tests.helpers import visible_text
from tests.test_migrations import BEFORE_MIGRATIONS, fresh_app, sqlite_only

TITLES = {
    "zh-hans": ("慢作为 · 测试市民政局", "服务态度 · 测试市民政局"),
    "zh-hant": ("慢作為 · 測試市民政局", "服務態度 · 測試市民政局"),
    # The portal composes these titles: English pages compose them in English, as the case page does.
    "en": ("Slow action · Test Bureau of Civil Affairs", "Staff attitude · Test Bureau of Civil Affairs"),
}
LANGS = tuple(TITLES)


@pytest.mark.parametrize("lang", LANGS)
def test_the_complaint_list_names_each_case_and_shows_its_number(client, lang):
    text = visible_text(client.get(f"/{lang}/complaints/").get_data(as_text=True))
    for title, code in zip(TITLES[lang], ("2024-XN-0001", "2024-XN-0002"), strict=True):
        assert f"{title} {code}" in text


@pytest.mark.parametrize("lang", LANGS)
def test_the_department_page_and_twins_name_cases_in_the_pages_language(client, lang):
    page = lxml_html.fromstring(client.get(f"/{lang}/departments/99010002MZ/").get_data(as_text=True))
    cases = {link.text_content(): link for link in page.xpath('//*[@id="complaints"]//td[@class="card-head"]/a')}
    assert set(TITLES[lang]) <= set(cases)
    # Composed in the page's language, so not marked as Chinese on English pages.
    assert all(link.get("lang") is None for link in cases.values())
    twin = client.get(f"/{lang}/complaints.json").get_json()["items"]
    # A Traditional twin carries the data as written (its page is converted as a whole).
    expected = TITLES["zh-hans" if lang == "zh-hant" else lang][0]
    assert [item["title"] for item in twin if item["code"] == "2024-XN-0001"] == [expected]


def test_english_lists_still_mark_what_departments_wrote_as_chinese(client):
    page = lxml_html.fromstring(client.get("/en/powers/").get_data(as_text=True))
    titles = page.xpath('//td[@class="card-head"]/a')
    assert titles and all(link.get("lang") == "zh-Hans" for link in titles)


@pytest.mark.parametrize("lang", LANGS)
def test_search_results_name_cases_by_category_and_department(sample_app, lang):
    client = sample_app.test_client()
    query = {"q": "推诿扯皮", "kind": "complaints"}
    html = client.get(f"/{lang}/search", query_string=query, follow_redirects=True).get_data(as_text=True)
    heading = {"zh-hans": "推诿扯皮 · ", "zh-hant": "推諉扯皮 · ", "en": "Passing the buck · "}[lang]
    assert heading in visible_text(html)
    twin = client.get(f"/{lang}/search.json", query_string=query).get_json()
    titles = [hit["title"] for hit in twin["items"]]
    assert titles and all(" · " in t for t in titles)
    assert not any(re.fullmatch(r"[0-9]{4}-[A-Z]{2}-[0-9]+", t) for t in titles)


@pytest.mark.parametrize("lang", LANGS)
def test_the_atom_feed_titles_a_case_by_category_and_department(client, lang):
    feed = feedparser.parse(client.get(f"/{lang}/feeds/departments/99010002MZ/complaints.atom").data)
    titles = [entry.title for entry in feed.entries]
    named = {"zh-hans": "慢作为 · 测试市民政局（案号 2024-XN-0001）", "zh-hant": "慢作為 · 測試市民政局（案號 2024-XN-0001）",
             "en": "Slow action · Test Bureau of Civil Affairs (case 2024-XN-0001)"}[lang]
    assert any(t.endswith(named) for t in titles), titles
    assert all("某" not in t for t in titles)  # nothing about the complainant


@pytest.mark.parametrize("lang", LANGS)
def test_the_case_page_heads_with_category_and_department_and_keeps_the_number(client, lang):
    text = visible_text(client.get(f"/{lang}/complaints/2024-XN-0001/").get_data(as_text=True))
    assert "2024-XN-0001" in text
    heading = {"zh-hans": "慢作为 · 测试市民政局", "zh-hant": "慢作為 · 測試市民政局",
               "en": "Slow action · Test Bureau of Civil Affairs"}[lang]
    assert heading in text


@sqlite_only
def test_the_migration_retitles_stored_cases_and_their_events(tmp_path):
    copy = tmp_path / "portal.sqlite3"
    shutil.copyfile(BEFORE_MIGRATIONS, copy)
    with sqlite3.connect(copy) as connection:
        before = connection.execute("SELECT count(*) FROM complaint_cases WHERE title = code").fetchone()[0]
    assert before  # the old database titles its cases by number
    app = fresh_app(tmp_path)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        cases = db.session.scalars(select(ComplaintCase)).all()
        assert cases and all(c.title == f"{c.record['category']} · {c.department.name}" for c in cases)
        events = db.session.scalars(select(ChangeEvent).where(ChangeEvent.kind == "complaints")).all()
        assert events and all(e.title != e.code and " · " in e.title for e in events)
        report = verify_chain(db.session)  # the events still follow from the snapshots
        assert report.ok, [str(broken) for broken in report.broken]


def test_a_renamed_department_renames_its_cases(tmp_path, city_copy):
    csv = Path(city_copy) / "departments.csv"
    app = make_app(tmp_path, content=city_copy)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    csv.write_text(csv.read_text(encoding="utf-8").replace("测试市民政局", "测试市民政和养老局"), encoding="utf-8")
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        titles = sorted(c.title for c in db.session.scalars(select(ComplaintCase)))
        assert titles == ["慢作为 · 测试市民政和养老局", "服务态度 · 测试市民政和养老局"]
        assert verify_chain(db.session).ok


def test_a_case_number_is_not_read_as_a_department_code(client):
    html = client.get("/zh-hans/complaints/2024-XN-0001/").get_data(as_text=True)
    assert "主体码" not in visible_text(html)
    assert client.get("/zh-hans/complaints/2024-XN-0001.json").get_json()["code_parts"] == {}
    power = client.get("/zh-hans/powers/99010001FG-XK-0001.json").get_json()
    assert power["code_parts"]["主体码"] == "99010001FG"
