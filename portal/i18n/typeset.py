"""Full-width punctuation for Chinese interface strings.

Message ids are written with whatever punctuation the keyboard gave (撤回原因:),
so Chinese pages would print half-width marks. `typeset` turns the ASCII marks
`, : ; ? ! ( )` that sit in Chinese text into `，：；？！（）`, and leaves alone
everything a formatter, a browser or an English reader depends on: format
placeholders (`%(name)s`, `%s`, `{name}`, `{{ … }}`), HTML tags with their
attributes, entities, URLs, quotations (“符合:S4” shows what to type), numbers (1,000) and times (9:00), and text
without Chinese characters.

The rule, looking past spaces and tags to the nearest neighbour on each side:
- `, : ; ? !` become full-width when the neighbour before or after is Chinese
  (a Han character or Chinese punctuation, a quotation with Chinese in it, or a
  placeholder in a message whose own text has Chinese: 变更%(item)s:%(name)s);
- `(` becomes full-width when either neighbour is Chinese, and its matching `)` with it;
- ASCII spaces next to a converted mark go: a full-width mark carries its own space.
"""

from __future__ import annotations

import re

# What must never change: placeholders, markup, entities and URLs.
_PROTECTED = re.compile(
    r"""
    %\([^)]*\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]   # %(name)s
    | %[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]          # %s, %d, %%
    | \{\{.*?\}\} | \{%.*?%\} | \{\#.*?\#\}              # Jinja
    | \{[A-Za-z0-9_.\[\]]*(?:![rsa])?(?::[^{}]*)?\}      # str.format fields
    | <[^<>]*>                                           # tags, with their attributes
    | &(?:\#\d+|\#x[0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);   # entities
    | “[^“”]*”                                           # quotations: values and syntax as typed
    | [A-Za-z][A-Za-z0-9+.-]*://(?:[^\s<>"'(){}%\u3000-\u9fff\uff00-\uffef]|%[0-9A-Fa-f]{2})*  # URLs
      (?<![.,;:!?])
    """,
    re.VERBOSE | re.DOTALL,
)
_TAG = re.compile(r"<[^<>]*>\Z", re.DOTALL)
_QUOTE = re.compile(r"“.*”\Z", re.DOTALL)
_WIDE = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_SPACE = " \t"
_OPAQUE = object()  # a placeholder: a neighbour that is neither Chinese nor space
_SKIPPED = object()  # a tag: no neighbour at all
_QUOTED = object()  # a quotation: kept as written (如“符合:S4”); Chinese to its neighbours if it is


def is_chinese(char: str) -> bool:
    """A Han character, or CJK or full-width punctuation (、。《》，（…)."""
    code = ord(char)
    return (0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF)


def _cells(text: str) -> list:
    """The text as a list: one character per cell; placeholders, tags and quotations one cell each."""
    cells: list = []
    last = 0
    for match in _PROTECTED.finditer(text):
        cells.extend(text[last:match.start()])
        token = match.group()
        quoted = _QUOTE.match(token) and any(map(is_chinese, token))
        kind = _SKIPPED if _TAG.match(token) else _QUOTED if quoted else _OPAQUE
        cells.append((kind, token))
        last = match.end()
    cells.extend(text[last:])
    return cells


def _neighbour(cells: list, start: int, step: int, chinese_fields: bool, chinese_edges: bool) -> bool:
    """Whether the nearest neighbour from `start` in direction `step` is Chinese."""
    i = start + step
    while 0 <= i < len(cells):
        cell = cells[i]
        if isinstance(cell, tuple):
            if cell[0] is not _SKIPPED:
                return cell[0] is _QUOTED or chinese_fields
        elif cell not in _SPACE:
            return is_chinese(cell)
        i += step
    return chinese_edges


def _pass(cells: list, chinese_fields: bool, chinese_edges: bool) -> bool:
    """Convert what the rule converts once; say whether anything changed."""

    def chinese_side(i: int) -> bool:
        return any(_neighbour(cells, i, step, chinese_fields, chinese_edges) for step in (-1, 1))

    changed, opened = False, []
    for i, cell in enumerate(cells):
        if cell == "(":
            opened.append(i)
        elif cell == ")" and opened:
            j = opened.pop()
            if chinese_side(j) or chinese_side(i):
                cells[j], cells[i], changed = "（", "）", True
    for i, cell in enumerate(cells):
        if isinstance(cell, str) and cell in ",:;?!" and chinese_side(i):
            cells[i], changed = _WIDE[cell], True
    return changed


def _drop_spaces(cells: list, converted: set[int]) -> list:
    """Remove ASCII spaces touching a converted mark."""
    drop = set()
    for i in converted:
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(cells) and cells[j] in (" ", "\t"):
                drop.add(j)
                j += step
    return [c for k, c in enumerate(cells) if k not in drop]


def typeset(text: str, chinese: bool = False) -> str:
    """The text with ASCII punctuation in Chinese made full-width (see the module's rule).

    `chinese` says the whole text is known to be a piece of Chinese (a message id, whose
    language is Simplified Chinese): its placeholders and its two ends count as Chinese,
    so a separator message such as `;` becomes `；`."""
    if not text or not (chinese or any(is_chinese(c) for c in text)):
        return text
    cells = _cells(text)
    before = list(cells)
    # In a Chinese sentence a field is filled with Chinese (变更%(item)s:%(name)s).
    chinese_fields = chinese or any(isinstance(c, str) and is_chinese(c) for c in cells)
    # A converted mark makes its neighbours Chinese: repeat until nothing changes.
    while _pass(cells, chinese_fields, chinese):
        pass
    converted = {i for i, (old, new) in enumerate(zip(before, cells)) if old != new}
    if not converted:
        return text
    cells = _drop_spaces(cells, converted)
    return "".join(c if isinstance(c, str) else c[1] for c in cells)
