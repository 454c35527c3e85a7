"""`flask --app portal …` commands, each a thin wrapper over a service function.

Accounts and privacy commands live in `accounts`; the rest, and `setup`, here.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from .. import downloads, flowstore, migrate, search
from ..extensions import db
from ..flowcharts.svg import RenderError
from ..i18n import catalogs
from ..models import Department
from ..publish.content import load_directory
from ..publish.verify import verify_chain
from ..samplecity import generate
from .accounts import privacy_cli, users_cli
from .codes import codes_cli
from .export import freeze

db_cli = AppGroup("db", help="Create and migrate the database.")
translate_cli = AppGroup("translate", help="Keep the translation catalogs current.")
content_cli = AppGroup("content", help="Load and generate content.")
changes_cli = AppGroup("changes", help="Check the hash chain of revisions and the change log.")
flowcharts_cli = AppGroup("flowcharts", help="Draw the services' flowcharts (needs Graphviz).")
search_cli = AppGroup("search", help="Build and inspect the search index.")
data_cli = AppGroup("data", help="Write the open-data downloads.")


def _upgrade_database(revision: str = "head") -> None:
    """Migrate the app's database to `revision`, saying what was done."""
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)  # where SQLite keeps its file
    try:
        done = migrate.upgrade(db.engine, revision)
    except migrate.MigrationError as error:
        raise click.ClickException(str(error)) from None
    if done.adopted:
        click.echo(f"database made before migrations: marked as {migrate.BASELINE}")
    if done.before == done.after:
        click.echo(f"database at {done.after}; nothing to do")
    else:
        click.echo(f"database upgraded from {done.before or 'empty'} to {done.after}")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision):
    """Migrate the database to REVISION (default: the newest); existing data is kept."""
    _upgrade_database(revision)


@db_cli.command("init")
def db_init():
    """The same as `db upgrade` (the name scripts used before there were migrations)."""
    _upgrade_database()


@db_cli.command("current")
def db_current():
    """Print the database's revision and the newest one."""
    with db.engine.connect() as connection:
        at = migrate.current(connection)
    heads = ", ".join(migrate.heads())
    click.echo(f"database at {at or 'no revision (empty, or made before migrations)'}; newest {heads}")


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration does, e.g. \"add users.email\".")
@click.option("--autogenerate", is_flag=True, help="Fill it in from what the models have that the migrations lack.")
def db_revision(message, autogenerate):
    """Write the next migration into portal/migrations/versions/ (read it before committing)."""
    try:
        path = migrate.revision(message, autogenerate=autogenerate)
    except migrate.MigrationError as error:
        raise click.ClickException(str(error)) from None
    if path is None:
        click.echo("the models match the migrations; nothing written")
    else:
        click.echo(f"wrote {path}: read it, then run `flask --app portal db upgrade`")


@content_cli.command("load")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--if-empty", is_flag=True, help="Load only when no department exists yet.")
@click.option("-v", "--verbose", is_flag=True, help="Name every file published.")
@click.option("--read-ahead", is_flag=True,
              help="Read the next departments' files in a second process while publishing (a core to spare).")
def content_load(directory, if_empty, verbose, read_ahead):
    """Load DIRECTORY (default: CONTENT_DIR) through the same validation as uploads."""
    migrate.upgrade(db.engine)
    if if_empty and db.session.scalar(select(func.count()).select_from(Department)):
        click.echo("content already loaded; nothing to do")
        return
    directory = directory or Path(current_app.config["CONTENT_DIR"])
    if not directory.is_dir():
        raise click.ClickException(f"no such directory: {directory}")
    started = time.perf_counter()
    with search.deferred():  # one index commit for the whole directory
        report = load_directory(db.session, directory, read_ahead=read_ahead)
    for file in report.files:
        if file.problems:
            for problem in file.problems:
                where = file.path
                if problem.row is not None:
                    where += f" 第 {problem.row} 行"
                if problem.column:
                    where += f"「{problem.column}」"
                click.echo(f"错误 {where}:{problem.message}", err=True)
        elif file.revision and verbose:
            counts = ", ".join(f"{k} {v}" for k, v in file.counts.items())
            click.echo(f"{file.path}: revision {file.revision} ({counts})")
    ctx = click.get_current_context()
    ctx.invoke(search_synonyms)
    published = sum(1 for f in report.files if f.revision)
    click.echo(f"{len(report.files)} files read, {published} published in {time.perf_counter() - started:.1f}s")
    if not report.ok:
        raise click.ClickException("some files were not loaded (see the errors above)")


@content_cli.command("generate")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=2024, show_default=True, help="Random seed; same seed, same files.")
@click.option("--scale", default=1, show_default=True, help="Multiply items per department.")
def content_generate(directory, seed, scale):
    """Write the fictional sample city into DIRECTORY."""
    counts = generate(directory, seed=seed, scale=scale)
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))


