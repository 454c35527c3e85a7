"""Which charts each page has, with labels in the page's language, from the figures of this package."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

from ..i18n.display import department_name, term
from .chart import Chart


def _counts(name: str, title: str, kind: str, counted: list[dict], label=term, series: str | None = None) -> Chart:
    return Chart(name, title, kind, [label(c["label"]) for c in counted],
                 [(series or _("件数"), [c["count"] for c in counted])])


def _complaint_charts(figures: dict, names: dict[str, dict] | None = None) -> dict[str, Callable[[], Chart]]:
    charts = {
        "complaints-by-month": lambda: _counts("complaints-by-month", _("每月受理的效能投诉"), "bar",
                                               figures["by_month"], label=str),
        "complaints-by-category": lambda: _counts("complaints-by-category", _("效能投诉的问题类别"), "hbar",
                                                  figures["by_category"]),
        "complaints-by-finding": lambda: _counts("complaints-by-finding", _("效能投诉的核查结论"), "bar",
                                                 figures["by_finding"]),
        "complaints-by-outcome": lambda: _counts("complaints-by-outcome", _("效能投诉的处理结果"), "hbar",
                                                 figures["by_outcome"]),
    }
    if names is not None:
        charts["complaints-by-department"] = lambda: _counts(
            "complaints-by-department", _("各单位被投诉件数"), "hbar", figures["by_department"],
            label=lambda code: department_name(names[code]) if code in names else code)
    return charts


def _compression(limits: dict) -> Chart:
    return _counts("compression", _("承诺时限比法定时限压缩的幅度"), "bar", limits["compression_bands"],
                   label=str, series=_("服务承诺项数"))


def city_charts(stats: dict) -> dict[str, Callable[[], Chart]]:
    """The city statistics page's charts, by name (each built when asked for)."""
    names = {row["department"]["code"]: row["department"] for row in stats["departments"]}
    return {**_complaint_charts(stats["complaints"], names),
            "compression": lambda: _compression(stats["time_limits"])}


def department_charts(card: dict) -> dict[str, Callable[[], Chart]]:
    """A department scorecard's charts, by name."""
    history = card["history"]
    return {
        "scores": lambda: Chart("scores", _("历年考评总分"), "line", [str(h["year"]) for h in history],
                                [(_("总分"), [h["score"] for h in history])], unit="score"),
        "ranks": lambda: Chart("ranks", _("历年考评名次"), "line", [str(h["year"]) for h in history],
                               [(_("名次"), [h["rank"] for h in history])], unit="rank"),
        **_complaint_charts(card["complaints"]),
        "compression": lambda: _compression(card["time_limits"]),
    }


def ranking_chart(year: int, category: str, rows: list[dict]) -> Chart:
    """A year's ranking in one category as horizontal bars of total scores, first at the top."""
    return Chart(f"ranking-{year}", _("%(year)s年度%(category)s考评总分", year=year, category=term(category)),
                 "hbar", [department_name(r["department"]) for r in rows],
                 [(_("总分"), [r["score"] for r in rows])], unit="score")


# The comparison's charts: its name, the figure of each department's row it draws, the unit,
# and (called in the page's language) its title and series name.
COMPARED = (
    ("scores", "score", "score", lambda: (_("最近一年考评总分"), _("总分"))),
    ("within-limit", "within_limit_share", "share", lambda: (_("投诉限时办结率"), _("限时办结率"))),
    ("complaints", "complaints", "count", lambda: (_("被投诉件数"), _("件数"))),
)


def _compared(name: str, figure: str, unit: str, words, rows: list[dict]) -> Chart:
    title, series = words()
    return Chart(f"compare-{name}", title, "hbar", [department_name(r["department"]) for r in rows],
                 [(series, [r[figure] for r in rows])], unit=unit)


def comparison_charts(rows: list[dict]) -> dict[str, Callable[[], Chart]]:
    """The charts of departments compared side by side, by name."""
    return {name: (lambda n=name, f=figure, u=unit, w=words: _compared(n, f, u, w, rows))
            for name, figure, unit, words in COMPARED}


def comparison_plan() -> list[dict]:
    """What each comparison chart draws, in the page's language, for a copy of the page that draws
    them in the browser (static/js/compare.js): name, title, series' name, unit, and the figure."""
    return [{"name": f"compare-{name}", "title": words()[0], "series": words()[1], "unit": unit,
             "figure": figure} for name, figure, unit, words in COMPARED]
