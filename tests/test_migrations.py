"""Schema migrations: old databases are carried forward, and the migrations match the models.

They run against the test database (tests/databases.py): SQLite, or PostgreSQL when
TEST_DATABASE_URL names one. The database made before migrations is a SQLite file, so the
tests that start from it run on SQLite only.
"""

from __future__ import annotations

import pprint
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from portal import create_app, migrate
from portal.accounts import users
from portal.extensions import db
from portal.publish.verify import verify_chain
from tests import databases
from tests.conftest import FIXTURE_CITY

sqlite_only = pytest.mark.skipif(databases.POSTGRES,
                                 reason="the database made before migrations is a SQLite file")

BEFORE_MIGRATIONS = Path(__file__).parent / "fixtures" / "databases" / "before-migrations.sqlite3"


@pytest.fixture(autouse=True)
def _drop_databases(tmp_path):
    yield
    databases.release(tmp_path)


def fresh_app(tmp_path: Path):
    """An app whose database is empty (unlike conftest's, which has the tables already)."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": databases.database_url(tmp_path, empty=True),
            "CONTENT_DIR": str(FIXTURE_CITY),
            "INSTANCE_PATH": str(tmp_path),
            "PASSWORD_PROFILE": "CHEAPEST",
        }
    )
    databases.track(app)
    return app


def fresh_engine(tmp_path: Path):
    """An engine on an empty database."""
    return create_engine(databases.database_url(tmp_path, empty=True))


def database_schema(engine) -> list:
    """Every table's columns, indexes and foreign keys as the database reports them, and its revision."""
    with engine.connect() as connection:
        inspector = inspect(connection)
        tables = [
            (table,
             [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
             sorted((i["name"], tuple(i["column_names"]), i["unique"]) for i in inspector.get_indexes(table)),
             sorted((f["referred_table"], tuple(f["constrained_columns"]))
                    for f in inspector.get_foreign_keys(table)))
            for table in sorted(inspector.get_table_names())
        ]
        version = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    return [*tables, *version]


def database_rows(engine) -> dict[str, int]:
    """Rows in every table."""
    with engine.connect() as connection:
        return {table: connection.scalar(text(f'SELECT count(*) FROM "{table}"'))
                for table in inspect(connection).get_table_names()}


def row_counts(path: Path) -> dict[str, int]:
    """Rows in every table of a SQLite file, read with sqlite3 so that nothing of the portal is involved."""
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}
    connection.close()
    return counts


def schema(path: Path) -> list[tuple]:
    """The SQL of every table and index in a SQLite file, and the revision it is at."""
    with sqlite3.connect(path) as connection:
        objects = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    connection.close()
    return [*objects, *version]


def assert_matches_models(engine) -> None:
    with engine.connect() as connection:
        differences = migrate.schema_differences(connection)
    assert not differences, (
        "The database that the migrations build differs from the models "
        "(Alembic's list of what the database would need to match them):\n"
        + pprint.pformat(differences)
        + "\nA model changed without a migration. Write one: "
        "`flask --app portal db revision -m \"what changed\" --autogenerate`, read the file it "
        "writes in portal/migrations/versions/, and commit it with the model change."
    )


@pytest.fixture
def old_database(tmp_path):
    """A copy of a database that the portal made before it had migrations."""
    copy = tmp_path / "portal.sqlite3"
    shutil.copyfile(BEFORE_MIGRATIONS, copy)
    return copy


@sqlite_only
def test_a_database_from_before_migrations_keeps_every_row(tmp_path, old_database):
    before = row_counts(old_database)
    assert "alembic_version" not in before
    assert before["revisions"] and before["users"] == 1
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["db", "upgrade"])

    assert result.exit_code == 0, result.output
    assert f"made before migrations: marked as {migrate.BASELINE}" in result.output
    after = row_counts(old_database)
    assert after.pop("alembic_version") == 1
    assert {table: after[table] for table in before} == before  # every old row kept
    assert not any(after[table] for table in set(after) - set(before))  # new tables start empty
    verified = runner.invoke(args=["changes", "verify"])
    assert verified.exit_code == 0, verified.output
    assert f"chain verified: {before['revisions']} revisions" in verified.output
    with app.app_context():
        with db.engine.connect() as connection:
            assert [migrate.current(connection)] == migrate.heads()
        report = verify_chain(db.session)
        assert report.ok, [str(broken) for broken in report.broken]
        assert report.checked == before["revisions"]
        assert users.find(db.session, "clerk") is not None
        # The upgrade turned foreign keys off on its connection; the pool must not keep it so.
        assert db.session.scalar(text("PRAGMA foreign_keys")) == 1
        assert_matches_models(db.engine)


