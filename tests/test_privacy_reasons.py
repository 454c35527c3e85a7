"""Withdrawal reasons are published on tombstones, the home page, the change log, the feeds and the
revision page: they are screened like any field before publishing (refused, nothing published), capped
at 500 characters in the API as in the form, and the final guard checks them on every exit."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, assume, given, settings
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import ChangeEvent, PowerItem, Revision
from portal.privacy import public, reasons
from tests.desk_helpers import api_token, csrf_token, log_in, upload
from tests.helpers import visible_text
from tests.privacy_strategies import AFTER, BEFORE, PERSONAL
from tests.test_feeds import DEPARTMENTS, LANGS, every_feed
from tests.test_privacy_guard import crawl
from tests.test_privacy_scope import FG, PHONE, desk, powers_csv  # noqa: F401

WITHDRAWN = "99010001FG-CF-0001"
NAME = "欧阳春晓"
REASON = f"来电人{NAME}(手机 {PHONE})要求撤回"


def withdraw_one(rows):
    rows.pop(1)  # 99010001FG-CF-0001


def revisions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Revision))


def live(app, code: str) -> bool:
    with app.app_context():
        item = db.session.scalars(select(PowerItem).where(PowerItem.code == code)).one()
        return not item.is_withdrawn


def api_client(app):
    return app.test_client(), api_token(app, "fgclerk")


def staged_by_api(client, auth) -> int:
    created = client.post("/api/v1/uploads", headers=auth, data={
        "kind": "powers", "file": (io.BytesIO(powers_csv(withdraw_one)), "powers.csv")})
    assert created.status_code == 201, created.get_json()
    return created.get_json()["id"]


@pytest.mark.parametrize("lang, named", [("zh-hans", ("手机号码", "姓名", "138****5678", "欧阳某")),
                                         ("en", ("Mobile phone number", "Name", "138****5678"))])
def test_the_desk_refuses_a_reason_with_personal_data_in_the_users_language(desk, lang, named):
    client = desk.test_client()
    log_in(client, "fgclerk", lang=lang)
    response = upload(client, powers_csv(withdraw_one), lang=lang)
    url = response.headers["Location"]
    html = client.get(url).get_data(as_text=True)
    before = revisions(desk)
    refused = client.post(url + "/publish", data={"csrf_token": csrf_token(html), "reason": REASON})
    assert refused.status_code == 302
    text = visible_text(client.get(refused.headers["Location"]).get_data(as_text=True))
    for word in named:
        assert word in text, (word, text)
    assert PHONE not in text and "1234 5678" not in text and NAME not in text
    assert revisions(desk) == before and live(desk, WITHDRAWN)


def test_the_api_refuses_a_reason_with_personal_data(desk):
    client, auth = api_client(desk)
    upload_id = staged_by_api(client, auth)
    before = revisions(desk)
    refused = client.post(f"/api/v1/uploads/{upload_id}/publish", headers={**auth, "Accept-Language": "en"},
                          data={"reason": REASON})
    assert refused.status_code == 422
    body = refused.get_json()
    assert "Mobile phone number" in body["error"] and "Name" in body["error"]
    assert {(f["category"], f["suggestion"]) for f in body["reason"]} == {("mobile", "138****5678"),
                                                                         ("name", "欧阳某")}
    assert PHONE not in str(body) and NAME not in str(body)
    assert revisions(desk) == before and live(desk, WITHDRAWN)
    # The upload is still pending: with a reason that names nobody it publishes.
    published = client.post(f"/api/v1/uploads/{upload_id}/publish", headers=auth,
                            data={"reason": "职能划转至市场监管局,详询 0999-8100001"})
    assert published.status_code == 200 and published.get_json()["changed"]
    tomb = visible_text(desk.test_client().get(f"/zh-hans/powers/{WITHDRAWN}/").get_data(as_text=True))
    assert "职能划转至市场监管局,详询 0999-8100001" in tomb


def test_the_api_caps_a_reason_at_500_characters_as_the_form_does(desk):
    client, auth = api_client(desk)
    upload_id = staged_by_api(client, auth)
    before = revisions(desk)
    for reason in ("撤" * 210_000, "职能调整" * 126):
        refused = client.post(f"/api/v1/uploads/{upload_id}/publish", headers=auth, data={"reason": reason})
        assert refused.status_code == 422
        assert "撤回原因" in refused.get_json()["error"] and "500" in refused.get_json()["error"]
    assert revisions(desk) == before and live(desk, WITHDRAWN)
    assert client.post(f"/api/v1/uploads/{upload_id}/publish", headers=auth,
                       data={"reason": "职能调整" * 125}).status_code == 200
    with desk.app_context():
        item = db.session.scalars(select(PowerItem).where(PowerItem.code == WITHDRAWN)).one()
        assert item.withdrawn_reason == "职能调整" * 125


FAST = settings(max_examples=100, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(pair=PERSONAL, before=BEFORE, after=AFTER)
def test_any_personal_number_in_a_reason_is_refused_and_not_repeated(city_app, pair, before, after):
    canonical, written = pair
    with city_app.test_request_context():
        assume(canonical not in public.current(db.session).contacts)  # the city's own numbers may be named
        with pytest.raises(reasons.ReasonRefused) as refused:
            reasons.checked(db.session, f"事项调整。{before}{written}{after}")
    assert refused.value.findings
    assert written not in refused.value.message and canonical not in refused.value.message


@pytest.fixture
def seeded_reason(desk):
    """A power item withdrawn properly, then a reason naming a caller written behind the upload's back."""
    client = desk.test_client()
    log_in(client, "fgclerk")
    url = upload(client, powers_csv(withdraw_one)).headers["Location"]
    html = client.get(url).get_data(as_text=True)
    published = client.post(url + "/publish", data={"csrf_token": csrf_token(html), "reason": "职能调整"})
    assert published.status_code == 302
    with desk.app_context():
        item = db.session.scalars(select(PowerItem).where(PowerItem.code == WITHDRAWN)).one()
        item.withdrawn_reason = REASON
        event = db.session.scalars(select(ChangeEvent).where(
            ChangeEvent.code == WITHDRAWN, ChangeEvent.action == "withdrawn")).one()
        event.reason = REASON
        db.session.commit()
        revision = db.session.get(Revision, event.revision_id)
        where = f"/changes/{FG}/powers/{revision.number}/"
    return desk, where


