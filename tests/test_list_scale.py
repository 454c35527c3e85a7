"""Lists, department pages and the home page at any size: a bounded number of queries per page,
list queries that walk an index, and kept figures that follow each publish."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import bindparam, create_engine, event, select, text

from portal import migrate, publish

from portal.catalog.listing import default_list_query
from portal.extensions import db
from portal.models import MODELS, Department, PowerItem
from portal.publish.content import load_directory
from portal.schemas import KINDS, POWERS
from portal.schemas.values import Several
from tests import databases
from tests.conftest import FIXTURE_CITY, make_app

# Whatever the size of the city, no page needs more statements than this.
MOST_QUERIES = 12

PAGES = [
    "/zh-hans/", "/zh-hant/", "/zh-hans/index.json", "/zh-hans/departments/",
    "/zh-hans/departments/99010001FG/", "/zh-hans/departments/99010001FG.json",
    *[f"/zh-hans/{kind}/" for kind in KINDS], *[f"/zh-hans/{kind}.json" for kind in KINDS],
    "/zh-hans/powers/by/power_type/行政许可/", "/zh-hans/powers.json?department=99010001FG&status=在用",
    "/zh-hans/complaints/by/year/2024/", "/zh-hans/powers/99010001FG-XK-0001/",
    "/zh-hans/search?q=许可", "/zh-hans/changes/", "/zh-hans/feeds/changes.atom", "/zh-hans/feeds/powers.atom",
]


@pytest.fixture(scope="module")
def counted(city_app):
    """A client, and a function telling how many SQL statements a request for a URL ran."""
    client = city_app.test_client()
    with city_app.app_context():
        engine = db.engine
    statements = [0]

    def count(*_args, **_kwargs):
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    # Following the revision log every CATCH_UP_SECONDS is a worker's periodic cost, not a page's:
    # left on, it landed in whichever request came 2 s after the last one, as a loaded run's timing had it.
    every = city_app.config["CATCH_UP_SECONDS"]
    city_app.config["CATCH_UP_SECONDS"] = math.inf

    def queries(url: str) -> int:
        statements[0] = 0
        response = client.get(url)
        assert response.status_code == 200, url
        return statements[0]

    yield queries
    city_app.config["CATCH_UP_SECONDS"] = every
    event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize("url", PAGES)
def test_each_page_runs_a_bounded_number_of_queries(counted, url):
    counted(url)  # as a worker that has served a while: projections caught up, figures kept
    assert counted(url) <= MOST_QUERIES


# PostgreSQL's plan nodes, in SQLite's words: an index read, a sort step, a whole-table scan.
_POSTGRES_WORDS = {"Index": "USING INDEX", "Sort": "USE TEMP B-TREE FOR ORDER BY", "Seq Scan": "SCAN"}


def _plan(app, query) -> str:
    """The query's plan, in SQLite's words (USING … INDEX, SCAN, USE TEMP B-TREE).

    PostgreSQL's planner picks by statistics and scans the fixture city's tiny tables;
    with sequential scans priced out, its plan says which index serves the query and
    whether it must still sort (a Sort or Incremental Sort node), and is put in the
    same words, one line per plan node.
    """
    with app.app_context():
        compiled = query.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL enable_seqscan = off"))
            lines = [row[0] for row in db.session.execute(text(f"EXPLAIN {compiled}"))]
            return "\n".join(f"{words} ({line.strip()})" for line in lines
                              for node, words in _POSTGRES_WORDS.items() if node in line.split("(cost")[0])
        rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return "\n".join(row[-1] for row in rows)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_default_list_query_walks_an_index(city_app, kind):
    # Deep in the list: no whole-table sort before skipping to the page, on either database.
    plan = _plan(city_app, default_list_query(kind, page=500))
    assert "USING" in plan and "INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    # A walk along an index (SQLite: SCAN … USING INDEX), never along the table itself.
    assert not [line for line in plan.splitlines() if line.startswith("SCAN") and "INDEX" not in line], plan


# A several-valued facet (服务对象) is matched inside the stored list of values, which no
# B-tree index can serve; its counts are kept per revision instead (test above).
@pytest.mark.parametrize("kind, facet", [(k.name, f) for k in KINDS.values() for f in k.facets
                                         if not isinstance(k.field(f), Several)])
def test_each_facet_filtered_list_query_walks_an_index(city_app, kind, facet):
    value = "2024" if facet == "year" else "x"
    plan = _plan(city_app, default_list_query(kind, facet, value, page=3))
    assert "USING" in plan and "INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
    assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), plan


def _index_definitions(url: str) -> dict[str, str]:
    """Each index of the kinds' tables as the database states it (its columns and its WHERE)."""
    engine = create_engine(url)
    tables = tuple(model.__tablename__ for model in MODELS.values())
    query = ("SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN :tables"
             if engine.dialect.name == "postgresql" else
             "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN :tables"
             " AND sql IS NOT NULL")
    try:
        with engine.connect() as connection:
            rows = connection.execute(text(query).bindparams(bindparam("tables", expanding=True)),
                                      {"tables": tables})
            return {name: " ".join(definition.replace('"', "").split()) for name, definition in rows}
    finally:
        engine.dispose()


