"""Never a 500: every route, driven with real and hostile paths, queries, forms and methods, by
an anonymous visitor and by a department's account, answers without a server error; and the
requests that once answered 500 each have a test of their own."""

from __future__ import annotations

import io
import os
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from portal.extensions import db
from portal.models import Department, Revision
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY, make_app
from tests.desk_helpers import PASSWORD, csrf_token, csv_bytes, log_in, make_user, read_csv, upload
from tests.helpers import visible_text
from tests.web_strategies import Pools, fill, real_values, requests

# Examples per route and client: 56 routes × 2 clients × up to 16 requests, about 12 s in all.
# NEVER_500_EXAMPLES=200 explores further (still deterministic) when hunting.
EXAMPLES = int(os.environ.get("NEVER_500_EXAMPLES", "16"))


def routes(app):
    """Every rule of the app, in a fixed order: what the fuzz drives (new routes included)."""
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def drive(app, client, pools: Pools, examples: int = EXAMPLES) -> None:
    """Send `examples` generated requests to every route; each must answer below 500 (and, as the
    app is TESTING, any exception a view raised propagates here and fails the test)."""
    for rule in routes(app):
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(request=requests(rule.rule, rule.endpoint, set(rule.methods), pools))
        def answers(request):
            with client.open(**request) as response:  # closes a streamed file (the stylesheet)
                assert response.status_code < 500, (rule.rule, request)

        answers()


def test_no_route_answers_500_to_an_anonymous_visitor(city_app):
    drive(city_app, city_app.test_client(), real_values(city_app))


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    """A writable fixture city with a department account (fg), another account of the same
    department holding an API token (so that fg cannot revoke it), and a pending upload of
    complaints with a phone number in it (so that the privacy review has findings to act on)."""
    app = make_app(tmp_path_factory.mktemp("never500"))
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "fg", "99010001FG")
    make_user(app, "fgapi", "99010001FG")
    token = app.test_cli_runner().invoke(args=["users", "token", "fgapi"]).output.strip()
    api = {"Authorization": f"Bearer {token}"}
    headers, rows = read_csv(FIXTURE_CITY / "disclosures/99010002MZ/complaints.csv")
    rows = [{**row, "案件编号": row["案件编号"].replace("XN", "FG"), "被投诉单位": "99010001FG"} for row in rows]
    rows[0]["投诉摘要"] += "联系电话13812345678。"
    staged = app.test_client().post("/api/v1/uploads", headers=api, data={
        "kind": "complaints", "file": (io.BytesIO(csv_bytes(headers, rows)), "complaints.csv")})
    assert staged.status_code == 201, staged.get_json()
    keys = [finding["key"] for finding in staged.get_json()["privacy"]]
    assert keys
    return SimpleNamespace(app=app, api=api, finding_keys=keys)


def logged_in(app):
    """A client logged in as fg with a powers upload of its own pending, and its CSRF token."""
    client = app.test_client()
    assert log_in(client, "fg").status_code == 302
    headers, rows = read_csv(FIXTURE_CITY / "disclosures/99010001FG/powers.csv")
    rows[0]["备注"] = "待发布"
    assert upload(client, csv_bytes(headers, rows)).status_code == 302
    return client, csrf_token(client.get("/zh-hans/desk/").get_data(as_text=True))


def test_no_route_answers_500_to_a_department_user(desk):
    client, token = logged_in(desk.app)
    pools = real_values(desk.app)
    pools.by_name["key"] = [*desk.finding_keys, "0"]
    pools.csrf = token
    # A valid token would log the account out (logout) or count failed logins against it (login):
    # either would only narrow what the rest of the run can reach. Both are driven without it.
    pools.no_csrf_for = {"auth.logout", "auth.login"}
    pools.headers = desk.api
    drive(desk.app, client, pools)
    assert client.get("/zh-hans/desk/").status_code == 200  # still logged in: the run was not all redirects


# --- The requests known to have answered 500, one test each ----------------------------------

@pytest.mark.parametrize("big", [str(2**63), str(2**64), "9" * 30])
def test_ids_past_two_to_the_63_in_any_path_are_not_found(desk, big):
    client, _token = logged_in(desk.app)
    real = {"lang": "zh-hans", "department": "99010001FG", "kind": "powers", "key": "x", "action": "confirm"}
    found = [rule for rule in routes(desk.app) if "<int:" in rule.rule]
    assert len(found) >= 10  # years, revision numbers, uploads, revisions, tokens, users
    for rule in found:
        url = fill(rule.rule, real, big)
        for method in sorted(rule.methods - {"OPTIONS"}):
            assert client.open(url, method=method, headers=desk.api).status_code == 404, (method, url)


