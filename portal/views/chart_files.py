"""A chart's two files: the SVG drawn on the server and the CSV of its numbers."""

from __future__ import annotations

import csv
import io

from flask import Response, g
from flask_babel import gettext as _

from ..downloads.cells import neutralise
from ..i18n.display import converter
from ..stats.chart import Chart
from ..stats.drawing import draw

# The SVG's own styles are a <style> element (pygal's): allowed for this document alone, which
# may run no script and load nothing. Pages show charts as <img>, which never runs scripts anyway.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'"


def _localized(text: str) -> str:
    """Text in the request's script: Traditional pages convert every label and name."""
    return converter().convert(text) if g.get("lang") == "zh-hant" else text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(round(value, 4))
    return neutralise(str(value))


def csv_text(chart: Chart, label_header: str) -> str:
    """The chart's numbers as CSV: UTF-8 with a BOM, CRLF, every text cell formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(label_header), *(neutralise(name) for name, _ in chart.series)])
    for row in chart.rows():
        writer.writerow([_cell(row[0]), *(_cell(v) for v in row[1:])])
    return "\ufeff" + out.getvalue()


def svg_response(chart: Chart, filename: str) -> Response:
    """The chart as a standalone SVG document, in the request's language."""
    body = '<?xml version="1.0" encoding="UTF-8"?>\n' + _localized(draw(chart))
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_POLICY
    response.headers["Content-Disposition"] = f'inline; filename="{filename}.svg"'
    return response


def csv_response(chart: Chart, label_header: str, filename: str) -> Response:
    """The chart's numbers as a CSV download, in the request's language."""
    response = Response(_localized(csv_text(chart, label_header)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def chart_file(chart: Chart, ext: str, filename: str) -> Response:
    """The chart as `svg` or `csv` (its first column headed 项目)."""
    if ext == "svg":
        return svg_response(chart, filename)
    return csv_response(chart, _("项目"), filename)
