"""Fingerprints of the statistics an export shows, so that `--changed` redraws only what moved.

The city's statistics page, the comparison and their charts, and each department's
scorecard charts draw on complaints, appraisals and time limits: a publish of powers
changes none of them. Each is fingerprinted by the figures it shows (`listpages` does
the same for list pages), and an incremental export rewrites those whose fingerprint
changed since the last export (`.export.json` keeps them).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from sqlalchemy.orm import Session

from ..stats import charts, city, scorecard

CITY = "stats"  # the city's figures: its page, the comparison (drawn from them) and its charts


def _digest(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _chart(build) -> str:
    """A chart's fingerprint: its labels, series and unit (its words follow the page's language,
    which is the same for every export of one build)."""
    chart = build()
    return _digest([chart.kind, chart.labels, chart.series, chart.unit])


def city_chart_key(name: str) -> str:
    """The fingerprint key of one chart of the city's statistics."""
    return f"{CITY}/{name}"


def scorecard_key(code: str) -> str:
    """The fingerprint key of a department's whole scorecard, which its page shows."""
    return f"scorecards/{code}"


def scorecards_changed(keys: set[str]) -> set[str]:
    """The departments (codes) whose scorecard, or one of its charts, changed among `keys`."""
    return {key.split("/")[1] for key in keys if key.startswith("scorecards/")}


def department_chart_key(code: str, name: str) -> str:
    """The fingerprint key of one chart of a department's scorecard."""
    return f"scorecards/{code}/{name}"


def fingerprints(session: Session, departments: Iterable[str] | None,
                 before: dict[str, str] | None = None) -> dict[str, str]:
    """The city's figures and charts, and the scorecards and their charts of `departments` (None:
    every department); the other departments' fingerprints are kept from `before`, as their figures
    have not changed. Called in a request context (chart labels are translated)."""
    figures = city.city_stats(session)
    found = {CITY: _digest(figures)}
    found |= {city_chart_key(name): _chart(build) for name, build in charts.city_charts(figures).items()}
    if departments is None:
        departments = [d["code"] for d in city.departments(session)]
    else:
        found |= {k: v for k, v in (before or {}).items() if k.startswith("scorecards/")}
    for code in departments:
        card = scorecard.scorecard(session, code)
        found[scorecard_key(code)] = _digest(card)
        for name, build in charts.department_charts(card).items():
            found[department_chart_key(code, name)] = _chart(build)
    return found


def changed(before: dict[str, str], now: dict[str, str]) -> set[str]:
    """The keys whose fingerprint differs (or is new)."""
    return {key for key, digest in now.items() if before.get(key) != digest}
