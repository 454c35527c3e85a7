"""`flask --app portal …` commands, each a thin wrapper over a service function."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from .extensions import db
from .i18n import catalogs
from .ingest.directory import load_directory
from .models import Base, Department
from .samplecity import generate

db_cli = AppGroup("db", help="Create the database.")
translate_cli = AppGroup("translate", help="Keep the translation catalogs current.")
content_cli = AppGroup("content", help="Load and generate content.")


@db_cli.command("init")
def db_init():
    """Create any missing tables (existing data is kept)."""
    Path(current_app.instance_path).mkdir(parents=True, exist_ok=True)
    Base.metadata.create_all(db.engine)
    click.echo("database ready")


@content_cli.command("load")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--if-empty", is_flag=True, help="Load only when no department exists yet.")
@click.option("-v", "--verbose", is_flag=True, help="Name every file published.")
def content_load(directory, if_empty, verbose):
    """Load DIRECTORY (default: CONTENT_DIR) through the same validation as uploads."""
    Base.metadata.create_all(db.engine)
    if if_empty and db.session.scalar(select(func.count()).select_from(Department)):
        click.echo("content already loaded; nothing to do")
        return
    directory = directory or Path(current_app.config["CONTENT_DIR"])
    if not directory.is_dir():
        raise click.ClickException(f"no such directory: {directory}")
    started = time.perf_counter()
    report = load_directory(db.session, directory)
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


@translate_cli.command("update")
def translate_update():
    """Extract messages and merge them into the zh_Hant and en catalogs."""
    for locale, missing in catalogs.update().items():
        click.echo(f"{locale}: {missing} messages to translate")


@translate_cli.command("compile")
def translate_compile():
    """Compile the catalogs (run after editing a .po file)."""
    catalogs.compile_all()


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(db_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(content_cli)
