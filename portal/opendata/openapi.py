"""The OpenAPI 3.1 document of the read API: every JSON twin, generated with apispec.

Nothing here is a hand-written list of URLs. The paths are the app's own twin
rules (every rule `web.twins.route` registered with `fmt=json`), so the
document names exactly the URLs the portal answers; a kind's list and item
twins, their parameters (facets, sorts, codes) and their schemas are read off
the kind's declaration (`shapes`). A twin that `DESCRIBERS` does not know yet
is still listed, with its view's docstring and a plain object as its answer.

The document is written in the site's language (Simplified Chinese, like the
declarations); texts marked N_ are in the catalogs, so the API page
(`views.apidocs`) shows them in the reader's language. It is built once per app
and process: `document(app)`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator

from apispec import APISpec
from flask import Flask
from flask_babel import force_locale
from werkzeug.routing import Rule

from ..catalog.changes import ACTIONS
from ..city import city
from ..schemas import DEPARTMENTS, KINDS, Kind
from ..web.requests import MAX_PAGE
from ..web.twins import is_twin
from . import shapes

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0"
MEDIA_TYPE = "application/json"


def N_(text: str) -> str:  # noqa: N802 -- gettext's name for "extract, do not translate here"
    """Mark `text` for the catalogs and keep it as it is: the page that shows it translates it."""
    return text


# Groups of operations, in the order the API page shows them (then one per kind, by its label).
OVERVIEW, DEPARTMENT_TAG, CHANGES, SEARCH, FEEDS, SITE_PAGES, OPEN_DATA = (
    N_("概览"), N_("部门"), N_("变更记录"), N_("搜索"), N_("订阅"), N_("站点页面"), N_("开放数据"))
# The document's own introduction (the API page says the same in the reader's language).
DESCRIPTION = (
    "本站每个页面都有一个机器可读的 JSON 版本:把页面地址末尾的“/”换成“.json”即可。它们合在一起就是这套只读接口:"
    "无需注册和密钥,数据可自由再利用,请注明来源。{lang} 只改变数据里的链接和标签,公开内容始终是发布时的简体中文原文,"
    "参数取值也用简体中文。列表按 page 分页,next 给出下一页的地址;日期和时间用 ISO 8601。"
    "任何网站的脚本都可以读取(Access-Control-Allow-Origin: *);简单的 GET 请求不需要预检,OPTIONS 预检也会得到允许。")

# A rule's variables, `<converter(arguments):name>` or `<name>`.
_VARIABLE = re.compile(r"<(?:(?P<converter>[a-z_]+)(?:\([^)]*\))?:)?(?P<name>[a-z_]+)>")


def openapi_path(rule: Rule) -> str:
    """A URL rule as an OpenAPI path template: `/<lang>/<kind:kind>.json` → `/{lang}/{kind}.json`."""
    return _VARIABLE.sub(lambda m: "{" + m["name"] + "}", rule.rule)


# Shared parameters and error answers, named by their components (apispec writes the $refs).
PAGE = "page"
RESPONSES = {"400": ("BadRequest", N_("请求有误:参数不合要求")),
             "404": ("NotFound", N_("没有这一页:编码、页码或参数取值不存在")),
             "451": ("Withheld", N_("该内容涉及个人信息保护,正在复核,暂不公开"))}


def param(name: str, where: str, schema: dict, description: str, **extra) -> dict:
    """A parameter object (path parameters are always required)."""
    return {"name": name, "in": where, "schema": schema, "description": description,
            **({"required": True} if where == "path" else {}), **extra}


def _answer(schema, summary: str) -> dict:
    return {"description": summary, "content": {MEDIA_TYPE: {"schema": schema}}}


def operation(op_id: str, tag: str, summary: str, schema, parameters=(), *, errors=("404",),
              description: str = "") -> dict:
    """A GET operation answering `schema` (a component name or a schema) as JSON."""
    found = {"operationId": op_id, "tags": [tag], "summary": summary, "parameters": list(parameters),
             "responses": {"200": _answer(schema, summary), **{code: RESPONSES[code][0] for code in errors}}}
    if description:
        found["description"] = description
    return found


def _facet(kind: Kind, name: str) -> dict:
    label = N_("部门编码") if name == "department" else kind.field(name).label
    return param(name, "query", shapes.facet_value_schema(kind, name), label)


def _sort(kind: Kind) -> dict:
    keys = [s.key for s in kind.sorts]
    return param("sort", "query", {"type": "string", "enum": keys, "default": keys[0]}, N_("排序方式"),
                 **{"x-enumDescriptions": {s.key: str(s.label) for s in kind.sorts}})


def _code(kind: Kind) -> dict:
    return param("code", "path", shapes.code_schema(kind), kind.field("code").label)


def _department_code() -> dict:
    return param("code", "path", shapes.code_schema(DEPARTMENTS), DEPARTMENTS.field("code").label)


# What each twin is: endpoint → a function of its path giving (path, operation) pairs.
Describer = Callable[[str], Iterator[tuple[str, dict]]]


def _listing(path: str):
    for kind in KINDS.values():
        yield path.replace("{kind}", kind.name), operation(
            f"{kind.name}.list", kind.label, N_("列表:按下列参数筛选、排序、分页"), shapes.component(kind, "List"),
            [*(_facet(kind, f) for f in kind.facets), _sort(kind), PAGE], description=kind.description)


def _detail(path: str):
    for kind in KINDS.values():
        if kind.item_pages:
            yield path.replace("{kind}", kind.name), operation(
                f"{kind.name}.item", kind.label, N_("一个事项:完整记录、发布和更新时间、相关事项;撤回的事项给出撤回时间和理由"),
                shapes.component(kind, "Item"), [_code(kind)],
                errors=("404", "451") if kind.personal_data else ("404",))


def _appraisal_year(path: str):
    appraisals = KINDS["appraisals"]
    declared = appraisals.field("year")
    year = param("year", "path", shapes.field_schema(declared), declared.label)
    yield path, operation("appraisals.year", appraisals.label, N_("一个年度的考评排名:按部门类别分组,按名次排列"),
                          "AppraisalYear", [year])


def _single(op_id: str, tag: str, summary: str, schema: str, parameters=(), errors=("404",)) -> Describer:
    def describe(path: str):
        yield path, operation(op_id, tag, summary, schema, parameters, errors=errors)
    return describe


def _changes_filters() -> list:
    return [
        param("department", "query", shapes.code_schema(DEPARTMENTS), N_("部门编码")),
        param("kind", "query", {"type": "string", "enum": shapes.SUBJECTS}, N_("公开类别,或 departments(部门信息)")),
        param("action", "query", {"type": "string", "enum": list(ACTIONS)},
              N_("变更类型:added 新增,changed 变更,withdrawn 撤回")),
        param("from", "query", {"type": "string", "format": "date"}, N_("起始日期(含),YYYY-MM-DD")),
        param("to", "query", {"type": "string", "format": "date"}, N_("截止日期(含),YYYY-MM-DD")),
        # Archive pages are paths (`next`, `newer`); the query's page is the old newest-first numbering.
        param("page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
              N_("旧的页码(从最新的算起):返回存有该页最新一条变更的存档页,或首页;存档页的地址见 next 和 newer")),
    ]


def _revision_parameters() -> list:
    return [
        param("department", "path", shapes.code_schema(DEPARTMENTS), N_("部门编码")),
        param("kind", "path", {"type": "string", "enum": shapes.SUBJECTS}, N_("公开类别,或 departments(部门信息)")),
        param("number", "path", {"type": "integer", "minimum": 1}, N_("版本号,每个部门的每个类别从 1 开始")),
    ]


def _search_parameters() -> list:
    power_type = KINDS["powers"].field("power_type")
    return [
        param("q", "query", {"type": "string", "maxLength": 80}, N_("搜索词:事项名称、内容、编码或部门")),
        param("kind", "query", {"type": "string", "enum": list(KINDS)}, N_("公开类别")),
        param("department", "query", shapes.code_schema(DEPARTMENTS), N_("部门编码")),
        param("power_type", "query", shapes.field_schema(power_type, always=True), power_type.label),
        param("year", "query", {"type": "integer"}, N_("年度")),
        PAGE,
    ]


DESCRIBERS: dict[str, Describer] = {
    "home.index": _single("home", OVERVIEW, N_("首页:关键数字和最新变更"), "Home", errors=()),
    "departments.index": _single("departments.list", DEPARTMENT_TAG, N_("全部部门及其联系方式"), "Departments",
                                 errors=()),
    "departments.detail": _single("departments.item", DEPARTMENT_TAG, N_("一个部门:联系方式和它公开的全部内容"),
                                  "DepartmentPage", [_department_code()]),
    "disclosures.listing": _listing,
    "disclosures.detail": _detail,
    "disclosures.appraisal_year": _appraisal_year,
    "changes.index": _single("changes.list", CHANGES, N_("变更记录:新增、变更和撤回,最新的在前"), "ChangeLog",
                             _changes_filters()),
    "changes.revision": _single("changes.revision", CHANGES,
                                N_("一个版本:谁在何时发布了什么,逐项差异,以及它在哈希链中的位置"), "RevisionPage",
                                _revision_parameters()),
    "changes.revisions": _single("changes.chain", CHANGES, N_("完整的哈希链:全部版本,最早的在前,附校验规则(网页分为首页和存档页:首页是最新的版本,存档页从最早的版本算起编号,存满后不再改变)"),
                                 "Chain", errors=()),
    "search.results": _single("search", SEARCH, N_("搜索全部五类公开内容,可按类别、部门、权力类型和年度缩小范围"),
                              "SearchResults", _search_parameters()),
    "feeds.index": _single("feeds", FEEDS, N_("全部 Atom 和 RSS 订阅的地址"), "Feeds", errors=()),
    "data.index": _single("data", OPEN_DATA, N_("开放数据:全部数据集及其下载文件"), "Datasets", errors=()),
    "data.dataset_page": _single("data.dataset", OPEN_DATA, N_("一个数据集:下载文件、更新时间和数据字典"), "Dataset",
                                 [param("name", "path", {"type": "string", "enum": [*KINDS, DEPARTMENTS.name]},
                                        N_("数据集:一类公开内容,或部门名录"))]),
    "stats.index": _single("stats", OVERVIEW, N_("全市统计:效能投诉、办结时限和各单位的主要数字"), "CityStats",
                           errors=()),
    "stats.compare": _single("stats.compare", OVERVIEW, N_("选定的几个单位并列比较"), "Comparison",
                             [param("departments", "query", {"type": "array", "items": shapes.code_schema(DEPARTMENTS),
                                                             "maxItems": 8},
                                    N_("要比较的部门编码,可重复(两个或更多)"), explode=True)],
                             errors=("400",)),
    "pages.page": _single("pages.page", SITE_PAGES, N_("一个站点页面(关于本站、如何投诉……)"), "SitePage",
                          [param("slug", "path", {"type": "string"}, N_("页面名称"))]),
}


def _undescribed(rule: Rule, view) -> Describer:
    """A twin nobody described yet: listed with its view's first docstring line, answering an object."""
    summary = ((view.__doc__ or rule.endpoint).strip().splitlines() or [rule.endpoint])[0]
    converters = {m["name"]: m["converter"] for m in _VARIABLE.finditer(rule.rule)}
    parameters = [param(name, "path", _variable_schema(converter), name)
                  for name, converter in converters.items() if name != "lang"]
    return _single(rule.endpoint, rule.endpoint.partition(".")[0], summary, {"type": "object"}, parameters)


