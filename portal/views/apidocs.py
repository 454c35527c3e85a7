"""The read API's description: the OpenAPI document at /api/openapi.json, and /<lang>/api/, the
same document as a page for people, with a working example of every twin."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from flask import Blueprint, current_app, g, render_template, request
from markupsafe import Markup, escape

from ..catalog import chain, lookup
from ..catalog import pages as site_pages
from ..catalog.listing import list_items
from ..extensions import db
from ..opendata import openapi
from ..schemas import KINDS
from ..web.locale import localized_blueprint
from ..web.twins import open_route
from .pages import pages_dir

root = Blueprint("openapi", __name__)
bp = localized_blueprint("apidocs", __name__)

# Harvesters fetch the document again and again; it changes only when the portal is upgraded.
MAX_AGE = 3600


@open_route(root, "/api/openapi.json")
def document():
    """The OpenAPI 3.1 document of every JSON twin: one for all languages, readable from any site."""
    response = current_app.response_class(openapi.document_bytes(current_app), mimetype="application/json")
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


@dataclass
class Parameter:
    """A parameter as the page lists it."""

    name: str
    where: str  # path or query
    type: str
    description: str
    values: list = field(default_factory=list)  # the allowed values, when there is a list of them
    labels: dict = field(default_factory=dict)  # what some values mean (a sort's name)
    default: object = None
    limits: str = ""  # a range or a pattern


@dataclass
class Operation:
    """One twin as the page shows it: its path, what it is, its parameters, what it answers, an example."""

    path: str
    summary: str
    description: str
    parameters: list[Parameter]
    answer: str  # the schema's name
    fields: list[tuple[str, str]]  # the answer's top-level properties and their types
    example: str | None


def _resolve(doc: dict, found: dict) -> dict:
    """Follow a local $ref ("#/components/…") to what it names."""
    while "$ref" in found:
        node = doc
        for part in found["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        found = node
    return found


def type_of(doc: dict, schema: dict) -> str:
    """A schema's type in a word or two: `string (date)`, `array of PowersRow`, `integer | null`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(type_of(doc, s) for s in schema["anyOf"])
    if "const" in schema:
        return f'"{schema["const"]}"'
    kinds = schema.get("type", "object")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = []
    for kind in kinds:
        if kind == "array":
            kind = f"array of {type_of(doc, schema.get('items', {}))}"
        elif schema.get("format") and kind == "string":
            kind = f"string ({schema['format']})"
        words.append(kind)
    return " | ".join(words)


def _limits(schema: dict) -> str:
    if "minimum" in schema and "maximum" in schema:
        return f"{schema['minimum']}–{schema['maximum']}"
    if "minimum" in schema:
        return f"≥ {schema['minimum']}"
    if "pattern" in schema:
        return schema["pattern"]
    return ""


def parameters(doc: dict, operation: dict) -> list[Parameter]:
    """An operation's parameters with their allowed values, the shared ones (lang, page) resolved."""
    found = []
    for raw in [{"$ref": "#/components/parameters/lang"}, *operation.get("parameters", [])]:
        p = _resolve(doc, raw)
        schema = p["schema"]
        values = [v for v in schema.get("enum", []) if v is not None]
        found.append(Parameter(p["name"], p["in"], type_of(doc, schema), p.get("description", ""), values,
                               p.get("x-enumDescriptions", {}), schema.get("default"),
                               "" if values else _limits(schema)))
    return found


def operations(doc: dict, examples: dict[str, dict]) -> list[tuple[str, str, list[Operation]]]:
    """The document's operations grouped by tag, in the tags' order: (tag, its description, operations)."""
    groups: dict[str, list[Operation]] = {tag["name"]: [] for tag in doc.get("tags", [])}
    for path, item in doc["paths"].items():
        op = item["get"]
        answer = op["responses"]["200"]["content"]["application/json"]["schema"]
        schema = _resolve(doc, answer)
        fields = [(name, type_of(doc, s)) for name, s in schema.get("properties", {}).items()]
        groups.setdefault(op["tags"][0], []).append(Operation(
            path, op["summary"], op.get("description", ""), parameters(doc, op), type_of(doc, answer), fields,
            example_url(path, examples.get(op["operationId"]))))
    described = {tag["name"]: tag.get("description", "") for tag in doc.get("tags", [])}
    return [(tag, described.get(tag, ""), ops) for tag, ops in groups.items() if ops]


def example_url(path: str, values: dict | None) -> str | None:
    """`path` with real values in its variables (and any query), or None when there are none to give."""
    values = {"lang": g.lang, **(values or {})}
    query = values.pop("?", None)
    url = path
    for name, value in values.items():
        url = url.replace("{" + name + "}", quote(str(value), safe=""))
    if "{" in url:
        return None
    return url + (f"?{urlencode(query)}" if query else "")


def examples() -> dict[str, dict]:
    """Real values for each operation's variables, by operation id, from what is published now
    (all the page shows that depends on the data: `export.pageinputs` fingerprints it)."""
    found: dict[str, dict] = {}
    for kind in KINDS.values():
        items = list_items(db.session, kind.name, {}, 1, 1).items
        if items:
            found[f"{kind.name}.item"] = {"code": items[0].code}
            found.setdefault("search", {"?": {"q": items[0].title}})
    departments = lookup.departments(db.session)
    if departments:
        found["departments.item"] = {"code": departments[0].code}
    years = lookup.appraisal_years(db.session)
    if years:
        found["appraisals.year"] = {"year": years[0]}
    # The chain's first revision, not its newest: the page then stays as it is across publishes
    # (the static export rewrites it only when an example changes).
    oldest = chain.first(db.session)
    if oldest is not None:
        found["changes.revision"] = {"department": oldest.department.code, "kind": oldest.kind,
                                     "number": oldest.number}
    found["data.dataset"] = {"name": next(iter(KINDS))}
    pages = site_pages.all_pages(pages_dir())
    if pages:
        found["pages.page"] = {"slug": next(iter(pages))}
    return found


def verbatim(text) -> Markup:
    """Text as character references, so that the Traditional conversion of zh-hant pages leaves it
    alone: parameter values are accepted in Simplified Chinese only."""
    return Markup("".join(c if c.isascii() else f"&#{ord(c)};" for c in str(escape(text))))


@bp.route("/api/")
def index():
    """The read API: every twin with its parameters and allowed values, and an example of each."""
    doc = openapi.document(current_app)
    return render_template("apidocs/index.html", doc=doc, groups=operations(doc, examples()),
                           verbatim=verbatim)
