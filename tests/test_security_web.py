"""The web's defences as a visitor meets them: where login sends you, the headers of every kind of
response, the policy in a real browser, and ids of other departments that cannot be counted."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from portal.extensions import db
from portal.publish.content import load_directory
from portal.models import ApiToken, Revision, Upload
from tests.conftest import FIXTURE_CITY, make_app
from tests.desk_helpers import PASSWORD, csrf_token, log_in, make_user, upload
from tests.helpers import crawl
from tests.test_browser import CHROMIUM, FLAGS

POWERS = FIXTURE_CITY / "disclosures/99010001FG/powers.csv"
TEMPLATES = Path(__file__).parent.parent / "portal" / "templates"
LOGIN = "/zh-hans/desk/login"
DESK = "/zh-hans/desk/"


# --- 7. After login, only local paths ------------------------------------------------------

@pytest.fixture(scope="module")
def login_app(tmp_path_factory):
    """An app with one account, shared by the examples Hypothesis tries."""
    app = make_app(tmp_path_factory.mktemp("login"))
    make_user(app, "boss", None, admin=True)
    return app


def log_in_with_next(client, query):
    """Log in through the form posted to the login URL carrying `query` (a dict, or raw text)."""
    page = client.get(LOGIN).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "username": "boss", "password": PASSWORD}
    if isinstance(query, str):
        return client.post(f"{LOGIN}?{query}", data=data)
    return client.post(LOGIN, query_string=query, data=data)


def where_a_browser_goes(location: str) -> tuple[str, str]:
    """The scheme and host a browser on the login page reaches by following `location`.

    As the WHATWG URL parser does: leading and trailing controls and spaces are
    stripped, tabs and newlines anywhere dropped, and "\\" read as "/".
    """
    cleaned = location.strip("".join(map(chr, range(0x21))))
    cleaned = re.sub(r"[\t\n\r]", "", cleaned).replace("\\", "/")
    target = urlsplit(urljoin(f"http://localhost{LOGIN}", cleaned))
    return target.scheme, target.netloc


@pytest.mark.parametrize("query", [
    "next=/%09/evil.example/x", "next=/%0a/evil.example", "next=/%0d%0aSet-Cookie:%20stolen=1",
    "next=//evil.example", "next=/\\evil.example", "next=/%5Cevil.example", "next=https://evil.example/",
    "next=/%2F%2Fevil.example", "next=/%252F%252Fevil.example%2509", "next=%20//evil.example",
    "next=/%E2%80%AE/evil", "next=javascript:alert(1)", "next=/%00/evil.example",
])
def test_hostile_next_leads_to_the_desk(login_app, query):
    response = log_in_with_next(login_app.test_client(), query)
    assert response.status_code == 302
    assert response.headers["Location"] == DESK


def test_a_local_next_is_followed(login_app):
    response = log_in_with_next(login_app.test_client(), {"next": "/en/desk/tokens?x=1"})
    assert response.headers["Location"] == "/en/desk/tokens?x=1"


HOSTILE_PIECES = st.sampled_from([
    "/", "//", "\\", "/\\", "\\/", "\t", "\n", "\r", "\r\n", " ", "\x00", "\x0b", "\x0c", "\x1f", "\x7f",
    "\x85", "\xa0", "\u2028", "\u2029", "\u3000", "\u200b", "\u202e", "\ufeff", "\uff0f", "\uff3c",
    "%09", "%0a", "%0D", "%0d%0a", "%20", "%2f", "%2F", "%5c", "%5C", "%00", "%E3%80%80", "%252f", "%25",
    "http:", "https:", "HTTPS:", "javascript:", "data:", "evil.example", "@evil.example", ":443", "?",
    "#", ".", "..", "~", ";", "Set-Cookie: x=1",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(HOSTILE_PIECES, st.text(max_size=2)), min_size=1, max_size=8).map("".join))
def test_no_next_leads_off_site(login_app, target):
    response = log_in_with_next(login_app.test_client(), {"next": target})
    assert response.status_code == 302  # never a 500, whatever the header would have carried
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert not re.search(r"[\x00-\x20\x7f\\]", location)
    assert where_a_browser_goes(location) == ("http", "localhost")


# --- 13. Security headers ------------------------------------------------------------------

def security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["script-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    return response


@pytest.mark.parametrize("url", [
    "/zh-hans/", "/en/powers/", "/zh-hant/powers/99010001FG-XK-0001/", "/zh-hans/powers.json",
    "/zh-hans/feeds/changes.atom", "/en/feeds/changes.rss", "/zh-hans/feeds/index.json",
    "/static/css/site.css", "/zh-hans/no-such-page/", "/zh-hans/services/99010001FG-FW-0001/flowchart.svg",
])
def test_public_responses_carry_the_headers_and_stay_cacheable(client, url):
    with client.get(url) as response:  # the stylesheet is streamed from its file
        security_headers(response)
        assert "no-store" not in response.headers.get("Cache-Control", "")
        assert "Strict-Transport-Security" not in response.headers  # plain HTTP: browsers ignore it


def test_desk_pages_are_never_stored(desk):
    client = desk.test_client()
    assert security_headers(client.get(LOGIN)).headers["Cache-Control"] == "no-store"
    log_in(client, "fg")
    for url in (DESK, "/en/desk/tokens", "/zh-hant/desk/password", "/zh-hans/desk/templates/powers.csv"):
        assert security_headers(client.get(url)).headers["Cache-Control"] == "no-store", url
    page = client.get("/zh-hans/desk/tokens").get_data(as_text=True)
    made = client.post("/zh-hans/desk/tokens", data={"csrf_token": csrf_token(page), "name": "ci"})
    assert "mj_" in made.get_data(as_text=True)  # the one time the secret is shown…
    assert made.headers["Cache-Control"] == "no-store"  # …is kept by no cache and no back button
    api = client.get("/api/v1/uploads/1")
    assert api.status_code == 401 and security_headers(api).headers["Cache-Control"] == "no-store"
    assert client.get("/en/desk").headers["Cache-Control"] == "no-store"  # a 404 there too
    assert "no-store" not in client.get("/en/desktop/").headers.get("Cache-Control", "")


def test_hsts_only_over_https(client, tmp_path):
    assert "Strict-Transport-Security" not in client.get("/zh-hans/").headers
    secure = client.get("/zh-hans/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    behind_tls = make_app(tmp_path)
    behind_tls.config["SESSION_COOKIE_SECURE"] = True
    assert "Strict-Transport-Security" in behind_tls.test_client().get("/zh-hans/").headers


def test_templates_have_no_inline_script_style_or_handlers():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        # Data blocks (schema.org JSON-LD) are never executed, so the policy does not concern them.
        assert not re.search(r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))", text), path
        assert not re.search(r"<style|\sstyle=|\son[a-z]+\s*=|javascript:", text, re.IGNORECASE), path


def test_rendered_pages_have_no_inline_script_or_style(client):
    for url, html in crawl(client, "/en/", prefix="/en/").items():
        # A script from the portal's own files (src=…) is allowed, as in the templates' test above.
        inline = r"<script(?![^>]*\b(src=|type=\"application/ld\+json\"))|<style|\sstyle=\"|\son[a-z]+=\""
        assert not re.search(inline, html, re.IGNORECASE), url


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_chromium_reports_no_policy_violation(city_app):
    httpd = make_server("127.0.0.1", 0, city_app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_port}"
    violations = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.on("console", lambda message: violations.append(message.text)
                    if "Content Security Policy" in message.text else None)
            for path in ("/zh-hans/", "/zh-hans/services/99010001FG-FW-0001/", "/en/changes/", LOGIN,
                         "/zh-hans/stats/", "/zh-hans/departments/99010002MZ/"):
                page.goto(base + path)
                assert page.locator("h1").count() >= 1
            browser.close()
    finally:
        httpd.shutdown()
    assert violations == []


# --- 17. Ids of other departments, and 405 ----------------------------------------------------

@pytest.fixture
def desk(app):
    """The fixture city, an account each of 99010001FG and 99010002MZ, and an administrator."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "fg", "99010001FG")
    make_user(app, "mz", "99010002MZ")
    make_user(app, "boss", None, admin=True)
    return app