def test_the_final_guard_checks_reasons_on_every_exit(seeded_reason):
    app, revision_page = seeded_reason
    client = app.test_client()
    pages = crawl(client)
    extra = [f"/{lang}{path}" for lang in LANGS for fmt in ("atom", "rss") for path in every_feed(fmt)]
    for lang in LANGS:
        extra += [f"/{lang}/", f"/{lang}/index.json", f"/{lang}/changes/", f"/{lang}/changes.json",
                  f"/{lang}{revision_page}", f"/{lang}{revision_page[:-1]}.json",
                  f"/{lang}/powers/{WITHDRAWN}/", f"/{lang}/powers/{WITHDRAWN}.json", f"/{lang}/powers.json"]
        extra += [f"/{lang}/departments/{code}{suffix}" for code in DEPARTMENTS for suffix in ("/", ".json")]
    for url in extra:
        response = client.get(url)
        pages[url] = (response.status_code, response.get_data(as_text=True))
    for url, (status, body) in pages.items():
        assert status in (200, 451), url
        assert PHONE not in body and "1234 5678" not in body and NAME not in body, url
    assert client.get(f"/en/powers/{WITHDRAWN}/").status_code == 451
    log = client.get("/zh-hans/changes.json?kind=powers", follow_redirects=True).get_json()["items"]
    assert "withdrawn" not in [e["action"] for e in log]
