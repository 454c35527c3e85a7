"""The complaint figures counted by the database (grouped by department, working days and finding;
by category, outcome and day received) are exactly those read from every live case's row and
record before: on the fixture city, and on generated cases (ties, even and odd counts, outcomes
outside the vocabulary or missing, withdrawn cases). The write path keeps each case's outcome, and
each item's `left_empty`, in their columns; the migration fills them for rows already published."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from portal import migrate, publish
from portal.extensions import db
from portal.models import MODELS, ComplaintCase, Department, gaps
from portal.publish import memo
from portal.publish.content import load_directory
from portal.schemas import POWERS
from portal.schemas.complaints import CATEGORIES, FINDINGS, LIMIT_WORKING_DAYS, OUTCOMES
from portal.stats import city, complaints
from tests import databases
from tests.conftest import FIXTURE_CITY, make_app


# What the figures were computed by before: every live case read, its outcome from its record.
def _old_cases(session, department_code):
    query = (select(ComplaintCase.received, ComplaintCase.category, ComplaintCase.finding,
                    ComplaintCase.record["outcome"].as_string(), ComplaintCase.working_days,
                    ComplaintCase.within_limit, ComplaintCase.handled_people, Department.code)
             .join(Department, ComplaintCase.department_id == Department.id)
             .where(ComplaintCase.withdrawn_at.is_(None)))
    if department_code is not None:
        query = query.where(Department.code == department_code)
    return list(session.execute(query))


def _old_counted(values, vocabulary):
    counts = Counter(values)
    # (Values outside the vocabulary and a missing one together failed to sort: now it comes last.)
    order = list(vocabulary) + sorted(set(counts) - set(vocabulary), key=lambda value: (value is None, value or ""))
    return [{"label": value, "count": counts[value]} for value in order if counts[value]]


def _old_months(cases):
    counts = Counter((c[0].year, c[0].month) for c in cases)
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    months = []
    while (year, month) <= last:
        months.append({"label": f"{year:04d}-{month:02d}", "count": counts[(year, month)]})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def old_figures(cases):
    """The figures as the whole rows gave them."""
    total = len(cases)
    substantiated = sum(1 for c in cases if c[2] in ("属实", "部分属实"))
    within = sum(1 for c in cases if c[5])
    return {
        "total": total,
        "substantiated": substantiated,
        "substantiated_share": substantiated / total if total else None,
        "within_limit": within,
        "within_limit_share": within / total if total else None,
        "limit_working_days": LIMIT_WORKING_DAYS,
        "median_days": statistics.median(c[4] for c in cases) if cases else None,
        "people_handled": sum(c[6] for c in cases),
        "by_month": _old_months(cases),
        "by_category": _old_counted((c[1] for c in cases), CATEGORIES),
        "by_finding": _old_counted((c[2] for c in cases), FINDINGS),
        "by_outcome": _old_counted((c[3] for c in cases), OUTCOMES),
        "by_department": [{"label": code, "count": n}
                          for code, n in sorted(Counter(c[7] for c in cases).items(),
                                                key=lambda pair: (-pair[1], pair[0]))],
    }


_HEADLINE = ("total", "substantiated", "substantiated_share", "within_limit", "within_limit_share",
             "limit_working_days", "median_days", "people_handled")


def _same_as_before(session):
    codes = list(session.scalars(select(Department.code)))
    for code in [None, *codes, "NO-SUCH-DEPARTMENT"]:
        assert complaints.complaint_figures.uncached(session, code) == old_figures(_old_cases(session, code)), code
    cases = _old_cases(session, None)
    mine: dict[str, list] = {}
    for case in cases:
        mine.setdefault(case[7], []).append(case)
    assert complaints.headlines_by_department.uncached(session) == {
        code: {key: old_figures(rows)[key] for key in _HEADLINE} for code, rows in mine.items()}
    assert complaints.by_month.uncached(session) == old_figures(cases)["by_month"]
    assert complaints.no_figures() == old_figures([])


def test_fixture_city_figures_unchanged(city_app):
    with city_app.app_context():
        _same_as_before(db.session)


def test_statistics_page_rows_as_each_department_alone(city_app):
    """The comparison's rows (from the grouped reading) are what each department's own figures say."""
    with city_app.app_context():
        session = db.session
        for row in city.city_stats.uncached(session)["departments"]:
            own = old_figures(_old_cases(session, row["department"]["code"]))
            assert (row["complaints"], row["substantiated_share"], row["within_limit_share"],
                    row["median_days"]) == (own["total"], own["substantiated_share"],
                                            own["within_limit_share"], own["median_days"])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """An app with the fixture city loaded, whose complaints each example replaces (never committed)."""
    folder = tmp_path_factory.mktemp("complaints")
    app = make_app(folder)
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    yield app
    databases.release(folder)


# Outcomes as declared, one outside the vocabulary (an older declaration's), and none at all.
_outcome = st.one_of(st.sampled_from(OUTCOMES), st.just("旧的处理结果"), st.none())
_case = st.tuples(st.integers(0, 2), st.dates(dt.date(2023, 11, 1), dt.date(2025, 2, 28)),
                  st.integers(0, 25), st.sampled_from(FINDINGS), st.sampled_from(CATEGORIES), _outcome,
                  st.integers(0, 5), st.booleans())


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_case, max_size=30))
def test_generated_figures_unchanged(loaded, cases):
    with loaded.app_context():
        session = db.session
        try:
            template = session.scalars(select(ComplaintCase)).first()
            departments = list(session.scalars(select(Department.id).order_by(Department.id)))
            session.execute(delete(ComplaintCase))
            now = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
            for n, (department, received, days, finding, category, outcome, people, withdrawn) in enumerate(cases):
                record = {**template.record, "outcome": outcome} if outcome else \
                    {k: v for k, v in template.record.items() if k != "outcome"}
                session.add(ComplaintCase(
                    code=f"2024-XN-{n:04d}", title=category, department_id=departments[department],
                    revision_id=template.revision_id, published_at=now, updated_at=now,
                    withdrawn_at=now if withdrawn else None, year=received.year, received=received,
                    closed=received, channel="热线", category=category, finding=finding, handled_people=people,
                    working_days=days, within_limit=days <= LIMIT_WORKING_DAYS, record=record,
                    outcome=outcome))  # as the write path keeps it: the record's, or none
            session.flush()
            memo.clear(loaded)  # the same revision, other rows: nothing kept may answer
            _same_as_before(session)
        finally:
            session.rollback()


def _stored(session) -> dict:
    """Each item's kept columns by kind and code: its outcome (complaints) and what it leaves empty."""
    found = {}
    for kind, model in MODELS.items():
        outcome = model.outcome if model is ComplaintCase else model.code
        found[kind] = {code: (out, left) for code, out, left in
                       session.execute(select(model.code, outcome, model.left_empty))}
    return found


