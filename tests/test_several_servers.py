"""Several app servers, one database: a publish through either is served by both within seconds.

Two gunicorn servers on loopback ports, each with its own instance folder, search index and
download files, share the test database (PostgreSQL when TEST_DATABASE_URL names one, else
one SQLite file). Pages and feeds read the database; the search index and the downloads of
each server follow the revision log on their own (CATCH_UP_SECONDS), which is what this proves.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from portal import create_app
from portal.extensions import db
from portal.publish.content import load_directory
from tests import databases
from tests.conftest import FIXTURE_CITY, make_app
from tests.desk_helpers import PASSWORD, csrf_token, csv_bytes, make_user, read_csv

ROOT = Path(__file__).resolve().parent.parent
POWERS = FIXTURE_CITY / "disclosures/99010001FG/powers.csv"
COMMITMENTS = FIXTURE_CITY / "disclosures/99010001FG/commitments.csv"
SECRET = "the same secret on every server"
NEW_CODE, NEW_NAME = "99010001FG-XK-0099", "多台服务器同步核准"
RENAMED = "多台服务器改名核准"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(instance: Path, database_url: str, log) -> tuple[subprocess.Popen, str]:
    """gunicorn (one worker) serving the portal with `instance` as its instance folder."""
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database_url, "SECRET_KEY": SECRET,
           "CATCH_UP_SECONDS": "0.2", "PASSWORD_PROFILE": "CHEAPEST", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         f"portal:create_app({{'INSTANCE_PATH': {str(instance)!r}}})"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def wait_for(missing, what: str, seconds: float = 20.0) -> None:
    """Call `missing` until it returns nothing (a list of what is not there yet); fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            left = missing()
        except requests.ConnectionError as error:
            left = [str(error)]
        if not left:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}; missing: {left}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Servers A and B on one database, the fixture city published, each index and download built."""
    tmp_path = tmp_path_factory.mktemp("servers")
    first = make_app(tmp_path / "a")
    url = first.config["DATABASE_URL"]
    with first.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(first, "fg", "99010001FG")
    runner = first.test_cli_runner()
    token = runner.invoke(args=["users", "token", "fg"]).output.strip()
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    second = create_app({"INSTANCE_PATH": str(tmp_path / "b"), "DATABASE_URL": url, "TESTING": True})
    databases.track(second)
    for args in (["search", "reindex"], ["data", "sync", "--all"]):
        result = second.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
    with open(tmp_path / "servers.log", "wb") as log, requests.Session() as http:
        servers = [serve(tmp_path / name, url, log) for name in ("a", "b")]
        try:
            for _process, base in servers:
                wait_for(lambda: [] if http.get(base + "/zh-hans/").ok else ["home"], f"{base} answers")
            yield http, servers[0][1], servers[1][1], {"Authorization": f"Bearer {token}"}, first
        finally:
            for process, _base in servers:
                process.terminate()
                process.wait(timeout=30)
    databases.release(tmp_path / "a")


def stage(http, base: str, headers: dict, rows: list[dict], columns: list[str], kind: str = "powers") -> str:
    """Upload fg's complete list of `kind` to `base`'s API; the URL that publishes it."""
    staged = http.post(base + "/api/v1/uploads", headers=headers, data={"kind": kind},
                       files={"file": (f"{kind}.csv", csv_bytes(columns, rows), "text/csv")})
    assert staged.status_code == 201, staged.text
    return f"{base}/api/v1/uploads/{staged.json()['id']}/publish"


def publish(http, url: str, headers: dict, renames_confirmed: bool = False) -> int:
    """Publish a staged upload (confirming that names changed completely, when asked); the new
    revision's number."""
    published = http.post(url, headers=headers, data={"confirm_renamed": "1"} if renames_confirmed else None)
    assert published.status_code == 200, published.text
    return published.json()["revision"]


