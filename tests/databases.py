"""The database each test app gets: a SQLite file, or a PostgreSQL database of its own.

Without `TEST_DATABASE_URL` every app has a SQLite file in its instance folder. With
`TEST_DATABASE_URL=postgresql+psycopg://user:password@host/name` every app gets a database
of its own on that server, copied from a template built once per run (a copy takes a few
hundredths of a second; building the tables takes several times that). The role needs
CREATEDB; the database named in the URL only serves to create and drop the others, which
are named after it, this process and a number, and dropped at the end of the run.
"""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

URL = os.environ.get("TEST_DATABASE_URL", "")
POSTGRES = URL.startswith("postgresql")

_numbers = itertools.count(1)
_by_folder: dict[Path, str] = {}  # an instance folder → its database (a second app there shares it)
_engines: dict[str, list[Engine]] = {}  # a database → the engines of the apps that use it
_admin: Engine | None = None
_template: str | None = None


def _prefix() -> str:
    # The process id keeps two runs against one server (and xdist's workers) apart.
    return f"{make_url(URL).database}_{os.getpid()}"


def _url_of(database: str) -> str:
    return make_url(URL).set(database=database).render_as_string(hide_password=False)


def _admin_engine() -> Engine:
    global _admin
    if _admin is None:
        _admin = create_engine(URL, isolation_level="AUTOCOMMIT")
        _drop_leftovers(_admin)
    return _admin


def _drop_leftovers(admin: Engine) -> None:
    """Drop the databases of earlier runs that ended without cleaning up (killed, crashed)."""
    base = make_url(URL).database
    with admin.connect() as connection:
        names = connection.scalars(text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
                                   {"pattern": base + "\\_%\\_%"}).all()
        for name in names:
            pid = name[len(base) + 1:].split("_", 1)[0]
            if pid.isdigit() and not _running(int(pid)):
                _drop(connection, name)


def _drop(connection, name: str) -> None:
    """Drop a test database, ending its sessions. An autovacuum worker may be in it: FORCE cannot end
    that one without pg_signal_backend, and it ends by itself in a moment, so the drop is tried again."""
    for attempt in range(20):
        try:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError as error:
            connection.rollback()
            if "pg_signal_backend" not in str(error.orig) or attempt == 19:
                raise
            time.sleep(0.25)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _create(template: str | None = None) -> str:
    name = f"{_prefix()}_{next(_numbers)}"
    # Text sorts by code point, as on SQLite and as README's production database is made.
    clause = f'TEMPLATE "{template}"' if template else "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C'"
    with _admin_engine().connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" {clause}'))
    _engines[name] = []
    return name


def _template_database() -> str:
    """A database with every table at the newest revision, to copy (built on first use)."""
    global _template
    if _template is None:
        from portal import migrate

        name = _create()
        engine = create_engine(_url_of(name))
        try:
            migrate.create_at_head(engine)
        finally:
            engine.dispose()  # a template must have no connections while it is copied
        _template = name
    return _template


def database_url(folder: Path, *, empty: bool = False) -> str:
    """The database URL for an app whose instance folder is `folder`.

    The tables are there already (as `migrate.create_at_head` makes them) unless `empty`;
    a second app in the same folder gets the same database, as a restarted app would.
    """
    if not POSTGRES:
        return f"sqlite:///{folder / 'portal.sqlite3'}"
    if folder not in _by_folder:
        _by_folder[folder] = _create(None if empty else _template_database())
    return _url_of(_by_folder[folder])


def track(app) -> None:
    """Remember the app's engine, so that its connections are closed before its database is dropped."""
    if POSTGRES:
        engine = app.extensions["portal.engine"]
        _engines.setdefault(engine.url.database, []).append(engine)


def close_connections() -> None:
    """Close every idle pooled connection (the engines open new ones when used again)."""
    for engines in _engines.values():
        for engine in engines:
            engine.dispose()


def release(folder: Path) -> None:
    """Drop the database of the apps in `folder`, closing their connections first."""
    name = _by_folder.pop(folder, None)
    if name is None:
        return
    for engine in _engines.pop(name, []):
        engine.dispose()
    with _admin_engine().connect() as connection:
        _drop(connection, name)


def release_all() -> None:
    """Drop every database this run made, the template last."""
    global _admin, _template
    if _admin is None:
        return
    for folder in list(_by_folder):
        release(folder)
    close_connections()
    with _admin.connect() as connection:
        for name in list(_engines):
            _drop(connection, name)
    _engines.clear()
    _admin.dispose()
    _admin = _template = None
