"""Per-account API tokens: shown once, stored as SHA-256, revocable."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import ApiToken, User, utcnow
from . import audit

PREFIX = "mj_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str, actor: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; return the row and the secret (which is never stored)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip()[:60] or "api", token_hash=_digest(secret),
                     prefix=secret[:10])
    session.add(token)
    session.flush()
    audit.record(session, actor, "token.create", department=user.department, token=token.prefix)
    return token, secret


def revoke_token(session: Session, token: ApiToken, actor: str) -> None:
    """Revoke a token: requests carrying it are refused from now on."""
    token.revoked_at = utcnow()
    audit.record(session, actor, "token.revoke", department=token.user.department, token=token.prefix)


def revoke_all(session: Session, user: User) -> list[str]:
    """Revoke every live token of `user`; return their prefixes (for the caller's audit entry)."""
    live = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    now = utcnow()
    prefixes = []
    for token in live:
        token.revoked_at = now
        prefixes.append(token.prefix)
    return prefixes


def user_for_token(session: Session, secret: str) -> User | None:
    """The active account a presented token belongs to, or None."""
    if not secret.startswith(PREFIX):
        return None
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _digest(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if token is None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """A user's tokens, newest first."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.id.desc())))
