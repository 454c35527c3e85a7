"""List pages: filters with counts, sorting, pagination, and JSON twins that accept the same."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY, make_app
from tests.helpers import json_twin, visible_text


def facet(data, name):
    return {v["value"]: v["count"] for v in data["facets"][name]}


def test_filter_by_power_type_with_counts(client):
    data = client.get("/zh-hans/powers.json?power_type=行政许可", follow_redirects=True).get_json()
    assert data["total"] == 1
    assert [i["code"] for i in data["items"]] == ["99010001FG-XK-0001"]
    assert data["items"][0]["url"] == "/zh-hans/powers/99010001FG-XK-0001/"
    assert data["items"][0]["title"] == "企业投资项目核准"
    # A facet counts under the *other* filters, so every type stays choosable.
    assert facet(data, "power_type") == {"行政许可": 1, "行政处罚": 1, "行政检查": 1}
    assert facet(data, "status") == {"在用": 1}


def test_facets_follow_the_vocabulary_order(client):
    data = client.get("/zh-hans/powers.json").get_json()
    assert list(facet(data, "power_type")) == ["行政许可", "行政处罚", "行政检查"]
    assert list(facet(data, "status")) == ["在用", "已取消"]


def test_filters_combine(client):
    data = client.get("/zh-hans/powers.json?department=99010001FG&status=已取消", follow_redirects=True).get_json()
    assert [i["code"] for i in data["items"]] == ["99010001FG-JC-0001"]
    assert data["filters"] == {"department": "99010001FG", "status": "已取消"}


def test_html_list_shows_filters_and_total(client):
    page = client.get("/zh-hans/powers/?power_type=行政处罚", follow_redirects=True).get_data(as_text=True)
    text = visible_text(page)
    assert "共 1 项" in text
    assert "对违反价格法规定行为的处罚" in text
    assert "企业投资项目核准" not in text.split("共 1 项")[1]
    assert "测试市发展和改革委员会 1" in text  # the department facet, counted under the filter
    assert json_twin(page) == "/zh-hans/powers/by/power_type/%E8%A1%8C%E6%94%BF%E5%A4%84%E7%BD%9A.json"


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("year=2024", ["2024-XN-0002", "2024-XN-0001"]),
        ("finding=属实", ["2024-XN-0001"]),
        ("category=服务态度", ["2024-XN-0002"]),
        ("year=2023", []),
        ("department=99010001FG", []),
        ("sort=code", ["2024-XN-0001", "2024-XN-0002"]),
        ("sort=slowest", ["2024-XN-0002", "2024-XN-0001"]),
    ],
)
def test_complaint_filters_and_sorts(client, query, codes):
    data = client.get(f"/zh-hans/complaints.json?{query}", follow_redirects=True).get_json()
    assert [i["code"] for i in data["items"]] == codes
    assert data["total"] == len(codes)


def test_complaint_list_marks_overdue_cases(client):
    text = visible_text(client.get("/zh-hans/complaints/").get_data(as_text=True))
    # The days taken, and the 限时办结 column flags the case that ran over.
    assert "19 个工作日 超时" in text


def test_appraisals_filter_by_grade_and_year(client):
    data = client.get("/zh-hans/appraisals.json?grade=优秀&year=2024", follow_redirects=True).get_json()
    assert [i["department"]["code"] for i in data["items"]] == ["99010001FG"]
    assert facet(data, "grade") == {"优秀": 1, "良好": 1, "一般": 1}
    assert facet(data, "year") == {"2024": 1}
    assert data["items"][0]["url"] == "/zh-hans/appraisals/2024/#99010001FG"


def test_services_filter_by_service_object(client):
    assert client.get("/zh-hans/services.json?service_object=法人", follow_redirects=True).get_json()["total"] == 1
    assert client.get("/zh-hans/services.json?service_object=个人", follow_redirects=True).get_json()["total"] == 0


def test_empty_result_says_so(client):
    text = visible_text(client.get("/zh-hans/complaints/?year=2020", follow_redirects=True).get_data(as_text=True))
    assert "共 0 项" in text and "没有符合条件的事项" in text


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    """The fixture city with one item per page."""
    app = make_app(tmp_path_factory.mktemp("paged"))
    app.config["PAGE_SIZE"] = 1
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    return app.test_client()


def test_pagination(paged):
    first = paged.get("/zh-hans/powers.json").get_json()
    assert (first["total"], first["pages"], len(first["items"])) == (3, 3, 1)
    assert first["next"] == "/zh-hans/powers/page/2.json"
    second = paged.get(first["next"]).get_json()
    assert second["page"] == 2 and second["items"][0]["code"] != first["items"][0]["code"]
    last = paged.get("/zh-hans/powers.json?page=3", follow_redirects=True).get_json()
    assert last["next"] is None
    assert paged.get("/zh-hans/powers.json?page=4", follow_redirects=True).status_code == 404
    assert paged.get("/zh-hans/powers/?page=4", follow_redirects=True).status_code == 404


def test_pagination_links_keep_filters(paged):
    page = paged.get("/zh-hans/powers/?department=99010001FG&sort=title", follow_redirects=True).get_data(as_text=True)
    assert 'rel="next" href="/zh-hans/powers/by/department/99010001FG/sort/title/page/2/"' in page
    text = visible_text(page)
    assert "第 1 / 3 页" in text
    assert "下一页" in text and "上一页" not in text


def test_sorting_by_title(paged):
    codes = [paged.get(f"/zh-hans/powers.json?sort=title&page={n}", follow_redirects=True).get_json()["items"][0]["code"]
             for n in (1, 2, 3)]
    titles = [paged.get(f"/zh-hans/powers/{c}.json").get_json()["title"] for c in codes]
    assert titles == sorted(titles)


@pytest.mark.parametrize("old, new", [
    ("/zh-hans/powers/?power_type=行政许可", "/zh-hans/powers/by/power_type/%E8%A1%8C%E6%94%BF%E8%AE%B8%E5%8F%AF/"),
    ("/zh-hans/powers/?sort=title&page=1", "/zh-hans/powers/sort/title/"),
    ("/zh-hans/powers/page/1/", "/zh-hans/powers/"),
    ("/zh-hans/powers/sort/code/", "/zh-hans/powers/"),
    ("/zh-hans/changes/?kind=powers", "/zh-hans/changes/by/kind/powers/"),
])
def test_query_urls_move_to_their_path(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == new


def test_twins_answer_their_query_parameters_as_the_api_documents_them(client):
    by_query = client.get("/zh-hans/powers.json?power_type=行政许可&sort=title")
    by_path = client.get("/zh-hans/powers/by/power_type/行政许可/sort/title.json")
    assert by_query.status_code == by_path.status_code == 200
    assert by_query.get_json() == by_path.get_json()


def test_several_filters_stay_in_the_query_and_combine(client):
    url = "/zh-hans/powers/?department=99010001FG&status=已取消"
    response = client.get(url)
    assert response.status_code == 200
    assert "共 1 项" in visible_text(response.get_data(as_text=True))


def test_a_list_path_never_meets_an_item_page(client):
    assert client.get("/zh-hans/powers/page/").status_code == 404  # an item coded "page": none here
    assert client.get("/zh-hans/powers/by/power_type/").status_code == 404
