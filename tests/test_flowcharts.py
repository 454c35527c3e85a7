"""Process flowcharts: flows validated step by step, drawn when published, shown with their text.

Charts are drawn by the real Graphviz `dot`; what is checked is what a reader
receives: the page, the SVG parsed as XML, the text beside it.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
import yaml
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.extensions import db
from portal.flowcharts import dot, svg, text
from portal.flowcharts.graph import over_limit
from portal.flowcharts.validate import read
from portal.models import Flowchart
from portal.schemas import KINDS
from tests.conftest import CONTENT, FIXTURE_CITY
from tests.helpers import parse_html, visible_text

SERVICE = "99010001FG-FW-0001"
SERVICES_FILE = "disclosures/99010001FG/services.yaml"
COMMITMENTS_FILE = "disclosures/99010001FG/commitments.csv"
NS = {"svg": svg.SVG_NS}

# The fixture city's flow: S1 → S2 (符合 S3, 需补正 back to S1, 不符合 E2) → S3 → E1; 0+1+3+1 = 5 days.
STEPS = {"S1": "申请", "S2": "受理审查", "S3": "审核", "E1": "办结", "E2": "不予受理"}


# ---------- helpers ----------

def fixture_service() -> dict:
    """The fixture city's one service guide, as the raw row of its YAML file."""
    return yaml.load((FIXTURE_CITY / SERVICES_FILE).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)[0]


def flow_rows() -> list[dict]:
    return copy.deepcopy(fixture_service()["办理流程"])


def change(rows: list[dict], step: str, **cells) -> list[dict]:
    """The rows with cells of one step replaced (None removes a cell)."""
    for row in rows:
        if row["环节编号"] == step:
            for key, value in cells.items():
                if value is None:
                    row.pop(key, None)
                else:
                    row[key] = value
    return rows


def messages(app, rows: list[dict]) -> list[str]:
    """What an uploader is told about a service guide with this flow."""
    service = {**fixture_service(), "办理流程": rows}
    with app.app_context():
        result = KINDS["services"].validate([(2, service)], {"99010001FG": "99010001FG"})
    assert all(p.row == 2 and p.column == "办理流程" for p in result.problems)
    return [p.message for p in result.problems]


def rewrite_services(path, change_rows) -> None:
    services = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    change_rows(services[0]["办理流程"])
    path.write_text(yaml.safe_dump(services, allow_unicode=True), encoding="utf-8")


