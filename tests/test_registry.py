"""A kind is declared once: a sixth kind declared here, and nowhere else, gets every page and exit.

行政事业性收费清单 (fee list) is not one of the portal's kinds. This module declares it
(a `Kind` and its model) and registers it for the test's app only; with no other
code it gets a list page with facets, a detail page, JSON twins, an upload
template, a validated upload, a search hit and a feed entry.
"""

from __future__ import annotations

import csv
import io

import feedparser
import pytest
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal import search
from portal.extensions import db
from portal.models import MODELS, Base, Disclosure
from portal.publish.content import load_directory
from portal.schemas import KINDS
from portal.schemas.fields import Choice, Decimal, Department, Field, LongText
from portal.schemas.kind import BY_CODE, Kind, Sort

from .conftest import FIXTURE_CITY
from .desk_helpers import csrf_token, log_in, make_user, upload
from .helpers import visible_text

FEES = Kind(
    name="fees",
    label="收费清单",
    item_label="收费项目",
    key=lambda r: r["code"],
    title=lambda r: r["name"],
    description="部门依法收取的每一项行政事业性收费,标准和依据。",
    fields=(
        Field("code", "收费编码", required=True, max_length=50, pattern=r"[0-9A-Z]{4,20}-SF-[0-9]{3}",
              example="99010001FG-SF-001"),
        Field("name", "收费项目名称", required=True, max_length=200, example="不动产登记费"),
        Department("department", "执收单位", required=True, example="99010001FG"),
        Choice("fee_type", "收费类别", required=True, choices=("行政事业性收费", "政府性基金"),
               example="行政事业性收费", display="badge"),
        Decimal("amount", "收费标准(元)", required=True, minimum=0, maximum=1_000_000, example="80"),
        LongText("basis", "收费依据", required=True, example="《不动产登记收费标准》"),
    ),
    columns=("department", "fee_type", "amount"),
    facets=("department", "fee_type"),
    sorts=(BY_CODE, Sort("amount", "收费最高", (("amount", True), ("code", False)))),
    section=60,
)


class FeeItem(Disclosure, Base):
    """A fee item: the columns its declaration lists, filters and sorts on."""

    __tablename__ = "test_fee_items"
    kind = "fees"

    fee_type: Mapped[str] = mapped_column(String(10), index=True)
    amount: Mapped[float]


# Only this module's apps have the table: other apps, and the migrations' check that the
# models match the schema, never see it.
Base.metadata.remove(FeeItem.__table__)


FEES_CSV = (
    "收费编码,收费项目名称,执收单位,收费类别,收费标准(元),收费依据\n"
    "99010001FG-SF-001,企业投资项目评审费,99010001FG,行政事业性收费,120,《价格法》第十八条\n"
    "99010001FG-SF-002,价格认证服务费,99010001FG,政府性基金,45.5,《价格认证管理办法》\n"
)


@pytest.fixture
def fees_app(app, monkeypatch):
    """The fresh app with the fee list registered and the fixture city loaded."""
    monkeypatch.setitem(KINDS, "fees", FEES)
    monkeypatch.setitem(MODELS, "fees", FeeItem)
    with app.app_context():
        FeeItem.__table__.create(db.engine)
        assert load_directory(db.session, FIXTURE_CITY).ok
        search.rebuild(db.session)
    make_user(app, "fgclerk", "99010001FG")
    return app


def _publish_fees(client) -> None:
    response = upload(client, FEES_CSV.encode(), "fees.csv", kind="fees")
    assert response.status_code == 302, visible_text(response.get_data(as_text=True))
    preview = client.get(response.headers["Location"])
    assert "企业投资项目评审费" in preview.get_data(as_text=True)
    publish_url = response.headers["Location"].split("?")[0] + "/publish"
    done = client.post(publish_url, data={"csrf_token": csrf_token(preview.get_data(as_text=True))})
    assert done.status_code == 302, visible_text(done.get_data(as_text=True))


def test_a_sixth_kind_declared_in_one_place_gets_every_page_and_exit(fees_app):
    client = fees_app.test_client()
    # The upload template, in CSV and XLSX, has the declared headers.
    log_in(client, "fgclerk")
    template = client.get("/zh-hans/desk/templates/fees.csv")
    assert template.status_code == 200
    headers = next(csv.reader(io.StringIO(template.get_data(as_text=True).lstrip("\ufeff"))))
    assert headers == FEES.headers
    assert client.get("/zh-hans/desk/templates/fees.xlsx").status_code == 200

    # A validated upload: a bad row is refused with its row and column, nothing stored.
    bad = FEES_CSV.replace("政府性基金", "其他收费")
    refused = upload(client, bad.encode(), "fees.csv", kind="fees")
    assert refused.status_code == 422
    assert "收费类别" in visible_text(refused.get_data(as_text=True))
    with fees_app.app_context():
        assert db.session.query(FeeItem).count() == 0

    _publish_fees(client)
    public = fees_app.test_client()

    # The list page, with the declared columns and facets, and its twin.
    listing = public.get("/zh-hans/fees/")
    assert listing.status_code == 200
    text = visible_text(listing.get_data(as_text=True))
    assert "收费清单" in text and "企业投资项目评审费" in text and "收费类别" in text and "政府性基金" in text
    twin = public.get("/zh-hans/fees.json?fee_type=政府性基金", follow_redirects=True).get_json()
    assert [i["code"] for i in twin["items"]] == ["99010001FG-SF-002"]
    assert twin["items"][0]["amount"] == 45.5
    # A facet counts its values under the other filters, so every choice stays visible.
    assert {f["value"]: f["count"] for f in twin["facets"]["fee_type"]} == {"行政事业性收费": 1, "政府性基金": 1}
    by_amount = public.get("/zh-hans/fees.json?sort=amount", follow_redirects=True).get_json()
    assert [i["code"] for i in by_amount["items"]] == ["99010001FG-SF-001", "99010001FG-SF-002"]

    # The detail page and its twin, in another locale too.
    detail = public.get("/zh-hans/fees/99010001FG-SF-001/")
    assert detail.status_code == 200
    assert "《价格法》第十八条" in visible_text(detail.get_data(as_text=True))
    assert public.get("/en/fees/99010001FG-SF-001/").status_code == 200
    record = public.get("/zh-hans/fees/99010001FG-SF-001.json").get_json()["record"]
    assert record["amount"] == 120

    # The department page has a section for it.
    department = public.get("/zh-hans/departments/99010001FG.json").get_json()
    assert [i["code"] for i in department["fees"]] == ["99010001FG-SF-001", "99010001FG-SF-002"]

    # Search finds it, by its text and by its code.
    found = public.get("/zh-hans/search.json?q=价格认证").get_json()
    assert [i["code"] for i in found["items"]] == ["99010001FG-SF-002"]

    # The feeds: the site's, and the kind's own.
    feed = feedparser.parse(public.get("/zh-hans/feeds/fees.atom").get_data())
    assert {e.title for e in feed.entries} == {"新增收费项目：企业投资项目评审费", "新增收费项目：价格认证服务费"}
    site = feedparser.parse(public.get("/zh-hans/feeds/changes.atom").get_data())
    assert any("价格认证服务费" in e.title for e in site.entries)


def test_a_kind_unknown_to_the_registry_has_no_pages(client):
    assert client.get("/zh-hans/fees/").status_code == 404
    assert client.get("/zh-hans/appraisals/2024-99010001FG/").status_code == 404  # no item pages
