"""JSON twins kept per state of the database: sent again as written, forgotten as soon as a
publish lands (through this server or another on the same database) or the privacy office
confirms a finding."""

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
    app = _loaded(tmp_path, TWIN_CACHE_BYTES=0)
    get = _statements(app)
    get(TWIN)
    _retitle_behind_the_doors_back(app, "99010001FG-XK-0001", "改过的名称")
    assert "改过的名称" in _titles(get)
