"""A real district's whole list (广安区, 1,135 items) loads through the desk's upload path.

The list is read as published (../shared/realdata/guangan-bszl-data.js, never edited):
each item becomes one 权责清单 row — its name, its real code (itemCode=), its type (the
national 事项类型 code in taskType=) and its department — with nothing but the mapping
of the district's 34 departments (tests/fixtures/guangan/departments.csv).
"""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from portal import search
from portal.extensions import db
from portal.models import Department, PowerItem
from portal.publish.content import load_directory
from portal.publish.namespaces import hand_over
from portal.schemas import KINDS
from tests.conftest import make_app
from tests.helpers import visible_text
from tests.realworld import account, csv_file, upload

REAL_LIST = Path(__file__).parent.parent.parent / "shared" / "realdata" / "guangan-bszl-data.js"
MAPPING = Path(__file__).parent / "fixtures" / "guangan"

pytestmark = pytest.mark.skipif(not REAL_LIST.exists(), reason="the real list is kept beside the repository")


def real_items() -> list[dict]:
    """The published list as (department, name, code, type code) items, in file order."""
    text = REAL_LIST.read_text(encoding="utf-8")
    # `var bszlData = [...];` (or const): the JSON array between the assignment and the end.
    array = text[text.index("=", text.index("bszlData")) + 1:].strip().rstrip(";")
    items = []
    for department in json.loads(array):
        for group in department["items"]:
            for sub in group["sub_items"]:
                query = parse_qs(urlsplit(sub["link"]).query)
                items.append({"department": department["department"], "name": sub["name"],
                              "code": query["itemCode"][0], "type": query["taskType"][0]})
    return items


def rows_of(items: list[dict]) -> list[dict]:
    """Our 权责清单 template's rows, converted faithfully (the type as its national code)."""
    return [{"事项编码": i["code"], "事项名称": i["name"], "权力类型": i["type"], "实施主体": i["department"]}
            for i in items]


@pytest.fixture(scope="module")
def guangan(tmp_path_factory):
    """The district's departments, then each department's list uploaded and published by its clerk."""
    app = make_app(tmp_path_factory.mktemp("guangan"))
    items = real_items()
    by_department = collections.defaultdict(list)
    for item in items:
        by_department[item["department"]].append(item)
    refused = {}
    with app.app_context():
        assert load_directory(db.session, MAPPING).ok
        search.rebuild(db.session)
        codes = {d.name: d.code for d in db.session.scalars(select(Department))}
        for name, mine in by_department.items():
            clerk = account(f"clerk{codes[name].lower()}", codes[name])
            problems, revision = upload(clerk, codes[name], "powers", csv_file("powers", rows_of(mine)))
            refused[name] = problems
    return app, items, codes, refused


def test_only_codes_carrying_another_departments_credit_code_wait_for_the_office(guangan):
    app, items, codes, refused = guangan
    named = {name: [(p.row, p.message) for p in problems] for name, problems in refused.items() if problems}
    # After the institutional reform, 自然资源和规划 runs three items still coded with 住建's
    # credit code, and 应急管理 one coded with 政府办's: the rule refuses exactly these.
    assert sorted(named) == ["区应急管理局", "区自然资源和规划局"]
    assert len(named["区自然资源和规划局"]) == 3 and len(named["区应急管理局"]) == 1
    assert all("统一社会信用代码属于区住建局" in m for _, m in named["区自然资源和规划局"])


def test_the_office_hands_them_over_and_every_real_item_loads(guangan):
    app, items, codes, refused = guangan
    with app.app_context():
        office = account("office", admin=True)
        for name in ("区自然资源和规划局", "区应急管理局"):
            department = Department.by_code(db.session, codes[name])
            mine = [i for i in items if i["department"] == name]
            for problem in refused[name]:
                code = rows_of(mine)[problem.row - 2]["事项编码"]
                hand_over(db.session, office, KINDS["powers"], code, department, "机构改革后事项划转")
            db.session.commit()
            problems, revision = upload(account(f"clerk{codes[name].lower()}"), codes[name], "powers",
                                        csv_file("powers", rows_of(mine)))
            assert not problems and revision.added == len(mine)
        stored = dict(db.session.execute(select(PowerItem.code, PowerItem.title)).all())
        assert stored == {i["code"]: i["name"] for i in items} and len(stored) == 1135
        types = dict(db.session.execute(select(PowerItem.power_type, func.count()).group_by(PowerItem.power_type)).all())
    assert types == {"行政许可": 536, "公共服务": 348, "其他行政权力": 182, "行政确认": 50, "行政给付": 9,
                     "行政裁决": 8, "行政奖励": 2}
    listing = app.test_client().get("/zh-hans/powers.json", query_string={"power_type": "公共服务"}).get_json()
    assert listing["total"] == 348


SAMPLE = [
    # (department, a real item, how the public looks for it)
    ("区行政审批局", "511A0141700000-511602000000-000-115113016823646795-1-00", None),
    ("区教科体局", "G-000007-001-511602000000-000-115113010833722043-1-00", "建档立卡特别资助"),
    ("广安区税务局", None, None),
    ("区烟草专卖局", None, None),
    ("区市监局", "E-000021-001-1111111111111111", "企业名称争议裁决"),
]


@pytest.mark.parametrize(("department", "code", "words"), SAMPLE)
def test_a_sample_of_items_shows_on_its_page_in_search_and_in_the_feed(guangan, department, code, words):
    app, items, codes, _ = guangan
    item = next(i for i in items if i["department"] == department and (code is None or i["code"] == code))
    client = app.test_client()
    page = client.get(f"/zh-hans/powers/{item['code']}/")
    assert page.status_code == 200
    text = visible_text(page.get_data(as_text=True))
    assert item["name"] in text and department in text
    found = client.get("/zh-hans/search.json", query_string={"q": words or item["name"]}).get_json()
    assert item["code"] in [hit["code"] for hit in found["items"]]
    by_code = client.get("/zh-hans/search.json", query_string={"q": item["code"]}).get_json()
    assert [hit["code"] for hit in by_code["items"]][:1] == [item["code"]]
    assert item["code"] in _feed_entries(client, codes[department])


def _feed_entries(client, department: str) -> str:
    """Every document of a department's Atom feed, read as a subscriber catching up would (by its
    RFC 5005 `prev-archive` links)."""
    pages, url = [], f"/zh-hans/feeds/departments/{department}.atom"
    while url:
        response = client.get(url)
        if response.status_code != 200:
            return "".join(pages)
        pages.append(response.get_data(as_text=True))
        following = re.search(r'<link href="([^"]+)" rel="prev-archive"', pages[-1])
        url = following[1].replace("http://localhost", "") if following else None
    return "".join(pages)
