"""Load-or-404 helpers: each returns the thing asked for or raises NotFound."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import MODELS, AppraisalResult, Department
from ..publish import memo
from .listing import NotFound


def department(session: Session, code: str) -> Department:
    """The department with this code, or NotFound."""
    found = Department.by_code(session, code)
    if found is None:
        raise NotFound(code)
    return found


def item(session: Session, kind: str, code: str):
    """The item of `kind` with this code, live or withdrawn (its tombstone), or NotFound."""
    model = MODELS[kind]
    found = session.scalars(select(model).where(model.code == code)).first()
    if found is None:
        raise NotFound(code)
    return found


def appraisal_years(session: Session) -> list[int]:
    """The years with published appraisal results, newest first."""
    return list(
        session.scalars(
            select(AppraisalResult.year)
            .where(AppraisalResult.withdrawn_at.is_(None))
            .distinct()
            .order_by(AppraisalResult.year.desc())
        )
    )


def departments(session: Session) -> list[Department]:
    """Every department, 市直部门 first, in code order."""
    return list(session.scalars(select(Department).order_by(Department.category, Department.code)))


def department_names(session: Session) -> list[dict]:
    """Every department's code, name and English name as plain values, in `departments`' order:
    read once per state of the database (the change log's and the datasets' pages list them all)."""
    return memo.per_revision(session, ("department names",), lambda: [
        {"code": d.code, "name": d.name, "name_en": d.name_en} for d in departments(session)])


def related_items(session: Session, kind: str, column: str, value: str) -> list:
    """The live items of `kind` whose `column` equals `value`, in code order."""
    model = MODELS[kind]
    return list(session.scalars(
        select(model).where(getattr(model, column) == value, model.withdrawn_at.is_(None)).order_by(model.code)
    ))
