"""Fixtures: a read-only app with the small fixture city, and fresh apps for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from portal import create_app
from portal.extensions import db
from portal.i18n import catalogs
from portal.publish.content import load_directory
from portal import migrate
from tests import databases

FIXTURE_CITY = Path(__file__).parent / "fixtures" / "city"
CONTENT = Path(__file__).parent.parent / "content"


def pytest_sessionstart(session):
    """Compile the catalogs first: the pages are tested in every language."""
    catalogs.compile_all()


def pytest_sessionfinish(session):
    """Drop the PostgreSQL databases the run made (nothing to do on SQLite)."""
    databases.release_all()


def pytest_report_header(config):
    """Say which database the run tests against."""
    return "database: " + ("PostgreSQL (TEST_DATABASE_URL)" if databases.POSTGRES else "SQLite")


class Client(FlaskClient):
    """A test client that reads each answer whole, as a browser does, and closes it.

    Downloads are files sent from disk; an answer nobody reads to the end would keep its
    file open, which the warnings-as-errors policy turns into a failure.
    """

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def make_app(tmp_path: Path, content: Path = FIXTURE_CITY, **settings):
    """An app with its own database (tests/databases.py) and instance folder under `tmp_path`;
    `settings` override the configuration."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": databases.database_url(tmp_path),
            "CONTENT_DIR": str(content),
            "INSTANCE_PATH": str(tmp_path),
            # Tests hash passwords with argon2's cheapest profile; production keeps RFC 9106's.
            "PASSWORD_PROFILE": "CHEAPEST",
            **settings,
        }
    )
    app.test_client_class = Client
    databases.track(app)
    if not databases.POSTGRES:  # a PostgreSQL database is copied from one that has the tables
        with app.app_context():
            migrate.create_at_head(db.engine)
    return app


@pytest.fixture(scope="session")
def city_app(tmp_path_factory):
    """A read-only app with the fixture city loaded once for the whole session."""
    app = make_app(tmp_path_factory.mktemp("city"))
    with app.app_context():
        report = load_directory(db.session, FIXTURE_CITY)
        assert report.ok, [(f.path, f.problems) for f in report.files]
    return app


@pytest.fixture
def client(city_app):
    """A test client of the read-only fixture city."""
    return city_app.test_client()


@pytest.fixture
def app(tmp_path):
    """A fresh app with an empty database, for tests that write."""
    yield make_app(tmp_path)
    databases.release(tmp_path)


@pytest.fixture(autouse=True, scope="module")
def _close_connections():
    """Close the pooled connections of each module's apps when it ends (PostgreSQL's are counted)."""
    yield
    databases.close_connections()


@pytest.fixture
def desk(app):
    """The fresh app with the fixture city and an account of 99010001FG ("fg") that may upload on
    the web and by API. (Test files that need more accounts declare a `desk` of their own.)"""
    from tests.desk_helpers import make_user

    with app.app_context():
        assert load_directory(db.session, FIXTURE_CITY).ok
    make_user(app, "fg", "99010001FG")
    return app


@pytest.fixture
def runner(app):
    """A CLI runner of the fresh app."""
    return app.test_cli_runner()


@pytest.fixture
def city_copy(tmp_path):
    """A writable copy of the fixture city's files."""
    target = tmp_path / "city"
    shutil.copytree(FIXTURE_CITY, target)
    return target


@pytest.fixture(scope="session")
def sample_app(tmp_path_factory):
    """A read-only app with the committed sample city (content/) loaded and its search index built."""
    from portal import search

    app = make_app(tmp_path_factory.mktemp("sample-city"), content=CONTENT)
    with app.app_context():
        report = load_directory(db.session, CONTENT)
        assert report.ok
        search.rebuild(db.session)
    return app