@pytest.mark.parametrize("digits", ["²", "٣", "１", "𝟙"])
def test_non_ascii_digits_in_page_and_year_are_not_found(client, digits):
    for path in ("/zh-hans/powers/", "/zh-hans/appraisals.json", "/zh-hans/changes/", "/zh-hans/search",
                 "/zh-hans/changes/revisions/", "/zh-hans/feeds/changes.atom"):
        assert client.get(path, query_string={"page": digits}).status_code == 404, path
    assert client.get(f"/zh-hans/appraisals/{digits}/").status_code == 404
    assert client.get(f"/zh-hans/appraisals/2024{digits}.json").status_code == 404
    assert client.get("/zh-hans/appraisals/", query_string={"year": digits}, follow_redirects=True).status_code == 404
    assert client.get(f"/zh-hans/appraisals/by/year/{digits}/").status_code == 404
    assert client.get(f"/zh-hans/powers/page/{digits}/").status_code == 404
    search = client.get("/zh-hans/search.json", query_string={"q": "许可", "year": digits})
    assert search.status_code == 200 and search.get_json()["total"] == 0


@pytest.mark.parametrize(("query", "total"), [
    ({"from": "0001-01-01"}, 13), ({"to": "9999-12-31"}, 13), ({"from": "0001-01-01", "to": "9999-12-31"}, 13),
    ({"from": "9999-12-31"}, 0), ({"to": "0001-01-01"}, 0),
])
def test_the_change_log_takes_the_first_and_last_days_of_the_calendar(client, query, total):
    assert client.get("/zh-hans/changes.json", query_string=query).get_json()["total"] == total
    assert client.get("/en/changes/", query_string=query).status_code == 200


def test_query_parameters_named_like_url_for_arguments_break_no_page(client, city_app):
    real = {"lang": "zh-hans", "kind": "powers", "code": "99010001FG-XK-0001", "department": "99010001FG",
            "year": "2024", "number": "1", "slug": "about", "fmt": "atom", "filename": "css/site.css"}
    pages = 0
    for rule in routes(city_app):
        if "GET" not in rule.methods or rule.endpoint.startswith(("desk.", "accounts.", "api.", "privacy.")):
            continue
        url = fill(rule.rule, real, "1")
        with client.get(url) as plain:  # the stylesheet is streamed from its file
            expected = plain.status_code
        pages += expected == 200
        for name in ("lang", "endpoint", "fmt", "_method", "_anchor", "values"):
            with client.get(url, query_string={name: "x"}) as hostile:
                assert hostile.status_code == expected, (url, name)
    assert pages >= 20  # real pages, not only 404s


@pytest.mark.parametrize("next_", ["/zh-hans/desk/\r\nSet-Cookie: x=1", "\r\n", "/%0d%0a/evil.example"])
def test_cr_and_lf_in_next_never_reach_a_header(desk, next_):
    client = desk.app.test_client()
    assert client.get("/zh-hans/desk/login", query_string={"next": next_}).status_code == 200
    page = client.get("/zh-hans/desk/login").get_data(as_text=True)
    answer = client.post("/zh-hans/desk/login", query_string={"next": next_},
                         data={"csrf_token": csrf_token(page), "username": "fg", "password": PASSWORD})
    assert answer.status_code == 302
    assert "\r" not in answer.headers["Location"] and "\n" not in answer.headers["Location"]
    bounced = desk.app.test_client().get("/zh-hans/desk/", query_string={"x": next_})
    assert bounced.status_code == 302 and "\n" not in bounced.headers["Location"]


def test_a_departments_own_revision_shows_on_the_desk_and_is_not_rolled_back(desk):
    """Found by the fuzz: the desk read a revision's kind among the disclosure kinds only, so a
    department's own record (kind "departments") answered 500, on its page and its rollback."""
    client, token = logged_in(desk.app)
    with desk.app.app_context():
        revision_id = db.session.scalars(select(Revision.id).join(Department).where(
            Revision.kind == "departments", Department.code == "99010001FG")).one()
    page = client.get(f"/zh-hans/desk/revisions/{revision_id}/")
    assert page.status_code == 200
    assert "测试市发展和改革委员会" in visible_text(page.get_data(as_text=True))
    assert f"/desk/revisions/{revision_id}/rollback" not in page.get_data(as_text=True)
    rollback = client.post(f"/zh-hans/desk/revisions/{revision_id}/rollback", data={"csrf_token": token})
    assert rollback.status_code == 404
