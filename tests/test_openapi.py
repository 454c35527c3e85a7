"""The read API's description: a valid OpenAPI 3.1 document made from the declarations, every path
in it answering as it says, readable from any site, and a page for people in every language."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from portal import search
from portal.extensions import db
from portal.opendata import openapi
from portal.publish.content import load_directory
from portal.schemas import KINDS
from portal.schemas.departments import CATEGORIES
from portal.schemas.limits import TimeLimit
from portal.schemas.values import Several
from portal.schemas.fields import Boolean, Choice, Date, Decimal, Department, Integer, Table
from portal.web.locale import localized_blueprint
from portal.web.twins import is_twin, render, route
from tests.conftest import FIXTURE_CITY, make_app
from tests.helpers import parse_html, visible_text

LANGS = ("zh-hans", "zh-hant", "en")
HTML_LANG = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "en": "en"}
DOCUMENT = "/api/openapi.json"


@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    """The fixture city with its search index built, so that search answers in full."""
    app = make_app(tmp_path_factory.mktemp("api"))
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
        search.rebuild(db.session)
    return app


@pytest.fixture(scope="module")
def doc(api_app):
    response = api_app.test_client().get(DOCUMENT)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


@pytest.fixture(scope="module")
def values(api_app):
    """Real values for every path variable, read from the twins as a harvester would."""
    client = api_app.test_client()
    codes = {kind: client.get(f"/zh-hans/{kind}.json").get_json()["items"][0]["code"] for kind in KINDS}
    year = client.get("/zh-hans/appraisals.json").get_json()["facets"]["year"][0]["value"]
    revision = client.get("/zh-hans/changes/revisions.json").get_json()["revisions"][-1]
    return {
        "codes": codes,
        "department": client.get("/zh-hans/departments.json").get_json()["items"][0]["code"],
        "year": year,
        "revision": {k: revision[k] for k in ("department", "kind", "number")},
        "slug": sorted(p.stem for p in (FIXTURE_CITY / "pages").glob("*.md"))[0],
    }


def fill(path: str, lang: str, values: dict) -> str:
    """A documented path with real values in its variables."""
    found = {"lang": lang, "year": values["year"], "slug": values["slug"], "name": "services", **values["revision"]}
    kind = path.split("/")[2]
    found["code"] = values["department"] if kind == "departments" else values["codes"].get(kind)
    url = re.sub(r"\{(\w+)\}", lambda m: quote(str(found[m[1]]), safe=""), path)
    assert "{" not in url, url
    return url


def answer_schema(doc: dict, path: str) -> dict:
    """The 200 answer's schema, able to follow the document's own $refs."""
    schema = doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return {**schema, "components": doc["components"]}


def resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def check_answer(doc: dict, path: str, response) -> None:
    """The answer is 200 JSON that the document's schema accepts, with its required top-level keys."""
    assert response.status_code == 200, response.request.path
    assert response.is_json
    body = response.get_json()
    validator = OAS31Validator(answer_schema(doc, path), format_checker=OAS31Validator.FORMAT_CHECKER)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]
    assert errors == [], (response.request.path, errors[:5])
    schema = resolve(doc, answer_schema(doc, path))
    assert set(schema["required"]) <= set(body) <= set(schema["properties"]), response.request.path


def parameters(doc: dict, path: str) -> dict[str, dict]:
    item = doc["paths"][path]
    found = {}
    for raw in [*item.get("parameters", []), *item["get"].get("parameters", [])]:
        p = doc["components"]["parameters"][raw["$ref"].rsplit("/", 1)[-1]] if "$ref" in raw else raw
        found[p["name"]] = p
    return found


# --- The document ------------------------------------------------------------------------------

def test_the_document_is_valid_openapi_3_1(doc):
    validate(doc)
    assert doc["openapi"] == "3.1.0"
    assert parameters(doc, "/{lang}/index.json")["lang"]["schema"]["enum"] == list(LANGS)


def test_every_twin_the_portal_serves_is_in_the_document(api_app, doc):
    for rule in api_app.url_map.iter_rules():
        if not is_twin(rule) or {"facet", "page", "sort"} & rule.arguments:  # a list's path variants
            continue
        path = re.sub(r"<(?:[a-z_]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", rule.rule)
        if "{kind}" in path and rule.endpoint.startswith("disclosures."):
            expected = [path.replace("{kind}", k) for k, d in KINDS.items()
                        if d.item_pages or rule.endpoint != "disclosures.detail"]
        else:
            expected = [path]
        assert set(expected) <= set(doc["paths"]), rule.rule


