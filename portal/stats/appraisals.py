"""Appraisal rankings year by year: scores, grades, indicators, the bottom three, and the change
against the previous year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import AppraisalResult, Department
from ..privacy import guard
from ..schemas.departments import CATEGORIES
from .cache import per_revision

# "评议处于末三位的单位给予了谈话警示": the last three of a ranking are named, where a
# ranking has more than three (in a group of three, everyone would be "bottom three").
BOTTOM = 3
# Scores are published to one decimal (91.5); every page, chart and CSV shows them so.
SCORE_DECIMALS = 1


def department_ref(department: Department) -> dict:
    """A department as the figures name it: code, names and category (plain values)."""
    return {"code": department.code, "name": department.name, "name_en": department.name_en,
            "category": department.category}


def score(value) -> float | None:
    """A score at the published precision."""
    return None if value is None else round(float(value), SCORE_DECIMALS)


def category_order(category: str) -> tuple:
    """Where a category's ranking comes: in the declared order (市直部门 first), then by name."""
    return (CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES), category)


@dataclass(frozen=True)
class _Result:
    """A published result as the ranking reads it: what the privacy guard reads of an item (its
    code, title, record, tombstone reason and kept verdict) and its department as the figures name
    it, read as plain columns rather than as models."""

    code: str
    title: str
    record: dict
    withdrawn_reason: str | None
    screened: str | None
    rank: int
    total_score: object
    grade: str
    department: dict
    kind: str = "appraisals"


_RESULT_COLUMNS = (AppraisalResult.code, AppraisalResult.title, AppraisalResult.record,
                   AppraisalResult.withdrawn_reason, AppraisalResult.screened, AppraisalResult.rank,
                   AppraisalResult.total_score, AppraisalResult.grade,
                   Department.code, Department.name, Department.name_en, Department.category)


def _results(session: Session, year: int) -> list[_Result]:
    found = [_Result(*row[:8], department={"code": row[8], "name": row[9], "name_en": row[10],
                                           "category": row[11]})
             for row in session.execute(
                 select(*_RESULT_COLUMNS)
                 .join(Department, AppraisalResult.department_id == Department.id)
                 .where(AppraisalResult.year == year, AppraisalResult.withdrawn_at.is_(None))
                 .order_by(AppraisalResult.rank, AppraisalResult.code))]
    # A result the privacy guard withholds leaves the ranking; the rest of the year is still shown.
    return guard.public_items(found)


@per_revision
def years(session: Session) -> list[int]:
    """The years with published appraisal results, newest first."""
    return list(session.scalars(
        select(AppraisalResult.year).where(AppraisalResult.withdrawn_at.is_(None))
        .distinct().order_by(AppraisalResult.year.desc())
    ))


def _row(result: _Result) -> dict:
    return {
        "department": dict(result.department),
        "rank": result.rank,
        "score": score(result.total_score),
        "grade": result.grade,
        "indicators": [{"name": i["name"], "weight": score(i["weight"]), "score": score(i["score"])}
                       for i in result.record.get("indicators") or []],
        "remarks": result.record.get("remarks") or "",
    }


@per_revision
def _by_category(session: Session, year: int) -> dict[str, list[dict]]:
    """A year's published results as rows, by category: read (and guarded) once per publish, for
    the year's own ranking and for the next year's changes. Callers copy the rows they change."""
    groups: dict[str, list[dict]] = {}
    for result in _results(session, year):
        groups.setdefault(result.department["category"], []).append(_row(result))
    return {category: groups[category] for category in sorted(groups, key=category_order)}


@per_revision
def ranking(session: Session, year: int) -> dict[str, list[dict]] | None:
    """A year's rankings, one per department category (市直部门, 乡镇街道 …), in rank order.

    Each row: department, rank, score, grade, indicators, remarks; `bottom_three`; and
    `previous` (last year's rank and score in the same category, or None), `rank_change`
    (places moved up: +3 is three places higher) and `score_change`. None if the year has
    no published results.
    """
    groups = {category: [dict(row) for row in rows] for category, rows in _by_category(session, year).items()}
    if not groups:
        return None
    before = _by_category(session, year - 1)
    for category, rows in groups.items():
        previous = {row["department"]["code"]: row for row in before.get(category, [])}
        for position, row in enumerate(rows):
            row["bottom_three"] = len(rows) > BOTTOM and position >= len(rows) - BOTTOM
            last = previous.get(row["department"]["code"])
            row["previous"] = {"rank": last["rank"], "score": last["score"]} if last else None
            row["rank_change"] = last["rank"] - row["rank"] if last else None
            row["score_change"] = score(row["score"] - last["score"]) if last else None
    return groups


@per_revision
def history(session: Session, department_code: str) -> list[dict]:
    """A department's rank and score year by year (oldest first), with the size of its ranking."""
    rows = []
    for year in sorted(years(session)):
        for category, ranked in (ranking(session, year) or {}).items():
            for row in ranked:
                if row["department"]["code"] == department_code:
                    rows.append({"year": year, "category": category, "rank": row["rank"], "of": len(ranked),
                                 "score": row["score"], "grade": row["grade"],
                                 "bottom_three": row["bottom_three"],
                                 "rank_change": row["rank_change"], "score_change": row["score_change"]})
    return rows
