"""Extensions are created here and bound to an app in create_app."""

from __future__ import annotations

import json

import orjson
from flask import Flask, current_app, g
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker


class _AppSession(Session):
    """A session that talks to the engine of the app in context."""

    def get_bind(self, mapper=None, clause=None, **kwargs):
        return current_app.extensions["portal.engine"]


def _app_context_id():
    # One session per app context: requests and CLI commands each get their own.
    # `g` is created afresh with every app context, so its identity names the context.
    return id(g._get_current_object())


class Database:
    """A SQLAlchemy engine per app and a session per app context."""

    def __init__(self) -> None:
        self.session = scoped_session(
            sessionmaker(class_=_AppSession, expire_on_commit=False), scopefunc=_app_context_id
        )

    def init_app(self, app: Flask) -> None:
        """Create the app's engine from DATABASE_URL and end sessions with the app context."""
        url = app.config["DATABASE_URL"]
        if url.startswith("sqlite"):
            # A publish waits this long for another one to finish before it answers 409.
            engine = create_engine(url, connect_args={"timeout": app.config["WRITE_WAIT_SECONDS"]},
                                   json_serializer=stored_json, json_deserializer=read_json)
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = create_engine(url, json_serializer=stored_json, json_deserializer=read_json)
        app.extensions["portal.engine"] = engine
        app.teardown_appcontext(lambda exc: self.session.remove())

    @property
    def engine(self):
        """The engine of the app in context."""
        return current_app.extensions["portal.engine"]


class EncodedJSON(str):
    """A value for a JSON column given as the JSON text it was already encoded to (a publish
    encodes each record once, for its item, its revision's snapshot and the content hash)."""


class EncodedList(list):
    """A list for a JSON column that carries its JSON text (`encoded`), written as such."""

    encoded: str = ""


def stored_json(value) -> str:
    """How JSON columns are written: Chinese as UTF-8 (the default escapes each character into six
    bytes, about three times the space of a record), without padding. What is read back is the
    same value, so the hashes of revisions, made from values (portal.publish.canonical), hold."""
    if value.__class__ is EncodedJSON:
        return str(value)
    if value.__class__ is EncodedList:
        return value.encoded
    return _ENCODER.encode(value)


# Made once: `json.dumps` with options builds an encoder on every call (a publish writes thousands).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def read_json(text):
    """How JSON columns are read: by orjson, about twice as fast as `json` on a record (a large
    department page reads a few hundred), into the same values; `json` reads what orjson refuses
    (an integer beyond 64 bits)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _sqlite_pragmas(connection, record):
    # Foreign keys are off by default in SQLite; WAL lets readers run during a publish.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
    # The driver's own transaction handling begins late and never IMMEDIATE; hand it to
    # SQLAlchemy's "begin" event, so that the write door can take the write lock up front.
    connection.isolation_level = None


def _sqlite_begin(connection):
    immediate = connection.get_execution_options().get("portal_immediate")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session: Session) -> None:
    """Begin the session's next transaction as one that will write, ending the one it had.

    On SQLite (WAL) a transaction that has read and then writes cannot wait for another
    writer: while a publish holds the write lock, or once it has committed, the write
    fails at once with "database is locked". One that begins IMMEDIATE takes the write
    lock first, waiting for it up to the busy timeout. PostgreSQL needs nothing here.
    The session must have no pending changes; objects it loaded stay loaded.
    """
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("commit or discard pending changes before beginning a write")
    session.commit()
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={"portal_immediate": True})


db = Database()
babel = Babel()
csrf = CSRFProtect()
