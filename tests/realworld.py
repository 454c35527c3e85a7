"""Helpers for tests with real-world lists: departments, accounts, uploads through the desk's path."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from portal.accounts import users
from portal.desk.uploads import publish_upload, stage_upload
from portal.extensions import db
from portal.models import Department, User
from portal.publish import opened
from portal.schemas import DEPARTMENTS, KINDS

PASSWORD = "correct horse battery"


def add_departments(rows: list[dict]) -> None:
    """Add departments (records keyed by Chinese header) through the door, as the content loader does."""
    validated = DEPARTMENTS.validate(list(enumerate(rows, start=2)), {})
    assert validated.ok, validated.problems
    with opened(db.session) as writer:
        writer.publish_departments(validated.records, author="test", source="content")


def department_row(code: str, name: str, category: str = "市直部门", credit: str = "") -> dict:
    """A department's row with the required contact fields filled."""
    return {"部门编码": code, "部门名称": name, "英文名称": code, "部门类别": category,
            "咨询电话": "0826-2222222", "投诉电话": "0826-12345", "统一社会信用代码": credit}


def account(name: str, department_code: str | None = None, admin: bool = False) -> User:
    """An account of a department (or of the efficiency office), created once."""
    found = db.session.scalars(select(User).where(User.username == name)).first()
    if found:
        return found
    department = Department.by_code(db.session, department_code) if department_code else None
    user = users.create_user(db.session, name, PASSWORD, department, is_admin=admin)
    db.session.commit()
    return user


def csv_file(kind: str, rows: list[dict]) -> bytes:
    """A UTF-8 CSV of `kind` with every declared column, rows keyed by Chinese header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=KINDS[kind].headers, extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def upload(user: User, department_code: str, kind: str, data: bytes, filename: str | None = None):
    """Stage and publish a file as a department's clerk would; return (problems, revision)."""
    department = Department.by_code(db.session, department_code)
    staged = stage_upload(db.session, user, department, KINDS[kind], filename or f"{kind}.csv", data)
    if staged.problems:
        return staged.problems, None
    return [], publish_upload(db.session, user, staged.upload)


def power_row(code: str, name: str, department: str, power_type: str = "行政许可", **more) -> dict:
    """A 权责清单 row with only what real lists always have."""
    return {"事项编码": code, "事项名称": name, "权力类型": power_type, "实施主体": department, **more}
