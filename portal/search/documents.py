"""What the search index holds for each live item: searchable texts, codes and facet values.

A document is built from an item's published record, read straight from the
declaration in `portal.schemas`: every text, vocabulary and table column of the
record is searchable, as are its codes and its department's names. Every item
passes the privacy guard first (`portal.privacy.guard`, the check every public
exit runs): one it would withhold from its page is left out of the index and
logged, so nothing the guard refuses can be found, or shown in a snippet,
through search.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..models import MODELS, ChangeEvent, Department
from ..privacy import guard
from ..schemas import KINDS
from ..schemas.codes import parts
from ..schemas.fields import Choice, Field, LongText, Table
from ..schemas.fields import Department as DepartmentField

# The facets a search can be narrowed by, in the order the page shows them.
FACETS = ("kind", "department", "power_type", "year")

# Text-bearing field types (dates, numbers and yes/no are not searched as text).
_TEXT_TYPES = (Field, LongText, Choice)

# Fields shown as the hit's title and code (and indexed as such), not repeated in its text.
_HEADLINE = {"code", "name", "sub_name", "power_code"}
# Fields that rank with the title: what a service issues (营业执照 finds 企业设立登记 first).
RANKED_WITH_TITLE = {"result_name"}
# Separates a stored text's field label from its value (one labelled text per line).
LABEL_BREAK = "\x1f"


@dataclass
class Document:
    """One item as the search engine sees it."""

    kind: str
    code: str
    title: str
    department: str  # the department's code
    texts: list[str] = field(default_factory=list)  # searchable text, title first
    labels: list[str] = field(default_factory=list)  # each text's field label (texts[1:] in order)
    headline: list[str] = field(default_factory=list)  # texts that rank with the title
    codes: list[str] = field(default_factory=list)  # exact/prefix-matchable codes
    power_type: str = ""
    year: str = ""

    @property
    def key(self) -> str:
        """The document's identity in the index."""
        return f"{self.kind}:{self.code}"

    def facet(self, name: str) -> str:
        """The document's value for one of FACETS ('' when it has none)."""
        return {"kind": self.kind, "department": self.department,
                "power_type": self.power_type, "year": self.year}[name]


def _texts(fields, record: dict, top: bool = True) -> Iterator[tuple[Field, str]]:
    """Each searchable value of a record with the field it is in (a table's rows: its columns)."""
    for f in fields:
        if top and f.name in _HEADLINE:
            continue
        value = record.get(f.name)
        if value in (None, "", []):
            continue
        if isinstance(f, Table):
            for row in value:
                yield from _texts(f.columns, row, top=False)
        elif isinstance(value, list):  # several values in one cell
            yield f, " ".join(map(str, value))
        elif isinstance(f, _TEXT_TYPES) and not isinstance(f, DepartmentField):
            yield f, str(value)


def build(kind: str, code: str, title: str, record: dict, department: Department) -> Document | None:
    """The search document of one live item; None when the privacy guard withholds the item.

    Facet values come from the declaration: a `year` (declared or computed) and a
    `power_type`, where the kind has them; the codes of related items the record
    names (a service's power item) match like the item's own.
    """
    if not guard.allowed(kind, code, *guard.item_texts(kind, title, record), where="search index",
                         contacts=guard.item_contacts(kind, record)):
        return None
    declared = KINDS[kind]
    labelled = [(f.label, value) for f, value in _texts(declared.fields, record)]
    labelled.append(("部门", department.name))
    if department.name_en:
        labelled.append(("部门", department.name_en))
    texts = [title, *(value for _label, value in labelled)]
    headline = [str(record[name]) for name in RANKED_WITH_TITLE if record.get(name)]
    codes = [code, department.code]
    codes += [record[r.ours] for r in declared.related if r.ours != "code" and record.get(r.ours)]
    # A national code's parts find it too: its 基本编码 across regions, its department's credit code.
    named = parts(code)
    codes += list(dict.fromkeys(named.values()))
    if "序号" in named:  # a city code's tail, 类型码-序号 (FW-0001): printed guides cite items by it
        codes.append(f"{named['类型码']}-{named['序号']}")
    values = {**record, **declared.derive(record)}
    return Document(
        kind=kind,
        code=code,
        title=title,
        department=department.code,
        texts=texts,
        labels=[label for label, _value in labelled],
        headline=headline,
        codes=codes,
        power_type=values.get("power_type") or "",
        year=str(values.get("year") or ""),
    )


def live_documents(session: Session, kinds=None) -> Iterator[Document]:
    """Every live item of every kind (or of `kinds`) as a document, kind by kind in code order."""
    departments = {d.id: d for d in session.scalars(select(Department))}
    for kind in kinds or MODELS:
        model = MODELS[kind]
        rows = session.execute(
            select(model.code, model.title, model.record, model.department_id)
            .where(model.withdrawn_at.is_(None))
            .order_by(model.code)
        )
        for code, title, record, department_id in rows:
            document = build(kind, code, title, record, departments[department_id])
            if document is not None:
                yield document


def count_live(session: Session) -> int:
    """How many live items there are (`live_documents` yields as many, less any withheld)."""
    return sum(
        session.scalar(select(func.count()).select_from(m).where(m.withdrawn_at.is_(None)))
        for m in MODELS.values()
    )


def changes_since(session: Session, since: int, head: int) -> tuple[list[Document], list[str]]:
    """What the revisions after `since` up to `head` changed: documents to (re)index, keys to remove.

    Read from the change log, so that any number of revisions — one publish, or all
    those a crashed or another app process missed — are caught up the same way:
    each item an event names is indexed as it is now (live and allowed) or removed
    (withdrawn, purged, withheld). A department's own event (its name changed)
    re-indexes all its items, whose documents carry its names.
    """
    events = session.execute(
        select(ChangeEvent.kind, ChangeEvent.code, ChangeEvent.department_id)
        .where(ChangeEvent.revision_id > since, ChangeEvent.revision_id <= head)
        .distinct()
    ).all()
    departments = {d.id: d for d in session.scalars(select(Department))}
    renamed = {department_id for kind, _code, department_id in events if kind not in MODELS}
    named: dict[str, set[str]] = {}
    for kind, code, _department_id in events:
        if kind in MODELS:
            named.setdefault(kind, set()).add(code)
    upserts, removals = [], []
    for kind, model in MODELS.items():
        codes = named.get(kind, set())
        conditions = [model.code.in_(list(codes))] if codes else []
        if renamed:
            conditions.append(model.department_id.in_(list(renamed)))
        if not conditions:
            continue
        rows = session.execute(
            select(model.code, model.title, model.record, model.withdrawn_at, model.department_id)
            .where(or_(*conditions)).order_by(model.code)
        )
        seen = set()
        for code, title, record, withdrawn_at, department_id in rows:
            seen.add(code)
            document = None if withdrawn_at else build(kind, code, title, record, departments[department_id])
            if document is not None:
                upserts.append(document)
            else:  # withdrawn, purged, or withheld by the privacy guard
                removals.append(f"{kind}:{code}")
        removals += [f"{kind}:{code}" for code in codes - seen]
    return upserts, removals