def test_the_migrations_make_the_partial_indexes_the_registry_declares(tmp_path):
    # Alembic's comparison of schemas does not look at an index's WHERE; the database's own words do.
    for folder in ("migrated", "declared"):
        (tmp_path / folder).mkdir()
    migrated, declared = databases.database_url(tmp_path / "migrated", empty=True), \
        databases.database_url(tmp_path / "declared", empty=True)
    engine = create_engine(migrated)
    migrate.upgrade(engine)
    engine.dispose()
    engine = create_engine(declared)
    migrate.create_at_head(engine)
    engine.dispose()
    made = _index_definitions(migrated)
    assert made == _index_definitions(declared)
    assert made["ix_power_items_live_code"].replace("(", "").replace(")", "").endswith("WHERE withdrawn_at IS NULL")
    assert "IS NOT NULL" in made["ix_complaint_cases_withdrawn_at"]


def test_kept_figures_follow_a_publish(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    client = app.test_client()
    before = client.get("/zh-hans/powers.json").get_json()
    department = client.get("/zh-hans/departments/99010001FG.json").get_json()
    home = client.get("/zh-hans/index.json").get_json()
    with app.test_request_context():
        owner = Department.by_code(db.session, "99010001FG")
        record = {f.name: f.example for f in POWERS.fields} | {"department": owner.code,
                                                                "code": "99010001FG-XK-0999"}
        live = client.get("/zh-hans/powers.json?department=99010001FG").get_json()["total"]
        with publish.opened(db.session) as writer:
            current = [dict(i.record) for i in db.session.scalars(
                select(PowerItem).where(PowerItem.department_id == owner.id, PowerItem.withdrawn_at.is_(None)))]
            writer.publish(owner, POWERS, current + [record], author="test", source="test")
    after = client.get("/zh-hans/powers.json").get_json()
    assert after["total"] == before["total"] + 1
    assert client.get("/zh-hans/powers.json?department=99010001FG").get_json()["total"] == live + 1
    assert client.get("/zh-hans/departments/99010001FG.json").get_json()["totals"]["powers"] == \
        department["totals"]["powers"] + 1
    assert client.get("/zh-hans/index.json").get_json()["figures"]["counts"]["powers"] == \
        home["figures"]["counts"]["powers"] + 1



def test_flowcharts_are_kept_compressed_and_survive_the_migration_both_ways(tmp_path):
    from alembic import command

    from portal import migrate
    from portal.models import Flowchart, ServiceGuide

    app = make_app(tmp_path)
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        db.session.execute(Flowchart.__table__.delete())
        service = db.session.scalars(select(ServiceGuide)).first()
        chart = Flowchart(service_id=service.id, locale="zh_Hans", drawn_from="0" * 64)
        chart.svg = "<svg>一步 然后 两步</svg>" * 50
        db.session.add(chart)
        db.session.flush()
        assert len(chart.svgz) < len(chart.svg.encode()) / 5
        db.session.commit()
        with migrate._migrating(db.engine) as connection:  # as an upgrade runs: foreign keys checked at the end
            command.downgrade(migrate.config(connection), "0004")
            assert connection.execute(text("SELECT svg FROM flowcharts")).scalar() == "<svg>一步 然后 两步</svg>" * 50
        migrate.upgrade(db.engine)
        db.session.expire_all()
        assert db.session.scalars(select(Flowchart)).one().svg == "<svg>一步 然后 两步</svg>" * 50


def test_items_keep_the_guards_verdict_and_a_changed_text_is_screened_again(tmp_path):
    from portal.models import ComplaintCase

    app = make_app(tmp_path)
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        cases = db.session.scalars(select(ComplaintCase)).all()
        assert cases and all(len(case.screened) == 64 for case in cases)
        case = cases[0]
        # Personal data written behind the door's back: the kept verdict no longer matches the text.
        case.record = {**case.record, "summary": case.record["summary"] + "联系电话 13812345678。"}
        db.session.commit()
        code = case.code
    client = app.test_client()
    assert client.get(f"/zh-hans/complaints/{code}/").status_code == 451
    assert code not in [i["code"] for i in client.get("/zh-hans/complaints.json").get_json()["items"]]


# SQLite's planner has no statistics; PostgreSQL's picks by them, and reads a tiny city's tables whole.
@pytest.mark.skipif(databases.POSTGRES, reason="SQLite's plan: an index covers a query only if it holds every column")
@pytest.mark.parametrize("url, table", [
    ("/zh-hans/powers/by/power_type/行政许可/", "power_items"),
    ("/zh-hans/services/by/service_object/法人/", "service_guides"),
    ("/zh-hans/complaints/by/year/2024/", "complaint_cases"),
    ("/zh-hans/appraisals/by/grade/优秀/", "appraisal_results"),
])
def test_a_filtered_lists_counts_read_an_index_alone(city_app, url, table):
    # Under one filter, the list counts every other facet's values (and a several-valued facet is
    # matched with LIKE, which no index seeks): each count under the filter reads an index, never
    # the items' rows. (The filtered facet's own counts, under no filter, walk its index in order.)
    with city_app.app_context():
        engine = db.engine
    counts = []

    def keep(_connection, _cursor, statement, parameters, _context, _many):
        if "count(" in statement.lower() and f"FROM {table}" in statement and parameters:
            counts.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        publish.memo.clear(city_app)  # as after a publish: nothing counted yet
        assert city_app.test_client().get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert len(counts) >= 2, counts
    with engine.connect() as connection:
        for statement, parameters in counts:
            plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)]
            reads = [line for line in plan if f" {table} " in f"{line} "]
            assert reads and all("COVERING INDEX" in line for line in reads), (statement, plan)
