"""The department page's gaps and its scorecard's are counted once per publish, from one reading per
kind of what each item left empty when it was published, and are what the two separate readings of
the records gave before."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import case, event, func, or_, select, update

from portal.extensions import db
from portal.models import MODELS, Department, PowerItem, gaps as declared
from portal.publish import memo
from portal.schemas import KINDS
from portal.stats import transparency
from tests import databases


def _old_empty(model, field):
    value = model.record[field].as_string()
    return or_(value.is_(None), value.in_(("", "[]")))


# What the department page counted before, apart from the scorecard.
def old_department_gaps(session, kind, department):
    model = MODELS[kind]
    fields = [f for f in KINDS[kind].fields if getattr(f, "missing", None)]
    if not fields:
        return {}
    empty = session.execute(
        select(*(func.count(case((_old_empty(model, f.name), 1))) for f in fields))
        .where(model.department_id == department.id, model.withdrawn_at.is_(None))).one()
    gaps = dict.fromkeys((f.missing for f in fields), 0)
    for f, n in zip(fields, empty):
        gaps[f.missing] += n
    return {missing: n for missing, n in gaps.items() if n}


# What the scorecard counted before.
def old_gaps(session, department):
    checks = declared.checks()
    counted = {}
    for kind in dict.fromkeys(kind for kind, _field, _missing in checks):
        model, fields = MODELS[kind], [field for k, field, _missing in checks if k == kind]
        live, *empty = session.execute(
            select(func.count(), *(func.count(case((_old_empty(model, f), 1))) for f in fields))
            .where(model.department_id == department.id, model.withdrawn_at.is_(None))).one()
        counted.update({(kind, f): (n, live) for f, n in zip(fields, empty)})
    return [{"kind": kind, "missing": missing, "count": counted[kind, field][0],
             "of": counted[kind, field][1]} for kind, field, missing in checks]


def test_gaps_as_before(city_app):
    with city_app.app_context():
        session = db.session
        for department in session.scalars(select(Department)):
            assert transparency.gaps.uncached(session, department.code) == old_gaps(session, department)
            for kind in KINDS:
                assert (transparency.declared_gaps(session, department.code, kind)
                        == old_department_gaps(session, kind, department)), (department.code, kind)


def test_department_page_counts_the_gaps_once(city_app):
    client = city_app.test_client()
    with city_app.app_context():
        engine = db.engine
    readings = []

    def count(_conn, _cursor, statement, *_args):
        if "left_empty, count(*)" in statement:  # a count of the items leaving fields empty
            readings.append(statement)

    memo.clear(city_app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get("/zh-hans/departments/99010001FG.json")
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    gaps = response.get_json()["gaps"]
    assert set(gaps) == set(KINDS)
    # One statement per kind that has a named gap (powers' legal basis, guides' flow), not two.
    assert len(readings) == len({kind for kind, _field, _missing in declared.checks()})


_ABSENT = object()
# PostgreSQL stores no NUL character in a text; SQLite does (and its JSON functions end a text there).
_text = st.text(st.characters(exclude_characters="\0") if databases.POSTGRES else st.characters(), max_size=3)


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.sampled_from([_ABSENT, None, "", [], [""], "依据", ["甲"], 0, " ", "[]", {}]),
                 _text, st.lists(_text, max_size=2)))
def test_an_empty_field_is_read_as_before(city_app, value):
    with city_app.app_context():
        session = db.session
        try:
            item = session.scalars(select(PowerItem).where(PowerItem.withdrawn_at.is_(None))).first()
            record = {k: v for k, v in item.record.items() if k != "basis"}
            if value is not _ABSENT:
                record["basis"] = value
            session.execute(update(PowerItem).where(PowerItem.id == item.id).values(record=record))
            mine = PowerItem.id == item.id
            new = session.scalar(select(func.count()).where(mine, PowerItem.leaves_empty("basis")))
            old = session.scalar(select(func.count()).where(mine, _old_empty(PowerItem, "basis")))
            assert new == old
            # What the write path keeps says the same as the database's reading of the record.
            assert (declared.left_empty("powers", record) == "|basis|") == bool(old)
        finally:
            session.rollback()


_flow = st.sampled_from([_ABSENT, None, "", [], "[]", [{"step": "受理"}]])


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([_ABSENT, None, "", [], "[]", "依据", " ", 0]), st.booleans()),
                min_size=1, max_size=12),
       st.lists(st.tuples(_flow, st.booleans()), min_size=1, max_size=8))
def test_gaps_counted_from_what_items_left_empty_are_as_before(city_app, powers, guides):
    """Items whose records are rewritten with odd values, and their `left_empty` as the write path
    would keep it: a department's gaps are those the records give."""
    with city_app.app_context():
        session = db.session
        try:
            department = session.scalars(select(Department).where(Department.code == "99010001FG")).one()
            for (kind, field), values in ((("powers", "basis"), powers), (("services", "flow"), guides)):
                model = MODELS[kind]
                items = session.scalars(select(model).where(model.department_id == department.id)
                                        .order_by(model.id)).all()
                for item, (value, withdrawn) in zip(items, values):
                    record = {k: v for k, v in item.record.items() if k != field}
                    if value is not _ABSENT:
                        record[field] = value
                    session.execute(update(model).where(model.id == item.id).values(
                        record=record, left_empty=declared.left_empty(kind, record),
                        withdrawn_at=item.published_at if withdrawn else None))
            memo.clear(city_app)  # the same revision, other rows: nothing kept may answer
            assert transparency.gaps.uncached(session, department.code) == old_gaps(session, department)
            for kind in KINDS:
                assert (transparency.declared_gaps(session, department.code, kind)
                        == old_department_gaps(session, kind, department)), kind
        finally:
            session.rollback()
            memo.clear(city_app)
