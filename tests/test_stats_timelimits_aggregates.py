"""The time-limit figures counted by the database (distinct compressions, the slowest by ORDER BY …
LIMIT) are exactly those read from every live commitment's row: on the fixture city, and on
generated commitments (ties, no limit, negative and above-100 % ratios, withdrawn rows)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from portal.catalog import figures
from portal.extensions import db
from portal.models import Commitment, Department
from portal.publish import memo
from portal.publish.content import load_directory
from portal.stats import timelimits
from portal.stats.timelimits import BANDS, SLOWEST, band_label, band_of
from tests import databases
from tests.conftest import FIXTURE_CITY, make_app


# What the figures were computed by before: every live row read, grouped and sorted in Python.
def _old_rows(session, department_code):
    query = (select(Commitment.code, Commitment.title, Commitment.statutory_workdays,
                    Commitment.committed_workdays, Commitment.compression,
                    Department.code.label("department"))
             .join(Department, Commitment.department_id == Department.id)
             .where(Commitment.withdrawn_at.is_(None)))
    if department_code is not None:
        query = query.where(Department.code == department_code)
    return list(session.execute(query))


def _old_slowest(rows):
    return sorted((r for r in rows if r.committed_workdays is not None),
                  key=lambda r: (-r.committed_workdays, r.code))[:SLOWEST]


def _old_written(session, codes):
    return {code: record for code, record in session.execute(
        select(Commitment.code, Commitment.record)
        .where(Commitment.code.in_(codes), Commitment.withdrawn_at.is_(None)))}


def _old_figures(rows, written):
    compared = [r for r in rows if r.compression is not None]
    bands = [0] * BANDS
    for row in compared:
        bands[band_of(row.compression)] += 1
    return {
        "count": len(rows),
        "compared": len(compared),
        "average_compression": (math.fsum(r.compression for r in compared) / len(compared)
                                if compared else None),
        "compression_bands": [{"label": band_label(i), "count": n} for i, n in enumerate(bands)],
        "slowest": [{"code": r.code, "title": r.title,
                     "statutory_days": written[r.code].get("statutory_days"),
                     "committed_days": written[r.code].get("committed_days"),
                     "committed_workdays": r.committed_workdays, "compression": r.compression}
                    for r in _old_slowest(rows)],
    }


def old_time_limits(session, department_code=None):
    """The figures as the whole rows gave them."""
    rows = _old_rows(session, department_code)
    return _old_figures(rows, _old_written(session, [r.code for r in _old_slowest(rows)]))


def old_by_department(session):
    """Every department's figures (and the city's under None) as the whole rows gave them."""
    rows = _old_rows(session, None)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.department, []).append(row)
    written = _old_written(session, [r.code for mine in [rows, *groups.values()] for r in _old_slowest(mine)])
    return {None: _old_figures(rows, written),
            **{code: _old_figures(mine, written) for code, mine in groups.items()}}


def _same_as_before(session):
    codes = list(session.scalars(select(Department.code)))
    for code in [None, *codes, "NO-SUCH-DEPARTMENT"]:
        assert timelimits.time_limits.uncached(session, code) == old_time_limits(session, code), code
    # The comparison's rows: each department's count and average, as its own figures give them.
    assert timelimits.headlines_by_department.uncached(session) == {
        code: {"count": found["count"], "average_compression": found["average_compression"]}
        for code, found in old_by_department(session).items() if code is not None}
    # The home page's key figure is the statistics page's exact average (SQL AVG's last digits
    # followed whichever index the planner walked).
    average = old_time_limits(session)["average_compression"]
    assert figures._key_figures(session).average_compression == average


def test_fixture_city_figures_unchanged(city_app):
    with city_app.app_context():
        _same_as_before(db.session)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """An app with the fixture city loaded, whose commitments each example replaces (never committed)."""
    folder = tmp_path_factory.mktemp("timelimits")
    app = make_app(folder)
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    yield app
    databases.release(folder)


# Ratios as the door computes them (1 − committed/statutory), and odd ones: negative, above 1, ties.
_ratio = st.one_of(st.none(),
                   st.builds(lambda c, s: 1 - c / s, st.integers(0, 40), st.integers(1, 60)),
                   st.floats(-2, 2, allow_nan=False, allow_infinity=False))
_days = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 5.0, 20.0, 36.0]), st.floats(0, 400, allow_nan=False))
_commitment = st.tuples(st.integers(0, 2), _ratio, _days, st.booleans(),
                        st.text("Aa-_0", min_size=1, max_size=4), st.integers(0, 3))


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_commitment, max_size=40, unique_by=lambda c: c[4]))
def test_generated_figures_unchanged(loaded, commitments):
    with loaded.app_context():
        session = db.session
        try:
            template = session.scalars(select(Commitment)).first()
            departments = list(session.scalars(select(Department.id).order_by(Department.id)))
            session.execute(delete(Commitment))
            now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
            for department, ratio, days, withdrawn, code, written in commitments:
                session.add(Commitment(
                    code=code, title=f"服务{code}", department_id=departments[department],
                    revision_id=template.revision_id, published_at=now, updated_at=now,
                    withdrawn_at=now if withdrawn else None, compression=ratio, committed_workdays=days,
                    statutory_workdays=None,
                    record={"statutory_days": written, "committed_days": str(days)} if written else {}))
            session.flush()
            memo.clear(loaded)  # the same revision, other rows: nothing kept may answer
            _same_as_before(session)
        finally:
            session.rollback()
