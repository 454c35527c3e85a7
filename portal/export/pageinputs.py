"""Fingerprints of the pages drawn from a few figures besides the build, so that `--changed`
rewrites them only when those figures move (`listpages` and `statpages` do the same for lists
and statistics).

The API page shows the OpenAPI document (made from the code: part of the build) and one real
example per operation (`views.apidocs.examples`): the first item of each kind, the first
department, year and revision, a site page. A publish rarely moves any of them.
"""

from __future__ import annotations

import hashlib
import json

from ..views import apidocs

API = "apidocs"


def fingerprints() -> dict[str, str]:
    """Each such page's fingerprint, by key (needs an app context)."""
    examples = json.dumps(apidocs.examples(), ensure_ascii=False, sort_keys=True, default=str)
    return {API: hashlib.sha256(examples.encode("utf-8")).hexdigest()[:16]}


def changed(before: dict[str, str], now: dict[str, str]) -> set[str]:
    """The keys whose fingerprint differs from the last export's (or is new)."""
    return {key for key, digest in now.items() if before.get(key) != digest}
