"""A code's tail as printed guides cite it (类型码-序号: FW-0001) and its serial (0001) find the item,
as the whole code and its beginning do; a year or a hotline number is not taken for a serial."""

from __future__ import annotations

import pytest

from portal import search
from portal.extensions import db
from portal.publish.content import load_directory
from portal.search import text
from tests.conftest import FIXTURE_CITY, make_app
from tests.helpers import visible_text


@pytest.fixture(scope="module")
def tails_app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("code_tails"))
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        search.rebuild(db.session)
    return app


def found(app, q: str) -> list[str]:
    data = app.test_client().get("/zh-hans/search.json", query_string={"q": q}).get_json()
    return [f"{item['kind']}:{item['code']}" for item in data["items"]]


@pytest.mark.parametrize(("q", "expected"), [
    ("XK-0001", ["powers:99010001FG-XK-0001"]),
    ("xk-0001", ["powers:99010001FG-XK-0001"]),  # any case
    ("ＸＫ－０００１", ["powers:99010001FG-XK-0001"]),  # full width
    ("CF-0001", ["powers:99010001FG-CF-0001"]),
    ("XN-0002", ["complaints:2024-XN-0002"]),  # a case number's tail
])
def test_a_codes_tail_finds_the_item(tails_app, q, expected):
    assert found(tails_app, q) == expected


def test_a_services_tail_finds_its_guide_and_commitment_and_the_page_shows_them(tails_app):
    assert sorted(found(tails_app, "FW-0001")) == ["commitments:99010001FG-FW-0001", "services:99010001FG-FW-0001"]
    page = tails_app.test_client().get("/zh-hans/search?q=FW-0001")
    assert page.status_code == 200
    assert "99010001FG-FW-0001" in visible_text(page.get_data(as_text=True))


def test_a_serial_finds_every_item_numbered_so(tails_app):
    hits = set(found(tails_app, "0001"))
    assert {"powers:99010001FG-XK-0001", "powers:99010001FG-CF-0001", "powers:99010001FG-JC-0001",
            "services:99010001FG-FW-0001", "commitments:99010001FG-FW-0001", "complaints:2024-XN-0001"} <= hits
    assert "complaints:2024-XN-0002" not in hits


@pytest.mark.parametrize("q", ["2024", "12345", "001a", "00"])
def test_years_hotlines_and_other_words_are_not_serials(q):
    (term,) = text.parse(q).terms
    assert term.code is None
