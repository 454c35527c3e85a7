"""`flask codes …`: the efficiency office hands an item code from one department to another."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..accounts import users
from ..extensions import db
from ..models import Department
from ..publish.namespaces import HandOverRefused, hand_over
from ..schemas import KINDS

codes_cli = AppGroup("codes", help="Hand item codes over between departments (the efficiency office).")


@codes_cli.command("hand-over")
@click.argument("kind", type=click.Choice(sorted(KINDS)))
@click.argument("code")
@click.argument("department_code")
@click.option("--reason", required=True, help="Why, e.g. the institutional reform that moved the item.")
@click.option("--by", "actor_name", required=True, help="The efficiency office account that hands it over.")
def codes_hand_over(kind, code, department_code, reason, actor_name):
    """Hand CODE of KIND to the department DEPARTMENT_CODE, which may publish it from then on."""
    actor = users.find(db.session, actor_name)
    if actor is None or not actor.is_admin:
        raise click.ClickException(f"not an efficiency office account: {actor_name}")
    department = Department.by_code(db.session, department_code)
    if department is None:
        raise click.ClickException(f"no such department: {department_code}")
    try:
        hand_over(db.session, actor, KINDS[kind], code, department, reason)
    except HandOverRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(f"{kind} {code} handed to {department.code}")
