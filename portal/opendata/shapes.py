"""The JSON shapes of the twins as JSON Schema (OpenAPI 3.1), made from the declarations.

A kind's list row, record and item are read off its declaration in
`portal.schemas` — its fields, `columns`, `facets`, `sorts`, `computed` and
`related` — so a field declared tomorrow is described tomorrow. The twins that
are not about one kind (the home page, the change log, revisions, search,
feeds, site pages) are described here once, beside the kinds.

Component names are CamelCase (`PowersRow`); `ref` points at one.
"""

from __future__ import annotations

from ..catalog.changes import ACTIONS
from ..schemas import DEPARTMENTS, KINDS, Kind
from ..schemas.departments import CATEGORIES
from ..schemas.fields import Boolean, Choice, Date, Decimal, Department, Field, Integer, Table
from ..schemas.limits import CALENDAR_DAYS, MONTHS, TimeLimit
from ..schemas.values import Several
from . import datasets, stats_shapes
from .json_types import DATE_TIME, INTEGER, STRING, URL, nullable, obj, ref

# What a revision or change event may be about: a disclosure kind, or the department's own details.
SUBJECTS = [*KINDS, DEPARTMENTS.name]


def component(kind: Kind, part: str) -> str:
    """The component name of one part of a kind: `component(POWERS, "Row")` → "PowersRow"."""
    return kind.name.capitalize() + part


def field_schema(field: Field, *, always: bool = False) -> dict:
    """A field's value as the twins write it; `always` when it is never empty (computed values)."""
    if isinstance(field, Table):
        # Every column of every row is present (empty ones as null), as in the record itself.
        schema = {"type": "array", "items": obj({c.name: field_schema(c) for c in field.columns}),
                  "maxItems": field.max_rows}
        if field.min_rows:
            schema["minItems"] = field.min_rows
        always = True  # an empty table is [], never null
    elif isinstance(field, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(field, TimeLimit):
        # Working days as a number (0: 即办), another unit as {amount, unit}; null: 无法定时限.
        # (minimum applies to the number, properties to the object.)
        schema = {"type": ["number", "object", *(["null"] if field.open else [])], "minimum": 0,
                  "properties": {"amount": {"type": "number", "minimum": 0},
                                 "unit": {"type": "string", "enum": [CALENDAR_DAYS, MONTHS]}},
                  "required": ["amount", "unit"]}
    elif isinstance(field, Several):
        # Several values in one cell: a list in the twins (a "、"-joined cell in the CSV downloads).
        each = {"type": "string", "enum": list(field.choices)} if field.choices else STRING
        schema = {"type": "array", "items": each}
    elif isinstance(field, Choice):
        schema = {"type": "string", "enum": list(field.choices)}
    elif isinstance(field, Integer):
        schema = {"type": "integer", "minimum": field.minimum, "maximum": field.maximum}
    elif isinstance(field, Decimal):
        schema = {"type": "number", "minimum": field.minimum, "maximum": field.maximum}
    elif isinstance(field, Date):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, Department):
        schema = {**code_schema(DEPARTMENTS), "description": "部门编码"}
    else:
        schema = {"type": "string", "maxLength": field.max_length}
        if field.pattern:
            schema["pattern"] = anchored(field.pattern)
    schema = {"title": field.label, **schema}
    if field.help and "description" not in schema:
        schema["description"] = field.help
    if isinstance(field, TimeLimit):
        return schema  # null (无法定时限) is in its types when it is open, though the column is required
    return schema if always or field.required else nullable(schema)


def anchored(pattern: str) -> str:
    """A declared pattern (matched whole, as validation does) as an ECMA-262 one (which matches anywhere)."""
    return f"^(?:{pattern})$"


def code_schema(kind: Kind) -> dict:
    """An item's (or department's) code: text of the declared pattern."""
    declared = kind.field("code")
    return {"type": "string", **({"pattern": anchored(declared.pattern)} if declared.pattern else {})}


def record(kind: Kind) -> dict:
    """A kind's record as published: every declared field, empty ones as null."""
    schema = obj({f.name: field_schema(f) for f in kind.fields})
    return {**schema, "description": kind.description} if kind.description else schema


def _column(kind: Kind, name: str) -> dict:
    computed = {c.field.name for c in kind.computed}
    return field_schema(kind.field(name), always=name in computed)


def row(kind: Kind) -> dict:
    """An item as a list row: code, title, URL, department, and the kind's list `columns`."""
    properties = {"code": STRING, "title": STRING, "url": URL, "department": ref("DepartmentBrief")}
    properties.update({name: _column(kind, name) for name in kind.columns if name != "department"})
    return obj(properties)


