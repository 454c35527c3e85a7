"""Whose word the portal takes: its own SITE_URL over the Host header, forwarded addresses from
configured proxies only, and in feeds, what an item's title says as text rather than markup."""

from __future__ import annotations

import html
import re

import feedparser
import pytest
from sqlalchemy import select

from portal import create_app, migrate
from portal.extensions import db
from portal.publish.content import load_directory
from portal.models import AuditEvent
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import PASSWORD, csrf_token, make_user
from tests.test_loader import POWERS, edit_csv

SITE = "https://mingjing.example.org"
FEEDS = ("/zh-hans/feeds/changes.atom", "/en/feeds/changes.rss", "/zh-hant/feeds/powers.atom",
         "/zh-hans/feeds/departments/99010001FG.rss", "/zh-hans/feeds/departments/99010002MZ/complaints.atom")


def portal(tmp_path, content=FIXTURE_CITY, **settings):
    """A fresh app with the fixture city loaded and these settings given at creation."""
    app = create_app({
        "TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "CONTENT_DIR": str(content), "INSTANCE_PATH": str(tmp_path), "PASSWORD_PROFILE": "CHEAPEST",
        **settings,
    })
    with app.app_context():
        migrate.create_at_head(db.engine)
        assert load_directory(db.session, content).ok
    return app


def every_link(body: bytes) -> list[str]:
    """Every address a feed holds: links, ids, and the hrefs inside its entries' HTML."""
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    found = [link.href for link in feed.feed.get("links", [])]
    for entry in feed.entries:
        found += [link.href for link in entry.links]
        for content in entry.get("content", []):
            found += re.findall(r'href="([^"]+)"', content.value)
    return found


# --- 10. The Host header -------------------------------------------------------------------

@pytest.mark.parametrize("url", [*FEEDS, "/zh-hans/", "/zh-hans/changes/", "/en/powers.json", "/api/v1/uploads",
                                 "/zh-hans/desk/login"])
def test_a_forged_host_is_refused_without_site_url(client, url):
    response = client.get(url, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert b"evil.example" not in response.data


def test_feeds_are_built_from_site_url_whatever_the_host(tmp_path):
    app = portal(tmp_path, SITE_URL=SITE + "/")
    client = app.test_client()
    for host in ("mingjing.example.org", "mingjing.example.org:8080"):
        for url in FEEDS:
            # Plain HTTP to the application server, as behind a proxy that ends TLS.
            response = client.get(url, base_url="http://localhost", headers={"Host": host})
            assert response.status_code == 200, (host, url)
            links = every_link(response.data)
            assert links and all(link.startswith(SITE + "/") for link in links), (host, url, links)
    with app.app_context():  # outside a request too (e.g. a command building links)
        from flask import url_for
        assert url_for("feeds.index", lang="en", _external=True) == SITE + "/en/feeds/"


@pytest.mark.parametrize("host", ["evil.example", "mingjing.example.org.evil.example", "localhost",
                                  "evil.example:443", "mingjing.example.org@evil.example"])
def test_with_site_url_other_hosts_are_refused(tmp_path, host):
    client = portal(tmp_path, SITE_URL=SITE).test_client()
    for url in (*FEEDS[:2], "/zh-hans/", "/en/powers.json", "/api/v1/uploads/1", "/zh-hans/desk/"):
        response = client.get(url, headers={"Host": host})
        assert response.status_code == 400, (host, url)
        assert b"evil.example" not in response.data


def test_forwarded_host_is_not_believed_even_from_a_trusted_proxy(tmp_path):
    client = portal(tmp_path, PROXY_COUNT=1).test_client()
    response = client.get(FEEDS[0], headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-For": "198.51.100.4"})
    assert response.status_code == 200 and b"evil.example" not in response.data


@pytest.mark.parametrize("value", ["mingjing.example.org", "ftp://mingjing.example.org", "https://x.org/portal",
                                   "https://x.org/?a=1", "https://user@x.org", "https://x.org:port"])
def test_a_site_url_that_is_not_an_origin_is_refused_at_start(tmp_path, value):
    with pytest.raises(ValueError, match="SITE_URL"):
        create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path), "SITE_URL": value})


# --- 9. RSS descriptions are text ----------------------------------------------------------

MARKUP = '<b>加粗</b> & <img src=x onerror="alert(1)"> <script>alert(2)</script>'


def test_markup_in_a_title_reaches_rss_readers_as_text(tmp_path, city_copy):
    edit_csv(city_copy / POWERS, lambda headers, rows: rows[0].update({"事项名称": "核准" + MARKUP}))
    client = portal(tmp_path, content=city_copy).test_client()
    rss = feedparser.parse(client.get("/zh-hans/feeds/departments/99010001FG/powers.rss").data)
    atom = feedparser.parse(client.get("/zh-hans/feeds/departments/99010001FG/powers.atom").data)
    [rss_entry] = [e for e in rss.entries if "加粗" in e.title]
    [atom_entry] = [e for e in atom.entries if "加粗" in e.title]
    assert MARKUP in atom_entry.summary  # Atom: a text summary
    # RSS: the description is HTML to a reader; what it shows is the title's text, markup and all.
    assert rss_entry.summary_detail.type == "text/html"
    shown = html.unescape(re.sub(r"<[^>]*>", "", rss_entry.summary))
    assert shown == atom_entry.summary
    assert "<img" not in rss_entry.summary and "<b>" not in rss_entry.summary
    assert rss_entry.title == atom_entry.title and MARKUP in rss_entry.title  # titles are text in both
    # The entry's HTML content escapes it too: the reader sees the characters.
    assert MARKUP not in atom_entry.content[0].value and "&lt;img" in atom_entry.content[0].value


# --- 12. Forwarded client addresses ----------------------------------------------------------

def attempt(client, username, password, client_address):
    page = client.get("/zh-hans/desk/login", headers={"X-Forwarded-For": client_address}).get_data(as_text=True)
    return client.post("/zh-hans/desk/login", headers={"X-Forwarded-For": client_address}, data={
        "csrf_token": csrf_token(page), "username": username, "password": password})


def fail_from(client, address, times):
    for n in range(times):
        assert attempt(client, f"guess{n}", "not the password", address).status_code == 401


def test_behind_one_proxy_each_client_is_throttled_alone(tmp_path):
    app = portal(tmp_path, PROXY_COUNT=1, LOGIN_MAX_PER_ADDRESS=3)
    make_user(app, "fg", "99010001FG")
    fail_from(app.test_client(), "203.0.113.7", 3)
    refused = attempt(app.test_client(), "fg", PASSWORD, "203.0.113.7")
    assert refused.status_code == 401 and "登录失败次数过多" in refused.get_data(as_text=True)
    # Everyone else behind the same proxy still gets in, and the log names the real client.
    assert attempt(app.test_client(), "fg", PASSWORD, "203.0.113.8").status_code == 302
    # A client cannot pose as another by adding its own X-Forwarded-For in front: one proxy, one hop.
    assert attempt(app.test_client(), "fg", PASSWORD, "203.0.113.8, 203.0.113.7").status_code == 401
    with app.app_context():
        login = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).one()
        assert login.address == "203.0.113.8"


def test_without_proxies_the_header_is_ignored(tmp_path):
    app = portal(tmp_path, LOGIN_MAX_PER_ADDRESS=3)  # PROXY_COUNT defaults to 0
    make_user(app, "fg", "99010001FG")
    fail_from(app.test_client(), "203.0.113.7", 3)
    # A new X-Forwarded-For changes nothing: the guesser is still the same connection.
    assert attempt(app.test_client(), "fg", PASSWORD, "203.0.113.99").status_code == 401
