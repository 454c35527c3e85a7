"""Site pages written in Markdown under content/pages/, rendered once and sanitised."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import markdown
import nh3
import yaml
from markupsafe import Markup

from .listing import NotFound

# Markdown may produce only these tags; anything else in a page is dropped, so a
# page file can never inject script or style into the portal.
_TAGS = {
    "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "blockquote", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "hr", "br", "a",
}


@dataclass(frozen=True)
class Page:
    """A rendered site page."""

    slug: str
    title: str
    order: int
    summary: str
    html: Markup
    # The title and summary in English (front matter `en: {title, summary}`): the page's
    # body is written once, in Chinese, but its name appears on every English page.
    english: dict = field(default_factory=dict)

    def in_language(self, lang: str | None) -> "Page":
        """The page as listed under `lang`: English title and summary where written; `lang`
        attribute names the language its text is in."""
        if lang == "en" and self.english.get("title"):
            return replace(self, title=self.english["title"], summary=self.english.get("summary", self.summary),
                           text_lang="en")
        return self

    text_lang: str = "zh-Hans"


def _parse(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("---\n"):
        header, _, text = text[4:].partition("\n---\n")
        meta = yaml.safe_load(header) or {}
    html = nh3.clean(
        markdown.markdown(text, extensions=["tables", "sane_lists"]),
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto"},
    )
    return Page(
        slug=path.stem,
        title=str(meta.get("title", path.stem)),
        order=int(meta.get("order", 99)),
        summary=str(meta.get("summary", "")),
        html=Markup(html),
        english={k: str(v) for k, v in (meta.get("en") or {}).items()},
    )


@lru_cache(maxsize=8)
def _load(directory: str, stamp: tuple) -> dict[str, Page]:
    pages = [_parse(p) for p in sorted(Path(directory).glob("*.md"))]
    return {p.slug: p for p in sorted(pages, key=lambda p: (p.order, p.slug))}


def all_pages(directory: Path) -> dict[str, Page]:
    """Every page in `directory`, in menu order; re-read only when a file changes."""
    files = sorted(directory.glob("*.md")) if directory.is_dir() else []
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in files)
    return _load(str(directory), stamp)


def page(directory: Path, slug: str) -> Page:
    """The page called `slug`, or NotFound."""
    pages = all_pages(directory)
    if slug not in pages:
        raise NotFound(slug)
    return pages[slug]
