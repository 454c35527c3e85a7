"""After a purge nothing of the purged text is findable: a complaint leaked with a caller's name, mobile
and ID number, once purged, is in no search result, feed, change log, revision page, department page or
list twin, in any language; nor is a power item's 备注, whose changes the change log shows with their
values. (The purge withdraws the items through the door, so search follows.)"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal import search
from portal.extensions import db
from portal.models import ComplaintCase, Revision
from portal.schemas import KINDS
from tests.desk_helpers import csrf_token, log_in, make_user, upload
from tests.helpers import visible_text
from tests.test_feeds import DEPARTMENTS, LANGS, every_feed
from tests.test_privacy_scope import FG, POWER, powers_csv
from tests.test_privacy_upload import (  # noqa: F401
    DEPARTMENT, complaints_csv, confirm_as_office, desk, publish, staged,
)

CASE = "2024-XN-0001"
PHONE, ID_NUMBER = "13912345678", "11010519491231002X"
SPACED = f"{PHONE[:3]} {PHONE[3:7]} {PHONE[7:]}"  # as the summary writes it
NAME, NAME_HANT = "欧阳春晓", "歐陽春曉"
SECRETS = (PHONE, ID_NUMBER, NAME, NAME_HANT)
PHRASE = "低保申请"  # what the leaked summary also says, to search for it by


def leaks(body: str) -> list[str]:
    """The purged values a response carries, however the digits are grouped."""
    squeezed = re.sub(r"[\s\-]", "", body)
    return [s for s in SECRETS if s in squeezed or s in body]


def with_caller(headers, rows):
    rows[0]["投诉摘要"] = (f"来电人{NAME}(手机 {SPACED},身份证号{ID_NUMBER})"
                       f"反映办理{PHRASE}时窗口未一次性告知所需材料。")


@pytest.fixture
def indexed(desk):
    """The fixture city with its search index (publishes keep it up to date), a clerk and the office."""
    with desk.app_context():
        search.rebuild(db.session)
    return desk


@pytest.fixture
def leaked(indexed):
    """The complaint published with its caller's name, mobile and ID number, every one of them wrongly
    confirmed as not personal (the mobile and the ID by the clerk and the efficiency office)."""
    desk = indexed
    clerk = desk.test_client()
    log_in(clerk, "mzclerk")
    url, html = staged(clerk, complaints_csv(with_caller))
    for _finding in range(3):
        key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
        clerk.post(f"{url}/privacy/{key}/confirm", data={"csrf_token": csrf_token(html)})
        html = clerk.get(url).get_data(as_text=True)
    for _finding in range(2):
        assert confirm_as_office(desk, url).status_code == 302
    response = publish(clerk, url, clerk.get(url).get_data(as_text=True))
    revision_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    with desk.app_context():
        number = db.session.get(Revision, revision_id).number
    return desk, revision_id, f"/changes/{DEPARTMENT}/complaints/{number}/"


def purge_as_office(app, revision_id: int) -> None:
    boss = app.test_client()
    log_in(boss, "boss01")
    page = boss.get(f"/zh-hans/desk/revisions/{revision_id}/").get_data(as_text=True)
    assert boss.post(f"/zh-hans/desk/revisions/{revision_id}/purge",
                     data={"csrf_token": csrf_token(page), "reason": "来电人要求删除"}).status_code == 302


def exits(client, revision_page: str) -> dict[str, tuple[int, str]]:
    """Every exit that could still show the case: search, feeds, the change log, revision pages,
    the department page and the list twins, in every language."""
    urls = [f"/{lang}{path}" for lang in LANGS for fmt in ("atom", "rss") for path in every_feed(fmt)]
    for lang in LANGS:
        urls += [f"/{lang}/search?q={q}" for q in (PHRASE, CASE, "经办人")]
        urls += [f"/{lang}/search.json?q={q}" for q in (PHRASE, CASE, "经办人")]
        urls += [f"/{lang}/changes/", f"/{lang}/changes.json", f"/{lang}/changes/by/kind/complaints.json",
                 f"/{lang}/changes/by/kind/complaints/", f"/{lang}{revision_page}",
                 f"/{lang}{revision_page[:-1]}.json", f"/{lang}/changes/revisions/",
                 f"/{lang}/changes/revisions.json", f"/{lang}/", f"/{lang}/index.json",
                 f"/{lang}/complaints/{CASE}/", f"/{lang}/complaints/{CASE}.json",
                 f"/{lang}/powers/{POWER}/", f"/{lang}/powers/{POWER}.json"]
        urls += [f"/{lang}/departments/{code}{suffix}" for code in DEPARTMENTS for suffix in ("/", ".json")]
        urls += [f"/{lang}/{kind}{suffix}" for kind in KINDS for suffix in ("/", ".json")]
    found = {}
    for url in urls:
        response = client.get(url)
        found[url] = (response.status_code, response.get_data(as_text=True))
    return found


def searched(client, lang: str, q: str) -> tuple[list[str], str]:
    """The codes a search finds, and the page of results without the query it repeats (converted to
    Traditional on Traditional pages)."""
    codes = [i["code"] for i in client.get(f"/{lang}/search.json", query_string={"q": q}).get_json()["items"]]
    page = visible_text(client.get(f"/{lang}/search", query_string={"q": q}).get_data(as_text=True))
    for echo in {q, q.replace(NAME, NAME_HANT)}:
        page = page.replace(echo, "")
    return codes, page


def test_the_leak_is_public_before_the_purge(leaked):
    app, _revision_id, revision_page = leaked
    client = app.test_client()
    assert NAME in visible_text(client.get(f"/zh-hans/complaints/{CASE}/").get_data(as_text=True))
    assert searched(client, "zh-hans", NAME)[0] == [CASE]
    assert searched(client, "zh-hant", NAME_HANT)[0] == [CASE]
    assert searched(client, "en", SPACED)[0] == [CASE] and searched(client, "en", ID_NUMBER)[0] == [CASE]
    assert any(leaks(body) for _status, body in exits(client, revision_page).values())


@pytest.mark.parametrize("how", ["desk", "cli"])
def test_after_a_purge_nothing_of_the_purged_text_is_findable(leaked, how):
    app, revision_id, revision_page = leaked
    if how == "desk":
        purge_as_office(app, revision_id)
    else:
        result = app.test_cli_runner().invoke(args=["privacy", "purge", str(revision_id), "--reason", "删除"])
        assert result.exit_code == 0, result.output

    client = app.test_client()
    for url, (status, body) in exits(client, revision_page).items():
        assert status == 200, url
        assert not leaks(body), (url, leaks(body))
    for lang in LANGS:
        for q in (PHONE, SPACED, ID_NUMBER, NAME, NAME_HANT, PHRASE, CASE):
            codes, page = searched(client, lang, q)
            assert CASE not in codes and not leaks(page), (lang, q)
    tombstone = visible_text(client.get(f"/zh-hans/complaints/{CASE}/").get_data(as_text=True))
    assert "该事项已撤回" in tombstone
    with app.app_context():
        case = db.session.scalars(select(ComplaintCase).where(ComplaintCase.code == CASE)).one()
        assert case.is_withdrawn and case.record["purged"] is True


def test_a_purge_after_a_correction_leaves_nothing_findable_either(leaked):
    app, revision_id, revision_page = leaked
    clerk = app.test_client()
    log_in(clerk, "mzclerk")
    summary = f"张某反映办理{PHRASE}时未获一次性告知。"
    corrected = complaints_csv(lambda headers, rows: rows[0].update({"投诉摘要": summary}))
    url, html = staged(clerk, corrected)
    assert publish(clerk, url, html).status_code == 302
    purge_as_office(app, revision_id)
    client = app.test_client()
    for url, (status, body) in exits(client, revision_page).items():
        assert status == 200, url
        assert not leaks(body), (url, leaks(body))
    assert searched(client, "zh-hans", PHRASE)[0] == [CASE]  # the corrected case is still found
    assert searched(client, "zh-hans", NAME)[0] == []


def publish_wrongly_confirmed_remarks(app):
    """fgclerk uploads a power whose remarks carry a name, a mobile and an ID number, wrongly
    confirmed as not personal by the clerk and then the efficiency office, and publishes it:
    (the clerk's client, the revision's id)."""
    make_user(app, "fgclerk", FG)
    clerk = app.test_client()
    log_in(clerk, "fgclerk")
    url = upload(clerk, powers_csv(lambda rows: rows[0].update(
        {"备注": f"经办人{NAME},手机{PHONE},身份证{ID_NUMBER}"}))).headers["Location"]
    html = clerk.get(url).get_data(as_text=True)
    for _finding in range(2):  # the mobile and the ID: the clerk, then the efficiency office
        key = re.search(r'/privacy/([0-9a-f]{20})/confirm"', html).group(1)
        clerk.post(f"{url}/privacy/{key}/confirm", data={"csrf_token": csrf_token(html)})
        assert confirm_as_office(app, url).status_code == 302
        html = clerk.get(url).get_data(as_text=True)
    response = publish(clerk, url, html)
    return clerk, int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_a_purged_power_items_remarks_are_findable_nowhere(indexed):
    app = indexed
    _clerk, revision_id = publish_wrongly_confirmed_remarks(app)
    client = app.test_client()
    change = client.get("/zh-hans/changes.json?kind=powers", follow_redirects=True).get_json()["items"][0]
    assert PHONE in change["changes"]["remarks"][1]  # a power item's change is shown with its values
    with app.app_context():
        number = db.session.get(Revision, revision_id).number
    purge_as_office(app, revision_id)
    for url, (status, body) in exits(client, f"/changes/{FG}/powers/{number}/").items():
        assert status == 200, url
        assert not leaks(body), (url, leaks(body))
    for q in (PHONE, ID_NUMBER, NAME, "经办人"):
        assert POWER not in searched(client, "zh-hans", q)[0], q
    tombstone = visible_text(client.get(f"/zh-hans/powers/{POWER}/").get_data(as_text=True))
    assert "该事项已撤回" in tombstone
