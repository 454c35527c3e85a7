"""The city statistics, departments compared side by side, and every chart's SVG and CSV."""

from __future__ import annotations

from flask import abort, make_response, request, url_for
from flask_babel import gettext as _

from ..extensions import db
from ..stats import charts, city, complaints, timelimits
from ..web.locale import localized_blueprint
from ..web.twins import render, route
from .chart_files import chart_file
from .scorecards import presented

bp = localized_blueprint("stats", __name__)

# More would make the comparison unreadable (and a long query string an easy way to load the server).
MAX_COMPARED = 8


def _city_urls(name: str) -> dict:
    return {"svg": url_for("stats.city_chart", name=name, ext="svg"),
            "csv": url_for("stats.city_chart", name=name, ext="csv")}


# The home page's brief statistics.
HOME_CHARTS = ("complaints-by-month", "compression")


def home_charts() -> list[dict]:
    """The charts the home page shows of the city statistics: the city's figures alone (every
    department's row, which the statistics page compares, would cost the home page as much again)."""
    figures = {"complaints": {"by_month": complaints.by_month(db.session)},
               "time_limits": timelimits.time_limits(db.session, None), "departments": []}
    built = charts.city_charts(figures)
    return presented({name: built[name] for name in HOME_CHARTS}, _city_urls)


@route(bp, "/stats/")
def index(fmt):
    """The city's statistics: complaints by month, category, finding, outcome and department; time
    limits; every department's headline figures (to compare them)."""
    figures = city.city_stats(db.session)
    shown = presented(charts.city_charts(figures), _city_urls)
    data = {**figures, "charts": [c["data"] for c in shown]}
    return render(fmt, "stats/index.html", data, charts=shown, max_compared=MAX_COMPARED)


def _chosen() -> list[str] | None:
    """The departments' codes the query chose, or None when it chose more than can be compared."""
    codes = [c for c in request.args.getlist("departments") if c]
    return None if len(codes) > MAX_COMPARED else codes


@route(bp, "/stats/compare/")
def compare(fmt):
    """Chosen departments side by side (?departments=A&departments=B …): one table, three charts."""
    codes = _chosen()
    problem = None if codes is not None else _("最多可以同时比较 %(count)s 个单位。", count=MAX_COMPARED)
    if problem and fmt == "json":
        abort(400)
    rows = city.compare(db.session, codes or [])

    def urls(name):
        return {ext: url_for("stats.compare_chart", name=name, ext=ext, departments=codes)
                for ext in ("svg", "csv")}

    shown = presented(charts.comparison_charts(rows), urls) if len(rows) >= 2 else []
    data = {"chosen": [r["department"]["code"] for r in rows], "departments": rows,
            "charts": [c["data"] for c in shown]}
    response = make_response(render(fmt, "stats/compare.html", data, error=problem, charts=shown,
                                    max_compared=MAX_COMPARED,
                                    city_rows=city.city_stats(db.session)["departments"],
                                    stats_twin=url_for("stats.index", fmt="json"),
                                    chart_plan=charts.comparison_plan()))
    if problem:
        response.status_code = 400
    return response


@bp.route("/stats/<name>.<any(svg, csv):ext>")
def city_chart(name, ext):
    """One chart of the city statistics, as SVG or as the CSV of its numbers."""
    build = charts.city_charts(city.city_stats(db.session)).get(name) or abort(404)
    return chart_file(build(), ext, name)


@bp.route("/stats/compare/<name>.<any(svg, csv):ext>")
def compare_chart(name, ext):
    """One chart of a comparison (the same ?departments=… as its page)."""
    rows = city.compare(db.session, _chosen() or [])
    if len(rows) < 2:
        abort(404)
    build = charts.comparison_charts(rows).get(name) or abort(404)
    return chart_file(build(), ext, f"compare-{name}")

