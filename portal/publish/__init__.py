"""The one write path: prepare (read, validate, diff) → the door (lock, apply, commit, announce)."""

from .door import Conflict, Writer, live_hash, opened
from .plan import Plan, prepare
from .signals import published

__all__ = ["Conflict", "Plan", "Writer", "live_hash", "opened", "prepare", "published"]
