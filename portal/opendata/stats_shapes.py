"""The JSON shapes of the scorecards' figures (portal.stats) as JSON Schema: rankings, complaint
and time-limit figures, a department's scorecard, the city statistics and a comparison."""

from __future__ import annotations

from ..schemas.complaints import LIMIT_WORKING_DAYS
from ..schemas.departments import CATEGORIES
from ..schemas.limits import CALENDAR_DAYS, MONTHS
from .json_types import INTEGER, STRING, URL, nullable, obj, ref

NUMBER = {"type": "number"}
SHARE = nullable({"type": "number", "minimum": 0, "maximum": 1})
SCORE = nullable({"type": "number", "minimum": 0, "maximum": 100})


def _counts(description: str) -> dict:
    return {"type": "array", "description": description, "items": obj({"label": STRING, "count": INTEGER})}


def _limit(description: str) -> dict:
    """A time limit as the department wrote it (the shape of a commitment's time-limit fields)."""
    return {"description": description, "type": ["number", "object", "null"], "minimum": 0,
            "properties": {"amount": {"type": "number", "minimum": 0},
                           "unit": {"type": "string", "enum": [CALENDAR_DAYS, MONTHS]}},
            "required": ["amount", "unit"]}


def _charts() -> dict:
    return {"type": "array", "items": ref("Chart")}


def schemas() -> dict[str, dict]:
    """Every schema of the scorecards, by component name."""
    department = obj({"code": STRING, "name": STRING, "name_en": STRING,
                      "category": {"type": "string", "enum": list(CATEGORIES)}})
    change = {"rank_change": nullable({**INTEGER, "description": "比上一年度上升的名次(负数为下降)"}),
              "score_change": nullable({**NUMBER, "description": "比上一年度总分的变化"})}
    return {
        "Chart": obj({
            "name": STRING, "title": STRING,
            "unit": {"type": "string", "enum": ["count", "score", "share", "days", "rank"]},
            "labels": {"type": "array", "items": STRING},
            "series": {"type": "array", "items": obj({"name": STRING, "values": {"type": "array",
                                                                               "items": nullable(NUMBER)}})},
            "svg": URL, "csv": URL,
        }),
        "StatsDepartment": department,
        "RankingRow": obj({
            "department": ref("StatsDepartment"), "rank": INTEGER, "score": SCORE, "grade": STRING,
            "indicators": {"type": "array", "items": obj({"name": STRING, "weight": NUMBER, "score": NUMBER})},
            "remarks": STRING, "bottom_three": {"type": "boolean", "description": "末三位(排名多于三个单位时)"},
            "previous": nullable(obj({"rank": INTEGER, "score": SCORE})), **change,
        }),
        "ComplaintFigures": obj({
            "total": INTEGER, "substantiated": INTEGER, "substantiated_share": SHARE,
            "within_limit": INTEGER, "within_limit_share": SHARE,
            "limit_working_days": {"const": LIMIT_WORKING_DAYS}, "median_days": nullable(NUMBER),
            "people_handled": INTEGER,
            "by_month": _counts("每月受理件数(YYYY-MM),从第一个月到最后一个月"),
            "by_category": _counts("按问题类别"), "by_finding": _counts("按核查结论"),
            "by_outcome": _counts("按处理结果"), "by_department": _counts("按被投诉单位(部门编码)"),
        }),
        "TimeLimits": obj({
            "count": INTEGER, "compared": INTEGER, "average_compression": SHARE,
            "compression_bands": _counts("压缩比例分段(每段 20%)的服务承诺项数"),
            "slowest": {"type": "array", "items": obj({
                "code": STRING, "title": STRING,
                "statutory_days": _limit("法定办结时限,按部门所写:工作日数(0 为即办)、{amount, unit} 或 null(无法定时限)"),
                "committed_days": _limit("承诺办结时限,按部门所写"),
                "committed_workdays": NUMBER, "compression": nullable(NUMBER)})},
        }),
        "Scorecard": obj({
            "history": {"type": "array", "items": obj({
                "year": INTEGER, "category": STRING, "rank": INTEGER, "of": INTEGER, "score": SCORE,
                "grade": STRING, "bottom_three": {"type": "boolean"}, **change})},
            "time_limits": ref("TimeLimits"), "complaints": ref("ComplaintFigures"),
            "gaps": {"type": "array", "items": obj({"kind": STRING, "missing": STRING, "count": INTEGER,
                                                     "of": INTEGER})},
            "charts": _charts(),
        }),
        "DepartmentFigures": obj({
            "department": ref("StatsDepartment"), "year": nullable(INTEGER), "score": SCORE,
            "rank": nullable(INTEGER), "of": nullable(INTEGER), "complaints": INTEGER,
            "substantiated_share": SHARE, "within_limit_share": SHARE, "median_days": nullable(NUMBER),
            "commitments": INTEGER, "average_compression": SHARE,
        }),
        "CityStats": obj({
            "complaints": ref("ComplaintFigures"), "time_limits": ref("TimeLimits"),
            "departments": {"type": "array", "items": ref("DepartmentFigures")}, "charts": _charts(),
        }),
        "Comparison": obj({
            "chosen": {"type": "array", "items": STRING},
            "departments": {"type": "array", "items": ref("DepartmentFigures")}, "charts": _charts(),
        }),
    }
