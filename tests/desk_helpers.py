"""Helpers for desk tests: accounts, API tokens, CSRF tokens, logging in, CSV uploads."""

from __future__ import annotations

import csv
import io
import re

from portal.accounts import tokens, users
from portal.extensions import db
from portal.models import Department, User
from sqlalchemy import select

PASSWORD = "correct horse battery"


def make_user(app, name: str, department_code: str | None, admin: bool = False) -> None:
    """Create an account directly through the accounts service."""
    with app.app_context():
        department = None
        if department_code:
            department = db.session.scalars(select(Department).where(Department.code == department_code)).one()
        users.create_user(db.session, name, PASSWORD, department, is_admin=admin)
        db.session.commit()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def log_in(client, name: str, password: str = PASSWORD, lang: str = "zh-hans"):
    """Log in through the form, as a browser would."""
    page = client.get(f"/{lang}/desk/login").get_data(as_text=True)
    return client.post(f"/{lang}/desk/login", data={
        "csrf_token": csrf_token(page), "username": name, "password": password,
    })


def csv_bytes(headers: list[str], rows: list[dict]) -> bytes:
    """A UTF-8 CSV file."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def read_csv(path) -> tuple[list[str], list[dict]]:
    """Headers and rows of a CSV file."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames), list(reader)


def upload(client, content: bytes, filename: str = "powers.csv", kind: str = "powers",
           department: str = "99010001FG", lang: str = "zh-hans"):
    """Upload a file through the desk form."""
    page = client.get(f"/{lang}/desk/").get_data(as_text=True)
    return client.post(f"/{lang}/desk/uploads", data={
        "csrf_token": csrf_token(page), "kind": kind, "department": department,
        "file": (io.BytesIO(content), filename),
    }, content_type="multipart/form-data")


def api_token(app, name: str) -> dict:
    """The Authorization header of a new API token of the account `name`."""
    with app.app_context():
        user = db.session.scalars(select(User).where(User.username == name)).one()
        _token, secret = tokens.create_token(db.session, user, "script", actor="test")
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}
