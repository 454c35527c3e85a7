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

# libyaml's parser when PyYAML was built with it (its wheels are), the same safe loading either way.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
    # name appears on every English page.
    english: dict = field(default_factory=dict)
    # The body in English, from `en/<slug>.md` beside the page: None where not yet written.
    english_html: Markup | None = None

    def in_language(self, lang: str | None) -> "Page":
        """The page as read under `lang`: English title, summary and body where written;
        `text_lang` and `body_lang` name the language each is in (for `lang` attributes)."""
        if lang != "en":
            return self
        found = self
        if self.english.get("title"):
            found = replace(found, title=self.english["title"], summary=self.english.get("summary", self.summary),
                            text_lang="en")
        if self.english_html is not None:
            found = replace(found, html=self.english_html, body_lang="en")
        return found

    text_lang: str = "zh-Hans"
    body_lang: str = "zh-Hans"


def _parse(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    meta: dict = {}
    if text.startswith("---\n"):
        header, _, text = text[4:].partition("\n---\n")
        meta = yaml.load(header, Loader=_LOADER) or {}
    english = path.parent / "en" / path.name
    return Page(
        slug=path.stem,
        title=str(meta.get("title", path.stem)),
        order=int(meta.get("order", 99)),
        summary=str(meta.get("summary", "")),
        html=_render(text),
        english={k: str(v) for k, v in (meta.get("en") or {}).items()},
        english_html=_render(english.read_text(encoding="utf-8")) if english.is_file() else None,
    )


def _render(text: str) -> Markup:
    """Markdown as sanitised HTML: only the tags, attributes and link schemes allowed above."""
    return Markup(nh3.clean(
        markdown.markdown(text, extensions=["tables", "sane_lists"]),
        tags=_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"https", "http", "mailto"},
    ))


@lru_cache(maxsize=8)
def _load(directory: str, stamp: tuple) -> dict[str, Page]:
    pages = [_parse(p) for p in sorted(Path(directory).glob("*.md"))]
    return {p.slug: p for p in sorted(pages, key=lambda p: (p.order, p.slug))}


def all_pages(directory: Path) -> dict[str, Page]:
    """Every page in `directory`, in menu order; re-read only when a file (or its English body) changes."""
    files = sorted([*directory.glob("*.md"), *directory.glob("en/*.md")]) if directory.is_dir() else []
    stamp = tuple((str(p.relative_to(directory)), p.stat().st_mtime_ns) for p in files)
    return _load(str(directory), stamp)


def page(directory: Path, slug: str) -> Page:
    """The page called `slug`, or NotFound."""
    pages = all_pages(directory)
    if slug not in pages:
        raise NotFound(slug)
    return pages[slug]
