"""A feed opened in a browser reads as a page: every feed names static/feed.xsl in an
xml-stylesheet processing instruction, and stays a valid feed for readers."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import etree

STYLESHEET = Path(__file__).parent.parent / "static" / "feed.xsl"


@pytest.mark.parametrize("path", ["/zh-hans/feeds/services.atom", "/en/feeds/powers.rss",
                                  "/zh-hant/feeds/departments/99010001FG.atom"])
def test_a_feed_names_its_stylesheet_and_stays_a_feed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_data()
    assert b'<?xml-stylesheet type="text/xsl" href="/static/feed.xsl"?>' in body.split(b"\n", 2)[1]
    parsed = feedparser.parse(body)
    assert not parsed.bozo and parsed.entries
    # What a browser shows: the feed's title and each entry as a link to its page.
    page = etree.XSLT(etree.parse(str(STYLESHEET)))(etree.fromstring(body))
    html = str(page)
    assert parsed.feed.title in html
    for entry in parsed.entries:
        assert f'href="{entry.link}"' in html
    assert client.get("/static/feed.xsl").status_code == 200


def test_a_browser_gets_the_feed_as_xml_so_that_it_applies_the_stylesheet(client):
    browser = client.get("/zh-hans/feeds/services.atom",
                         headers={"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    reader = client.get("/zh-hans/feeds/services.atom", headers={"Accept": "*/*"})
    assert browser.mimetype == "application/xml" and reader.mimetype == "application/atom+xml"
    assert browser.get_data() == reader.get_data()
    assert "Accept" in reader.headers["Vary"]
