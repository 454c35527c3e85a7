"""The one write path: prepare (validate and diff) then apply (revision, items, events)."""

from .apply import apply
from .plan import Plan, prepare

__all__ = ["Plan", "apply", "prepare"]
