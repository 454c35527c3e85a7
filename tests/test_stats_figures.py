"""Every figure of the scorecards, computed by hand from the fixture city's files and compared
with what the pages' JSON twins say."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from portal.workdays import working_days

# tests/fixtures/city/disclosures/99010002MZ/complaints.csv, by hand.
CASES = [
    # received, closed, category, finding, outcome, people
    ("2024-03-04", "2024-03-12", "慢作为", "属实", "批评教育", 1),
    ("2024-04-01", "2024-04-26", "服务态度", "不属实", "不予处理", 0),
]


def _days(case) -> int:
    return working_days(dt.date.fromisoformat(case[0]), dt.date.fromisoformat(case[1]))


def test_city_complaint_figures_by_hand(client):
    figures = client.get("/zh-hans/stats.json").get_json()["complaints"]
    days = [_days(c) for c in CASES]
    assert figures["total"] == 2
    assert figures["substantiated"] == 1 and figures["substantiated_share"] == 0.5
    assert figures["within_limit"] == sum(d <= 10 for d in days)
    assert figures["within_limit_share"] == pytest.approx(sum(d <= 10 for d in days) / 2)
    assert figures["median_days"] == statistics.median(days)
    assert figures["people_handled"] == 1
    assert figures["by_month"] == [{"label": "2024-03", "count": 1}, {"label": "2024-04", "count": 1}]
    assert figures["by_category"] == [{"label": "慢作为", "count": 1}, {"label": "服务态度", "count": 1}]
    assert figures["by_finding"] == [{"label": "属实", "count": 1}, {"label": "不属实", "count": 1}]
    assert figures["by_outcome"] == [{"label": "批评教育", "count": 1}, {"label": "不予处理", "count": 1}]
    assert figures["by_department"] == [{"label": "99010002MZ", "count": 2}]


def test_city_time_limits_by_hand(client):
    limits = client.get("/zh-hans/stats.json").get_json()["time_limits"]
    # One commitment: statutory 20, committed 5 working days → compressed by 1 − 5/20 = 75 %.
    assert limits["count"] == 1 and limits["compared"] == 1
    assert limits["average_compression"] == pytest.approx(0.75)
    assert [b["count"] for b in limits["compression_bands"]] == [0, 0, 0, 1, 0]
    assert limits["compression_bands"][3]["label"] == "60–80%"
    assert limits["slowest"] == [{"code": "99010001FG-FW-0001", "title": "企业投资项目核准",
                                  "statutory_days": 20, "committed_days": 5, "committed_workdays": 5,
                                  "compression": 0.75}]


def test_every_department_side_by_side(client):
    rows = {r["department"]["code"]: r for r in client.get("/zh-hans/stats.json").get_json()["departments"]}
    assert list(rows)[-1] == "99010101SL"  # 市直部门 first, then 乡镇街道
    fg, mz, sl = rows["99010001FG"], rows["99010002MZ"], rows["99010101SL"]
    assert (fg["score"], fg["rank"], fg["of"]) == (92.5, 1, 2)
    assert (mz["score"], mz["rank"], mz["of"]) == (85.0, 2, 2)
    assert (sl["score"], sl["rank"], sl["of"]) == (78.0, 1, 1)
    assert fg["complaints"] == 0 and fg["within_limit_share"] is None  # none is not 0 %
    assert mz["complaints"] == 2 and mz["substantiated_share"] == 0.5
    assert fg["commitments"] == 1 and fg["average_compression"] == pytest.approx(0.75)


def test_department_scorecard_by_hand(client):
    card = client.get("/zh-hans/departments/99010002MZ.json").get_json()["scorecard"]
    assert card["history"] == [{"year": 2024, "category": "市直部门", "rank": 2, "of": 2, "score": 85.0,
                                "grade": "良好", "bottom_three": False, "rank_change": None,
                                "score_change": None}]
    assert card["complaints"]["total"] == 2
    assert card["time_limits"]["count"] == 0 and card["time_limits"]["average_compression"] is None
    fg = client.get("/zh-hans/departments/99010001FG.json").get_json()["scorecard"]
    gaps = {g["missing"]: g for g in fg["gaps"]}
    # powers.csv: three items, each with its 设定依据 (the third is withdrawn: 已取消 still counts live)
    assert gaps["未公布设定依据"]["count"] == 0
    assert gaps["未公布办理流程"] == {"kind": "services", "missing": "未公布办理流程", "count": 0, "of": 1}
    assert fg["complaints"]["total"] == 0


def test_appraisal_year_twin_keeps_categories_apart(client):
    data = client.get("/zh-hans/appraisals/2024.json").get_json()
    assert list(data["groups"]) == ["市直部门", "乡镇街道"]
    assert [r["department"]["code"] for r in data["groups"]["市直部门"]] == ["99010001FG", "99010002MZ"]
    first = data["groups"]["市直部门"][0]
    assert first["score"] == 92.5 and first["indicators"][0] == {"name": "重点工作", "weight": 40.0, "score": 37.0}
    assert first["previous"] is None and first["rank_change"] is None
    assert data["charts"]["市直部门"]["svg"] == "/zh-hans/appraisals/2024/city-departments.svg"
