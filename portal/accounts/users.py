"""Creating accounts and checking who someone is."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Department, User
from . import audit
from .passwords import MIN_LENGTH, hash_password

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
    if len(password) < MIN_LENGTH:
        raise AccountError(_l("密码至少 %(count)s 位", count=MIN_LENGTH))
    if department is None and not is_admin:
        raise AccountError(_l("部门账号必须属于一个部门"))
    if session.scalar(select(User.id).where(User.username == username)):
        raise AccountError(_l("用户名“%(name)s”已被使用", name=username))
    user = User(username=username, password_hash=hash_password(password),
                department=department, is_admin=is_admin)
    session.add(user)
    session.flush()
    audit.record(session, created_by, "user.create", department=department,
                 username=username, is_admin=is_admin)
    return user


def find(session: Session, username: str) -> User | None:
    """The account with this user name, if any."""
    return session.scalars(select(User).where(User.username == username.strip().lower())).first()