def _variable_schema(converter: str | None) -> dict:
    """What a path variable takes, as far as its converter says."""
    if converter == "int":
        return {"type": "integer", "minimum": 0}
    if converter == "kind":
        return {"type": "string", "enum": list(KINDS)}
    return {"type": "string"}


def twin_rules(app: Flask) -> list[Rule]:
    """The rules of every JSON twin, in the order they were registered.

    A list's path variants (…/by/<facet>/<value>/page/<page>.json, web.paths) are left out: the
    list's own rule documents its filters, sort and page as parameters, which redirect to them.
    """
    variants = {"facet", "value", "sort", "page"}
    return [rule for rule in app.url_map.iter_rules() if is_twin(rule) and not variants & rule.arguments]


def build(app: Flask) -> dict:
    """Generate the document for `app` (its twins, its languages, its SITE_URL)."""
    options = {"info": {"description": DESCRIPTION}}
    if app.config.get("SITE_URL"):
        options["servers"] = [{"url": app.config["SITE_URL"].rstrip("/")}]
    spec = APISpec(f"{city(app.config['CONTENT_DIR']).name} · 明镜", API_VERSION, OPENAPI_VERSION, **options)
    for name, schema in shapes.all_components().items():
        spec.components.schema(name, schema)
    spec.components.parameter("lang", "path", {
        "schema": {"type": "string", "enum": list(app.config["LOCALES"])},
        "description": N_("页面语言:只改变数据里的链接和标签,公开内容始终是简体中文原文")})
    spec.components.parameter("page", "query", {
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
        "description": N_("页码,从 1 开始;超过最后一页时返回 404")})
    for name, description in RESPONSES.values():
        spec.components.response(name, _answer("Error", description))
    spec.tag({"name": OVERVIEW})
    for kind in KINDS.values():
        spec.tag({"name": kind.label, "description": kind.description})
    for tag in (DEPARTMENT_TAG, CHANGES, SEARCH, FEEDS, SITE_PAGES, OPEN_DATA):
        spec.tag({"name": tag})
    for rule in twin_rules(app):
        describe = DESCRIBERS.get(rule.endpoint) or _undescribed(rule, app.view_functions[rule.endpoint])
        for path, op in describe(openapi_path(rule)):
            spec.path(path=path, operations={"get": op}, parameters=["lang"] if "{lang}" in path else [])
    return spec.to_dict()


def document(app: Flask) -> dict:
    """The document of `app`, generated on first use and kept for the life of the process."""
    return _cached(app)[0]


def document_bytes(app: Flask) -> bytes:
    """The document as UTF-8 JSON, serialised once."""
    return _cached(app)[1]


def _cached(app: Flask) -> tuple[dict, bytes]:
    found = app.extensions.get("mingjing.openapi")
    if found is None:
        # Lazy labels (a sort's name) are written in the site's language, whoever asked first.
        with app.app_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
            doc = build(app)
        found = app.extensions["mingjing.openapi"] = (doc, json.dumps(doc, ensure_ascii=False).encode())
    return found
