"""Three languages: every page in every locale, Traditional conversion, switcher, catalogs."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from portal.i18n import catalogs
from portal.i18n.negotiate import choose
from tests.helpers import crawl, parse_html, visible_text

LANGS = ("zh-hans", "zh-hant", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_answers_in_every_locale(client, lang):
    pages = crawl(client, f"/{lang}/", prefix=f"/{lang}/")
    assert len(pages) > 30
    expected = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}[lang]
    for url, html in pages.items():
        assert f'<html lang="{expected}">' in html, url


def test_traditional_pages_convert_content(client):
    text = visible_text(client.get("/zh-hant/").get_data(as_text=True))
    assert "機關效能建設" in text and "权责清单" not in text and "權責清單" in text
    page = visible_text(client.get("/zh-hant/powers/99010001FG-XK-0001/").get_data(as_text=True))
    assert "企業投資項目核准" in page  # content, converted
    assert "《企業投資項目核准和備案管理條例》第三條" in page


def test_proper_nouns_keep_their_characters(client):
    page = visible_text(client.get("/zh-hant/departments/99010101SL/").get_data(as_text=True))
    assert "華松開發區松林路8號" in page
    assert "華鬆" not in page


def test_traditional_leaves_the_simplified_language_name_alone(client):
    html = client.get("/zh-hant/").get_data(as_text=True)
    assert "简体中文" in html and "繁體中文" in html


def test_english_shows_english_labels_vocabularies_and_department_names(client):
    text = visible_text(client.get("/en/powers/99010001FG-XK-0001/").get_data(as_text=True))
    assert "Test Development and Reform Commission" in text
    assert "企业投资项目核准" in text  # content stays as published
    assert "Power type Administrative licensing" in text
    assert "权力类型" not in text and "在用" not in text


@pytest.mark.parametrize("lang", LANGS)
def test_switcher_round_trips_with_query(client, lang):
    start = "/zh-hans/powers/by/power_type/%E8%A1%8C%E6%94%BF%E8%AE%B8%E5%8F%AF/sort/title/"
    links = {l["hreflang"]: l["href"] for l in parse_html(client.get(start).get_data(as_text=True)).links
             if l.get("rel") == "alternate" and l.get("hreflang")}
    assert set(links) == {"zh-Hans", "zh-Hant", "en"}
    other = links[{"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}[lang]]
    # hreflang URLs are absolute, as search engines require.
    assert other.startswith(f"http://localhost/{lang}/powers/")
    other = other.removeprefix("http://localhost")
    back = {l["hreflang"]: l["href"] for l in parse_html(client.get(other).get_data(as_text=True)).links
            if l.get("rel") == "alternate" and l.get("hreflang")}
    assert back["zh-Hans"] == "http://localhost" + start
    assert client.get(other).status_code == 200


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-hans"), ("zh-TW", "zh-hant"), ("zh-HK,en;q=0.5", "zh-hant"),
        ("zh-MO", "zh-hant"), ("zh-Hant", "zh-hant"), ("zh-Hans", "zh-hans"), ("zh-SG", "zh-hans"),
        ("zh", "zh-hans"), ("en-US,en;q=0.9", "en"), ("en-GB", "en"), ("fr-FR,fr;q=0.9", "zh-hans"),
        ("de,en;q=0.3", "en"), ("", "zh-hans"), ("*", "zh-hans"), ("x-klingon;q=2", "zh-hans"),
    ],
)
def test_root_sends_visitors_to_their_script(client, header, lang):
    response = client.get("/", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/{lang}/")
    assert "Accept-Language" in response.headers["Vary"]


def test_choose_prefers_the_first_supported_language():
    assert choose([("fr", 1), ("zh-TW", 0.5), ("en", 0.4)]) == "zh-hant"


@pytest.mark.parametrize("locale", catalogs.LOCALES)
def test_catalogs_are_complete(locale):
    assert catalogs.untranslated(catalogs.po_path(locale)) == []


@pytest.mark.parametrize("locale", catalogs.LOCALES)
def test_every_message_in_code_and_templates_is_in_the_catalog(locale):
    with catalogs.po_path(locale).open("rb") as f:
        known = {m.id for m in read_po(f) if m.id}
    missing = sorted({m.id for m in catalogs.extract() if m.id} - known)
    assert missing == [], "run: flask --app portal translate update"


def test_not_found_page_speaks_the_locale(client):
    english = client.get("/en/departments/NOPE/")
    assert english.status_code == 404
    assert "没有找到" not in english.get_data(as_text=True)
    assert "沒有找到這個頁面" in client.get("/zh-hant/departments/NOPE/").get_data(as_text=True)


HALF_WIDTH_IN_CHINESE = re.compile(r"[\u4e00-\u9fff][,:;()]|[,:;()][\u4e00-\u9fff]")


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_chinese_catalogs_use_full_width_punctuation(locale):
    with catalogs.po_path(locale).open("rb") as f:
        strings = [s for m in read_po(f) if m.id for s in (m.string if m.pluralizable else (m.string,))]
    # Quotations show what to type (“符合:S4”) and keep their marks.
    half = [s for s in strings if HALF_WIDTH_IN_CHINESE.search(re.sub(r"“[^“”]*”", "“”", s))]
    assert half == [], "run: flask --app portal translate update"


@pytest.mark.parametrize(("lang", "label"), [("zh-hans", "办结天数中位数（工作日）"), ("zh-hant", "辦結天數中位數（工作日）")])
def test_chinese_pages_print_full_width_punctuation(client, lang, label):
    stats = visible_text(client.get(f"/{lang}/stats/").get_data(as_text=True))
    assert label in stats and label.replace("（", "(").replace("）", ")") not in stats


def test_declared_help_texts_are_typeset(client):
    page = visible_text(client.get("/zh-hans/data/powers/").get_data(as_text=True))
    assert "本市编码（主体码-类型码-序号），或国家、省级的实施编码" in page


def _department_page(app, lang: str, forced: str | None = None) -> str:
    """The fixture city's department page rendered by its view in a request for /<lang>/, inside
    force_locale(forced) when given, as the static export and the downloads render in one language."""
    from flask_babel import force_locale

    from portal.views import departments

    with app.test_request_context(f"/{lang}/departments/99010101SL/"):
        app.preprocess_request()
        if forced is None:
            return departments.detail(code="99010101SL", fmt="html")
        with force_locale(forced):
            return departments.detail(code="99010101SL", fmt="html")


def test_a_page_inside_force_locale_shows_the_forced_language_and_the_request_keeps_its_own(city_app):
    from flask import render_template_string
    from flask_babel import force_locale, lazy_gettext

    english = visible_text(_department_page(city_app, "zh-hans", forced="en_GB"))
    assert "Scorecard" in english and "效能画像" not in english
    chinese = visible_text(_department_page(city_app, "en", forced="zh_Hans"))
    assert "效能画像" in chinese and "Scorecard" not in chinese
    # One request switching back and forth: each render in the language then in force, lazy
    # strings too, and the request's own language again after each block.
    page = "{{ _('部门') }}|{{ '行政许可'|t }}|{{ ngettext('%(num)s 项', '%(num)s 项', 3) }}|{{ lazy }}"
    lazy = lazy_gettext("部门")
    with city_app.test_request_context("/zh-hans/"):
        city_app.preprocess_request()
        seen = [render_template_string(page, lazy=lazy)]
        for _ in range(2):
            with force_locale("en_GB"):
                seen.append(render_template_string(page, lazy=lazy))
            seen.append(render_template_string(page, lazy=lazy))
    assert seen == ["部门|行政许可|3 项|部门", "Departments|Administrative licensing|3 items|Departments"] * 2 + [
        "部门|行政许可|3 项|部门"]
