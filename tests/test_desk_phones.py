"""The department desk on a phone, in Debian's Chromium: a clerk logged in reads uploads, previews,
validation reports, history, revisions, accounts and tokens as cards, and no desk page scrolls
sideways from 360 px up."""

from __future__ import annotations

import csv

import pytest

from tests.browser_support import LOCALES, WIDTHS, changed_city, chromium, needs_chromium, served
from tests.desk_helpers import PASSWORD, make_user, read_csv

pytestmark = needs_chromium
PHONE = {"width": 390, "height": 844}
COMPLAINTS = "99010002MZ"


def _files(tmp_path, city) -> tuple:
    """A complaints file that changes a case and writes a phone number into it (a preview with a
    diff and a privacy finding), and one that fails validation (a report)."""
    headers, rows = read_csv(city / "disclosures" / COMPLAINTS / "complaints.csv")
    rows[0]["投诉摘要"] = "张某反映窗口未一次性告知所需材料,联系电话13912345678。"
    rows[1]["整改措施"] = "重申首问负责制,对当事人员进行批评教育。"
    good, bad = tmp_path / "complaints.csv", tmp_path / "complaints-bad.csv"
    for path, data in ((good, rows), (bad, [{**rows[0], "受理日期": "明天", "核查结论": "大概"}])):
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=headers)
            writer.writeheader()
            writer.writerows(data)
    return good, bad


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """The changed fixture city served, an administrator of the complained-of department logged in,
    and the desk URLs of every page type (without the locale prefix)."""
    tmp = tmp_path_factory.mktemp("desk-phones")
    app = changed_city(tmp)
    make_user(app, "clerk", COMPLAINTS, admin=True)
    good, bad = _files(tmp, tmp / "city")
    with served(app) as base, chromium() as browser:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        page.goto(f"{base}/zh-hans/desk/login")
        page.fill("input[name=username]", "clerk")
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        pages = {"desk": "/desk/", "history": f"/desk/history/{COMPLAINTS}/complaints/",
                 "tokens": "/desk/tokens", "users": "/desk/users", "hand-over": "/desk/codes/hand-over",
                 "password": "/desk/password"}
        page.goto(f"{base}/zh-hans/desk/tokens")
        page.fill("input[name=name]", "数据同步")
        page.click("form.stacked:has(input[name=name]) button[type=submit]")
        page.goto(f"{base}/zh-hans/desk/")
        page.select_option("select[name=department]", COMPLAINTS)
        page.select_option("select[name=kind]", "complaints")
        page.set_input_files("input[type=file]", str(good))
        page.click("form[enctype] button[type=submit]")
        assert "/desk/uploads/" in page.url, page.url
        pages["preview"] = page.url.split("/zh-hans", 1)[1]
        page.goto(f"{base}/zh-hans/desk/history/{COMPLAINTS}/complaints/")
        page.click("table.list a >> nth=0")
        pages["revision"] = page.url.split("/zh-hans", 1)[1]
        yield base, context, pages, bad


def _wide(page, width: int) -> int:
    page.set_viewport_size({"width": width, "height": 800})
    return page.evaluate("document.documentElement.scrollWidth")


def test_no_desk_page_scrolls_sideways_from_360_px(desk):
    base, context, pages, bad = desk
    page, wide = context.new_page(), []
    for lang in LOCALES:
        for name, path in pages.items():
            page.goto(f"{base}/{lang}{path}")
            assert "/desk/login" not in page.url, (lang, name)
            for width in WIDTHS:
                if (scroll := _wide(page, width)) > width:
                    wide.append(f"{width}px {lang} {name}: {scroll}px")
        # A file that fails validation: the report is the answer to the upload itself.
        page.set_viewport_size(PHONE)
        page.goto(f"{base}/{lang}/desk/")
        page.select_option("select[name=department]", COMPLAINTS)
        page.select_option("select[name=kind]", "complaints")
        page.set_input_files("input[type=file]", str(bad))
        page.click("form[enctype] button[type=submit]")
        assert page.locator("table.report td[data-label]").count()
        for width in WIDTHS:
            if (scroll := _wide(page, width)) > width:
                wide.append(f"{width}px {lang} report: {scroll}px")
    page.close()
    assert not wide, "\n".join(wide)


@pytest.mark.parametrize("name, label", [("preview", "原文（已标出）"), ("history", "发布时间"),
                                         ("users", "最近登录"), ("tokens", "创建时间"), ("desk", "下载")])
def test_desk_tables_are_labelled_cards_on_a_phone(desk, name, label):
    base, context, pages, _ = desk
    page = context.new_page()
    page.goto(f"{base}/zh-hans{pages[name]}")
    cell = page.locator(f"table.list td[data-label='{label}']").first
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    found = f"document.querySelector('table.list td[data-label=\"{label}\"]')"
    assert page.evaluate(f"getComputedStyle({found}, '::before').content") == f'"{label}"'
    page.close()