@pytest.mark.parametrize("name", list(KINDS))
def test_a_kinds_twins_take_its_facets_sorts_and_page(doc, name):
    kind = KINDS[name]
    found = parameters(doc, f"/{{lang}}/{name}.json")
    assert list(found) == ["lang", *kind.facets, "sort", "page"]
    assert found["sort"]["schema"]["enum"] == [s.key for s in kind.sorts]
    assert found["sort"]["schema"]["default"] == kind.sorts[0].key
    assert found["page"]["schema"]["type"] == "integer"
    for facet in kind.facets:
        schema = found[facet]["schema"]
        declared = None if facet == "department" else kind.field(facet)
        if isinstance(declared, Choice):
            assert schema["enum"] == list(declared.choices)
        elif isinstance(declared, Integer):
            assert schema["type"] == "integer"
        else:
            assert schema["type"] == "string"
    item = f"/{{lang}}/{name}/{{code}}.json"
    assert (item in doc["paths"]) is kind.item_pages
    if kind.item_pages:
        assert list(parameters(doc, item)) == ["lang", "code"]


EXPECTED_TYPES = [(Table, "array"), (Several, "array"), (Boolean, "boolean"), (Choice, "string"), (Integer, "integer"),
                  (Decimal, "number"), (Date, "string"), (Department, "string")]


def declared_type(field) -> str:
    return next((t for cls, t in EXPECTED_TYPES if isinstance(field, cls)), "string")


def takes_null(schema: dict) -> bool:
    return "anyOf" in schema or "null" in schema["type"]


def plain(schema: dict) -> dict:
    """An optional field's schema without its null."""
    if "anyOf" in schema:
        return next(s for s in schema["anyOf"] if s.get("type") != "null")
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": next(t for t in kinds if t != "null")}


@pytest.mark.parametrize("name", list(KINDS))
def test_a_kinds_schemas_follow_its_declaration(doc, name):
    kind = KINDS[name]
    schemas = doc["components"]["schemas"]
    row = schemas[f"{name.capitalize()}Row"]["properties"]
    columns = [c for c in kind.columns if c != "department"]
    assert list(row) == ["code", "title", "url", "department", *columns]
    assert row["department"] == {"$ref": "#/components/schemas/DepartmentBrief"}
    record = schemas[f"{name.capitalize()}Record"]
    assert list(record["properties"]) == [f.name for f in kind.fields] == record["required"]
    for field in kind.fields:
        if isinstance(field, TimeLimit):  # working days, {amount, unit}, or null (无法定时限) when open
            assert record["properties"][field.name]["type"] == ["number", "object", *(["null"] * field.open)]
            continue
        schema = plain(record["properties"][field.name])
        assert schema["type"] == declared_type(field), field.name
        never_empty = field.required or isinstance(field, Table)  # an empty table is []
        assert takes_null(record["properties"][field.name]) is not never_empty
        if isinstance(field, Several):
            assert schema["items"]["enum"] == list(field.choices)
        elif isinstance(field, Choice):
            assert [v for v in schema["enum"] if v is not None] == list(field.choices)
        if isinstance(field, Date):
            assert schema["format"] == "date"
        if isinstance(field, Table):
            assert list(schema["items"]["properties"]) == [c.name for c in field.columns]
    for column in kind.columns:
        if column != "department" and not isinstance(kind.field(column), TimeLimit):
            assert plain(row[column])["type"] == declared_type(kind.field(column)), column


def test_departments_are_described_by_their_declaration(doc):
    brief = doc["components"]["schemas"]["DepartmentBrief"]
    assert brief["required"] == ["code", "name", "name_en", "category", "url"]
    assert brief["properties"]["category"]["enum"] == list(CATEGORIES)


@pytest.mark.parametrize("lang", LANGS)
def test_every_path_answers_as_the_document_says(api_app, doc, values, lang):
    client = api_app.test_client()
    assert len(doc["paths"]) >= 19
    for path in doc["paths"]:
        check_answer(doc, path, client.get(fill(path, lang, values)))


def test_every_documented_value_of_a_query_parameter_is_accepted(api_app, doc, values):
    client = api_app.test_client()
    for path in doc["paths"]:
        url = fill(path, "zh-hans", values)
        for name, p in parameters(doc, path).items():
            if p["in"] != "query":
                continue
            for value in p["schema"].get("enum", [p["schema"].get("default", 1)] if name == "page" else []):
                check_answer(doc, path, client.get(url, query_string={name: value}))


def test_the_search_twin_is_checked_with_hits(api_app, doc):
    response = api_app.test_client().get("/zh-hans/search.json", query_string={"q": "企业投资"})
    check_answer(doc, "/{lang}/search.json", response)
    assert response.get_json()["total"] >= 3 and "error" not in response.get_json()


