"""A list's rows are screened once, whole (`guard.public_items`), and their summaries carry that
verdict: personal data written into an item's title behind the upload's back still leaves no
list, department page or JSON twin."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import ChangeEvent, PowerItem
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY

PHONE = "13712345678"
CODE = "99010001FG-XK-0001"


def test_a_title_with_personal_data_leaves_every_list_and_twin(app):
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        item = db.session.scalars(select(PowerItem).where(PowerItem.code == CODE)).one()
        item.title = f"{item.title} 联系人手机{PHONE}"
        department = item.department.code
        db.session.commit()
    client = app.test_client()
    for url in ("/zh-hans/powers/", "/zh-hans/powers.json", f"/zh-hans/powers/by/department/{department}/",
                f"/zh-hans/powers/by/department/{department}.json", f"/en/departments/{department}/",
                f"/en/departments/{department}.json"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert PHONE not in response.get_data(as_text=True), url
    listed = client.get("/zh-hans/powers.json").get_json()["items"]
    assert CODE not in [row["code"] for row in listed] and listed
    assert client.get(f"/zh-hans/powers/{CODE}.json").status_code == 451


def test_an_event_with_personal_data_leaves_the_change_log_home_and_revision_twins(app):
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        event = db.session.scalars(select(ChangeEvent).where(ChangeEvent.code == CODE)).first()
        event.title = f"{event.title} 联系人手机{PHONE}"
        revision = event.revision
        where = f"/zh-hans/changes/{revision.department.code}/{revision.kind}/{revision.number}"
        db.session.commit()
    client = app.test_client()
    for url in ("/zh-hans/changes/", "/zh-hans/changes.json", "/zh-hans/", "/zh-hans/index.json",
                f"{where}/", f"{where}.json", "/en/changes/by/kind/powers.json"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert PHONE not in response.get_data(as_text=True), url
    log = client.get("/zh-hans/changes.json").get_json()["items"]
    assert log and CODE not in [item["code"] for item in log]
    assert CODE not in [item["code"] for item in client.get(f"{where}.json").get_json()["changes"]]
