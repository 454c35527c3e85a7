"""Charts drawn as SVG with pygal: readable in greyscale and by colour-blind readers, and the same
bytes every time the same figures are drawn (the static export compares files)."""

from __future__ import annotations

import hashlib

import pygal
from pygal.etree import etree
from pygal.style import Style

from .chart import Chart

# Okabe & Ito's palette, told apart with every common colour-vision deficiency; its first
# colours also differ in lightness, and every bar carries its value as text besides.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Lines are told apart by dashes as well as colour (solid, dashed, dotted …).
DASHES = ("", "8, 4", "2, 4", "12, 4, 2, 4")
FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1f2328", foreground_strong="#1f2328",
    foreground_subtle="#6e7781", opacity="1", opacity_hover="1", transition="none",
    colors=OKABE_ITO, font_family=FONTS, label_font_size=13, major_label_font_size=13,
    value_font_size=13, title_font_size=16, legend_font_size=13, tooltip_font_size=13,
)

_KINDS = {"bar": pygal.Bar, "hbar": pygal.HorizontalBar, "line": pygal.Line}


def _reproducible(root):
    """Drop what changes between runs or cannot run anyway: the dated comments and the script."""
    for node in list(root):
        if node.tag is etree.Comment:
            root.remove(node)
    for defs in root.iter("{http://www.w3.org/2000/svg}defs", "defs"):
        for script in [n for n in defs if str(n.tag).endswith("script")]:
            defs.remove(script)
    return root


def size(chart: Chart) -> tuple[int, int]:
    """The chart's width and height in pixels (horizontal bars grow with their labels)."""
    if chart.kind == "hbar":
        return 720, max(220, 60 + 34 * len(chart.labels) * max(1, len(chart.series)))
    return 720, 380


def draw(chart: Chart) -> str:
    """The chart as an SVG document (text, without the XML declaration)."""
    width, height = size(chart)
    drawn = _KINDS[chart.kind](
        style=STYLE, width=width, height=height, js=[], disable_xml_declaration=True,
        title=chart.title, print_values=chart.kind != "line" or len(chart.labels) <= 12,
        print_values_position="top" if chart.kind == "bar" else "center",
        show_legend=len(chart.series) > 1, legend_at_bottom=True, legend_at_bottom_columns=2,
        truncate_legend=-1, truncate_label=-1, x_label_rotation=30 if len(chart.labels) > 6 else 0,
        value_formatter=chart.formatted, show_y_guides=True, show_x_guides=False,
        include_x_axis=chart.unit != "rank", inverse_y_axis=chart.unit == "rank",
        no_data_text="—", margin=16, explicit_size=False, classes=["pygal-chart", f"chart-{chart.name}"],
    )
    # pygal names each chart with a random uuid; a name from the chart's content keeps the SVG
    # byte-identical between renders.
    drawn.uuid = hashlib.sha256(repr((chart.name, chart.title, chart.labels, chart.series)).encode()).hexdigest()[:16]
    drawn.add_xml_filter(_reproducible)
    drawn.x_labels = chart.labels
    for index, (name, values) in enumerate(chart.series):
        options = {"stroke_style": {"width": 3, "dasharray": DASHES[index % len(DASHES)]}} if chart.kind == "line" else {}
        drawn.add(name, values, **options)
    return drawn.render(is_unicode=True)
