"""Open data: the download files (static, written at publish time), and a page per dataset.

`/data/…` serves what `portal.downloads` wrote, with ETag and Last-Modified, to
anyone (CORS); `/<lang>/data/` lists the datasets and `/<lang>/data/<kind>/`
describes one: what it holds, when it was updated, its files with their sizes,
its licence and its data dictionary from the declaration.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from .. import downloads
from ..catalog import lookup
from ..city import city
from ..downloads.build import flat_fields, tables
from ..downloads.package import LICENSE
from ..extensions import db
from ..i18n.display import department_name
from ..schemas import DEPARTMENTS, KINDS, declared
from ..opendata import dcat
from ..web.locale import default_lang, localized_blueprint
from ..web.twins import render, route

files = Blueprint("data_files", __name__)
bp = localized_blueprint("data", __name__)

# Downloads change only when something is published; readers may keep them briefly and revalidate.
MAX_AGE = 300
_DESCRIPTIONS = ("datapackage.json", "SHA256SUMS")


@files.route("/data/catalog.<any(jsonld,ttl):fmt>")
def catalogue(fmt):
    """The DCAT-AP catalogue of every dataset and its files (JSON-LD or Turtle), for harvesters."""
    the_city = city(current_app.config["CONTENT_DIR"])
    with force_locale("zh_Hans"):
        datasets = [dataset(name) for name in (*KINDS, DEPARTMENTS.name)]
        for data in datasets:
            data["url"] = url_for("data.dataset_page", lang=default_lang(), name=data["name"], _external=True)
        graph = dcat.catalogue(
            title=_("%(city)s机关效能建设公开数据", city=the_city.name),
            description=_("权责清单、办事指南、服务承诺、绩效考评结果和效能投诉办结案件,由各部门发布。"),
            homepage=url_for("home.index", lang=default_lang(), _external=True),
            publisher=_("%(city)s各部门", city=the_city.name),
            datasets=datasets,
            url_of=lambda path: url_for("data_files.download", name=path, _external=True),
        )
    body = graph.serialize(format="json-ld" if fmt == "jsonld" else "turtle")
    response = current_app.response_class(body, mimetype="application/ld+json" if fmt == "jsonld" else "text/turtle")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@files.route("/data/<path:name>")
def download(name):
    """A download file, the data package or SHA256SUMS (404 for anything the manifest does not list)."""
    if name not in downloads.manifest()["files"] and name not in _DESCRIPTIONS:
        abort(404)
    response = send_from_directory(downloads.data_dir(), name, conditional=True, etag=True, max_age=MAX_AGE)
    response.headers["Access-Control-Allow-Origin"] = "*"
    if name.endswith(".csv"):
        response.mimetype = "text/csv"
        response.charset = "utf-8"
    return response


def _file(path: str, entry: dict) -> dict:
    return {"path": path, "url": url_for("data_files.download", name=path), "bytes": entry["bytes"],
            "rows": entry["rows"], "sha256": entry["sha256"], "updated": entry["updated"]}


def dataset(name: str) -> dict:
    """A dataset (a kind, or the departments) as its page and twin describe it."""
    kind = declared(name)
    found = downloads.scope_files(name)
    main = found.get(f"{name}.csv")
    return {
        "name": name,
        "title": str(kind.label),
        "description": str(kind.description),
        "rows": main["rows"] if main else 0,
        "updated": max((e["updated"] for e in found.values() if e["updated"]), default=None),
        "files": [_file(path, entry) for path, entry in found.items()],
        "license": LICENSE,
        "url": url_for("data.dataset_page", name=name),
    }


@route(bp, "/data/")
def index(fmt):
    """Every dataset, with its files and the city's data package."""
    names = [*KINDS, DEPARTMENTS.name]
    data = {
        "datasets": [dataset(name) for name in names],
        "datapackage": url_for("data_files.download", name="datapackage.json"),
        "sha256sums": url_for("data_files.download", name="SHA256SUMS"),
        "license": LICENSE,
    }
    return render(fmt, "data/index.html", data)


@route(bp, "/data/<kind(reference=True):name>/")
def dataset_page(name, fmt):
    """One dataset: its files for the city and per department, and its data dictionary."""
    kind = declared(name)
    data = dataset(name)
    data["dictionary"] = _dictionary(kind)
    if name in KINDS:
        data["departments"] = [
            {"code": d["code"], "name": department_name(d),
             "files": [_file(p, e) for p, e in downloads.scope_files(name, d["code"]).items()]}
            for d in lookup.department_names(db.session)
        ]
    return render(fmt, "data/dataset.html", data, kind=kind, jsonld=_schema_org(data))


_MEDIA = {"csv": "text/csv", "json": "application/json",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _schema_org(data: dict) -> dict:
    """The dataset as schema.org's Dataset (what dataset search engines read)."""
    return {
        "@context": "https://schema.org", "@type": "Dataset",
        "name": data["title"], "description": data["description"] or data["title"],
        "url": url_for("data.dataset_page", name=data["name"], _external=True),
        "license": LICENSE["path"], "dateModified": data["updated"], "isAccessibleForFree": True,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": _MEDIA[f["path"].rsplit(".", 1)[-1]],
             "contentUrl": url_for("data_files.download", name=f["path"], _external=True)}
            for f in data["files"]
        ],
    }


def _dictionary(kind) -> list[dict]:
    """Every column of the dataset's files: Chinese name, identifier, type, required, allowed values, help."""
    def describe(field, table=None) -> dict:
        return {"table": str(table.label) if table else None, "label": str(field.label), "name": field.name,
                "type": str(field.type_label), "required": field.required,
                "values": list(getattr(field, "choices", ())), "help": str(field.help)}

    fields = flat_fields(kind) if kind.name in KINDS else [f for f in kind.fields]
    rows = [describe(f) for f in fields]
    for table in tables(kind) if kind.name in KINDS else []:
        rows += [describe(c, table) for c in table.columns]
    return rows