def test_the_document_is_made_once_per_process(api_app, monkeypatch):
    client = api_app.test_client()
    first = client.get(DOCUMENT)
    monkeypatch.setattr(openapi, "build", lambda app: pytest.fail("built again"))
    again = client.get(DOCUMENT)
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert client.get(DOCUMENT, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_the_document_may_be_cached_and_names_the_site(tmp_path):
    client = make_app(tmp_path).test_client()
    response = client.get(DOCUMENT)
    caching = response.headers["Cache-Control"]
    assert "public" in caching and "no-store" not in caching
    assert "servers" not in response.get_json()  # relative to wherever it was fetched from


def test_with_site_url_the_document_names_its_server(tmp_path):
    app = make_app(tmp_path)
    app.config["SITE_URL"] = "https://mingjing.example.org"
    with app.app_context():
        assert openapi.build(app)["servers"] == [{"url": "https://mingjing.example.org"}]


# --- Any site may read it ------------------------------------------------------------------------

@pytest.mark.parametrize("url", [DOCUMENT, "/zh-hans/index.json", "/en/powers.json?power_type=行政许可",
                                 "/zh-hant/services/99010001FG-FW-0001.json",
                                 "/zh-hans/changes/revisions.json",
                                 "/zh-hans/search.json?q=企业", "/en/feeds.json", "/zh-hans/pages/about.json",
                                 "/zh-hans/powers/NOPE.json", "/zh-hans/powers.json?page=99"])
def test_twins_and_the_document_are_readable_from_any_origin(client, url):
    response = client.get(url, headers={"Origin": "https://example.net"})
    assert response.status_code in (200, 404)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", [DOCUMENT, "/zh-hans/powers.json", "/en/departments/99010001FG.json"])
def test_a_preflight_for_a_get_is_allowed(client, url):
    response = client.options(url, headers={
        "Origin": "https://example.net", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "*"


@pytest.mark.parametrize("url", ["/zh-hans/powers/", "/zh-hans/desk/login", "/api/v1/uploads/1"])
def test_pages_desk_and_upload_api_are_not_opened_to_other_sites(client, url):
    assert "Access-Control-Allow-Origin" not in client.get(url).headers


# --- The page for people -----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_the_api_page_lists_every_path_with_a_working_example(api_app, doc, lang):
    client = api_app.test_client()
    response = client.get(f"/{lang}/api/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{HTML_LANG[lang]}">' in html
    text = visible_text(html)
    for path in doc["paths"]:
        assert f"GET {path}" in text
    examples = [href for href in parse_html(html).anchors if href.startswith(f"/{lang}/") and ".json" in href]
    assert len(examples) == len(doc["paths"])
    for href in examples:
        path = next(p for p in doc["paths"] if re.fullmatch(
            re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(p)), href.split("?")[0]))
        check_answer(doc, path, client.get(href))
    assert DOCUMENT in parse_html(html).anchors


def test_the_api_page_shows_allowed_values_as_the_api_takes_them(client):
    english = visible_text(client.get("/en/api/").get_data(as_text=True))
    assert "行政许可 (Administrative licensing)" in english
    assert "recent (Most recently received)" in english  # a sort key, and what it means
    # Traditional pages are converted as a whole; the values the API accepts stay Simplified.
    traditional = visible_text(client.get("/zh-hant/api/").get_data(as_text=True))
    assert "行政许可" in traditional and "權力類型" in traditional


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_links_to_the_api_page(client, lang):
    assert f"/{lang}/api/" in parse_html(client.get(f"/{lang}/").get_data(as_text=True)).anchors


def test_a_twin_nobody_has_described_yet_is_listed_all_the_same(tmp_path):
    app = make_app(tmp_path)
    bp = localized_blueprint("undescribed_test", __name__)

    @route(bp, "/extra/<kind:kind>/<slug>/")
    def extra(kind, slug, fmt):
        """Something new."""
        return render(fmt, "pages/page.html", {"kind": kind, "slug": slug})

    app.register_blueprint(bp)
    client = app.test_client()
    doc = client.get(DOCUMENT).get_json()
    validate(doc)
    operation = doc["paths"]["/{lang}/extra/{kind}/{slug}.json"]["get"]
    assert operation["summary"] == "Something new."
    assert [p["name"] for p in operation["parameters"]] == ["kind", "slug"]
    assert operation["parameters"][0]["schema"]["enum"] == list(KINDS)
    response = client.get("/en/extra/powers/x.json")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"


def test_an_empty_city_has_an_api_page(app):
    client = app.test_client()
    html = client.get("/en/api/").get_data(as_text=True)
    assert "GET /{lang}/powers/{code}.json" in visible_text(html)
    examples = [href for href in parse_html(html).anchors if href.endswith(".json")]
    assert "/en/powers.json" in examples
    assert not [href for href in examples if href.startswith("/en/powers/")]  # no item to show
