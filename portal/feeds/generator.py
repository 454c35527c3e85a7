"""A feedgen FeedGenerator that writes reproducible, well-formed, paged Atom and RSS.

feedgen's defaults are traps for a feed that must be stable:
- `updated`/`lastBuildDate` default to now, so the same data would give a new
  feed on every request (and a new ETag): set them from the data, always;
- `FeedEntry.id()` and `.guid()` write one field: call `id()` only, with the
  event's tag: URI, which RSS then carries as a guid with isPermaLink="false";
- the RSS channel <link> is whichever feed link was added last, so `self` and the
  paging links go first and the human page (`alternate`) last;
- `add_entry()` prepends unless order="append";
- lxml refuses C0/C1 control characters, so every text is cleaned first;
- RSS gets only the first `self` link, so the RFC 5005 archive links are added to
  the RSS channel here as atom:link elements;
- an Atom entry's links lose their rel and type (feedgen 1.0 reads them from the
  element it has just created), which would make the `related` link a second
  `alternate`: `PortalEntry` writes them back;
- an RSS <description> is HTML to every reader, while the summary written into it
  is plain text (an item's title as a department typed it, "<b>" and all): it is
  escaped once more, so readers show it as the text Atom's type="text" summary is.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from collections.abc import Callable

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
MIMETYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
# RFC 5005 §4: the archived-feed relations, in the order they are written, and the element that
# marks an archive document (one whose entries never change).
PAGING = ("current", "prev-archive", "next-archive")
HISTORY_NS = "http://purl.org/syndication/history/1.0"

# C0 controls other than tab, line feed and carriage return, DEL, C1 controls, and
# the two non-characters XML 1.0 forbids.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_controls(text: str) -> str:
    """`text` without the characters XML cannot carry (or that hide in a feed reader)."""
    return _UNSAFE.sub("", text)


def escape_description(element) -> None:
    """Make the plain text of an RSS <description> element the HTML that shows that text."""
    if element is not None and element.text:
        element.text = escape(element.text, quote=False)


class PortalEntry(FeedEntry):
    """A feed entry whose Atom links keep their rel and type, and whose RSS description is text."""

    def rss_entry(self, extensions=True):
        item = super().rss_entry(extensions=extensions)
        # feedgen writes the summary as the description when there is one (always, here);
        # without one it writes the content, which is HTML already.
        if (self.summary() or {}).get("summary"):
            escape_description(item.find("description"))
        return item

    def atom_entry(self, extensions=True):
        entry = super().atom_entry(extensions=extensions)
        for element, data in zip(entry.findall("link"), self.link() or []):
            for key in ("rel", "type", "hreflang", "title", "length"):
                if data.get(key):
                    element.set(key, str(data[key]))
        return entry


class PortalFeed(FeedGenerator):
    """A feed whose every text is cleaned (and converted, e.g. to Traditional) on the way in."""

    def __init__(self, *, convert: Callable[[str], str] = str) -> None:
        super().__init__()
        self._convert = convert
        self._paging: list[tuple[str, str]] = []
        self._stylesheet: str | None = None
        self._archive = False
        self.generator("Mingjing")  # no version: upgrading feedgen must not change the feed

    def stylesheet(self, href: str) -> None:
        """An XSL stylesheet (same origin) a browser applies to show the feed as a page;
        feed readers ignore it."""
        self._stylesheet = href

    def _styled(self, feed) -> None:
        if self._stylesheet:
            feed.addprevious(etree.PI("xml-stylesheet", f'type="text/xsl" href="{self._stylesheet}"'))

    def archive(self) -> None:
        """Mark the document as an archive (RFC 5005 §4: `<fh:archive/>`): its entries never change."""
        self._archive = True

    def _mark_archive(self, parent, before) -> None:
        if self._archive:
            marker = etree.Element(f"{{{HISTORY_NS}}}archive", nsmap={"fh": HISTORY_NS})
            before.addprevious(marker) if before is not None else parent.append(marker)

    def _create_atom(self, extensions=True):
        feed, doc = super()._create_atom(extensions=extensions)
        self._mark_archive(feed, feed.find(f"{{{ATOM_NS}}}entry"))
        self._styled(feed)
        return feed, doc

    def text(self, value) -> str:
        """Clean and convert one text for the feed."""
        return self._convert(strip_controls(str(value)))

    def describe(self, *, feed_id: str, title: str, subtitle: str, lang: str, author: str,
                 updated: dt.datetime) -> None:
        """Set what the feed is, in the feed's language; `updated` comes from the data."""
        self.id(feed_id)
        self.title(self.text(title))
        self.subtitle(self.text(subtitle))
        self.language(lang)
        self.author(name=self.text(author))
        self.updated(updated)

    def links(self, *, fmt: str, self_url: str, alternate: str, paging: dict[str, str]) -> None:
        """The feed's links: `self` first, then paging, then the human page (RSS keeps the last)."""
        self.link(href=self_url, rel="self", type=MIMETYPES[fmt])
        for rel in PAGING:
            if rel in paging:
                self.link(href=paging[rel], rel=rel)
                self._paging.append((rel, paging[rel]))
        self.link(href=alternate, rel="alternate", type="text/html")

    def entry(self, *, entry_id: str, title: str, summary: str, content_html: str,
              updated: dt.datetime, link: str, related: str, author: str,
              categories: list[tuple[str, str, str]]) -> FeedEntry:
        """Append an entry; `categories` are (term, scheme, label)."""
        entry = self.add_entry(PortalEntry(), order="append")
        entry.id(entry_id)  # sets the RSS guid too; never call guid() as well
        entry.title(self.text(title))
        entry.summary(self.text(summary))
        entry.content(self.text(content_html), type="html")
        entry.link(href=link, rel="alternate", type="text/html")
        entry.link(href=related, rel="related", type="text/html")
        entry.author(name=self.text(author))
        entry.updated(updated)
        entry.published(updated)
        for term, scheme, label in categories:
            entry.category(term=term, scheme=scheme, label=self.text(label))
        return entry

    def _create_rss(self, extensions=True):
        feed, doc = super()._create_rss(extensions=extensions)
        channel = feed.find("channel")
        escape_description(channel.find("description"))  # the subtitle: text, as in Atom
        # After feedgen's atom:link rel="self", so the paging links sit beside it.
        anchor = channel.find(f"{{{ATOM_NS}}}link")
        position = list(channel).index(anchor) + 1 if anchor is not None else len(channel)
        for offset, (rel, href) in enumerate(self._paging):
            link = etree.Element(f"{{{ATOM_NS}}}link", href=href, rel=rel)
            channel.insert(position + offset, link)
        self._mark_archive(channel, channel.find("item"))
        self._styled(feed)
        return feed, doc

    def render(self, fmt: str) -> bytes:
        """The feed as an Atom or RSS document (UTF-8, with its XML declaration)."""
        if fmt == "atom":
            return self.atom_str(pretty=True)
        return self.rss_str(pretty=True)
