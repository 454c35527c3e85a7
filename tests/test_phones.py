"""A phone in the service hall, in Debian's Chromium: every page fits the screen, a citizen
finds a service, reads where and when and prints it; a journalist reads a diff; a reader
switches script and language."""

from __future__ import annotations

import re
import unicodedata

import pytest
from pypdf import PdfReader

from tests.browser_support import (CHANGED_REVISION, LOCALES, PAGE_TYPES, SERVICE, WIDTHS, changed_city,
                                   chromium, needs_chromium, served)

pytestmark = [pytest.mark.browser, needs_chromium]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The fixture city with one changed service guide, served for the module."""
    with served(changed_city(tmp_path_factory.mktemp("phones"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module."""
    with chromium() as b:
        yield b


def test_no_page_scrolls_sideways_from_360_px(base, browser):
    wide = []
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 800})
        for lang in LOCALES:
            for name, path in PAGE_TYPES.items():
                page.goto(f"{base}/{lang}{path}")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    wide.append(f"{width}px {lang} {name}: {scroll}px")
        page.close()
    assert not wide, "\n".join(wide)


def test_on_a_phone_tables_are_cards_and_the_filters_wait_behind_one_button(base, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/zh-hans/services/")
    facets = page.locator(".facets")
    assert not facets.is_visible()
    page.click("summary >> text=筛选")
    assert facets.is_visible()
    # Each row is a card showing every value under its heading, inside the screen.
    cell = page.locator("table.list td[data-label='办件类型']").first
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("getComputedStyle(document.querySelector('table.list td[data-label=\"办件类型\"]'),"
                         " '::before').content") == '"办件类型"'
    page.set_viewport_size({"width": 1280, "height": 900})
    assert facets.is_visible()  # wide screens show the filters, whatever the button's state
    page.close()


def test_a_citizen_on_a_phone_finds_a_service_reads_where_and_when_and_prints_it(base, browser, tmp_path):
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(base + "/")
    # An everyday phrase, not the official name: the dictionary finds the service.
    page.fill("#site-search-q", "批项目")
    page.press("#site-search-q", "Enter")
    page.click("main a[href*='/services/']:has-text('企业投资项目核准') >> nth=0")
    assert page.locator("h1").inner_text() == "企业投资项目核准"
    # Where, when and whom to call are on the first screen, the phones as links to dial.
    visit = page.locator(".visit-facts")
    assert visit.bounding_box()["y"] + visit.bounding_box()["height"] <= PHONE["height"] * 1.2
    text = visit.inner_text()
    assert "测试市政务服务中心三楼 31 号窗口" in text and "工作日 8:30-12:00,14:00-17:30" in text
    assert page.get_attribute(".visit-facts a[href^='tel:']", "href") == "tel:09998100001"
    # Printed: a checklist of one or two pages, without the site's furniture.
    pdf = tmp_path / "guide.pdf"
    page.pdf(path=str(pdf), format="A4")
    reader = PdfReader(pdf)
    # PDF text comes back with some ideographs as Kangxi radicals (⼝ for 口): NFKC folds them.
    printed = unicodedata.normalize("NFKC", re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages)))
    assert 1 <= len(reader.pages) <= 2
    for expected in ("办理地点", "三楼31号窗口", "0999-8100001", "☐", "项目申请报告", "营业执照", "办理流程",
                     f"/zh-hans/services/{SERVICE}/", "最近更新"):
        assert expected in printed, expected
    for absent in ("搜索事项", "数据接口", "部门发布入口"):
        assert absent not in printed, absent
    page.close()


def test_a_journalist_on_a_phone_reads_what_changed_word_by_word(base, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/zh-hans/changes/")
    page.click("a.diff-link >> nth=0")
    assert CHANGED_REVISION in page.url
    old = page.locator("tr:has(th:text('办理地点')) td.old")
    new = page.locator("tr:has(th:text('办理地点')) td.new")
    assert old.locator("del").all_inner_texts() == ["二", "12"]
    assert new.locator("ins").all_inner_texts() == ["三", "31"]
    # Old above new, each as wide as the card.
    o, n = old.bounding_box(), new.bounding_box()
    assert n["y"] >= o["y"] + o["height"] - 1 and abs(n["x"] - o["x"]) < 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()


def test_a_reader_switches_script_and_language(base, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/zh-hans/services/{SERVICE}/")
    page.click("nav.languages >> text=繁體中文")
    assert page.url.endswith(f"/zh-hant/services/{SERVICE}/")
    assert page.get_attribute("html", "lang") == "zh-Hant"
    assert "辦理地點" in page.inner_text(".visit-facts")
    assert page.get_attribute("#site-search-q", "placeholder").startswith("搜尋")
    page.click("nav.languages >> text=English")
    assert page.get_attribute("html", "lang") == "en"
    assert "Where" in page.inner_text(".visit-facts") or "Location" in page.inner_text(".visit-facts")
    page.close()


def test_a_feed_opened_in_the_browser_reads_as_a_page(base, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/zh-hans/feeds/services.atom")
    assert "办事指南" in page.locator("h1").inner_text()
    assert page.locator("ol.changes li a").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()
