"""A flow as Graphviz DOT: top to bottom, the main path straight and bold, decisions as diamonds.

Labels are HTML-like tables, one row per line, because Graphviz spaces the
lines of a table by the font's real height (CJK fonts are taller than Latin
ones, and <BR/> lines overlap). Long names are wrapped so that boxes stay
narrow enough for a phone. Colours are the site's, dark enough to print, and
emphasis never rests on colour alone: the main path is thicker, loops are dashed.
"""

from __future__ import annotations

import unicodedata
from html import escape

from .graph import DECISION, END, START, Flow, Step
from .text import Limits, days_text
from .words import gettext_once as _

INK, SOFT, MUTED = "#1f2328", "#3a424b", "#5a6470"
ACCENT, ACCENT_SOFT = "#0b5a66", "#eaf4f5"
AMBER, AMBER_SOFT = "#7a4b00", "#fdf0d5"
ALERT = "#b42318"

# Display widths (CJK characters count 2) beyond which a name is wrapped.
_WRAP = {DECISION: 12, "box": 18}
_TABLE = '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="1">'
_EDGE_LABEL = ('<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4">'
               "<TR><TD>{}</TD></TR></TABLE>")
# A line never starts with closing punctuation.
_NO_LINE_START = set(")）】》」』,,。、;;::!!??")


