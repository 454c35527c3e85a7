"""Looking after accounts: a user changes their password; the efficiency office resets one or
deactivates an account. Each ends the login sessions it must and revokes the account's API
tokens (a leaked password may have made them), and each is audited."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from ..models import User
from . import audit, sessions, tokens
from .passwords import hash_password, verify_password
from .users import AccountError, check_password


def change_password(session: Session, user: User, current: str, new: str, address: str) -> tuple[int, int]:
    """Change `user`'s own password, proven by the current one; end their other login sessions
    and revoke their API tokens.

    A wrong current password counts as a failed login (so the form cannot be used to guess
    it faster than the login page). Returns (other sessions ended, tokens revoked).
    """
    try:
        attempt = sessions.admit(session, user.username, address)
    except sessions.LoginRefused as refused:
        raise AccountError(str(refused)) from None
    if not verify_password(user.password_hash, current):
        raise AccountError(_l("当前密码不正确"))  # the attempt stays a failure
    sessions.succeeded(session, attempt)
    if new == current:
        raise AccountError(_l("新密码不能与当前密码相同"))
    check_password(new, user.username, user.department)
    user.password_hash = hash_password(new)
    # Whoever else holds a session (a stolen cookie, a forgotten browser) is out now.
    ended = sessions.end_all(session, user, keep=sessions.current_login_id())
    # A token made by whoever knew the old password would outlive it: tokens go too.
    revoked = tokens.revoke_all(session, user)
    audit.record(session, user.username, "password.change", department=user.department,
                 sessions_ended=ended, tokens_revoked=revoked)
    return ended, len(revoked)


def reset_password(session: Session, user: User, new: str, actor: str) -> tuple[int, int]:
    """Set `user`'s password for them (the efficiency office, from the CLI); end all their sessions
    and revoke their API tokens. Returns (sessions ended, tokens revoked)."""
    check_password(new, user.username, user.department)
    user.password_hash = hash_password(new)
    ended = sessions.end_all(session, user)
    revoked = tokens.revoke_all(session, user)
    audit.record(session, actor, "password.reset", department=user.department, username=user.username,
                 sessions_ended=ended, tokens_revoked=revoked)
    return ended, len(revoked)


def deactivate(session: Session, user: User, actor: str, by: User | None = None) -> tuple[int, int]:
    """Deactivate an account: it cannot log in, its sessions end and its API tokens are revoked.

    `by` is the administrator doing it on the web, who may not lock themself out.
    Returns (sessions ended, tokens revoked).
    """
    if by is not None and by.id == user.id:
        raise AccountError(_l("不能停用自己的账号"))
    if not user.active:
        raise AccountError(_l("账号 %(name)s 已经停用", name=user.username))
    user.active = False
    ended = sessions.end_all(session, user)
    revoked = tokens.revoke_all(session, user)
    audit.record(session, actor, "user.deactivate", department=user.department, username=user.username,
                 sessions_ended=ended, tokens_revoked=revoked)
    return ended, len(revoked)