def item(kind: Kind) -> dict:
    """An item in full: its row, its record, when it was published and changed, and its tombstone;
    on its own page also the items of other kinds it relates to."""
    properties = {"kind": {"const": kind.name}, **row(kind)["properties"],
                  "record": ref(component(kind, "Record")),
                  "code_parts": {"type": "object", "description": "编码各段的名称和取值(基本编码、区划、统一社会信用代码……)",
                                 "additionalProperties": STRING},
                  "published_at": DATE_TIME, "updated_at": DATE_TIME, "withdrawn": {"type": "boolean"},
                  "withdrawn_at": nullable(DATE_TIME), "withdrawn_reason": nullable(STRING)}
    if not kind.item_pages:
        return obj(properties)
    related = {r.kind: {"type": "array", "items": ref(component(KINDS[r.kind], "Row"))} if r.many
               else nullable(ref(component(KINDS[r.kind], "Row")))
               for r in kind.related}
    properties["related"] = obj(related)
    if kind.name in ("services", "commitments"):
        properties["limit_contradiction"] = nullable(obj(
            {"flow_days": {"type": "number"}, "committed": {"type": ["number", "object"]}},
            description="办理流程各环节时限合计(工作日)超过承诺办结时限时,两者的值"))
    required = list(properties)
    if kind.name == "services":  # drawn when published: absent until the flowchart exists
        properties["flowchart_svg"] = {**URL, "description": "流程图 SVG"}
    return obj(properties, required)


def listing(kind: Kind) -> dict:
    """A page of a kind's list: totals, the filters and sort applied, facet counts, the rows."""
    return obj({
        "kind": {"const": kind.name},
        "total": INTEGER, "page": INTEGER, "pages": INTEGER, "page_size": INTEGER,
        "sort": {"type": "string", "enum": [s.key for s in kind.sorts]},
        "filters": obj({name: STRING for name in kind.facets}, required=[]),
        "facets": obj({name: {"type": "array", "items": ref("FacetValue")} for name in kind.facets}),
        "next": nullable(URL),
        "items": {"type": "array", "items": ref(component(kind, "Row"))},
    })


def facet_value_schema(kind: Kind, name: str) -> dict:
    """What a facet parameter accepts: a department code, a vocabulary value, or a whole number."""
    if name == "department":
        return {**code_schema(DEPARTMENTS), "description": "部门编码"}
    declared = kind.field(name)
    if isinstance(declared, Choice):
        return {"type": "string", "enum": list(declared.choices)}
    if isinstance(declared, Integer):
        return {"type": "integer", "minimum": declared.minimum, "maximum": declared.maximum}
    return STRING


def departments() -> dict[str, dict]:
    """A department as records refer to it, and in full, from the departments' declaration."""
    declared = {f.name: field_schema(f) for f in DEPARTMENTS.fields}
    brief = {name: declared[name] for name in ("code", "name", "name_en", "category")}
    full = {**brief, "url": URL, **{k: v for k, v in declared.items() if k not in brief}}
    return {
        "DepartmentBrief": obj({**brief, "url": URL}),
        "Department": obj(full),
        "Departments": obj({"total": INTEGER, "items": {"type": "array", "items": ref("Department")}}),
        "DepartmentPage": obj({**full, **{k.name: {"type": "array", "items": ref(component(k, "Row"))}
                                          for k in KINDS.values()},
                               "gaps": {"type": "object", "description": "每类公开内容中未公布的必要信息及其条数",
                                        "propertyNames": {"enum": list(KINDS)},
                                        "additionalProperties": {"type": "object",
                                                                 "additionalProperties": INTEGER}},
                               "scorecard": ref("Scorecard"),
                               # Each kind's array holds its first page; these say how many there
                               # are in all and where its list pages through them.
                               "totals": {"type": "object", "description": "每类公开内容的总条数(上面各类只列出第一页)",
                                          "propertyNames": {"enum": list(KINDS)}, "additionalProperties": INTEGER},
                               "lists": {"type": "object", "description": "每类公开内容按本部门筛选的完整列表",
                                         "propertyNames": {"enum": list(KINDS)}, "additionalProperties": URL}}),
    }


def _event() -> dict:
    return {
        "id": {**STRING, "description": "tag: URI (RFC 4151), the feeds' entry id"},
        "kind": {"type": "string", "enum": SUBJECTS}, "code": STRING, "title": STRING,
        "action": {"type": "string", "enum": list(ACTIONS)},
        "changes": {"type": "object", "description": "字段名 → [旧值, 新值]",
                    "additionalProperties": {"type": "array", "minItems": 2, "maxItems": 2}},
        "withheld": {"type": "array", "items": STRING}, "reason": nullable(STRING), "at": DATE_TIME,
        "department": ref("DepartmentBrief"), "url": URL,
    }


