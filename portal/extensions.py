"""Extensions are created here and bound to an app in create_app."""

from __future__ import annotations

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
        engine = create_engine(url)
        if url.startswith("sqlite"):
            event.listen(engine, "connect", _sqlite_pragmas)
        app.extensions["portal.engine"] = engine
        app.teardown_appcontext(lambda exc: self.session.remove())

    @property
    def engine(self):
        """The engine of the app in context."""
        return current_app.extensions["portal.engine"]


def _sqlite_pragmas(connection, record):
    # Foreign keys are off by default in SQLite; WAL lets readers run during a publish.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


db = Database()
babel = Babel()
csrf = CSRFProtect()
