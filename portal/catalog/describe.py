"""What a change event says, in the reader's language: a title, one sentence, key facts and
the field-by-field diff.

The change log, its revision pages and the feeds all word events here, from the
events themselves and, where a title needs more (an appraisal's score, a
complaint's outcome), from the record as its revision published it.

Two kinds of event are worded as what they mean to the public rather than as
"added": a department's appraisal result for a year appearing is the year's
result being *published*, and a complaint case appearing is a case *disposed*
(the kind lists disposed cases only). They stay ordinary "added" events in the
log — one source of truth — and only their wording differs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..i18n.display import department_name, lang, shown_title, term
from ..models import ChangeEvent
from ..privacy import guard
from ..publish import memo
from ..schemas import KINDS, declared
from ..schemas.fields import Boolean, Choice, Date, Decimal, Table
from ..schemas.limits import TimeLimit, said
from .revision_events import records_at

# Complaint cases are published to deter, but their free text (what was complained
# about, how it was put right) is where a complainant's name or phone number could
# slip in, and an earlier version may be exactly the one corrected to remove them.
# The change log and the feeds therefore say that such a field changed, never what
# it said; the case page shows the current text.

# The reason `portal.publish.apply` records when a department gives none; named here
# so that the catalogs translate it (other reasons are shown as the department wrote them).
_DEFAULT_REASON = _l("发布单位在新版清单中删除了该事项")

# What an added item of these kinds means to the public, and the fields its facts show.
_FACTS = {
    "appraisals": ("total_score", "grade", "rank"),
    "complaints": ("received", "closed", "channel", "category", "finding", "outcome",
                   "handled_people", "satisfaction"),
}


@dataclass
class FieldChange:
    """One changed field: its label and its old and new values as text (empty when withheld)."""

    name: str
    label: str
    old: str
    new: str
    withheld: bool = False


@dataclass
class Description:
    """An event in words."""

    event: ChangeEvent
    title: str
    summary: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    diff: list[FieldChange] = field(default_factory=list)


def is_withheld(kind: str, name: str) -> bool:
    """True when a field's values never appear in the change log or the feeds."""
    return name in guard.not_in_events(kind) if kind in KINDS else False


def public_changes(event: ChangeEvent) -> dict[str, list]:
    """The event's {field: [old, new]} without the withheld fields."""
    return {name: values for name, values in event.changes.items() if not is_withheld(event.kind, name)}


def withheld_fields(event: ChangeEvent) -> list[str]:
    """The changed fields whose values are withheld."""
    return [name for name in event.changes if is_withheld(event.kind, name)]


def display(declared, value) -> str:
    """A field's value as plain text in the current language (tables one row a line)."""
    if isinstance(declared, TimeLimit):  # as departments write it: 20个工作日, 即办, 3个月, 无法定时限
        return said(value) if value is not None or declared.open else _("(空)")
    if value is None or value == "" or value == []:
        return _("(空)")
    if isinstance(declared, Table) and isinstance(value, list):
        lines = []
        for number, row in enumerate(value, start=1):
            cells = [display(column, row.get(column.name)) for column in declared.columns
                     if row.get(column.name) not in (None, "")]
            lines.append(f"{number}. " + " · ".join(cells))
        return "\n".join(lines)
    if isinstance(value, list):  # several values in one cell (levels, credit codes)
        return _("、").join(term(v) if isinstance(declared, Choice) else str(v) for v in value)
    if isinstance(declared, Boolean) or isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(declared, Choice):
        return term(value)
    if isinstance(declared, Decimal) and isinstance(value, (int, float)):
        return format_decimal(value, "0.##")
    if isinstance(declared, Date) and isinstance(value, str):
        return format_date(dt.date.fromisoformat(value), "medium")  # the day format every page uses
    return str(value)


def _field(kind: str, name: str):
    try:
        return declared(kind).field(name)
    except KeyError:
        return None  # a field no longer declared: shown by its name, value as text


def _label(kind: str, name: str) -> str:
    declared = _field(kind, name)
    return term(declared.label) if declared else name


def item_name(event: ChangeEvent) -> str:
    """What the item is called: its title (a complaint's with its case number), or an appraisal's
    department and year."""
    if event.kind == "appraisals":
        year = event.code.partition("-")[0]
        return _("%(department)s%(year)s年度绩效考评结果", department=department_name(event.department), year=year)
    if event.kind == "complaints":
        # Several cases share a category and a department: the case number tells them apart.
        title = shown_title(event.kind, event.title, department_name(event.department))
        return _("%(title)s(案号 %(code)s)", title=title, code=event.code)
    return event.title


