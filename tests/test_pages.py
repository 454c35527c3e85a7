"""Every page type answers, shows its key text, and advertises a JSON twin that parses."""

from __future__ import annotations

import pytest

from tests.helpers import crawl, json_twin, visible_text

PAGES = [
    # (URL, text a reader must see)
    ("/zh-hans/", "关键数字"),
    ("/zh-hans/departments/", "测试市民政局"),
    ("/zh-hans/departments/99010001FG/", "0999-8100002"),
    ("/zh-hans/powers/", "企业投资项目核准"),
    ("/zh-hans/powers/99010001FG-XK-0001/", "《企业投资项目核准和备案管理条例》第三条"),
    ("/zh-hans/services/", "企业投资项目核准"),
    ("/zh-hans/services/99010001FG-FW-0001/", "项目申请报告"),
    ("/zh-hans/commitments/", "75.0%"),
    ("/zh-hans/commitments/99010001FG-FW-0001/", "首问负责、一次性告知、限时办结。"),
    ("/zh-hans/appraisals/", "测试市发展和改革委员会"),
    ("/zh-hans/appraisals/2024/", "92.5"),
    ("/zh-hans/complaints/", "2024-XN-0001"),
    ("/zh-hans/complaints/2024-XN-0001/", "未一次性告知所需材料"),
    ("/zh-hans/pages/about/", "本站是什么"),
]


@pytest.mark.parametrize(("url", "text"), PAGES)
def test_page_shows_its_content(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert text in visible_text(page)
    assert '<html lang="zh-Hans">' in page
    assert "示例数据" in page  # the fictional city says so on every page


@pytest.mark.parametrize(("url", "text"), [p for p in PAGES])
def test_json_twin_is_advertised_and_parses(client, url, text):
    twin = json_twin(client.get(url).get_data(as_text=True))
    response = client.get(twin)
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() is not None


def test_root_leads_to_the_default_locale(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/zh-hans/")


def test_every_link_on_every_page_resolves(client):
    """Links are built with url_for: following them from the home page never hits a 404."""
    assert len(crawl(client, "/zh-hans/")) > 40


def test_detail_twin_carries_the_record(client):
    data = client.get("/zh-hans/services/99010001FG-FW-0001.json").get_json()
    assert data["code"] == "99010001FG-FW-0001"
    assert data["url"] == "/zh-hans/services/99010001FG-FW-0001/"
    assert data["department"]["code"] == "99010001FG"
    assert [m["name"] for m in data["record"]["materials"]] == ["项目申请报告", "营业执照"]
    assert [s["id"] for s in data["record"]["flow"]] == ["S1", "S2", "S3", "E1", "E2"]


def test_service_page_shows_time_limits_and_flow_in_order(client):
    text = visible_text(client.get("/zh-hans/services/99010001FG-FW-0001/").get_data(as_text=True))
    assert "法定办结时限 20 个工作日" in text
    assert "承诺办结时限 5 个工作日" in text
    assert "最多跑一次" in text
    assert text.index("申请") < text.index("受理审查") < text.index("审核") < text.index("不予受理")
    assert "符合 → 审核" in text


def test_appraisal_year_names_no_bottom_three_in_groups_of_three_or_fewer(client):
    page = client.get("/zh-hans/appraisals/2024/").get_data(as_text=True)
    # Two 市直部门 and one 乡镇街道: naming a "bottom three" would name everyone.
    assert 'class="bottom-three"' not in page
    assert "测试市民政局" in visible_text(page)


def test_home_figures(client):
    data = client.get("/zh-hans/index.json").get_json()
    figures = data["figures"]
    assert figures["counts"] == {
        "powers": 3, "services": 1, "commitments": 1, "appraisals": 3, "complaints": 2,
    }
    assert figures["average_compression"] == pytest.approx(0.75)
    # 2024-XN-0001 took 6 working days, 2024-XN-0002 took 19.
    assert figures["complaints_within_limit"] == pytest.approx(0.5)
    assert data["latest_changes"][0]["url"].startswith("/zh-hans/")
    text = visible_text(client.get("/zh-hans/").get_data(as_text=True))
    assert "75.0%" in text and "50.0%" in text


def test_markdown_pages_are_sanitised(client):
    page = client.get("/zh-hans/pages/about/").get_data(as_text=True)
    assert "<strong>效能公开</strong>" in page
    assert "<script>" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/zh-hans/departments/NOPE/",
        "/zh-hans/departments/NOPE.json",
        "/zh-hans/powers/99010001FG-XK-9999/",
        "/zh-hans/services/NOPE/",
        "/zh-hans/appraisals/1999/",
        "/zh-hans/powers/page/2/",
        "/zh-hans/powers/?page=0",
        "/zh-hans/powers/page/abc/",
        "/zh-hans/powers/page/0/",
        "/zh-hans/powers/sort/nonsense/",
        "/zh-hans/complaints/by/year/abc/",
        "/zh-hans/powers/by/nonsense/1/",
        "/zh-hans/pages/nope/",
        "/zh-hans/nothing-here/",
        "/xx/",
    ],
)
def test_unknown_things_are_a_404_page_in_the_locale(client, url):
    response = client.get(url)
    assert response.status_code == 404
    if url.endswith(".json"):
        assert response.is_json
    else:
        text = visible_text(response.get_data(as_text=True))
        assert "没有找到这个页面" in text
        assert "返回首页" in text
