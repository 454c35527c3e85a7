"""Open data: downloads read back as a user's tools read them, the data package, the DCAT catalogue."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urljoin

import frictionless
import openpyxl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT
from sqlalchemy import func, select

from portal import downloads, publish
from portal.extensions import db
from portal.models import MODELS, ComplaintCase, Department, PowerItem, Upload
from portal.publish.content import load_directory
from portal.schemas import KINDS
from portal.schemas.fields import Table

from .conftest import CONTENT, FIXTURE_CITY, make_app
from .desk_helpers import log_in, make_user, upload
from .helpers import parse_html, visible_text


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff"), "CSV files start with a BOM so that Chinese Excel opens them"
    return list(csv.reader(io.StringIO(text[1:])))


def _live(app, kind: str, department: str | None = None) -> list:
    with app.app_context():
        model = MODELS[kind]
        query = select(model).where(model.withdrawn_at.is_(None)).order_by(model.code)
        if department:
            query = query.join(Department).where(Department.code == department)
        return [(item.code, {**item.record, **KINDS[kind].derive(item.record)}) for item in db.session.scalars(query)]


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_download_reads_back_as_the_database_holds_it(client, city_app, kind):
    declared = KINDS[kind]
    live = _live(city_app, kind)
    flat = [f for f in declared.fields if not isinstance(f, Table)] + [c.field for c in declared.computed]

    rows = _csv(client.get(f"/data/{kind}.csv", buffered=True))
    assert rows[0] == [f.label for f in flat]
    assert len(rows) - 1 == len(live)
    ids = _csv(client.get(f"/data/{kind}.ids.csv", buffered=True))
    assert ids[0] == [f.name for f in flat]
    for row, (code, record) in zip(ids[1:], live):
        assert row == [f.format(record.get(f.name)) for f in flat], code

    data = client.get(f"/data/{kind}.json", buffered=True).get_json()
    assert [declared.key(r) for r in data] == [code for code, _ in live]
    assert data == [json.loads(json.dumps(record)) for _, record in live]

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/data/{kind}.xlsx", buffered=True).data), read_only=True)
    sheet = workbook[declared.label]
    values = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values == rows
    for table in (f for f in declared.fields if isinstance(f, Table)):
        nested = _csv(client.get(f"/data/{kind}.{table.name}.csv", buffered=True))
        assert nested[0][-len(table.columns):] == [c.label for c in table.columns]
        assert len(nested) - 1 == sum(len(record[table.name]) for _, record in live)
        if len(nested) > 1:  # optional tables (常见问题) may have no rows in the city
            assert [r[:-len(table.columns)] for r in nested[1:]][0][-1] == "1"  # rows numbered within their item
        assert [row for row in workbook[table.label].iter_rows(values_only=True)][0][0] == nested[0][0]


def test_each_department_has_its_own_files(client, city_app):
    rows = _csv(client.get("/data/departments/99010001FG/powers.csv", buffered=True))
    assert [r[0] for r in rows[1:]] == [code for code, _ in _live(city_app, "powers", "99010001FG")]
    departments = _csv(client.get("/data/departments.csv", buffered=True))
    assert {r[0] for r in departments[1:]} == {"99010001FG", "99010002MZ", "99010101SL"}


def test_downloads_are_static_files_with_validators(client):
    first = client.get("/data/powers.csv", buffered=True)
    assert first.status_code == 200 and first.mimetype == "text/csv"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/data/powers.csv", headers={"If-None-Match": first.headers["ETag"]}, buffered=True)
    assert again.status_code == 304
    assert client.get("/data/manifest.json", buffered=True).status_code == 404  # only what the manifest lists
    assert client.get("/data/../portal.sqlite3", buffered=True).status_code == 404


def test_sha256sums_cover_every_download(client):
    import hashlib

    sums = client.get("/data/SHA256SUMS", buffered=True).get_data(as_text=True).splitlines()
    assert len(sums) > 30
    for line in sums[:12]:
        digest, path = line.split("  ")
        assert hashlib.sha256(client.get(f"/data/{path}", buffered=True).data).hexdigest() == digest


def test_the_data_package_validates_with_frictionless(city_app):
    root = downloads.data_dir(city_app)
    report = frictionless.validate(str(root / "datapackage.json"))
    assert report.valid, [e.message for task in report.tasks for e in task.errors][:5]
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert resources["powers"]["schema"]["foreignKeys"][0]["reference"]["resource"] == "departments"
    assert resources["services-materials"]["schema"]["primaryKey"] == ["code", "row"]
    power_type = next(f for f in resources["powers"]["schema"]["fields"] if f["name"] == "power_type")
    assert power_type["constraints"]["enum"][0] == "行政许可" and power_type["title"] == "权力类型"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"


def test_the_dcat_catalogue_parses_and_every_distribution_answers(client):
    for fmt, parser in (("jsonld", "json-ld"), ("ttl", "turtle")):
        response = client.get(f"/data/catalog.{fmt}", buffered=True)
        assert response.status_code == 200
        graph = Graph().parse(data=response.get_data(as_text=True), format=parser)
        datasets = set(graph.subjects(predicate=None, object=DCAT.Dataset))
        assert len(datasets) == len(KINDS) + 1
        urls = {str(u) for u in graph.objects(predicate=DCAT.downloadURL)}
        assert len(urls) >= 4 * (len(KINDS) + 1)
        for url in urls:
            assert client.get(url.replace("http://localhost", ""), buffered=True).status_code == 200, url
        for dataset in datasets:
            page = str(next(graph.objects(dataset, DCAT.landingPage)))
            assert client.get(page.replace("http://localhost", "")).status_code == 200
    assert URIRef("http://localhost/zh-hans/data/powers/") in datasets


@pytest.mark.parametrize("lang", ["zh-hans", "zh-hant", "en"])
def test_dataset_pages_describe_the_files_and_the_dictionary(client, lang):
    index = client.get(f"/{lang}/data/")
    assert index.status_code == 200
    page = client.get(f"/{lang}/data/services/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/data/services.csv"' in html and 'href="/data/services.materials.csv"' in html
    twin = client.get(f"/{lang}/data/services.json").get_json()
    assert twin["rows"] == 1 and {"name", "label", "type", "required", "values"} <= set(twin["dictionary"][0])
    assert any(c["name"] == "case_type" and c["values"] == ["即办件", "承诺件", "联办件", "上报件"]
               for c in twin["dictionary"])
    schema_org = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert schema_org["@type"] == "Dataset" and schema_org["distribution"]
    if lang == "zh-hans":
        assert "数据字典" in visible_text(html) and "服务对象" in visible_text(html)


def test_the_sample_city_open_data_page_links_only_what_exists(tmp_path):
    app = make_app(tmp_path, content=CONTENT)  # its site pages; the database may stay empty
    with app.app_context():
        downloads.sync(db.session, everything=True)
    client = app.test_client()
    url = "/zh-hans/pages/open-data/"
    page = client.get(url)
    assert page.status_code == 200
    local = [urljoin(url, href) for href in parse_html(page.get_data(as_text=True)).anchors
             if not href.startswith(("http", "#", "mailto:"))]
    assert "/zh-hans/data/" in local and "/data/datapackage.json" in local
    for href in local:
        assert client.get(href, buffered=True).status_code == 200, href


@pytest.fixture
def publishing(app):
    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    return app


def test_a_publish_rewrites_the_files_it_touches_only(publishing):
    root = downloads.data_dir(publishing)
    before = downloads.manifest(publishing)["files"]
    with publishing.app_context():
        department = Department.by_code(db.session, "99010001FG")
        records = [i.record for i in db.session.scalars(select(PowerItem).where(
            PowerItem.department_id == department.id, PowerItem.withdrawn_at.is_(None)))]
        with publish.opened(db.session) as writer:
            writer.publish(department, KINDS["powers"], [{**r, "remarks": "已调整"} for r in records],
                           author="t", source="upload")
    after = downloads.manifest(publishing)["files"]
    changed = {p for p in after if after[p]["sha256"] != before[p]["sha256"]}
    assert {"powers.csv", "departments/99010001FG/powers.csv", "datapackage.json"} - {"datapackage.json"} <= changed
    assert not any(p.startswith(("services", "departments/99010002MZ")) for p in changed)
    text = (root / "powers.csv").read_text(encoding="utf-8-sig")
    assert text.count("已调整") == len(records)


def test_formulas_are_neutralised_in_csv_and_text_in_xlsx(publishing):
    hostile = ["=HYPERLINK(\"http://evil.example\",\"点击\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "-5", "+86"]
    with publishing.app_context():
        department = Department.by_code(db.session, "99010001FG")
        records = [i.record for i in db.session.scalars(select(PowerItem).where(
            PowerItem.department_id == department.id, PowerItem.withdrawn_at.is_(None)).order_by(PowerItem.code))]
        edited = [{**r, "remarks": value} for r, value in zip(records, hostile)]
        with publish.opened(db.session) as writer:
            writer.publish(department, KINDS["powers"], edited, author="t", source="upload")
    client = publishing.test_client()
    rows = _csv(client.get("/data/departments/99010001FG/powers.csv", buffered=True))
    column = rows[0].index("备注")
    written = [row[column] for row in rows[1:]]
    expected = [v if v in ("-5", "+86") else "'" + v for v in hostile][:len(records)]
    assert written == expected
    # Undoing the documented neutralisation gives back what was published.
    assert [w[1:] if w.startswith("'") else w for w in written] == hostile[:len(records)]
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/data/departments/99010001FG/powers.xlsx", buffered=True).data))
    sheet = workbook.active
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == hostile[:len(records)] and all(c.data_type == "s" for c in cells)
    data = client.get("/data/departments/99010001FG/powers.json", buffered=True).get_json()
    assert [r["remarks"] for r in data] == hostile[:len(records)]


def test_downloads_pass_the_privacy_guard(publishing):
    phone = "13912345678"
    with publishing.app_context():
        case = db.session.scalars(select(ComplaintCase).where(ComplaintCase.code == "2024-XN-0001")).one()
        case.record = {**case.record, "summary": case.record["summary"] + f"联系电话 {phone}。"}
        db.session.commit()
        downloads.sync(db.session, everything=True)
    root = downloads.data_dir(publishing)
    for path in root.rglob("*"):
        if path.is_file():
            assert phone not in path.read_bytes().decode("utf-8", "replace"), path
    data = publishing.test_client().get("/data/complaints.json", buffered=True).get_json()
    assert [r["code"] for r in data] == ["2024-XN-0002"]


def test_sync_rebuilds_nothing_when_nothing_changed(publishing):
    with publishing.app_context():
        assert downloads.sync(db.session) == 0
        assert downloads.sync(db.session, everything=True) > 0
    assert Path(downloads.data_dir(publishing), "datapackage.json").exists()


@pytest.mark.parametrize("fmt, kind", [("xlsx", "services"), ("xlsx", "complaints"),
                                        *(("json", kind) for kind in KINDS)])
def test_a_downloaded_file_uploads_again_unchanged(publishing, fmt, kind):
    """A department's workbook, or its JSON file (keyed by identifiers, values typed), uploads again."""
    department = "99010002MZ" if kind == "complaints" else "99010001FG"
    make_user(publishing, "clerk", department)
    client = publishing.test_client()
    data = client.get(f"/data/departments/{department}/{kind}.{fmt}", buffered=True).data
    log_in(client, "clerk")
    staged = upload(client, data, f"{kind}.{fmt}", kind=kind, department=department)
    assert staged.status_code == 302, visible_text(staged.get_data(as_text=True))[:800]
    with publishing.app_context():
        upload_row = db.session.scalars(select(Upload).order_by(Upload.id.desc())).first()
        assert upload_row.counts == {"added": 0, "changed": 0, "withdrawn": 0,
                                     "unchanged": len(_live(publishing, kind, department))}


