"""A revision's file name is masked wherever it leaves, however it was stored: the public revision
page and its twin, the published chain, the desk; the stored name (part of the hash) is untouched
and the chain still verifies; a rollback of such a revision stores the name masked."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from portal import publish
from portal.extensions import db
from portal.models import Department, Revision
from portal.publish.content import load_directory
from portal.publish.plan import live_records
from portal.schemas import POWERS
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import csrf_token, log_in, make_user
from tests.helpers import visible_text

PHONE = "13812345678"
MASKED = "138****5678"
NAME = f"权责清单(经办人{PHONE}).csv"


@pytest.fixture
def named(app):
    """The fixture city, then a revision of 99010001FG's powers stored with a phone number in its
    file name (as a name staged under an older detector was, or one given straight to the door)."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        department = Department.by_code(db.session, "99010001FG")
        records = sorted(live_records(db.session, department, POWERS).values(), key=POWERS.key)
        records[0] = {**records[0], "remarks": "名称调整"}
        with publish.opened(db.session) as writer:
            revision = writer.publish(department, POWERS, records, author="fg", source="upload", filename=NAME,
                                      file_sha256=hashlib.sha256(b"the file").hexdigest())
        assert revision is not None and revision.filename == NAME
    make_user(app, "fg", "99010001FG")
    return app


def _revision(app) -> tuple[int, int]:
    with app.app_context():
        found = db.session.scalars(select(Revision).where(Revision.filename == NAME)).one()
        return found.id, found.number


def test_the_public_revision_page_and_its_twin_show_the_name_masked(named):
    _id, number = _revision(named)
    client = named.test_client()
    for lang in ("zh-hans", "zh-hant", "en"):
        page = client.get(f"/{lang}/changes/99010001FG/powers/{number}/")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert PHONE not in text and MASKED in visible_text(text)
    twin = client.get(f"/zh-hans/changes/99010001FG/powers/{number}.json")
    assert twin.get_json()["filename"] == f"权责清单(经办人{MASKED}).csv"
    assert PHONE not in twin.get_data(as_text=True)


def test_the_published_chain_and_the_change_log_show_no_phone_number(named):
    client = named.test_client()
    chain = client.get("/zh-hans/changes/revisions.json")
    assert PHONE not in chain.get_data(as_text=True)
    assert f"权责清单(经办人{MASKED}).csv" in [r["filename"] for r in chain.get_json()["revisions"]]
    for url in ("/zh-hans/changes/revisions/", "/zh-hans/changes/", "/zh-hans/changes.json",
                "/zh-hans/feeds/changes.atom", "/zh-hans/feeds/changes.rss"):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200 and PHONE not in response.get_data(as_text=True), url


def test_the_stored_name_is_untouched_and_the_chain_verifies(named):
    result = named.test_cli_runner().invoke(args=["changes", "verify"])
    assert result.exit_code == 0, result.output
    with named.app_context():
        assert db.session.scalars(select(Revision.filename).where(Revision.filename == NAME)).all() == [NAME]


def test_the_desk_shows_the_name_masked_and_a_rollback_stores_it_masked(named):
    revision_id, _number = _revision(named)
    client = named.test_client()
    log_in(client, "fg")
    page = client.get(f"/zh-hans/desk/revisions/{revision_id}/").get_data(as_text=True)
    assert PHONE not in page and MASKED in page
    # Publish something newer, then go back to the revision with the name.
    with named.app_context():
        department = Department.by_code(db.session, "99010001FG")
        records = sorted(live_records(db.session, department, POWERS).values(), key=POWERS.key)
        records[0] = {**records[0], "remarks": "再次调整"}
        with publish.opened(db.session) as writer:
            assert writer.publish(department, POWERS, records, author="fg", source="upload",
                                  filename="powers.csv") is not None
    rolled = client.post(f"/zh-hans/desk/revisions/{revision_id}/rollback", data={"csrf_token": csrf_token(page)})
    assert rolled.status_code == 302
    with named.app_context():
        newest = db.session.scalars(select(Revision).order_by(Revision.id.desc())).first()
        assert (newest.source, newest.filename) == ("rollback", f"权责清单(经办人{MASKED}).csv")