def rewrite_commitment(path, **cells) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        headers, rows = reader.fieldnames, list(reader)
    rows[0].update(cells)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def inline_svg(html: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, "no inline SVG on the page"
    return ET.fromstring(match.group())


def nodes(root: ET.Element) -> dict[str, tuple[str, list[ET.Element], list[ET.Element]]]:
    """Each drawn step by its id: its text (lines joined), its shapes, its text elements."""
    found = {}
    for group in root.iter(f"{{{svg.SVG_NS}}}g"):
        classes = group.get("class", "").split()
        if "node" in classes:
            step = next(c.removeprefix("flowstep-") for c in classes if c.startswith("flowstep-"))
            lines = group.findall("svg:text", NS)
            shapes = [e for e in group if e.tag.split("}")[1] in ("polygon", "path")]
            found[step] = ("".join("".join(t.itertext()) for t in lines), shapes, lines)
    return found


def node_text(root: ET.Element, step: str) -> str:
    """Everything written in the box of one step, its lines joined."""
    return nodes(root)[step][0]


def _points(shape: ET.Element) -> list[tuple[float, float]]:
    data = shape.get("points") or shape.get("d")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", data)]
    return list(zip(numbers[::2], numbers[1::2]))


def _inside(point, polygon) -> bool:
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def text_width(line: ET.Element) -> float:
    """A generous width for a line: wide (CJK) characters 1 em, the others 0.6 em."""
    size = float(line.get("font-size"))
    return sum(size * (1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.6) for c in "".join(line.itertext()))


def assert_labels_fit(root: ET.Element) -> None:
    """Every line of every step lies inside its shape (the innermost one for double borders)."""
    for joined, shapes, lines in nodes(root).values():
        outline = min((_points(s) for s in shapes), key=lambda p: max(x for x, _ in p) - min(x for x, _ in p))
        rounded = any(s.tag.endswith("path") for s in shapes)
        for line in lines:
            x, y, size = float(line.get("x")), float(line.get("y")), float(line.get("font-size"))
            left = x - text_width(line) / 2 if line.get("text-anchor") == "middle" else x
            right = left + text_width(line)
            corners = [(left, y), (right, y), (left, y - 0.8 * size), (right, y - 0.8 * size)]
            if rounded:  # a rounded box: its outline is a path; test against its bounds
                xs, ys = [p[0] for p in outline], [p[1] for p in outline]
                fits = all(min(xs) <= cx <= max(xs) and min(ys) <= cy <= max(ys) for cx, cy in corners)
            else:
                fits = all(_inside(corner, outline) for corner in corners)
            assert fits, f"“{''.join(line.itertext())}” sticks out of its box in {joined}"


class _Steps(HTMLParser):
    """The text equivalent's items: id, and the (answer, target) of each branch link."""

    def __init__(self):
        super().__init__()
        self.steps: list[dict] = []
        self._in_text = self._in_next = False
        self._pending = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "flowchart-text" in (attrs.get("class") or ""):
            self._in_text = True
        if not self._in_text:
            return
        if tag == "li" and (attrs.get("id") or "").startswith("step-"):
            self.steps.append({"id": attrs["id"][5:], "branches": []})
        if tag == "span" and attrs.get("class") == "step-next":
            self._in_next, self._pending = True, ""
        if tag == "a" and self._in_next:
            answer = re.split("[:：;；]", self._pending)[-1].replace("→", "").strip()
            self.steps[-1]["branches"].append((answer or None, attrs["href"].removeprefix("#step-")))
            self._pending = ""

    def handle_endtag(self, tag):
        if tag == "span":
            self._in_next = False
        if tag == "section":
            self._in_text = False

    def handle_data(self, data):
        if self._in_next:
            self._pending += data


# ---------- validation: every rule, with the step named ----------

def test_the_fixture_flow_is_valid(app):
    assert messages(app, flow_rows()) == []


def test_chinese_punctuation_separates_branches(app):
    rows = change(flow_rows(), "S2", 下一环节="符合:S3;需补正:S1;不符合:E2")
    assert messages(app, rows) == []


@pytest.mark.parametrize(
    ("case", "edit", "expected"),
    [
        ("no start", lambda r: change(r, "S1", 环节类型="办理"), ["没有开始环节"]),
        ("two starts", lambda r: change(r, "S3", 环节类型="开始"), ["只能有一个开始环节", "S1(申请)", "S3(审核)"]),
        ("no end", lambda r: change(change(r, "E1", 环节类型="办理", 下一环节="S2"), "E2", 环节类型="办理", 下一环节="S1"),
         ["没有结束环节"]),
        ("unreachable step", lambda r: r + [{"环节编号": "S4", "环节类型": "办理", "环节名称": "复核", "下一环节": "E1"}],
         ["S4(复核) 从开始环节无法到达"]),
        ("dead end", lambda r: change(r, "S3", 下一环节=None), ["S3(审核) 没有下一环节，但它不是结束环节"]),
        ("edge to an unknown step", lambda r: change(r, "S3", 下一环节="S9"), ["S3(审核) 的下一环节 S9 不存在"]),
        ("duplicate ids", lambda r: r + [{"环节编号": "S3", "环节类型": "结束", "环节名称": "复核"}],
         ["环节编号 S3 重复：办理流程第 3 行和第 6 行"]),
        ("loop without a decision",
         lambda r: change(r, "S3", 下一环节="S4") + [{"环节编号": "S4", "环节类型": "办理", "环节名称": "复核", "下一环节": "S3"}],
         ["S3(审核) → S4(复核) → S3(审核) 构成循环", "S3(审核) 之后无法到达任何结束环节"]),
        ("an end that goes on", lambda r: change(r, "E1", 下一环节="S1"), ["E1(办结) 是结束环节，不能有下一环节"]),
        ("two next steps without a decision", lambda r: change(r, "S3", 下一环节="E1;E2"),
         ["S3(审核) 有多个下一环节"]),
        ("a decision with one branch", lambda r: change(r, "S2", 下一环节="符合:S3"), ["S2(受理审查) 至少要有两个分支"]),
        ("a branch without its answer", lambda r: change(r, "S2", 下一环节="S3;不符合:E2"),
         ["S2(受理审查) 的每个分支都要写明条件"]),
        ("a branch without its step", lambda r: change(r, "S2", 下一环节="符合:S3;不符合:"),
         ["S2(受理审查) 的下一环节“不符合:”没有写环节编号"]),
    ],
)
def test_a_broken_flow_is_refused_naming_the_step(app, case, edit, expected):
    found = " / ".join(messages(app, edit(flow_rows())))
    for fragment in expected:
        assert fragment in found, case


def test_a_flow_longer_than_the_statutory_limit_is_refused(app, runner, city_copy):
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    rewrite_services(city_copy / SERVICES_FILE, lambda rows: change(rows, "S3", 办理时限="30"))
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert result.exit_code != 0
    assert SERVICES_FILE in result.output and "「办理流程」" in result.output
    assert "主路径到环节 S3(审核) 累计 31 个工作日，超过法定办结时限 20 个工作日" in result.output


def test_a_statutory_limit_shorter_than_the_flow_is_refused(app, runner, city_copy):
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    rewrite_commitment(city_copy / COMMITMENTS_FILE, 法定办结时限="4", 承诺办结时限="4")
    result = runner.invoke(args=["content", "load", str(city_copy)])
    assert result.exit_code != 0
    assert "「法定办结时限」" in result.output
    assert "主路径到环节 E1(办结) 累计 5 个工作日，超过法定办结时限 4 个工作日" in result.output


# ---------- every sample-city flow: valid, within its limits, drawn legibly ----------

def test_every_sample_city_flow_is_valid_and_draws(app):
    services, limits = [], {}
    for path in sorted(CONTENT.glob("disclosures/*/commitments.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            limits.update({r["事项编码"]: int(r["法定办结时限"]) for r in csv.DictReader(f)})
    with app.app_context(), force_locale("zh_Hans"):
        for path in sorted(CONTENT.glob("disclosures/*/services.yaml")):
            rows = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
            result = KINDS["services"].validate(enumerate(rows, 1), {path.parent.name: path.parent.name})
            assert result.ok, [p.as_dict() for p in result.problems]
            services += result.records
        flows = [read(s["flow"]) for s in services]
        assert all(over_limit(f, limits[s["code"]]) is None for s, f in zip(services, flows))
        sources = [dot.source(f, s["code"], text.Limits(limits[s["code"]], None), svg.font_for("zh_Hans"))
                   for s, f in zip(services, flows)]
        limit_labels = [{s.id: text.days_text(s.days) for s in f} for f in flows]
        documents = svg.run_dot(sources)
    assert len(services) >= 120 and len(documents) == len(services)
    for service, flow, labels, document in zip(services, flows, limit_labels, documents):
        root = ET.fromstring(svg.finish(document, "x", service["name"], ""))
        assert len(nodes(root)) == len(flow.steps)
        for step in flow:
            drawn = node_text(root, step.id)
            assert step.name in drawn and labels[step.id] in drawn  # wrapped lines join up again
        assert_labels_fit(root)


def test_markup_in_a_step_is_drawn_as_text(app):
    rows = change(flow_rows(), "S3", 环节名称='审核 <script>alert("x")</script> & "复核"')
    with app.app_context(), force_locale("zh_Hans"):
        flow = read(KINDS["services"].field("flow").parse(rows))
        document = svg.run_dot([dot.source(flow, "x", text.Limits(), svg.DEFAULT_FONT)])[0]
    root = ET.fromstring(svg.finish(document, "x", "<b>", "&"))
    assert 'alert("x")' in node_text(root, "S3") and root.find(".//svg:script", NS) is None
    assert root.find("svg:title", NS).text == "<b>"


# ---------- drawn at publish, served inline and as a download ----------

def test_publishing_draws_the_chart_in_every_locale(city_app):
    with city_app.app_context():
        locales = db.session.scalars(select(Flowchart.locale)).all()
    assert sorted(locales) == sorted(city_app.config["LOCALES"].values())
    assert len(locales) == 3


def test_the_download_is_a_titled_svg_with_every_step_and_limit(client):
    page = client.get(f"/zh-hans/services/{SERVICE}/").get_data(as_text=True)
    download = next(a for a in parse_html(page).anchors if a.endswith(".svg"))
    assert client.get(f"/zh-hans/services/{SERVICE}.json").get_json()["flowchart_svg"] == download
    response = client.get(download)
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert f'filename="{SERVICE}-flowchart.svg"' in response.headers["Content-Disposition"]
    root = ET.fromstring(response.data)
    assert root.get("role") == "img"
    title = root.find(f"svg:title[@id='{root.get('aria-labelledby')}']", NS)
    assert title.text == "企业投资项目核准办理流程图"
    description = root.find(f"svg:desc[@id='{root.get('aria-describedby')}']", NS).text
    assert "主路径：申请" in description and "受理审查：需补正 → 申请。" in description
    assert "承诺办结时限 5 个工作日，法定办结时限 20 个工作日。" in description
    assert node_text(root, "S1") == "开始申请申请人即时"
    assert node_text(root, "S2") == "受理审查窗口受理人员1 个工作日"
    assert node_text(root, "S3") == "审核投资科3 个工作日※ 廉政风险点"
    assert node_text(root, "E1") == "结束办结窗口1 个工作日承诺办结时限 5 个工作日"
    assert node_text(root, "E2") == "结束不予受理窗口"
    assert_labels_fit(root)


def test_the_main_path_is_drawn_bold_and_the_loop_dashed(client):
    root = ET.fromstring(client.get(f"/zh-hans/services/{SERVICE}/flowchart.svg").data)
    main = [g for g in root.iter(f"{{{svg.SVG_NS}}}g") if "main" in g.get("class", "").split()]
    assert len([g for g in main if "node" in g.get("class")]) == 4  # S1 S2 S3 E1
    assert len([g for g in main if "edge" in g.get("class")]) == 3
    assert all(float(g.find("svg:path", NS).get("stroke-width")) > 2 for g in main if "edge" in g.get("class"))
    dashed = [g for g in root.iter(f"{{{svg.SVG_NS}}}g")
              if g.find("svg:path", NS) is not None and g.find("svg:path", NS).get("stroke-dasharray")]
    assert len(dashed) == 1 and "需补正" in "".join(dashed[0].itertext())


def test_the_page_inlines_the_chart_and_its_text_equivalent(client):
    html = client.get(f"/zh-hans/services/{SERVICE}/").get_data(as_text=True)
    chart = inline_svg(html)
    assert chart.get("role") == "img" and chart.find("svg:title", NS).text == "企业投资项目核准办理流程图"
    assert f"/zh-hans/services/{SERVICE}/flowchart.svg" in parse_html(html).anchors
    page = visible_text(html)
    assert "文字版流程" in page and "主路径共 4 个环节，各环节时限合计 5 个工作日。" in page
    assert "廉政风险点：擅自增加申请材料" in page


def test_the_text_equivalent_matches_the_graph(client):
    html = client.get(f"/zh-hans/services/{SERVICE}/").get_data(as_text=True)
    parser = _Steps()
    parser.feed(html)
    listed = {s["id"]: s["branches"] for s in parser.steps}
    assert [s["id"] for s in parser.steps] == ["S1", "S2", "S3", "E1", "E2"]  # main path first
    assert listed["S2"] == [("符合", "S3"), ("需补正", "S1"), ("不符合", "E2")]
    assert listed["S1"] == listed["S3"] == listed["E1"] == []  # the main path reads straight on
    chart = inline_svg(html)
    assert {step: STEPS[step] in node_text(chart, step) for step in STEPS} == dict.fromkeys(STEPS, True)


def test_traditional_chart_converts_the_steps_and_the_fixed_words(client):
    root = ET.fromstring(client.get(f"/zh-hant/services/{SERVICE}/flowchart.svg").data)
    drawn = "".join(root.itertext())
    assert "受理審查" in drawn and "審核" in drawn and "開始" in drawn and "辦結" in drawn
    assert "审核" not in drawn and "开始" not in drawn
    assert root.find("svg:title", NS).text == "企業投資項目核准辦理流程圖"


def test_english_chart_has_english_fixed_words_and_published_steps(client):
    root = ET.fromstring(client.get(f"/en/services/{SERVICE}/flowchart.svg").data)
    assert node_text(root, "S1").startswith("Start申请")
    assert "受理审查" in node_text(root, "S2") and "1 working day" in node_text(root, "S2")
    assert "3 working days" in node_text(root, "S3")


def test_an_unknown_service_has_no_chart(client):
    assert client.get("/zh-hans/services/99010001FG-FW-9999/flowchart.svg").status_code == 404


# ---------- redrawn when what it shows changes, and only then ----------

def test_a_new_commitment_redraws_the_chart_and_nothing_else_does(app, runner, city_copy):
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    client = app.test_client()
    assert "承诺办结时限 5 个工作日" in client.get(f"/zh-hans/services/{SERVICE}/flowchart.svg").get_data(as_text=True)
    rewrite_commitment(city_copy / COMMITMENTS_FILE, 承诺办结时限="6")
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    assert "承诺办结时限 6 个工作日" in client.get(f"/zh-hans/services/{SERVICE}/flowchart.svg").get_data(as_text=True)
    with app.app_context():
        drawn = dict(db.session.execute(select(Flowchart.locale, Flowchart.drawn_at)).all())
    result = runner.invoke(args=["flowcharts", "draw"])
    assert result.exit_code == 0 and "0 flowcharts drawn" in result.output
    with app.app_context():
        assert dict(db.session.execute(select(Flowchart.locale, Flowchart.drawn_at)).all()) == drawn


def test_without_graphviz_publishing_works_and_the_page_keeps_its_text(app, runner, city_copy, monkeypatch,
                                                                       tmp_path):
    path = os.environ["PATH"]
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without `dot`
    assert runner.invoke(args=["content", "load", str(city_copy)]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flowchart)) == 0
    html = app.test_client().get(f"/zh-hans/services/{SERVICE}/").get_data(as_text=True)
    assert "<svg" not in html and "文字版流程" in visible_text(html)
    result = runner.invoke(args=["flowcharts", "draw"])
    assert result.exit_code != 0 and "apt-get install graphviz" in result.output
    monkeypatch.setenv("PATH", path)
    result = runner.invoke(args=["flowcharts", "draw"])
    assert result.exit_code == 0 and "3 flowcharts drawn" in result.output
    assert "<svg" in app.test_client().get(f"/zh-hans/services/{SERVICE}/").get_data(as_text=True)