def changed_fields(event: ChangeEvent) -> list[str]:
    """The event's changed fields in the order the kind declares them (as pages show them)."""
    order = {f.name: number for number, f in enumerate(declared(event.kind).fields)}
    return sorted(event.changes, key=lambda name: (order.get(name, len(order)), name))


def _diff(event: ChangeEvent) -> list[FieldChange]:
    changes = []
    for name in changed_fields(event):
        old, new = event.changes[name]
        if is_withheld(event.kind, name):
            changes.append(FieldChange(name, _label(event.kind, name), "", "", withheld=True))
            continue
        declared = _field(event.kind, name)
        label = _label(event.kind, name)
        changes.append(FieldChange(name, label, display(declared, old), display(declared, new)))
    return changes


def _facts(event: ChangeEvent, record: dict | None) -> list[tuple[str, str]]:
    if event.action != "added" or record is None or event.kind not in _FACTS:
        return []
    facts = [(_label(event.kind, name), display(_field(event.kind, name), record.get(name)))
             for name in _FACTS[event.kind]]
    if event.kind == "complaints":
        derived = KINDS["complaints"].derive(record)
        days = derived["working_days"]
        facts.insert(2, (_("办理用时"), ngettext("%(days)s 个工作日", "%(days)s 个工作日", days, days=days)))
        facts.insert(3, (_("限时办结"), _("是") if derived["within_limit"] else _("否")))
    return facts


def _title(event: ChangeEvent, name: str, item: str) -> str:
    if event.action == "added":
        if event.kind == "appraisals":
            return _("%(name)s公布", name=name)
        if event.kind == "complaints":
            return _("投诉案件已办结:%(name)s", name=name)
        return _("新增%(item)s:%(name)s", item=item, name=name)
    if event.action == "changed":
        return _("变更%(item)s:%(name)s", item=item, name=name)
    return _("撤回%(item)s:%(name)s", item=item, name=name)


def _summary(event: ChangeEvent, name: str, item: str, record: dict | None) -> str:
    department = department_name(event.department)
    if event.action == "added":
        if event.kind == "appraisals" and record:
            return _("%(name)s:总分 %(score)s,等次“%(grade)s”,名次 %(rank)s。", name=name,
                     score=display(_field("appraisals", "total_score"), record["total_score"]),
                     grade=term(record["grade"]), rank=record["rank"])
        if event.kind == "complaints" and record:
            return _("%(department)s被投诉的案件 %(code)s 已办结:核查结论“%(finding)s”,处理结果“%(outcome)s”。",
                     department=department, code=event.code,
                     finding=term(record["finding"]), outcome=term(record["outcome"]))
        return _("%(department)s公开了%(item)s“%(name)s”(编码 %(code)s)。",
                 department=department, item=item, name=name, code=event.code)
    if event.action == "changed":
        labels = _("、").join(_label(event.kind, n) for n in changed_fields(event))
        return _("%(department)s修改了%(item)s“%(name)s”的 %(count)s 项内容:%(fields)s。",
                 department=department, item=item, name=name, count=len(event.changes), fields=labels)
    reason = term(event.reason) if event.reason else _("未说明")
    return _("%(department)s撤回了%(item)s“%(name)s”。撤回原因:%(reason)s",
             department=department, item=item, name=name, reason=reason)


def describe(event: ChangeEvent, record: dict | None = None) -> Description:
    """Word one event; `record` is its item as the event's revision published it, when known."""
    name = item_name(event)
    item = term(declared(event.kind).item_label)
    return Description(
        event=event,
        title=_title(event, name, item),
        summary=_summary(event, name, item, record),
        facts=_facts(event, record),
        diff=_diff(event) if event.action == "changed" else [],
    )


# How many events' wordings a worker keeps per language (a full export words every event).
KEPT_DESCRIPTIONS = 5000


def describe_all(session: Session, events: list[ChangeEvent]) -> list[Description]:
    """Word several events, reading the published records only for those whose facts need them.

    An event's wording is kept per state of the database and language: events are never
    rewritten (a purge moves the state on), and a publish shows the same events on the change
    log's front page, its filtered pages, the revision pages and the feeds, each in two formats.
    The events passed are read (and screened by the final guard) by the caller on every render.
    """
    kept = memo.per_revision(session, ("event descriptions", lang(), str(get_locale())), dict)
    missing = [e for e in events if e.id not in kept]
    if missing:
        needing = [e for e in missing if e.action == "added" and e.kind in _FACTS]
        records = records_at(session, needing)
        if len(kept) + len(missing) > KEPT_DESCRIPTIONS:
            kept.clear()  # bounded memory: a run over every archive page starts again
        for e in missing:  # kept without its row, which belongs to this render's session
            kept[e.id] = replace(describe(e, records.get((e.revision_id, e.code))), event=None)
    return [replace(kept[e.id], event=e) for e in events]
