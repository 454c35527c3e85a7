"""Small helpers for reading what a user receives."""

from __future__ import annotations

from html.parser import HTMLParser


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self.anchors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        if tag == "a" and "href" in attrs:
            self.anchors.append(attrs["href"])

    def handle_data(self, data):
        self.text.append(data)


def parse_html(html: str) -> _Links:
    """Parse a page into its <link> elements, its anchors' hrefs and its text."""
    parser = _Links()
    parser.feed(html)
    return parser


def json_twin(html: str) -> str:
    """The href of the page's <link rel="alternate" type="application/json">."""
    for link in parse_html(html).links:
        if link.get("rel") == "alternate" and link.get("type") == "application/json":
            return link["href"]
    raise AssertionError("no JSON twin advertised")


def visible_text(html: str) -> str:
    """The page's text content (what a reader sees), whitespace-collapsed."""
    return " ".join(" ".join(parse_html(html).text).split())


def crawl(client, start: str, prefix: str = "/") -> dict[str, str]:
    """Follow every link under `prefix` from `start`; every URL must answer 200.

    Returns the HTML of each page visited, by URL.
    """
    seen, queue, pages = set(), [start], {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        if response.mimetype == "text/html":
            pages[url] = response.get_data(as_text=True)
            for href in parse_html(pages[url]).anchors:
                href = href.split("#")[0]
                if href.startswith(prefix) and href not in seen:
                    queue.append(href)
    return pages
