"""Creating accounts, the passwords they may have, and checking who someone is."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Department, User
from . import audit
from .passwords import hash_password, weakness

USERNAME = re.compile(r"[a-z][a-z0-9_.-]{1,39}")


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is for the user."""


def create_user(
    session: Session,
    username: str,
    password: str,
    department: Department | None,
    *,
    is_admin: bool = False,
    created_by: str = "cli",
) -> User:
    """Create an account for a department (or an administrator) and audit it."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        raise AccountError(_l("用户名须为 2–40 位小写字母、数字或 _ . -,并以字母开头"))
    if department is None and not is_admin:
        raise AccountError(_l("部门账号必须属于一个部门"))
    if session.scalar(select(User.id).where(User.username == username)):
        raise AccountError(_l("用户名“%(name)s”已被使用", name=username))
    check_password(password, username, department)
    user = User(username=username, password_hash=hash_password(password),
                department=department, is_admin=is_admin)
    session.add(user)
    session.flush()
    audit.record(session, created_by, "user.create", department=department,
                 username=username, is_admin=is_admin)
    return user


def check_password(password: str, username: str, department: Department | None) -> None:
    """Raise AccountError unless `password` may be chosen by this account."""
    context = [username] + ([department.code, department.name] if department is not None else [])
    problem = weakness(password, context)
    if problem is not None:
        raise AccountError(problem)


def find(session: Session, username: str) -> User | None:
    """The account with this user name, if any."""
    return session.scalars(select(User).where(User.username == username.strip().lower())).first()
