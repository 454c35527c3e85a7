"""Passwords: which may be chosen (length and zxcvbn's strength estimate), and hashing with
Argon2id, whose parameter profile is a setting (PASSWORD_PROFILE)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

MIN_LENGTH = 10
# zxcvbn's scores run 0–4; 3 means about 10^8 guesses, beyond an online attacker who is
# throttled at login, and what its authors advise as the least to accept.
MIN_SCORE = 3
# zxcvbn refuses longer input (it is quadratic in the length); a longer password is
# estimated by its start, which can only underestimate it.
ESTIMATED_LENGTH = 72
# zxcvbn's dictionaries are English: these are what guessers of Chinese passwords try early
# (pinyin of common phrases and names, from published leaks), and the portal's own words.
CONTEXT_WORDS = (
    "woaini", "aini", "wangwei", "zhangwei", "lijing", "wangfang", "liuyang", "zhangjie", "wangjing",
    "zhongguo", "beijing", "shanghai", "dearbook", "xiazhili", "5201314", "1314520",
    "mingjing", "xiaoneng", "zhengfu", "jiguan", "明镜", "效能", "机关", "政府",
)
# zxcvbn keeps the user inputs of the current estimate in a module-level dictionary.
_ESTIMATING = threading.Lock()


def weakness(password: str, context: Iterable[str] = ()) -> str | None:
    """Why `password` may not be chosen (a message for its owner), or None when it may.

    `context` holds what an attacker knows about the account: its name, its department.
    """
    if not password.strip():
        return _l("密码不能全是空格")
    if len(password) < MIN_LENGTH:
        return _l("密码至少 %(count)s 位", count=MIN_LENGTH)
    inputs = [*CONTEXT_WORDS, *(word for word in context if word)]
    with _ESTIMATING:
        score = zxcvbn(password[:ESTIMATED_LENGTH], user_inputs=inputs)["score"]
    if score < MIN_SCORE:
        return _l("密码太容易被猜到:请不要用常见密码、键盘顺序、重复字符、日期或账号和部门的名称;"
                  "几个不相关的词连在一起,既好记又难猜")
    return None


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
