"""Feed entries kept across publishes (portal.feeds.kept): after a publish, a rename or a purge a
worker that kept them writes the same feeds, byte for byte, as a worker that kept nothing."""

from __future__ import annotations

from portal import create_app, publish
from portal.extensions import db
from portal.models import Department
from portal.schemas import DEPARTMENTS
from tests import databases
from tests.test_feeds import LANGS, every_feed
from tests.test_page_cache import _loaded, _publish_one_more
from tests.desk_helpers import upload
from tests.test_privacy_purge_exits import (  # noqa: F401
    indexed, leaks, publish_wrongly_confirmed_remarks, purge_as_office)
from tests.test_privacy_scope import powers_csv
from tests.test_privacy_upload import desk, publish as publish_upload  # noqa: F401

FEEDS = [f"/{lang}{path}" for lang in LANGS for path in every_feed("atom")]


def _fresh(app, tmp_path, name: str):
    """Another worker on the same database, with nothing kept."""
    other = create_app({"INSTANCE_PATH": str(tmp_path / name), "DATABASE_URL": app.config["DATABASE_URL"],
                        "CONTENT_DIR": app.config["CONTENT_DIR"], "TESTING": True, "PASSWORD_PROFILE": "CHEAPEST"})
    databases.track(other)
    return other.test_client()


def _feeds(client) -> dict[str, bytes]:
    return {url: client.get(url).data for url in FEEDS}


def test_after_a_publish_and_a_rename_the_kept_entries_write_the_same_feeds(tmp_path):
    app = _loaded(tmp_path)
    client = app.test_client()
    before = _feeds(client)  # every entry kept
    _publish_one_more(app, "99010001FG-XK-0998")
    after = _feeds(client)
    assert after == _feeds(_fresh(app, tmp_path, "first"))
    assert b"99010001FG-XK-0998" in after["/zh-hans/feeds/changes.atom"]
    assert after != before
    with app.app_context():
        department = Department.by_code(db.session, "99010001FG")
        record = {f.name: getattr(department, f.name) for f in DEPARTMENTS.fields}
        with publish.opened(db.session) as writer:
            writer.publish_departments([{**record, "name": "改名后的发展改革委", "name_en": "Renamed Commission"}],
                                       author="content", source="content")
    renamed = _feeds(client)
    assert renamed == _feeds(_fresh(app, tmp_path, "second"))
    feed = renamed["/zh-hans/feeds/departments/99010001FG/powers.atom"].decode()
    assert "改名后的发展改革委" in feed  # in the entries made before the rename too
    assert "Renamed Commission" in renamed["/en/feeds/departments/99010001FG/powers.atom"].decode()


def test_a_purge_that_publishes_nothing_reaches_the_kept_entries(indexed):  # noqa: F811
    app = indexed
    clerk, leaking = publish_wrongly_confirmed_remarks(app)
    corrected = upload(clerk, powers_csv(lambda rows: rows[0].update({"备注": "已更正"}))).headers["Location"]
    assert publish_upload(clerk, corrected, clerk.get(corrected).get_data(as_text=True)).status_code == 302
    client = app.test_client()
    urls = [f"/{lang}{path}" for lang in LANGS for fmt in ("atom", "rss") for path in every_feed(fmt)]
    assert any(leaks(client.get(url).get_data(as_text=True)) for url in urls)  # the entries, kept
    purge_as_office(app, leaking)  # the live item was corrected: nothing to withdraw, no revision
    for url in urls:
        assert not leaks(client.get(url).get_data(as_text=True)), url
