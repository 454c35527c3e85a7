"""Warm a new app server process before it answers its first visitor.

A fresh worker compiles each template, loads each language's catalogue, opens the
search index and reads the published figures on the first request that needs them:
at province scale the first home page, list or department page costs 50–250 ms of CPU
instead of a few, and whoever comes first after every start or reload (`kill -HUP`
on a deploy) pays it. gunicorn calls `warm` once in each worker before the worker
takes connections (scripts/gunicorn.conf.py), so the worker pays it instead.

The pages are asked for through the app itself, as a visitor would ask: what a
page reads and keeps is exactly what a visitor's request would have read and kept.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Department
from ..schemas import KINDS
from .urls import changes_url, department_url, list_url

log = logging.getLogger(__name__)

# A word that every city's power list holds (行政许可 is a power type), so the search page
# warms its index reader, query parser and result template on real hits.
SEARCH_WORD = "许可"


def paths(app: Flask) -> list[str]:
    """The pages a worker renders before its first visitor: the home page in every
    language, every kind's list, the first department's page, the change log, search
    and the data page, in the default language."""
    with app.test_request_context():
        found = [url_for("home.index", lang=lang, fmt="html") for lang in app.config["LOCALES"]]
        found += [list_url(kind) for kind in KINDS]
        code = db.session.scalar(select(Department.code).order_by(Department.code).limit(1))
        if code is not None:
            found.append(department_url(code))
        found += [changes_url(), url_for("search.results", fmt="html", q=SEARCH_WORD),
                  url_for("data.index", fmt="html")]
        db.session.remove()
    return found


def warm(app: Flask) -> list[tuple[str, int, float]]:
    """Ask for each of `paths` once; return (path, status, milliseconds) for each.

    A page that fails is logged and passed over: a worker that could not warm up
    still serves, as it would have without warming.
    """
    client = app.test_client()
    answers = []
    for path in paths(app):
        started = time.perf_counter()
        status = client.get(path).status_code
        took = (time.perf_counter() - started) * 1000
        if status != 200:
            log.warning("warming %s answered %s", path, status)
        answers.append((path, status, took))
    return answers