def publish_through(http, base: str, headers: dict, rows: list[dict], columns: list[str]) -> int:
    """Upload fg's complete power list to `base`'s API and publish it; the new revision's number."""
    return publish(http, stage(http, base, headers, rows, columns), headers)


def search_hits(http, base: str, q: str) -> str:
    """The items `base`'s search finds for `q`, as text."""
    return str(http.get(base + "/zh-hans/search.json", params={"q": q}).json()["items"])


def missing(http, base: str, name: str) -> list[str]:
    """Where `base` does not show the item called `name` yet: its page, search, the feed, the CSV."""
    page = http.get(f"{base}/zh-hans/powers/{NEW_CODE}/")
    feed = http.get(base + "/zh-hans/feeds/changes.atom")
    csv = http.get(base + "/data/powers.csv")
    checks = {"page": page.ok and name in page.text, "search": NEW_CODE in search_hits(http, base, name),
              "feed": name in feed.text, "download": name in csv.content.decode("utf-8-sig")}
    return [where for where, shown in checks.items() if not shown]


def test_a_publish_through_either_server_is_served_by_both(two_servers):
    http, a, b, headers, _app = two_servers
    columns, rows = read_csv(POWERS)
    assert NEW_CODE not in search_hits(http, b, NEW_NAME)

    added = rows + [{**rows[0], "事项编码": NEW_CODE, "事项名称": NEW_NAME}]
    publish_through(http, a, headers, added, columns)
    for base in (b, a):
        wait_for(lambda: missing(http, base, NEW_NAME), f"{base} serves what was published through A")

    renamed = rows + [{**rows[0], "事项编码": NEW_CODE, "事项名称": RENAMED}]
    publish_through(http, b, headers, renamed, columns)
    for base in (a, b):
        wait_for(lambda: missing(http, base, RENAMED), f"{base} serves what was published through B")
        assert NEW_CODE not in search_hits(http, base, NEW_NAME), f"{base} still finds the old name"


def test_a_login_on_one_server_holds_on_the_other(two_servers):
    http, a, b, _headers, _app = two_servers
    page = http.get(a + "/zh-hans/desk/login").text
    logged_in = http.post(a + "/zh-hans/desk/login", allow_redirects=False, data={
        "csrf_token": csrf_token(page), "username": "fg", "password": PASSWORD})
    assert logged_in.status_code == 302
    desk = http.get(b + "/zh-hans/desk/", allow_redirects=False)
    assert desk.status_code == 200 and "fg" in desk.text


def test_publishes_through_both_servers_at_once_are_applied_one_after_the_other(two_servers):
    """The door's lock (an advisory lock on PostgreSQL) holds across processes: both publishes land,
    one after the other, and the chain verifies."""
    http, a, b, headers, app = two_servers
    work = [(a, POWERS, "powers", "同时发布 A"), (b, COMMITMENTS, "commitments", "同时发布 B")]
    staged = []
    for base, path, kind, name in work:
        columns, rows = read_csv(path)
        staged.append(stage(http, base, headers, [{**rows[0], "事项名称": name}, *rows[1:]], columns, kind))
    barrier, numbers, errors = threading.Barrier(len(staged)), [], []

    def publish_at_once(url):
        barrier.wait()
        try:
            with requests.Session() as own:
                # Each renames an item completely: a reused code, which the uploader confirms.
                numbers.append(publish(own, url, headers, renames_confirmed=True))
        except Exception as error:  # noqa: BLE001 - any failure is the test's finding
            errors.append(error)

    threads = [threading.Thread(target=publish_at_once, args=(url,)) for url in staged]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors and len(numbers) == 2
    verified = app.test_cli_runner().invoke(args=["changes", "verify"])
    assert verified.exit_code == 0, verified.output
    for base in (a, b):
        wait_for(lambda: [name for *_rest, name in work if "99010001FG" not in search_hits(http, base, name)],
                 f"{base} finds both publishes")
