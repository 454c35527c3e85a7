"""Incremental exports: after a publish, `--changed` rewrites only the pages whose content changed,
and the result equals a full export of the same data byte for byte (tests/test_export.py has
the first such case, a rename and a withdrawal together)."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal import staticsearch
from portal.desk import purge
from portal.export import changed, listpages
from portal.export.links import file_path, relative
from portal.export.run import export
from portal.extensions import db
from portal.models import PrivacyConfirmation, Revision
from portal.publish.content import load_directory
from portal.staticsearch.records import records
from tests.conftest import FIXTURE_CITY, make_app
from tests.helpers import visible_text
from tests.test_export import differences
from tests.test_loader import COMPLAINTS, POWERS, edit_csv

ADDED = "99010001FG-XK-0009"


def add_item(headers, rows):
    rows.append({**rows[0], "事项编码": ADDED, "事项名称": "新增的许可事项"})


def change_facet_value(headers, rows):
    rows[0]["权力类型"] = "行政确认"


def withdraw_item(headers, rows):
    del rows[1]


def withdraw_complaint(headers, rows):
    del rows[1]  # the complaint figures of its department and of the city change


def written_after(app, out, city_copy, edit) -> list[str]:
    """Export `app` in full to `out`, `edit` the content copy and publish it, then export again
    incrementally: the pages that run wrote."""
    export(app, out)
    edit()
    with app.app_context():
        assert load_directory(db.session, city_copy).ok
    written: list[str] = []
    assert export(app, out, changed=True, progress=written.append).incremental
    return written


@pytest.fixture
def one_language_app(tmp_path):
    """The fixture city loaded, exported in one language (the languages are written alike)."""
    app = make_app(tmp_path)
    app.config["LOCALES"] = {"zh-hans": "zh_Hans"}
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    return app


@pytest.mark.parametrize("publish", [add_item, change_facet_value, withdraw_item, withdraw_complaint])
def test_an_incremental_export_after_a_publish_equals_a_full_one(one_language_app, tmp_path, city_copy, publish):
    app = one_language_app
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    first = export(app, incremental)
    edit_csv(city_copy / (COMPLAINTS if publish is withdraw_complaint else POWERS), publish)
    with app.app_context():
        assert load_directory(db.session, city_copy).ok
    summary = export(app, incremental, changed=True)
    export(app, full)
    assert summary.incremental
    assert differences(incremental, full) == [], "\n".join(differences(incremental, full))
    assert summary.pages < first.pages / 2
    page = (incremental / "zh-hans/powers/index.html").read_text(encoding="utf-8")
    if publish is add_item:
        assert (incremental / f"zh-hans/powers/{ADDED}/index.html").is_file()
        assert "新增的许可事项" in (incremental / "zh-hans/powers/by/power_type/行政许可/index.html").read_text()
    if publish is change_facet_value:
        assert "企业投资项目核准" in (incremental / "zh-hans/powers/by/power_type/行政确认/index.html").read_text()
    if publish is withdraw_item:
        assert "对违反价格法规定行为的处罚" not in page
        tombstone = (incremental / "zh-hans/powers/99010001FG-CF-0001/index.html").read_text(encoding="utf-8")
        assert "撤回" in visible_text(tombstone)
        assert not (incremental / "zh-hans/powers/by/power_type/行政处罚/index.html").exists() or \
            "对违反价格法规定行为的处罚" not in (incremental / "zh-hans/powers/by/power_type/行政处罚/index.html").read_text()


def test_the_list_pages_fingerprinted_are_the_list_pages_a_full_export_writes(one_language_app, tmp_path):
    app = one_language_app
    out = tmp_path / "out"
    export(app, out)
    keys = {listpages.key_of(k) for k in json.loads((out / ".export.json").read_text(encoding="utf-8"))["lists"]}
    with app.app_context():
        named = {p.relative_to(out).as_posix() for p in changed.gone_list_files(out, keys)}
    written = set()
    for kind in ("powers", "services", "commitments", "complaints", "appraisals"):
        written |= {f"zh-hans/{kind}/index.html", f"zh-hans/{kind}.json"}
        for part in ("by", "page", "sort"):
            written |= {p.relative_to(out).as_posix() for p in (out / "zh-hans" / kind / part).rglob("*")
                        if p.is_file()}
    assert named == written


def rename_item(headers, rows):
    rows[0]["事项名称"] = "企业投资项目核准(修订)"


def test_a_rename_rewrites_the_list_pages_the_item_is_on_and_no_other(one_language_app, tmp_path, city_copy):
    app = one_language_app
    app.config["PAGE_SIZE"] = 1  # the fixture's three powers on three pages
    out = tmp_path / "out"
    written = written_after(app, out, city_copy, lambda: edit_csv(city_copy / POWERS, rename_item))
    lists = {url.partition("/zh-hans/")[2] for url in written if "/zh-hans/powers" in url}
    # In code order the renamed 99010001FG-XK-0001 is third: that page changed, the first two did not.
    assert {"powers/page/3/", "powers/page/3.json"} <= lists
    assert not {"powers/", "powers.json", "powers/page/2/", "powers/by/department/99010001FG/page/2/"} & lists
    assert "企业投资项目核准(修订)" in (out / "zh-hans/powers/page/3/index.html").read_text(encoding="utf-8")
    # A power's name is in no statistic: the city's figures and the scorecards' charts stay as they are.
    assert not [url for url in written if "/stats/" in url or "/scorecard/" in url]
    # Nor in the API page's examples (the first power, by code, is another), and robots.txt, the
    # icon and the OpenAPI document are made from the build alone.
    assert not [url for url in written if "/api/" in url or url.endswith(("/robots.txt", "/favicon.ico"))]


def test_a_complaint_redraws_the_statistics_it_is_counted_in(one_language_app, tmp_path, city_copy):
    app = one_language_app
    written = written_after(app, tmp_path / "out", city_copy,
                            lambda: edit_csv(city_copy / COMPLAINTS, withdraw_complaint))
    stats = {url.partition("/zh-hans/")[2] for url in written if "/stats" in url or "/scorecard/" in url}
    assert {"stats/", "stats.json", "stats/complaints-by-month.svg"} <= stats
    assert "stats/compression.svg" not in stats  # the time limits did not change


def test_facet_counts_come_with_a_lists_first_page(one_language_app):
    one_language_app.config["PAGE_SIZE"] = 1
    client = one_language_app.test_client()
    first = client.get("/zh-hans/powers/").get_data(as_text=True)
    second = client.get("/zh-hans/powers/page/2/").get_data(as_text=True)
    assert '<span class="count">' in first
    assert 'data-facet="power_type"' in second and '<span class="count">' not in second
    twin = client.get("/zh-hans/powers/page/2.json").get_json()
    assert twin["facets"]["power_type"] and all(set(v) == {"value"} for v in twin["facets"]["power_type"])
    assert all(v["count"] for v in client.get("/zh-hans/powers.json").get_json()["facets"]["power_type"])


def test_an_export_built_otherwise_is_written_again_whole(one_language_app, tmp_path):
    app = one_language_app
    out = tmp_path / "out"
    export(app, out)
    app.config["PAGE_SIZE"] = 1  # every list and log is cut into other pages
    again = export(app, out, changed=True)
    assert not again.incremental
    export(app, tmp_path / "full")
    assert differences(out, tmp_path / "full") == []


def _archive_number(url: str) -> int:
    return int(re.match(r"\d+", url.rsplit("/page/", 1)[1])[0])


@pytest.mark.parametrize("publish", [add_item, withdraw_item])
def test_the_change_logs_and_feeds_archives_are_written_once(one_language_app, tmp_path, city_copy, publish):
    """Two events (and revisions) a page: a publish writes the front pages, the new archives and
    the one that was newest (its link to the next newer one); the older archives are left as they
    are, the chain's as the change log's."""
    app = one_language_app
    app.config.update(PAGE_SIZE=2, FEED_SIZE=2)
    out = tmp_path / "out"
    export(app, out)
    before = json.loads((out / "zh-hans/changes.json").read_text(encoding="utf-8"))["archives"]
    kept = {p: p.read_bytes() for p in (out / "zh-hans/changes/page").rglob("*")
            if p.is_file() and _archive_number("/page/" + p.relative_to(out / "zh-hans/changes/page").as_posix()) < before}
    with app.app_context():
        chain_before = db.session.query(Revision).count() // 2 - 1  # `archives.archive_count`
    kept_chain = {p: p.read_bytes() for p in (out / "zh-hans/changes/revisions/page").rglob("*")
                  if p.is_file() and int(p.relative_to(out / "zh-hans/changes/revisions/page").parts[0]) < chain_before}
    edit_csv(city_copy / POWERS, publish)
    with app.app_context():
        assert load_directory(db.session, city_copy).ok
    written: list[str] = []
    assert export(app, out, changed=True, progress=written.append).incremental
    export(app, tmp_path / "full")
    assert differences(out, tmp_path / "full") == []
    after = json.loads((out / "zh-hans/changes.json").read_text(encoding="utf-8"))["archives"]
    assert after > before > 2
    logs = [u for u in written if "/zh-hans/changes/page/" in u]
    feeds = [u for u in written if "/zh-hans/feeds/changes/page/" in u]
    assert {_archive_number(u) for u in logs} == set(range(before, after + 1))
    assert {_archive_number(u) for u in feeds} and min(_archive_number(u) for u in feeds) >= before - 1
    assert kept and all(path.read_bytes() == data for path, data in kept.items())  # never rewritten
    with app.app_context():
        chain_after = db.session.query(Revision).count() // 2 - 1
    chain = {_archive_number(u) for u in written if "/zh-hans/changes/revisions/page/" in u}
    assert chain == (set(range(chain_before, chain_after + 1)) if chain_after > chain_before else set())
    assert kept_chain and all(path.read_bytes() == data for path, data in kept_chain.items())


def test_a_new_item_changes_only_the_search_shards_of_its_terms(one_language_app, city_copy, tmp_path, monkeypatch):
    """Documents keep their ids whatever is added around them: a new item's terms land in a few
    shards, and the others keep their bytes (and are not written again)."""
    monkeypatch.setattr(staticsearch, "POSTINGS_PER_SHARD", 20)
    app = one_language_app
    with app.app_context():
        staticsearch.build(db.session, tmp_path)
    folder = tmp_path / staticsearch.FOLDER
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    edit_csv(city_copy / POWERS, add_item)
    with app.app_context():
        assert load_directory(db.session, city_copy).ok
        staticsearch.build(db.session, tmp_path)
        added = next(r for r in records(db.session) if r.doc.code == ADDED)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    shards = json.loads(after["manifest.json"][0])["shards"]
    assert shards == json.loads(before["manifest.json"][0])["shards"] >= 16
    width = len(str(shards - 1))
    touched = {f"terms-{staticsearch.shard_of(t, shards):0{width}d}.json" for field in added.fields for t in field}
    changed = {name for name in after if before.get(name) != after[name]}
    assert {name for name in changed if name.startswith("terms-")} == touched
    assert len(touched) < shards  # the others are left as they were, bytes and time
    assert changed - touched <= {"manifest.json", "lengths.json"} | {n for n in after if n.startswith("hits-")}
    assert sum(n.startswith("hits-") for n in changed) == 1  # the new item's chunk


def test_after_a_purge_everything_is_written_again(one_language_app, tmp_path):
    """A purge scrubs published events in place, in archive pages an incremental run would keep:
    the next run writes everything, and nothing of what was purged stays."""
    app = one_language_app
    app.config.update(PAGE_SIZE=2, FEED_SIZE=2)
    out = tmp_path / "out"
    export(app, out)
    with app.app_context():
        revision = db.session.scalar(select(Revision).where(Revision.kind == "complaints").order_by(Revision.id))
        purge.purge(db.session, "boss01", revision, "来电人要求删除")
    again = export(app, out, changed=True)
    assert not again.incremental
    export(app, tmp_path / "full")
    assert differences(out, tmp_path / "full") == []


def test_after_a_privacy_confirmation_everything_is_written_again(one_language_app, tmp_path):
    """The office's confirmation lets a withheld item through with no new revision: the next run
    writes everything, as a full export would show it."""
    app = one_language_app
    out = tmp_path / "out"
    export(app, out)
    with app.app_context():
        db.session.add(PrivacyConfirmation(kind="complaints", code="2024-XN-0001", fingerprint="0" * 64,
                                           category="mobile", field="summary", confirmed_by="mzclerk",
                                           office_confirmed_by="boss01", office_confirmed_at=dt.datetime.now(dt.UTC)))
        db.session.commit()
    assert not export(app, out, changed=True).incremental
    assert export(app, out, changed=True).incremental


def test_one_departments_appraisal_rewrites_the_scorecards_it_ranks_against(one_language_app, tmp_path, city_copy):
    # A scorecard ranks its department among the others ("of" how many): when one department's
    # appraisal leaves 2024's ranking, every other department's page and ranking chart change.
    app = one_language_app
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    export(app, incremental)
    appraisals = city_copy / "disclosures/99010001FG/appraisals.yaml"
    appraisals.write_text(appraisals.read_text(encoding="utf-8").replace("考评年度: '2024'", "考评年度: '2023'"),
                          encoding="utf-8")
    with app.app_context():
        assert load_directory(db.session, city_copy).ok
    written: list[str] = []
    assert export(app, incremental, changed=True, progress=written.append).incremental
    export(app, full)
    assert differences(incremental, full) == [], "\n".join(differences(incremental, full))
    assert any("/departments/99010002MZ/" in url for url in written)


SERVICES = "disclosures/99010001FG/services.yaml"


def test_a_service_moved_to_another_power_rewrites_both_powers_pages(one_language_app, tmp_path, city_copy):
    """A power's page shows the services that carry it out: a service that names another power now
    leaves the first power's page and joins the second's, both rewritten; the same department's
    other power, which shows no service, is left as it was."""
    app = one_language_app
    out = tmp_path / "out"
    path = city_copy / SERVICES
    text = path.read_text(encoding="utf-8")
    written = written_after(app, out, city_copy, lambda: path.write_text(
        text.replace("关联权力事项编码: 99010001FG-XK-0001", "关联权力事项编码: 99010001FG-CF-0001", 1), encoding="utf-8"))
    export(app, tmp_path / "full")
    assert differences(out, tmp_path / "full") == []
    items = {url.partition("/zh-hans/")[2] for url in written if "/zh-hans/powers/9901" in url}
    assert {"powers/99010001FG-XK-0001/", "powers/99010001FG-CF-0001/"} <= items
    assert "powers/99010001FG-JC-0001/" not in items
    page = (out / "zh-hans/powers/99010001FG-CF-0001/index.html").read_text(encoding="utf-8")
    assert "99010001FG-FW-0001" in page


def rename_unrelated_power(headers, rows):
    rows[1]["事项名称"] += "(修订)"  # 99010001FG-CF-0001: no service carries it out


def test_a_power_no_service_shows_leaves_the_services_pages_alone(one_language_app, tmp_path, city_copy):
    """Which item pages a change rewrites is decided by what they show: the department's services
    show other powers, so a rename of this one leaves their pages (and the departments' index) as
    they are."""
    app = one_language_app
    out = tmp_path / "out"
    written = written_after(app, out, city_copy, lambda: edit_csv(city_copy / POWERS, rename_unrelated_power))
    export(app, tmp_path / "full")
    assert differences(out, tmp_path / "full") == []
    assert not [url for url in written if "/services/9901" in url or url.endswith("/departments/")]
    assert "对违反价格法规定行为的处罚(修订)" in (out / "zh-hans/powers/99010001FG-CF-0001/index.html").read_text()
    # The first power by code is the API page's example of a search: the page is written again.
    assert [url for url in written if url.endswith("/zh-hans/api/")]
    example = urlencode({"q": "对违反价格法规定行为的处罚(修订)"})
    assert example in (out / "zh-hans/api/index.html").read_text(encoding="utf-8")


_SEGMENT = st.text(alphabet="ab.%-_中", max_size=4)
_PATH = st.lists(_SEGMENT, max_size=5).map(lambda parts: "/" + "/".join(parts))


@settings(max_examples=500, deadline=None)
@given(_PATH, _PATH)
def test_a_link_made_relative_is_where_posixpath_puts_it(url, here):
    """Links are made relative without posixpath's normalising (a page has a hundred of them): the
    same answer for any two paths, "." and ".." segments and empty ones included."""
    base = here if here.endswith("/") else posixpath.dirname(here) + "/"
    if not here.endswith("/") and file_path(here).endswith("/index.html"):
        base = here + "/"  # the page is written as here/index.html
    assert relative(url, here) == posixpath.relpath("/" + file_path(url), base)
