"""Working days, counted two ways so that 限时办结 holds whichever way the portal counts.

The portal counts plain Monday–Friday days (`portal.workdays`); a reader may
count with the State Council holiday schedule (days off and make-up weekends).
Complaint dates are chosen so that "within ten working days" has the same
answer both ways.
"""

from __future__ import annotations

import datetime as dt

from ..workdays import working_days

# 国务院办公厅 holiday notices for 2023–2025: weekdays off, and weekend make-up days.
_OFF = """
2023-01-02 2023-01-23 2023-01-24 2023-01-25 2023-01-26 2023-01-27 2023-04-05
2023-05-01 2023-05-02 2023-05-03 2023-06-22 2023-06-23 2023-09-29 2023-10-02
2023-10-03 2023-10-04 2023-10-05 2023-10-06
2024-01-01 2024-02-12 2024-02-13 2024-02-14 2024-02-15 2024-02-16 2024-04-04
2024-04-05 2024-05-01 2024-05-02 2024-05-03 2024-06-10 2024-09-16 2024-09-17
2024-10-01 2024-10-02 2024-10-03 2024-10-04 2024-10-07
2025-01-01 2025-01-28 2025-01-29 2025-01-30 2025-01-31 2025-02-03 2025-02-04
2025-04-04 2025-05-01 2025-05-02 2025-05-05 2025-06-02 2025-10-01 2025-10-02
2025-10-03 2025-10-06 2025-10-07 2025-10-08
"""
_MAKEUP = """
2023-01-28 2023-01-29 2023-04-23 2023-05-06 2023-06-25 2023-10-07 2023-10-08
2024-02-04 2024-02-18 2024-04-07 2024-04-28 2024-05-11 2024-09-14 2024-09-29 2024-10-12
2025-01-26 2025-02-08 2025-04-27 2025-09-28 2025-10-11
"""
OFF = frozenset(dt.date.fromisoformat(d) for d in _OFF.split())
MAKEUP = frozenset(dt.date.fromisoformat(d) for d in _MAKEUP.split())
LAST_KNOWN = dt.date(2025, 12, 31)


def is_weekday(day: dt.date) -> bool:
    """Monday to Friday."""
    return day.weekday() < 5


def is_official(day: dt.date) -> bool:
    """A working day under the holiday schedule (make-up weekends count, holidays do not)."""
    return day in MAKEUP or (is_weekday(day) and day not in OFF)


def is_open(day: dt.date) -> bool:
    """A day that is a working day under both counts (when complaints are received and closed)."""
    return is_weekday(day) and is_official(day)


def elapsed(start: dt.date, end: dt.date) -> tuple[int, int]:
    """Working days after `start` up to and including `end`, as (portal's count, official count)."""
    official = sum(is_official(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1))
    return working_days(start, end), official


def add_open_days(start: dt.date, days: int) -> dt.date:
    """Return the `days`-th open day after `start`."""
    day = start
    while days:
        day += dt.timedelta(days=1)
        days -= is_open(day)
    return day
