"""Public pages, twins and feeds kept per state of the database: sent again as written, forgotten
as soon as a publish lands (through this server or another on the same database) or the privacy
office confirms a finding; never kept for a request that carries the session cookie."""

from __future__ import annotations

from sqlalchemy import event, select

from portal import create_app, publish
from portal.extensions import db
from portal.models import Department, PowerItem, PrivacyConfirmation
from portal.publish.content import load_directory
from portal.schemas import POWERS
from tests import databases
from tests.conftest import FIXTURE_CITY, make_app

TWIN = "/zh-hans/powers.json"


def _loaded(tmp_path, **settings):
    app = make_app(tmp_path, **settings)
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    return app


def _statements(app):
    """A function telling how many SQL statements a GET of a URL ran, and its answer."""
    client = app.test_client()
    with app.app_context():
        engine = db.engine
    count = [0]
    event.listen(engine, "before_cursor_execute", lambda *_a, **_k: count.__setitem__(0, count[0] + 1))

    def get(url):
        count[0] = 0
        response = client.get(url)
        return count[0], response

    return get


def _publish_one_more(app, code: str) -> None:
    with app.test_request_context():
        owner = Department.by_code(db.session, "99010001FG")
        current = [dict(i.record) for i in db.session.scalars(
            select(PowerItem).where(PowerItem.department_id == owner.id, PowerItem.withdrawn_at.is_(None)))]
        record = {f.name: f.example for f in POWERS.fields} | {"department": owner.code, "code": code}
        with publish.opened(db.session) as writer:
            writer.publish(owner, POWERS, current + [record], author="test", source="test")


def _retitle_behind_the_doors_back(app, code: str, title: str) -> None:
    # Not how the portal writes (everything goes through the door, which makes a revision):
    # only a way to see whether a twin was written again or sent as kept.
    with app.app_context():
        db.session.scalars(select(PowerItem).where(PowerItem.code == code)).one().title = title
        db.session.commit()


def _titles(get, url: str = TWIN) -> list[str]:
    return [item["title"] for item in get(url)[1].get_json()["items"]]


def test_a_twin_asked_again_is_the_same_answer_until_the_next_publish(tmp_path):
    app = _loaded(tmp_path)
    get = _statements(app)
    first_statements, first = get(TWIN)
    again_statements, again = get(TWIN)
    assert first.status_code == again.status_code == 200
    assert again.data == first.data
    assert dict(again.headers) == dict(first.headers)  # security headers, CORS: the hooks ran again
    assert again_statements < first_statements
    _retitle_behind_the_doors_back(app, "99010001FG-XK-0001", "改过的名称")
    assert "改过的名称" not in _titles(get)  # kept: no revision landed
    # A publish through another app server on the same database (as a second server would).
    other = create_app({"INSTANCE_PATH": str(tmp_path / "other"), "DATABASE_URL": app.config["DATABASE_URL"],
                        "TESTING": True, "PASSWORD_PROFILE": "CHEAPEST"})
    databases.track(other)
    _publish_one_more(other, "99010001FG-XK-0998")
    after = get(TWIN)[1].get_json()
    assert after["total"] == first.get_json()["total"] + 1
    assert "99010001FG-XK-0998" in [i["code"] for i in after["items"]]


def test_a_privacy_confirmation_forgets_the_kept_twins(tmp_path):
    app = _loaded(tmp_path)
    get = _statements(app)
    get(TWIN)
    _retitle_behind_the_doors_back(app, "99010001FG-XK-0001", "改过的名称")
    assert "改过的名称" not in _titles(get)
    with app.app_context():
        db.session.add(PrivacyConfirmation(kind="powers", code="99010001FG-XK-0001", fingerprint="0" * 64,
                                           category="phone", field="remarks", confirmed_by="test"))
        db.session.commit()
    assert "改过的名称" in _titles(get)


def test_nothing_is_kept_when_turned_off(tmp_path):
    app = _loaded(tmp_path, PAGE_CACHE_BYTES=0)
    get = _statements(app)
    get(TWIN)
    _retitle_behind_the_doors_back(app, "99010001FG-XK-0001", "改过的名称")
    assert "改过的名称" in _titles(get)


PAGE = "/zh-hans/powers/"
CODE = "99010001FG-XK-0001"


