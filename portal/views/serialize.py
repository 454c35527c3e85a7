"""Items, departments and events as JSON-ready data for the machine-readable twins."""

from __future__ import annotations

from ..catalog.describe import public_changes, withheld_fields
from ..catalog.listing import Listing
from ..i18n.display import department_name, shown_title
from ..models import ChangeEvent, Department
from ..privacy import guard
from ..schemas import KINDS
from ..schemas.codes import parts
from ..schemas.values import Several
from ..web.urls import department_url, item_url, list_url

def _plain(value):
    if isinstance(value, float):
        return round(value, 4)
    return value


def department_brief(department: Department) -> dict:
    """A department as other records refer to it."""
    return {
        "code": department.code,
        "name": department.name,
        "name_en": department.name_en,
        "category": department.category,
        "url": department_url(department),
    }


def department_full(department: Department) -> dict:
    """A department with its contact details."""
    return {
        **department_brief(department),
        "name_en": department.name_en,
        "category": department.category,
        "address": department.address,
        "hours": department.hours,
        "phone": department.phone,
        "complaint_phone": department.complaint_phone,
        "duties": department.duties,
        "credit_codes": department.credit_codes or [],
    }


def item_summary(item, screened: bool = False) -> dict:
    """An item as a list row: code, title, page URL, department and its list columns.

    Like every serializer here, it runs the final privacy guard on what it emits
    (Withheld answers 451); lists leave withheld items out before they get here. `screened`
    says the item comes from `guard.public_items` in this request (a list's rows, a
    department's, an item's related ones): the guard read it whole there, its title with the
    rest, and its verdict comes with the row instead of the title being read again.
    """
    if not screened:
        guard.check(item.kind, item.code, item.title, where="json")
    data = {
        "code": item.code,
        "title": shown_title(item.kind, item.title, department_name(item.department)),
        "url": item_url(item.kind, item.code),
        "department": department_brief(item.department),
    }
    declared = KINDS[item.kind]
    for name in declared.columns:
        if name != "department":
            # A column holds what lists sort and filter by; the record holds what was written
            # (several values as a list, a time limit in its own unit).
            as_written = isinstance(declared.field(name), Several) or not hasattr(item, name)
            data[name] = _plain(item.record.get(name) if as_written else getattr(item, name, None))
    return data


def item_detail(item) -> dict:
    """An item in full: its record as published, when, and whether it was withdrawn."""
    guard.check_item(item, where="json")
    return {
        "kind": item.kind,
        **item_summary(item),
        "record": item.record,
        # A national code's segments (基本编码, 区划, 统一社会信用代码 …), named.
        "code_parts": parts(item.code) if KINDS[item.kind].code_parts else {},
        "published_at": item.published_at,
        "updated_at": item.updated_at,
        "withdrawn": item.is_withdrawn,
        "withdrawn_at": item.withdrawn_at,
        "withdrawn_reason": item.withdrawn_reason,
    }


def listing(result: Listing, names: dict[str, str]) -> dict:
    """A list page as data: the total before pagination, the page, facets and items.

    `names` maps department codes to their names in the page's language (facet labels).
    The facet counts describe the whole filtered list, so they come with its first page, where
    a visitor chooses filters; later pages give the same values without counts. A publish then
    changes only the first pages' counts, not every page of every list (which a static copy
    would have to write again), and a program paging along `next` has them from page one.
    """
    params = {**result.filters, "sort": result.sort}
    counted = result.page == 1
    return {
        "kind": result.kind,
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "page_size": result.page_size,
        "sort": result.sort,
        "filters": result.filters,
        "facets": {
            f.facet.param: [{"value": v, **({"count": n} if counted else {}),
                             **({"label": names.get(v, v)} if f.facet.param == "department" else {})}
                            for v, n in f.values]
            for f in result.facets
        },
        "next": list_url(result.kind, "json", **params, page=result.page + 1)
        if result.page < result.pages else None,
        "items": [item_summary(i, screened=True) for i in result.items],  # `list_items` screened them
    }


def event(change: ChangeEvent, screened: bool = False) -> dict:
    """A change event as data. `screened` says the event comes from `guard.public_events` in this
    request (a log page's, the latest changes): the same check, already passed, is not run again."""
    if not screened:
        guard.check_event(change, where="json")
    return {
        "id": change.uid,
        "kind": change.kind,
        "code": change.code,
        "title": change.title,
        "action": change.action,
        # Withheld fields (a complaint's free text) are named, never shown: see catalog.describe.
        "changes": public_changes(change),
        "withheld": withheld_fields(change),
        "reason": change.reason,
        "at": change.created_at,
        "department": department_brief(change.department),
        "url": item_url(change.kind, change.code),
    }