def test_a_fresh_database_upgraded_to_head_has_the_models_schema(tmp_path):
    engine = fresh_engine(tmp_path)
    try:
        done = migrate.upgrade(engine)
        assert (done.before, done.after, done.adopted) == (None, migrate.heads()[0], False)
        assert_matches_models(engine)
    finally:
        engine.dispose()


def test_the_comparison_sees_a_schema_that_differs(tmp_path):
    # So that the test above cannot pass by comparing nothing.
    engine = fresh_engine(tmp_path)
    try:
        migrate.upgrade(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql("ALTER TABLE departments ADD COLUMN motto VARCHAR(20)")
            connection.exec_driver_sql("DROP INDEX ix_change_events_code")
        with engine.connect() as connection:
            found = {(difference[0], getattr(difference[-1], "name", None))
                     for difference in migrate.schema_differences(connection)}
        assert ("remove_column", "motto") in found
        assert ("add_index", "ix_change_events_code") in found
    finally:
        engine.dispose()


def test_setup_on_a_fresh_instance_makes_a_working_database(tmp_path):
    app = fresh_app(tmp_path)
    assert databases.POSTGRES or not (tmp_path / "portal.sqlite3").exists()

    result = app.test_cli_runner().invoke(args=["setup"])

    assert result.exit_code == 0, result.output
    assert f"database upgraded from empty to {migrate.heads()[0]}" in result.output
    assert "8 files read, 7 published" in result.output
    with app.app_context():
        with db.engine.connect() as connection:
            assert [migrate.current(connection)] == migrate.heads()
        assert verify_chain(db.session).ok
        assert_matches_models(db.engine)
    assert app.test_client().get("/zh-hans/departments/").status_code == 200


@pytest.mark.parametrize("start", ["empty", pytest.param("before migrations", marks=sqlite_only)])
def test_upgrading_twice_changes_nothing(tmp_path, start):
    if start == "before migrations":
        shutil.copyfile(BEFORE_MIGRATIONS, tmp_path / "portal.sqlite3")
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["db", "upgrade"])
    assert first.exit_code == 0, first.output
    engine = app.extensions["portal.engine"]
    upgraded, counts = database_schema(engine), database_rows(engine)
    if not databases.POSTGRES:  # SQLite keeps each table's SQL: compare it too
        upgraded_sql = schema(tmp_path / "portal.sqlite3")

    again = runner.invoke(args=["db", "upgrade"])

    assert again.exit_code == 0, again.output
    assert again.output == f"database at {migrate.heads()[0]}; nothing to do\n"
    assert database_schema(engine) == upgraded
    assert database_rows(engine) == counts
    if not databases.POSTGRES:
        assert schema(tmp_path / "portal.sqlite3") == upgraded_sql


def test_db_init_is_db_upgrade(tmp_path):
    runner = fresh_app(tmp_path).test_cli_runner()
    result = runner.invoke(args=["db", "init"])
    assert result.exit_code == 0, result.output
    assert f"upgraded from empty to {migrate.heads()[0]}" in result.output
    assert "nothing to do" in runner.invoke(args=["db", "upgrade"]).output


@sqlite_only
def test_a_database_with_only_some_of_the_tables_is_refused_untouched(tmp_path):
    path = tmp_path / "portal.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE departments (id INTEGER PRIMARY KEY, code VARCHAR(20))")
    connection.close()
    before = schema_without_version(path)

    result = fresh_app(tmp_path).test_cli_runner().invoke(args=["db", "upgrade"])

    assert result.exit_code == 1
    assert "no alembic_version" in result.output
    assert "table revisions is missing" in result.output
    assert "departments lacks address, category," in result.output
    assert schema_without_version(path) == before