@search_cli.command("reindex")
@click.option("--if-missing", is_flag=True, help="Build only when there is no index yet.")
@click.option("--workers", type=int, default=None, help="Processes to build with (default: one per core).")
def search_reindex(if_missing, workers):
    """Rebuild the search index from the database (searches keep working meanwhile)."""
    migrate.upgrade(db.engine)
    if if_missing and search.engine().exists():
        click.echo("search index present; nothing to do")
        return
    started = time.perf_counter()
    bar = None

    def on_total(total):
        nonlocal bar
        bar = click.progressbar(length=total, label="indexing", show_pos=True, file=None)
        bar.__enter__()

    try:
        count = search.rebuild(db.session, progress=lambda n: bar.update(n), workers=workers,
                               on_total=on_total)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    size = search.engine().size_bytes() / 2**20
    click.echo(f"indexed {count} documents in {time.perf_counter() - started:.1f}s ({size:.1f} MiB)")


@data_cli.command("sync")
@click.option("--all", "everything", is_flag=True, help="Rewrite every file, not only those changes touched.")
def data_sync(everything):
    """Write the open-data downloads that revisions since the last sync touched (publishing does too)."""
    started = time.perf_counter()
    written = downloads.sync(db.session, everything=everything)
    click.echo(f"{written} download files written in {time.perf_counter() - started:.1f}s "
               f"({downloads.data_dir()})")


@search_cli.command("sync")
def search_sync():
    """Catch the index up with the revision log (after a crash, or publishes through another server)."""
    before = search.engine().applied()
    applied = search.sync(db.session)
    if applied is None:
        raise click.ClickException("no search index: run `flask --app portal search reindex`")
    click.echo(f"search index at revision {applied} (was {before})")


@search_cli.command("synonyms")
def search_synonyms():
    """Check the everyday-words dictionary (content/search/synonyms.csv) that searches expand with."""
    found = search.synonyms.load(current_app.config["CONTENT_DIR"])
    for problem in found.problems:
        click.echo(f"错误 {search.synonyms.FILE} {problem}", err=True)
    click.echo(f"{len(found.entries)} everyday words in {search.synonyms.FILE}")


@search_cli.command("status")
def search_status():
    """Say whether the index exists and how many documents it holds."""
    engine = search.engine()
    if not engine.exists():
        click.echo("no search index: run `flask --app portal search reindex`")
        return
    click.echo(f"{engine.doc_count()} documents, {engine.size_bytes() / 2**20:.1f} MiB in {engine.root}")


@translate_cli.command("update")
def translate_update():
    """Extract messages and merge them into the catalogs (zh_Hans and zh_Hant filled automatically)."""
    for locale, missing in catalogs.update().items():
        click.echo(f"{locale}: {missing} messages to translate")


@translate_cli.command("compile")
def translate_compile():
    """Compile the catalogs (run after editing a .po file)."""
    catalogs.compile_all()


@flowcharts_cli.command("draw")
@click.option("--all", "everything", is_flag=True, help="Redraw every chart, not only changed ones.")
def flowcharts_draw(everything):
    """Draw the flowcharts that are missing or out of date (publishing draws them too)."""
    migrate.upgrade(db.engine)
    started = time.perf_counter()
    try:
        # Everything missing or out of date, then the store's cursor moves to the newest revision.
        drawn = (flowstore.draw(db.session, force=everything, commit=True)
                 + flowstore.sync(db.session, commit=True))
    except RenderError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{drawn} flowcharts drawn in {time.perf_counter() - started:.1f}s")


@changes_cli.command("verify")
@click.option("--against", type=click.File("rb"), help="An archived copy of revisions.json to compare with.")
def changes_verify(against):
    """Check every revision's hashes and change events; exit 1 naming each broken revision."""
    published = json.load(against)["revisions"] if against else None
    report = verify_chain(db.session, published)
    for broken in report.broken:
        click.echo(f"broken: {broken}", err=True)
    if not report.ok:
        raise click.ClickException(f"{len(report.broken)} problems in {report.checked} revisions")
    purged = f" ({len(report.purged)} purged of personal data, verified by recorded hashes)" if report.purged else ""
    click.echo(f"chain verified: {report.checked} revisions{purged}, head {report.head}")


@click.command("setup")
@click.pass_context
@with_appcontext
def setup(ctx):
    """What scripts/serve needs, in one process: catalogs, the sample city (into an empty
    database only), the search index (built when missing, else caught up with the revision
    log) and any missing flowcharts. The database is migrated first, so a new release's
    columns exist before anything reads them."""
    ctx.invoke(translate_compile)
    with migrate.one_setup_at_a_time(db.engine):  # a second server started at once waits here
        ctx.invoke(db_upgrade)
        ctx.invoke(content_load, if_empty=True)
        # Flowcharts are kept in the shared database: drawn by whichever server comes first
        # (two drawing at once would both insert the same chart).
        try:
            ctx.invoke(flowcharts_draw)
        except click.ClickException as error:  # no Graphviz: pages show flows as text
            click.echo(f"flowcharts not drawn: {error.message}", err=True)
    # The search index and the download files are each server's own (its instance folder).
    ctx.invoke(search_reindex, if_missing=True)
    ctx.invoke(search_sync)
    ctx.invoke(search_synonyms)
    ctx.invoke(data_sync)


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(setup)
    app.cli.add_command(db_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(changes_cli)
    app.cli.add_command(flowcharts_cli)
    app.cli.add_command(privacy_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(codes_cli)
    app.cli.add_command(data_cli)
    app.cli.add_command(freeze)
