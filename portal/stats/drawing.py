"""Charts drawn as SVG with pygal: readable in greyscale and by colour-blind readers, and the same
bytes every time the same figures are drawn (the static export compares files)."""

from __future__ import annotations

import hashlib
import sys
import unicodedata

import pygal
import pygal.graph.graph
from pygal.etree import etree
from pygal.style import Style

from .chart import Chart

# pygal adds an import hook for its map plugins (unused here) that only has the find_module API
# Python 3.12 dropped: every import falling through to it warns (ImportWarning, an error in the
# tests). Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]


def _ems(character: str) -> float:
    return 1.0 if unicodedata.east_asian_width(character) in "WF" else 0.6


def _texts_box(texts, font_size):
    """(height, width) of the widest text: a Han character is a whole em wide, where pygal's own
    estimate (0.6 em for every character) leaves Chinese department names cut off at the margin."""
    widths = [sum(map(_ems, str(t))) for t in texts]
    return font_size, max(widths, default=0) * font_size


pygal.graph.graph.get_texts_box = _texts_box

# Okabe & Ito's palette, told apart with every common colour-vision deficiency; its first
# colours also differ in lightness, and every bar carries its value as text besides.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# Lines are told apart by dashes as well as colour (solid, dashed, dotted …).
DASHES = ("", "8, 4", "2, 4", "12, 4, 2, 4")
FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'

STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1f2328", foreground_strong="#1f2328",
    foreground_subtle="#6e7781", opacity="1", opacity_hover="1", transition="none",
    colors=OKABE_ITO, font_family=FONTS, label_font_size=15, major_label_font_size=15,
    value_font_size=15, title_font_size=17, legend_font_size=15, tooltip_font_size=15,
)

# A horizontal bar's value is written just after its end, not across it.
_VALUES_AFTER_BARS = "inline:.kind-hbar .text-overlay text.value{text-anchor:start;transform:translate(5px,0)}"

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


# Drawn small so that its text stays legible when a phone scales the chart to its width.
WIDTH = 560
# Beyond this many bars, values written on each would overlap: the data table has them.
MAX_PRINTED = 12
# At most this many labels under the x axis (months: every third or sixth one).
MAX_X_LABELS = 8


def size(chart: Chart) -> tuple[int, int]:
    """The chart's width and height in pixels (horizontal bars grow with their labels)."""
    if chart.kind == "hbar":
        return WIDTH, max(200, 90 + 30 * len(chart.labels) * max(1, len(chart.series)))
    return WIDTH, 340


# Labels beside horizontal bars take at most this many ems (a long English department name would
# leave no room for its bar); the data table, the CSV and the image's text give them whole.
MAX_LABEL_EMS = 15


def _shortened(label: str) -> str:
    """The label, cut with an ellipsis where it would be wider than MAX_LABEL_EMS."""
    if sum(map(_ems, label)) <= MAX_LABEL_EMS:
        return label
    width, kept = 1.0, []  # room for the ellipsis
    for character in label:
        width += _ems(character)
        if width > MAX_LABEL_EMS:
            break
        kept.append(character)
    return "".join(kept).rstrip() + "…"


def _score_range(chart: Chart) -> tuple[float, float] | None:
    """Scores from the tens below the lowest to 100: from 0, ten departments between 80 and 95
    would look all alike (the axis says where it starts)."""
    values = [v for _, vs in chart.series for v in vs if v is not None]
    if chart.unit != "score" or not values:
        return None
    return max(0, (int(min(values)) // 10 - 1) * 10), 100


def _axis_steps(chart: Chart) -> list[float] | None:
    """Counts and ranks are whole numbers: an axis of 0, 0.1 … 1 for one complaint says otherwise;
    shares go by quarters."""
    values = [v for _, vs in chart.series for v in vs if v is not None]
    if chart.unit == "share":
        return [0, 0.25, 0.5, 0.75, 1]
    span = _score_range(chart)
    if span:
        return list(range(span[0], 101, 5 if 100 - span[0] <= 30 else 10))
    if chart.unit not in ("count", "rank") or not values:
        return None
    low, high = (1 if chart.unit == "rank" else 0), max(max(values), 1)
    raw = max(1, -(-(high - low) // MAX_X_LABELS))
    # A round step (1, 2, 5, 10, 20, 50 …) reads at a glance; 9, 18, 27 does not.
    step = next(n * 10 ** e for e in range(7) for n in (1, 2, 5) if n * 10 ** e >= raw)
    return list(range(low, high + step, step))


def draw(chart: Chart) -> str:
    """The chart as an SVG document (text, without the XML declaration)."""
    width, height = size(chart)
    span = _score_range(chart)
    across = chart.kind != "hbar"  # labels along the x axis (horizontal bars have them on the left)
    drawn = _KINDS[chart.kind](
        style=STYLE, width=width, height=height, js=[], disable_xml_declaration=True,
        title=chart.title, print_values=chart.kind == "hbar" or len(chart.labels) <= MAX_PRINTED,
        print_values_position="top",
        show_legend=len(chart.series) > 1, legend_at_bottom=True, legend_at_bottom_columns=2,
        truncate_legend=-1, truncate_label=-1, x_label_rotation=30 if across and len(chart.labels) > 6 else 0,
        show_minor_x_labels=not across or len(chart.labels) <= MAX_X_LABELS,
        x_labels_major_every=max(1, -(-len(chart.labels) // MAX_X_LABELS)) if across else None,
        formatter=chart.formatted, value_formatter=chart.axis_label, show_y_guides=True, show_x_guides=False,
        range=span, zero=span[0] if span else 0, y_labels=_axis_steps(chart), margin_right=60, dots_size=5,
        css=("file://style.css", "file://graph.css", _VALUES_AFTER_BARS),
        include_x_axis=chart.unit in ("count", "share"), inverse_y_axis=chart.unit == "rank",
        no_data_text="—", margin=16, explicit_size=False, classes=["pygal-chart", f"chart-{chart.name}", f"kind-{chart.kind}"],
    )
    # pygal names each chart with a random uuid; a name from the chart's content keeps the SVG
    # byte-identical between renders.
    drawn.uuid = hashlib.sha256(repr((chart.name, chart.title, chart.labels, chart.series)).encode()).hexdigest()[:16]
    drawn.add_xml_filter(_reproducible)
    # pygal stacks horizontal bars from the bottom up; readers read a list from the top down.
    order = (lambda seq: list(reversed(seq))) if chart.kind == "hbar" else list
    drawn.x_labels = order([_shortened(label) for label in chart.labels] if chart.kind == "hbar" else chart.labels)
    for index, (name, values) in enumerate(chart.series):
        values = order(values)
        dashes = DASHES[index % len(DASHES)]
        options = {"stroke_style": {"width": 3, **({"dasharray": dashes} if dashes else {})}} if chart.kind == "line" else {}
        drawn.add(name, values, **options)
    return drawn.render(is_unicode=True)
