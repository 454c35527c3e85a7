"""Password hashing with Argon2id; the parameter profile is a setting (PASSWORD_PROFILE)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 10


@lru_cache(maxsize=4)
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def _current() -> PasswordHasher:
    return _hasher(current_app.config["PASSWORD_PROFILE"])


def hash_password(password: str) -> str:
    """The Argon2id hash of a password (salted; safe to store)."""
    return _current().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when `password` matches the stored hash."""
    try:
        return _current().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's profile."""
    return _current().check_needs_rehash(stored_hash)


@lru_cache(maxsize=4)
def _dummy_hash(profile: str) -> str:
    return _hasher(profile).hash("not a password of anyone")


def dummy_hash() -> str:
    """A hash of nothing anyone knows: checking an unknown user costs as much as a known one."""
    return _dummy_hash(current_app.config["PASSWORD_PROFILE"])