def test_writing_everything_again_gives_the_same_bytes_and_leaves_each_file_in_place(publishing):
    root = downloads.data_dir(publishing)
    listed = downloads.manifest(publishing)["files"]
    before = {path: ((root / path).read_bytes(), (root / path).stat().st_mtime_ns) for path in listed}
    with publishing.app_context():
        downloads.sync(db.session, everything=True)
    after = downloads.manifest(publishing)["files"]
    assert {p: e["sha256"] for p, e in after.items()} == {p: e["sha256"] for p, e in listed.items()}
    for path, (data, stamp) in before.items():
        # The same bytes, and the file untouched: its Last-Modified and any cache of it stay valid.
        assert (root / path).read_bytes() == data and (root / path).stat().st_mtime_ns == stamp, path
    assert not list(root.rglob("*.tmp"))


def test_a_json_file_keyed_by_identifiers_is_checked_as_one_keyed_by_headers(publishing):
    make_user(publishing, "clerk", "99010001FG")
    client = publishing.test_client()
    items = client.get("/data/departments/99010001FG/powers.json", buffered=True).get_json()
    log_in(client, "clerk")
    with publishing.app_context():
        before = db.session.scalar(select(func.count()).select_from(Upload))

    def refused(edited: list[dict]) -> str:
        response = upload(client, json.dumps(edited, ensure_ascii=False).encode(), "powers.json",
                          kind="powers", department="99010001FG")
        assert response.status_code == 422
        return visible_text(response.get_data(as_text=True))

    text = refused([{**items[0], "level": ["市级", "部级"]},  # not a level the list allows
                    {**items[1], "level": [{"级别": "市级"}]}, *items[2:]])  # not text
    assert "“部级”不是允许的值" in text and "应为单个值" in text, text[:1500]
    # A field given twice, by its header and by its identifier: neither silently wins.
    assert "未知的列：“name”" in refused([{**items[0], "事项名称": "另一个名称"}, *items[1:]])
    with publishing.app_context():
        assert db.session.scalar(select(func.count()).select_from(Upload)) == before