def _publish_a_power_without_basis(session) -> str:
    """Publish one more power of 99010001FG, its legal basis left unpublished, through the door."""
    owner = Department.by_code(session, "99010001FG")
    model = MODELS["powers"]
    current = [dict(i.record) for i in session.scalars(
        select(model).where(model.department_id == owner.id, model.withdrawn_at.is_(None)))]
    record = {f.name: f.example for f in POWERS.fields} | {"department": owner.code, "code": "99010001FG-XK-0999",
                                                          "basis": None}
    with publish.opened(session) as writer:
        writer.publish(owner, POWERS, current + [record], author="test", source="test")
    return record["code"]


def test_the_write_path_keeps_the_columns(tmp_path):
    app = make_app(tmp_path)
    try:
        with app.app_context():
            assert load_directory(db.session, FIXTURE_CITY).ok
            code = _publish_a_power_without_basis(db.session)
            for kind, model in MODELS.items():
                items = db.session.scalars(select(model)).all()
                assert items, kind
                for item in items:
                    assert item.left_empty == gaps.left_empty(kind, item.record), item.code
                    if model is ComplaintCase:
                        assert item.outcome == item.record["outcome"]
            assert db.session.scalar(select(MODELS["powers"].left_empty)
                                     .where(MODELS["powers"].code == code)) == "|basis|"
        # What a visitor sees: the department page names the gap.
        page = app.test_client().get("/zh-hans/departments/99010001FG.json").get_json()
        assert page["gaps"]["powers"] == {"未公布设定依据": 1}
    finally:
        databases.release(tmp_path)


def test_the_migration_fills_rows_published_before_it(tmp_path):
    app = make_app(tmp_path)
    try:
        with app.app_context():
            assert load_directory(db.session, FIXTURE_CITY).ok
            _publish_a_power_without_basis(db.session)
            written = _stored(db.session)
            db.session.commit()
            db.session.close()
            with migrate._migrating(db.engine) as connection:  # as an upgrade runs
                command.downgrade(migrate.config(connection), "0009")
            migrate.upgrade(db.engine)
            assert _stored(db.session) == written
            assert written["complaints"] and all(out for out, _left in written["complaints"].values())
            assert {left for _code, left in written["powers"].values()} == {"|", "|basis|"}
            assert {left for _code, left in written["services"].values()} == {"|"}
            assert {left for _code, left in written["commitments"].values()} == {None}
    finally:
        databases.release(tmp_path)