def schema_without_version(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as connection:
        objects = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    connection.close()
    return objects


@pytest.fixture
def scratch_migrations(tmp_path, monkeypatch):
    """A copy of the migration scripts, so that writing a revision leaves the repository alone."""
    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS", copy)
    return copy


def test_revision_without_model_changes_writes_nothing(scratch_migrations):
    before = sorted(path.name for path in (scratch_migrations / "versions").iterdir())
    assert migrate.revision("nothing changed", autogenerate=True) is None
    assert sorted(path.name for path in (scratch_migrations / "versions").iterdir()) == before


def test_revision_numbers_the_next_migration(scratch_migrations, app):
    [head] = migrate.heads()
    following = f"{int(head) + 1:04d}"
    result = app.test_cli_runner().invoke(args=["db", "revision", "-m", "add departments.motto"])
    assert result.exit_code == 0, result.output
    written = scratch_migrations / "versions" / f"{following}_add_departments_motto.py"
    assert f"wrote {written}" in result.output
    source = written.read_text(encoding="utf-8")
    assert f"revision: str = '{following}'" in source
    assert f"down_revision: str | Sequence[str] | None = '{head}'" in source
    assert migrate.heads() == [following]


@sqlite_only
def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path, old_database, scratch_migrations):
    [head] = migrate.heads()
    following = f"{int(head) + 1:04d}"
    (scratch_migrations / "versions" / f"{following}_fails.py").write_text(f'''"""Fails half-way."""
import sqlalchemy as sa
from alembic import op

revision = "{following}"
down_revision = "{head}"


def upgrade():
    with op.batch_alter_table("revisions", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text()))
    op.execute("INSERT INTO departments (id) VALUES (NULL)")  # refused: code is NOT NULL
''', encoding="utf-8")
    before = schema_without_version(old_database), row_counts(old_database)

    result = fresh_app(tmp_path).test_cli_runner().invoke(args=["db", "upgrade"])

    assert result.exit_code == 1
    assert "NOT NULL constraint failed: departments.code" in str(result.exception)
    # Neither the mark as 0001, nor the table copy, nor any migration before the failure stays.
    assert (schema_without_version(old_database), row_counts(old_database)) == before


def test_a_failing_migration_leaves_a_database_at_head_as_it_was(tmp_path, scratch_migrations):
    """The whole upgrade is one transaction on either database: a column added, then a failure."""
    app = fresh_app(tmp_path)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    [head] = migrate.heads()
    following = f"{int(head) + 1:04d}"
    (scratch_migrations / "versions" / f"{following}_fails.py").write_text(f'''"""Fails half-way."""
import sqlalchemy as sa
from alembic import op

revision = "{following}"
down_revision = "{head}"


def upgrade():
    with op.batch_alter_table("revisions") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text()))
    op.execute("INSERT INTO departments (code) VALUES (NULL)")  # refused: code is NOT NULL
''', encoding="utf-8")
    engine = app.extensions["portal.engine"]
    before = database_schema(engine), database_rows(engine)

    result = runner.invoke(args=["db", "upgrade"])

    assert result.exit_code == 1
    assert "code" in str(result.exception) and "null" in str(result.exception).lower()
    assert (database_schema(engine), database_rows(engine)) == before


@pytest.mark.skipif(not databases.POSTGRES, reason="two servers share a PostgreSQL database (TEST_DATABASE_URL)")
def test_two_servers_set_up_at_once_on_an_empty_database_one_waits_for_the_other(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    (tmp_path / "a").mkdir()
    url = databases.database_url(tmp_path / "a", empty=True)
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": url, "SECRET_KEY": "the same on both",
           "CONTENT_DIR": str(FIXTURE_CITY), "PYTHONPATH": str(root), "PASSWORD_PROFILE": "CHEAPEST"}
    setups = [subprocess.Popen([sys.executable, "-m", "flask", "--app",
                                f"portal:create_app({{'INSTANCE_PATH': {str(tmp_path / name)!r}}})", "setup"],
                               cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
              for name in ("a", "b")]
    outputs = [setup.communicate(timeout=600)[0] for setup in setups]
    assert [setup.returncode for setup in setups] == [0, 0], outputs
    said = "\n".join(outputs)
    assert said.count(f"database upgraded from empty to {migrate.heads()[0]}") == 1, outputs
    assert said.count(f"database at {migrate.heads()[0]}; nothing to do") == 1, outputs
    assert said.count("content already loaded; nothing to do") == 1, outputs
    assert said.count("8 files read, 7 published") == 1, outputs  # the sample loaded once
    app = create_app({"INSTANCE_PATH": str(tmp_path / "a"), "DATABASE_URL": url, "TESTING": True})
    databases.track(app)
    with app.app_context():
        assert verify_chain(db.session).ok
        codes = db.session.execute(text("SELECT count(*), count(DISTINCT code) FROM power_items")).one()
    assert codes[0] == codes[1] > 0
