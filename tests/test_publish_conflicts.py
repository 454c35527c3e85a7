"""Publishing an upload whose world changed since it was staged, over HTTP: a code another
department took meanwhile, and the same upload published twice at the same moment. The answer is
a 409 naming the row and column, or "already done" — never a 500, and never half a publish."""

from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Department, PowerItem, Revision, Upload
from portal.publish.content import load_directory
from tests.conftest import FIXTURE_CITY
from tests.desk_helpers import csrf_token, csv_bytes, log_in, make_user, read_csv, upload
from tests.helpers import visible_text

POWERS = FIXTURE_CITY / "disclosures/99010001FG/powers.csv"
# The code both departments name: a bare 基本编码, in no department's namespace, so it belongs to
# whoever publishes it first (a city code could only ever be its own department's).
X = "511A0141799999"
X_ROW = 5  # in fg's file: the header is row 1, the fixture's three items rows 2-4


@pytest.fixture
def accounts(app):
    """The app with the fixture city, an account of 99010001FG (fg), one of 99010002MZ (mz) and an
    administrator; and the Authorization headers of API tokens for fg and the administrator."""
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "fg", "99010001FG")
    make_user(app, "mz", "99010002MZ")
    make_user(app, "boss", None, admin=True)
    runner = app.test_cli_runner()
    tokens = {name: {"Authorization": "Bearer " + runner.invoke(args=["users", "token", name]).output.strip()}
              for name in ("fg", "boss")}
    return app, tokens


def fg_file(extra_code: str = X) -> bytes:
    """fg's complete power list: the fixture's three items and a new one, `extra_code`, last."""
    headers, rows = read_csv(POWERS)
    return csv_bytes(headers, rows + [{**rows[0], "事项编码": extra_code, "事项名称": "新增的许可"}])


def mz_file() -> bytes:
    """mz's power list naming the same code."""
    headers, rows = read_csv(POWERS)
    return csv_bytes(headers, [{**rows[0], "事项编码": X, "事项名称": "民政的许可", "实施主体": "99010002MZ"}])


def publish_on_the_desk(client, preview_url: str):
    page = client.get(preview_url).get_data(as_text=True)
    return client.post(preview_url + "/publish", data={"csrf_token": csrf_token(page)})


def api_upload(client, headers, content: bytes, **fields):
    return client.post("/api/v1/uploads", headers=headers, content_type="multipart/form-data",
                       data={"kind": "powers", "file": (io.BytesIO(content), "powers.csv"), **fields})


def counts(app) -> tuple[int, int, str]:
    """Revisions of fg's powers, uploads still pending, and who owns X."""
    with app.app_context():
        fg = Department.by_code(db.session, "99010001FG")
        revisions = db.session.scalar(select(func.count()).select_from(Revision).where(
            Revision.department_id == fg.id, Revision.kind == "powers"))
        pending = db.session.scalar(select(func.count()).select_from(Upload).where(Upload.status == "pending"))
        owner = db.session.scalars(select(Department.code).join(PowerItem, PowerItem.department_id == Department.id)
                                   .where(PowerItem.code == X)).one_or_none()
        return revisions, pending, owner


def test_desk_a_code_taken_since_staging_answers_409_with_the_report(accounts):
    desk, _tokens = accounts
    fg = desk.test_client()
    log_in(fg, "fg")
    staged = upload(fg, fg_file())
    assert staged.status_code == 302
    preview = staged.headers["Location"]

    mz = desk.test_client()
    log_in(mz, "mz")
    theirs = upload(mz, mz_file(), department="99010002MZ")
    assert publish_on_the_desk(mz, theirs.headers["Location"]).status_code == 302
    before = counts(desk)
    assert before[2] == "99010002MZ"

    refused = publish_on_the_desk(fg, preview)
    assert refused.status_code == 409
    text = visible_text(refused.get_data(as_text=True))
    assert "校验未通过" in text
    assert f"powers.csv — {X_ROW} 事项编码 编码“{X}”已由其他部门（99010002MZ）使用" in text
    assert counts(desk) == before  # nothing published; fg's upload still waits, X stays mz's
    assert desk.test_client().get(f"/zh-hans/powers/{X}.json").get_json()["department"]["code"] == "99010002MZ"


def test_api_a_code_taken_since_staging_answers_409_with_json_problems(accounts):
    desk, tokens = accounts
    client = desk.test_client()
    mine = api_upload(client, tokens["fg"], fg_file())
    assert mine.status_code == 201
    upload_id = mine.get_json()["id"]

    # The efficiency office publishes the same code for the other department first.
    theirs = api_upload(client, tokens["boss"], mz_file(), department="99010002MZ")
    assert theirs.status_code == 201
    assert client.post(f"/api/v1/uploads/{theirs.get_json()['id']}/publish",
                       headers=tokens["boss"]).status_code == 200
    before = counts(desk)

    refused = client.post(f"/api/v1/uploads/{upload_id}/publish", headers=tokens["fg"])
    assert refused.status_code == 409 and refused.is_json
    body = refused.get_json()
    assert body["status"] == 409 and "其他部门" in body["error"]
    assert body["problems"] == [{"sheet": None, "row": X_ROW, "column": "事项编码",
                                 "message": f"编码“{X}”已由其他部门（99010002MZ）使用"}]
    assert counts(desk) == before
    assert client.get(f"/api/v1/uploads/{upload_id}", headers=tokens["fg"]).get_json()["status"] == "pending"


def at_once(calls) -> list:
    """Run each call in its own thread, released together; their results (or exceptions)."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - an exception is what the test looks for
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_desk_the_same_upload_published_twice_at_once_publishes_once(accounts):
    desk, _tokens = accounts
    first = desk.test_client()
    log_in(first, "fg")
    preview = upload(first, fg_file()).headers["Location"]
    second = desk.test_client()
    log_in(second, "fg")
    forms = [(c, csrf_token(c.get(preview).get_data(as_text=True))) for c in (first, second)]
    before = counts(desk)[0]

    results = at_once([lambda c=c, t=t: c.post(preview + "/publish", data={"csrf_token": t})
                       for c, t in forms])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [r.status_code for r in results] == [302, 302]
    published, refused = sorted((r.headers["Location"] for r in results), key=lambda url: url == preview)
    assert published.startswith("/zh-hans/desk/revisions/") and refused == preview
    assert counts(desk)[:2] == (before + 1, 0)
    loser = next(c for (c, _t), r in zip(forms, results) if r.headers["Location"] == preview)
    assert "该上传已处理过，不能重复发布" in visible_text(loser.get(preview).get_data(as_text=True))


def test_api_the_same_upload_published_twice_at_once_publishes_once(accounts):
    desk, tokens = accounts
    client = desk.test_client()
    upload_id = api_upload(client, tokens["fg"], fg_file()).get_json()["id"]
    before = counts(desk)[0]

    results = at_once([lambda: desk.test_client().post(f"/api/v1/uploads/{upload_id}/publish",
                                                       headers=tokens["fg"])] * 2)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status_code for r in results) == [200, 409]
    done = next(r for r in results if r.status_code == 409).get_json()
    assert done["error"] == "该上传已处理过，不能重复发布"
    assert next(r for r in results if r.status_code == 200).get_json()["revision"] == 2
    assert counts(desk)[:2] == (before + 1, 0)
