"""Charts as pages show them: the chart, its SVG and CSV addresses, its data for the twin; and the
department scorecard and appraisal-ranking charts' own files."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, url_for

from ..extensions import db
from ..schemas.departments import CATEGORIES
from ..stats import appraisals, charts, city, scorecard
from ..web.locale import localized_blueprint
from ..stats.drawing import size
from .chart_files import chart_file

bp = localized_blueprint("scorecards", __name__)

# Rankings' chart files are named in ASCII, whatever the category is called.
CATEGORY_SLUGS = dict(zip(CATEGORIES, ("city-departments", "towns", "vertical")))
_BY_SLUG = {slug: category for category, slug in CATEGORY_SLUGS.items()}


def presented(built: dict[str, Callable], urls: Callable[[str], dict]) -> list[dict]:
    """Each chart that has something to show: the chart, its files' URLs, and its twin data."""
    shown = []
    for name, build in built.items():
        chart = build()
        if chart.is_empty():
            continue
        shown.append(_shown(name, chart, urls(name)))
    return shown


def _shown(name: str, chart, links: dict) -> dict:
    width, height = size(chart)
    return {"name": name, "chart": chart, "width": width, "height": height, **links,
            "data": {**chart.as_data(), **links}}


def department_scorecard(code: str) -> tuple[dict, list[dict]]:
    """A department's scorecard figures (for the page and its twin) and its charts (for the page)."""
    card = scorecard.scorecard(db.session, code)

    def urls(name):
        return {ext: url_for("scorecards.department_chart", code=code, name=name, ext=ext)
                for ext in ("svg", "csv")}

    shown = presented(charts.department_charts(card), urls)
    return {**card, "charts": [c["data"] for c in shown]}, shown


def ranking_charts(year: int, groups: dict[str, list[dict]]) -> dict[str, dict]:
    """Each category's ranking chart of a year, by category."""
    shown = {}
    for category, rows in groups.items():
        slug = CATEGORY_SLUGS.get(category)
        if slug is None:
            continue
        urls = {ext: url_for("scorecards.ranking_chart", year=year, slug=slug, ext=ext) for ext in ("svg", "csv")}
        shown[category] = _shown(slug, charts.ranking_chart(year, category, rows), urls)
    return shown


@bp.route("/departments/<code>/scorecard/<name>.<any(svg, csv):ext>")
def department_chart(code, name, ext):
    """One chart of a department's scorecard, as SVG or as the CSV of its numbers."""
    if code not in {d["code"] for d in city.departments(db.session)}:
        abort(404)
    build = charts.department_charts(scorecard.scorecard(db.session, code)).get(name) or abort(404)
    return chart_file(build(), ext, f"{code}-{name}")


@bp.route("/appraisals/<int:year>/<slug>.<any(svg, csv):ext>")
def ranking_chart(year, slug, ext):
    """A year's ranking chart of one category (…/2024/towns.svg), as SVG or CSV."""
    groups = appraisals.ranking(db.session, year) or abort(404)
    category = _BY_SLUG.get(slug)
    if category not in groups:
        abort(404)
    return chart_file(charts.ranking_chart(year, category, groups[category]), ext, f"appraisals-{year}-{slug}")