def changes() -> dict[str, dict]:
    """Change events, the change log, revisions and the hash chain."""
    revision = {
        "number": INTEGER, "department": code_schema(DEPARTMENTS),
        "kind": {"type": "string", "enum": SUBJECTS},
        "created_at": DATE_TIME, "author": STRING, "source": STRING, "filename": nullable(STRING),
        "file_sha256": nullable(STRING), "content_sha256": STRING, "prev_hash": nullable(STRING),
        "hash": STRING,
        "added": INTEGER, "changed": INTEGER, "withdrawn": INTEGER, "url": URL,
    }
    change = {
        **_event(),
        "revision": obj({"number": INTEGER, "hash": STRING}), "diff_url": URL, "headline": STRING,
        "summary": STRING, "facts": {"type": "array", "items": obj({"label": STRING, "value": STRING})},
        "diff": {"type": "array", "items": obj({"field": STRING, "label": STRING, "old": STRING,
                                                 "new": STRING, "withheld": {"type": "boolean"}})},
    }
    return {
        "Event": obj(_event()),
        "Change": obj(change),
        # The front page has the total and the number of archive pages, an archive page its number.
        "ChangeLog": obj({"total": INTEGER, "archives": INTEGER, "page": INTEGER, "page_size": INTEGER,
                          "filters": obj({k: STRING for k in ("department", "kind", "action", "from", "to")},
                                         required=[]),
                          "next": nullable(URL), "newer": nullable(URL),
                          "items": {"type": "array", "items": ref("Change")}},
                         required=["page_size", "filters", "next", "newer", "items"]),
        "Revision": obj(revision),
        "RevisionPage": obj({**revision, "changes": {"type": "array", "items": ref("Change")},
                             "total": INTEGER, "page": INTEGER, "pages": INTEGER, "page_size": INTEGER,
                             "next": nullable(URL)}),
        "Chain": obj({"hash_rule": STRING, "count": INTEGER, "head": nullable(STRING),
                      "revisions": {"type": "array", "items": ref("Revision")}}),
    }


def site() -> dict[str, dict]:
    """The home page's figures, a year's appraisal ranking, site pages, feeds and search."""
    share = nullable({"type": "number", "minimum": 0, "maximum": 1})
    feed = obj({"title": STRING, "atom": URL, "rss": URL})
    kinds_feeds = obj({name: ref("FeedLink") for name in KINDS})
    appraisals = KINDS["appraisals"]
    hit = obj({"kind": {"type": "string", "enum": list(KINDS)}, "code": STRING, "title": STRING, "url": URL,
               "json": URL, "department": obj({"code": STRING, "name": STRING, "url": URL}),
               "snippet": STRING, "snippet_html": STRING, "title_html": STRING, "in_title": {"type": "boolean"},
               "snippets": {"type": "array", "items": obj({"label": STRING, "text": STRING, "html": STRING})}})
    return {
        "Home": obj({
            "figures": obj({"departments": INTEGER, "counts": obj({name: INTEGER for name in KINDS}),
                            "average_compression": share, "complaints_within_limit": share,
                            "complaints_substantiated": share, "people_handled": INTEGER}),
            "latest_changes": {"type": "array", "items": ref("Event")},
            "charts": {"type": "array", "items": ref("Chart")},
        }),
        "AppraisalYear": obj({
            "kind": {"const": appraisals.name}, "year": field_schema(appraisals.field("year")),
            "years": {"type": "array", "items": INTEGER},
            "groups": {"type": "object", "description": "部门类别 → 该类别的考评结果(按名次)",
                       "propertyNames": {"enum": list(CATEGORIES)},
                       "additionalProperties": {"type": "array", "items": ref("RankingRow")}},
            "charts": {"type": "object", "description": "部门类别 → 该类别的排名图",
                       "propertyNames": {"enum": list(CATEGORIES)}, "additionalProperties": ref("Chart")},
        }),
        "SitePage": obj({"slug": STRING, "title": STRING, "summary": STRING,
                         "html": {**STRING, "description": "净化过的 HTML"}}),
        "FeedLink": feed,
        "Feeds": obj({
            "site": ref("FeedLink"), "kinds": kinds_feeds,
            "departments": {"type": "array", "items": obj({
                "code": STRING, "name": STRING, "name_en": STRING, "title": STRING, "atom": URL, "rss": URL,
                "kinds": kinds_feeds})},
        }),
        "SearchResults": obj({
            "query": STRING, "truncated": {"type": "boolean"}, "total": INTEGER, "page": INTEGER,
            "pages": INTEGER, "page_size": INTEGER,
            "filters": {"type": "object", "additionalProperties": STRING},
            "facets": {"type": "object",
                       "additionalProperties": {"type": "array", "items": ref("FacetValue")}},
            "items": {"type": "array", "items": hit},
            "suggestions": {"type": "array", "items": obj({"q": STRING, "count": INTEGER, "url": URL})},
            "next": nullable(URL),
            "error": {**STRING, "description": "只在搜索索引尚未建立时出现"},
        }, required=["query", "total", "items"]),
        "FacetValue": obj({"value": STRING, "count": {**INTEGER, "description": "列表只在第一页给出计数"},
                           "label": STRING}, required=["value"]),
        "Error": obj({"error": STRING, "status": INTEGER}),
    }


def all_components() -> dict[str, dict]:
    """Every schema the document names, kinds first."""
    found: dict[str, dict] = {}
    for kind in KINDS.values():
        found[component(kind, "Row")] = row(kind)
        found[component(kind, "Record")] = record(kind)
        found[component(kind, "Item")] = item(kind)
        found[component(kind, "List")] = listing(kind)
    return {**found, **departments(), **changes(), **site(), **datasets.schemas(), **stats_shapes.schemas()}

