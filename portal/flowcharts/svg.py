"""Run Graphviz's `dot` on DOT sources, and make what it writes fit to be published.

`dot` is run once for a whole batch of graphs (it writes one SVG document per
graph), because starting it and loading its fonts costs more than laying out
a flow. The SVG is then made accessible and self-contained: a title and a
description for screen readers, `role="img"`, the locale's font stack, and
none of Graphviz's own ids, comments or per-shape titles (which would collide
with the page's ids and pop up as "S1->S2" tooltips). Its classes stay: `node`
and `edge`, `main` on the main path, and `flowstep-S1` naming each step's box.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
# Serialise SVG elements without a prefix (<svg>, not <ns0:svg>), as browsers inline them.
ET.register_namespace("", SVG_NS)
_TIMEOUT = 120  # seconds for a whole batch; a flow takes milliseconds
# Part of every stored chart's hash: change it when `finish` changes, and every chart is redrawn.
FINISH_VERSION = "2"

# Fonts the browser should try, per locale; Graphviz measured the labels with
# the first one, and other CJK fonts have the same square glyphs.
FONTS = {"zh_Hant": "Noto Sans CJK TC"}
DEFAULT_FONT = "Noto Sans CJK SC"
_STACKS = {
    "Noto Sans CJK TC": '"Noto Sans CJK TC", "Source Han Sans TC", "PingFang TC", "Microsoft JhengHei", '
    '"Noto Sans CJK SC", sans-serif',
    "Noto Sans CJK SC": '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", '
    '"Hiragino Sans GB", sans-serif',
}


class RenderError(RuntimeError):
    """Graphviz is missing or failed; the message says what to do."""


def font_for(locale: str) -> str:
    """The font Graphviz measures a locale's labels with."""
    return FONTS.get(locale, DEFAULT_FONT)


def run_dot(sources: list[str]) -> list[str]:
    """The SVG documents `dot` draws for `sources`, in the same order."""
    if not sources:
        return []
    executable = shutil.which("dot")
    if executable is None:
        raise RenderError("Graphviz `dot` is not installed: on Debian or Ubuntu run "
                          "`apt-get install graphviz fonts-noto-cjk` (see scripts/setup)")
    try:
        done = subprocess.run(
            [executable, "-Tsvg"], input="".join(sources).encode(), capture_output=True,
            timeout=_TIMEOUT, check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise RenderError(f"dot took more than {_TIMEOUT}s") from error
    if done.returncode != 0:
        raise RenderError(f"dot failed: {done.stderr.decode(errors='replace')[:500]}")
    documents = [d for d in re.split(r"(?=<\?xml )", done.stdout.decode()) if d.strip()]
    if len(documents) != len(sources):
        raise RenderError(f"dot drew {len(documents)} charts for {len(sources)} graphs")
    return documents


def finish(document: str, ident: str, title: str, description: str) -> str:
    """An SVG document from `dot` as a titled, described, self-contained <svg> element.

    `ident` prefixes the ids of the title and description, so that the element can
    be inlined in a page as it is.
    """
    root = ET.fromstring(document)  # drops the XML declaration, doctype and comments
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG_NS}}}title":
                parent.remove(child)
        parent.attrib.pop("id", None)
        family = parent.get("font-family")
        if family in _STACKS:
            parent.set("font-family", _STACKS[family])
    title_element = ET.Element(f"{{{SVG_NS}}}title", id=f"{ident}-title")
    title_element.text = title
    desc_element = ET.Element(f"{{{SVG_NS}}}desc", id=f"{ident}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    root.set("role", "img")
    root.set("aria-labelledby", f"{ident}-title")
    root.set("aria-describedby", f"{ident}-desc")
    root.set("class", "flowchart-svg")
    return ET.tostring(root, encoding="unicode")