def same_answer(client, method, theirs: str, missing: str, **kwargs):
    """Another department's thing and no thing at all answer alike: 404, the same page but for the
    id in its own links (the language switcher's)."""
    a, b = getattr(client, method)(theirs, **kwargs), getattr(client, method)(missing, **kwargs)
    assert a.status_code == b.status_code == 404, theirs
    assert a.headers.get("Content-Type") == b.headers.get("Content-Type")

    def without_ids(response):
        return re.sub(r"(/(?:uploads|revisions|tokens)/)\d+", r"\1N", response.get_data(as_text=True))

    assert without_ids(a) == without_ids(b), theirs


def test_other_departments_ids_answer_as_missing_ones(desk):
    fg = desk.test_client()
    log_in(fg, "fg")
    assert upload(fg, POWERS.read_bytes().replace("受理责任".encode(), "受理".encode())).status_code == 302
    with desk.app_context():
        theirs_upload = db.session.query(Upload).one().id
        theirs_revision = db.session.query(Revision).filter(Revision.filename.like("%99010001FG%")).first().id
    mz = desk.test_client()
    log_in(mz, "mz")
    token = csrf_token(mz.get(DESK).get_data(as_text=True))
    for path in ("/zh-hans/desk/uploads/{}", "/zh-hans/desk/revisions/{}/", "/zh-hans/desk/revisions/{}/file"):
        same_answer(mz, "get", path.format(theirs_upload if "uploads" in path else theirs_revision),
                    path.format(99999))
    for path in ("/zh-hans/desk/uploads/{}/publish", "/zh-hans/desk/uploads/{}/discard",
                 "/zh-hans/desk/uploads/{}/privacy/redact-all", "/zh-hans/desk/uploads/{}/privacy/abc/confirm"):
        same_answer(mz, "post", path.format(theirs_upload), path.format(99999), data={"csrf_token": token})
    same_answer(mz, "post", f"/zh-hans/desk/revisions/{theirs_revision}/rollback",
                "/zh-hans/desk/revisions/99999/rollback", data={"csrf_token": token})

    runner = desk.test_cli_runner()
    secret = runner.invoke(args=["users", "token", "mz"]).output.strip()
    api = {"headers": {"Authorization": f"Bearer {secret}"}}
    same_answer(mz, "get", f"/api/v1/uploads/{theirs_upload}", "/api/v1/uploads/99999", **api)
    same_answer(mz, "post", f"/api/v1/uploads/{theirs_upload}/publish", "/api/v1/uploads/99999/publish", **api)
    same_answer(mz, "post", f"/api/v1/uploads/{theirs_upload}/privacy/abc", "/api/v1/uploads/99999/privacy/abc",
                data={"action": "confirm"}, **api)
    with desk.app_context():
        assert db.session.get(Upload, theirs_upload).status == "pending"  # nothing happened to it

    fg_token = runner.invoke(args=["users", "token", "fg"]).output.strip()
    page = mz.get("/zh-hans/desk/tokens").get_data(as_text=True)
    with desk.app_context():
        fg_token_id = db.session.query(ApiToken).filter(ApiToken.prefix == fg_token[:10]).one().id
    same_answer(mz, "post", f"/zh-hans/desk/tokens/{fg_token_id}/revoke", "/zh-hans/desk/tokens/99999/revoke",
                data={"csrf_token": csrf_token(page)})


def test_method_not_allowed_says_what_is(client):
    page = client.post("/zh-hans/departments/")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]
    assert page.mimetype == "text/html"
    twin = client.delete("/zh-hans/powers.json")
    assert twin.status_code == 405 and "GET" in twin.headers["Allow"] and twin.is_json
    api = client.get("/api/v1/uploads")
    assert api.status_code == 405 and "POST" in api.headers["Allow"]
    assert api.is_json and api.get_json()["status"] == 405
    login = client.put(LOGIN)
    assert login.status_code == 405 and {"GET", "POST"} <= set(login.headers["Allow"].split(", "))