def test_a_page_is_kept_and_the_hooks_still_run(tmp_path):
    app = _loaded(tmp_path)
    get = _statements(app)
    first_statements, first = get(PAGE)
    again_statements, again = get(PAGE)
    assert again.data == first.data and dict(again.headers) == dict(first.headers)
    assert again_statements <= 2 < first_statements  # (BEGIN and) the state of the database, nothing else
    _retitle_behind_the_doors_back(app, CODE, "改过的名称")
    assert "改过的名称" not in get(PAGE)[1].get_data(as_text=True)
    # The Traditional page is converted on every answer, kept or not.
    hant = get("/zh-hant/powers/")[1].get_data(as_text=True)
    assert "改過的名稱" in hant  # made after the edit, and converted
    assert get("/zh-hant/powers/")[1].get_data(as_text=True) == hant
    assert "99010001FG-XK-0998" not in get("/zh-hans/changes/")[1].get_data(as_text=True)
    _publish_one_more(app, "99010001FG-XK-0998")
    assert "99010001FG-XK-0998" in get("/zh-hans/changes/")[1].get_data(as_text=True)
    assert "改过的名称" in get(PAGE)[1].get_data(as_text=True)


def test_nothing_is_kept_for_a_request_with_the_session_cookie(tmp_path):
    from tests.desk_helpers import log_in, make_user

    app = _loaded(tmp_path)
    make_user(app, "clerk", "99010001FG")
    desk = app.test_client()
    log_in(desk, "clerk")
    desk.get(PAGE)
    _retitle_behind_the_doors_back(app, CODE, "改过的名称")
    assert "改过的名称" in desk.get(PAGE).get_data(as_text=True)  # written again, not kept
    # Nor was the logged-in user's answer kept for anyone else.
    _retitle_behind_the_doors_back(app, CODE, "再改的名称")
    assert "再改的名称" in app.test_client().get(PAGE).get_data(as_text=True)


def test_a_kept_feed_answers_304_and_varies_on_accept(tmp_path):
    app = _loaded(tmp_path)
    client = app.test_client()
    feed = "/zh-hans/feeds/powers.atom"
    reader = client.get(feed)
    browser = client.get(feed, headers={"Accept": "text/html"})
    assert reader.mimetype == "application/atom+xml" and browser.mimetype == "application/xml"
    assert client.get(feed).mimetype == "application/atom+xml"  # each kept by what it was asked with
    assert client.get(feed, headers={"Accept": "text/html"}).mimetype == "application/xml"
    again = client.get(feed, headers={"If-None-Match": reader.headers["ETag"]})
    assert again.status_code == 304


def test_the_desk_and_search_are_never_kept(tmp_path):
    app = _loaded(tmp_path)
    searched = []
    view = app.view_functions["search.results"]

    def counted(*args, **kwargs):
        searched.append(1)  # the search view ran (its engine may keep the page of results itself)
        return view(*args, **kwargs)

    app.view_functions["search.results"] = counted
    client = app.test_client()
    for _ in range(2):
        assert "许可" in client.get("/zh-hans/search?q=许可").get_data(as_text=True)
    assert len(searched) == 2
    for _ in range(2):
        assert client.get("/zh-hans/desk/").status_code == 302  # to the login page, each time


def test_an_answer_that_writes_the_session_is_not_kept(tmp_path):
    from flask import flash

    app = _loaded(tmp_path)
    made = []

    def notice():
        made.append(1)
        flash("已收到")  # a public page that writes the session (a message, a form's CSRF token)
        return "ok"

    app.add_url_rule("/<lang>/notice/", endpoint="home.notice", view_func=notice)
    for _ in range(2):
        response = app.test_client().get("/zh-hans/notice/")
        assert "Set-Cookie" in response.headers
    assert len(made) == 2


def test_a_kept_answer_is_sent_only_to_the_address_it_was_made_for(tmp_path):
    app = _loaded(tmp_path)
    client = app.test_client()
    secure = client.get(PAGE, base_url="https://localhost")
    assert "Strict-Transport-Security" in secure.headers
    plain = client.get(PAGE)
    assert "Strict-Transport-Security" not in plain.headers  # not the answer kept for https
    assert client.get(PAGE, base_url="https://localhost").headers == secure.headers
    hant = client.get("/zh-hant/powers/")
    again = client.get("/zh-hant/powers/")
    assert again.get_data(as_text=True) == hant.get_data(as_text=True)  # converted once, sent as converted
    assert again.headers == hant.headers
