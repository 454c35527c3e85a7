"""A service's flowchart as a standalone SVG document, in the page's language."""

from __future__ import annotations

from flask import Response

from ..catalog.flowcharts import chart_by_code
from ..web.requests import or_404
from ..extensions import db
from ..web.locale import localized_blueprint, select_locale

bp = localized_blueprint("flowcharts", __name__)

_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@bp.route("/services/<code>/flowchart.svg")
def svg(code):
    """The flowchart drawn when the service was published; 404 until it has been drawn."""
    chart = or_404(chart_by_code, db.session, code, select_locale())
    response = Response(_XML_DECLARATION + chart.svg, mimetype="image/svg+xml")
    # Saved under a name that says what it is, not "flowchart.svg" for every service.
    response.headers["Content-Disposition"] = f'inline; filename="{code}-flowchart.svg"'
    response.last_modified = chart.drawn_at
    return response
