"""Schema migrations: bring a database to the models' schema, and write the next migration.

The migrations are Alembic scripts in `portal/migrations/versions/`, numbered
0001, 0002, … (0001 is the schema as it stood when the portal still created its
tables with `Base.metadata.create_all`). Alembic is configured here, in code: the
project has no alembic.ini, and `flask --app portal db …` (portal/cli.py) wraps
these functions.

A database that `create_all` made before there were migrations has the portal's
tables but no `alembic_version` table; `upgrade` marks it as being at 0001 (when
its tables and columns are exactly 0001's) and then upgrades it like any other.
"""

from __future__ import annotations

import functools
from argparse import Namespace
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, TypeDecorator, create_engine, inspect, text

from .models import Base

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"  # the schema of the portal before migrations
VERSION_TABLE = "alembic_version"
# Keys of PostgreSQL's advisory locks, constants every app server shares (and not the door's):
# one migration at a time, and one `flask setup` at a time (its migration and first load).
_MIGRATION_LOCK = 0x6D6A2D6D69677261  # "mj-migra"
_SETUP_LOCK = 0x6D6A2D7365747570  # "mj-setup"


class MigrationError(RuntimeError):
    """A database that cannot be migrated as it is, or a migration that cannot be written."""


@dataclass
class Upgraded:
    """What `upgrade` did: the revision before and after, and whether it adopted the database."""

    before: str | None
    after: str | None
    adopted: bool  # made before migrations: marked as BASELINE first


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the portal; `connection` is the one env.py migrates."""
    # quiet: the `flask db` commands say what happened; Alembic would print to stdout too.
    cfg = Config(cmd_opts=Namespace(quiet=True, x=[]))
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # Revision ids are 0001, 0002 …, so file names sort in the order they run.
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def context_options() -> dict:
    """The options env.py and `schema_differences` give Alembic, so that both compare alike."""
    return {
        # Always batch: SQLite can ALTER almost nothing in place, and on PostgreSQL a batch is
        # plain ALTERs. A migration written against either database then runs on both.
        "render_as_batch": True,
        "compare_type": True,
        "render_item": _render_item,
    }


def _render_item(type_, obj, autogen_context):
    # A migration must describe the schema as it was when written, so it never imports the
    # models (they keep changing). Column types wrapped in a TypeDecorator (UTCDateTime)
    # are written as the SQLAlchemy type that the database sees.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        impl = obj.impl_instance
        if type(impl).__module__.startswith("sqlalchemy.sql"):
            return f"sa.{impl!r}"
    return False


def heads() -> list[str]:
    """The newest revision(s) of the migration scripts (one, unless two branches each added one)."""
    return list(ScriptDirectory.from_config(config()).get_heads())


def current(connection: Connection) -> str | None:
    """The revision the database is at; None for an empty one or one made before migrations."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> Upgraded:
    """Migrate the database to `revision` (default: the newest), in one transaction.

    An empty database gets every table; one made before migrations is first marked as
    BASELINE (see `_made_before_migrations`); one at `revision` already is left alone.
    """
    try:
        with _migrating(engine) as connection:
            before = current(connection)
            adopted = _made_before_migrations(connection)
            if adopted:
                command.stamp(config(connection), BASELINE)
                before = BASELINE
            command.upgrade(config(connection), revision)
            after = current(connection)
    except CommandError as error:  # e.g. a revision that no script has (a database from another branch)
        raise MigrationError(str(error)) from error
    return Upgraded(before, after, adopted)


def create_at_head(engine: Engine) -> None:
    """Create every table straight from the models and record the newest revision.

    For throwaway databases (tests, benchmarks) where running each migration would only
    cost time; tests/test_migrations.py checks that the migrations build the same schema.
    """
    Base.metadata.create_all(engine)
    with _migrating(engine) as connection:
        command.stamp(config(connection), "head")


@contextmanager
def one_setup_at_a_time(engine: Engine) -> Iterator[None]:
    """Hold PostgreSQL's setup lock while the block runs: a second server's `flask setup`
    waits for the first to have migrated and loaded the first content. (On SQLite the
    database's own write lock keeps writers apart.)"""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _SETUP_LOCK})
        connection.commit()  # the lock is the session's: no transaction need stay open meanwhile
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _SETUP_LOCK})
            connection.commit()


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that commits only when the whole upgrade succeeded."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # On SQLite a batch migration copies a table, drops the original and renames the
            # copy. With foreign keys enforced (portal.extensions turns them on), that DROP
            # fails for any table that others refer to. The pragma only takes effect outside
            # a transaction; the check at the end stands in for it.
            # On the driver's connection: through SQLAlchemy the statement would begin a
            # transaction first (portal.extensions begins them explicitly), and be ignored.
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                if sqlite and not getattr(connection.connection.dbapi_connection, "in_transaction", True):
                    # Python's sqlite3 opens a transaction only before INSERT, UPDATE and
                    # DELETE, so DDL would commit statement by statement and a failed
                    # migration would leave half a table copy behind. Open it now.
                    connection.exec_driver_sql("BEGIN")
                if connection.dialect.name == "postgresql":
                    # Two servers started at once against one database: the second waits here
                    # until the first has committed, then finds the database at its revision.
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                dangling = _dangling_references(connection) if sqlite else None
                yield connection
                if sqlite:
                    _check_references(connection, dangling)
        finally:
            if sqlite:
                # The connection goes back to the pool: later sessions expect foreign keys on.
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _dangling_references(connection: Connection) -> Counter:
    """How many rows of each table refer to a missing row of which table (SQLite)."""
    return Counter((table, parent) for table, _rowid, parent, _key in
                   connection.exec_driver_sql("PRAGMA foreign_key_check"))


