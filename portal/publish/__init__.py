"""The one write path: prepare (validate and diff), apply (revision, items, events), commit."""

from .apply import apply
from .plan import Plan, prepare
from .signals import commit, published

__all__ = ["Plan", "apply", "commit", "prepare", "published"]
