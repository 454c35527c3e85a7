"""`flask users …` and `flask privacy …`: accounts and tokens, and complainants' personal data."""

from __future__ import annotations

import os

import click
from flask.cli import AppGroup

from ..accounts import manage, tokens, users
from ..desk import purge as privacy_purge
from ..extensions import db
from ..models import Department, Revision
from ..privacy.scan import scan as privacy_scan
from ..publish import verdicts

users_cli = AppGroup("users", help="Create, reset and deactivate accounts; make API tokens.")
privacy_cli = AppGroup("privacy", help="Find and purge complainants' personal data.")


@users_cli.command("create")
@click.argument("name")
@click.option("--department", "department_code", help="The department's code (部门编码).")
@click.option("--admin", is_flag=True, help="An administrator of the efficiency office.")
def users_create(name, department_code, admin):
    """Create an account; the password comes from PORTAL_PASSWORD, else a prompt."""
    password = os.environ.get("PORTAL_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    department = None
    if department_code:
        department = Department.by_code(db.session, department_code)
        if department is None:
            raise click.ClickException(f"unknown department: {department_code}")
    try:
        user = users.create_user(db.session, name, password, department, is_admin=admin)
    except users.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {user.username}" + (f" for {department.code}" if department else " (admin)"))


@users_cli.command("token")
@click.argument("name")
@click.option("--label", default="cli", help="A name to tell this token apart.")
def users_token(name, label):
    """Print a new API token for an account (shown once; only its hash is kept)."""
    user = users.find(db.session, name)
    if user is None:
        raise click.ClickException(f"no such account: {name}")
    _token, secret = tokens.create_token(db.session, user, label, actor="cli")
    db.session.commit()
    click.echo(secret)


def _account(name: str):
    user = users.find(db.session, name)
    if user is None:
        raise click.ClickException(f"no such account: {name}")
    return user


@users_cli.command("password")
@click.argument("name")
def users_password(name):
    """Set an account's password (from PORTAL_PASSWORD, else a prompt); its logins end and its
    API tokens are revoked."""
    user = _account(name)
    password = os.environ.get("PORTAL_PASSWORD") or click.prompt(
        "New password", hide_input=True, confirmation_prompt=True)
    try:
        ended, revoked = manage.reset_password(db.session, user, password, actor="cli")
    except users.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"password of {user.username} changed; {ended} login sessions ended, {revoked} API tokens revoked")


@users_cli.command("deactivate")
@click.argument("name")
def users_deactivate(name):
    """Deactivate an account: no more logins, its sessions ended, its API tokens revoked."""
    user = _account(name)
    try:
        ended, revoked = manage.deactivate(db.session, user, actor="cli")
    except users.AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"deactivated {user.username}: {ended} login sessions ended, {revoked} API tokens revoked")


@privacy_cli.command("scan")
def privacy_scan_command():
    """List published items of every kind with probable personal data (kinds of data, never the data)."""
    hits = privacy_scan(db.session)
    for hit in hits:
        state = "tombstone" if hit.withdrawn else "live"
        click.echo(f"{hit.confidence:6} {hit.kind} {hit.code} ({hit.department}, {state}): {', '.join(hit.categories)}")
    click.echo(f"{len(hits)} items with findings; high ones are withheld from every public exit")


@privacy_cli.command("verdicts")
def privacy_verdicts_command():
    """Give every item the privacy verdict a publish would give it now (after an upgrade that
    changed the detector, or a change of public numbers): pages then stop screening it again."""
    done = verdicts.refresh(db.session)
    click.echo(f"{done.checked} items read; {done.changed} verdicts stored again")


@privacy_cli.command("purge")
@click.argument("revision_id", type=int)
@click.option("--reason", required=True, help="Why (kept in the audit log), e.g. the complaint ticket.")
@click.option("--by", "actor", default="cli", show_default=True, help="Who purges, for the audit log.")
def privacy_purge_command(revision_id, reason, actor):
    """Remove a published revision's personal data; its hashes, tombstones and audit entry stay."""
    revision = db.session.get(Revision, revision_id)
    if revision is None:
        raise click.ClickException(f"no such revision: {revision_id}")
    try:
        report = privacy_purge.purge(db.session, actor, revision, reason)
    except privacy_purge.AlreadyPurged:
        raise click.ClickException(f"revision {revision_id} was purged already") from None
    click.echo(f"purged revision {revision_id}: {report.records} records in revisions "
               f"{', '.join(map(str, report.revisions))}; {report.items} items, {report.events} change events, "
               f"{report.files} stored files emptied")
    for path in report.content_files:
        click.echo(f"also edit the content file on disk: {path}", err=True)
