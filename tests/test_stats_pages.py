"""The scorecards as readers get them: ranking pages with changes and the bottom three, charts as
valid SVG with the expected labels and numbers, CSVs, the comparison, in all three languages."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from defusedxml import ElementTree

from portal.extensions import db
from portal.publish.content import load_directory
from portal.stats import city
from portal.stats.chart import Chart
from portal.views.chart_files import csv_text

from .conftest import FIXTURE_CITY, make_app
from .helpers import parse_html, visible_text

SVG = "{http://www.w3.org/2000/svg}"
# A department name that is also markup; a label that is a spreadsheet formula (the loader refuses
# such department names, so the CSV is tested with a chart of its own).
HOSTILE = '测试市<b>教育</b>局&"'
FORMULA = "=HYPERLINK(\"http://x\")测试市财政局"

NEW_DEPARTMENTS = [
    ("99010003JY", HOSTILE, "Test <Education> Bureau", 80.0),
    ("99010004GA", "测试市公安局", "Test Public Security Bureau", 75.5),
    ("99010005CZ", "测试市财政局", "Test Finance Bureau", 70.0),
]


def _appraisal(year, code, score, rank, first):
    rest = round(score - first, 1)
    return (f"- 考评年度: '{year}'\n  被考评单位: {code}\n  总分: '{score}'\n  等次: 良好\n  名次: '{rank}'\n"
            f"  考评方式: 综合考评\n  考评指标:\n"
            f"  - {{指标名称: 重点工作, 考评主体: 上级考核, 权重: '40', 得分: '{first}'}}\n"
            f"  - {{指标名称: 群众满意度, 考评主体: 群众满意度测评, 权重: '60', 得分: '{rest}'}}\n  备注: ''\n")


@pytest.fixture(scope="module")
def two_years(tmp_path_factory):
    """The fixture city with three more 市直部门 (five: a bottom three) and a 2023 ranking."""
    root = tmp_path_factory.mktemp("two-years")
    content = root / "city"
    shutil.copytree(FIXTURE_CITY, content)
    with open(content / "departments.csv", "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for code, name, name_en, _ in NEW_DEPARTMENTS:
            writer.writerow([code, name, name_en, "市直部门", "测试市人民路9号", "工作日 9:00-17:00",
                             "0999-8100031", "0999-8100032", ""])
    for rank, (code, _, _, score) in enumerate(NEW_DEPARTMENTS, start=3):
        (content / "disclosures" / code).mkdir()
        (content / "disclosures" / code / "appraisals.yaml").write_text(
            _appraisal(2024, code, score, rank, 30.0), encoding="utf-8")
    # 2023: 民政局 first with 88.0, 发改委 second with 90.5 − 3.3 = 87.2 (so 2024: ↑1 +5.3 and ↓1 −3.0).
    for code, score, rank in (("99010002MZ", 88.0, 1), ("99010001FG", 87.2, 2)):
        path = content / "disclosures" / code / "appraisals.yaml"
        path.write_text(path.read_text(encoding="utf-8") + _appraisal(2023, code, score, rank, 35.0),
                        encoding="utf-8")
    app = make_app(root / "instance", content)
    with app.app_context():
        report = load_directory(db.session, content)
        assert report.ok, [(f.path, f.problems) for f in report.files]
    return app


@pytest.fixture
def client2(two_years):
    return two_years.test_client()


def _svg(response):
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ElementTree.fromstring(response.data)
    assert root.tag == f"{SVG}svg"
    return root, " ".join(t.strip() for t in root.itertext() if t.strip())


def test_ranking_change_against_the_previous_year(client2):
    rows = {r["department"]["code"]: r for r in
            client2.get("/zh-hans/appraisals/2024.json").get_json()["groups"]["市直部门"]}
    assert (rows["99010001FG"]["rank_change"], rows["99010001FG"]["score_change"]) == (1, 5.3)
    assert (rows["99010002MZ"]["rank_change"], rows["99010002MZ"]["score_change"]) == (-1, -3.0)
    assert rows["99010002MZ"]["previous"] == {"rank": 1, "score": 88.0}
    assert rows["99010003JY"]["previous"] is None
    page = visible_text(client2.get("/zh-hans/appraisals/2024/").get_data(as_text=True)).replace(" ", "")
    assert "↑1" in page and "+5.3" in page and "↓1" in page and "−3.0" in page
    assert "85.0" in page  # one decimal everywhere, 85 too


def test_bottom_three_named_with_the_reason(client2):
    data = client2.get("/zh-hans/appraisals/2024.json").get_json()["groups"]
    assert [r["bottom_three"] for r in data["市直部门"]] == [False, False, True, True, True]
    assert [r["bottom_three"] for r in data["乡镇街道"]] == [False]  # rankings kept apart
    html = client2.get("/zh-hans/appraisals/2024/").get_data(as_text=True)
    assert html.count('class="bottom-three"') == 3
    assert "末三位 给予谈话警示" in visible_text(html)
    assert "&lt;b&gt;教育&lt;/b&gt;" in html and "<b>教育</b>" not in html


def test_ranking_chart_is_valid_svg_with_names_and_scores(client2):
    root, text = _svg(client2.get("/zh-hans/appraisals/2024/city-departments.svg"))
    assert "测试市民政局" in text and HOSTILE in text  # escaped as text, not markup
    assert "92.5" in text and "85.0" in text and "70.0" in text
    assert not list(root.iter(f"{SVG}b")) and not list(root.iter(f"{SVG}script"))
    assert client2.get("/zh-hans/appraisals/2024/nowhere.svg").status_code == 404
    assert client2.get("/zh-hans/appraisals/1999/towns.svg").status_code == 404


def test_charts_are_the_same_bytes_every_time(client2):
    first = client2.get("/zh-hans/appraisals/2024/city-departments.svg").data
    assert client2.get("/zh-hans/appraisals/2024/city-departments.svg").data == first
    assert b"uuid" not in first and b"Generated with" not in first


@pytest.mark.parametrize("lang, labels", [
    ("zh-hans", ["每月受理的效能投诉", "慢作为", "服务态度"]),
    ("zh-hant", ["每月受理的效能投訴", "慢作為", "服務態度"]),
    ("en", ["Complaints received per month", "Slow action"]),
])
def test_city_charts_in_each_language(client, lang, labels):
    _, by_month = _svg(client.get(f"/{lang}/stats/complaints-by-month.svg"))
    _, by_category = _svg(client.get(f"/{lang}/stats/complaints-by-category.svg"))
    assert labels[0] in by_month and "2024-03" in by_month and "2024-04" in by_month
    for label in labels[1:]:
        assert label in by_category
    page = client.get(f"/{lang}/stats/")
    assert page.status_code == 200
    anchors = parse_html(page.get_data(as_text=True)).anchors
    assert f"/{lang}/stats/complaints-by-month.svg" in anchors and f"/{lang}/stats/complaints-by-month.csv" in anchors


def test_chart_csv_is_its_numbers(client):
    response = client.get("/zh-hans/stats/complaints-by-finding.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows == [["项目", "件数"], ["属实", "1"], ["不属实", "1"]]
    shares = client.get("/en/departments/99010002MZ/scorecard/complaints-by-outcome.csv").get_data(as_text=True)
    assert "Item,Cases" in shares


def test_chart_csv_is_formula_safe(app):
    with app.test_request_context():
        chart = Chart("t", "t", "hbar", [FORMULA, "-1"], [("=SUM(A1)", [1, -2.5])])
        rows = list(csv.reader(io.StringIO(csv_text(chart, "@label").lstrip("\ufeff"))))
    assert rows == [["'@label", "'=SUM(A1)"], ["'" + FORMULA, "1"], ["-1", "-2.5"]]


def test_department_scorecard_on_its_page_in_three_languages(client2):
    for lang, heading, limit in (("zh-hans", "效能画像", "在 10 个工作日内办结"),
                                 ("zh-hant", "效能畫像", "在 10 個工作日內辦結"),
                                 ("en", "Scorecard", "closed within 10 working days")):
        html = client2.get(f"/{lang}/departments/99010002MZ/").get_data(as_text=True)
        text = visible_text(html)
        assert heading in text and limit in text
        assert f"/{lang}/departments/99010002MZ/scorecard/scores.svg" in html
    text = visible_text(client2.get("/zh-hans/departments/99010002MZ/").get_data(as_text=True))
    assert "2 / 5" in text and "1 / 2" in text and "50.0%" in text
    _, scores = _svg(client2.get("/zh-hans/departments/99010001FG/scorecard/scores.svg"))
    assert "87.2" in scores and "92.5" in scores and "2023" in scores


def test_departments_compared_side_by_side(client2):
    url = "/zh-hans/stats/compare/?departments=99010001FG&departments=99010002MZ&departments=NOPE"
    data = client2.get(url.replace("/compare/", "/compare.json").replace(".json/", ".json")).get_json()
    assert data["chosen"] == ["99010001FG", "99010002MZ"]
    assert [r["score"] for r in data["departments"]] == [92.5, 85.0]
    html = client2.get(url).get_data(as_text=True)
    assert "测试市发展和改革委员会" in visible_text(html)
    chart = [c for c in data["charts"] if c["name"] == "compare-scores"][0]
    _, text = _svg(client2.get(chart["svg"]))
    assert "92.5" in text and "测试市民政局" in text
    # One department is not a comparison: the page asks for more (and serves the static script).
    html = client2.get("/zh-hans/stats/compare/?departments=99010001FG").get_data(as_text=True)
    assert "请在下表中选择两个或更多单位进行比较" in visible_text(html) and "js/compare.js" in html
    too_many = "&".join(f"departments={i}" for i in range(9))
    answer = client2.get(f"/en/stats/compare/?{too_many}")
    assert answer.status_code == 400 and "At most 8 departments" in answer.get_data(as_text=True)


def test_home_page_shows_the_statistics_in_brief(client):
    html = client.get("/en/").get_data(as_text=True)
    assert "City statistics" in visible_text(html) and "/en/stats/" in parse_html(html).anchors
    assert client.get("/zh-hans/index.json").get_json()["charts"][0]["svg"] == "/zh-hans/stats/complaints-by-month.svg"


def test_figures_follow_each_new_revision(tmp_path):
    app = make_app(tmp_path)
    content = tmp_path / "city"
    shutil.copytree(FIXTURE_CITY, content)
    with app.app_context():
        load_directory(db.session, content)
        assert city.city_stats(db.session)["complaints"]["total"] == 2
        assert city.city_stats(db.session) is city.city_stats(db.session)  # kept, not recomputed
        complaints = content / "disclosures" / "99010002MZ" / "complaints.csv"
        complaints.write_text(complaints.read_text(encoding="utf-8").splitlines()[0] + "\n" +
                              complaints.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
        load_directory(db.session, content)  # withdraws the second case: a new revision
        assert city.city_stats(db.session)["complaints"]["total"] == 1