def source(flow: Flow, name: str, limits: Limits, font: str) -> str:
    """The DOT text of a flow, its fixed words in the current locale."""
    main = flow.main_path()
    main_ids = [s.id for s in main]
    main_edges = flow.main_edges()
    backwards = flow.loop_edges()
    lines = [
        f"digraph {_quote(name)} {{",
        f'  graph [rankdir=TB, nodesep=0.3, ranksep=0.32, pad=0.15, bgcolor="white", fontname={_quote(font)},'
        f" fontsize=10, labelloc=b, labeljust=c, label={_footer(flow, limits, bool(backwards))}];",
        f'  node [fontname={_quote(font)}, fontsize=13, fontcolor="{INK}", shape=box, style=filled,'
        f' fillcolor="white", color="{MUTED}", penwidth=1.2, margin="0.16,0.07"];',
        f'  edge [fontname={_quote(font)}, fontsize=11, fontcolor="{AMBER}", color="{SOFT}", penwidth=1.2,'
        f" arrowsize=0.7];",
    ]
    for step in flow:
        on_main = step.id in main_ids
        total = step is main[-1]
        attributes = _node_attributes(step, on_main, total, flow, limits)
        lines.append(f"  {_quote(step.id)} [{attributes}];")
    for step in flow:
        for branch in step.branches:
            on_main = (step.id, branch.target) in main_edges
            back = (step.id, branch.target) in backwards
            attributes = []
            if branch.label:
                # Padded, so that the answer does not touch the line it labels.
                attributes.append(f'label={_html(_EDGE_LABEL.format(_escape(branch.label)))}')
            if on_main:
                attributes.append(f'penwidth=2.6, color="{ACCENT}", class="main"')
            if back:
                # A loop (需补正 back to 受理) must not pull its target below it.
                # Leaving and entering on the right keeps it clear of the main path;
                # the side ends below hang off lower ranks.
                attributes.append("style=dashed, constraint=false, tailport=e, headport=e")
            lines.append(f"  {_quote(step.id)} -> {_quote(branch.target)} [{', '.join(attributes)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_attributes(step: Step, on_main: bool, total: bool, flow: Flow, limits: Limits) -> str:
    rows = []
    if step.kind in (START, END):
        rows.append(_row(_(step.kind), size=10, colour=MUTED))
    width = _WRAP[DECISION] if step.kind == DECISION else _WRAP["box"]
    rows += [_row(line, size=13, bold=True) for line in wrap(step.name, width)]
    if step.post:
        rows += [_row(line, size=11, colour=SOFT) for line in wrap(step.post, width + 4)]
    if step.days is not None:
        rows.append(_row(days_text(step.days), size=11, colour=INK))
    if step.special:
        rows.append(_row(_("特别程序:%(kind)s,不计入法定时限", kind=step.special), size=10, colour=ALERT))
    if step.risk:
        rows.append(_row("※ " + _("廉政风险点"), size=10, colour=ALERT))
    if total:
        if limits.committed is not None:
            rows.append(_row(_("承诺办结时限 %(days)s", days=days_text(limits.committed)), size=11, bold=True))
        else:
            rows.append(_row(_("合计 %(days)s", days=days_text(flow.main_days(), instant=False)),
                             size=11, bold=True))
    label = _html(_TABLE + "".join(rows) + "</TABLE>")
    # The class names the step, so that a reader of the SVG can tell which box is which.
    classes = f"flowstep-{step.id}" + (" main" if on_main else "")
    attributes = [f"label={label}", f"group={'main' if on_main else _quote(step.id)}", f"class={_quote(classes)}"]
    if step.kind == DECISION:
        attributes.append(f'shape=diamond, fillcolor="{AMBER_SOFT}", color="{AMBER}", margin="0.04,0.02"')
    elif step.kind in (START, END):
        attributes.append(f'style="rounded,filled", fillcolor="{ACCENT_SOFT}"')
    if step.kind == END:
        attributes.append("peripheries=2")
    if on_main:
        attributes.append(f'penwidth=2.2, color="{AMBER if step.kind == DECISION else ACCENT}"')
    return ", ".join(attributes)


def _footer(flow: Flow, limits: Limits, loops: bool) -> str:
    rows = [_row(_("粗线为主路径,各环节时限合计 %(days)s", days=days_text(flow.main_days(), instant=False)),
                 size=10, colour=SOFT)]
    if flow.special_steps():
        rows.append(_row(_("特别程序另需 %(days)s,不计入合计", days=days_text(flow.special_days(), instant=False)),
                         size=10, colour=SOFT))
    if loops:
        rows.append(_row(_("虚线为退回重办"), size=10, colour=SOFT))
    if limits.statutory is not None:
        rows.append(_row(_("法定办结时限 %(days)s", days=days_text(limits.statutory)), size=10, colour=SOFT))
    return _html(_TABLE + '<TR><TD HEIGHT="6"></TD></TR>' + "".join(rows) + "</TABLE>")


def _row(text: str, size: int, colour: str = INK, bold: bool = False) -> str:
    body = _escape(text)
    if bold:
        body = f"<B>{body}</B>"
    return f'<TR><TD><FONT POINT-SIZE="{size}" COLOR="{colour}">{body}</FONT></TD></TR>'


def display_width(text: str) -> int:
    """How many Latin-letter widths `text` takes: wide (CJK) characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WFA" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """Break `text` into lines of about equal length, about `width` display widths at most.

    Chinese breaks anywhere, but not before closing punctuation nor inside a
    run of Latin letters or digits; equal lines leave no lone character behind.
    A bracketed remark that fits a line of its own gets one: “不予受理 / (出具通知书)”.
    """
    total = display_width(text)
    if total <= width:
        return [text]
    for bracket in "((":
        head, found, tail = text.partition(bracket)
        if found and head and display_width(head) <= width and display_width(found + tail) <= width:
            return [head, found + tail]
    target = total / -(-total // width)  # the same share of the text on every line
    lines, line = [], ""
    for token in _tokens(text):
        # A token goes to the next line once its middle would pass the target.
        crossing = display_width(line) + display_width(token) / 2 > target
        if line and crossing and token[0] not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    lines.append(line)
    return lines


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    for char in text:
        if tokens and _latin(char) and _latin(tokens[-1][-1]):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _escape(text: str) -> str:
    return escape(text, quote=True)


def _html(markup: str) -> str:
    """An HTML-like DOT label (the angle brackets make it one)."""
    return f"<{markup}>"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