def _check_references(connection: Connection, before: Counter) -> None:
    # Compared with before the upgrade, so that an old orphan row (from a database
    # written with foreign keys off) does not block every upgrade; new ones roll it back.
    grown = _dangling_references(connection) - before
    if grown:
        where = ", ".join(f"{table} → {parent} ({n})" for (table, parent), n in sorted(grown.items()))
        raise MigrationError(f"the migration left rows that refer to missing rows: {where}; nothing was changed")


def _made_before_migrations(connection: Connection) -> bool:
    """True when `create_all` made this database, before the portal had migrations.

    That is: no `alembic_version` table, and the tables of BASELINE present. A database
    with none of them is empty (or another application's) and is upgraded from nothing.
    One with only some of them, or with columns that BASELINE does not have, cannot be
    marked safely (a later `create_all` from newer models may have made it), so it is
    refused with what differs.
    """
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    if VERSION_TABLE in tables:
        return False
    baseline = _baseline_schema()
    if not tables & baseline.keys():
        return False
    problems = []
    for table, columns in sorted(baseline.items()):
        if table not in tables:
            problems.append(f"table {table} is missing")
            continue
        present = {column["name"] for column in inspector.get_columns(table)}
        if missing := sorted(columns - present):
            problems.append(f"{table} lacks {', '.join(missing)}")
        if extra := sorted(present - columns):
            problems.append(f"{table} has columns that {BASELINE} does not: {', '.join(extra)}")
    if problems:
        raise MigrationError(
            "the database has portal tables but no alembic_version table, and they do not match "
            f"migration {BASELINE}, so it cannot be marked as made before migrations: "
            + "; ".join(problems)
        )
    return True


@functools.cache
def _baseline_schema() -> dict[str, frozenset[str]]:
    """BASELINE's tables and their columns, read from a scratch database migrated to it."""
    # The 0001 script itself is the record of the schema before migrations; the models
    # move on, so they cannot say what an old database holds.
    with _scratch(BASELINE) as connection:
        inspector = inspect(connection)
        return {
            table: frozenset(column["name"] for column in inspector.get_columns(table))
            for table in inspector.get_table_names()
            if table != VERSION_TABLE
        }


@contextmanager
def _scratch(revision: str) -> Iterator[Connection]:
    """An in-memory SQLite database migrated to `revision`, for as long as the block runs."""
    engine = create_engine("sqlite://")
    try:
        with engine.connect() as connection:
            command.upgrade(config(connection), revision)
            yield connection
    finally:
        engine.dispose()


def schema_differences(connection: Connection) -> list:
    """How the database's schema differs from the models (Alembic's diff tuples); [] when alike."""
    context = MigrationContext.configure(connection, opts=context_options())
    return compare_metadata(context, Base.metadata)


def revision(message: str, autogenerate: bool = True) -> Path | None:
    """Write the next migration script and return its path; None when the models did not change.

    With `autogenerate` the script holds what the models have that the newest migration
    does not, compared on a scratch SQLite database migrated to head (so neither the state
    nor the kind of your own database matters). Read it before committing: Alembic does not
    see renames (it writes a drop and an add) nor data that must be moved.
    """
    tops = heads()
    if len(tops) > 1:
        raise MigrationError(
            f"the migrations have several heads ({', '.join(sorted(tops))}): two branches each added "
            "one; renumber yours to follow the other (its revision and down_revision) first"
        )
    if not tops:
        rev_id = BASELINE
    elif tops[0].isdigit():
        rev_id = f"{int(tops[0]) + 1:04d}"
    else:  # a hand-named head: let Alembic choose
        rev_id = None

    def skip_if_empty(_context, _revision, directives):
        # Autogenerate writes a script even when nothing changed; an empty one only confuses.
        if directives[0].upgrade_ops.is_empty():
            directives[:] = []

    try:
        if autogenerate:
            with _scratch("head") as connection:
                script = command.revision(config(connection), message, autogenerate=True, rev_id=rev_id,
                                          process_revision_directives=skip_if_empty)
        else:
            script = command.revision(config(), message, rev_id=rev_id)
    except CommandError as error:
        raise MigrationError(str(error)) from error
    return Path(script.path) if script else None
