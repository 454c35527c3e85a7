"""Logging in and out: throttled attempts, a new server-side session at every login.

The signed cookie carries only the id of a `LoginSession` row. Logout ends that
row, so a copy of the cookie kept by anyone is worthless afterwards.

An attempt is admitted and recorded as a failure in one step, under a lock, before its
password is checked (`admit`); it becomes a success once the password proves right. So
parallel guesses each see the ones before them, and no more than the limit are checked.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, session as cookie
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ..extensions import begin_write
from ..models import LoginAttempt, LoginSession, User, utcnow
from . import audit, users
from .passwords import dummy_hash, hash_password, needs_rehash, verify_password

COOKIE_KEY = "login"
# Any constant shared by every app server (and not the door's nor the migrations'): the key of
# PostgreSQL's advisory lock under which attempts are counted and recorded.
_ATTEMPTS_LOCK = 0x6D6A2D6C6F67696E  # "mj-login"


class LoginRefused(ValueError):
    """A login that did not succeed; the message is safe to show (it never says which part was wrong)."""


def _recent_failures(session: Session, since: dt.datetime, *conditions) -> int:
    return session.scalar(
        select(func.count()).select_from(LoginAttempt)
        .where(*conditions, LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False))
    )


def _logged_in_from(session: Session, username: str, address: str) -> bool:
    return session.scalar(select(LoginAttempt.id).where(
        LoginAttempt.username == username, LoginAttempt.address == address,
        LoginAttempt.succeeded.is_(True)).limit(1)) is not None


def throttled(session: Session, username: str, address: str) -> bool:
    """True when this account, or this address, failed too often in the window to try again.

    An account's failures from everywhere lock it only for addresses it has never logged in
    from. Its name is public (every revision names its author): were they counted everywhere,
    anyone could keep its clerk out by failing a few times a quarter of an hour. From an address
    it has logged in from, that address's own failures on it count, and the address's own.
    """
    config = current_app.config
    since = utcnow() - dt.timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    most = config["LOGIN_MAX_PER_ACCOUNT"]
    if _recent_failures(session, since, LoginAttempt.address == address) >= config["LOGIN_MAX_PER_ADDRESS"]:
        return True
    if _recent_failures(session, since, LoginAttempt.username == username, LoginAttempt.address == address) >= most:
        return True
    return not _logged_in_from(session, username, address) and \
        _recent_failures(session, since, LoginAttempt.username == username) >= most


def too_many_failures() -> str:
    """The message for a throttled attempt."""
    return _l("登录失败次数过多,请 %(minutes)s 分钟后再试",
              minutes=current_app.config["LOGIN_WINDOW_SECONDS"] // 60)


def _lock_attempts(session: Session) -> None:
    """Begin a write transaction that no other counting of attempts runs beside until it commits."""
    begin_write(session)  # SQLite: BEGIN IMMEDIATE, the database's write lock
    if session.get_bind().dialect.name != "sqlite":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ATTEMPTS_LOCK})


def admit(session: Session, username: str, address: str) -> LoginAttempt:
    """Count the recent failures and record this attempt as one more, in one step: raise
    LoginRefused (the refused attempt recorded too) when the account or the address is throttled.

    The attempt is committed as a failure before its password is checked (`succeeded` marks it
    otherwise once it proves right): counting first and recording after let parallel requests all
    pass the count before any was recorded. The session must have no pending changes.
    """
    _lock_attempts(session)
    refused = throttled(session, username, address)
    attempt = LoginAttempt(username=username, address=address, succeeded=False)
    session.add(attempt)
    session.commit()
    if refused:
        raise LoginRefused(too_many_failures())
    return attempt


def succeeded(session: Session, attempt: LoginAttempt) -> None:
    """Mark an admitted attempt whose password proved right (it counts as a failure no more, whatever
    the caller does next), then begin the write transaction the caller goes on in."""
    begin_write(session)  # what it read since `admit` is not written over: wait for the write lock
    attempt.succeeded = True
    session.commit()
    begin_write(session)


def log_in(session: Session, username: str, password: str, address: str) -> User:
    """Check a user name and password and start a new login session, or raise LoginRefused."""
    username = username.strip().lower()[:40]
    attempt = admit(session, username, address)
    user = users.find(session, username)
    ok = verify_password(user.password_hash if user else dummy_hash(), password) and user and user.active
    if not ok:
        raise LoginRefused(_l("用户名或密码不正确"))  # the attempt stays a failure
    succeeded(session, attempt)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    # A fresh session for every login: nothing from before survives (no fixation).
    cookie.clear()
    login = LoginSession(id=secrets.token_urlsafe(32), user=user, address=address)
    session.add(login)
    cookie[COOKIE_KEY] = login.id
    cookie.permanent = True
    audit.record(session, user.username, "login", department=user.department)
    session.commit()
    return user


def current_user(session: Session) -> User | None:
    """The user of this request's live login session, if any."""
    login_id = cookie.get(COOKIE_KEY)
    if not login_id:
        return None
    login = session.get(LoginSession, login_id)
    lifetime = current_app.permanent_session_lifetime
    if login is None or login.ended_at is not None or login.created_at + lifetime < utcnow():
        cookie.clear()
        return None
    if not login.user.active:
        return None
    return login.user


def current_login_id() -> str | None:
    """The id of this request's login session (from the signed cookie), if any."""
    return cookie.get(COOKIE_KEY)


def end_all(session: Session, user: User, keep: str | None = None) -> int:
    """End every live login session of `user` but `keep`; return how many were ended."""
    logins = session.scalars(select(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))).all()
    now = utcnow()
    ended = 0
    for login in logins:
        if login.id != keep:
            login.ended_at = now
            ended += 1
    return ended


def log_out(session: Session) -> None:
    """End the login session for good and clear the cookie."""
    login_id = cookie.get(COOKIE_KEY)
    login = session.get(LoginSession, login_id) if login_id else None
    if login is not None and login.ended_at is None:
        login.ended_at = utcnow()
        audit.record(session, login.user.username, "logout", department=login.user.department)
        session.commit()
    cookie.clear()
